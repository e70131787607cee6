#pragma once
// The town's KPIs from the audit log and kiosk metrics (no personal data),
// and the back-office export of confirmed applications.
#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "kakanai/store/report_store.hpp"
#include "kakanai/store/store.hpp"  // callers that include only this header also open stores

namespace kakanai::store {

struct ProcedureCount {
    std::string template_id;
    int submitted = 0;
    int card_read = 0;
    int printed = 0;
    int cancelled = 0;
};

struct Kpis {
    std::int64_t from = 0, to = 0;  // [from, to) unix seconds
    int applications = 0;           // submitted in the period
    int card_read = 0;
    double card_share = 0;  // card_read / applications
    std::vector<ProcedureCount> procedures;
    int sessions = 0, completed_sessions = 0;
    double median_kiosk_seconds = 0;  // completed sessions
    double taps_per_errand = 0;       // taps / errands over completed sessions
    double minutes_per_form = 0;
    double staff_minutes_saved = 0;  // forms not handwritten (not cancelled) x minutes_per_form
    std::array<int, 5> ratings{};    // count of 1..5
    double mean_rating = 0;
};

Kpis compute_kpis(ReportStore& store, std::int64_t from, std::int64_t to, double minutes_per_form);
std::string kpis_text(const Kpis& k);
std::string kpis_csv(const Kpis& k);

enum class ExportFormat { Json, Csv };
// One record per application: id, template id@version, department, card_read,
// and each field's id, value and origin. UTF-8.
std::string export_json(const std::vector<Application>& apps);
std::string export_csv(const std::vector<Application>& apps);
// Writes a new file with mode 0600 (never over an existing one) and fsyncs it.
void write_private_file(const std::filesystem::path& file, const std::string& bytes);

}  // namespace kakanai::store
