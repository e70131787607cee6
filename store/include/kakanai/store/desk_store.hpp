#pragma once
// What the counter staff's station does with the store: the queue, opening,
// correcting, confirming, cancelling, printing and reprinting an application,
// staff logins, and the audit lines of one application.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kakanai/store/calls.hpp"
#include "kakanai/store/config.hpp"
#include "kakanai/store/reasons.hpp"
#include "kakanai/store/types.hpp"

namespace kakanai::store {

// What a login attempt at a station came to. Five wrong codes in a row for one
// staff id lock that id for 5 minutes, each further lock twice as long; twenty
// wrong codes in a row at one station lock the station until another staff
// member (an id that has not failed there since) logs in at it. Locked
// attempts are refused without checking the code. Kept in the store, so a
// restart changes nothing.
struct LoginOutcome {
    enum class Result { Ok, WrongCode, StaffLocked, StationLocked };
    Result result = Result::WrongCode;
    std::int64_t locked_until = 0;  // StaffLocked: unix seconds when the id may try again
    int tries_left = 0;             // WrongCode: wrong codes left before the id locks
    bool station_locked = false;    // the station is locked (now, or still): the unlock screen shows
    bool ok() const { return result == Result::Ok; }
};
const char* to_string(LoginOutcome::Result r);  // ok, wrong_code, staff_locked, station_locked

inline constexpr int kStaffFailuresToLock = 5;
inline constexpr std::int64_t kStaffFirstLockSeconds = 5 * 60;
inline constexpr int kStationFailuresToLock = 20;
inline constexpr int kStaffCodeMinDigits = 6;

// Throws StoreError (Refused) unless `code` is at least kStaffCodeMinDigits digits.
void require_staff_code_shape(const std::string& code);

class DeskStore {
public:
    virtual ~DeskStore() = default;

    virtual std::optional<Application> get(const std::string& id) = 0;
    // get() for a staff member looking at an application: audited ("open").
    virtual std::optional<Application> open(const std::string& id, const std::string& staff) = 0;
    virtual std::vector<QueueEntry> queue() = 0;  // submitted, oldest first; fields not decrypted
    // A visit by its day and number, with its applications' ids; nothing when unknown.
    virtual std::optional<Visit> visit(const std::string& day, int number) = 0;
    // Takes the oldest free submitted application for `staff`. Two stations
    // never get the same one. A take is a lease ([store] lease_seconds): the
    // station renews it while it lives (renew_lease); one not renewed for the
    // lease counts as free, and the queue shows it as returned.
    virtual std::optional<Application> take_next(const std::string& staff) = 0;
    virtual Application take(const std::string& id, const std::string& staff) = 0;
    virtual void release(const std::string& id, const std::string& staff) = 0;
    // The station holding `id` for `staff` is alive: the lease starts again.
    // False when the application is no longer held by `staff` (taken by another
    // station after the lease ran out, confirmed, cancelled or gone).
    virtual bool renew_lease(const std::string& id, const std::string& staff) = 0;
    // Staff fix one value; the audit gets who, which field and the reason code
    // (and note), never the values. A 個人番号 is refused (StoreErrorKind::Refused):
    // a 12-digit value with a valid check digit, or an id that names the number
    // (spouse_my_number). Reasons: see reasons.hpp (an unknown code or a note
    // holding a value of the application is Refused).
    virtual void correct_field(const std::string& id, const std::string& field_id, const std::string& value,
                               const std::string& staff, const Reason& reason) = 0;
    // The same with the template's field type (`field.type`, e.g. "my_number"
    // from forms::to_string(FieldType)): a my_number field is refused whatever its id.
    void correct_field(const std::string& id, const FieldValue& field, const std::string& staff,
                       const Reason& reason);
    virtual void confirm(const std::string& id, const std::string& staff) = 0;
    virtual void cancel(const std::string& id, const std::string& staff, const Reason& reason) = 0;
    // Generic transition (checked); confirm goes through it. Cancelling needs a
    // reason code: set_state(Cancelled) is refused, use cancel().
    virtual void set_state(const std::string& id, State to, const std::string& actor) = 0;
    virtual std::vector<StateChange> history(const std::string& id) = 0;

    // Staff login codes (at least 6 digits, set with kakanai-report) are kept
    // only as scrypt hashes. Setting a code lifts that id's lock.
    virtual void set_staff_code(const std::string& staff, const std::string& code, const std::string& actor) = 0;
    // A login at `station`; every attempt, lock and unlock is audited (no code).
    virtual LoginOutcome login(const std::string& station, const std::string& staff, const std::string& code) = 0;
    // Twenty wrong codes locked this station and nobody has unlocked it yet.
    virtual bool station_locked(const std::string& station) = 0;

    // --- printing: claim, send, finish ---
    // Claims the right to print once. Throws (AlreadyPrinted) when the
    // application was already printed (or a print may be in flight) and no
    // reprint was requested.
    virtual PrintJob begin_print(const std::string& id, const std::string& staff, const std::string& printer) = 0;
    virtual void print_sent(std::int64_t job, const std::string& spool_id) = 0;
    virtual void print_finished(std::int64_t job, bool ok, const std::string& detail) = 0;
    virtual void request_reprint(const std::string& id, const std::string& staff, const Reason& reason) = 0;
    virtual std::vector<PrintJob> print_jobs(const std::string& id) = 0;
    virtual std::vector<PrintJob> unfinished_print_jobs() = 0;  // pending/sent: check after a restart

    // --- calls from kiosks (calls.hpp) ---
    // Calls nobody has acknowledged yet, newest first.
    virtual std::vector<StaffCall> open_calls() = 0;
    // A clerk answers a call (audited). False when another station answered it first.
    virtual bool acknowledge_call(std::int64_t id, const std::string& staff) = 0;

    // Who did what to this application, one line each.
    virtual std::vector<std::string> audit_lines(const std::string& id) = 0;
};

std::unique_ptr<DeskStore> open_desk_store(const StoreConfig& config);

}  // namespace kakanai::store
