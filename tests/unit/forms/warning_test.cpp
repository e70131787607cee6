// days_since() in conditions, [[warning]] blocks for the staff station, the
// check that a compared value is one of the question's choices, and the life
// events whose forms join by the answers.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>

#include "kakanai/forms/catalogue.hpp"
#include "kakanai/forms/condition.hpp"
#include "kakanai/forms/prefill.hpp"
#include "kakanai/forms/template.hpp"
#include "template_fixtures.hpp"
#include "test_support.hpp"

using namespace kakanai::forms;
using kakanai::test::replace_first;
using kakanai::test::template_problems;

namespace {

// Line numbers below refer to this text.
const char* kMove = R"(id = "move"
version = 1
valid_from = 2024-04-01
source = "テスト用の様式"
checked = 2026-12-02
department = "住民課"
title = { ja = "転入", en = "Moving in", easy = "ひっこし" }

[[warning]]
when = "days_since(answers.move_date) > 14"
text = { ja = "14日を過ぎています", en = "Late", easy = "おくれ" }

[[fields]]
id = "request_date"
type = "date"
from = "today"
label = { ja = "届出日" }

[[fields]]
id = "move_date"
type = "date"
from = "question"
required = true
label = { ja = "住みはじめた日" }
question = { ja = "住みはじめた日", en = "Moved on", easy = "すみはじめた ひ" }

[[fields]]
id = "nationality"
type = "choice"
from = "question"
required = true
label = { ja = "国籍" }
question = { ja = "日本国籍ですか", en = "Japanese?", easy = "にほんの こくせき" }
choices = [ { value = "JP", label = { ja = "日本" } }, { value = "foreign", label = { ja = "外国" } } ]

[[fields]]
id = "residence_status"
type = "text"
from = "question"
required = true
when = "nationality == 'foreign'"
label = { ja = "在留資格" }
question = { ja = "在留資格", en = "Status", easy = "ざいりゅう しかく" }

[[page.items]]
field = "request_date"
x = 20
y = 30
w = 50
h = 10

[[page.items]]
field = "move_date"
x = 20
y = 45
w = 50
h = 10

[[page.items]]
field = "nationality"
x = 20
y = 60
w = 50
h = 10

[[page.items]]
field = "residence_status"
x = 20
y = 75
w = 50
h = 10
)";

std::string parse_error(const std::string& text) {
    try {
        Condition::parse(text);
    } catch (const ConditionError& e) {
        return std::string(e.what()) + " @" + std::to_string(e.column());
    }
    return "parsed";
}

FilledForm filled(const Template& t, const Answers& a) { return prefill(t, CardData{}, a, "2026-12-02"); }

std::vector<std::string> ja(const std::vector<Text>& texts) {
    std::vector<std::string> out;
    for (const auto& t : texts) out.push_back(t.ja);
    return out;
}

}  // namespace

TEST(DaysSince, CountsWholeDaysToTheDayOfTheErrand) {
    const Answers a{{"move_date", "2026-11-17"}};
    const Facts f{"", "", true, "2026-12-02", &a};
    EXPECT_TRUE(Condition::parse("days_since(answers.move_date) == 15").holds(f));
    EXPECT_TRUE(Condition::parse("days_since(answers.move_date) > 14").holds(f));
    const Answers future{{"move_date", "2026-12-05"}};
    const Facts g{"", "", true, "2026-12-02", &future};
    EXPECT_TRUE(Condition::parse("days_since(answers.move_date) < 0").holds(g));
    EXPECT_FALSE(Condition::parse("days_since(answers.move_date) > 14").holds(g));
    // No answer yet (or not a date): decides nothing, never a warning.
    const Answers none;
    const Facts h{"", "", true, "2026-12-02", &none};
    EXPECT_FALSE(Condition::parse("days_since(answers.move_date) > 14").holds(h));
    EXPECT_FALSE(Condition::parse("days_since(answers.move_date) < 0").holds(h));
    EXPECT_EQ(Condition::parse("days_since(answers.move_date) > 14").answers_used(), std::vector<std::string>{"move_date"});
}

TEST(DaysSince, ParseErrorsSayWhatAndWhere) {
    EXPECT_EQ(parse_error("days_since(answers.move_date)"),
              "`days_since(...)` is a number of days: compare it, e.g. `days_since(answers.move_date) > 14` @1");
    EXPECT_EQ(parse_error("days_since(age) > 3"), "`days_since` takes a date: answers.<question id> or card.birth_date @12");
    EXPECT_EQ(parse_error("days_since answers.x > 3"), "expected `(` after `days_since` @12");
    EXPECT_EQ(parse_error("days_since(answers.x > 3"), "expected `)` after the date of `days_since` @22");
}

TEST(Warning, ShownOnlyWhenItsConditionHoldsForTheFilledForm) {
    kakanai::test::TempDir dir;
    std::ofstream(dir / "t.toml") << kMove;
    const Template t = load_template(dir / "t.toml");
    ASSERT_EQ(t.staff_warnings.size(), 1u);
    EXPECT_EQ(t.staff_warnings[0].line, 9);
    EXPECT_EQ(ja(form_warnings(t, filled(t, {{"move_date", "2026-11-10"}, {"nationality", "JP"}}), "2026-12-02")),
              std::vector<std::string>{"14日を過ぎています"});
    EXPECT_TRUE(form_warnings(t, filled(t, {{"move_date", "2026-11-30"}, {"nationality", "JP"}}), "2026-12-02").empty());
    // Counted to the day the form was filled, not to the day staff open it.
    EXPECT_TRUE(form_warnings(t, filled(t, {{"move_date", "2026-11-10"}}), "2026-11-20").empty());
}

TEST(Warning, ProblemsNameFileLineAndWhat) {
    kakanai::test::TempDir dir;
    const std::string file = (dir / "t.toml").string();
    EXPECT_TRUE(template_problems(dir, kMove).empty());
    EXPECT_EQ(template_problems(dir, replace_first(kMove, "when = \"days_since(answers.move_date) > 14\"\n", "")),
              std::vector<std::string>{file + ":9: warning: a [[warning]] needs `when = \"...\"` (when the staff must be warned)"});
    EXPECT_EQ(template_problems(dir, replace_first(kMove, "answers.move_date) > 14", "answers.moved) > 14")),
              std::vector<std::string>{file + ":10: warning: `when` uses answers.moved, which is not a question of this template"});
    EXPECT_EQ(template_problems(dir, replace_first(kMove, ", en = \"Late\", easy = \"おくれ\"", "")),
              std::vector<std::string>{file + ":11: warning: a [[warning]] `text` needs ja, en and easy"});
    EXPECT_EQ(template_problems(dir, replace_first(kMove, "text = {", "txt = {")),
              (std::vector<std::string>{file + ":11: warning: unknown key `txt`",
                                        file + ":9: warning: a [[warning]] `text` needs ja, en and easy"}));
}

// A misspelt value would never (or always) hold: `nationality == 'foreign'`
// against choices JP/foreign is fine, 'Foreign' is reported.
TEST(Warning, ComparedValueMustBeOneOfTheChoices) {
    kakanai::test::TempDir dir;
    const std::string file = (dir / "t.toml").string();
    EXPECT_EQ(template_problems(dir, replace_first(kMove, "nationality == 'foreign'", "nationality == 'Foreign'")),
              std::vector<std::string>{file + ":36: residence_status: `when = \"nationality == 'Foreign'\"` compares "
                                              "nationality with 'Foreign', which is not one of its choices"});
    EXPECT_EQ(template_problems(dir, replace_first(kMove, "nationality == 'foreign'", "nationality in ['JP', 'jp']")),
              std::vector<std::string>{file + ":36: residence_status: `when = \"nationality in ['JP', 'jp']\"` compares "
                                              "nationality with 'jp', which is not one of its choices"});
    // nationality names the question `nationality`, which must exist before it.
    EXPECT_EQ(template_problems(dir, replace_first(kMove, "id = \"nationality\"", "id = \"kokuseki\"")).front(),
              file + ":41: residence_status: `when` uses answers.nationality, which is not a question of this template");
}

// The foreign-resident fields: asked, printed and required only for a foreign resident.
TEST(Warning, ARequiredQuestionNotAskedIsNotMissing) {
    kakanai::test::TempDir dir;
    std::ofstream(dir / "t.toml") << kMove;
    const Template t = load_template(dir / "t.toml");
    FilledForm jp = filled(t, {{"move_date", "2026-11-30"}, {"nationality", "JP"}});
    EXPECT_TRUE(check_form(t, jp).empty());
    FilledForm foreign = filled(t, {{"move_date", "2026-11-30"}, {"nationality", "foreign"}});
    const auto issues = check_form(t, foreign);
    ASSERT_EQ(issues.size(), 1u);
    EXPECT_EQ(issues[0].field, "residence_status");
}

// The shipped bundles: each form joins only when the answers say so.
TEST(Warning, LifeEventsIncludeFormsByTheAnswers) {
    const Catalogue c = Catalogue::load(kakanai::test::forms_dir(), "2026-12-02");
    ASSERT_TRUE(c.problems().empty()) << c.problems().front().to_string();
    auto included = [&](const std::string& event, const std::string& birth, const Answers& a) {
        const auto ev = std::find_if(c.events().begin(), c.events().end(), [&](const LifeEvent& e) { return e.id == event; });
        std::vector<const Template*> errand;
        if (ev != c.events().end())
            for (const auto& id : ev->template_ids) errand.push_back(c.find(id));
        std::vector<std::string> out;
        const Facts f{birth, "female", true, "2026-12-02", &a};
        for (const Template* t : forms_included(errand, f)) out.push_back(t->id);
        return out;
    };
    using V = std::vector<std::string>;
    EXPECT_EQ(included("moving_out", "1980-01-01", {{"in_kokuho", "true"}, {"receives_jidou_teate", "yes"}}),
              (V{"tenshutsu", "kokuho_soushitsu", "jidou_teate_shometsu"}));
    EXPECT_EQ(included("moving_out", "1950-01-01", {{"in_kokuho", "false"}, {"receives_jidou_teate", "no"}}),
              (V{"tenshutsu", "kaigo_shikaku"}));
    EXPECT_EQ(included("birth", "1992-01-01", {{"employer_insurance", "no"}, {"has_children", "yes"}}),
              (V{"shussei", "kokuho_shutoku", "jidou_teate", "kodomo_iryo"}));
    EXPECT_EQ(included("birth", "1992-01-01", {{"employer_insurance", "yes"}, {"has_children", "yes"}}),
              (V{"shussei", "jidou_teate", "kodomo_iryo"}));
    EXPECT_EQ(included("bereavement", "1960-01-01", {{"deceased_kokuho", "yes"}}), (V{"okuyami", "shibou", "kasou_kyoka", "sousaihi"}));
    EXPECT_EQ(included("bereavement", "1960-01-01", {{"deceased_kokuho", "no"}}), (V{"okuyami", "shibou", "kasou_kyoka"}));
    EXPECT_EQ(included("disaster", "1960-01-01", {{"damage_target", "other"}}), (V{"hisai", "juminhyo"}));
    EXPECT_EQ(included("disaster", "1960-01-01", {{"damage_target", "both"}}), (V{"risai", "hisai", "juminhyo"}));
}

// 転入届: the staff station is told about a late filing; the 15-day 児童手当 note too.
TEST(Warning, ShippedTennyuWarnsAboutALateFiling) {
    const Catalogue c = Catalogue::load(kakanai::test::forms_dir(), "2026-12-02");
    const Template* t = c.find("tennyu");
    ASSERT_NE(t, nullptr);
    const Answers late{{"move_date", "2026-11-01"}, {"nationality", "JP"}};
    const auto w = form_warnings(*t, prefill(*t, CardData{}, late, "2026-12-02"), "2026-12-02");
    ASSERT_EQ(w.size(), 1u);
    EXPECT_NE(w[0].ja.find("14日を過ぎています"), std::string::npos);
    const Answers early{{"move_date", "2026-12-03"}, {"nationality", "JP"}};
    EXPECT_EQ(form_warnings(*t, prefill(*t, CardData{}, early, "2026-12-02"), "2026-12-02").size(), 1u);
    const Answers ok{{"move_date", "2026-11-30"}, {"nationality", "JP"}};
    EXPECT_TRUE(form_warnings(*t, prefill(*t, CardData{}, ok, "2026-12-02"), "2026-12-02").empty());
}
