// The overflow check (printing/overflow.hpp) with the editor's sample values:
// exactly the boxes printing refuses are marked, found through printing's own
// measurement.
#include <gtest/gtest.h>

#include <cstdio>
#include <set>

#include "kakanai/printing/overflow.hpp"
#include "samples.hpp"
#include "test_support.hpp"

using namespace kakanai;
using namespace kakanai::kiosk::editor;

namespace {

std::set<std::string> overflowing(const forms::Template& t, SampleSet set) {
    const auto check = printing::check_overflows(t, sample_form(t, set, "2026-12-02"));
    EXPECT_FALSE(check.pdf.empty());
    std::set<std::string> out;
    for (const auto& o : check.overflows) {
        const auto& it = o.group < 0 ? t.layout.at(static_cast<std::size_t>(o.item))
                                     : t.groups.at(static_cast<std::size_t>(o.group)).items.at(static_cast<std::size_t>(o.item));
        out.insert(it.field + " " + it.kind);
    }
    return out;
}

}  // namespace

TEST(Overflow, LongestSamplesOverflowExactlyTheSmallBoxes) {
    const auto t = forms::load_template(test::source_dir() / "tests/editor/editor_overflow.toml");
    EXPECT_EQ(overflowing(t, SampleSet::Longest),
              (std::set<std::string>{"name_small field", "address_small field", "postal_code grid"}));
    EXPECT_EQ(overflowing(t, SampleSet::Typical), (std::set<std::string>{"postal_code grid"}));
}

TEST(Overflow, EachMarkedBoxIsOneThatPrintingRefusesOnItsOwn) {
    const auto t = forms::load_template(test::source_dir() / "tests/editor/editor_overflow.toml");
    const auto form = sample_form(t, SampleSet::Longest, "2026-12-02");
    const auto check = printing::check_overflows(t, form);
    for (std::size_t i = 0; i < t.layout.size(); ++i) {
        forms::Template one = t;
        one.layout = {t.layout[i]};
        bool refused = false;
        try {
            printing::render_pdf(one, form);
        } catch (const printing::TextDoesNotFitError&) {
            refused = true;
        }
        bool marked = false;
        for (const auto& o : check.overflows) marked = marked || (o.group < 0 && o.item == static_cast<int>(i));
        EXPECT_EQ(marked, refused) << t.layout[i].field << " " << t.layout[i].kind;
    }
}

TEST(Overflow, TheCatalogueFormsRenderWithTheLongestValues) {
    // Every shipped template goes through the check without an error other than overflows.
    for (const auto& e : std::filesystem::directory_iterator(test::forms_dir())) {
        if (e.path().extension() != ".toml" || e.path().filename() == "events.toml") continue;
        const auto t = forms::load_template(e.path());
        try {
            const auto check = printing::check_overflows(t, sample_form(t, SampleSet::Longest, "2026-12-02"));
            // What a town would see in red (a note for the template's authors, not a failure).
            for (const auto& o : check.overflows) std::printf("longest values overflow %s: %s\n", t.id.c_str(), o.message.c_str());
        } catch (const std::exception& x) {
            ADD_FAILURE() << e.path() << ": " << x.what();
        }
    }
}
