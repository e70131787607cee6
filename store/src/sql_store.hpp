#pragma once
// The store's behaviour, written once over Db so SQLite and PostgreSQL agree.
// One class implements every role; its methods live in one file per role
// (sql_kiosk.cpp, sql_desk.cpp, sql_print.cpp, sql_report.cpp) and share the
// helpers of sql_store.cpp and sql_rows.cpp.
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "crypto.hpp"
#include "db.hpp"
#include "kakanai/store/store.hpp"

namespace kakanai::store {

// ---- rows and names (sql_rows.cpp) ----

// The columns app_from() and decoded() read.
extern const char* const kAppCols;
// The columns job_from() reads.
extern const char* const kJobCols;
Application app_from(const Row& r);  // without fields
PrintJob job_from(const Row& r);

// A state or print status as an SQL literal, from the one name table: 'submitted'.
std::string sql_name(State s);
std::string sql_name(PrintStatus s);
// "IN ('printed','cancelled')"
std::string sql_in(std::initializer_list<State> states);
std::string sql_in(std::initializer_list<PrintStatus> statuses);

void require(bool ok, StoreErrorKind kind, const std::string& message);
void require_actor(const std::string& actor);  // Refused when empty

// ---- the store ----

class SqlStore final : public Store {
public:
    // kiosk_only: with the public key alone, the store seals and never opens.
    SqlStore(std::unique_ptr<Db> db, const StoreConfig& cfg, bool kiosk_only);

    // kiosk (sql_kiosk.cpp)
    std::string submit(Application app) override;
    Visit submit_visit(std::vector<Application> apps, const std::string& language) override;
    std::string save_draft(Application app) override;
    void submit_draft(const std::string& id, const std::string& actor) override;
    void abandon_draft(const std::string& id, const std::string& actor) override;
    void record_session(const KioskSession& s) override;
    void record_rating(const Rating& r) override;
    std::int64_t raise_call(const std::string& kiosk, const std::string& reason) override;  // sql_calls.cpp
    std::optional<StaffCall> call(std::int64_t id) override;

    // staff station (sql_desk.cpp)
    std::optional<Application> get(const std::string& id) override;
    std::optional<Application> open(const std::string& id, const std::string& staff) override;
    std::vector<QueueEntry> queue() override;
    std::optional<Visit> visit(const std::string& day, int number) override;
    std::optional<Application> take_next(const std::string& staff) override;
    Application take(const std::string& id, const std::string& staff) override;
    void release(const std::string& id, const std::string& staff) override;
    bool renew_lease(const std::string& id, const std::string& staff) override;
    void correct_field(const std::string& id, const std::string& field_id, const std::string& value,
                       const std::string& staff, const Reason& reason) override;
    using DeskStore::correct_field;
    void confirm(const std::string& id, const std::string& staff) override;
    void cancel(const std::string& id, const std::string& staff, const Reason& reason) override;
    void set_state(const std::string& id, State to, const std::string& actor) override;
    std::vector<StateChange> history(const std::string& id) override;
    void set_staff_code(const std::string& staff, const std::string& code, const std::string& actor) override;
    LoginOutcome login(const std::string& station, const std::string& staff, const std::string& code) override;
    bool station_locked(const std::string& station) override;
    std::vector<std::string> audit_lines(const std::string& id) override;
    std::vector<StaffCall> open_calls() override;  // sql_calls.cpp
    std::optional<std::vector<StaffCall>> staff_calls(std::int64_t from, std::int64_t to) override;
    std::optional<std::map<std::string, int>> visits_per_day(const std::string& first_day,
                                                              const std::string& last_day) override;  // sql_visit.cpp
    bool acknowledge_call(std::int64_t id, const std::string& staff) override;

    // printing at the staff station (sql_print.cpp)
    PrintJob begin_print(const std::string& id, const std::string& staff, const std::string& printer) override;
    void print_sent(std::int64_t job, const std::string& spool_id) override;
    void print_finished(std::int64_t job, bool ok, const std::string& detail) override;
    void request_reprint(const std::string& id, const std::string& staff, const Reason& reason) override;
    std::vector<PrintJob> print_jobs(const std::string& id) override;
    std::vector<PrintJob> unfinished_print_jobs() override;

    // report and maintenance (sql_report.cpp)
    std::vector<AuditEntry> audit(std::int64_t from, std::int64_t to) override;
    std::vector<KioskSession> sessions(std::int64_t from, std::int64_t to) override;
    std::vector<Rating> ratings(std::int64_t from, std::int64_t to) override;
    std::vector<Application> exportable(const std::vector<std::string>& template_ids) override;
    void record_export(const std::vector<std::string>& ids, const std::string& staff, const std::string& department,
                       const std::string& file) override;
    PurgeResult purge(const PurgePolicy& policy, const FileDeleter& delete_files) override;
    int rotate_keys() override;
    std::map<std::string, int> keys_in_use() override;
    std::string current_key_id() const override;
    int schema_version() override;

private:
    bool pg() const { return db_->dialect() == Dialect::Postgres; }
    const char* for_update() const { return pg() ? " FOR UPDATE" : ""; }
    std::int64_t now() const;

    // One write transaction; rolled back when f throws.
    template <class F>
    void tx(F&& f) {
        db_->begin();
        try {
            f();
            db_->commit();
        } catch (...) {
            try {
                db_->rollback();
            } catch (...) {
            }
            throw;
        }
    }

    void migrate();  // sql_schema.cpp
    void setup_keys(const StoreConfig& cfg, bool kiosk_only);  // sql_keys.cpp
    std::string open_fields(const std::string& key_id, const std::vector<std::uint8_t>& blob, const std::string& id);
    std::string insert(Application app, State state);
    // insert() without its own transaction (the caller holds one); fields already sealed.
    void insert_row(const Application& app, State state, const std::vector<std::uint8_t>& sealed);
    void check_insertable(const Application& app);
    std::string local_day(std::int64_t unix_seconds) const;  // YYYY-MM-DD in time_zone_ (sql_visit.cpp)
    std::vector<std::uint8_t> seal_fields(const std::vector<FieldValue>& fields, const std::string& id);
    static void wipe(std::vector<FieldValue>& fields);
    Application decoded(const Row& r);
    std::vector<Row> select_app(const std::string& id, bool lock);  // kAppCols of one application
    Application lock_app(const std::string& id);
    PrintJob lock_job(std::int64_t job);
    void check_not_taken_by_other(const std::string& id, const std::string& staff);
    void move_state(const Application& a, std::initializer_list<State> from, State to, const std::string& actor,
                    const std::string& action, const std::string& detail);
    void history_add(const std::string& id, const std::string& actor, State from, State to);
    void audit_add(const std::string& actor, const std::string& action, const std::string& id, const std::string& ref,
                   const std::string& detail);
    void delete_rows(const std::string& id);
    std::vector<FieldValue> values_of(const std::string& id);  // decrypted, for checking a note; wipe after
    // The audit detail of a reason (code, and a note checked against the application's values).
    std::string reason_detail(ReasonFor action, const std::string& id, const Reason& reason);
    struct Guard {  // one row of login_guard
        std::int64_t failures = 0, locks = 0, locked_until = 0;
        std::string failed_ids;
    };
    Guard guard_row(const std::string& subject);
    void guard_write(const std::string& subject, const Guard& g);
    std::vector<AuditEntry> audit_where(const std::string& where, const std::vector<Param>& params);
    static std::string new_id();
    static std::string returned_detail(const std::string& holder, const std::string& staff);

    std::recursive_mutex m_;
    std::unique_ptr<Db> db_;
    PublicKey seal_key_;               // seals every new row
    std::vector<PrivateKey> keys_;     // [0] current, the rest only open rows during a rotation; empty on a kiosk
    std::vector<LegacyKey> legacy_;    // earlier versions' shared key, only to re-seal (keys migrate)
    std::int64_t lease_;
    std::string time_zone_;
    std::function<std::int64_t()> clock_;
};

}  // namespace kakanai::store
