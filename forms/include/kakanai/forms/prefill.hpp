#pragma once
// Card data + the resident's answers -> the value of every field of a form.
#include <map>
#include <string>
#include <vector>

#include "kakanai/forms/card_data.hpp"
#include "kakanai/forms/member.hpp"
#include "kakanai/forms/template.hpp"

namespace kakanai::forms {

enum class Origin { Card, Answer, Computed, Empty };
const char* to_string(Origin o);

using Answers = std::map<std::string, std::string>;  // field id -> raw answer

struct FilledField {
    std::string id;
    std::string value;    // raw value (ISO date for dates)
    std::string display;  // as printed (和暦 dates, choice labels)
    Origin origin = Origin::Empty;
};

struct FilledForm {
    std::string template_id;
    int template_version = 0;
    std::vector<FilledField> fields;
    const FilledField* find(const std::string& id) const;
    void wipe() noexcept;
};

FilledForm prefill(const Template& t, const CardData& card, const Answers& answers,
                   const std::string& today_iso);

// A stored raw value as the form prints it (和暦 dates, choice labels, 男/女),
// for showing an application again after it was saved.
std::string display_value(const Field& f, const std::string& value);

// The same, with the 個人番号 read from the card for fields bound to
// card.my_number (only pass it when such a field exists; the caller wipes it).
FilledForm prefill(const Template& t, const CardData& card, const Answers& answers,
                   const std::string& today_iso, const std::string& my_number);

// With the household: each [[group]] gets one row per member that belongs to
// it (the card holder first when the group says `holder = true`), as fields
// "<group>.<n>.<field>" appended after the form's own fields.
FilledForm prefill(const Template& t, const CardData& card, const Answers& answers, const std::string& today_iso,
                   const std::string& my_number, const Household& household);

// How many member rows of `group` a filled form holds (0 when none).
int member_rows(const FilledForm& form, const std::string& group);

// A form applies when its `when` holds for the card holder or, for a form
// with a [[group]], for any member of the household (国保 取得 for the one
// member without employer insurance).
bool form_applies(const Template& t, const CardData& card, const Answers& answers, const std::string& today_iso,
                  const Household& household = {});

// One errand: every form of a life event that applies (form_applies), filled from one card read and one
// set of answers (answers are keyed by field id, so a shared question's
// answer reaches every form that has that field) and the household.
std::vector<FilledForm> prefill_errand(const std::vector<const Template*>& templates, const CardData& card,
                                       const Answers& answers, const std::string& today_iso,
                                       const std::string& my_number = {}, const Household& household = {});

// What is still wrong with a filled form before it can be printed: each field
// whose value fails check_value() (required but empty, wrong shape), with the
// message in three languages. Empty when the form is complete.
struct FieldIssue {
    std::string field;
    Text message;
};
std::vector<FieldIssue> check_form(const Template& t, const FilledForm& form);

// The texts of the template's [[warning]] blocks whose `when` holds for this
// filled form: answers are the form's question values, age and
// days_since() count to `today_iso` (the day the form was filled).
std::vector<Text> form_warnings(const Template& t, const FilledForm& form, const std::string& today_iso);

}  // namespace kakanai::forms
