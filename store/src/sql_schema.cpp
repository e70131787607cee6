// The schema and its migrations; each station migrates at start, one at a time.
#include <cstring>
#include <utility>

#include "kakanai/store/pg_setup.hpp"
#include "sql_store.hpp"

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
UPDATE applications SET prints_allowed = 1 WHERE state = {STATE_CONFIRMED};
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

// Version 3: the card's authenticity result with each application; refused kiosk sessions.
const char* kMigration3 = R"sql(
ALTER TABLE applications ADD COLUMN authenticity TEXT NOT NULL DEFAULT '';
ALTER TABLE kiosk_sessions ADD COLUMN refused {INT} NOT NULL DEFAULT 0;
)sql";

// Version 4: public-key sealing. The key ids the store seals for (the kiosk
// checks its public key here without reading applications); rows of earlier
// versions, sealed with the shared symmetric key, are listed as legacy.
const char* kMigration4 = R"sql(
CREATE TABLE store_keys (
  key_id TEXT PRIMARY KEY,
  public_key {BLOB},
  state TEXT NOT NULL,
  created_at {INT} NOT NULL
);
INSERT INTO store_keys(key_id, public_key, state, created_at)
  SELECT DISTINCT key_id, CAST(NULL AS {BLOB}), 'legacy', 0 FROM applications;
)sql";

// Version 5: login attempts per staff id ("staff:ID") and per station
// ("station:NAME"), so a restart does not reset a lock. For a station,
// locked_until is the time it locked (0: open) and failed_ids the ids that
// failed there since the last login (they cannot unlock it).
const char* kMigration5 = R"sql(
CREATE TABLE login_guard (
  subject TEXT PRIMARY KEY,
  failures {INT} NOT NULL DEFAULT 0,
  locks {INT} NOT NULL DEFAULT 0,
  locked_until {INT} NOT NULL DEFAULT 0,
  failed_ids TEXT NOT NULL DEFAULT '',
  updated_at {INT} NOT NULL DEFAULT 0
);
)sql";

// Version 6: one short number per visit, a daily sequence of the town that
// every station draws from. visit_counters holds the last number given each
// day (one row, updated atomically); visits is UNIQUE on (day, number) besides.
const char* kMigration6 = R"sql(
CREATE TABLE visit_counters (
  day TEXT PRIMARY KEY,
  last_number {INT} NOT NULL
);
CREATE TABLE visits (
  day TEXT NOT NULL,
  number {INT} NOT NULL,
  station TEXT NOT NULL,
  language TEXT NOT NULL,
  created_at {INT} NOT NULL,
  PRIMARY KEY (day, number)
);
ALTER TABLE applications ADD COLUMN visit_day TEXT NOT NULL DEFAULT '';
ALTER TABLE applications ADD COLUMN visit_number {INT} NOT NULL DEFAULT 0;
CREATE INDEX applications_visit ON applications(visit_day, visit_number);
)sql";

// Version 7: calls for staff from the kiosks (calls.hpp): the kiosk's name, a
// reason code and who answered when; nothing personal.
const char* kMigration7 = R"sql(
CREATE TABLE staff_calls (
  id {SERIAL},
  kiosk TEXT NOT NULL,
  reason TEXT NOT NULL,
  raised_at {INT} NOT NULL,
  acknowledged_at {INT},
  acknowledged_by TEXT
);
CREATE INDEX staff_calls_open ON staff_calls(acknowledged_at, raised_at);
)sql";

const char* kMigrations[] = {kMigration1, kMigration2, kMigration3, kMigration4, kMigration5, kMigration6, kMigration7};
static_assert(sizeof kMigrations / sizeof kMigrations[0] == kSchemaVersion);

std::string for_dialect(std::string sql, Dialect d) {
    const std::string confirmed = sql_name(State::Confirmed);
    const std::pair<const char*, const char*> subst[] = {
        {"{INT}", d == Dialect::Sqlite ? "INTEGER" : "BIGINT"},
        {"{BLOB}", d == Dialect::Sqlite ? "BLOB" : "BYTEA"},
        {"{SERIAL}", d == Dialect::Sqlite ? "INTEGER PRIMARY KEY AUTOINCREMENT" : "BIGSERIAL PRIMARY KEY"},
        {"{STATE_CONFIRMED}", confirmed.c_str()},  // state names come from types.hpp
    };
    for (const auto& [from, to] : subst)
        for (auto p = sql.find(from); p != std::string::npos; p = sql.find(from, p))
            sql.replace(p, std::strlen(from), to);
    return sql;
}

// What each station role may do, re-applied by the schema's owner after every
// migration (so a table a later migration adds, such as store_keys, is covered)
// and by kakanai-report pg-setup. Nothing happens while the roles do not exist.
// The kiosk inserts what a submission writes (application, its history and
// audit lines), sessions, ratings and calls for staff, and reads only the schema
// version, the public keys and calls (nothing personal): never an application.
const char* kPgGrants = R"sql(
DO $grants$
DECLARE s text := current_schema();
BEGIN
  IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'kakanai_kiosk') THEN
    EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA %I FROM kakanai_kiosk', s);
    EXECUTE format('REVOKE ALL ON ALL SEQUENCES IN SCHEMA %I FROM kakanai_kiosk', s);
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO kakanai_kiosk', s);
    GRANT SELECT ON kakanai_schema TO kakanai_kiosk;
    GRANT INSERT ON applications, state_history, audit, kiosk_sessions, ratings TO kakanai_kiosk;
    EXECUTE format('GRANT USAGE ON SEQUENCE %s, %s, %s, %s TO kakanai_kiosk',
                   pg_get_serial_sequence('state_history', 'seq'), pg_get_serial_sequence('audit', 'seq'),
                   pg_get_serial_sequence('kiosk_sessions', 'id'), pg_get_serial_sequence('ratings', 'id'));
    IF to_regclass('store_keys') IS NOT NULL THEN
      GRANT SELECT ON store_keys TO kakanai_kiosk;
    END IF;
    IF to_regclass('staff_calls') IS NOT NULL THEN
      GRANT INSERT, SELECT ON staff_calls TO kakanai_kiosk;
      EXECUTE format('GRANT USAGE ON SEQUENCE %s TO kakanai_kiosk', pg_get_serial_sequence('staff_calls', 'id'));
    END IF;
    IF to_regclass('visits') IS NOT NULL THEN
      -- A visit's number: the day's counter (nothing personal) and the visit row.
      GRANT SELECT, INSERT, UPDATE ON visit_counters TO kakanai_kiosk;
      GRANT INSERT ON visits TO kakanai_kiosk;
    END IF;
  END IF;
  IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'kakanai_staff') THEN
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO kakanai_staff', s);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO kakanai_staff', s);
    EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %I TO kakanai_staff', s);
    EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO kakanai_staff', s);
    EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT USAGE, SELECT ON SEQUENCES TO kakanai_staff', s);
    REVOKE INSERT, UPDATE, DELETE ON kakanai_schema FROM kakanai_staff;
  END IF;
END
$grants$;
)sql";

// The database and its schema only for the two roles (and the owner).
const char* kPgDatabasePrivileges = R"sql(
DO $db$
BEGIN
  EXECUTE format('REVOKE ALL ON DATABASE %I FROM PUBLIC', current_database());
  EXECUTE format('GRANT CONNECT ON DATABASE %I TO kakanai_kiosk, kakanai_staff', current_database());
  EXECUTE format('REVOKE CREATE ON SCHEMA %I FROM PUBLIC', current_schema());
END
$db$;
)sql";

template <class F>
void in_tx(Db& db, F&& f) {
    db.begin();
    try {
        f();
        db.commit();
    } catch (...) {
        try {
            db.rollback();
        } catch (...) {
        }
        throw;
    }
}

// PostgreSQL: the version without locking or creating anything, so a role
// without DDL rights (kiosk, staff) can start; 0 for an empty database.
int pg_stored_version(Db& db) {
    const auto rows = db.query("SELECT CASE WHEN to_regclass('kakanai_schema') IS NULL THEN 0 ELSE 1 END AS present", {});
    return rows.at(0).integer("present") ? db.read_version() : 0;
}

StoreError newer_schema(Db& db, int version) {
    return StoreError(StoreErrorKind::NewerSchema,
                      "store " + db.where() + " has schema version " + std::to_string(version) +
                          ", newer than this program (" + std::to_string(kSchemaVersion) +
                          "): another station was updated; update kakanai on this PC before using it");
}

// Migrates to kSchemaVersion; on PostgreSQL re-applies the roles' grants when
// anything changed (always with `grants`).
void migrate_db(Db& db, bool grants) {
    const bool pg = db.dialect() == Dialect::Postgres;
    int seen = 0;
    if (pg) {
        seen = pg_stored_version(db);
        if (seen > kSchemaVersion) throw newer_schema(db, seen);
        if (seen == kSchemaVersion && !grants) return;
    }
    try {
        in_tx(db, [&] {
            db.lock_schema();
            const int version = db.read_version();
            if (version > kSchemaVersion) throw newer_schema(db, version);
            for (int v = version; v < kSchemaVersion; ++v) db.exec(for_dialect(kMigrations[v], db.dialect()));
            if (version != kSchemaVersion) db.write_version(kSchemaVersion);
            if (pg && (grants || version != kSchemaVersion)) db.exec(kPgGrants);
        });
    } catch (const StoreError& e) {
        // 42501: the kiosk and staff roles may not change the schema.
        if (pg && e.kind() == StoreErrorKind::ReadOnly && !grants)
            throw StoreError(StoreErrorKind::ReadOnly,
                             "store " + db.where() + " has schema version " + std::to_string(seen) +
                                 ", older than this program needs (" + std::to_string(kSchemaVersion) +
                                 "), and this role may not change the schema (" + e.what() +
                                 "): run `kakanai-report pg-setup` once with the database owner's connection "
                                 "(docs/store.md, PostgreSQL)");
        throw;
    }
}

}  // namespace

void SqlStore::migrate() { migrate_db(*db_, false); }

PgSetupResult setup_postgres(const std::string& conninfo, const std::filesystem::path& passfile) {
    const auto db = open_postgres_db(conninfo, passfile);
    PgSetupResult r;
    try {
        for (const char* role : {kPgKioskRole, kPgStaffRole}) {
            if (!db->query("SELECT rolname FROM pg_roles WHERE rolname = ?", {std::string(role)}).empty()) continue;
            db->exec(std::string("CREATE ROLE ") + role + " LOGIN");
            r.created_roles.emplace_back(role);
        }
        r.schema_version_before = pg_stored_version(*db);
        migrate_db(*db, true);
        db->exec(kPgDatabasePrivileges);
    } catch (const StoreError& e) {
        if (e.kind() == StoreErrorKind::ReadOnly)
            throw StoreError(StoreErrorKind::ReadOnly,
                             std::string(e.what()) + ": run pg-setup as a superuser (sudo -u postgres) or as the "
                                                     "database owner with CREATEROLE (docs/store.md)");
        throw;
    }
    r.schema_version = pg_stored_version(*db);
    return r;
}

}  // namespace kakanai::store
