#include <gtest/gtest.h>

#include <fstream>
#include <set>

#include "kakanai/forms/catalogue.hpp"
#include "kakanai/forms/template.hpp"
#include "template_fixtures.hpp"
#include "test_support.hpp"

using namespace kakanai::forms;
using kakanai::test::replace_first;
using kakanai::test::template_problems;

namespace {

// Line numbers below refer to this text (template_fixtures.hpp).
const std::string kGood = kakanai::test::kNameTemplate;

const char* kChoiceField = R"(
[[fields]]
id = "scope"
type = "choice"
from = "question"
label = { ja = "範囲" }
question = { ja = "範囲は", en = "Scope?", easy = "はんいは" }
choices = [
  { value = "self", label = { ja = "本人" } },
  { value = "household", label = { ja = "世帯" } },
]
)";

}  // namespace

TEST(Template, CatalogueJuminhyoLoads) {
    const Template t = load_template(kakanai::test::forms_dir() / "juminhyo.toml");
    EXPECT_EQ(t.id, "juminhyo");
    EXPECT_EQ(t.format, 1);
    EXPECT_EQ(t.title.ja, "住民票の写し等交付請求書");
    EXPECT_FALSE(t.title.easy.empty());
    EXPECT_EQ(t.department, "住民課");
    ASSERT_NE(t.field("applicant_name"), nullptr);
    EXPECT_EQ(t.field("applicant_name")->source, Source::Card);
    EXPECT_TRUE(t.field("applicant_name")->required);
    EXPECT_FALSE(t.field("applicant_phone")->help.ja.empty());
}

TEST(Template, GoodTemplateHasNoProblems) {
    kakanai::test::TempDir dir;
    EXPECT_TRUE(template_problems(dir, kGood).empty());
}

TEST(Template, BadToml) {
    kakanai::test::TempDir dir;
    const auto ps = template_problems(dir, replace_first(kGood, "version = 1", "version = = 1"));
    ASSERT_EQ(ps.size(), 1u);
    EXPECT_EQ(ps[0].rfind((dir / "t.toml").string() + ":2: -: not valid TOML: ", 0), 0u) << ps[0];
}

TEST(Template, UnknownFieldType) {
    kakanai::test::TempDir dir;
    const auto ps = template_problems(dir, replace_first(kGood, "type = \"text\"", "type = \"txt\""));
    ASSERT_EQ(ps.size(), 1u);
    EXPECT_EQ(ps[0], (dir / "t.toml").string() + ":11: name: unknown field type `txt`");
}

TEST(Template, LayoutItemPointingAtMissingField) {
    kakanai::test::TempDir dir;
    const auto ps = template_problems(dir, replace_first(kGood, "field = \"name\"", "field = \"nam\""));
    ASSERT_EQ(ps.size(), 1u);
    EXPECT_EQ(ps[0], (dir / "t.toml").string() + ":16: nam: layout item points at a field that does not exist");
}

TEST(Template, BoxOutsideThePage) {
    kakanai::test::TempDir dir;
    const auto ps = template_problems(dir, replace_first(kGood, "w = 100", "w = 300"));
    ASSERT_EQ(ps.size(), 1u);
    EXPECT_EQ(ps[0], (dir / "t.toml").string() + ":15: name: box lies outside the A4 page (210 x 297 mm)");
}

TEST(Template, DuplicateFieldIds) {
    kakanai::test::TempDir dir;
    const auto ps = template_problems(dir, replace_first(kGood, "\n[[page.items]]", R"(
[[fields]]
id = "name"
type = "kana"
from = "card.name"
label = { ja = "氏名" }

[[page.items]])"));
    ASSERT_EQ(ps.size(), 1u);
    EXPECT_EQ(ps[0], (dir / "t.toml").string() + ":15: name: duplicate field id");
}

TEST(Template, DuplicateTemplateIdAndVersion) {
    kakanai::test::TempDir dir;
    std::ofstream(dir / "a.toml") << kGood;
    std::ofstream(dir / "b.toml") << kGood;
    const Catalogue c = Catalogue::load(dir.path(), "2026-11-23");
    ASSERT_EQ(c.problems().size(), 1u);
    EXPECT_EQ(c.problems()[0].to_string(),
              (dir / "b.toml").string() + ":1: -: template t version 1 is also defined in " + (dir / "a.toml").string());
}

TEST(Template, CardBindingThatDoesNotExist) {
    kakanai::test::TempDir dir;
    const auto ps = template_problems(dir, replace_first(kGood, "card.name", "card.nickname"));
    ASSERT_EQ(ps.size(), 1u);
    EXPECT_EQ(ps[0], (dir / "t.toml").string() +
                         ":12: name: `card.nickname` is not card data (card.name, card.address, card.birth_date, "
                         "card.sex, card.my_number, card.card_read)");
}

TEST(Template, CopyOfAFieldThatDoesNotExist) {
    kakanai::test::TempDir dir;
    const auto ps = template_problems(dir, replace_first(kGood, "card.name", "field.nobody"));
    ASSERT_EQ(ps.size(), 1u);
    EXPECT_EQ(ps[0], (dir / "t.toml").string() + ":9: name: `from = \"field.nobody\"` names a field that does not exist");
}

TEST(Template, MisspeltKey) {
    kakanai::test::TempDir dir;
    const auto ps = template_problems(dir, replace_first(kGood, "from = \"card.name\"", "from = \"card.name\"\nrequird = true"));
    ASSERT_EQ(ps.size(), 1u);
    EXPECT_EQ(ps[0], (dir / "t.toml").string() + ":13: name: unknown key `requird`");
}

TEST(Template, BadEraAndEraOnANonDate) {
    kakanai::test::TempDir dir;
    auto ps = template_problems(dir, replace_first(kGood, "from = \"card.name\"", "from = \"card.name\"\nera = \"heisei\""));
    ASSERT_EQ(ps.size(), 1u);
    EXPECT_EQ(ps[0], (dir / "t.toml").string() + ":13: name: `era` is \"wareki\" (和暦) or \"seireki\" (西暦)");
    ps = template_problems(dir, replace_first(kGood, "from = \"card.name\"", "from = \"card.name\"\nera = \"seireki\""));
    ASSERT_EQ(ps.size(), 1u);
    EXPECT_EQ(ps[0], (dir / "t.toml").string() + ":13: name: `era` only applies to date fields");
}

TEST(Template, QuestionNeedsThreeLanguages) {
    kakanai::test::TempDir dir;
    std::ofstream(dir / "t.toml") << replace_first(replace_first(kGood, "\n[[page.items]]", std::string(kChoiceField) + "\n[[page.items]]"),
                                             ", easy = \"はんいは\"", "");
    // The form still serves (in Japanese); the gap is reported.
    const Template t = load_template(dir / "t.toml");
    ASSERT_EQ(t.warnings.size(), 1u);
    EXPECT_EQ(t.warnings[0].to_string(),
              (dir / "t.toml").string() + ":20: scope: `question` needs ja, en and easy (やさしい日本語) texts");
    const Catalogue c = Catalogue::load(dir.path(), "2026-11-23");
    ASSERT_EQ(c.problems().size(), 1u);
    EXPECT_NE(c.find("t"), nullptr);
    EXPECT_EQ(kakanai::test::run("'" + (kakanai::test::binary_dir() / "tools/kakanai-forms").string() + "' validate '" +
                                 (dir / "t.toml").string() + "' 2>/dev/null")
                  .exit_code,
              1);
}

TEST(Template, CircleOptionMustBeAChoice) {
    kakanai::test::TempDir dir;
    const std::string text = replace_first(kGood, "\n[[page.items]]", std::string(kChoiceField) + "\n[[page.items]]") +
                             "\n[[page.items]]\nkind = \"circle\"\nfield = \"scope\"\noption = \"everyone\"\nx = 20\ny = 50\nw = 10\nh = 10\n";
    const auto ps = template_problems(dir, text);
    ASSERT_EQ(ps.size(), 1u);
    EXPECT_EQ(ps[0], (dir / "t.toml").string() + ":36: scope: `option = \"everyone\"` is not one of the field's choices");
}

TEST(Template, DefaultMustFitTheType) {
    kakanai::test::TempDir dir;
    const auto ps = template_problems(dir, replace_first(replace_first(kGood, "type = \"text\"", "type = \"postal_code\""),
                                             "from = \"card.name\"", "from = \"question\"\ndefault = \"12-345\"\n"
                                                                     "question = { ja = \"郵便番号\", en = \"Postal code\", easy = \"ゆうびん\" }"));
    ASSERT_EQ(ps.size(), 1u);
    EXPECT_EQ(ps[0], (dir / "t.toml").string() + ":13: name: `default`: a postal code has 7 digits, e.g. 100-0013");
}

TEST(Template, MyNumberGridHasTwelveCells) {
    kakanai::test::TempDir dir;
    const std::string text = replace_first(replace_first(kGood, "type = \"text\"", "type = \"my_number\""), "from = \"card.name\"",
                                     "from = \"card.my_number\"") +
                             "\n[[page.items]]\nkind = \"grid\"\nfield = \"name\"\ncells = 11\nx = 20\ny = 50\nw = 110\nh = 10\n";
    const auto ps = template_problems(dir, text);
    ASSERT_EQ(ps.size(), 1u);
    EXPECT_EQ(ps[0], (dir / "t.toml").string() + ":22: name: a 個人番号 grid has 12 cells");
}

TEST(Template, EveryProblemIsReportedInOneRun) {
    kakanai::test::TempDir dir;
    const auto ps = template_problems(dir, replace_first(replace_first(replace_first(kGood, "type = \"text\"", "type = \"txt\""), "card.name", "card.nick"),
                                             "w = 100", "w = 300"));
    EXPECT_EQ(ps.size(), 3u);
}

// The complete example in docs/templates.md validates and really uses every
// field type, value source and layout kind.
TEST(Template, DocumentedExampleIsCompleteAndValid) {
    std::ifstream in(kakanai::test::source_dir() / "docs/templates.md");
    const std::string doc((std::istreambuf_iterator<char>(in)), {});
    const auto section = doc.find("## Complete example");
    ASSERT_NE(section, std::string::npos);
    const auto start = doc.find("```toml\n", section);
    ASSERT_NE(start, std::string::npos);
    const auto end = doc.find("\n```", start + 8);
    kakanai::test::TempDir dir;
    std::ofstream(dir / "example.toml") << doc.substr(start + 8, end - start - 8 + 1);
    std::ofstream(dir / "example-background.png") << "stand-in";
    Template t;
    try {
        t = load_template(dir / "example.toml");
    } catch (const TemplateError& e) {
        FAIL() << e.what();
    }
    std::set<std::string> types, sources, kinds, keys;
    for (const auto& f : t.fields) {
        types.insert(to_string(f.type));
        sources.insert(f.source == Source::Card ? "card." + f.source_key : std::to_string(static_cast<int>(f.source)));
    }
    for (const auto& li : t.layout) kinds.insert(li.kind);
    EXPECT_EQ(t.staff_warnings.size(), 1u);  // the [[warning]] block
    EXPECT_EQ(types.size(), 11u);
    EXPECT_EQ(sources.size(), 5u + 5u);  // five card keys; question, field, today, fixed, none
    EXPECT_EQ(kinds, (std::set<std::string>{"field", "grid", "check", "circle", "label", "box", "line", "qr", "image"}));
}
