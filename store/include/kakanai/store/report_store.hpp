#pragma once
// What kakanai-report and the daily maintenance do with the store: KPIs from
// the audit log and kiosk metrics, the back-office export, retention, key
// rotation and setting staff codes.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kakanai/store/calls.hpp"
#include "kakanai/store/config.hpp"
#include "kakanai/store/types.hpp"

namespace kakanai::store {

class ReportStore {
public:
    virtual ~ReportStore() = default;

    virtual std::vector<AuditEntry> audit(std::int64_t from, std::int64_t to) = 0;
    virtual std::vector<KioskSession> sessions(std::int64_t from, std::int64_t to) = 0;
    virtual std::vector<Rating> ratings(std::int64_t from, std::int64_t to) = 0;
    // The staff calls the store recorded (schema 7) raised in [from, to); a store
    // without them returns nullopt and the monthly report estimates calls from
    // the sessions (staff_calls_from_sessions in monthly.hpp).
    virtual std::optional<std::vector<StaffCall>> staff_calls(std::int64_t /*from*/, std::int64_t /*to*/) {
        return std::nullopt;
    }
    // How many visits got a number each day in [first_day, last_day]
    // (YYYY-MM-DD in the town's time zone): the day's last visit number
    // (schema 6), kept after the visits themselves are purged. nullopt: a
    // store without visit numbers (the monthly report counts kiosk sessions).
    virtual std::optional<std::map<std::string, int>> visits_per_day(const std::string& /*first_day*/,
                                                                      const std::string& /*last_day*/) {
        return std::nullopt;
    }
    // Confirmed or printed applications of these templates, with values.
    virtual std::vector<Application> exportable(const std::vector<std::string>& template_ids) = 0;
    virtual void record_export(const std::vector<std::string>& ids, const std::string& staff,
                               const std::string& department, const std::string& file) = 0;

    virtual PurgeResult purge(const PurgePolicy& policy, const FileDeleter& delete_files) = 0;
    // Re-seals every row not under the current key; returns how many. Old key
    // files must stay listed until keys_in_use() shows only the current key.
    virtual int rotate_keys() = 0;
    virtual std::map<std::string, int> keys_in_use() = 0;
    virtual std::string current_key_id() const = 0;
    virtual int schema_version() = 0;

    virtual void set_staff_code(const std::string& staff, const std::string& code, const std::string& actor) = 0;
};

std::unique_ptr<ReportStore> open_report_store(const StoreConfig& config);

}  // namespace kakanai::store
