#pragma once
// `when = "..."` conditions on questions and forms (docs/templates.md, "Conditions").
//
//   when = "age >= 65"
//   when = "answers.employer_insurance == 'no' and not (nationality == 'JP')"
//   when = "answers.relationship in ['spouse', 'child']"
//
// Parsed when the template loads; a condition that does not parse is a
// template problem with its file and line.
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace kakanai::forms {

using Answers = std::map<std::string, std::string>;  // field id -> raw answer (same as prefill.hpp)

// What a condition can look at during one errand.
struct Facts {
    std::string birth_date;   // card.birth_date, YYYY-MM-DD ("" when unknown)
    std::string sex;          // card.sex: male / female / other / unknown
    bool card_read = false;   // a card was read in this session
    std::string today;        // YYYY-MM-DD: the day of the errand (age is counted on it)
    const Answers* answers = nullptr;  // the answers given so far
    // In a group's `when` (evaluated per member, see Group): the member's 続柄;
    // birth_date, sex and card_read are then the member's, and answers holds
    // the member's own answers over the errand's.
    std::string relationship = {};
};

// Whole years from birth_date to today (the birthday counts on the day itself);
// nothing when either date is missing or malformed.
std::optional<int> age_on(const std::string& birth_date, const std::string& today);

class ConditionError : public std::runtime_error {
public:
    ConditionError(const std::string& message, int column)
        : std::runtime_error(message), column_(column) {}
    int column() const noexcept { return column_; }  // 1-based, in the condition text

private:
    int column_;
};

class Condition {
public:
    Condition() = default;                   // always true
    static Condition parse(const std::string& text);  // throws ConditionError

    bool empty() const noexcept { return !root_; }
    const std::string& text() const noexcept { return text_; }
    bool holds(const Facts& facts) const;    // an empty condition holds
    // The question ids named as answers.<id>, in the order they appear.
    const std::vector<std::string>& answers_used() const noexcept { return answers_; }
    // Each (question id, value) it compares an answer with through ==, != or
    // `in`, e.g. ("nationality", "JP"): the loader checks that a choice
    // question has that value among its choices (a misspelt value never holds).
    std::vector<std::pair<std::string, std::string>> compared_values() const;
    // Every answer it names has been given (it can no longer change by answering on).
    bool decided(const Answers& given) const;

    struct Node;

private:
    std::string text_;
    std::shared_ptr<const Node> root_;
    std::vector<std::string> answers_;
};

// A form whose `when` holds, or still waits for an answer, may still apply;
// a question is asked when its own `when` holds and one of the errand's forms
// that asks it may still apply (`forms`: the `when` of each such form).
bool may_apply(const Condition& form_when, const Facts& facts);
bool question_applies(const Condition& own, const std::vector<Condition>& forms, const Facts& facts);

}  // namespace kakanai::forms
