#include <gtest/gtest.h>

#include <fstream>

#include "kakanai/forms/template.hpp"
#include "test_support.hpp"

using namespace kakanai::forms;

namespace {

const char* kGood = R"(id = "t"
version = 1
valid_from = 2024-04-01
department = "市民課"
title = { ja = "テスト", en = "Test" }

[[fields]]
id = "name"
type = "text"
from = "card.name"
label = { ja = "氏名" }

[[page.items]]
field = "name"
x = 20
y = 20
w = 100
h = 10
)";

std::vector<TemplateProblem> problems_of(const kakanai::test::TempDir& dir, const std::string& text) {
    const auto file = dir / "t.toml";
    std::ofstream(file) << text;
    try {
        load_template(file);
    } catch (const TemplateError& e) {
        return e.problems();
    }
    return {};
}

std::string replace(std::string s, const std::string& from, const std::string& to) {
    s.replace(s.find(from), from.size(), to);
    return s;
}

}  // namespace

TEST(Template, CatalogueJuminhyoLoads) {
    const Template t = load_template(kakanai::test::forms_dir() / "juminhyo.toml");
    EXPECT_EQ(t.id, "juminhyo");
    EXPECT_EQ(t.title.ja, "住民票の写し等交付請求書");
    ASSERT_NE(t.field("applicant_name"), nullptr);
    EXPECT_EQ(t.field("applicant_name")->source, Source::Card);
}

TEST(Template, GoodTemplateHasNoProblems) {
    kakanai::test::TempDir dir;
    EXPECT_TRUE(problems_of(dir, kGood).empty());
}

TEST(Template, BadTomlNamesFileAndLine) {
    kakanai::test::TempDir dir;
    const auto ps = problems_of(dir, replace(kGood, "version = 1", "version = = 1"));
    ASSERT_EQ(ps.size(), 1u);
    EXPECT_EQ(ps[0].line, 2);
    EXPECT_NE(ps[0].to_string().find("t.toml:2: "), std::string::npos);
}

TEST(Template, UnknownFieldTypeNamesTheField) {
    kakanai::test::TempDir dir;
    const auto ps = problems_of(dir, replace(kGood, "type = \"text\"", "type = \"txt\""));
    ASSERT_EQ(ps.size(), 1u);
    EXPECT_EQ(ps[0].field, "name");
    EXPECT_EQ(ps[0].line, 9);
}

TEST(Template, LayoutPointingAtMissingFieldAndBoxOffPage) {
    kakanai::test::TempDir dir;
    const auto ps = problems_of(dir, replace(replace(kGood, "field = \"name\"", "field = \"nam\""), "w = 100", "w = 300"));
    ASSERT_EQ(ps.size(), 2u);
    EXPECT_EQ(ps[0].line, 14);
    EXPECT_NE(ps[0].message.find("does not exist"), std::string::npos);
    EXPECT_NE(ps[1].message.find("outside the A4 page"), std::string::npos);
}

TEST(Template, CardBindingThatDoesNotExist) {
    kakanai::test::TempDir dir;
    const auto ps = problems_of(dir, replace(kGood, "card.name", "card.nickname"));
    ASSERT_EQ(ps.size(), 1u);
    EXPECT_EQ(ps[0].field, "name");
}
