// Template keys for values that must not be false on paper: `override` (a
// value taken from another field or the errand's answer when a condition
// holds) and card.card_read (カードあり from the session).
#include <gtest/gtest.h>

#include <fstream>

#include "kakanai/forms/prefill.hpp"
#include "kakanai/forms/template.hpp"
#include "template_fixtures.hpp"
#include "test_support.hpp"

using namespace kakanai::forms;
using kakanai::test::template_problems;

namespace {

const std::string kBase = kakanai::test::kTemplateHead + R"(
[[fields]]
id = "rel"
type = "choice"
from = "question"
label = { ja = "続柄" }
question = { ja = "続柄", en = "Relationship", easy = "かんけい" }
choices = [ { value = "head", label = { ja = "世帯主" } }, { value = "child", label = { ja = "子" } } ]

[[fields]]
id = "head"
type = "text"
from = "question"
label = { ja = "世帯主氏名" }
question = { ja = "世帯主", en = "Head", easy = "せたいぬし" }
OVERRIDE

[[fields]]
id = "address"
type = "address"
from = "card.address"
label = { ja = "住所" }
override = { from = "answer.new_address" }

[[fields]]
id = "card"
type = "CARDTYPE"
from = "card.card_read"
label = { ja = "カードあり" }
)" + kakanai::test::kNameItem;

std::string with(const std::string& override_line, const std::string& card_type = "checkbox") {
    std::string s = kBase;
    s.replace(s.find("OVERRIDE"), 8, override_line);
    s.replace(s.find("CARDTYPE"), 8, card_type);
    return s;
}

}  // namespace

TEST(Override, FillsTheHeadWithTheResidentWhenTheyAreTheHead) {
    kakanai::test::TempDir dir;
    std::ofstream(dir / "t.toml") << with(R"(override = { from = "field.name", when = "rel", is = "head" })");
    const Template t = load_template(dir / "t.toml");
    const CardData card{"架空 縫子", "東京都千代田区霞が関2丁目1番2号", "1980-02-17", "female", true};
    EXPECT_EQ(prefill(t, card, {{"rel", "head"}}, "2026-11-23").find("head")->value, "架空 縫子");
    EXPECT_EQ(prefill(t, card, {{"rel", "child"}, {"head", "世帯 主男"}}, "2026-11-23").find("head")->value, "世帯 主男");
    EXPECT_EQ(prefill(t, card, {{"rel", "child"}}, "2026-11-23").find("head")->value, "");
    // The answer of another form of the errand replaces the card's address.
    EXPECT_EQ(prefill(t, card, {{"new_address", "北海道札幌市中央区北一条西2丁目1番地"}}, "2026-11-23").find("address")->value,
              "北海道札幌市中央区北一条西2丁目1番地");
    EXPECT_EQ(prefill(t, card, {}, "2026-11-23").find("address")->value, "東京都千代田区霞が関2丁目1番2号");
    // カードあり from the session.
    EXPECT_EQ(prefill(t, card, {}, "2026-11-23").find("card")->value, "true");
    CardData manual = card;
    manual.read_from_card = false;
    EXPECT_EQ(prefill(t, manual, {}, "2026-11-23").find("card")->value, "false");
}

TEST(Override, MistakesNameFileLineAndField) {
    kakanai::test::TempDir dir;
    const std::string file = (dir / "t.toml").string();
    EXPECT_EQ(template_problems(dir, with(R"(override = { from = "field.nobody", when = "rel", is = "head" })")),
              std::vector<std::string>{file + ":29: head: `override.from = \"field.nobody\"` names a field that does not exist"});
    EXPECT_EQ(template_problems(dir, with(R"(override = { from = "field.name", when = "rel", is = "boss" })")),
              std::vector<std::string>{file + ":29: head: `override.is = \"boss\"` is not a choice of rel"});
    EXPECT_EQ(template_problems(dir, with(R"(override = { from = "field.name", when = "rel" })")),
              std::vector<std::string>{file + ":29: head: `override` takes `when` and `is` together"});
    EXPECT_EQ(template_problems(dir, with(R"(override = { from = "name" })")).size(), 1u);
    EXPECT_EQ(template_problems(dir, with("", "text")),
              std::vector<std::string>{file + ":38: card: `card.card_read` (a card was read in this session) goes into a checkbox"});
}
