#include "samples.hpp"

#include <algorithm>

#include "kakanai/base/utf8.hpp"
#include "kakanai/forms/inputs.hpp"

namespace kakanai::kiosk::editor {
namespace {

std::size_t chars(const std::string& s) { return base::decode_utf8(s).size(); }

std::string longest_choice(const forms::Field& f) {
    const forms::Choice* best = nullptr;
    for (const auto& c : f.choices)
        if (!best || chars(c.label.ja) > chars(best->label.ja)) best = &c;
    return best ? best->value : "";
}

std::string answer_for(const forms::Field& f, SampleSet set, const std::string& today) {
    using forms::FieldType;
    const bool longest = set == SampleSet::Longest;
    switch (f.type) {
        case FieldType::Text:
            return longest ? "町内会の集会所で行う地域の行事に関する長い回答の見本です。" : "（見本）" + f.label.ja;
        case FieldType::Kana: return longest ? kLongestKana : "ミホン タロウ";
        case FieldType::Date: return longest ? "1988-12-28" : "2000-04-01";  // 昭和63年12月28日: a long 和暦 date
        case FieldType::Choice:
            if (longest) return longest_choice(f);
            return f.default_value.empty() ? (f.choices.empty() ? "" : f.choices.front().value) : f.default_value;
        case FieldType::Checkbox: return "true";
        case FieldType::Number:
            if (f.kind == "fiscal_year") return std::to_string(forms::fiscal_year_of(today));
            if (f.max) return std::to_string(longest ? *f.max : std::max(f.min.value_or(1), 1LL));
            return longest ? "9999999999" : "1";
        case FieldType::PostalCode: return longest ? "999-9999" : "100-0001";
        case FieldType::Phone: return longest ? "090-9999-9999" : "03-0000-0000";
        case FieldType::Address: return longest ? kLongestAddress : "北海道札幌市中央区北1条西2丁目 見本ビル101";
        case FieldType::MyNumber: return "123456789018";  // invented; its check digit is valid
        case FieldType::Signature: return "";
    }
    return "";
}

}  // namespace

const char* to_string(SampleSet s) { return s == SampleSet::Longest ? "longest" : "typical"; }

forms::FilledForm sample_form(const forms::Template& t, SampleSet set, const std::string& today_iso) {
    const bool longest = set == SampleSet::Longest;
    // Today: the longest 和暦 date of this era's years when asked for the longest values.
    const std::string today = longest ? "2030-12-28" : today_iso;
    forms::CardData card{longest ? kLongestName : "見本 太郎",
                         longest ? kLongestAddress : "北海道札幌市中央区北1条西2丁目 見本ビル101",
                         longest ? "1988-12-28" : "1960-04-01", "male", true};
    forms::Answers answers;
    for (const auto& f : t.fields)
        if (f.source == forms::Source::Question) answers[f.id] = answer_for(f, set, today);
    forms::Household household;
    int rows = 0;
    for (const auto& g : t.groups) rows = std::max(rows, longest ? g.max : std::min(g.max, 2));
    for (int i = 1; i < rows; ++i) {  // the card holder is the first row where a group says holder
        forms::Member m;
        m.name = longest ? kLongestName : "見本 花子";
        m.kana = longest ? kLongestKana : "ミホン ハナコ";
        m.birth_date = longest ? "1988-12-28" : "1985-06-01";
        m.sex = "female";
        m.relationship = "child";
        for (const auto& g : t.groups)
            for (const auto& f : g.fields) {
                if (f.source == forms::Source::Question) m.answers[f.id] = answer_for(f, set, today);
                if (f.source == forms::Source::Member && f.source_key == "relationship" && longest)
                    m.relationship = longest_choice(f);
            }
        household.push_back(std::move(m));
    }
    for (const auto& g : t.groups)
        for (const auto& f : g.fields)
            if (f.source == forms::Source::Question && !answers.count(f.id)) answers[f.id] = answer_for(f, set, today);
    forms::FilledForm form = forms::prefill(t, card, answers, today, "123456789018", household);
    forms::wipe(household);
    return form;
}

}  // namespace kakanai::kiosk::editor
