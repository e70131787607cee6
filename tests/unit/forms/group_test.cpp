// Repeating groups ([[group]]): household members in rows.
#include <gtest/gtest.h>

#include <fstream>

#include "kakanai/forms/catalogue.hpp"
#include "kakanai/forms/prefill.hpp"
#include "kakanai/forms/template.hpp"
#include "template_fixtures.hpp"
#include "test_support.hpp"

using namespace kakanai::forms;
using kakanai::test::replace_first;
using kakanai::test::template_problems;

namespace {

// Line numbers below refer to this text.
const std::string kBase = kakanai::test::kTemplateHead + R"(
[[fields]]
id = "applicant_kana"
type = "kana"
from = "question"
label = { ja = "フリガナ" }
question = { ja = "フリガナ", en = "Kana", easy = "よみかた" }
)" + kakanai::test::kNameItem;

// Starts at line 29.
const char* kGroup = R"(
[[group]]
id = "persons"
label = { ja = "異動する人" }
max = 5
pitch = 14
holder = true

[[group.fields]]
id = "name"
from = "member.name"
label = { ja = "氏名" }

[[group.fields]]
id = "kana"
type = "kana"
from = "member.kana"
holder = "field.applicant_kana"
label = { ja = "フリガナ" }

[[group.items]]
field = "name"
x = 15
y = 190
w = 90
h = 13
)";

bool has(const std::vector<std::string>& ps, const std::string& needle) {
    for (const auto& p : ps)
        if (p.find(needle) != std::string::npos) return true;
    return false;
}

std::string all(const std::vector<std::string>& ps) {
    std::string s;
    for (const auto& p : ps) s += p + "\n";
    return s;
}

Member member(std::string name, std::string birth, std::string rel, Answers answers = {}) {
    Member m;
    m.name = std::move(name);
    m.kana = "カクウ";
    m.birth_date = std::move(birth);
    m.sex = "female";
    m.relationship = std::move(rel);
    m.answers = std::move(answers);
    return m;
}

const std::string kToday = "2026-12-02";

}  // namespace

TEST(Groups, AGoodGroupLoads) {
    kakanai::test::TempDir dir;
    std::ofstream(dir / "t.toml") << kBase + kGroup;
    const Template t = load_template(dir / "t.toml");
    ASSERT_EQ(t.groups.size(), 1u);
    EXPECT_EQ(t.groups[0].max, 5);
    EXPECT_DOUBLE_EQ(t.groups[0].top, 190);
    EXPECT_DOUBLE_EQ(t.groups[0].bottom, 203);
    // A member's field resolves to the group's definition.
    const Field* f = t.field("persons.3.kana");
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->type, FieldType::Kana);
    EXPECT_EQ(t.field("persons.0.kana"), nullptr);
    EXPECT_EQ(t.field("persons.x.kana"), nullptr);
    EXPECT_EQ(t.field("nobody.1.kana"), nullptr);
    EXPECT_EQ(t.field("persons.1.nothing"), nullptr);
}

TEST(Groups, ProblemsNameTheFileAndLine) {
    kakanai::test::TempDir dir;
    const std::string file = (dir / "t.toml").string();
    // Rows running into the footer: 190 + 8 * 14 + 13 > 282.
    auto ps = template_problems(dir, kBase + replace_first(kGroup, "max = 5", "max = 9"));
    EXPECT_TRUE(has(ps, file + ":32: persons: the last of the 9 rows ends at")) << all(ps);
    // Rows overlapping.
    ps = template_problems(dir, kBase + replace_first(kGroup, "pitch = 14", "pitch = 10"));
    EXPECT_TRUE(has(ps, file + ":33: persons: rows overlap")) << all(ps);
    // No member.name.
    ps = template_problems(dir, kBase + replace_first(kGroup, "from = \"member.name\"", "from = \"member.nick\""));
    EXPECT_TRUE(has(ps, file + ":38: persons.name: `member.nick` is not member data")) << all(ps);
    EXPECT_TRUE(has(ps, file + ":29: persons: a group needs a field with from = \"member.name\"")) << all(ps);
    // `holder` names a field that does not exist, and needs holder = true.
    ps = template_problems(dir, kBase + replace_first(kGroup, "field.applicant_kana", "field.kana_typo"));
    EXPECT_TRUE(has(ps, file + ":45: persons.kana: `holder = \"field.kana_typo\"` must name a field")) << all(ps);
    ps = template_problems(dir, kBase + replace_first(kGroup, "holder = true", "holder = false"));
    EXPECT_TRUE(has(ps, file + ":45: persons.kana: `holder` only applies when the group has `holder = true`")) << all(ps);
    // An item for a field the group does not have; an unknown key; a bad when.
    ps = template_problems(dir, kBase + replace_first(kGroup, "field = \"name\"", "field = \"nome\""));
    EXPECT_TRUE(has(ps, file + ":49: nome: layout item points at a field that does not exist")) << all(ps);
    ps = template_problems(dir, kBase + replace_first(kGroup, "pitch = 14", "pitch = 14\nrows = 3"));
    EXPECT_TRUE(has(ps, file + ":34: -: unknown key `rows`")) << all(ps);
    ps = template_problems(dir, kBase + replace_first(kGroup, "holder = true", "holder = true\nwhen = \"age >\""));
    EXPECT_TRUE(has(ps, file + ":35: persons: `when = \"age >\"`")) << all(ps);
    ps = template_problems(dir, kBase + replace_first(kGroup, "holder = true", "holder = true\nwhen = \"answers.nope == 'x'\""));
    EXPECT_TRUE(has(ps, file + ":35: persons: `when` uses answers.nope")) << all(ps);
    // A 個人番号 belongs to the form, not a member's row.
    ps = template_problems(dir, kBase + replace_first(kGroup, "id = \"kana\"\ntype = \"kana\"", "id = \"kana\"\ntype = \"my_number\""));
    EXPECT_TRUE(has(ps, file + ":43: persons.kana: a member's row holds no my_number")) << all(ps);
}

TEST(Groups, PrefillPutsTheHolderFirstThenEachMember) {
    kakanai::test::TempDir dir;
    std::ofstream(dir / "t.toml") << kBase + kGroup;
    const Template t = load_template(dir / "t.toml");
    const CardData card{"架空 太郎", "東京都千代田区霞が関2丁目1番2号", "1980-02-17", "male", true};
    Household h{member("架空 花子", "1982-03-03", "spouse"), member("架空 次郎", "2018-05-05", "child")};
    h[0].read_from_card = true;
    FilledForm form = prefill(t, card, {{"applicant_kana", "カクウ タロウ"}}, kToday, {}, h);
    EXPECT_EQ(member_rows(form, "persons"), 3);
    ASSERT_NE(form.find("persons.1.name"), nullptr);
    EXPECT_EQ(form.find("persons.1.name")->value, "架空 太郎");
    EXPECT_EQ(form.find("persons.1.kana")->value, "カクウ タロウ");  // holder = "field.applicant_kana"
    EXPECT_EQ(form.find("persons.2.name")->value, "架空 花子");
    EXPECT_EQ(form.find("persons.2.name")->origin, Origin::Card);
    EXPECT_EQ(form.find("persons.3.name")->value, "架空 次郎");
    EXPECT_EQ(form.find("persons.3.name")->origin, Origin::Answer);  // entered by staff
    EXPECT_EQ(form.find("persons.4.name"), nullptr);
    // The form's own fields keep their places: index i is t.fields[i].
    for (std::size_t i = 0; i < t.fields.size(); ++i) EXPECT_EQ(form.fields[i].id, t.fields[i].id);
    wipe(h);
    EXPECT_TRUE(h.empty());
}

// 国保 取得: only the members without employer insurance join; the form applies
// when anyone of the household joins.
TEST(Groups, EachMembersOwnAnswersDecideTheirRow) {
    const auto catalogue = Catalogue::load(kakanai::test::forms_dir(), kToday);
    const Template* t = catalogue.find("kokuho_shutoku");
    ASSERT_NE(t, nullptr);
    ASSERT_FALSE(t->groups.empty());
    const CardData card{"架空 太郎", "東京都千代田区霞が関2丁目1番2号", "1980-02-17", "male", true};
    Household h{member("架空 花子", "1982-03-03", "spouse", {{"employer_insurance", "no"}}),
                member("架空 次郎", "2018-05-05", "child", {{"employer_insurance", "yes"}})};
    const Answers insured{{"employer_insurance", "yes"}};
    EXPECT_TRUE(form_applies(*t, card, insured, kToday, h));   // the spouse joins
    EXPECT_FALSE(form_applies(*t, card, insured, kToday, {}));  // nobody joins
    FilledForm form = prefill(*t, card, insured, kToday, {}, h);
    const std::string g = t->groups[0].id;
    EXPECT_EQ(member_rows(form, g), 1);
    EXPECT_EQ(form.find(g + ".1.name")->value, "架空 花子");
    const auto errand = prefill_errand({t}, card, insured, kToday, {}, h);
    ASSERT_EQ(errand.size(), 1u);
    const Answers uninsured{{"employer_insurance", "no"}};
    form = prefill(*t, card, uninsured, kToday, {}, h);
    EXPECT_EQ(member_rows(form, g), 2);
    EXPECT_EQ(form.find(g + ".1.name")->value, "架空 太郎");
    EXPECT_EQ(form.find(g + ".2.name")->value, "架空 花子");
}

TEST(Groups, RelationshipAndAgeInAGroupsWhenAreTheMembers) {
    const auto c = Condition::parse("relationship == 'child' and age < 19");
    Answers none;
    Facts f{"2018-05-05", "male", false, kToday, &none};
    f.relationship = "child";
    EXPECT_TRUE(c.holds(f));
    f.relationship = "spouse";
    EXPECT_FALSE(c.holds(f));
}

TEST(Groups, CheckFormChecksEachMembersValues) {
    kakanai::test::TempDir dir;
    std::ofstream(dir / "t.toml") << kBase + kGroup;
    const Template t = load_template(dir / "t.toml");
    const CardData card{"架空 太郎", "東京都千代田区霞が関2丁目1番2号", "1980-02-17", "male", true};
    Household h{member("架空 花子", "1982-03-03", "spouse")};
    h[0].kana = "kakuu";  // not kana
    const auto issues = check_form(t, prefill(t, card, {{"applicant_kana", "カクウ"}}, kToday, {}, h));
    ASSERT_EQ(issues.size(), 1u);
    EXPECT_EQ(issues[0].field, "persons.2.kana");
}
