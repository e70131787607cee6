#include "kakanai/cardreader/code_b.hpp"

#include <unicode/calendar.h>
#include <unicode/gregocal.h>
#include <unicode/locid.h>
#include <unicode/timezone.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <stdexcept>

#include "kakanai/cardreader/bytes.hpp"

namespace kakanai::cardreader {
namespace {

bool all_digits(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::chrono::year_month_day parse_iso(std::string_view d) {
    if (d.size() != 10 || d[4] != '-' || d[7] != '-' || !all_digits(d.substr(0, 4)) || !all_digits(d.substr(5, 2)) ||
        !all_digits(d.substr(8, 2)))
        throw std::invalid_argument("the birth date must be YYYY-MM-DD");
    auto num = [&](std::size_t at, std::size_t n) {
        int v = 0;
        for (std::size_t i = at; i < at + n; ++i) v = v * 10 + (d[i] - '0');
        return v;
    };
    const std::chrono::year_month_day ymd{std::chrono::year{num(0, 4)},
                                          std::chrono::month{static_cast<unsigned>(num(5, 2))},
                                          std::chrono::day{static_cast<unsigned>(num(8, 2))}};
    if (!ymd.ok()) throw std::invalid_argument("the birth date is not a calendar date");
    return ymd;
}

}  // namespace

std::string japanese_era_yymmdd(std::string_view iso_date) {
    const auto ymd = parse_iso(iso_date);
    if (ymd.year() < std::chrono::year{1873})
        throw std::invalid_argument("the birth date is before the Japanese calendar's eras with western dates");
    UErrorCode st = U_ZERO_ERROR;
    // Both calendars in Japan's time zone at noon, so the day never shifts.
    std::unique_ptr<icu::TimeZone> tz(icu::TimeZone::createTimeZone("Asia/Tokyo"));
    icu::GregorianCalendar western(*tz, icu::Locale::getRoot(), st);
    western.clear();
    western.set(static_cast<int>(ymd.year()), static_cast<int>(unsigned{ymd.month()}) - 1,
                static_cast<int>(unsigned{ymd.day()}), 12, 0, 0);
    const UDate when = western.getTime(st);
    std::unique_ptr<icu::Calendar> japanese(
        icu::Calendar::createInstance(tz->clone(), icu::Locale("ja_JP@calendar=japanese"), st));
    if (U_FAILURE(st) || !japanese) throw std::runtime_error("ICU has no Japanese calendar");
    japanese->setTime(when, st);
    const int era_year = japanese->get(UCAL_YEAR, st);
    const int month = japanese->get(UCAL_MONTH, st) + 1;
    const int day = japanese->get(UCAL_DATE, st);
    if (U_FAILURE(st) || era_year < 1 || era_year > 99) throw std::runtime_error("ICU could not convert the date");
    char out[40];
    std::snprintf(out, sizeof out, "%02d%02d%02d", era_year, month, day);
    return out;
}

CodeB CodeB::from_card_face(std::string_view birth_date_iso, int expiry_year, std::string_view security_code) {
    if (expiry_year < 2015 || expiry_year > 2199)
        throw std::invalid_argument("the expiry year must be a western year such as 2035");
    if (security_code.size() != 4 || !all_digits(security_code))
        throw std::invalid_argument("the security code has 4 digits");
    const std::string yymmdd = japanese_era_yymmdd(birth_date_iso);
    CodeB b;
    char year[16];
    std::snprintf(year, sizeof year, "%04d", expiry_year);
    auto it = std::copy(yymmdd.begin(), yymmdd.end(), b.digits_.begin());
    it = std::copy(year, year + 4, it);
    std::copy(security_code.begin(), security_code.end(), it);
    return b;
}

CodeB::CodeB(CodeB&& other) noexcept : digits_(other.digits_) {
    base::secure_zero(other.digits_.data(), other.digits_.size());
}

CodeB::~CodeB() { base::secure_zero(digits_.data(), digits_.size()); }

}  // namespace kakanai::cardreader
