#include <gtest/gtest.h>

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
    EXPECT_EQ(f.find("scope")->display, "本人のみ");
    EXPECT_EQ(f.find("signature")->value, "");
}

TEST(Prefill, ManualEntryIsNotMarkedAsCardData) {
    const Template t = load_template(kakanai::test::forms_dir() / "juminhyo.toml");
    const CardData typed{"番号 花子", "東京都", "1980-02-17", "female", false};
    const FilledForm f = prefill(t, typed, {}, "2026-01-01");
    EXPECT_EQ(f.find("applicant_name")->origin, Origin::Answer);
}
