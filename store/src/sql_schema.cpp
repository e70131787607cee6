// The schema and its migrations; each station migrates at start, one at a time.
#include <cstring>
#include <utility>

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

// Version 3: login attempts per staff id ("staff:ID") and per station
// ("station:NAME"), so a restart does not reset a lock. For a station,
// locked_until is the time it locked (0: open) and failed_ids the ids that
// failed there since the last login (they cannot unlock it).
const char* kMigration3 = R"sql(
CREATE TABLE login_guard (
  subject TEXT PRIMARY KEY,
  failures {INT} NOT NULL DEFAULT 0,
  locks {INT} NOT NULL DEFAULT 0,
  locked_until {INT} NOT NULL DEFAULT 0,
  failed_ids TEXT NOT NULL DEFAULT '',
  updated_at {INT} NOT NULL DEFAULT 0
);
)sql";

const char* kMigrations[] = {kMigration1, kMigration2, kMigration3};
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

}  // namespace

void SqlStore::migrate() {
    tx([&] {
        db_->lock_schema();
        const int version = db_->read_version();
        if (version > kSchemaVersion)
            throw StoreError(StoreErrorKind::NewerSchema,
                             "store " + db_->where() + " has schema version " + std::to_string(version) +
                                 ", newer than this program (" + std::to_string(kSchemaVersion) +
                                 "): another station was updated; update kakanai on this PC before using it");
        for (int v = version; v < kSchemaVersion; ++v) db_->exec(for_dialect(kMigrations[v], db_->dialect()));
        if (version != kSchemaVersion) db_->write_version(kSchemaVersion);
    });
}

}  // namespace kakanai::store
