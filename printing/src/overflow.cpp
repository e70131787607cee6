#include "kakanai/printing/overflow.hpp"

#include <set>
#include <utility>

namespace kakanai::printing {
namespace {

using Ref = std::pair<int, int>;  // (group or -1, item)

// The template without the items set aside.
forms::Template without(const forms::Template& t, const std::set<Ref>& aside) {
    forms::Template out = t;
    out.layout.clear();
    for (std::size_t i = 0; i < t.layout.size(); ++i)
        if (!aside.count({-1, static_cast<int>(i)})) out.layout.push_back(t.layout[i]);
    for (std::size_t g = 0; g < t.groups.size(); ++g) {
        out.groups[g].items.clear();
        for (std::size_t i = 0; i < t.groups[g].items.size(); ++i)
            if (!aside.count({static_cast<int>(g), static_cast<int>(i)})) out.groups[g].items.push_back(t.groups[g].items[i]);
    }
    return out;
}

// The template holding only one item (its group kept for the rows).
forms::Template only(const forms::Template& t, Ref r) {
    forms::Template out = t;
    out.layout.clear();
    for (auto& g : out.groups) g.items.clear();
    if (r.first < 0) out.layout.push_back(t.layout[static_cast<std::size_t>(r.second)]);
    else out.groups[static_cast<std::size_t>(r.first)].items.push_back(
        t.groups[static_cast<std::size_t>(r.first)].items[static_cast<std::size_t>(r.second)]);
    return out;
}

// The items that could have raised an overflow for `field_id` (labels: "").
std::vector<Ref> candidates(const forms::Template& t, const std::string& field_id, const std::set<Ref>& aside) {
    std::vector<Ref> out;
    for (std::size_t i = 0; i < t.layout.size(); ++i) {
        const auto& it = t.layout[i];
        const bool match = field_id.empty() ? it.kind == "label" : it.field == field_id;
        if (match && !aside.count({-1, static_cast<int>(i)})) out.push_back({-1, static_cast<int>(i)});
    }
    const auto ref = forms::member_field(t, field_id);
    for (std::size_t g = 0; g < t.groups.size(); ++g)
        for (std::size_t i = 0; i < t.groups[g].items.size(); ++i) {
            const auto& it = t.groups[g].items[i];
            // Printing names a row's field by its id within the group ("name").
            const bool match = ref ? ref->group == &t.groups[g] && ref->field && it.field == ref->field->id
                                   : field_id.empty() ? it.kind == "label" : it.field == field_id;
            if (match && !aside.count({static_cast<int>(g), static_cast<int>(i)}))
                out.push_back({static_cast<int>(g), static_cast<int>(i)});
        }
    return out;
}

}  // namespace

OverflowCheck check_overflows(const forms::Template& t, const forms::FilledForm& form, const PdfOptions& options) {
    OverflowCheck out;
    std::set<Ref> aside;
    const std::size_t total = t.layout.size() + [&] {
        std::size_t n = 0;
        for (const auto& g : t.groups) n += g.items.size();
        return n;
    }();
    for (std::size_t round = 0; round <= total; ++round) {
        try {
            out.pdf = render_pdf(without(t, aside), form, options);
            return out;
        } catch (const TextDoesNotFitError& e) {
            const auto found = candidates(t, e.field_id(), aside);
            bool any = false;
            for (const Ref& r : found) {
                if (found.size() > 1) {
                    try {
                        render_pdf(only(t, r), form, options);
                        continue;  // this one fits: another item of the field overflows
                    } catch (const TextDoesNotFitError&) {
                    }
                }
                aside.insert(r);
                out.overflows.push_back({r.first, r.second, e.field_id(), e.what()});
                any = true;
            }
            if (!any) throw;
        }
    }
    throw PrintError("the overflow check did not settle for template " + t.id);
}

}  // namespace kakanai::printing
