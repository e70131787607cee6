#include "kakanai/forms/wareki.hpp"

#include <unicode/calendar.h>
#include <unicode/gregocal.h>
#include <unicode/locid.h>
#include <unicode/smpdtfmt.h>
#include <unicode/timezone.h>

#include <chrono>
#include <ctime>
#include <memory>
#include <regex>

namespace kakanai::forms {
namespace {

struct Ymd {
    int y, m, d;
};

Ymd parse_iso(const std::string& iso) {
    static const std::regex re(R"((\d{4})-(\d{2})-(\d{2}))");
    std::smatch m;
    if (!std::regex_match(iso, m, re)) throw DateError("not a date (YYYY-MM-DD): " + iso);
    Ymd v{std::stoi(m[1]), std::stoi(m[2]), std::stoi(m[3])};
    const std::chrono::year_month_day ymd{std::chrono::year{v.y}, std::chrono::month{static_cast<unsigned>(v.m)},
                                          std::chrono::day{static_cast<unsigned>(v.d)}};
    if (!ymd.ok()) throw DateError("no such date: " + iso);
    // The Japanese calendar in its modern form starts on 明治6年1月1日 (1873).
    if (v.y < 1873) throw DateError("dates before 1873 cannot be written in 和暦: " + iso);
    return v;
}

UDate to_udate(const Ymd& v) {
    UErrorCode err = U_ZERO_ERROR;
    icu::GregorianCalendar cal(*icu::TimeZone::getGMT(), err);
    cal.clear();
    cal.set(v.y, v.m - 1, v.d, 12, 0, 0);
    const UDate t = cal.getTime(err);
    if (U_FAILURE(err)) throw DateError("ICU calendar error");
    return t;
}

std::string format_with(const char* pattern, const char* override_fields, const char* locale, UDate t) {
    UErrorCode err = U_ZERO_ERROR;
    icu::SimpleDateFormat fmt(icu::UnicodeString::fromUTF8(pattern),
                              icu::UnicodeString::fromUTF8(override_fields), icu::Locale(locale), err);
    if (U_FAILURE(err)) throw DateError(std::string("ICU date format error: ") + u_errorName(err));
    fmt.setTimeZone(*icu::TimeZone::getGMT());
    icu::UnicodeString out;
    fmt.format(t, out);
    std::string s;
    out.toUTF8String(s);
    return s;
}

}  // namespace

std::string format_date(const std::string& iso_date, DateStyle style) {
    const UDate t = to_udate(parse_iso(iso_date));
    if (style == DateStyle::Seireki) return format_with("y年M月d日", "", "ja_JP", t);
    // "y=jpanyear" makes ICU print the first year of an era as 元年.
    return format_with("Gy年M月d日", "y=jpanyear", "ja_JP@calendar=japanese", t);
}

EraYear era_year(const std::string& iso_date) {
    const UDate t = to_udate(parse_iso(iso_date));
    EraYear e;
    e.era = format_with("G", "", "ja_JP@calendar=japanese", t);
    e.year = std::stoi(format_with("y", "", "ja_JP@calendar=japanese", t));
    return e;
}

std::string today_iso() {
    const std::time_t now = std::time(nullptr);
    std::tm local{};
    localtime_r(&now, &local);
    char b[16];
    std::strftime(b, sizeof b, "%Y-%m-%d", &local);
    return b;
}

}  // namespace kakanai::forms
