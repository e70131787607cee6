#include <gtest/gtest.h>

#include <fstream>

#include "errands.hpp"
#include "kakanai/forms/prefill.hpp"
#include "test_support.hpp"

using namespace kakanai;
using kiosk::build_errands;

// Which fields the kiosk asks, and how; the rest need a keyboard and are left to staff.
TEST(Errands, QuestionKindPerFieldType) {
    using T = forms::FieldType;
    const std::pair<T, const char*> table[] = {
        {T::Choice, "choice"},  {T::Number, "number"}, {T::Phone, "digits"},        {T::PostalCode, "digits"},
        {T::Checkbox, "yes_no"}, {T::Text, "staff"},    {T::Kana, "kana"},           {T::Date, "date"},
        {T::Address, "staff"},  {T::MyNumber, "staff"}, {T::Signature, "staff"},
    };
    for (const auto& [type, kind] : table) EXPECT_EQ(kiosk::question_kind(type), kind) << forms::to_string(type);
}

// Numbers get the digit pad, except a small count with both ends (通数 1-20),
// which keeps its counter; 年度 is the computed list.
TEST(Errands, QuestionKindOfAField) {
    const forms::Template inkan = forms::load_template(test::forms_dir() / "inkan.toml");
    EXPECT_EQ(kiosk::question_kind(*inkan.field("inkan_card_number")), "number_pad");
    EXPECT_EQ(kiosk::question_kind(*inkan.field("copies")), "number");
    const forms::Template shotoku = forms::load_template(test::forms_dir() / "shotoku.toml");
    EXPECT_EQ(kiosk::question_kind(*shotoku.field("fiscal_year")), "fiscal_year");
    const forms::Template tennyu = forms::load_template(test::forms_dir() / "tennyu.toml");
    EXPECT_EQ(kiosk::question_kind(*tennyu.field("move_date")), "date");
    EXPECT_EQ(kiosk::question_kind(*tennyu.field("applicant_kana")), "kana");
}

// Life events first (without the forms that are missing), then each form alone;
// an event with no form left is not offered.
TEST(Errands, LifeEventsThenSingleFormsWithTheKiosksQuestions) {
    test::TempDir dir;
    std::filesystem::copy(test::forms_dir() / "juminhyo.toml", dir / "juminhyo.toml");
    std::ofstream(dir / "events.toml")
        << "[[events]]\nid = \"moving\"\nicon = \"moving\"\ntitle = { ja = \"引っ越し\", en = \"Moving\", easy = \"ひっこし\" }\n"
           "forms = [\"tenkyo\", \"juminhyo\"]\n\n"
           "[[events]]\nid = \"gone\"\nicon = \"moving\"\ntitle = { ja = \"無い\", en = \"None\", easy = \"ない\" }\n"
           "forms = [\"tenkyo\"]\n";
    const forms::Catalogue catalogue = forms::Catalogue::load(dir.path(), "2026-11-23");
    const std::vector<kiosk::Errand> errands = build_errands(catalogue);
    ASSERT_EQ(errands.size(), 2u);
    EXPECT_EQ(errands[0].id, "moving");
    EXPECT_EQ(errands[0].template_ids, std::vector<std::string>{"juminhyo"});
    EXPECT_EQ(errands[1].id, "form:juminhyo");
    EXPECT_EQ(errands[1].template_ids, std::vector<std::string>{"juminhyo"});

    struct Want {
        const char* id;
        const char* kind;
        const char* default_value;
        bool required;
        std::size_t choices;
    };
    // juminhyo.toml's questions in file order; target_name and submit_to (text)
    // are asked by staff, and so is the certificate's フリガナ (the visit's number
    // calls the resident).
    const Want want[] = {
        {"applicant_phone", "digits", "", false, 0},      {"scope", "choice", "self", true, 5},
        {"copies", "number", "1", true, 0},               {"relation_to_applicant", "choice", "self", false, 6},
        {"purpose", "choice", "other", true, 6},          {"include_relationship", "yes_no", "false", false, 0},
        {"include_honseki", "yes_no", "false", false, 0}, {"include_my_number", "yes_no", "false", false, 0},
        {"include_juminhyo_code", "yes_no", "false", false, 0},
    };
    for (const kiosk::Errand& e : errands) {
        ASSERT_EQ(e.questions.size(), std::size(want)) << e.id;
        for (std::size_t i = 0; i < std::size(want); ++i) {
            const kiosk::QuestionSpec& q = e.questions[i];
            EXPECT_EQ(q.id, want[i].id) << e.id;
            EXPECT_EQ(q.kind, want[i].kind) << q.id;
            EXPECT_EQ(q.default_value, want[i].default_value) << q.id;
            EXPECT_EQ(q.required, want[i].required) << q.id;
            EXPECT_EQ(q.choices.size(), want[i].choices) << q.id;
        }
    }
    EXPECT_EQ(errands[1].questions[1].choices.front(), "self");
    // The `when` of each question travels with the errand: a third party
    // (relation_to_applicant other) is not asked for the 個人番号 or 住民票コード.
    ASSERT_EQ(errands[1].when.size(), std::size(want));
    EXPECT_TRUE(errands[1].when[0].own.empty());
    EXPECT_EQ(errands[1].when[7].own.text(), "answers.relation_to_applicant != 'other'");
    EXPECT_EQ(errands[1].when[8].own.text(), "answers.relation_to_applicant != 'other'");
}

// A certificate (a form with a fee) groups its questions that have a usual
// answer on the "what do you need" screen; the phone (no default) keeps its own
// screen; no relationship question after 本人のみ; 何通 once per certificate.
TEST(Errands, CertificatesGroupTheirUsualChoicesAndCountEachCertificate) {
    const forms::Catalogue catalogue = forms::Catalogue::load(test::forms_dir(), "2026-11-23");
    const std::vector<kiosk::Errand> errands = build_errands(catalogue);
    auto find = [&](const std::string& id) -> const kiosk::Errand& {
        for (const auto& e : errands)
            if (e.id == id) return e;
        ADD_FAILURE() << id;
        return errands.front();
    };
    const kiosk::Errand& juminhyo = find("form:juminhyo");
    std::vector<std::string> grouped, alone;
    for (const auto& q : juminhyo.questions) (q.grouped ? grouped : alone).push_back(q.id);
    EXPECT_EQ(alone, std::vector<std::string>{"applicant_phone"});
    EXPECT_EQ(grouped, (std::vector<std::string>{"scope", "copies", "relation_to_applicant", "purpose", "include_relationship",
                                                 "include_honseki", "include_my_number", "include_juminhyo_code"}));
    for (const auto& q : juminhyo.questions) {
        EXPECT_EQ(q.form, "juminhyo") << q.id;
        EXPECT_FALSE(q.per_form) << q.id;  // one form: one answer
    }
    EXPECT_EQ(juminhyo.when[3].own.text(), "not (answers.scope in ['self', 'household'])");

    // 証明書: every certificate's count is its own question, under its own form.
    const kiosk::Errand& certificates = find("certificates");
    std::vector<std::string> counted;
    for (const auto& q : certificates.questions)
        if (q.id == "copies") {
            EXPECT_TRUE(q.grouped && q.per_form) << q.form;
            counted.push_back(kiosk::answer_key(q));
        }
    EXPECT_EQ(counted, (std::vector<std::string>{"copies@juminhyo", "copies@inkan", "copies@koseki", "copies@shotoku",
                                                 "copies@nouzei_shoumei"}));
    // A form without a fee (転居届) asks one question per screen, as before.
    for (const auto& q : find("form:tenkyo").questions) EXPECT_FALSE(q.grouped) << q.id;
}

// The shipped catalogue: every life event and every form is offered.
TEST(Errands, ShippedCatalogueOffersEveryEventAndForm) {
    const forms::Catalogue catalogue = forms::Catalogue::load(test::forms_dir(), "2026-11-23");
    const std::vector<kiosk::Errand> errands = build_errands(catalogue);
    EXPECT_EQ(errands.size(), catalogue.events().size() + catalogue.templates().size());
    EXPECT_EQ(errands.front().id, catalogue.events().front().id);
    EXPECT_EQ(errands.back().id, "form:" + catalogue.templates().back()->id);
}

// 証明書: after 本人のみ (住民票) the other certificates are the resident's own:
// 戸籍's and 所得証明's relationship and 印鑑証明's 来庁者 are not asked, and
// each form gets its default, 本人. Any other scope asks them again; a single
// certificate still asks its own.
TEST(Errands, CertificatesAskWhoseOnceAfterHonninNomi) {
    const forms::Catalogue catalogue = forms::Catalogue::load(test::forms_dir(), "2026-11-23");
    const std::vector<kiosk::Errand> errands = build_errands(catalogue);
    auto find = [&](const std::string& id) -> const kiosk::Errand* {
        for (const auto& e : errands)
            if (e.id == id) return &e;
        return nullptr;
    };
    const kiosk::Errand* certificates = find("certificates");
    ASSERT_NE(certificates, nullptr);
    auto index_of = [](const kiosk::Errand& e, const std::string& id) {
        for (std::size_t i = 0; i < e.questions.size(); ++i)
            if (e.questions[i].id == id) return i;
        ADD_FAILURE() << e.id << " does not ask " << id;
        return e.questions.size();
    };
    kiosk::State s;
    s.errand = *certificates;
    for (const char* id : {"koseki_relationship", "tax_relationship", "visitor"}) {
        const std::size_t i = index_of(*certificates, id);
        ASSERT_LT(i, certificates->questions.size());
        EXPECT_TRUE(certificates->questions[i].grouped) << id;
        s.answers = {{"scope", "self"}};
        EXPECT_FALSE(kiosk::applies(s, i)) << id << " is asked after 本人のみ";
        for (const char* scope : {"household", "part", "removed", "kisai"}) {
            s.answers = {{"scope", scope}};
            EXPECT_TRUE(kiosk::applies(s, i)) << id << " is not asked after scope " << scope;
        }
    }
    // 住民票's own scope and 何通 are still asked; so is 戸籍's 本籍地.
    s.answers = {{"scope", "self"}};
    for (const char* id : {"scope", "honseki_place", "tax_certificate_kind", "purpose"})
        EXPECT_TRUE(kiosk::applies(s, index_of(*certificates, id))) << id;

    // Alone, 戸籍 and 所得証明 ask whose certificate it is.
    for (const auto& [errand, id] : {std::pair{"form:koseki", "koseki_relationship"}, {"form:shotoku", "tax_relationship"}}) {
        const kiosk::Errand* e = find(errand);
        ASSERT_NE(e, nullptr);
        kiosk::State one;
        one.errand = *e;
        EXPECT_TRUE(kiosk::applies(one, index_of(*e, id))) << errand;
    }

    // Not asked, the form takes its default: 本人.
    const forms::CardData card{"架空 縫子", "東京都千代田区霞が関2丁目1番2号", "1980-02-17", "female", true};
    for (const auto& [form, id] : {std::pair{"koseki", "koseki_relationship"}, {"shotoku", "tax_relationship"}, {"inkan", "visitor"}}) {
        const forms::Template* t = catalogue.find(form);
        ASSERT_NE(t, nullptr);
        forms::FilledForm filled = forms::prefill(*t, card, {{"scope", "self"}}, "2026-11-23");
        const forms::FilledField* f = filled.find(id);
        ASSERT_NE(f, nullptr) << form;
        EXPECT_EQ(f->value, "self") << form;
        EXPECT_EQ(f->display, "本人") << form;
        filled.wipe();
    }
}

// Households: 引っ越し（町外から） takes as many members as its largest group (国保 取得: 5),
// asks 勤務先の健康保険 of the holder and then per member, and the 児童 row's own
// question (同別居) of members only; a certificate has no household step.
TEST(Errands, MovingInAsksPerMemberQuestions) {
    const forms::Catalogue catalogue = forms::Catalogue::load(test::forms_dir(), "2026-11-23");
    const std::vector<kiosk::Errand> errands = build_errands(catalogue);
    const kiosk::Errand* moving_in = nullptr;
    const kiosk::Errand* juminhyo = nullptr;
    for (const auto& e : errands) {
        if (e.id == "moving_in") moving_in = &e;
        if (e.id == "form:juminhyo") juminhyo = &e;
    }
    ASSERT_NE(moving_in, nullptr);
    ASSERT_NE(juminhyo, nullptr);
    EXPECT_EQ(moving_in->member_max, 5);
    EXPECT_EQ(juminhyo->member_max, 0);
    ASSERT_EQ(moving_in->questions.size(), moving_in->when.size());
    bool insurance = false, lives_with = false;
    for (std::size_t i = 0; i < moving_in->questions.size(); ++i) {
        const auto& q = moving_in->questions[i];
        if (q.id == "employer_insurance") {
            insurance = true;
            EXPECT_TRUE(q.per_member);
            EXPECT_TRUE(q.holder_asks);
            EXPECT_EQ(moving_in->when[i].groups.size(), 1u);
        }
        if (q.id == "lives_with") {
            lives_with = true;
            EXPECT_TRUE(q.per_member);
            EXPECT_FALSE(q.holder_asks);
            EXPECT_EQ(q.choices, (std::vector<std::string>{"together", "apart"}));
        }
        if (q.id == "applicant_phone") {
            EXPECT_FALSE(q.per_member);
        }
    }
    EXPECT_TRUE(insurance);
    EXPECT_TRUE(lives_with);
}
