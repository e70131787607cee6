// The calendar facts behind the kiosk's input pads: the 年度 list, date bounds
// relative to today, date steppers, and how templates declare them.
#include <gtest/gtest.h>

#include <fstream>

#include "kakanai/forms/inputs.hpp"
#include "kakanai/forms/prefill.hpp"
#include "kakanai/forms/template.hpp"
#include "template_fixtures.hpp"
#include "test_support.hpp"

using namespace kakanai::forms;
using kakanai::test::replace_first;
using kakanai::test::template_problems;

namespace {

std::vector<std::string> values(const std::vector<FiscalYear>& ys) {
    std::vector<std::string> out;
    for (const auto& y : ys) out.push_back(y.value);
    return out;
}

std::vector<std::string> labels(const std::vector<FiscalYear>& ys) {
    std::vector<std::string> out;
    for (const auto& y : ys) out.push_back(y.label.ja);
    return out;
}

}  // namespace

// The 年度 begins on 1 April: 31 March still belongs to the 年度 before.
TEST(FiscalYears, TheYearTurnsOnTheFirstOfApril) {
    EXPECT_EQ(fiscal_year_of("2026-03-31"), 2025);
    EXPECT_EQ(fiscal_year_of("2026-04-01"), 2026);
    EXPECT_EQ(fiscal_year_of("2026-12-02"), 2026);
    EXPECT_EQ(fiscal_year_of("2027-01-01"), 2026);
    EXPECT_EQ(values(fiscal_years("2026-03-31", 5)),
              (std::vector<std::string>{"2025", "2024", "2023", "2022", "2021"}));
    EXPECT_EQ(values(fiscal_years("2026-04-01", 5)),
              (std::vector<std::string>{"2026", "2025", "2024", "2023", "2022"}));
    EXPECT_EQ(fiscal_years("2026-04-01", 3).size(), 3u);
}

// Each 年度 in 和暦 with the income year it certifies beside it; the value is the 西暦 year.
TEST(FiscalYears, LabelsInWarekiWithTheIncomeYear) {
    const auto ys = fiscal_years("2026-12-02", 5);
    EXPECT_EQ(labels(ys), (std::vector<std::string>{
                              "令和8年度（令和7年1月〜12月の所得）", "令和7年度（令和6年1月〜12月の所得）",
                              "令和6年度（令和5年1月〜12月の所得）", "令和5年度（令和4年1月〜12月の所得）",
                              "令和4年度（令和3年1月〜12月の所得）"}));
    EXPECT_EQ(ys[0].label.en, "FY2026 (令和8年度): income of Jan–Dec 2025");
    EXPECT_EQ(ys[0].label.easy, "れいわ8ねんど（れいわ7ねんの しょとく）");
}

// 平成→令和: 2019 is 令和元年度 (and its income year 平成30年), 2018 平成30年度.
TEST(FiscalYears, EraBoundaryHeiseiToReiwa) {
    EXPECT_EQ(labels(fiscal_years("2020-04-01", 4)),
              (std::vector<std::string>{"令和2年度（令和元年1月〜12月の所得）", "令和元年度（平成30年1月〜12月の所得）",
                                        "平成30年度（平成29年1月〜12月の所得）", "平成29年度（平成28年1月〜12月の所得）"}));
    EXPECT_EQ(fiscal_years("2020-04-01", 2)[1].label.easy, "れいわがんねんど（へいせい30ねんの しょとく）");
    EXPECT_EQ(fiscal_year_text(1988), "昭和63年度");
    EXPECT_EQ(fiscal_year_text(1989), "平成元年度");
    EXPECT_EQ(fiscal_year_text(2019), "令和元年度");
}

TEST(DateBounds, RelativeToToday) {
    EXPECT_EQ(resolve_date_bound("+0d", "2026-12-02"), "2026-12-02");
    EXPECT_EQ(resolve_date_bound("today", "2026-12-02"), "2026-12-02");
    EXPECT_EQ(resolve_date_bound("-1y", "2026-12-02"), "2025-12-02");
    EXPECT_EQ(resolve_date_bound("-14d", "2026-01-05"), "2025-12-22");
    EXPECT_EQ(resolve_date_bound("+3m", "2026-11-30"), "2027-02-28");  // no 2月30日: the month's last day
    EXPECT_EQ(resolve_date_bound("-1y", "2024-02-29"), "2023-02-28");
    EXPECT_EQ(resolve_date_bound("2024-04-01", "2026-12-02"), "2024-04-01");
    for (const char* bad : {"", "1y", "-1w", "+d", "-1000y", "2024-02-30", "yesterday", "-1y "})
        EXPECT_FALSE(resolve_date_bound(bad, "2026-12-02").has_value()) << bad;
}

TEST(DateBounds, RangeOfAFieldAndTheStartDate) {
    Field f;
    f.type = FieldType::Date;
    f.date_min = "-1y";
    f.date_max = "+0d";
    const DateRange r = date_range(f, "2026-12-02");
    EXPECT_EQ(r.min, "2025-12-02");
    EXPECT_EQ(r.max, "2026-12-02");
    // Today is the start, unless an answer in range was given.
    EXPECT_EQ(date_start("", r, "2026-12-02"), "2026-12-02");
    EXPECT_EQ(date_start("2026-04-01", r, "2026-12-02"), "2026-04-01");
    EXPECT_EQ(date_start("2020-04-01", r, "2026-12-02"), "2026-12-02");  // out of range
    EXPECT_EQ(date_start("2026-02-30", r, "2026-12-02"), "2026-12-02");  // no such day
    // A range entirely in the future starts at its first day.
    f.date_min = "+0d";
    f.date_max = "+1y";
    EXPECT_EQ(date_start("", date_range(f, "2026-12-02"), "2026-12-02"), "2026-12-02");
    f.date_min = "+7d";
    EXPECT_EQ(date_start("", date_range(f, "2026-12-02"), "2026-12-02"), "2026-12-09");
    // Without bounds: 120 years back, 10 ahead.
    const DateRange open = date_range(Field{}, "2026-12-02");
    EXPECT_EQ(open.min, "1906-12-02");
    EXPECT_EQ(open.max, "2036-12-02");
}

// The steppers never make an impossible date and never leave the range.
TEST(DateSteppers, NoImpossibleDateAndNothingOutOfRange) {
    const DateRange wide{"1900-01-01", "2100-12-31"};
    EXPECT_EQ(step_date("2024-01-31", DatePart::Month, 1, wide), "2024-02-29");
    EXPECT_EQ(step_date("2023-01-31", DatePart::Month, 1, wide), "2023-02-28");
    EXPECT_EQ(step_date("2024-02-29", DatePart::Year, -1, wide), "2023-02-28");
    EXPECT_EQ(step_date("2026-02-27", DatePart::Day, 1, wide), "2026-02-28");
    EXPECT_FALSE(step_date("2026-02-28", DatePart::Day, 1, wide));  // no 2月29日 in 2026, never 2月30日
    EXPECT_FALSE(step_date("2026-12-02", DatePart::Month, 1, wide));  // no 13月
    EXPECT_FALSE(step_date("2026-01-01", DatePart::Day, -1, wide));   // no 0日
    const DateRange r{"2025-12-02", "2026-12-02"};
    EXPECT_EQ(step_date("2026-11-15", DatePart::Month, 1, r), "2026-12-02");  // up to the last day allowed
    EXPECT_FALSE(step_date("2026-12-02", DatePart::Day, 1, r));
    EXPECT_FALSE(step_date("2026-12-02", DatePart::Year, 1, r));
    EXPECT_EQ(step_date("2026-12-02", DatePart::Year, -1, r), "2025-12-02");
    EXPECT_FALSE(step_date("2025-12-02", DatePart::Year, -1, r));
    EXPECT_EQ(clamp_date("2027-01-01", r), "2026-12-02");
}

TEST(DateSteppers, YearCaptionIsWarekiWithSeireki) {
    EXPECT_EQ(year_caption("2026-12-02"), "令和8年 (2026)");
    EXPECT_EQ(year_caption("2019-05-01"), "令和元年 (2019)");
    EXPECT_EQ(year_caption("2019-04-30"), "平成31年 (2019)");
}

// ---- How a template declares them.
namespace {

const char* kTemplate = R"(id = "t"
version = 1
valid_from = 2024-04-01
source = "テスト用の様式"
checked = 2026-12-02
department = "税務課"
title = { ja = "テスト", en = "Test", easy = "てすと" }

[[fields]]
id = "year"
type = "number"
kind = "fiscal_year"
count = 5
from = "question"
label = { ja = "年度" }
question = { ja = "何年度", en = "Which year", easy = "なんねんど" }

[[fields]]
id = "moved"
type = "date"
min = "-1y"
max = "+0d"
from = "question"
label = { ja = "異動日" }
question = { ja = "いつ", en = "When", easy = "いつ" }

[[page.items]]
field = "year"
x = 20
y = 30
w = 100
h = 10
)";

}  // namespace

TEST(InputKinds, TemplateDeclaresFiscalYearAndDateBounds) {
    kakanai::test::TempDir dir;
    std::ofstream(dir / "t.toml") << kTemplate;
    const Template t = load_template(dir / "t.toml");
    EXPECT_EQ(t.field("year")->kind, "fiscal_year");
    EXPECT_EQ(t.field("year")->count, 5);
    EXPECT_EQ(t.field("moved")->date_min, "-1y");
    EXPECT_EQ(t.field("moved")->date_max, "+0d");
    // Stored as the 西暦 year, printed as the 和暦 年度.
    EXPECT_EQ(display_value(*t.field("year"), "2025"), "令和7年度");
    EXPECT_EQ(display_value(*t.field("year"), "2019"), "令和元年度");
    EXPECT_FALSE(check_value(*t.field("year"), "2025"));
    EXPECT_TRUE(check_value(*t.field("year"), "12"));
}

// A bad kind, count or bound names the file and line.
TEST(InputKinds, BadValuesAreNamedWithFileAndLine) {
    kakanai::test::TempDir dir;
    const std::string f = (dir / "t.toml").string();
    EXPECT_EQ(template_problems(dir, replace_first(kTemplate, "kind = \"fiscal_year\"", "kind = \"fiscal\"")),
              (std::vector<std::string>{f + ":12: year: `kind = \"fiscal\"`: the only kind is \"fiscal_year\" (the last `count` 年度)",
                                        f + ":13: year: `count` only applies with `kind = \"fiscal_year\"`"}));
    EXPECT_EQ(template_problems(dir, replace_first(kTemplate, "count = 5", "count = 0")),
              std::vector<std::string>{f + ":13: year: `count` is how many 年度 to offer: a whole number from 1 to 10"});
    EXPECT_EQ(template_problems(dir, replace_first(kTemplate, "min = \"-1y\"", "min = \"-1x\"")),
              std::vector<std::string>{f + ":21: moved: `min = \"-1x\"` is not a date bound: \"today\", a date such as "
                                           "\"2024-04-01\", or an offset from today such as \"-1y\", \"+0d\", \"-14d\", \"+3m\""});
    EXPECT_EQ(template_problems(dir, replace_first(kTemplate, "min = \"-1y\"", "min = \"+1y\"")),
              std::vector<std::string>{f + ":21: moved: `min = \"+1y\"` comes after `max = \"+0d\"`"});
    const auto on_text = template_problems(dir, replace_first(kTemplate, "type = \"date\"", "type = \"text\""));
    ASSERT_EQ(on_text.size(), 2u);
    EXPECT_EQ(on_text[0], f + ":21: moved: `min = \"-1y\"`: a text bound only applies to date fields");
    const auto on_choice = template_problems(dir, replace_first(kTemplate, "type = \"number\"", "type = \"phone\""));
    ASSERT_EQ(on_choice.size(), 1u);
    EXPECT_EQ(on_choice[0], f + ":12: year: `kind = \"fiscal_year\"` goes on a field of type number (the value is the "
                                "西暦 year the 年度 begins)");
}

// The shipped templates ask 年度 as the computed kind, never a hand-written 令和 list.
TEST(InputKinds, ShippedTaxCertificatesUseTheComputedList) {
    for (const auto& [file, id] : {std::pair{"shotoku.toml", "fiscal_year"}, std::pair{"nouzei_shoumei.toml", "nouzei_year"}}) {
        const Template t = load_template(kakanai::test::forms_dir() / file);
        ASSERT_NE(t.field(id), nullptr) << file;
        EXPECT_EQ(t.field(id)->kind, "fiscal_year") << file;
        EXPECT_EQ(t.field(id)->count, 5) << file;
        EXPECT_TRUE(t.field(id)->choices.empty()) << file;
    }
}
