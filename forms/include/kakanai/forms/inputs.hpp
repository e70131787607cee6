#pragma once
// Calendar facts behind the kiosk's input pads, through ICU: the 年度 a
// resident may choose, date bounds relative to today, and date steppers that
// can never make an impossible date (2月30日).
#include <optional>
#include <string>
#include <vector>

#include "kakanai/forms/template.hpp"

namespace kakanai::forms {

// ---- 年度 (fiscal year: 1 April to 31 March).

// The 年度 that contains `iso_date`: 2026-03-31 -> 2025, 2026-04-01 -> 2026.
int fiscal_year_of(const std::string& iso_date);

// "令和8年度" for 2026, "令和元年度" for 2019 (named by the era of the calendar
// year in which the 年度 begins, as of that year's end: 2019 is 令和元年度).
std::string fiscal_year_text(int year);

struct FiscalYear {
    int year = 0;        // the 西暦 year in which the 年度 begins: the stored value
    std::string value;   // "2026"
    Text label;          // 令和8年度（令和7年1月〜12月の所得）, in the kiosk's three languages
};

// The last `count` 年度 up to the one containing `today_iso`, newest first.
std::vector<FiscalYear> fiscal_years(const std::string& today_iso, int count);

// ---- Date bounds.

// A bound is "today", a date (2024-04-01) or an offset from today: a sign, a
// whole number and one of d, m, y ("-1y", "+0d", "+3m", "-14d"). Returns the
// bound as YYYY-MM-DD (ICU's calendar: 2024-02-29 - 1y is 2023-02-28), or
// nothing when `spec` is none of these.
std::optional<std::string> resolve_date_bound(const std::string& spec, const std::string& today_iso);

// The range a date question offers: its field's min/max resolved against
// today, or 120 years back to 10 years ahead when the template gives none.
struct DateRange {
    std::string min, max;  // YYYY-MM-DD, min <= max
};
DateRange date_range(const Field& f, const std::string& today_iso);

// `iso` moved into [range.min, range.max].
std::string clamp_date(const std::string& iso, const DateRange& range);

// A date picker's start: the answer when it is a date in range, else today clamped.
std::string date_start(const std::string& answer, const DateRange& range, const std::string& today_iso);

enum class DatePart { Year, Month, Day };

// One step of a stepper: the year, month or day of `iso` moved by `delta`
// (month and day stay within 1..12 and 1..the month's last day, the day is cut
// to the new month's length), then clamped to the range. Nothing when the
// step would not change the date (at the end of its range).
std::optional<std::string> step_date(const std::string& iso, DatePart part, int delta, const DateRange& range);

// "令和8年 (2026)": the year of a date as the picker shows it.
std::string year_caption(const std::string& iso);

}  // namespace kakanai::forms
