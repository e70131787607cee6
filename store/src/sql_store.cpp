// The store's behaviour, written once over Db so SQLite and PostgreSQL agree.
// Every state change is one transaction holding the application's row lock
// (BEGIN IMMEDIATE on SQLite, SELECT ... FOR UPDATE on PostgreSQL).
#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <chrono>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>

#include "crypto.hpp"
#include "db.hpp"
#include "kakanai/base/my_number.hpp"
#include "kakanai/base/wipe.hpp"
#include "kakanai/store/store.hpp"

namespace kakanai::store {
namespace {

const char* kMigration1 = R"sql(
CREATE TABLE IF NOT EXISTS applications (
  id TEXT PRIMARY KEY,
  template_id TEXT NOT NULL,
  template_version {INT} NOT NULL,
  station TEXT NOT NULL,
  card_read {INT} NOT NULL,
  state TEXT NOT NULL,
  created_at {INT} NOT NULL,
  key_id TEXT NOT NULL,
  fields {BLOB} NOT NULL
);
CREATE INDEX IF NOT EXISTS applications_state ON applications(state, created_at);
CREATE TABLE IF NOT EXISTS audit (
  seq {SERIAL},
  at {INT} NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  application_id TEXT NOT NULL,
  template_id TEXT NOT NULL
);
)sql";

// Version 2: staff station, print jobs, state history, kiosk metrics.
const char* kMigration2 = R"sql(
ALTER TABLE applications ADD COLUMN department TEXT NOT NULL DEFAULT '';
ALTER TABLE applications ADD COLUMN updated_at {INT} NOT NULL DEFAULT 0;
ALTER TABLE applications ADD COLUMN taken_by TEXT;
ALTER TABLE applications ADD COLUMN taken_at {INT};
ALTER TABLE applications ADD COLUMN prints_allowed {INT} NOT NULL DEFAULT 0;
UPDATE applications SET updated_at = created_at;
UPDATE applications SET prints_allowed = 1 WHERE state = 'confirmed';
ALTER TABLE audit ADD COLUMN detail TEXT NOT NULL DEFAULT '';
CREATE INDEX audit_at ON audit(at);
CREATE INDEX audit_application ON audit(application_id);
CREATE TABLE state_history (
  seq {SERIAL},
  application_id TEXT NOT NULL,
  at {INT} NOT NULL,
  actor TEXT NOT NULL,
  from_state TEXT NOT NULL,
  to_state TEXT NOT NULL
);
CREATE INDEX state_history_application ON state_history(application_id);
CREATE TABLE print_jobs (
  id {SERIAL},
  application_id TEXT NOT NULL,
  printer TEXT NOT NULL,
  spool_id TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL,
  actor TEXT NOT NULL,
  reprint {INT} NOT NULL,
  created_at {INT} NOT NULL,
  updated_at {INT} NOT NULL
);
CREATE INDEX print_jobs_application ON print_jobs(application_id);
CREATE TABLE kiosk_sessions (
  id {SERIAL},
  station TEXT NOT NULL,
  started_at {INT} NOT NULL,
  ended_at {INT} NOT NULL,
  taps {INT} NOT NULL,
  templates TEXT NOT NULL,
  card_read {INT} NOT NULL,
  completed {INT} NOT NULL,
  language TEXT NOT NULL
);
CREATE INDEX kiosk_sessions_started ON kiosk_sessions(started_at);
CREATE TABLE staff_codes (
  staff TEXT PRIMARY KEY,
  salt {BLOB} NOT NULL,
  hash {BLOB} NOT NULL,
  updated_at {INT} NOT NULL
);
CREATE TABLE ratings (
  id {SERIAL},
  station TEXT NOT NULL,
  at {INT} NOT NULL,
  score {INT} NOT NULL
);
)sql";

const char* kMigrations[] = {kMigration1, kMigration2};
static_assert(sizeof kMigrations / sizeof kMigrations[0] == kSchemaVersion);

std::string for_dialect(std::string sql, Dialect d) {
    const std::pair<const char*, const char*> subst[] = {
        {"{INT}", d == Dialect::Sqlite ? "INTEGER" : "BIGINT"},
        {"{BLOB}", d == Dialect::Sqlite ? "BLOB" : "BYTEA"},
        {"{SERIAL}", d == Dialect::Sqlite ? "INTEGER PRIMARY KEY AUTOINCREMENT" : "BIGSERIAL PRIMARY KEY"},
    };
    for (const auto& [from, to] : subst)
        for (auto p = sql.find(from); p != std::string::npos; p = sql.find(from, p))
            sql.replace(p, std::strlen(from), to);
    return sql;
}

const char* kCols =
    "id, template_id, template_version, department, station, card_read, state, created_at, updated_at, "
    "taken_by, key_id, fields";

Application app_from(const Row& r) {
    Application a;
    a.id = r.text(0);
    a.template_id = r.text(1);
    a.template_version = static_cast<int>(r.integer(2));
    a.department = r.text(3);
    a.station = r.text(4);
    a.card_read = r.integer(5) != 0;
    a.state = state_from_string(r.text(6));
    a.created_at = r.integer(7);
    a.updated_at = r.integer(8);
    a.taken_by = r.text(9);
    return a;
}

PrintStatus print_status_from(const std::string& s) {
    for (PrintStatus p : {PrintStatus::Pending, PrintStatus::Sent, PrintStatus::Done, PrintStatus::Failed})
        if (s == to_string(p)) return p;
    throw StoreError("unknown print job status in the store: " + s);
}

const char* kJobCols = "id, application_id, printer, spool_id, status, actor, reprint, created_at, updated_at";

PrintJob job_from(const Row& r) {
    PrintJob j;
    j.id = r.integer(0);
    j.application_id = r.text(1);
    j.printer = r.text(2);
    j.spool_id = r.text(3);
    j.status = print_status_from(r.text(4));
    j.actor = r.text(5);
    j.reprint = r.integer(6) != 0;
    j.created_at = r.integer(7);
    j.updated_at = r.integer(8);
    return j;
}

void require(bool ok, const std::string& message) {
    if (!ok) throw StoreError(message);
}

void require_actor(const std::string& actor) {
    require(!actor.empty(), "no staff or station name given: every change in the store names who made it");
}

class SqlStore final : public Store {
public:
    SqlStore(std::unique_ptr<Db> db, const StoreConfig& cfg) : db_(std::move(db)), lease_(cfg.take_lease.count()), clock_(cfg.clock) {
        keys_.push_back(load_or_create_key(cfg.key_file));
        for (const auto& f : cfg.previous_key_files) {
            Key k = load_existing_key(f);
            if (k.id != keys_.front().id) keys_.push_back(std::move(k));
        }
        migrate();
    }

    // ---------------- kiosk ----------------

    std::string submit(Application app) override {
        std::lock_guard lk(m_);
        return insert(std::move(app), State::Submitted);
    }

    std::string save_draft(Application app) override {
        std::lock_guard lk(m_);
        return insert(std::move(app), State::Draft);
    }

    void submit_draft(const std::string& id, const std::string& actor) override {
        std::lock_guard lk(m_);
        require_actor(actor);
        tx([&] {
            const Application a = lock_app(id);
            move_state(a, {State::Draft}, State::Submitted, actor, "submit", a.card_read ? "card" : "manual");
        });
    }

    void abandon_draft(const std::string& id, const std::string& actor) override {
        std::lock_guard lk(m_);
        tx([&] {
            const Application a = lock_app(id);
            require(a.state == State::Draft,
                    "application " + id + " is " + to_string(a.state) + ", not a draft: cancel it instead");
            delete_rows(id);
            audit_add(actor, "abandon", id, a.template_ref(), "");
        });
        db_->compact();
    }

    void record_session(const KioskSession& s) override {
        std::lock_guard lk(m_);
        std::string templates;
        for (const auto& t : s.templates) templates += (templates.empty() ? "" : ",") + t;
        tx([&] {
            db_->query(
                "INSERT INTO kiosk_sessions(station, started_at, ended_at, taps, templates, card_read, completed, "
                "language) VALUES(?,?,?,?,?,?,?,?)",
                {s.station, s.started_at, s.ended_at, std::int64_t{s.taps}, templates, std::int64_t{s.card_read},
                 std::int64_t{s.completed}, s.language});
        });
    }

    void record_rating(const Rating& r) override {
        std::lock_guard lk(m_);
        require(r.score >= 1 && r.score <= 5,
                "an ease rating is 1 to 5, got " + std::to_string(r.score) + ": the kiosk sent a wrong value");
        tx([&] {
            db_->query("INSERT INTO ratings(station, at, score) VALUES(?,?,?)",
                       {r.station, r.at ? r.at : now(), std::int64_t{r.score}});
        });
    }

    // ---------------- staff station ----------------

    std::optional<Application> get(const std::string& id) override {
        std::lock_guard lk(m_);
        const auto rows = db_->query(std::string("SELECT ") + kCols + " FROM applications WHERE id = ?", {id});
        if (rows.empty()) return std::nullopt;
        return decoded(rows[0]);
    }

    std::vector<QueueEntry> queue() override {
        std::lock_guard lk(m_);
        const auto rows = db_->query(std::string("SELECT ") + kCols +
                                         ", taken_at FROM applications WHERE state = 'submitted' ORDER BY created_at, id",
                                     {});
        const std::int64_t t = now();
        std::vector<QueueEntry> out;
        for (const auto& r : rows) {
            QueueEntry e{app_from(r), 0};
            e.waiting_seconds = std::max<std::int64_t>(0, t - e.app.created_at);
            if (!r.null(9) && (r.null(12) || r.integer(12) < t - lease_)) e.app.taken_by.clear();  // lease ran out
            out.push_back(std::move(e));
        }
        return out;
    }

    std::optional<Application> take_next(const std::string& staff) override {
        std::lock_guard lk(m_);
        require_actor(staff);
        std::string id;
        tx([&] {
            const auto rows = db_->query(
                std::string("SELECT id, template_id, template_version FROM applications WHERE state = 'submitted' "
                            "AND (taken_by IS NULL OR taken_at < ?) ORDER BY created_at, id LIMIT 1") +
                    (pg() ? " FOR UPDATE SKIP LOCKED" : ""),
                {now() - lease_});
            if (rows.empty()) return;
            id = rows[0].text(0);
            db_->query("UPDATE applications SET taken_by = ?, taken_at = ? WHERE id = ?", {staff, now(), id});
            audit_add(staff, "take", id, rows[0].text(1) + "@" + rows[0].text(2), "");
        });
        if (id.empty()) return std::nullopt;
        return get(id);
    }

    Application take(const std::string& id, const std::string& staff) override {
        std::lock_guard lk(m_);
        require_actor(staff);
        tx([&] {
            const Application a = lock_app(id);
            require(a.state == State::Submitted,
                    "application " + id + " is " + to_string(a.state) + " and no longer waits in the queue");
            check_not_taken_by_other(id, staff);
            db_->query("UPDATE applications SET taken_by = ?, taken_at = ? WHERE id = ?", {staff, now(), id});
            audit_add(staff, "take", id, a.template_ref(), "");
        });
        return *get(id);
    }

    void release(const std::string& id, const std::string& staff) override {
        std::lock_guard lk(m_);
        tx([&] {
            const Application a = lock_app(id);
            require(a.taken_by == staff, "application " + id + " is not held by " + staff);
            db_->query("UPDATE applications SET taken_by = NULL, taken_at = NULL WHERE id = ?", {id});
            audit_add(staff, "release", id, a.template_ref(), "");
        });
    }

    void correct_field(const std::string& id, const std::string& field_id, const std::string& value,
                       const std::string& staff, const std::string& reason) override {
        std::lock_guard lk(m_);
        require_actor(staff);
        require(!is_my_number_field({field_id, "", "", ""}),
                "個人番号 is never stored: the staff station asks for the card again when a form needs it");
        require(!reason.empty(), "a correction needs a reason (for example: card misread, resident asked)");
        tx([&] {
            const auto rows =
                db_->query(std::string("SELECT ") + kCols + " FROM applications WHERE id = ?" + for_update(), {id});
            require(!rows.empty(), "no application " + id + " in the store");
            Application a = decoded(rows[0]);
            require(a.state == State::Submitted,
                    "application " + id + " is " + to_string(a.state) + ": only a submitted application is corrected");
            check_not_taken_by_other(id, staff);
            auto it = std::find_if(a.fields.begin(), a.fields.end(), [&](const FieldValue& f) { return f.id == field_id; });
            // The audit log keeps no personal values, so the reason must not carry them.
            const auto repeats = [&](const std::string& v) { return v.size() >= 2 && reason.find(v) != std::string::npos; };
            require(!repeats(value) && !(it != a.fields.end() && repeats(it->value)),
                    "the reason must not repeat the field's value: the audit log keeps no personal data");
            if (it == a.fields.end()) {
                a.fields.push_back({field_id, value, "staff", ""});
            } else {
                base::secure_zero(it->value.data(), it->value.size());
                it->value = value;
                it->origin = "staff";
            }
            const auto sealed = seal_fields(a.fields, id);
            wipe(a.fields);
            db_->query("UPDATE applications SET fields = ?, key_id = ? WHERE id = ?", {Blob{sealed}, keys_[0].id, id});
            audit_add(staff, "correct", id, a.template_ref(), "field=" + field_id + " reason=" + reason);
        });
    }

    void confirm(const std::string& id, const std::string& staff) override {
        std::lock_guard lk(m_);
        require_actor(staff);
        tx([&] {
            const Application a = lock_app(id);
            check_not_taken_by_other(id, staff);
            move_state(a, {State::Submitted}, State::Confirmed, staff, "confirm", "");
            db_->query("UPDATE applications SET prints_allowed = 1 WHERE id = ?", {id});
        });
    }

    void cancel(const std::string& id, const std::string& staff, const std::string& reason) override {
        std::lock_guard lk(m_);
        require_actor(staff);
        tx([&] {
            const Application a = lock_app(id);
            move_state(a, {State::Submitted, State::Confirmed}, State::Cancelled, staff, "cancel", reason);
            db_->query("UPDATE applications SET prints_allowed = 0 WHERE id = ?", {id});
        });
    }

    void set_state(const std::string& id, State to, const std::string& actor) override {
        switch (to) {
            case State::Submitted: return submit_draft(id, actor);
            case State::Confirmed: return confirm(id, actor);
            case State::Cancelled: return cancel(id, actor, "");
            default:
                throw StoreError(std::string("an application is not set to ") + to_string(to) +
                                 " directly: printing goes through begin_print/print_finished, removal through purge");
        }
    }

    std::vector<StateChange> history(const std::string& id) override {
        std::lock_guard lk(m_);
        std::vector<StateChange> out;
        for (const auto& r : db_->query(
                 "SELECT at, actor, from_state, to_state FROM state_history WHERE application_id = ? ORDER BY seq", {id}))
            out.push_back({r.integer(0), r.text(1), state_from_string(r.text(2)), state_from_string(r.text(3))});
        return out;
    }

    void set_staff_code(const std::string& staff, const std::string& code, const std::string& actor) override {
        std::lock_guard lk(m_);
        require_actor(staff);
        require_actor(actor);
        require(code.size() >= 4, "a staff code needs at least 4 characters");
        const auto salt = random_bytes(16);
        const auto hash = hash_code(code, salt);
        tx([&] {
            db_->query("INSERT INTO staff_codes(staff, salt, hash, updated_at) VALUES(?,?,?,?) ON CONFLICT(staff) DO "
                       "UPDATE SET salt = excluded.salt, hash = excluded.hash, updated_at = excluded.updated_at",
                       {staff, Blob{salt}, Blob{hash}, now()});
            audit_add(actor, "staff-code", "", "", "staff=" + staff);
        });
    }

    bool check_staff_code(const std::string& staff, const std::string& code) override {
        std::lock_guard lk(m_);
        const auto rows = db_->query("SELECT salt, hash FROM staff_codes WHERE staff = ?", {staff});
        bool ok = false;
        if (!rows.empty()) {
            const auto want = rows[0].blob(1);
            const auto got = hash_code(code, rows[0].blob(0));
            ok = want.size() == got.size() && CRYPTO_memcmp(want.data(), got.data(), got.size()) == 0;
        }
        if (!ok) tx([&] { audit_add(staff, "login-failed", "", "", ""); });
        return ok;
    }

    // ---------------- printing ----------------

    PrintJob begin_print(const std::string& id, const std::string& staff, const std::string& printer) override {
        std::lock_guard lk(m_);
        require_actor(staff);
        PrintJob job;
        tx([&] {
            const Application a = lock_app(id);
            require(a.state == State::Confirmed || a.state == State::Printed,
                    "application " + id + " is " + to_string(a.state) + ": only a confirmed application is printed");
            const auto allowed = db_->query("SELECT prints_allowed FROM applications WHERE id = ?", {id});
            if (allowed.at(0).integer(0) <= 0) {
                const auto open = db_->query(
                    "SELECT id FROM print_jobs WHERE application_id = ? AND status IN ('pending','sent') ORDER BY id", {id});
                if (!open.empty())
                    throw StoreError("application " + id + " has print job " + open.back().text(0) +
                                     " whose result is unknown: look at the printer, then mark it done or request a "
                                     "reprint");
                throw StoreError("application " + id + " was already printed: request a reprint to print it again");
            }
            const bool reprint = a.state == State::Printed ||
                                 !db_->query("SELECT id FROM print_jobs WHERE application_id = ? AND status <> 'failed'",
                                             {id})
                                      .empty();
            const std::int64_t t = now();
            db_->query("UPDATE applications SET prints_allowed = prints_allowed - 1 WHERE id = ?", {id});
            const auto rows = db_->query(
                std::string("INSERT INTO print_jobs(application_id, printer, spool_id, status, actor, reprint, "
                            "created_at, updated_at) VALUES(?,?,'','pending',?,?,?,?) RETURNING ") +
                    kJobCols,
                {id, printer, staff, std::int64_t{reprint}, t, t});
            job = job_from(rows.at(0));
            audit_add(staff, reprint ? "reprint" : "print", id, a.template_ref(),
                      "job=" + std::to_string(job.id) + " printer=" + printer);
        });
        return job;
    }

    void print_sent(std::int64_t job, const std::string& spool_id) override {
        std::lock_guard lk(m_);
        tx([&] {
            const PrintJob j = lock_job(job);
            if (j.status != PrintStatus::Pending) return;  // already recorded
            db_->query("UPDATE print_jobs SET status = 'sent', spool_id = ?, updated_at = ? WHERE id = ?",
                       {spool_id, now(), job});
        });
    }

    void print_finished(std::int64_t job, bool ok, const std::string& detail) override {
        std::lock_guard lk(m_);
        tx([&] {
            // Application row first, then the job: the same order as begin_print and request_reprint.
            const auto owner = db_->query("SELECT application_id FROM print_jobs WHERE id = ?", {job});
            require(!owner.empty(), "no print job " + std::to_string(job) + " in the store");
            const Application a = lock_app(owner[0].text(0));
            const PrintJob j = lock_job(job);
            if (j.status == PrintStatus::Done || j.status == PrintStatus::Failed) return;  // idempotent after a restart
            db_->query("UPDATE print_jobs SET status = ?, updated_at = ? WHERE id = ?",
                       {std::string(ok ? "done" : "failed"), now(), job});
            if (ok) {
                if (a.state == State::Confirmed)
                    move_state(a, {State::Confirmed}, State::Printed, j.actor, "printed", "job=" + std::to_string(job));
                else
                    audit_add(j.actor, "printed", a.id, a.template_ref(), "job=" + std::to_string(job));
            } else {
                // Nothing came out: the claim is given back so the same print can be tried again.
                db_->query("UPDATE applications SET prints_allowed = prints_allowed + 1 WHERE id = ?", {a.id});
                audit_add(j.actor, "print-failed", a.id, a.template_ref(),
                          "job=" + std::to_string(job) + (detail.empty() ? "" : " " + detail));
            }
        });
    }

    void request_reprint(const std::string& id, const std::string& staff, const std::string& reason) override {
        std::lock_guard lk(m_);
        require_actor(staff);
        tx([&] {
            const Application a = lock_app(id);
            require(a.state == State::Confirmed || a.state == State::Printed,
                    "application " + id + " is " + to_string(a.state) + ": only a confirmed or printed one is reprinted");
            // Jobs whose result was unknown are settled by this explicit decision.
            db_->query("UPDATE print_jobs SET status = 'failed', updated_at = ? WHERE application_id = ? AND status IN "
                       "('pending','sent')",
                       {now(), id});
            db_->query("UPDATE applications SET prints_allowed = 1 WHERE id = ?", {id});
            audit_add(staff, "reprint-request", id, a.template_ref(), reason);
        });
    }

    std::vector<PrintJob> print_jobs(const std::string& id) override {
        std::lock_guard lk(m_);
        std::vector<PrintJob> out;
        for (const auto& r :
             db_->query(std::string("SELECT ") + kJobCols + " FROM print_jobs WHERE application_id = ? ORDER BY id", {id}))
            out.push_back(job_from(r));
        return out;
    }

    std::vector<PrintJob> unfinished_print_jobs() override {
        std::lock_guard lk(m_);
        std::vector<PrintJob> out;
        for (const auto& r : db_->query(
                 std::string("SELECT ") + kJobCols + " FROM print_jobs WHERE status IN ('pending','sent') ORDER BY id", {}))
            out.push_back(job_from(r));
        return out;
    }

    // ---------------- audit, report, export ----------------

    std::vector<std::string> audit_lines(const std::string& id) override {
        std::lock_guard lk(m_);
        std::vector<std::string> out;
        for (const auto& e : audit_where("application_id = ?", {id})) out.push_back(e.to_string());
        return out;
    }

    std::vector<AuditEntry> audit(std::int64_t from, std::int64_t to) override {
        std::lock_guard lk(m_);
        return audit_where("at >= ? AND at < ?", {from, to});
    }

    std::vector<KioskSession> sessions(std::int64_t from, std::int64_t to) override {
        std::lock_guard lk(m_);
        std::vector<KioskSession> out;
        for (const auto& r : db_->query("SELECT station, started_at, ended_at, taps, templates, card_read, completed, "
                                        "language FROM kiosk_sessions WHERE started_at >= ? AND started_at < ? ORDER BY id",
                                        {from, to})) {
            KioskSession s;
            s.station = r.text(0);
            s.started_at = r.integer(1);
            s.ended_at = r.integer(2);
            s.taps = static_cast<int>(r.integer(3));
            const std::string t = r.text(4);
            for (std::size_t p = 0; p < t.size();) {
                const auto q = std::min(t.find(',', p), t.size());
                s.templates.push_back(t.substr(p, q - p));
                p = q + 1;
            }
            s.card_read = r.integer(5) != 0;
            s.completed = r.integer(6) != 0;
            s.language = r.text(7);
            out.push_back(std::move(s));
        }
        return out;
    }

    std::vector<Rating> ratings(std::int64_t from, std::int64_t to) override {
        std::lock_guard lk(m_);
        std::vector<Rating> out;
        for (const auto& r :
             db_->query("SELECT station, at, score FROM ratings WHERE at >= ? AND at < ? ORDER BY id", {from, to}))
            out.push_back({r.text(0), r.integer(1), static_cast<int>(r.integer(2))});
        return out;
    }

    std::vector<Application> exportable(const std::vector<std::string>& template_ids) override {
        std::lock_guard lk(m_);
        std::vector<Application> out;
        if (template_ids.empty()) return out;
        std::string sql = std::string("SELECT ") + kCols +
                          " FROM applications WHERE state IN ('confirmed','printed') AND template_id IN (";
        std::vector<Param> params;
        for (const auto& t : template_ids) {
            sql += params.empty() ? "?" : ",?";
            params.emplace_back(t);
        }
        sql += ") ORDER BY created_at, id";
        for (const auto& r : db_->query(sql, params)) out.push_back(decoded(r));
        return out;
    }

    void record_export(const std::vector<std::string>& ids, const std::string& staff, const std::string& department,
                       const std::string& file) override {
        std::lock_guard lk(m_);
        require_actor(staff);
        tx([&] {
            for (const auto& id : ids) {
                const auto rows = db_->query("SELECT template_id, template_version FROM applications WHERE id = ?", {id});
                const std::string ref = rows.empty() ? "" : rows[0].text(0) + "@" + rows[0].text(1);
                audit_add(staff, "export", id, ref, "department=" + department + " file=" + file);
            }
        });
    }

    // ---------------- maintenance ----------------

    PurgeResult purge(const PurgePolicy& policy, const FileDeleter& delete_files) override {
        std::lock_guard lk(m_);
        PurgeResult result;
        const std::int64_t t = now();
        const auto due = db_->query(
            "SELECT id FROM applications WHERE (state IN ('printed','cancelled') AND updated_at <= ?) OR "
            "(state = 'draft' AND updated_at <= ?) ORDER BY created_at",
            {t - policy.after_done.count(), t - policy.stale_draft.count()});
        for (const auto& r : due) {
            const std::string id = r.text(0);
            // Files first: a crash after this leaves the row, and the next purge deletes again.
            if (delete_files) {
                try {
                    delete_files(id);
                } catch (const std::exception&) {
                    result.kept.push_back(id);
                    continue;
                }
            }
            bool gone = false;
            tx([&] {
                const auto rows = db_->query(
                    std::string("SELECT ") + kCols + " FROM applications WHERE id = ?" + for_update(), {id});
                if (rows.empty()) return;  // another station purged it first
                const Application a = app_from(rows[0]);
                // Checked again under the lock: a draft may have been submitted meanwhile.
                const bool done = (a.state == State::Printed || a.state == State::Cancelled) &&
                                  a.updated_at <= t - policy.after_done.count();
                const bool stale = a.state == State::Draft && a.updated_at <= t - policy.stale_draft.count();
                if (!done && !stale) return;
                delete_rows(id);
                audit_add("retention", "purge", id, a.template_ref(), to_string(a.state));
                gone = true;
            });
            if (gone) ++result.purged;
        }
        if (result.purged > 0) db_->compact();
        return result;
    }

    int rotate_keys() override {
        std::lock_guard lk(m_);
        int done = 0;
        for (;;) {
            const auto batch =
                db_->query("SELECT id FROM applications WHERE key_id <> ? ORDER BY id LIMIT 100", {keys_[0].id});
            if (batch.empty()) break;
            for (const auto& b : batch) {
                tx([&] {
                    const auto rows = db_->query(
                        std::string("SELECT ") + kCols + " FROM applications WHERE id = ?" + for_update(), {b.text(0)});
                    if (rows.empty()) return;
                    Application a = decoded(rows[0]);
                    const auto sealed = seal_fields(a.fields, a.id);
                    wipe(a.fields);
                    db_->query("UPDATE applications SET fields = ?, key_id = ? WHERE id = ?",
                               {Blob{sealed}, keys_[0].id, a.id});
                    audit_add("key-rotation", "rotate-key", a.id, a.template_ref(), "to=" + keys_[0].id);
                });
                ++done;
            }
        }
        if (done > 0) db_->compact();
        return done;
    }

    std::map<std::string, int> keys_in_use() override {
        std::lock_guard lk(m_);
        std::map<std::string, int> out;
        for (const auto& r : db_->query("SELECT key_id, COUNT(*) FROM applications GROUP BY key_id", {}))
            out[r.text(0)] = static_cast<int>(r.integer(1));
        return out;
    }

    std::string current_key_id() const override { return keys_[0].id; }

    int schema_version() override {
        std::lock_guard lk(m_);
        return db_->read_version();
    }

private:
    bool pg() const { return db_->dialect() == Dialect::Postgres; }
    const char* for_update() const { return pg() ? " FOR UPDATE" : ""; }

    std::int64_t now() const {
        if (clock_) return clock_();
        return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
            .count();
    }

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

    void migrate() {
        tx([&] {
            db_->lock_schema();
            const int version = db_->read_version();
            if (version > kSchemaVersion)
                throw StoreError("store " + db_->where() + " has schema version " + std::to_string(version) +
                                 ", newer than this program (" + std::to_string(kSchemaVersion) +
                                 "): another station was updated; update kakanai on this PC before using it");
            for (int v = version; v < kSchemaVersion; ++v) db_->exec(for_dialect(kMigrations[v], db_->dialect()));
            if (version != kSchemaVersion) db_->write_version(kSchemaVersion);
        });
    }

    std::string insert(Application app, State state) {
        require(!app.template_id.empty(), "an application needs a template id");
        require_actor(app.station);
        for (const auto& f : app.fields)
            require(!is_my_number_field(f),
                    "field " + f.id + " holds or would hold a 個人番号, which is never stored: leave it out; the "
                    "staff station asks for the card again when a form needs it");
        app.id = new_id();
        app.state = state;
        app.created_at = now();
        const auto sealed = seal_fields(app.fields, app.id);
        wipe(app.fields);
        tx([&] {
            db_->query(
                "INSERT INTO applications(id, template_id, template_version, department, station, card_read, state, "
                "created_at, updated_at, key_id, fields, prints_allowed) VALUES(?,?,?,?,?,?,?,?,?,?,?,0)",
                {app.id, app.template_id, std::int64_t{app.template_version}, app.department, app.station,
                 std::int64_t{app.card_read}, std::string(to_string(state)), app.created_at, app.created_at,
                 keys_[0].id, Blob{sealed}});
            if (state == State::Submitted) {
                history_add(app.id, app.station, State::Draft, State::Submitted);
                audit_add(app.station, "submit", app.id, app.template_ref(), app.card_read ? "card" : "manual");
            }
        });
        return app.id;
    }

    std::vector<std::uint8_t> seal_fields(const std::vector<FieldValue>& fields, const std::string& id) {
        nlohmann::json j = nlohmann::json::array();
        for (const auto& f : fields) j.push_back({{"id", f.id}, {"value", f.value}, {"origin", f.origin}});
        std::string plain = j.dump();
        auto sealed = seal(keys_[0], plain, id);
        base::secure_zero(plain.data(), plain.size());
        return sealed;
    }

    static void wipe(std::vector<FieldValue>& fields) {
        for (auto& f : fields) base::secure_zero(f.value.data(), f.value.size());
    }

    Application decoded(const Row& r) {
        Application a = app_from(r);
        const std::string key_id = r.text(10);
        const auto key = std::find_if(keys_.begin(), keys_.end(), [&](const Key& k) { return k.id == key_id; });
        if (key == keys_.end())
            throw StoreError("application " + a.id + " was sealed with key " + key_id +
                             ", which is not loaded: list its key file in previous_key_files of kakanai.toml");
        std::string plain = open_sealed(*key, r.blob(11), a.id);
        for (const auto& f : nlohmann::json::parse(plain))
            a.fields.push_back({f.at("id").get<std::string>(), f.at("value").get<std::string>(),
                                f.at("origin").get<std::string>(), ""});
        base::secure_zero(plain.data(), plain.size());
        return a;
    }

    Application lock_app(const std::string& id) {
        const auto rows = db_->query(std::string("SELECT ") + kCols + " FROM applications WHERE id = ?" + for_update(), {id});
        require(!rows.empty(), "no application " + id + " in the store (already purged, or a typo in the number)");
        return app_from(rows[0]);
    }

    PrintJob lock_job(std::int64_t job) {
        const auto rows =
            db_->query(std::string("SELECT ") + kJobCols + " FROM print_jobs WHERE id = ?" + for_update(), {job});
        require(!rows.empty(), "no print job " + std::to_string(job) + " in the store");
        return job_from(rows[0]);
    }

    void check_not_taken_by_other(const std::string& id, const std::string& staff) {
        const auto rows = db_->query("SELECT taken_by, taken_at FROM applications WHERE id = ?", {id});
        if (rows.empty() || rows[0].null(0)) return;
        const std::string holder = rows[0].text(0);
        if (holder != staff && rows[0].integer(1) >= now() - lease_)
            throw StoreError("application " + id + " is open at " + holder + "'s station: ask them, or wait until it is released");
    }

    void move_state(const Application& a, std::initializer_list<State> from, State to, const std::string& actor,
                    const std::string& action, const std::string& detail) {
        require(std::find(from.begin(), from.end(), a.state) != from.end(),
                "application " + a.id + " is " + to_string(a.state) + " and cannot become " + to_string(to));
        db_->query("UPDATE applications SET state = ?, updated_at = ? WHERE id = ?",
                   {std::string(to_string(to)), now(), a.id});
        history_add(a.id, actor, a.state, to);
        audit_add(actor, action, a.id, a.template_ref(), detail);
    }

    void history_add(const std::string& id, const std::string& actor, State from, State to) {
        db_->query("INSERT INTO state_history(application_id, at, actor, from_state, to_state) VALUES(?,?,?,?,?)",
                   {id, now(), actor, std::string(to_string(from)), std::string(to_string(to))});
    }

    void audit_add(const std::string& actor, const std::string& action, const std::string& id, const std::string& ref,
                   const std::string& detail) {
        db_->query("INSERT INTO audit(at, actor, action, application_id, template_id, detail) VALUES(?,?,?,?,?,?)",
                   {now(), actor, action, id, ref, detail});
    }

    void delete_rows(const std::string& id) {
        db_->query("DELETE FROM print_jobs WHERE application_id = ?", {id});
        db_->query("DELETE FROM state_history WHERE application_id = ?", {id});
        db_->query("DELETE FROM applications WHERE id = ?", {id});
    }

    std::vector<AuditEntry> audit_where(const std::string& where, const std::vector<Param>& params) {
        std::vector<AuditEntry> out;
        for (const auto& r : db_->query(
                 "SELECT seq, at, actor, action, application_id, template_id, detail FROM audit WHERE " + where +
                     " ORDER BY seq",
                 params))
            out.push_back({r.integer(0), r.integer(1), r.text(2), r.text(3), r.text(4), r.text(5), r.text(6)});
        return out;
    }

    // Short, unguessable ids a resident can read out at the counter: A-XXXX-XXXX.
    static std::string new_id() {
        static const char* alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";  // no 0/O, 1/I
        std::uint8_t r[8];
        if (RAND_bytes(r, sizeof r) != 1) throw StoreError("no randomness for an application id");
        std::string id = "A-";
        for (int i = 0; i < 8; ++i) {
            if (i == 4) id += '-';
            id += alphabet[r[i] % 32];
        }
        return id;
    }

    std::recursive_mutex m_;
    std::unique_ptr<Db> db_;
    std::vector<Key> keys_;  // [0] seals; the rest only open rows during a rotation
    std::int64_t lease_;
    std::function<std::int64_t()> clock_;
};

}  // namespace

const char* to_string(State s) {
    switch (s) {
        case State::Draft: return "draft";
        case State::Submitted: return "submitted";
        case State::Confirmed: return "confirmed";
        case State::Printed: return "printed";
        case State::Cancelled: return "cancelled";
        case State::Purged: return "purged";
    }
    return "draft";
}

State state_from_string(const std::string& s) {
    for (State st : {State::Draft, State::Submitted, State::Confirmed, State::Printed, State::Cancelled, State::Purged})
        if (s == to_string(st)) return st;
    throw StoreError("unknown application state in the store: " + s);
}

const char* to_string(PrintStatus s) {
    switch (s) {
        case PrintStatus::Pending: return "pending";
        case PrintStatus::Sent: return "sent";
        case PrintStatus::Done: return "done";
        case PrintStatus::Failed: return "failed";
    }
    return "pending";
}

std::string AuditEntry::to_string() const {
    std::string s = std::to_string(at) + " " + actor + " " + action + " " + template_ref;
    if (!detail.empty()) s += " " + detail;
    return s;
}

namespace {
// 12 digits whose last is the 個人番号 check digit (行政手続における特定の個人を識別するための番号の利用等に関する法律施行令 8条).
bool looks_like_my_number(const std::string& value) {
    std::string digits;
    for (char c : value) {
        if (c >= '0' && c <= '9') digits += c;
        else if (c != ' ' && c != '-') return false;
    }
    return base::my_number_is_valid(digits);
}
}  // namespace

bool is_my_number_field(const FieldValue& f) {
    std::string id = f.id, type = f.type;
    for (auto* s : {&id, &type})
        for (auto& c : *s) c = (c == '-') ? '_' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    // By exact id only: a question like include_my_number (print the number
    // on the 住民票 or not) is allowed; its answer is yes/no, not the number.
    return looks_like_my_number(f.value) || type == "my_number" || type == "mynumber" || id == "my_number" ||
           id == "mynumber" || id == "kojin_bango" || id == "個人番号";
}

std::unique_ptr<Store> open_store(const StoreConfig& config) {
    std::unique_ptr<Db> db;
    if (config.backend == StoreConfig::Backend::Postgres) {
        if (config.conninfo.empty())
            throw StoreError("backend is postgresql but no conninfo is set: add conninfo = \"host=... dbname=...\" to "
                             "[store] in kakanai.toml");
        db = open_postgres_db(config.conninfo);
    } else {
        db = open_sqlite_db(config.sqlite_path.string());
    }
    return std::make_unique<SqlStore>(std::move(db), config);
}

std::unique_ptr<Store> open_sqlite(const std::filesystem::path& db, const std::filesystem::path& key_file) {
    StoreConfig c;
    c.sqlite_path = db;
    c.key_file = key_file;
    return open_store(c);
}

std::unique_ptr<Store> open_postgres(const std::string& conninfo, const std::filesystem::path& key_file) {
    StoreConfig c;
    c.backend = StoreConfig::Backend::Postgres;
    c.conninfo = conninfo;
    c.key_file = key_file;
    return open_store(c);
}

}  // namespace kakanai::store
