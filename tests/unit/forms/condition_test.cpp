// `when = "..."` conditions: parse errors with exact messages, evaluation over
// card facts and answers, and questions and forms skipped when false.
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
using kakanai::test::template_problems;

namespace {

std::string parse_error(const std::string& text) {
    try {
        Condition::parse(text);
    } catch (const ConditionError& e) {
        return std::string(e.what()) + " @" + std::to_string(e.column());
    }
    return "parsed";
}

bool holds(const std::string& text, const Facts& f) { return Condition::parse(text).holds(f); }

Facts facts(const std::string& birth, const Answers* answers = nullptr) {
    return Facts{birth, "female", true, "2026-12-02", answers};
}

}  // namespace

TEST(Condition, ParseErrorsSayWhatAndWhere) {
    EXPECT_EQ(parse_error(""), "the condition is empty @1");
    EXPECT_EQ(parse_error("age = 65"), "`=` is not an operator: compare with `==` @5");
    EXPECT_EQ(parse_error("age >="), "the condition ends too early: a value is missing @7");
    EXPECT_EQ(parse_error("answers.x == 'no"), "unclosed text: a quote is missing @14");
    EXPECT_EQ(parse_error("agee >= 65"),
              "unknown name `agee` (use age, card.sex, card.birth_date, card_read, today, nationality, "
              "relationship, days_since(<date>) or answers.<question id>) @1");
    EXPECT_EQ(parse_error("age"), "`age` is not a yes/no value: compare it, e.g. `age >= 65` @1");
    EXPECT_EQ(parse_error("card.sex"), "`card.sex` is not a yes/no value: compare it, e.g. `card.sex == '...'` @1");
    EXPECT_EQ(parse_error("(age >= 65"), "expected `)` @11");
    EXPECT_EQ(parse_error("age >= 65 age < 70"), "unexpected `age` after a complete condition (missing `and` / `or`?) @11");
    EXPECT_EQ(parse_error("age >= 'old'"), "`>=` compares numbers or dates (YYYY-MM-DD) @8");
    EXPECT_EQ(parse_error("answers.x in 'a'"), "expected `[` after `in` @14");
    EXPECT_EQ(parse_error("answers.x in ['a' 'b']"), "expected `,` or `]` @19");
    EXPECT_EQ(parse_error("age >= 65 and"), "the condition ends too early: a value is missing @14");
    EXPECT_EQ(parse_error("answers. == 'a'"), "`answers.` is followed by one question id @1");
    EXPECT_EQ(parse_error("age ≥ 65"), "unexpected character `≥` @5");
    EXPECT_EQ(parse_error("age >= 65 and not (answers.x == 'no' or card_read)"), "parsed");
}

TEST(Condition, AgeIsCountedOnTheDayOfTheErrand) {
    EXPECT_EQ(age_on("1961-12-02", "2026-12-02"), 65);  // the birthday itself counts
    EXPECT_EQ(age_on("1961-12-03", "2026-12-02"), 64);
    EXPECT_EQ(age_on("2000-02-29", "2026-02-28"), 25);
    EXPECT_EQ(age_on("", "2026-12-02"), std::nullopt);
    EXPECT_TRUE(holds("age >= 65", facts("1961-12-02")));
    EXPECT_FALSE(holds("age >= 65", facts("1961-12-03")));
    // An unknown age decides nothing: neither side of a comparison holds.
    EXPECT_FALSE(holds("age >= 65", facts("")));
    EXPECT_FALSE(holds("age < 65", facts("")));
    EXPECT_TRUE(holds("age >= 20 and age < 60", facts("1990-01-01")));
}

TEST(Condition, AnswersCardFactsAndLists) {
    const Answers a{{"employer_insurance", "no"}, {"nationality", "VN"}, {"copies", "3"}, {"agree", "true"}};
    const Facts f = facts("1980-04-01", &a);
    EXPECT_TRUE(holds("answers.employer_insurance == 'no'", f));
    EXPECT_FALSE(holds("answers.employer_insurance != 'no'", f));
    EXPECT_TRUE(holds("nationality != 'JP'", f));
    EXPECT_TRUE(holds("answers.copies > 2", f));  // numbers compare as numbers
    EXPECT_TRUE(holds("answers.copies == 3", f));
    EXPECT_TRUE(holds("answers.agree", f));
    EXPECT_TRUE(holds("card_read and card.sex == 'female'", f));
    EXPECT_TRUE(holds("answers.nationality in ['VN', 'PH']", f));
    EXPECT_FALSE(holds("answers.nationality in [\"JP\"]", f));
    EXPECT_TRUE(holds("not answers.missing == 'x'", f));
    EXPECT_TRUE(holds("answers.missing == ''", f));  // an answer not given is empty
    EXPECT_TRUE(holds("card.birth_date < 1990-01-01", f));
    EXPECT_TRUE(holds("today == '2026-12-02'", f));
    EXPECT_FALSE(holds("false or (true and false)", f));
    EXPECT_EQ(Condition::parse("answers.a == 'x' or answers.b == 'y' or nationality == 'JP'").answers_used(),
              (std::vector<std::string>{"a", "b", "nationality"}));
}

TEST(Condition, AFormWaitsForItsAnswerBeforeItIsDecided) {
    const Condition c = Condition::parse("answers.employer_insurance == 'no'");
    Answers a;
    EXPECT_FALSE(c.decided(a));
    EXPECT_TRUE(may_apply(c, facts("1980-04-01", &a)));  // still open: its questions are asked
    a["employer_insurance"] = "yes";
    EXPECT_TRUE(c.decided(a));
    EXPECT_FALSE(may_apply(c, facts("1980-04-01", &a)));
    EXPECT_TRUE(may_apply(Condition(), facts("", &a)));
}

namespace {

// Two forms of one errand; line numbers below refer to this text.
const char* kPension = R"(id = "pension"
version = 1
valid_from = 2024-04-01
source = "テスト用の様式"
checked = 2026-12-02
department = "保険年金課"
when = "age >= 20 and age < 60"
title = { ja = "年金", en = "Pension", easy = "ねんきん" }

[[fields]]
id = "employed"
type = "choice"
from = "question"
label = { ja = "勤務" }
question = { ja = "会社で働いていますか", en = "Employed?", easy = "はたらいて いますか" }
choices = [ { value = "yes", label = { ja = "はい" } }, { value = "no", label = { ja = "いいえ" } } ]

[[fields]]
id = "reason"
type = "choice"
from = "question"
default = "retired"
when = "answers.employed == 'no'"
label = { ja = "理由" }
question = { ja = "理由", en = "Reason", easy = "りゆう" }
choices = [ { value = "retired", label = { ja = "退職" } }, { value = "other", label = { ja = "その他" } } ]

[[fields]]
id = "phone"
type = "phone"
from = "question"
label = { ja = "電話" }
question = { ja = "電話番号", en = "Phone", easy = "でんわ" }

[[page.items]]
field = "employed"
x = 20
y = 30
w = 50
h = 10

[[page.items]]
field = "reason"
x = 20
y = 45
w = 50
h = 10

[[page.items]]
field = "phone"
x = 20
y = 60
w = 50
h = 10
)";

const char* kCare = R"(id = "care"
version = 1
valid_from = 2024-04-01
source = "テスト用の様式"
checked = 2026-12-02
department = "福祉介護課"
when = "age >= 65"
title = { ja = "介護", en = "Care", easy = "かいご" }

[[fields]]
id = "phone"
type = "phone"
from = "question"
label = { ja = "電話" }
question = { ja = "電話番号", en = "Phone", easy = "でんわ" }

[[fields]]
id = "care_level"
type = "number"
from = "question"
label = { ja = "区分" }
question = { ja = "区分", en = "Level", easy = "くぶん" }

[[page.items]]
field = "phone"
x = 20
y = 30
w = 50
h = 10

[[page.items]]
field = "care_level"
x = 20
y = 45
w = 50
h = 10
)";

std::vector<std::string> ids(const std::vector<const Field*>& fs) {
    std::vector<std::string> out;
    for (const Field* f : fs) out.push_back(f->id);
    return out;
}

std::string replaced(std::string s, const std::string& from, const std::string& to) {
    s.replace(s.find(from), from.size(), to);
    return s;
}

}  // namespace

TEST(Condition, QuestionsAndFormsThatDoNotApplyAreSkipped) {
    kakanai::test::TempDir dir;
    std::ofstream(dir / "pension.toml") << kPension;
    std::ofstream(dir / "care.toml") << kCare;
    const Template pension = load_template(dir / "pension.toml");
    const Template care = load_template(dir / "care.toml");
    const std::vector<const Template*> errand{&pension, &care};

    // 45 and employed: the pension form, no reason; the care form's own question is not asked.
    Answers a{{"employed", "yes"}};
    EXPECT_EQ(ids(questions_asked(errand, facts("1981-01-01", &a))), (std::vector<std::string>{"employed", "phone"}));
    EXPECT_EQ(forms_included(errand, facts("1981-01-01", &a)), (std::vector<const Template*>{&pension}));
    // Not employed: the reason is asked.
    a["employed"] = "no";
    EXPECT_EQ(ids(questions_asked(errand, facts("1981-01-01", &a))),
              (std::vector<std::string>{"employed", "reason", "phone"}));
    // 70: only the care form; the shared phone question is asked once.
    EXPECT_EQ(ids(questions_asked(errand, facts("1956-01-01", &a))), (std::vector<std::string>{"phone", "care_level"}));
    EXPECT_EQ(forms_included(errand, facts("1956-01-01", &a)), (std::vector<const Template*>{&care}));

    // The errand's filled forms leave the care form out, and a skipped question's
    // default is not printed.
    const CardData card{"架空 花子", "東京都千代田区霞が関1丁目1番1号", "1981-01-01", "female", true};
    const auto filled = prefill_errand(errand, card, {{"employed", "yes"}}, "2026-12-02");
    ASSERT_EQ(filled.size(), 1u);
    EXPECT_EQ(filled[0].template_id, "pension");
    EXPECT_EQ(filled[0].find("reason")->value, "");
    EXPECT_EQ(filled[0].find("reason")->origin, Origin::Empty);
    const auto not_employed = prefill(pension, card, {{"employed", "no"}}, "2026-12-02");
    EXPECT_EQ(not_employed.find("reason")->value, "retired");
}

TEST(Condition, TemplateProblemsNameFileLineAndField) {
    kakanai::test::TempDir dir;
    const std::string file = (dir / "t.toml").string();
    EXPECT_EQ(template_problems(dir, replaced(kPension, "when = \"answers.employed == 'no'\"", "when = \"answers.employed = 'no'\"")),
              std::vector<std::string>{file + ":23: reason: `when = \"answers.employed = 'no'\"`: `=` is not an operator: "
                                              "compare with `==` (column 18)"});
    EXPECT_EQ(template_problems(dir, replaced(kPension, "when = \"answers.employed == 'no'\"", "when = \"answers.phone == ''\"")),
              std::vector<std::string>{file + ":23: reason: `when` uses answers.phone, which is not a question asked "
                                              "before this one (move that question up)"});
    EXPECT_EQ(template_problems(dir, replaced(kPension, "when = \"answers.employed == 'no'\"", "when = \"answers.nobody == ''\"")),
              std::vector<std::string>{file + ":23: reason: `when` uses answers.nobody, which is not a question of this template"});
    EXPECT_EQ(template_problems(dir, replaced(kPension, "when = \"age >= 20 and age < 60\"", "when = \"age >= 20 and\"")),
              std::vector<std::string>{file + ":7: -: `when = \"age >= 20 and\"`: the condition ends too early: a value "
                                              "is missing (column 14)"});
    EXPECT_EQ(template_problems(dir, replaced(kPension, "when = \"age >= 20 and age < 60\"", "when = 65")),
              std::vector<std::string>{file + ":7: -: `when` is a condition in quotes, e.g. when = \"age >= 65\""});
}

TEST(Condition, SourceAndCheckedAreRequiredAndFeeIsAWholeNumber) {
    kakanai::test::TempDir dir;
    const std::string file = (dir / "t.toml").string();
    EXPECT_EQ(template_problems(dir, replaced(kPension, "source = \"テスト用の様式\"\n", "")),
              std::vector<std::string>{file + ":1: -: `source` (the official form or rule this template follows, and "
                                              "where a town finds it) is missing"});
    EXPECT_EQ(template_problems(dir, replaced(kPension, "checked = 2026-12-02", "checked = \"yesterday\"")),
              std::vector<std::string>{file + ":5: -: `checked` (the day the template was last compared with its "
                                              "source, e.g. 2026-12-02) is missing or not a date"});
    EXPECT_EQ(template_problems(dir, replaced(kPension, "checked = 2026-12-02", "checked = 2026-12-02\nfee_yen = -300")),
              std::vector<std::string>{file + ":6: -: `fee_yen` is the fee per copy in yen: a whole number, 0 or more"});
    std::ofstream(dir / "fee.toml") << replaced(kPension, "checked = 2026-12-02", "checked = 2026-12-02\nfee_yen = 300");
    const Template t = load_template(dir / "fee.toml");
    EXPECT_EQ(t.fee_yen, 300);
    EXPECT_EQ(t.source, "テスト用の様式");
    EXPECT_EQ(t.checked, "2026-12-02");
}

// `print` and `background`: how the form reaches paper (docs/templates.md "Paper").
TEST(Condition, PrintModeAndBackgroundAreChecked) {
    kakanai::test::TempDir dir;
    const std::string file = (dir / "t.toml").string();
    const auto with = [](const std::string& lines) {
        return replaced(kPension, "checked = 2026-12-02", "checked = 2026-12-02\n" + lines);
    };
    EXPECT_EQ(template_problems(dir, with("print = \"stamp\"")),
              std::vector<std::string>{file + ":6: -: `print` is \"full\" (we draw the whole form) or \"overlay\" (only "
                                              "the values, onto the town's pre-printed paper)"});
    EXPECT_EQ(template_problems(dir, with("background = \"form.pdf\"")),
              std::vector<std::string>{file + ":6: -: `background` names a PNG or JPEG file of the official form, next "
                                              "to the template (kakanai-forms new --from-pdf makes one from a PDF)"});
    EXPECT_EQ(template_problems(dir, with("background = \"missing.png\"")),
              std::vector<std::string>{file + ":6: -: `background`: " + (dir / "missing.png").string() +
                                       " does not exist"});
    std::ofstream(dir / "scan.PNG") << "x";
    std::ofstream(dir / "overlay.toml") << with("print = \"overlay\"\nbackground = \"scan.PNG\"");
    const Template t = load_template(dir / "overlay.toml");
    EXPECT_EQ(t.print, PrintMode::Overlay);
    EXPECT_EQ(t.background, dir / "scan.PNG");
    std::ofstream(dir / "plain.toml") << kPension;
    EXPECT_EQ(load_template(dir / "plain.toml").print, PrintMode::Full);
    EXPECT_TRUE(load_template(dir / "plain.toml").background.empty());
}

// The shipped catalogue: at least 45 procedures, each naming its source.
TEST(Condition, EveryShippedTemplateNamesItsSource) {
    const Catalogue c = Catalogue::load(kakanai::test::forms_dir(), "2026-12-02");
    EXPECT_TRUE(c.problems().empty()) << c.problems().front().to_string();
    EXPECT_GE(c.templates().size(), 45u);
    for (const Template* t : c.templates()) {
        EXPECT_GE(t->source.size(), 20u) << t->id;
        EXPECT_EQ(t->checked, "2026-12-02") << t->id;
    }
    // The bundle for moving in: 国保 only without employer insurance, 年金 at 20–59 without an
    // employer pension, 児童手当 with children, 介護保険 from 65.
    const auto ev = std::find_if(c.events().begin(), c.events().end(), [](const LifeEvent& e) { return e.id == "moving_in"; });
    ASSERT_NE(ev, c.events().end());
    std::vector<const Template*> errand;
    for (const auto& id : ev->template_ids) errand.push_back(c.find(id));
    auto included = [&](const std::string& birth, const Answers& a) {
        std::vector<std::string> out;
        for (const Template* t : forms_included(errand, facts(birth, &a))) out.push_back(t->id);
        return out;
    };
    EXPECT_EQ(included("1990-05-05", {{"employer_insurance", "yes"}, {"employer_pension", "no"}, {"has_children", "yes"}}),
              (std::vector<std::string>{"tennyu", "nenkin_kanyu", "jidou_teate"}));
    EXPECT_EQ(included("1990-05-05", {{"employer_insurance", "yes"}, {"employer_pension", "yes"}, {"has_children", "no"}}),
              (std::vector<std::string>{"tennyu"}));
    EXPECT_EQ(included("1950-05-05", {{"employer_insurance", "no"}}),
              (std::vector<std::string>{"tennyu", "kokuho_shutoku", "kaigo_shikaku"}));
}
