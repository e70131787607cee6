#include <gtest/gtest.h>

#include "application_record.hpp"
#include "test_support.hpp"

using namespace kakanai;

namespace {

forms::FilledForm juminhyo_form(const forms::Template& t) {
    const forms::CardData card{"記録 太郎", "東京都千代田区霞が関1丁目1番1号", "1950-04-01", "male", true};
    return forms::prefill(t, card, {{"applicant_kana", "キロク タロウ"}}, "2026-11-23");
}

std::string origin_of(const store::Application& a, const std::string& id) {
    for (const auto& f : a.fields)
        if (f.id == id) return f.origin;
    return "(missing)";
}

}  // namespace

// One conversion for the kiosk and the staff station: department from the
// template, and what staff typed marked as theirs.
TEST(ApplicationRecord, CarriesTheDepartmentAndWhoEnteredTheValues) {
    const forms::Template t = forms::load_template(test::forms_dir() / "juminhyo.toml");
    forms::FilledForm form = juminhyo_form(t);
    const store::Application kiosk = kiosk::to_application(t, form, "kiosk-1", kiosk::Entry::Card, "verified");
    EXPECT_EQ(kiosk.template_id, "juminhyo");
    EXPECT_EQ(kiosk.template_version, t.version);
    EXPECT_EQ(kiosk.department, "住民課");
    EXPECT_EQ(kiosk.station, "kiosk-1");
    EXPECT_TRUE(kiosk.card_read);
    EXPECT_EQ(kiosk.authenticity, "verified");
    EXPECT_EQ(origin_of(kiosk, "applicant_name"), "card");
    EXPECT_EQ(origin_of(kiosk, "applicant_kana"), "answer");
    EXPECT_EQ(origin_of(kiosk, "request_date"), "computed");

    const store::Application typed = kiosk::to_application(t, form, "counter-2", kiosk::Entry::Staff);
    EXPECT_EQ(typed.department, "住民課");
    EXPECT_FALSE(typed.card_read);
    EXPECT_EQ(typed.authenticity, "");
    EXPECT_EQ(origin_of(typed, "applicant_name"), "staff");
    EXPECT_EQ(origin_of(typed, "applicant_kana"), "staff");
    EXPECT_EQ(origin_of(typed, "request_date"), "computed");  // dates and fixed texts stay computed
    form.wipe();
}

// Back from the store: the values and how they print (和暦), every field of the template.
TEST(ApplicationRecord, StoredValuesComeBackAsTheFilledForm) {
    const forms::Template t = forms::load_template(test::forms_dir() / "juminhyo.toml");
    forms::FilledForm form = juminhyo_form(t);
    const store::Application app = kiosk::to_application(t, form, "kiosk-1", kiosk::Entry::Card, "verified");
    forms::FilledForm back = kiosk::to_filled_form(t, app);
    EXPECT_EQ(back.template_id, "juminhyo");
    ASSERT_EQ(back.fields.size(), t.fields.size());
    for (const auto& f : form.fields) {
        const forms::FilledField* b = back.find(f.id);
        ASSERT_NE(b, nullptr) << f.id;
        EXPECT_EQ(b->value, f.value) << f.id;
        EXPECT_EQ(b->display, f.display) << f.id;
    }
    EXPECT_EQ(back.find("applicant_name")->origin, forms::Origin::Card);
    EXPECT_EQ(back.find("request_date")->origin, forms::Origin::Computed);
    form.wipe();
    back.wipe();
}

// Every card-read application carries its authenticity result, and only a
// passing one: data that failed the check never becomes an application.
TEST(ApplicationRecord, CardDataNeedsAPassingAuthenticityResult) {
    const forms::Template t = forms::load_template(test::forms_dir() / "juminhyo.toml");
    forms::FilledForm form = juminhyo_form(t);
    EXPECT_EQ(kiosk::to_application(t, form, "kiosk-1", kiosk::Entry::Card, "consistent").authenticity, "consistent");
    for (const char* failed : {"hash_mismatch", "signature_invalid", "not_checked", ""})
        EXPECT_THROW(kiosk::to_application(t, form, "kiosk-1", kiosk::Entry::Card, failed), std::invalid_argument)
            << failed;
    EXPECT_THROW(kiosk::to_application(t, form, "counter-2", kiosk::Entry::Staff, "verified"), std::invalid_argument);
    form.wipe();
}

// A household's member rows ("persons.2.name") come back too, after the form's
// own fields: the staff station's preview, form check and page need them.
TEST(ApplicationRecord, MemberRowsComeBackFromTheStore) {
    const forms::Template t = forms::load_template(test::forms_dir() / "tennyu.toml");
    const forms::CardData card{"記録 花子", "東京都千代田区霞が関1丁目1番1号", "1980-02-17", "female", true};
    forms::Household household(2);
    household[0].name = "記録 太郎";
    household[0].birth_date = "1978-06-01";
    household[0].relationship = "spouse";
    household[0].read_from_card = true;
    household[1].birth_date = "2018-05-05";  // no card: the name is typed at the counter
    household[1].relationship = "child";
    forms::FilledForm form = forms::prefill(t, card, {{"relationship", "head"}}, "2026-12-02", {}, household);
    const store::Application app = kiosk::to_application(t, form, "kiosk-1", kiosk::Entry::Card, "verified");
    forms::FilledForm back = kiosk::to_filled_form(t, app);
    EXPECT_EQ(forms::member_rows(back, "persons"), 3);
    ASSERT_NE(back.find("persons.2.name"), nullptr);
    EXPECT_EQ(back.find("persons.2.name")->value, "記録 太郎");
    EXPECT_EQ(back.find("persons.2.name")->origin, forms::Origin::Card);
    EXPECT_EQ(back.find("persons.3.relationship")->display, "子");
    EXPECT_EQ(back.find("persons.3.name")->origin, forms::Origin::Empty);
    // The empty name is what the form check flags, as for any required box.
    bool flagged = false;
    for (const auto& i : forms::check_form(t, back)) flagged = flagged || i.field == "persons.3.name";
    EXPECT_TRUE(flagged);
    form.wipe();
    back.wipe();
    forms::wipe(household);
}
