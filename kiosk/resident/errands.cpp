#include "errands.hpp"

namespace kakanai::kiosk {
namespace {

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
        QuestionSpec q;
        q.id = f->id;
        q.kind = question_kind(*f);
        q.default_value = f->default_value;
        q.required = f->required;
        if (f->type == forms::FieldType::Choice)
            for (const auto& c : f->choices) q.choices.push_back(c.value);
        // Text and addresses need a keyboard: staff ask them at the
        // counter, so the resident is not stopped by a screen that only says so.
        if (q.kind == "staff") continue;
        e.questions.push_back(std::move(q));
        e.when.push_back({f->when, forms::form_conditions_of(f->id, templates)});
    }
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
