#include "kakanai/forms/prefill.hpp"

#include <algorithm>
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
    if (f.source_key == "sex" && (f.source == Source::Card || f.source == Source::Member)) {
        if (value == "male") return "男";
        if (value == "female") return "女";
        return "";
    }
    return value;
}

std::string member_value(const Member& m, const std::string& key) {
    if (key == "name") return m.name;
    if (key == "kana") return m.kana;
    if (key == "birth_date") return m.birth_date;
    if (key == "sex") return m.sex;
    if (key == "relationship") return m.relationship;
    return {};
}

// The card holder as a member of a `holder = true` group: the card's facts,
// and the form's own fields where a group field names one (`holder`).
Member holder_member(const Group& g, const CardData& card, const Answers& answers, const FilledForm& form) {
    Member h{card.name, {}, card.birth_date, card.sex, {}, card.read_from_card, answers};
    for (const auto& f : g.fields) {
        if (f.holder_from.empty()) continue;
        const FilledField* src = form.find(f.holder_from);
        if (!src) continue;
        if (f.source == Source::Member && f.source_key == "kana") h.kana = src->value;
        else if (f.source == Source::Member && f.source_key == "relationship") h.relationship = src->value;
    }
    return h;
}

void add_row(const Group& g, int row, const Member& m, bool holder, const FilledForm& form, FilledForm& out) {
    for (const auto& f : g.fields) {
        FilledField v;
        v.id = member_field_id(g.id, row, f.id);
        const FilledField* copied = holder && !f.holder_from.empty() ? form.find(f.holder_from) : nullptr;
        if (copied) {
            v.value = copied->value;
            v.origin = copied->origin;
        } else if (f.source == Source::Member) {
            v.value = member_value(m, f.source_key);
            v.origin = m.read_from_card && f.source_key != "kana" && f.source_key != "relationship" ? Origin::Card
                                                                                                   : Origin::Answer;
        } else if (f.source == Source::Question) {
            if (auto it = m.answers.find(f.id); it != m.answers.end()) v.value = normalize_value(f, it->second);
            v.origin = Origin::Answer;
        } else if (f.source == Source::Fixed) {
            v.value = f.source_key;
            v.origin = Origin::Computed;
        }
        if (v.value.empty()) v.origin = Origin::Empty;
        v.display = display_of(f, v.value);
        out.fields.push_back(std::move(v));
    }
}

// One row per member the group's `when` admits, in household order.
void fill_group(const Group& g, const CardData& card, const Answers& answers, const std::string& today,
                const Household& household, FilledForm& out) {
    int row = 0;
    Answers merged;
    if (g.holder) {
        Member h = holder_member(g, card, answers, out);
        if (g.when.holds(member_facts(h, answers, today, merged))) add_row(g, ++row, h, true, out, out);
        h.wipe();
    }
    for (const Member& m : household)
        if (g.when.holds(member_facts(m, answers, today, merged))) add_row(g, ++row, m, false, out, out);
    for (auto& [k, v] : merged) wipe_string(v);
}

}  // namespace

void Member::wipe() noexcept {
    wipe_string(name);
    wipe_string(kana);
    wipe_string(birth_date);
    wipe_string(sex);
    wipe_string(relationship);
    for (auto& [k, v] : answers) wipe_string(v);
    answers.clear();
}

void wipe(Household& household) noexcept {
    for (auto& m : household) m.wipe();
    household.clear();
}

Facts member_facts(const Member& m, const Answers& errand, const std::string& today, Answers& merged) {
    for (auto& [k, v] : merged) wipe_string(v);
    merged = errand;
    for (const auto& [k, v] : m.answers) merged[k] = v;
    Facts f{m.birth_date, m.sex, m.read_from_card, today, &merged};
    f.relationship = m.relationship;
    return f;
}

int member_rows(const FilledForm& form, const std::string& group) {
    int rows = 0;
    const std::string prefix = group + ".";
    for (const auto& f : form.fields) {
        if (f.id.compare(0, prefix.size(), prefix) != 0) continue;
        const auto dot = f.id.find('.', prefix.size());
        if (dot == std::string::npos) continue;
        int n = 0;
        for (std::size_t i = prefix.size(); i < dot && n < 100000; ++i) {
            if (f.id[i] < '0' || f.id[i] > '9') {
                n = 0;
                break;
            }
            n = n * 10 + (f.id[i] - '0');
        }
        rows = std::max(rows, n);
    }
    return rows;
}

bool form_applies(const Template& t, const CardData& card, const Answers& answers, const std::string& today,
                  const Household& household) {
    if (t.when.holds(Facts{card.birth_date, card.sex, card.read_from_card, today, &answers})) return true;
    if (t.groups.empty()) return false;
    Answers merged;
    bool any = false;
    for (const Member& m : household) any = any || t.when.holds(member_facts(m, answers, today, merged));
    for (auto& [k, v] : merged) wipe_string(v);
    return any;
}

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
    return prefill(t, card, answers, today, my_number, Household{});
}

FilledForm prefill(const Template& t, const CardData& card, const Answers& answers, const std::string& today,
                   const std::string& my_number, const Household& household) {
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
            case Source::None:
            case Source::Member: break;
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
    for (const Group& g : t.groups) fill_group(g, card, answers, today, household, out);
    return out;
}

std::vector<FilledForm> prefill_errand(const std::vector<const Template*>& templates, const CardData& card,
                                       const Answers& answers, const std::string& today, const std::string& my_number,
                                       const Household& household) {
    std::vector<FilledForm> out;
    for (const Template* t : templates)
        if (t && form_applies(*t, card, answers, today, household))
            out.push_back(prefill(*t, card, answers, today, my_number, household));
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
    // Members' rows: each value against its group field.
    for (std::size_t i = t.fields.size(); i < form.fields.size(); ++i)
        if (const auto ref = member_field(t, form.fields[i].id))
            if (auto bad = check_value(*ref->field, form.fields[i].value)) issues.push_back({form.fields[i].id, *bad});
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
