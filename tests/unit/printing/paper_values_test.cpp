// Values that would be false on paper, read back from the rendered PDF: 新世帯主
// is what the resident answered (never a copy of 世帯主), カードあり says whether
// this session read a card, 世帯主氏名 is the resident's own name when they
// answered that they are the head, and the 国保 form of a move carries the new
// address.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "kakanai/forms/catalogue.hpp"
#include "kakanai/forms/prefill.hpp"
#include "kakanai/printing/pdf.hpp"
#include "pdf_check.hpp"
#include "test_support.hpp"

using namespace kakanai;

namespace {

const std::string kToday = "2026-11-23";
const forms::CardData kCard{"架空 縫子", "東京都千代田区霞が関2丁目1番2号", "1980-02-17", "female", true};

std::string no_spaces(std::string s) {
    s.erase(std::remove(s.begin(), s.end(), ' '), s.end());
    return s;
}

// The text inside the box of a field's `field` item, its label removed.
class Printed {
public:
    Printed(const forms::Template& t, const forms::FilledForm& form) : t_(t) {
        printing::PdfOptions o;
        o.application_id = "A-0000-0002";
        const auto file = dir_ / "form.pdf";
        printing::write_file_atomic(file, printing::render_pdf(t, form, o));
        words_ = test::pdf_words(file);
    }
    std::string box(const std::string& field_id) const {
        const auto it = std::find_if(t_.layout.begin(), t_.layout.end(),
                                     [&](const forms::LayoutItem& i) { return i.kind == "field" && i.field == field_id; });
        if (it == t_.layout.end()) return "<no box>";
        std::vector<const test::Word*> in;
        for (const auto& w : words_) {
            const double cx = (w.x0 + w.x1) / 2, cy = (w.y0 + w.y1) / 2;
            if (cx >= it->x && cx <= it->x + it->w && cy >= it->y && cy <= it->y + it->h) in.push_back(&w);
        }
        std::sort(in.begin(), in.end(), [](const test::Word* a, const test::Word* b) {
            return std::abs(a->y0 - b->y0) > 1.0 ? a->y0 < b->y0 : a->x0 < b->x0;
        });
        std::string text;
        for (const auto* w : in) text += w->text;
        text = no_spaces(text);
        const std::string label = no_spaces(t_.field(field_id)->label.ja);
        if (text.rfind(label, 0) == 0) text.erase(0, label.size());
        return text;
    }

private:
    const forms::Template& t_;
    test::TempDir dir_;
    std::vector<test::Word> words_;
};

forms::Template load(const std::string& id) { return forms::load_template(test::forms_dir() / (id + ".toml")); }

}  // namespace

TEST(PaperValues, NewHeadOfHouseholdIsAskedNeverCopied) {
    for (const std::string id : {"tennyu", "tenkyo", "tenshutsu"}) {
        const auto t = load(id);
        ASSERT_EQ(t.field("new_household_head")->source, forms::Source::Question) << id;
        const forms::Answers head_only{{"household_head", "世帯 主男"}, {"relationship", "spouse"}};
        const auto blank = forms::prefill(t, kCard, head_only, kToday);
        EXPECT_EQ(Printed(t, blank).box("new_household_head"), "") << id;
        EXPECT_EQ(Printed(t, blank).box("household_head"), "世帯主男") << id;
        forms::Answers both = head_only;
        both["new_household_head"] = "新規 主子";
        EXPECT_EQ(Printed(t, forms::prefill(t, kCard, both, kToday)).box("new_household_head"), "新規主子") << id;
    }
}

TEST(PaperValues, CardHolderBoxFollowsTheSession) {
    for (const std::string id : {"tennyu", "tenkyo", "tenshutsu"}) {
        const auto t = load(id);
        EXPECT_EQ(Printed(t, forms::prefill(t, kCard, {}, kToday)).box("has_my_number_card"), "レ") << id;
        forms::CardData manual = kCard;
        manual.read_from_card = false;  // typed by staff: no card was read
        const auto f = forms::prefill(t, manual, {}, kToday);
        EXPECT_EQ(f.find("has_my_number_card")->value, "false") << id;
        EXPECT_EQ(Printed(t, f).box("has_my_number_card"), "") << id;
    }
}

TEST(PaperValues, HeadOfHouseholdIsTheResidentWhenTheyAnsweredHead) {
    for (const std::string id : {"kokuho_shutoku", "tennyu", "tenkyo", "tenshutsu"}) {
        const auto t = load(id);
        const auto head = forms::prefill(t, kCard, {{"relationship", "head"}}, kToday);
        EXPECT_EQ(Printed(t, head).box("household_head"), "架空縫子") << id;
        // Someone else's household: what the resident typed.
        const auto other = forms::prefill(t, kCard, {{"relationship", "child"}, {"household_head", "世帯 主男"}}, kToday);
        EXPECT_EQ(Printed(t, other).box("household_head"), "世帯主男") << id;
    }
}

TEST(PaperValues, HealthInsuranceOfAMoveCarriesTheNewAddress) {
    const auto catalogue = forms::Catalogue::load(test::forms_dir(), kToday);
    const auto ev = std::find_if(catalogue.events().begin(), catalogue.events().end(),
                                 [](const forms::LifeEvent& e) { return e.id == "moving_in"; });
    ASSERT_NE(ev, catalogue.events().end());
    std::vector<const forms::Template*> templates;
    for (const auto& id : ev->template_ids) templates.push_back(catalogue.find(id));
    const forms::Template* kokuho = catalogue.find("kokuho_shutoku");
    ASSERT_NE(kokuho, nullptr);
    const forms::Answers answers{
        {"new_address", "北海道札幌市中央区北一条西2丁目1番地"}, {"relationship", "head"}, {"employer_insurance", "no"}};
    const auto forms = forms::prefill_errand(templates, kCard, answers, kToday);
    const auto it = std::find_if(forms.begin(), forms.end(), [](const forms::FilledForm& f) { return f.template_id == "kokuho_shutoku"; });
    ASSERT_NE(it, forms.end());
    const std::string box = Printed(*kokuho, *it).box("applicant_address");
    EXPECT_EQ(box, "北海道札幌市中央区北一条西2丁目1番地");
    EXPECT_EQ(box.find("千代田区"), std::string::npos);
    // Without a move (joining after leaving a job) the card's address stays.
    const auto stay = forms::prefill(*kokuho, kCard, {{"acquired_reason", "left_job_insurance"}}, kToday);
    EXPECT_EQ(Printed(*kokuho, stay).box("applicant_address"), "東京都千代田区霞が関2丁目1番2号");
}
