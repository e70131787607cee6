#include "kakanai/forms/inputs.hpp"

#include <unicode/gregocal.h>
#include <unicode/timezone.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <regex>

#include "kakanai/forms/wareki.hpp"

namespace kakanai::forms {
namespace {

struct Ymd {
    int y = 0, m = 0, d = 0;
};

std::optional<Ymd> parse(const std::string& iso) {
    static const std::regex re(R"((\d{4})-(\d{2})-(\d{2}))");
    std::smatch m;
    if (!std::regex_match(iso, m, re)) return std::nullopt;
    return Ymd{std::stoi(m[1]), std::stoi(m[2]), std::stoi(m[3])};
}

std::string iso_of(const Ymd& v) {
    char b[16];
    std::snprintf(b, sizeof b, "%04d-%02d-%02d", v.y, v.m, v.d);
    return b;
}

// A Gregorian calendar in GMT at noon of the date (the calendar facts, never a clock).
std::unique_ptr<icu::GregorianCalendar> calendar_at(const Ymd& v) {
    UErrorCode err = U_ZERO_ERROR;
    auto cal = std::make_unique<icu::GregorianCalendar>(*icu::TimeZone::getGMT(), err);
    if (U_FAILURE(err)) throw DateError("ICU calendar error");
    cal->setLenient(false);
    cal->clear();
    cal->set(v.y, v.m - 1, v.d, 12, 0, 0);
    return cal;
}

Ymd ymd_of(icu::Calendar& cal) {
    UErrorCode err = U_ZERO_ERROR;
    Ymd v{cal.get(UCAL_EXTENDED_YEAR, err), cal.get(UCAL_MONTH, err) + 1, cal.get(UCAL_DATE, err)};
    if (U_FAILURE(err)) throw DateError("ICU calendar error");
    return v;
}

int days_in_month(int y, int m) {
    auto cal = calendar_at(Ymd{y, m, 1});
    UErrorCode err = U_ZERO_ERROR;
    const int n = cal->getActualMaximum(UCAL_DATE, err);
    if (U_FAILURE(err)) throw DateError("ICU calendar error");
    return n;
}

std::string era_year_text(int year) {
    const EraYear e = era_year(std::to_string(year) + "-12-31");
    return e.era + (e.year == 1 ? std::string("元") : std::to_string(e.year));
}

// やさしい日本語 names the era in kana.
std::string era_kana(const std::string& era) {
    if (era == "令和") return "れいわ";
    if (era == "平成") return "へいせい";
    if (era == "昭和") return "しょうわ";
    if (era == "大正") return "たいしょう";
    if (era == "明治") return "めいじ";
    return era;
}

std::string easy_year(int year) {
    const EraYear e = era_year(std::to_string(year) + "-12-31");
    return era_kana(e.era) + (e.year == 1 ? std::string("がん") : std::to_string(e.year)) + "ねん";
}

}  // namespace

int fiscal_year_of(const std::string& iso_date) {
    const auto v = parse(iso_date);
    if (!v) throw DateError("not a date (YYYY-MM-DD): " + iso_date);
    return v->m >= 4 ? v->y : v->y - 1;
}

std::string fiscal_year_text(int year) { return era_year_text(year) + "年度"; }

std::vector<FiscalYear> fiscal_years(const std::string& today_iso, int count) {
    std::vector<FiscalYear> out;
    const int newest = fiscal_year_of(today_iso);
    for (int i = 0; i < count; ++i) {
        const int y = newest - i;
        FiscalYear fy;
        fy.year = y;
        fy.value = std::to_string(y);
        // The certificate of a 年度 shows the income of the calendar year before it.
        fy.label.ja = fiscal_year_text(y) + "（" + era_year_text(y - 1) + "年1月〜12月の所得）";
        fy.label.en = "FY" + std::to_string(y) + " (" + fiscal_year_text(y) + "): income of Jan–Dec " + std::to_string(y - 1);
        const EraYear e = era_year(std::to_string(y) + "-12-31");
        fy.label.easy = era_kana(e.era) + (e.year == 1 ? std::string("がん") : std::to_string(e.year)) + "ねんど（" +
                        easy_year(y - 1) + "の しょとく）";
        out.push_back(std::move(fy));
    }
    return out;
}

std::optional<std::string> resolve_date_bound(const std::string& spec, const std::string& today_iso) {
    if (spec == "today") return today_iso;
    if (const auto v = parse(spec)) {
        try {
            format_date(spec, DateStyle::Seireki);  // a real date after 1873
        } catch (const DateError&) {
            return std::nullopt;
        }
        return iso_of(*v);
    }
    static const std::regex rel(R"(([+-])(\d{1,3})([dmy]))");
    std::smatch m;
    const auto today = parse(today_iso);
    if (!today || !std::regex_match(spec, m, rel)) return std::nullopt;
    const int n = std::stoi(m[2]) * (m[1] == "-" ? -1 : 1);
    auto cal = calendar_at(*today);
    UErrorCode err = U_ZERO_ERROR;
    // ICU keeps the day within the new month: 2024-02-29 - 1y is 2023-02-28.
    cal->add(m[3] == "d" ? UCAL_DATE : m[3] == "m" ? UCAL_MONTH : UCAL_YEAR, n, err);
    if (U_FAILURE(err)) return std::nullopt;
    const Ymd r = ymd_of(*cal);
    if (r.y < 1873 || r.y > 9999) return std::nullopt;
    return iso_of(r);
}

DateRange date_range(const Field& f, const std::string& today_iso) {
    DateRange r;
    r.min = resolve_date_bound(f.date_min.empty() ? "-120y" : f.date_min, today_iso).value_or(today_iso);
    r.max = resolve_date_bound(f.date_max.empty() ? "+10y" : f.date_max, today_iso).value_or(today_iso);
    if (r.min < "1873-01-01") r.min = "1873-01-01";
    if (r.max < r.min) r.max = r.min;
    return r;
}

std::string clamp_date(const std::string& iso, const DateRange& range) {
    return std::clamp(iso, range.min, range.max);  // YYYY-MM-DD sorts as dates do
}

std::string date_start(const std::string& answer, const DateRange& range, const std::string& today_iso) {
    if (const auto v = parse(answer)) {
        if (v->m >= 1 && v->m <= 12 && v->d >= 1 && v->d <= days_in_month(v->y, v->m) && answer >= range.min &&
            answer <= range.max)
            return answer;
    }
    return clamp_date(today_iso, range);
}

std::optional<std::string> step_date(const std::string& iso, DatePart part, int delta, const DateRange& range) {
    auto v = parse(iso);
    if (!v) return std::nullopt;
    Ymd n = *v;
    switch (part) {
        case DatePart::Year: n.y += delta; break;
        case DatePart::Month: n.m = std::clamp(n.m + delta, 1, 12); break;
        case DatePart::Day: n.d = std::clamp(n.d + delta, 1, days_in_month(n.y, n.m)); break;
    }
    if (n.y < 1873 || n.y > 9999) return std::nullopt;
    n.d = std::min(n.d, days_in_month(n.y, n.m));  // 1月31日 -> 2月: 2月28日 (or 29日)
    const std::string out = clamp_date(iso_of(n), range);
    if (out == iso) return std::nullopt;
    return out;
}

std::string year_caption(const std::string& iso) {
    const EraYear e = era_year(iso);
    return e.era + (e.year == 1 ? std::string("元") : std::to_string(e.year)) + "年 (" + iso.substr(0, 4) + ")";
}

}  // namespace kakanai::forms
