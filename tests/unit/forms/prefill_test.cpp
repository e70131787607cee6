#include <gtest/gtest.h>

#include <fstream>

#include "kakanai/forms/prefill.hpp"
#include "test_support.hpp"

using namespace kakanai::forms;

TEST(Prefill, CardAnswersDefaultsAndToday) {
    const Template t = load_template(kakanai::test::forms_dir() / "juminhyo.toml");
    const CardData card{"番号 花子", "東京都千代田区霞が関2丁目1番2号", "1989-01-08", "female", true};
    const FilledForm f = prefill(t, card, {{"copies", "2"}}, "2019-05-01");
    EXPECT_EQ(f.find("applicant_name")->value, "番号 花子");
    EXPECT_EQ(f.find("applicant_name")->origin, Origin::Card);
    EXPECT_EQ(f.find("applicant_birth_date")->display, "平成元年1月8日");
    EXPECT_EQ(f.find("request_date")->display, "令和元年5月1日");
    EXPECT_EQ(f.find("request_date")->origin, Origin::Computed);
    EXPECT_EQ(f.find("copies")->value, "2");
    EXPECT_EQ(f.find("copies")->origin, Origin::Answer);
    EXPECT_EQ(f.find("scope")->display, "住民票の写し（本人のみ）");
    EXPECT_EQ(f.find("signature")->value, "");
}

TEST(Prefill, ManualEntryIsNotMarkedAsCardData) {
    const Template t = load_template(kakanai::test::forms_dir() / "juminhyo.toml");
    const CardData typed{"番号 花子", "東京都", "1980-02-17", "female", false};
    const FilledForm f = prefill(t, typed, {}, "2026-01-01");
    EXPECT_EQ(f.find("applicant_name")->origin, Origin::Answer);
}

namespace {

const char* kSplit = R"(id = "split"
source = "テスト用の様式"
checked = 2026-12-02
version = 1
valid_from = 2024-04-01
department = "住民課"
title = { ja = "分割", en = "Split", easy = "ぶんかつ" }
fields = [
  { id = "addr", type = "address", from = "card.address", label = { ja = "住所" } },
  { id = "pref", type = "address", from = "field.addr", part = "prefecture", label = { ja = "都道府県" } },
  { id = "city", type = "address", from = "field.addr", part = "city", label = { ja = "市区町村" } },
  { id = "town", type = "address", from = "field.addr", part = "town", label = { ja = "町名番地" } },
  { id = "bldg", type = "address", from = "field.addr", part = "building", label = { ja = "方書" } },
  { id = "copy_of_copy", type = "address", from = "field.city", label = { ja = "写し" } },
  { id = "zip", type = "postal_code", from = "question", label = { ja = "郵便番号" }, question = { ja = "郵便番号", en = "Postal code", easy = "ゆうびんばんごう" } },
  { id = "card_holder", type = "checkbox", from = "fixed", value = "true", label = { ja = "カード" } },
]
[page]
items = [ { field = "addr", x = 20, y = 30, w = 170, h = 10 } ]
)";

}  // namespace

TEST(Prefill, SplitsTheAddressIntoItsBoxes) {
    kakanai::test::TempDir dir;
    std::ofstream(dir / "split.toml") << kSplit;
    const Template t = load_template(dir / "split.toml");
    const CardData card{"番号 花子", "北海道札幌市中央区北1条西2丁目 見本ビル101", "1980-02-17", "female", true};
    const FilledForm f = prefill(t, card, {{"zip", "０６００００１"}}, "2026-11-23");
    EXPECT_EQ(f.find("pref")->value, "北海道");
    EXPECT_EQ(f.find("city")->value, "札幌市中央区");
    EXPECT_EQ(f.find("town")->value, "北1条西2丁目");
    EXPECT_EQ(f.find("bldg")->value, "見本ビル101");
    EXPECT_EQ(f.find("bldg")->origin, Origin::Card);
    EXPECT_EQ(f.find("zip")->value, "060-0001");  // typed answers are normalised
    EXPECT_EQ(f.find("card_holder")->display, "レ");
}

TEST(Prefill, UnsureAddressStaysWholeInTheFirstBox) {
    kakanai::test::TempDir dir;
    std::ofstream(dir / "split.toml") << kSplit;
    const Template t = load_template(dir / "split.toml");
    const CardData card{"番号 花子", "札幌市中央区北1条西2丁目", "1980-02-17", "female", true};
    const FilledForm f = prefill(t, card, {}, "2026-11-23");
    EXPECT_EQ(f.find("pref")->value, "札幌市中央区北1条西2丁目");
    EXPECT_EQ(f.find("city")->value, "");
    EXPECT_EQ(f.find("town")->value, "");
    EXPECT_EQ(f.find("town")->origin, Origin::Empty);
    EXPECT_EQ(f.find("bldg")->value, "");
}

TEST(Prefill, OneCardReadAndOneSetOfAnswersFillAnErrand) {
    const Template tennyu = load_template(kakanai::test::forms_dir() / "tennyu.toml");
    const Template kokuho = load_template(kakanai::test::forms_dir() / "kokuho_shutoku.toml");
    const CardData card{"番号 花子", "東京都千代田区霞が関2丁目1番2号 霞ヶ関コーポ101", "1980-02-17", "female", true};
    const Answers answers{{"household_head", "番号 太郎"}, {"applicant_phone", "090-1234-5678"}, {"relationship", "spouse"}};
    for (const Template* t : {&tennyu, &kokuho}) {
        const FilledForm f = prefill(*t, card, answers, "2026-11-23");
        EXPECT_EQ(f.find("household_head")->value, "番号 太郎") << t->id;
        EXPECT_EQ(f.find("household_head")->origin, Origin::Answer) << t->id;
        EXPECT_EQ(f.find("relationship")->display, "妻・夫") << t->id;
        EXPECT_EQ(f.find("applicant_birth_date")->display, "昭和55年2月17日") << t->id;
        EXPECT_EQ(f.find("applicant_sex")->display, "女") << t->id;
    }
    const FilledForm f = prefill(tennyu, card, answers, "2026-11-23");
    // The card still carries the old address: it fills 前住所 and its boxes.
    EXPECT_EQ(f.find("previous_prefecture")->value, "東京都");
    EXPECT_EQ(f.find("previous_city")->value, "千代田区");
    EXPECT_EQ(f.find("previous_building")->value, "霞ヶ関コーポ101");
    // 新世帯主 is asked, never copied from 世帯主 (see paper_values_test.cpp).
    EXPECT_EQ(f.find("new_household_head")->value, "");
}

TEST(Prefill, MyNumberOnlyWhenPassed) {
    const Template t = load_template(kakanai::test::forms_dir() / "kokuho_shutoku.toml");
    const CardData card{"番号 花子", "東京都千代田区", "1980-02-17", "female", true};
    EXPECT_EQ(prefill(t, card, {}, "2026-11-23").find("applicant_my_number")->value, "");
    FilledForm f = prefill(t, card, {}, "2026-11-23", "123456789018");
    EXPECT_EQ(f.find("applicant_my_number")->value, "123456789018");
    EXPECT_EQ(f.find("applicant_my_number")->origin, Origin::Card);
    f.wipe();
    EXPECT_TRUE(f.fields.empty() || f.find("applicant_my_number")->value.empty());
}

TEST(Prefill, ErrandFillsEveryFormAndCheckFormNamesWhatIsMissing) {
    const Template jidou = load_template(kakanai::test::forms_dir() / "jidou_teate.toml");
    const Template iryo = load_template(kakanai::test::forms_dir() / "kodomo_iryo.toml");
    const CardData card{"番号 花子", "東京都千代田区霞が関2丁目1番2号", "1980-02-17", "female", true};
    Answers answers{{"child_name", "番号 一郎"}, {"child_birth_date", "2026-11-01"}, {"applicant_phone", "090-1234-5678"},
                    {"has_children", "yes"}};
    auto forms = prefill_errand({&jidou, &iryo}, card, answers, "2026-11-23");
    ASSERT_EQ(forms.size(), 2u);
    for (const auto& f : forms) {
        EXPECT_EQ(f.find("child_name")->value, "番号 一郎") << f.template_id;
        EXPECT_EQ(f.find("child_birth_date")->display, "令和8年11月1日") << f.template_id;
    }
    auto issues = check_form(iryo, forms[1]);
    std::vector<std::string> ids;
    for (const auto& i : issues) ids.push_back(i.field);
    EXPECT_EQ(ids, (std::vector<std::string>{"applicant_kana", "child_kana", "child_sex", "child_insurance_kind",
                                             "child_insurance_number", "bank_name", "bank_branch", "bank_account_number",
                                             "bank_holder_kana"}));
    EXPECT_EQ(issues[0].message.ja, "「フリガナ」を入力してください");
    answers["applicant_phone"] = "12345";  // a wrong shape is named too
    forms = prefill_errand({&iryo}, card, answers, "2026-11-23");
    bool phone = false;
    for (const auto& i : check_form(iryo, forms[0])) phone = phone || i.field == "applicant_phone";
    EXPECT_TRUE(phone);
}
