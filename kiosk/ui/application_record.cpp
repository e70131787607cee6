#include "application_record.hpp"

#include <stdexcept>

namespace kakanai::kiosk {

store::Application to_application(const forms::Template& t, const forms::FilledForm& form, const std::string& station,
                                  Entry entry, const std::string& authenticity) {
    if (entry == Entry::Card && authenticity != "verified" && authenticity != "consistent")
        throw std::invalid_argument("card data whose authenticity is \"" + authenticity + "\" is never stored");
    if (entry == Entry::Staff && !authenticity.empty())
        throw std::invalid_argument("an application typed by staff has no card authenticity");
    store::Application app;
    app.template_id = form.template_id;
    app.template_version = form.template_version;
    app.department = t.department;
    app.station = station;
    app.card_read = entry == Entry::Card;
    app.authenticity = authenticity;
    for (const auto& f : form.fields) {
        std::string origin = forms::to_string(f.origin);
        if (entry == Entry::Staff && (f.origin == forms::Origin::Answer || f.origin == forms::Origin::Card))
            origin = "staff";
        app.fields.push_back({f.id, f.value, origin});
    }
    return app;
}

forms::FilledForm to_filled_form(const forms::Template& t, const store::Application& app) {
    forms::FilledForm out;
    out.template_id = app.template_id;
    out.template_version = app.template_version;
    for (const auto& f : t.fields) {
        forms::FilledField v;
        v.id = f.id;
        for (const auto& stored : app.fields) {
            if (stored.id != f.id) continue;
            v.value = stored.value;
            v.display = forms::display_value(f, stored.value);
            v.origin = stored.origin == "card"       ? forms::Origin::Card
                       : stored.origin == "computed" ? forms::Origin::Computed
                       : stored.value.empty()        ? forms::Origin::Empty
                                                     : forms::Origin::Answer;
            break;
        }
        out.fields.push_back(std::move(v));
    }
    // Household members' rows ("persons.2.name"), after the form's own fields as
    // prefill() puts them: the preview, the form check and the page need them.
    for (const auto& stored : app.fields) {
        const auto ref = forms::member_field(t, stored.id);
        if (!ref) continue;
        forms::FilledField v;
        v.id = stored.id;
        v.value = stored.value;
        v.display = forms::display_value(*ref->field, stored.value);
        v.origin = stored.origin == "card"       ? forms::Origin::Card
                   : stored.origin == "computed" ? forms::Origin::Computed
                   : stored.value.empty()        ? forms::Origin::Empty
                                                 : forms::Origin::Answer;
        out.fields.push_back(std::move(v));
    }
    return out;
}

}  // namespace kakanai::kiosk
