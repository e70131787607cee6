#pragma once
// What the counter staff's station does with the store: the queue, opening,
// correcting, confirming, cancelling, printing and reprinting an application,
// staff logins, and the audit lines of one application.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kakanai/store/config.hpp"
#include "kakanai/store/types.hpp"

namespace kakanai::store {

class DeskStore {
public:
    virtual ~DeskStore() = default;

    virtual std::optional<Application> get(const std::string& id) = 0;
    virtual std::vector<QueueEntry> queue() = 0;  // submitted, oldest first; fields not decrypted
    // Takes the oldest free submitted application for `staff`. Two stations
    // never get the same one. A take older than the lease counts as free.
    virtual std::optional<Application> take_next(const std::string& staff) = 0;
    virtual Application take(const std::string& id, const std::string& staff) = 0;
    virtual void release(const std::string& id, const std::string& staff) = 0;
    // Staff fix one value; the audit gets who, which field and why, never the values.
    // A 個人番号 is refused (StoreErrorKind::Refused): a 12-digit value with a
    // valid check digit, or an id that names the number (spouse_my_number).
    virtual void correct_field(const std::string& id, const std::string& field_id, const std::string& value,
                               const std::string& staff, const std::string& reason) = 0;
    // The same with the template's field type (`field.type`, e.g. "my_number"
    // from forms::to_string(FieldType)): a my_number field is refused whatever its id.
    void correct_field(const std::string& id, const FieldValue& field, const std::string& staff,
                       const std::string& reason);
    virtual void confirm(const std::string& id, const std::string& staff) = 0;
    virtual void cancel(const std::string& id, const std::string& staff, const std::string& reason) = 0;
    // Generic transition (checked); confirm/cancel/printed go through it.
    virtual void set_state(const std::string& id, State to, const std::string& actor) = 0;
    virtual std::vector<StateChange> history(const std::string& id) = 0;

    // Staff login codes (from kakanai.toml or set at the station) are kept
    // only as scrypt hashes. A failed check is audited.
    virtual void set_staff_code(const std::string& staff, const std::string& code, const std::string& actor) = 0;
    virtual bool check_staff_code(const std::string& staff, const std::string& code) = 0;

    // --- printing: claim, send, finish ---
    // Claims the right to print once. Throws (AlreadyPrinted) when the
    // application was already printed (or a print may be in flight) and no
    // reprint was requested.
    virtual PrintJob begin_print(const std::string& id, const std::string& staff, const std::string& printer) = 0;
    virtual void print_sent(std::int64_t job, const std::string& spool_id) = 0;
    virtual void print_finished(std::int64_t job, bool ok, const std::string& detail) = 0;
    virtual void request_reprint(const std::string& id, const std::string& staff, const std::string& reason) = 0;
    virtual std::vector<PrintJob> print_jobs(const std::string& id) = 0;
    virtual std::vector<PrintJob> unfinished_print_jobs() = 0;  // pending/sent: check after a restart

    // Who did what to this application, one line each.
    virtual std::vector<std::string> audit_lines(const std::string& id) = 0;
};

std::unique_ptr<DeskStore> open_desk_store(const StoreConfig& config);

}  // namespace kakanai::store
