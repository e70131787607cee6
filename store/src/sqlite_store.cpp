// SQLite backend: one file, WAL, synchronous=FULL so a reported submit
// survives kill -9 and power loss.
#include <openssl/rand.h>
#include <sqlite3.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "crypto.hpp"
#include "kakanai/store/store.hpp"

namespace kakanai::store {
namespace {

constexpr int kSchemaVersion = 1;

const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS applications (
  id TEXT PRIMARY KEY,
  template_id TEXT NOT NULL,
  template_version INTEGER NOT NULL,
  station TEXT NOT NULL,
  card_read INTEGER NOT NULL,
  state TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  key_id TEXT NOT NULL,
  fields BLOB NOT NULL          -- AES-256-GCM sealed JSON of field values
);
CREATE INDEX IF NOT EXISTS applications_state ON applications(state, created_at);
CREATE TABLE IF NOT EXISTS audit (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  application_id TEXT NOT NULL,
  template_id TEXT NOT NULL     -- never personal values
);
)sql";

std::int64_t now_seconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

State state_from(const std::string& s) {
    for (State st : {State::Draft, State::Submitted, State::Confirmed, State::Printed, State::Cancelled, State::Purged})
        if (s == to_string(st)) return st;
    throw StoreError("unknown application state in the store: " + s);
}

class Stmt {
public:
    Stmt(sqlite3* db, const char* sql) : db_(db) {
        if (sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) != SQLITE_OK)
            throw StoreError(std::string("store query failed: ") + sqlite3_errmsg(db));
    }
    ~Stmt() { sqlite3_finalize(stmt_); }
    Stmt(const Stmt&) = delete;
    Stmt& operator=(const Stmt&) = delete;
    Stmt& bind(int i, const std::string& s) {
        sqlite3_bind_text(stmt_, i, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
        return *this;
    }
    Stmt& bind(int i, std::int64_t v) {
        sqlite3_bind_int64(stmt_, i, v);
        return *this;
    }
    Stmt& bind(int i, const std::vector<std::uint8_t>& b) {
        sqlite3_bind_blob(stmt_, i, b.data(), static_cast<int>(b.size()), SQLITE_TRANSIENT);
        return *this;
    }
    bool step() {
        const int rc = sqlite3_step(stmt_);
        if (rc == SQLITE_ROW) return true;
        if (rc == SQLITE_DONE) return false;
        throw StoreError(std::string("store write failed: ") + sqlite3_errmsg(db_));
    }
    std::string text(int c) const {
        const auto* p = sqlite3_column_text(stmt_, c);
        return p ? reinterpret_cast<const char*>(p) : "";
    }
    std::int64_t integer(int c) const { return sqlite3_column_int64(stmt_, c); }
    std::vector<std::uint8_t> blob(int c) const {
        const auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(stmt_, c));
        return std::vector<std::uint8_t>(p, p + sqlite3_column_bytes(stmt_, c));
    }

private:
    sqlite3* db_;
    sqlite3_stmt* stmt_ = nullptr;
};

class SqliteStore final : public Store {
public:
    SqliteStore(const std::filesystem::path& path, const std::filesystem::path& key_file)
        : key_(load_or_create_key(key_file)) {
        if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                            nullptr) != SQLITE_OK) {
            const std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
            sqlite3_close(db_);
            throw StoreError("cannot open store " + path.string() + ": " + msg);
        }
        sqlite3_busy_timeout(db_, 5000);
        exec("PRAGMA journal_mode=WAL");
        exec("PRAGMA synchronous=FULL");
        int version = 0;
        {
            Stmt s(db_, "PRAGMA user_version");
            if (s.step()) version = static_cast<int>(s.integer(0));
        }
        if (version > kSchemaVersion)
            throw StoreError("store " + path.string() + " has schema version " + std::to_string(version) +
                             ", newer than this program (" + std::to_string(kSchemaVersion) +
                             "): update kakanai before using it");
        exec(kSchema);
        exec("PRAGMA user_version=" + std::to_string(kSchemaVersion));
    }
    ~SqliteStore() override { sqlite3_close(db_); }

    std::string submit(Application app) override {
        app.id = new_id();
        app.state = State::Submitted;
        app.created_at = now_seconds();
        nlohmann::json fields = nlohmann::json::array();
        for (const auto& f : app.fields) fields.push_back({{"id", f.id}, {"value", f.value}, {"origin", f.origin}});
        std::string plain = fields.dump();
        const auto sealed = seal(key_, plain, app.id);
        OPENSSL_cleanse(plain.data(), plain.size());
        exec("BEGIN IMMEDIATE");
        try {
            Stmt(db_,
                 "INSERT INTO applications(id, template_id, template_version, station, card_read, state, created_at, "
                 "key_id, fields) VALUES(?,?,?,?,?,?,?,?,?)")
                .bind(1, app.id)
                .bind(2, app.template_id)
                .bind(3, std::int64_t{app.template_version})
                .bind(4, app.station)
                .bind(5, std::int64_t{app.card_read ? 1 : 0})
                .bind(6, std::string(to_string(app.state)))
                .bind(7, app.created_at)
                .bind(8, key_.id)
                .bind(9, sealed)
                .step();
            audit(app.station, "submit", app.id, app.template_id);
            exec("COMMIT");
        } catch (...) {
            exec("ROLLBACK");
            throw;
        }
        return app.id;
    }

    std::optional<Application> get(const std::string& id) override {
        Stmt s(db_,
               "SELECT id, template_id, template_version, station, card_read, state, created_at, key_id, fields "
               "FROM applications WHERE id = ?");
        s.bind(1, id);
        if (!s.step()) return std::nullopt;
        Application a = row(s);
        if (s.text(7) != key_.id)
            throw StoreError("application " + id + " was sealed with key " + s.text(7) + ", not the current key");
        std::string plain = open_sealed(key_, s.blob(8), a.id);
        for (const auto& f : nlohmann::json::parse(plain))
            a.fields.push_back({f.at("id").get<std::string>(), f.at("value").get<std::string>(),
                                f.at("origin").get<std::string>()});
        OPENSSL_cleanse(plain.data(), plain.size());
        return a;
    }

    std::vector<Application> queue() override {
        Stmt s(db_,
               "SELECT id, template_id, template_version, station, card_read, state, created_at FROM applications "
               "WHERE state = 'submitted' ORDER BY created_at, id");
        std::vector<Application> out;
        while (s.step()) out.push_back(row(s));
        return out;
    }

    void set_state(const std::string& id, State to, const std::string& actor) override {
        auto a = get_row(id);
        exec("BEGIN IMMEDIATE");
        try {
            Stmt(db_, "UPDATE applications SET state = ? WHERE id = ?").bind(1, std::string(to_string(to))).bind(2, id).step();
            audit(actor, to_string(to), id, a.template_id);
            exec("COMMIT");
        } catch (...) {
            exec("ROLLBACK");
            throw;
        }
    }

    std::vector<std::string> audit_lines(const std::string& id) override {
        Stmt s(db_, "SELECT at, actor, action, template_id FROM audit WHERE application_id = ? ORDER BY seq");
        s.bind(1, id);
        std::vector<std::string> out;
        while (s.step()) out.push_back(std::to_string(s.integer(0)) + " " + s.text(1) + " " + s.text(2) + " " + s.text(3));
        return out;
    }

private:
    static Application row(const Stmt& s) {
        Application a;
        a.id = s.text(0);
        a.template_id = s.text(1);
        a.template_version = static_cast<int>(s.integer(2));
        a.station = s.text(3);
        a.card_read = s.integer(4) != 0;
        a.state = state_from(s.text(5));
        a.created_at = s.integer(6);
        return a;
    }

    Application get_row(const std::string& id) {
        Stmt s(db_, "SELECT id, template_id, template_version, station, card_read, state, created_at FROM applications WHERE id = ?");
        s.bind(1, id);
        if (!s.step()) throw StoreError("no application " + id + " in the store");
        return row(s);
    }

    void audit(const std::string& actor, const std::string& action, const std::string& id, const std::string& tid) {
        Stmt(db_, "INSERT INTO audit(at, actor, action, application_id, template_id) VALUES(?,?,?,?,?)")
            .bind(1, now_seconds())
            .bind(2, actor)
            .bind(3, action)
            .bind(4, id)
            .bind(5, tid)
            .step();
    }

    void exec(const std::string& sql) {
        char* err = nullptr;
        if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
            const std::string msg = err ? err : "unknown error";
            sqlite3_free(err);
            throw StoreError("store error: " + msg);
        }
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

    Key key_;
    sqlite3* db_ = nullptr;
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

std::unique_ptr<Store> open_sqlite(const std::filesystem::path& db, const std::filesystem::path& key_file) {
    return std::make_unique<SqliteStore>(db, key_file);
}

}  // namespace kakanai::store
