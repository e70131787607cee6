#pragma once
// Procedure form templates (assets/forms/*.toml). See docs/templates.md.
#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "kakanai/forms/condition.hpp"

namespace kakanai::forms {

// Text in the kiosk's three languages.
struct Text {
    std::string ja, en, easy;  // easy = やさしい日本語
    const std::string& in(const std::string& lang) const;  // falls back to ja
};

enum class FieldType { Text, Kana, Date, Choice, Checkbox, Number, PostalCode, Phone, Address, MyNumber, Signature };
const char* to_string(FieldType t);

// Member: a group field's value from the household member of its row
// (source_key name, kana, birth_date, sex or relationship; see Group).
enum class Source { Card, Question, Field, Today, Fixed, None, Member };

// Which box of a split address a field holds (`part = "..."` on an address
// field); see split_address() in address.hpp.
enum class AddressPart { Whole, Prefecture, City, Town, Building };
const char* to_string(AddressPart p);

struct Choice {
    std::string value;
    Text label;
};

// `override = { from = "field.X" | "answer.X", when = "F", is = "V" }`: the
// value comes from X when field F equals V and the field was left blank (with
// no `when`: instead of `from` whenever X is not empty). "answer.X" is the errand's answer to question X of
// another form (e.g. the new address a 転入届 asked for).
struct Override {
    std::string field;   // field.X: a field of this form
    std::string answer;  // answer.X: an answer of the errand
    std::string when, is;
    int line = 0;
};

struct Field {
    std::string id;
    FieldType type = FieldType::Text;
    Text label;
    Source source = Source::None;
    std::string source_key;  // card key ("name"), field id, or the fixed value
    Text question;           // for Source::Question
    Text help;
    std::vector<Choice> choices;
    std::string default_value;
    bool required = false;
    bool wareki = true;  // date fields: 和暦 unless the form asks for 西暦
    AddressPart part = AddressPart::Whole;  // address fields: one box of a split address
    std::optional<long long> min, max;      // number fields: allowed range
    std::string date_min, date_max;         // date questions: bounds, "-1y" / "+0d" / "today" / a date (inputs.hpp)
    std::string kind;                       // number fields: "fiscal_year" (the last `count` 年度, computed)
    int count = 0;                          // kind fiscal_year: how many 年度 are offered
    std::optional<Override> override_by;    // see Override
    Condition when;      // questions: asked only when this holds (empty: always)
    std::string holder_from;  // group fields: the form field whose value fills the card holder's row
    int line = 0;        // where it is defined, for messages
};

enum class Align { Left, Center, Right };

// One thing drawn on the page, in mm from the top-left corner of A4.
// kinds:
//   field   the field's display text in the box (label at the box's top-left)
//   grid    one character per cell: `cells` cells across w (postal code, 12-digit numbers)
//   check   a check mark in the box when the field is true, or equals `option`
//   circle  a ○ around the box when the field's value equals `option` (circled choices)
//   label   fixed text (`text`)
//   box     a rectangle;  line  a line from (x, y) to (x + w, y + h)
//   qr      a QR code of the application id and template id@version
//   image   a picture (`image`, PNG or JPEG, relative to the template file), e.g. the official form as background
struct LayoutItem {
    std::string kind = "field";
    std::string field;           // field, grid, check, circle
    std::string option;          // check, circle: the choice value this item stands for
    int cells = 0;               // grid
    std::string image;           // image
    Text text;                   // label
    double x = 0, y = 0, w = 0, h = 0;
    double size = 11;            // font size in pt
    Align align = Align::Left;
    bool show_label = true;      // field: print the field's label at the box's top-left
    int line = 0;
};

// `[[warning]]`: a note the staff station shows on the filled form when
// `when` holds, e.g. a 転入届 filed more than 14 days after moving in
// (`when = "days_since(answers.move_date) > 14"`). It never stops the form.
struct FormWarning {
    Condition when;
    Text text;  // ja, en, easy
    int line = 0;
};

// One problem in a template file, as "file:line: field: message".
struct TemplateProblem {
    std::filesystem::path file;
    int line = 0;
    std::string field;
    std::string message;
    std::string to_string() const;
};

// `[[group]]`: a repeating group, one row per household member (異動届: every
// person moving; 国保 取得: every person joining; 児童手当: every child).
// A member's values are form fields with ids "<group>.<n>.<field>" (n from 1,
// see member_field_id); `items` place row 1 and row n is `pitch` mm lower.
// Members beyond `max` rows go onto continuation pages that repeat the page's
// header (every item above the rows). See docs/templates.md, "Groups".
struct Group {
    std::string id;
    Text label;
    int max = 0;                    // rows on a page
    double pitch = 0;               // mm from the top of one row to the next
    bool holder = false;            // the card holder is the first member
    Condition when;                 // which members belong (evaluated per member; empty: all)
    std::vector<Field> fields;      // per member; ids unique within the group
    std::vector<LayoutItem> items;  // row 1 (field = a field of this group)
    double top = 0, bottom = 0;     // row 1's extent (mm), from its items
    int line = 0;

    const Field* field(const std::string& id) const;
};

struct Template;

// "<group>.<n>.<field>": the value of one member's field in a FilledForm.
std::string member_field_id(const std::string& group, int row, const std::string& field);
struct MemberFieldRef {
    const Group* group = nullptr;
    int row = 0;  // 1-based
    const Field* field = nullptr;
};
// Resolves "<group>.<n>.<field>"; nothing for any other id.
std::optional<MemberFieldRef> member_field(const Template& t, const std::string& id);

// `[guide]` at the end of a template: what the resident's guide slip (受付案内)
// says about this procedure. Optional; a town's config may name the counter instead.
struct Guide {
    Text counter;               // where to go, e.g. 住民課 1番窓口 (empty: the town's or the department)
    std::vector<Text> bring;    // what to bring, e.g. 通帳 (受取口座)
    int deadline_days = 0;      // 0: no deadline, else "within N days"
    Text deadline_from;         // from when, e.g. 引っ越した日から
    int order = 50;             // the slip lists procedures by this, then as chosen
};

// How the form reaches paper. Full: we draw the whole form (lines, labels and
// values) on blank paper. Overlay: only the values, at their positions, onto
// the town's pre-printed paper stock; the background scan then shows on screen
// and in previews only.
enum class PrintMode { Full, Overlay };

struct Template {
    int format = 1;  // template format version (docs/templates.md)
    std::string id;
    int version = 0;
    std::string valid_from;  // YYYY-MM-DD
    Text title;
    std::string department;
    std::string source;   // the official form or rule it follows, and where a town finds it
    std::string checked;  // YYYY-MM-DD: when the template was last compared with its source
    std::optional<long long> fee_yen;  // fee per copy, set by the town (absent: no fee)
    Condition when;       // the form is part of an errand only when this holds (empty: always)
    std::vector<FormWarning> staff_warnings;  // [[warning]] blocks
    std::optional<Guide> guide;  // [guide]
    PrintMode print = PrintMode::Full;  // `print = "full" | "overlay"`
    // `background = "file.png"`: the town's official form as a PNG or JPEG
    // (a PDF page is rasterised into one when the template is made), resolved
    // against the template's folder. Empty: none. Shown under the boxes on
    // screen and in previews; never printed.
    std::filesystem::path background;
    std::vector<Field> fields;
    std::vector<LayoutItem> layout;
    std::vector<Group> groups;  // repeating groups (household members), in file order
    std::filesystem::path file;
    // Gaps that do not stop the template from serving (missing en / easy
    // texts of the title or a question); validate reports them as problems.
    std::vector<TemplateProblem> warnings;

    // A field of the form, or a member's field "<group>.<n>.<field>" (the
    // group's field definition; its `id` is the field's id within the group).
    const Field* field(const std::string& id) const;
    const Group* group(const std::string& id) const;
};

// The fields whose `from` names this card value ("card.my_number",
// "card.name", ...), in template order: exactly the boxes that value goes
// into, never chosen by field type or position. Empty for an unknown name.
std::vector<const Field*> fields_bound_to(const Template& t, const std::string& card_value);


class TemplateError : public std::runtime_error {
public:
    explicit TemplateError(std::vector<TemplateProblem> problems);
    const std::vector<TemplateProblem>& problems() const noexcept { return problems_; }

private:
    std::vector<TemplateProblem> problems_;
};

// Loads and validates one template. Throws TemplateError listing every problem.
Template load_template(const std::filesystem::path& file);

// Checks one value against its field's type (and choices, range, required).
// Returns what is wrong in the kiosk's three languages, or nothing when the
// value is acceptable. An empty value is acceptable unless the field is required.
std::optional<Text> check_value(const Field& f, const std::string& value);

// Canonical form of a typed value: full-width digits and hyphens made ASCII,
// a 7-digit postal code written NNN-NNNN. Other values are returned unchanged.
std::string normalize_value(const Field& f, const std::string& value);

}  // namespace kakanai::forms
