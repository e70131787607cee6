#include <gtest/gtest.h>

#include "kakanai/forms/wareki.hpp"

using namespace kakanai::forms;

TEST(Wareki, EraBoundaries) {
    const std::pair<const char*, const char*> cases[] = {
        {"1873-01-01", "明治6年1月1日"},   {"1912-07-29", "明治45年7月29日"},
        {"1912-07-30", "大正元年7月30日"}, {"1926-12-24", "大正15年12月24日"},
        {"1926-12-25", "昭和元年12月25日"}, {"1989-01-07", "昭和64年1月7日"},
        {"1989-01-08", "平成元年1月8日"},  {"2019-04-30", "平成31年4月30日"},
        {"2019-05-01", "令和元年5月1日"},  {"2020-01-01", "令和2年1月1日"},
    };
    for (const auto& [iso, expected] : cases) EXPECT_EQ(format_date(iso, DateStyle::Wareki), expected) << iso;
}

TEST(Wareki, SeirekiAndEraYear) {
    EXPECT_EQ(format_date("1980-02-17", DateStyle::Seireki), "1980年2月17日");
    const EraYear e = era_year("2019-05-01");
    EXPECT_EQ(e.era, "令和");
    EXPECT_EQ(e.year, 1);
}

TEST(Wareki, RejectsBadDates) {
    EXPECT_THROW(format_date("1872-12-31", DateStyle::Wareki), DateError);
    EXPECT_THROW(format_date("2023-02-29", DateStyle::Wareki), DateError);
    EXPECT_THROW(format_date("1980/02/17", DateStyle::Wareki), DateError);
    EXPECT_THROW(format_date("", DateStyle::Seireki), DateError);
}

TEST(Wareki, EraYearOnBothSidesOfEveryBoundary) {
    struct Case {
        const char* iso;
        const char* era;
        int year;
    };
    const Case cases[] = {{"1873-01-01", "明治", 6},  {"1912-07-29", "明治", 45}, {"1912-07-30", "大正", 1},
                          {"1926-12-24", "大正", 15}, {"1926-12-25", "昭和", 1},  {"1989-01-07", "昭和", 64},
                          {"1989-01-08", "平成", 1},  {"2019-04-30", "平成", 31}, {"2019-05-01", "令和", 1}};
    for (const auto& c : cases) {
        const EraYear e = era_year(c.iso);
        EXPECT_EQ(e.era, c.era) << c.iso;
        EXPECT_EQ(e.year, c.year) << c.iso;
    }
    EXPECT_THROW(era_year("1872-12-31"), DateError);
    EXPECT_THROW(era_year("2019-13-01"), DateError);
}

TEST(Wareki, OnlyTheFirstYearIsGannen) {
    EXPECT_EQ(format_date("2019-12-31", DateStyle::Wareki), "令和元年12月31日");
    EXPECT_EQ(format_date("2020-01-01", DateStyle::Wareki), "令和2年1月1日");
    EXPECT_EQ(format_date("1989-12-31", DateStyle::Wareki), "平成元年12月31日");
    EXPECT_EQ(format_date("2019-05-01", DateStyle::Seireki), "2019年5月1日");
}
