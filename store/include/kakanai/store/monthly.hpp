#pragma once
// The monthly KPI report a town gives its council (kakanai-report monthly):
// figures from the kiosk sessions, ratings, staff calls and the audit log of
// one calendar month. Counts and durations only: nothing about a resident.
#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "kakanai/store/report_store.hpp"
#include "kakanai/store/types.hpp"

namespace kakanai::store {

struct WeekUse {
    int first_day = 0, last_day = 0;  // days of the month, Monday-started weeks cut at the month's ends
    int visits = 0;                   // visits numbered that week (kiosk sessions in a store without numbers)
    int forms = 0;                    // forms of the sessions completed that week
};

struct ProcedureUse {
    std::string id, title;
    int visits = 0;                   // kiosk sessions that chose it
    int forms = 0;                    // completed sessions that made it
    std::vector<int> forms_per_week;  // as MonthlyReport::weeks
};

struct Quantiles {
    int n = 0;
    double median = 0, p90 = 0;  // p90: nearest rank
};

struct MonthlyReport {
    int year = 0, month = 0;
    std::int64_t from = 0, to = 0;  // [from, to): the month in local time
    int procedures_on_system = 0;   // forms the catalogue serves
    int procedures_used = 0;        // of those (and any others), made at least once
    int visits = 0;          // visit numbers given (schema 6): residents served, one number each
    int kiosk_sessions = 0;  // sessions started at the kiosks, finished or not
    bool visits_numbered = false;  // false: a store without visit numbers, visits are kiosk sessions
    int completed = 0;
    int completed_without_help = 0;  // completed with the card read, no staff call
    double without_help_share = 0;   // completed_without_help / visits
    int forms = 0, cancelled = 0;
    double minutes_per_form = 0;     // staff minutes a handwritten form costs ([report] minutes_per_form)
    double staff_minutes_saved = 0;  // (forms - cancelled) x minutes_per_form
    Quantiles taps, minutes;         // per errand (a completed session)
    std::array<int, 5> ratings{};    // faces 1 (hard) .. 5 (easy)
    int rated = 0;
    double mean_rating = 0;
    std::vector<WeekUse> weeks;
    std::vector<ProcedureUse> procedures;   // most forms first
    std::map<std::string, int> staff_calls;  // reason -> count
    bool calls_recorded = false;            // from the store's own staff calls; false: estimated from sessions
};

// `procedures`: id -> Japanese title of every form the catalogue serves.
MonthlyReport compute_monthly(ReportStore& store, int year, int month,
                              const std::map<std::string, std::string>& procedures, double minutes_per_form);

// Until the store records staff calls: a session that was refused its card
// (card_refused), or chose an errand and ended without reading the card and
// without finishing (no_card_read: no card, a forgotten or locked PIN, the
// resident sent to the counter).
std::vector<StaffCall> staff_calls_from_sessions(const std::vector<KioskSession>& sessions);
std::string staff_call_reason_ja(const std::string& reason);

// The same figures as CSV: section,item,metric,value.
std::string monthly_csv(const MonthlyReport& r);

// The month's local bounds; throws std::invalid_argument unless YYYY-MM.
void parse_month(const std::string& text, int& year, int& month);

}  // namespace kakanai::store
