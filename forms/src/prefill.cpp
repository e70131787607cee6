#include "kakanai/forms/prefill.hpp"

#include <cstring>
#include <set>

#include "kakanai/base/wipe.hpp"
#include "kakanai/forms/address.hpp"
#include "kakanai/forms/inputs.hpp"

#include "kakanai/forms/wareki.hpp"

namespace kakanai::forms {
namespace {

using base::wipe_string;

std::string card_value(const CardData& c, const std::string& key) {
    if (key == "name") return c.name;
    if (key == "address") return c.address;
    if (key == "birth_date") return c.birth_date;
    if (key == "sex") return c.sex;
    // カードあり: true only when this session read a card (not for manual entry).
    if (key == "card_read") return c.read_from_card ? "true" : "false";
    return {};  // my_number travels apart from CardData (see prefill's overload)
}

std::string display_of(const Field& f, const std::string& value) {
    if (value.empty()) return {};
    if (f.type == FieldType::Date) {
        try {
            return format_date(value, f.wareki ? DateStyle::Wareki : DateStyle::Seireki);
        } catch (const DateError&) {
            return value;
        }
    }
    if (f.kind == "fiscal_year") {
        try {
            return fiscal_year_text(std::stoi(value));  // printed in 和暦: 令和8年度
        } catch (const std::exception&) {
            return value;
        }
    }
    for (const auto& c : f.choices)
        if (c.value == value) return c.label.ja;
    if (f.type == FieldType::Checkbox) return value == "true" ? "レ" : "";
    if (f.source_key == "sex" && f.source == Source::Card) {
        if (value == "male") return "男";
        if (value == "female") return "女";
        return "";
    }
    return value;
}

}  // namespace

std::string display_value(const Field& f, const std::string& value) { return display_of(f, value); }

const char* to_string(Origin o) {
    switch (o) {
        case Origin::Card: return "card";
        case Origin::Answer: return "answer";
        case Origin::Computed: return "computed";
        case Origin::Empty: return "empty";
    }
    return "empty";
}

void CardData::wipe() noexcept {
    wipe_string(name);
    wipe_string(address);
    wipe_string(birth_date);
    wipe_string(sex);
}

const FilledField* FilledForm::find(const std::string& fid) const {
    for (const auto& f : fields)
        if (f.id == fid) return &f;
    return nullptr;
}

void FilledForm::wipe() noexcept {
    for (auto& f : fields) {
        wipe_string(f.value);
        wipe_string(f.display);
    }
    fields.clear();
}

FilledForm prefill(const Template& t, const CardData& card, const Answers& answers, const std::string& today) {
    return prefill(t, card, answers, today, std::string());
}

FilledForm prefill(const Template& t, const CardData& card, const Answers& answers, const std::string& today,
                   const std::string& my_number) {
    FilledForm out;
    out.template_id = t.id;
    out.template_version = t.version;
    const Facts facts{card.birth_date, card.sex, card.read_from_card, today, &answers};
    // Two passes: fields bound to another field copy it after the first pass.
    for (const auto& f : t.fields) {
        FilledField v;
        v.id = f.id;
        switch (f.source) {
            case Source::Card:
                v.value = f.source_key == "my_number" ? my_number : card_value(card, f.source_key);
                v.origin = card.read_from_card ? Origin::Card : Origin::Answer;
                break;
            case Source::Question:
                // A question whose `when` is false was not asked: its box stays blank, default or not.
                if (!f.when.holds(facts)) break;
                if (auto it = answers.find(f.id); it != answers.end()) {
                    v.value = normalize_value(f, it->second);
                    v.origin = Origin::Answer;
                } else if (!f.default_value.empty()) {
                    v.value = f.default_value;
                    v.origin = Origin::Computed;
                }
                break;
            case Source::Today: v.value = today; v.origin = Origin::Computed; break;
            case Source::Fixed: v.value = f.source_key; v.origin = Origin::Computed; break;
            case Source::Field:
            case Source::None: break;
        }
        if (v.value.empty() && v.origin != Origin::Empty && f.source != Source::Card) v.origin = Origin::Empty;
        out.fields.push_back(std::move(v));
    }
    // Overrides: the value comes from another field or the errand's answer
    // when the condition holds (世帯主氏名 is the resident's own name when they
    // answered 世帯主; the address answered for a move replaces the card's).
    for (std::size_t i = 0; i < t.fields.size(); ++i) {
        const Field& f = t.fields[i];
        if (!f.override_by) continue;
        const Override& o = *f.override_by;
        FilledField& v = out.fields[i];
        if (!o.when.empty()) {
            // A condition fills a box the resident left blank; what they typed stays.
            const FilledField* w = out.find(o.when);
            if (!w || w->value != o.is || !v.value.empty()) continue;
        }
        if (!o.field.empty()) {
            const FilledField* src = out.find(o.field);
            if (!src) continue;
            v.value = src->value;
            v.origin = src->origin;
        } else if (auto it = answers.find(o.answer); it != answers.end() && !it->second.empty()) {
            v.value = normalize_value(f, it->second);
            v.origin = Origin::Answer;
        }
    }
    // Copies may chain (a copy of a copy): repeat until nothing changes.
    for (std::size_t pass = 0; pass < t.fields.size(); ++pass) {
        bool changed = false;
        for (std::size_t i = 0; i < t.fields.size(); ++i) {
            const Field& f = t.fields[i];
            if (f.source != Source::Field) continue;
            const FilledField* src = out.find(f.source_key);
            if (!src || (src->value == out.fields[i].value && src->origin == out.fields[i].origin)) continue;
            out.fields[i].value = src->value;
            out.fields[i].origin = src->origin;
            changed = true;
        }
        if (!changed) break;
    }
    // Split addresses: each part box gets its part; when the rule is unsure,
    // the first part box of that address keeps the whole address.
    std::set<std::string> first_box_done;
    for (std::size_t i = 0; i < t.fields.size(); ++i) {
        const Field& f = t.fields[i];
        if (f.type != FieldType::Address || f.part == AddressPart::Whole) continue;
        std::string& value = out.fields[i].value;
        const AddressParts p = split_address(value);
        const bool first = first_box_done.insert(std::to_string(static_cast<int>(f.source)) + ":" + f.source_key).second;
        if (!p.sure) {
            if (!first) {
                value.clear();
                out.fields[i].origin = Origin::Empty;
            }
            continue;
        }
        switch (f.part) {
            case AddressPart::Prefecture: value = p.prefecture; break;
            case AddressPart::City: value = p.city; break;
            case AddressPart::Town: value = p.town; break;
            case AddressPart::Building: value = p.building; break;
            case AddressPart::Whole: break;
        }
    }
    for (std::size_t i = 0; i < t.fields.size(); ++i) out.fields[i].display = display_of(t.fields[i], out.fields[i].value);
    return out;
}

std::vector<FilledForm> prefill_errand(const std::vector<const Template*>& templates, const CardData& card,
                                       const Answers& answers, const std::string& today, const std::string& my_number) {
    std::vector<FilledForm> out;
    const Facts facts{card.birth_date, card.sex, card.read_from_card, today, &answers};
    for (const Template* t : templates)
        if (t && t->when.holds(facts)) out.push_back(prefill(*t, card, answers, today, my_number));
    return out;
}

namespace {
// What the conditions of a filled form can see: its question values as the
// answers, the card's birth date, and `today` (or the form's own date box).
Facts facts_of(const Template& t, const FilledForm& form, const std::string& today, Answers& values) {
    Facts facts;
    facts.today = today;
    for (const auto& f : t.fields) {
        const FilledField* v = form.find(f.id);
        if (!v) continue;
        // 個人番号 answers are never copied (the copy would escape FilledForm::wipe).
        if (f.source == Source::Question && f.type != FieldType::MyNumber) values[f.id] = v->value;
        if (f.source == Source::Card && f.source_key == "birth_date") facts.birth_date = v->value;
        if (f.source == Source::Card && f.source_key == "card_read") facts.card_read = v->value == "true";
        if (f.source == Source::Today && facts.today.empty()) facts.today = v->value;
    }
    facts.answers = &values;
    return facts;
}
}  // namespace

std::vector<FieldIssue> check_form(const Template& t, const FilledForm& form) {
    std::vector<FieldIssue> issues;
    Answers values;
    const Facts facts = facts_of(t, form, {}, values);
    for (const auto& f : t.fields) {
        const FilledField* v = form.find(f.id);
        const std::string value = v ? v->value : std::string();
        // A required question that was not asked (its `when` is false) stays blank.
        if (value.empty() && !f.when.empty() && !f.when.holds(facts)) continue;
        if (auto bad = check_value(f, value)) issues.push_back({f.id, *bad});
    }
    return issues;
}

std::vector<Text> form_warnings(const Template& t, const FilledForm& form, const std::string& today) {
    std::vector<Text> out;
    if (t.staff_warnings.empty()) return out;
    Answers values;
    const Facts facts = facts_of(t, form, today, values);
    for (const auto& w : t.staff_warnings)
        if (w.when.holds(facts)) out.push_back(w.text);
    return out;
}

}  // namespace kakanai::forms
