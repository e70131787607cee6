#include "errands.hpp"

#include <algorithm>
#include <set>

namespace kakanai::kiosk {
namespace {

// A certificate (a form issued for a fee per copy) with a usual answer: the
// question goes on the "what do you need" screen with that answer chosen.
bool on_needs_screen(const forms::Template& form, const forms::Field& field, const std::string& kind) {
    return form.fee_yen.has_value() && !field.default_value.empty() &&
           (kind == "choice" || kind == "number" || kind == "yes_no");
}

// Whose certificates: in an errand of several certificates, the first question
// whose usual answer is 本人 (住民票's 本人のみ) answers it for the others. After
// 本人 their own 本人 questions (戸籍's and 所得証明's relationship, 印鑑証明's
// 来庁者) do not apply: not asked, their default (本人) goes on the form.
void follow_first_self(Errand& e) {
    auto self_by_default = [](const QuestionSpec& q) {
        return q.grouped && q.kind == "choice" && q.default_value == "self" &&
               std::find(q.choices.begin(), q.choices.end(), "self") != q.choices.end();
    };
    std::set<std::string> certificates;
    for (const auto& q : e.questions)
        if (q.grouped) certificates.insert(q.form);
    if (certificates.size() < 2) return;
    const auto first = std::find_if(e.questions.begin(), e.questions.end(), self_by_default);
    if (first == e.questions.end()) return;
    const std::string unless_self = "answers." + first->id + " != 'self'";
    for (std::size_t i = static_cast<std::size_t>(first - e.questions.begin()) + 1; i < e.questions.size(); ++i) {
        const QuestionSpec& q = e.questions[i];
        if (!self_by_default(q) || q.form == first->form) continue;
        forms::Condition& own = e.when[i].own;
        own = forms::Condition::parse(own.empty() ? unless_self : "(" + own.text() + ") and " + unless_self);
    }
}

// Households: the household step takes up to the largest group's `max` members,
// and a group's own choice questions are asked once per member (the card
// holder's question of the same id first, when a form asks it of the holder).
void add_member_questions(Errand& e, const std::vector<const forms::Template*>& templates) {
    for (const forms::Template* t : templates)
        for (const forms::Group& g : t->groups) {
            e.member_max = std::max(e.member_max, g.max);
            for (const forms::Field& f : g.fields) {
                if (f.source != forms::Source::Question) continue;
                const std::string kind = question_kind(f);
                if (kind != "choice" && kind != "yes_no") continue;  // a member's answer is a tap, not typing
                std::size_t i = 0;
                while (i < e.questions.size() && e.questions[i].id != f.id) ++i;
                if (i == e.questions.size()) {
                    QuestionSpec q;
                    q.id = f.id;
                    q.kind = kind;
                    for (const auto& c : f.choices) q.choices.push_back(c.value);
                    q.form = t->id;
                    q.holder_asks = false;
                    e.questions.push_back(std::move(q));
                    e.when.push_back({f.when, {t->when}});
                }
                e.questions[i].per_member = true;
                e.when[i].groups.push_back(g.when);
            }
        }
}

Errand make_errand(const forms::Catalogue& catalogue, std::string id, const std::vector<std::string>& template_ids) {
    Errand e;
    e.id = std::move(id);
    std::vector<const forms::Template*> templates;
    for (const auto& t : template_ids)
        if (const forms::Template* p = catalogue.find(t)) {
            templates.push_back(p);
            e.template_ids.push_back(t);
        }
    for (const forms::Field* f : forms::questions_for(templates)) {
        const std::string kind = question_kind(*f);
        // Text and addresses need a keyboard: staff ask them at the
        // counter, so the resident is not stopped by a screen that only says so.
        if (kind == "staff") continue;
        // Every form of the errand that asks this question; the first one shows it.
        std::vector<const forms::Template*> askers;
        for (const forms::Template* t : templates)
            if (const forms::Field* g = t->field(f->id); g && g->source == forms::Source::Question) askers.push_back(t);
        if (askers.empty()) continue;
        // A certificate's フリガナ only lets staff call the resident by name; the
        // visit's number does that now, so a certificate leaves it to the counter
        // (an 異動届 asks it on the kana pad: it goes on the record).
        if (kind == "kana" &&
            std::all_of(askers.begin(), askers.end(), [](const forms::Template* t) { return t->fee_yen.has_value(); }))
            continue;
        auto spec = [&](const forms::Field& field, const forms::Template& form) {
            QuestionSpec q;
            q.id = field.id;
            q.kind = kind;
            q.default_value = field.default_value;
            q.required = field.required;
            if (field.type == forms::FieldType::Choice)
                for (const auto& c : field.choices) q.choices.push_back(c.value);
            q.form = form.id;
            q.grouped = on_needs_screen(form, field, kind);
            return q;
        };
        QuestionSpec first = spec(*f, *askers.front());
        if (first.grouped && kind == "number" && askers.size() > 1) {
            // A count belongs to one certificate: each form asks its own (何通 per certificate).
            for (const forms::Template* t : askers) {
                QuestionSpec q = spec(*t->field(f->id), *t);
                q.per_form = q.grouped;
                e.questions.push_back(std::move(q));
                e.when.push_back({t->field(f->id)->when, {t->when}});
            }
            continue;
        }
        e.questions.push_back(std::move(first));
        e.when.push_back({f->when, forms::form_conditions_of(f->id, templates)});
    }
    add_member_questions(e, templates);
    follow_first_self(e);
    return e;
}

}  // namespace

std::string question_kind(forms::FieldType type) {
    using T = forms::FieldType;
    switch (type) {
        case T::Choice: return "choice";
        case T::Number: return "number";
        case T::Phone:
        case T::PostalCode: return "digits";
        case T::Checkbox: return "yes_no";
        case T::Date: return "date";
        case T::Kana: return "kana";
        default: return "staff";
    }
}

std::string question_kind(const forms::Field& f) {
    if (f.kind == "fiscal_year") return "fiscal_year";
    // A small count with both ends given (通数 1-20) keeps its -/+ counter, which
    // starts at its default; anything else (登録番号, amounts) gets the digit pad.
    if (f.type == forms::FieldType::Number && !(f.min && f.max && *f.max - *f.min <= 20)) return "number_pad";
    return question_kind(f.type);
}

std::vector<Errand> build_errands(const forms::Catalogue& catalogue) {
    std::vector<Errand> out;
    auto add = [&](Errand e) {
        if (!e.template_ids.empty()) out.push_back(std::move(e));
    };
    for (const auto& event : catalogue.events()) add(make_errand(catalogue, event.id, event.template_ids));
    for (const forms::Template* t : catalogue.templates()) add(make_errand(catalogue, "form:" + t->id, {t->id}));
    return out;
}

}  // namespace kakanai::kiosk
