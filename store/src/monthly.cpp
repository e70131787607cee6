#include "kakanai/store/monthly.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <sstream>
#include <stdexcept>

namespace kakanai::store {
namespace {

std::int64_t local_midnight(int year, int month, int day) {
    std::tm tm{};
    tm.tm_year = year - 1900;
    tm.tm_mon = month - 1;
    tm.tm_mday = day;
    tm.tm_isdst = -1;
    return static_cast<std::int64_t>(std::mktime(&tm));
}

int day_of_month(std::int64_t t) {
    const std::time_t tt = static_cast<std::time_t>(t);
    std::tm tm{};
    localtime_r(&tt, &tm);
    return tm.tm_mday;
}

Quantiles quantiles(std::vector<double> v) {
    Quantiles q;
    q.n = static_cast<int>(v.size());
    if (v.empty()) return q;
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    q.median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    const auto rank = static_cast<std::size_t>(std::ceil(0.9 * static_cast<double>(n)));
    q.p90 = v[std::max<std::size_t>(rank, 1) - 1];
    return q;
}

std::string fixed(double v, int decimals) {
    char b[64];
    std::snprintf(b, sizeof b, "%.*f", decimals, v);
    return b;
}

// Ids and reasons are ours (a-z, 0-9, _ and -), but a title may hold a comma.
std::string cell(const std::string& s) {
    if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
    std::string q = "\"";
    for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
}

}  // namespace

void parse_month(const std::string& text, int& year, int& month) {
    char extra = 0;
    if (std::sscanf(text.c_str(), "%4d-%2d%c", &year, &month, &extra) != 2 || text.size() != 7 || year < 2000 ||
        year > 2999 || month < 1 || month > 12)
        throw std::invalid_argument("--month must be a month like 2026-11, got \"" + text + "\"");
}

std::vector<StaffCall> staff_calls_from_sessions(const std::vector<KioskSession>& sessions) {
    std::vector<StaffCall> out;
    for (const auto& s : sessions) {
        StaffCall c;
        c.raised_at = s.started_at;
        if (s.refused) c.reason = "card_refused";
        else if (!s.card_read && !s.completed && !s.templates.empty()) c.reason = "no_card_read";
        else continue;
        out.push_back(std::move(c));
    }
    return out;
}

std::string staff_call_reason_ja(const std::string& reason) {
    if (reason == "card_refused") return "カードを確認できない";
    if (reason == "no_card_read") return "カード読取なし（カード・暗証番号）";
    if (reason == "help") return "呼び出しボタン";
    if (reason == "no_card") return "カードを持っていない";
    if (reason == "forgot_pin") return "暗証番号を忘れた";
    if (reason == "last_try") return "暗証番号の残り回数1回";
    if (reason == "not_me") return "本人ではない";
    if (reason == "store_failed") return "保存できない";
    if (reason == "print_failed") return "申請を完了できない";
    return reason;
}

MonthlyReport compute_monthly(ReportStore& store, int year, int month,
                              const std::map<std::string, std::string>& procedures, double minutes_per_form) {
    MonthlyReport r;
    r.year = year;
    r.month = month;
    r.from = local_midnight(year, month, 1);
    r.to = local_midnight(month == 12 ? year + 1 : year, month == 12 ? 1 : month + 1, 1);
    r.minutes_per_form = minutes_per_form;
    r.procedures_on_system = static_cast<int>(procedures.size());

    // Monday-started weeks, cut at the month's first and last day.
    const int days = day_of_month(r.to - 43200);  // noon of the last day: safe across DST
    std::tm first{};
    const std::time_t ft = static_cast<std::time_t>(r.from);
    localtime_r(&ft, &first);
    const int monday_offset = (first.tm_wday + 6) % 7;  // 0 when the 1st is a Monday
    auto week_of = [&](int day) { return static_cast<std::size_t>((day - 1 + monday_offset) / 7); };
    for (int d = 1; d <= days; ++d) {
        if (week_of(d) >= r.weeks.size()) r.weeks.push_back({d, d, 0, 0});
        r.weeks.back().last_day = d;
    }

    std::map<std::string, ProcedureUse> per;
    for (const auto& [id, title] : procedures) per[id] = {id, title, 0, 0, std::vector<int>(r.weeks.size(), 0)};
    auto use_of = [&](const std::string& id) -> ProcedureUse& {
        auto [it, fresh] = per.try_emplace(id);
        if (fresh) it->second = {id, id, 0, 0, std::vector<int>(r.weeks.size(), 0)};
        return it->second;
    };

    const auto sessions = store.sessions(r.from, r.to);
    std::vector<double> taps, minutes;
    for (const auto& s : sessions) {
        const std::size_t w = std::min(week_of(day_of_month(s.started_at)), r.weeks.size() - 1);
        ++r.kiosk_sessions;
        ++r.weeks[w].visits;
        for (const auto& t : s.templates) ++use_of(t).visits;
        if (!s.completed) continue;
        ++r.completed;
        if (s.card_read && !s.refused) ++r.completed_without_help;
        taps.push_back(s.taps);
        minutes.push_back(static_cast<double>(s.ended_at - s.started_at) / 60.0);
        for (const auto& t : s.templates) {
            ProcedureUse& p = use_of(t);
            ++p.forms;
            ++p.forms_per_week[w];
            ++r.weeks[w].forms;
            ++r.forms;
        }
    }
    // A visit is one number given to a resident (the store's visit counter),
    // not a kiosk session: a session left at the welcome screen is no visit.
    char first_day[16], last_day[16];
    std::snprintf(first_day, sizeof first_day, "%04d-%02d-01", year, month);
    std::snprintf(last_day, sizeof last_day, "%04d-%02d-%02d", year, month, days);
    r.visits = r.kiosk_sessions;
    if (const auto per_day = store.visits_per_day(first_day, last_day)) {
        r.visits_numbered = true;
        r.visits = 0;
        for (auto& wk : r.weeks) wk.visits = 0;
        for (const auto& [day, n] : *per_day) {
            const int d = std::atoi(day.c_str() + 8);
            if (d < 1 || d > days) continue;
            r.visits += n;
            r.weeks[std::min(week_of(d), r.weeks.size() - 1)].visits += n;
        }
    }
    r.without_help_share = r.visits ? std::min(1.0, static_cast<double>(r.completed_without_help) / r.visits) : 0;
    r.taps = quantiles(taps);
    r.minutes = quantiles(minutes);
    for (auto& [id, p] : per) {
        if (p.forms > 0) ++r.procedures_used;
        r.procedures.push_back(std::move(p));
    }
    std::stable_sort(r.procedures.begin(), r.procedures.end(), [](const ProcedureUse& a, const ProcedureUse& b) {
        return a.forms != b.forms ? a.forms > b.forms : a.visits > b.visits;
    });

    for (const auto& e : store.audit(r.from, r.to))
        if (e.action == "cancel") ++r.cancelled;
    r.staff_minutes_saved = std::max(0, r.forms - r.cancelled) * minutes_per_form;

    int sum = 0;
    for (const auto& rating : store.ratings(r.from, r.to)) {
        if (rating.score < 1 || rating.score > 5) continue;
        ++r.ratings[static_cast<std::size_t>(rating.score - 1)];
        ++r.rated;
        sum += rating.score;
    }
    r.mean_rating = r.rated ? static_cast<double>(sum) / r.rated : 0;

    auto recorded = store.staff_calls(r.from, r.to);
    r.calls_recorded = recorded.has_value();
    const auto calls = recorded ? *recorded : staff_calls_from_sessions(sessions);
    for (const auto& c : calls) ++r.staff_calls[c.reason];
    return r;
}

std::string monthly_csv(const MonthlyReport& r) {
    std::ostringstream o;
    char month[16];
    std::snprintf(month, sizeof month, "%04d-%02d", r.year, r.month);
    o << "section,item,metric,value\n";
    auto row = [&](const std::string& section, const std::string& item, const std::string& metric, const std::string& v) {
        o << section << "," << cell(item) << "," << metric << "," << v << "\n";
    };
    auto n = [](int v) { return std::to_string(v); };
    row("month", month, "from", std::to_string(r.from));
    row("month", month, "to", std::to_string(r.to));
    row("summary", "", "procedures_on_system", n(r.procedures_on_system));
    row("summary", "", "procedures_used", n(r.procedures_used));
    row("summary", "", "visits", n(r.visits));
    row("summary", "", "kiosk_sessions", n(r.kiosk_sessions));
    row("summary", "", "completed", n(r.completed));
    row("summary", "", "completed_without_help", n(r.completed_without_help));
    row("summary", "", "without_help_share", fixed(r.without_help_share, 3));
    row("summary", "", "forms", n(r.forms));
    row("summary", "", "cancelled", n(r.cancelled));
    row("summary", "", "minutes_per_form", fixed(r.minutes_per_form, 1));
    row("summary", "", "staff_minutes_saved", fixed(r.staff_minutes_saved, 1));
    row("errand", "taps", "median", fixed(r.taps.median, 1));
    row("errand", "taps", "p90", fixed(r.taps.p90, 1));
    row("errand", "minutes", "median", fixed(r.minutes.median, 2));
    row("errand", "minutes", "p90", fixed(r.minutes.p90, 2));
    row("errand", "", "count", n(r.taps.n));
    for (std::size_t i = 0; i < r.weeks.size(); ++i) {
        char label[32];
        std::snprintf(label, sizeof label, "%04d-%02d-%02d", r.year, r.month, r.weeks[i].first_day);
        row("week", label, "visits", n(r.weeks[i].visits));
        row("week", label, "forms", n(r.weeks[i].forms));
    }
    for (const auto& p : r.procedures) {
        row("procedure", p.id, "visits", n(p.visits));
        row("procedure", p.id, "forms", n(p.forms));
        for (std::size_t i = 0; i < p.forms_per_week.size(); ++i)
            row("procedure_week", p.id, "forms_week_" + std::to_string(i + 1), n(p.forms_per_week[i]));
    }
    for (int i = 0; i < 5; ++i) row("rating", std::to_string(i + 1), "count", n(r.ratings[static_cast<std::size_t>(i)]));
    row("rating", "", "mean", fixed(r.mean_rating, 2));
    for (const auto& [reason, count] : r.staff_calls)
        row("staff_call", reason, r.calls_recorded ? "count" : "estimated_count", n(count));
    return o.str();
}

}  // namespace kakanai::store
