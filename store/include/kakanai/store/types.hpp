#pragma once
// What the store keeps: applications, their states, print jobs, audit lines
// and kiosk metrics. Personal field values are encrypted at rest; 個人番号 is
// never stored.
#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "kakanai/store/errors.hpp"

namespace kakanai::store {

// submitted -> confirmed -> printed -> purged; submitted/confirmed -> cancelled -> purged.
// A draft is a kiosk session not yet submitted; abandoning it deletes it at once.
enum class State { Draft, Submitted, Confirmed, Printed, Cancelled, Purged };

enum class PrintStatus { Pending, Sent, Done, Failed };

// The one table of names as they are stored; every SQL statement and message
// takes them from here.
template <class E>
struct Named {
    E value;
    const char* name;
};
inline constexpr std::array<Named<State>, 6> kStateNames{{
    {State::Draft, "draft"},
    {State::Submitted, "submitted"},
    {State::Confirmed, "confirmed"},
    {State::Printed, "printed"},
    {State::Cancelled, "cancelled"},
    {State::Purged, "purged"},
}};
inline constexpr std::array<Named<PrintStatus>, 4> kPrintStatusNames{{
    {PrintStatus::Pending, "pending"},
    {PrintStatus::Sent, "sent"},
    {PrintStatus::Done, "done"},
    {PrintStatus::Failed, "failed"},
}};

const char* to_string(State s);
State state_from_string(const std::string& s);  // throws StoreError (Damaged)
const char* to_string(PrintStatus s);
PrintStatus print_status_from_string(const std::string& s);  // throws StoreError (Damaged)

struct FieldValue {
    FieldValue() = default;
    FieldValue(std::string id_, std::string value_, std::string origin_, std::string type_ = {})
        : id(std::move(id_)), value(std::move(value_)), origin(std::move(origin_)), type(std::move(type_)) {}
    std::string id;
    std::string value;
    std::string origin;  // card / answer / computed / staff / empty
    std::string type;    // the template's field type when known; "my_number" is refused
};

struct Application {
    std::string id;  // assigned by submit()
    std::string template_id;
    int template_version = 0;
    std::string department;  // from the template, for the back-office export
    std::string station;     // kiosk or staff station that entered it
    bool card_read = true;   // false: typed by staff for a resident without a card
    // The card's authenticity check: "verified" (CA checked) or "consistent";
    // empty when typed by staff or stored before it was kept. Nothing else is stored.
    std::string authenticity;
    State state = State::Draft;
    std::int64_t created_at = 0;  // unix seconds
    std::int64_t updated_at = 0;  // last state change
    std::string taken_by;         // staff who opened it from the queue, empty when free
    // The visit it belongs to (submit_visit): the resident's one short number
    // for all forms of the visit. Empty day and 0: not part of a visit (staff entry).
    std::string visit_day;  // YYYY-MM-DD in the town's time zone
    int visit_number = 0;
    std::vector<FieldValue> fields;  // empty in queue listings (not decrypted)

    std::string template_ref() const { return template_id + "@" + std::to_string(template_version); }
};

// One resident's visit: every form submitted together under one short number,
// a daily sequence of the town (1, 2, 3, ... restarting each local day), unique
// across stations. Staff call the number out; the application ids stay internal.
struct Visit {
    std::string day;  // YYYY-MM-DD in the town's time zone
    int number = 0;
    std::string station;
    std::string language;  // ja / en / ja-easy: the guide slip is written in it
    std::int64_t created_at = 0;
    std::vector<std::string> application_ids;  // in submission order
    std::string label() const { return std::to_string(number); }  // what staff call out: "105"
};

struct QueueEntry {
    Application app;  // without fields
    std::int64_t waiting_seconds = 0;
    // A station took it and stopped renewing its lease (it died or lost the
    // network): free again, shown as 戻された申請. app.taken_by is then empty.
    bool returned = false;
    std::string returned_from = {};  // the staff id that held it
};

struct StateChange {
    std::int64_t at = 0;
    std::string actor;
    State from = State::Draft;
    State to = State::Draft;
};

struct PrintJob {
    std::int64_t id = 0;  // the store's job number
    std::string application_id;
    std::string printer;
    std::string spool_id;  // the print system's job id once sent (e.g. CUPS job id)
    PrintStatus status = PrintStatus::Pending;
    std::string actor;
    bool reprint = false;
    std::int64_t created_at = 0;
    std::int64_t updated_at = 0;
};

// One audit line: who did what to which application under which template.
// Never a personal value.
struct AuditEntry {
    std::int64_t seq = 0;
    std::int64_t at = 0;
    std::string actor;
    std::string action;  // submit, confirm, correct, print, reprint, cancel, export, purge, ...
    std::string application_id;
    std::string template_ref;  // id@version
    std::string detail;        // card/manual, corrected field id and reason, printer, department
    std::string to_string() const;
};

// What a kiosk session measured, without personal data.
struct KioskSession {
    std::string station;
    std::int64_t started_at = 0;
    std::int64_t ended_at = 0;
    int taps = 0;
    std::vector<std::string> templates;  // errands chosen (template ids)
    bool card_read = false;
    bool completed = false;  // submitted, not abandoned
    bool refused = false;    // the card failed its authenticity check: nothing was prefilled
    std::string language;    // ja / en / ja-easy
};

struct Rating {
    std::string station;
    std::int64_t at = 0;
    int score = 0;  // 1 (hard) .. 5 (easy)
};

// How long an application may stay in each state (since its last change)
// before purge deletes it: [retention] in kakanai.toml (retention.hpp).
struct PurgePolicy {
    std::chrono::seconds stale_draft = std::chrono::hours(1);      // drafts left by a kiosk that died
    std::chrono::seconds submitted = std::chrono::hours(7 * 24);   // submitted, never confirmed
    std::chrono::seconds confirmed = std::chrono::hours(7 * 24);   // confirmed, never printed
    std::chrono::seconds printed = std::chrono::hours(24);
    std::chrono::seconds cancelled = std::chrono::hours(24);
    // The maximum age of `s` (Purged: none).
    std::chrono::seconds age_of(State s) const;
};

struct PurgeResult {
    int purged = 0;
    std::vector<std::string> kept;  // ids whose files could not be deleted (retried next time)
};

// Deletes an application's files (PDFs); called before its rows go. Must be
// idempotent: after a crash it is called again for the same id.
using FileDeleter = std::function<void(const std::string& application_id)>;

// True for a field that would hold a 個人番号 (by id or type), or whose value
// is 12 digits with a valid 個人番号 check digit: such a field is never stored.
bool is_my_number_field(const FieldValue& f);

}  // namespace kakanai::store
