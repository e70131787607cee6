#pragma once
// Applications waiting for counter staff, their state history, print jobs,
// the audit log and kiosk metrics. One interface, two backends: SQLite (the
// embedded default) and PostgreSQL (several kiosks and staff PCs). Personal
// field values are encrypted at rest with AES-256-GCM; each row names the
// key it was sealed with so keys can rotate. 個人番号 is never stored.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kakanai::store {

class StoreError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// submitted -> confirmed -> printed -> purged; submitted/confirmed -> cancelled -> purged.
// A draft is a kiosk session not yet submitted; abandoning it deletes it at once.
enum class State { Draft, Submitted, Confirmed, Printed, Cancelled, Purged };
const char* to_string(State s);
State state_from_string(const std::string& s);  // throws StoreError

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
    State state = State::Draft;
    std::int64_t created_at = 0;  // unix seconds
    std::int64_t updated_at = 0;  // last state change
    std::string taken_by;         // staff who opened it from the queue, empty when free
    std::vector<FieldValue> fields;  // empty in queue listings (not decrypted)

    std::string template_ref() const { return template_id + "@" + std::to_string(template_version); }
};

struct QueueEntry {
    Application app;  // without fields
    std::int64_t waiting_seconds = 0;
};

struct StateChange {
    std::int64_t at = 0;
    std::string actor;
    State from = State::Draft;
    State to = State::Draft;
};

enum class PrintStatus { Pending, Sent, Done, Failed };
const char* to_string(PrintStatus s);

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
    std::string language;    // ja / en / ja-easy
};

struct Rating {
    std::string station;
    std::int64_t at = 0;
    int score = 0;  // 1 (hard) .. 5 (easy)
};

struct PurgePolicy {
    std::chrono::seconds after_done = std::chrono::hours(24);  // after printed or cancelled
    std::chrono::seconds stale_draft = std::chrono::hours(1);   // drafts left by a kiosk that died
};

struct PurgeResult {
    int purged = 0;
    std::vector<std::string> kept;  // ids whose files could not be deleted (retried next time)
};

// Deletes an application's files (PDFs); called before its rows go. Must be
// idempotent: after a crash it is called again for the same id.
using FileDeleter = std::function<void(const std::string& application_id)>;

class Store {
public:
    virtual ~Store() = default;

    // --- kiosk ---
    // Saves a new application as submitted; returns its id once it is durable.
    virtual std::string submit(Application app) = 0;
    // A kiosk session in progress; submit_draft makes it a submitted application.
    virtual std::string save_draft(Application app) = 0;
    virtual void submit_draft(const std::string& id, const std::string& actor) = 0;
    // The resident walked away: the draft and its values are deleted now.
    virtual void abandon_draft(const std::string& id, const std::string& actor) = 0;
    virtual void record_session(const KioskSession& s) = 0;
    virtual void record_rating(const Rating& r) = 0;  // throws unless score is 1..5

    // --- staff station ---
    virtual std::optional<Application> get(const std::string& id) = 0;
    virtual std::vector<QueueEntry> queue() = 0;  // submitted, oldest first; fields not decrypted
    // Takes the oldest free submitted application for `staff`. Two stations
    // never get the same one. A take older than the lease counts as free.
    virtual std::optional<Application> take_next(const std::string& staff) = 0;
    virtual Application take(const std::string& id, const std::string& staff) = 0;
    virtual void release(const std::string& id, const std::string& staff) = 0;
    // Staff fix one value; the audit gets who, which field and why, never the values.
    virtual void correct_field(const std::string& id, const std::string& field_id, const std::string& value,
                               const std::string& staff, const std::string& reason) = 0;
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
    // Claims the right to print once. Throws when the application was already
    // printed (or a print may be in flight) and no reprint was requested.
    virtual PrintJob begin_print(const std::string& id, const std::string& staff, const std::string& printer) = 0;
    virtual void print_sent(std::int64_t job, const std::string& spool_id) = 0;
    virtual void print_finished(std::int64_t job, bool ok, const std::string& detail) = 0;
    virtual void request_reprint(const std::string& id, const std::string& staff, const std::string& reason) = 0;
    virtual std::vector<PrintJob> print_jobs(const std::string& id) = 0;
    virtual std::vector<PrintJob> unfinished_print_jobs() = 0;  // pending/sent: check after a restart

    // --- audit, report, export ---
    virtual std::vector<std::string> audit_lines(const std::string& id) = 0;
    virtual std::vector<AuditEntry> audit(std::int64_t from, std::int64_t to) = 0;
    virtual std::vector<KioskSession> sessions(std::int64_t from, std::int64_t to) = 0;
    virtual std::vector<Rating> ratings(std::int64_t from, std::int64_t to) = 0;
    // Confirmed or printed applications of these templates, with values.
    virtual std::vector<Application> exportable(const std::vector<std::string>& template_ids) = 0;
    virtual void record_export(const std::vector<std::string>& ids, const std::string& staff,
                               const std::string& department, const std::string& file) = 0;

    // --- maintenance ---
    virtual PurgeResult purge(const PurgePolicy& policy, const FileDeleter& delete_files) = 0;
    // Re-seals every row not under the current key; returns how many. Old key
    // files must stay listed until keys_in_use() shows only the current key.
    virtual int rotate_keys() = 0;
    virtual std::map<std::string, int> keys_in_use() = 0;
    virtual std::string current_key_id() const = 0;
    virtual int schema_version() = 0;
};

constexpr int kSchemaVersion = 2;

struct StoreConfig {
    enum class Backend { Sqlite, Postgres } backend = Backend::Sqlite;
    std::filesystem::path sqlite_path;  // sqlite
    std::string conninfo;               // postgres: a libpq connection string
    std::filesystem::path key_file;     // current key; created 0600 when missing
    std::vector<std::filesystem::path> previous_key_files;  // read-only, for rotation
    std::chrono::seconds take_lease = std::chrono::minutes(30);
    std::function<std::int64_t()> clock;  // unix seconds; system clock when empty
};

std::unique_ptr<Store> open_store(const StoreConfig& config);
// Opens (creating when needed) a SQLite store. The key file is created with
// 32 random bytes and mode 0600 when it does not exist.
std::unique_ptr<Store> open_sqlite(const std::filesystem::path& db, const std::filesystem::path& key_file);
std::unique_ptr<Store> open_postgres(const std::string& conninfo, const std::filesystem::path& key_file);

// Reads the [store] table of kakanai.toml:
//   backend = "sqlite" | "postgresql", path = "...", conninfo = "...",
//   key_file = "...", previous_key_files = [...], take_lease_minutes = 30
// Relative paths are taken from the file's folder.
// A setting of the wrong type or out of range throws StoreError naming the file.
StoreConfig load_store_config(const std::filesystem::path& toml_file);
// The same for the file's text; `toml_file` names it and anchors relative paths.
StoreConfig parse_store_config(std::string_view text, const std::filesystem::path& toml_file);

// True for a field that would hold a 個人番号 (by id or type), or whose value
// is 12 digits with a valid 個人番号 check digit: such a field is never stored.
bool is_my_number_field(const FieldValue& f);

}  // namespace kakanai::store
