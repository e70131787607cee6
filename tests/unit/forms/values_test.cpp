#include <gtest/gtest.h>

#include "kakanai/forms/template.hpp"

using namespace kakanai::forms;

namespace {

Field of(FieldType type, bool required = false) {
    Field f;
    f.id = "f";
    f.type = type;
    f.label = {"欄", "Box", "らん"};
    f.required = required;
    return f;
}

bool ok(const Field& f, const std::string& v) { return !check_value(f, v).has_value(); }

}  // namespace

// The check digit itself is tested in tests/unit/base/my_number_test.cpp.
TEST(MyNumber, FieldCheckNeverEchoesTheNumber) {
    const Field f = of(FieldType::MyNumber);
    EXPECT_TRUE(ok(f, "123456789018"));
    EXPECT_TRUE(ok(f, "１２３４５６７８９０１８"));  // full-width digits are accepted
    const auto bad = check_value(f, "123456789012");
    ASSERT_TRUE(bad.has_value());
    for (const std::string& m : {bad->ja, bad->en, bad->easy}) EXPECT_EQ(m.find("123456789012"), std::string::npos);
}

TEST(Values, PostalCode) {
    const Field f = of(FieldType::PostalCode);
    EXPECT_TRUE(ok(f, "100-0013"));
    EXPECT_TRUE(ok(f, "1000013"));
    EXPECT_TRUE(ok(f, "１００－００１３"));
    EXPECT_EQ(normalize_value(f, "1000013"), "100-0013");
    EXPECT_FALSE(ok(f, "100-001"));
    EXPECT_FALSE(ok(f, "10-00013"));
    EXPECT_FALSE(ok(f, "abc-defg"));
}

TEST(Values, Phone) {
    const Field f = of(FieldType::Phone);
    for (const char* good : {"03-1234-5678", "0312345678", "090-1234-5678", "09012345678", "0123-45-6789", "０９０－１２３４－５６７８"})
        EXPECT_TRUE(ok(f, good)) << good;
    for (const char* bad : {"1234-5678", "03-1234-567", "090-1234-56789", "03--1234-5678", "+81-3-1234-5678", "03-1234-5678-"})
        EXPECT_FALSE(ok(f, bad)) << bad;
}

TEST(Values, NumberAndRange) {
    Field f = of(FieldType::Number);
    f.min = 1;
    f.max = 20;
    EXPECT_TRUE(ok(f, "1"));
    EXPECT_TRUE(ok(f, "20"));
    EXPECT_TRUE(ok(f, "１５"));
    EXPECT_FALSE(ok(f, "0"));
    EXPECT_FALSE(ok(f, "21"));
    EXPECT_FALSE(ok(f, "2.5"));
    EXPECT_FALSE(ok(f, "two"));
    EXPECT_EQ(check_value(f, "21")->en, "must be in the range 1〜20");
}

TEST(Values, Date) {
    const Field f = of(FieldType::Date);
    EXPECT_TRUE(ok(f, "2019-05-01"));
    EXPECT_FALSE(ok(f, "2019-02-29"));
    EXPECT_FALSE(ok(f, "1872-12-31"));
    EXPECT_FALSE(ok(f, "令和元年5月1日"));
}

TEST(Values, KanaChoiceCheckboxText) {
    EXPECT_TRUE(ok(of(FieldType::Kana), "バンゴウ　ハナコ"));
    EXPECT_TRUE(ok(of(FieldType::Kana), "ばんごう はなこ"));
    EXPECT_FALSE(ok(of(FieldType::Kana), "番号 花子"));
    EXPECT_FALSE(ok(of(FieldType::Kana), "Hanako"));
    Field c = of(FieldType::Choice);
    c.choices = {{"self", {"本人", "", ""}}, {"household", {"世帯", "", ""}}};
    EXPECT_TRUE(ok(c, "self"));
    EXPECT_FALSE(ok(c, "本人"));
    EXPECT_TRUE(ok(of(FieldType::Checkbox), "true"));
    EXPECT_FALSE(ok(of(FieldType::Checkbox), "yes"));
    EXPECT_TRUE(ok(of(FieldType::Text), "霞ヶ関コーポ101"));
    EXPECT_FALSE(ok(of(FieldType::Text), "line\nbreak"));
}

TEST(Values, RequiredMeansNotEmpty) {
    EXPECT_TRUE(ok(of(FieldType::Text), ""));
    const auto missing = check_value(of(FieldType::Text, true), "");
    ASSERT_TRUE(missing.has_value());
    EXPECT_EQ(missing->ja, "「欄」を入力してください");
    EXPECT_TRUE(ok(of(FieldType::Signature, true), ""));  // signed by pen on paper
}
