// SQLite backend: one file, WAL, synchronous=FULL so a reported change
// survives kill -9 and power loss; secure_delete so purged rows are zeroed.
#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cerrno>

#include "db.hpp"
#include "kakanai/store/store.hpp"

namespace kakanai::store {
namespace {

// In WAL mode a full disk shows as an I/O error whose system error is ENOSPC.
bool disk_full(sqlite3* db) {
    return db && sqlite3_errcode(db) == SQLITE_IOERR && (sqlite3_system_errno(db) == ENOSPC || sqlite3_system_errno(db) == EDQUOT);
}

// What the operator does about a failed SQLite call (docs/store.md).
std::string hint(sqlite3* db) {
    if (disk_full(db)) return " (the disk is full: free space on it; the change was not saved)";
    switch (db ? sqlite3_errcode(db) : SQLITE_NOMEM) {
        case SQLITE_READONLY:
        case SQLITE_PERM:
        case SQLITE_AUTH:
            return " (the file or its folder is not writable: give the kiosk's user write access to both, "
                   "e.g. chown kakanai and chmod 600 the file, 700 the folder; nothing was changed)";
        case SQLITE_CANTOPEN:
            return " (check that the folder exists and that the file and folder are readable and writable by "
                   "the kiosk's user)";
        case SQLITE_CORRUPT:
        case SQLITE_NOTADB:
            return " (the store file is damaged or is not a kakanai store: stop the kiosk, keep a copy of the "
                   "file and follow \"Damaged store file\" in docs/store.md; the file was not changed)";
        case SQLITE_FULL:
            return " (the disk is full: free space on it; the change was not saved)";
        case SQLITE_IOERR:
            return " (the disk reported an error: check it, and the system log)";
        default: return "";
    }
}

// The same codes as a kind staff see (errors.hpp); hint() keeps the fix for the log.
StoreErrorKind kind_of(sqlite3* db) {
    if (disk_full(db)) return StoreErrorKind::DiskFull;
    switch (db ? sqlite3_errcode(db) : SQLITE_NOMEM) {
        case SQLITE_READONLY:
        case SQLITE_PERM:
        case SQLITE_AUTH: return StoreErrorKind::ReadOnly;
        case SQLITE_CANTOPEN: return StoreErrorKind::Unavailable;
        case SQLITE_CORRUPT:
        case SQLITE_NOTADB: return StoreErrorKind::Damaged;
        case SQLITE_FULL: return StoreErrorKind::DiskFull;
        case SQLITE_IOERR: return StoreErrorKind::Io;
        case SQLITE_BUSY:
        case SQLITE_LOCKED: return StoreErrorKind::Busy;
        case SQLITE_CONSTRAINT: return StoreErrorKind::Conflict;
        default: return StoreErrorKind::Internal;
    }
}

class SqliteDb final : public Db {
public:
    explicit SqliteDb(const std::string& path) : path_(path) {
        // SQLite would create the file 0644 (less the umask), and its -wal and -shm
        // take the database's mode: a new store is 0600. An existing file keeps its
        // mode (the package's shared store is 0660, docs/install.md).
        if (const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600); fd >= 0) ::close(fd);
        if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                            nullptr) != SQLITE_OK) {
            const std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
            const std::string how = hint(db_);
            const StoreErrorKind kind = kind_of(db_);
            sqlite3_close(db_);
            throw StoreError(kind, "cannot open store " + path + ": " + msg + how);
        }
        sqlite3_busy_timeout(db_, 10000);
        try {
            exec("PRAGMA journal_mode=WAL");
            exec("PRAGMA synchronous=FULL");
            exec("PRAGMA secure_delete=ON");
            exec("PRAGMA foreign_keys=ON");
        } catch (...) {
            // No destructor runs for a constructor that throws: close the file here.
            sqlite3_close(db_);
            throw;
        }
    }
    ~SqliteDb() override { sqlite3_close(db_); }

    Dialect dialect() const override { return Dialect::Sqlite; }
    std::string where() const override { return path_; }

    void exec(const std::string& sql) override {
        char* err = nullptr;
        if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
            const std::string msg = err ? err : "unknown error";
            sqlite3_free(err);
            throw StoreError(kind_of(db_), "store " + path_ + ": " + msg + hint(db_));
        }
    }

    std::vector<Row> query(const std::string& sql, const std::vector<Param>& params) override {
        sqlite3_stmt* st = nullptr;
        if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr) != SQLITE_OK)
            throw StoreError(kind_of(db_), "store " + path_ + ": " + sqlite3_errmsg(db_) + hint(db_));
        std::unique_ptr<sqlite3_stmt, decltype(&sqlite3_finalize)> guard(st, sqlite3_finalize);
        for (std::size_t i = 0; i < params.size(); ++i) {
            const int n = static_cast<int>(i + 1);
            const Param& p = params[i];
            if (std::holds_alternative<std::nullptr_t>(p)) sqlite3_bind_null(st, n);
            else if (auto* v = std::get_if<std::int64_t>(&p)) sqlite3_bind_int64(st, n, *v);
            else if (auto* s = std::get_if<std::string>(&p))
                sqlite3_bind_text(st, n, s->data(), static_cast<int>(s->size()), SQLITE_TRANSIENT);
            else {
                const auto& b = std::get<Blob>(p).bytes;
                sqlite3_bind_blob(st, n, b.data(), static_cast<int>(b.size()), SQLITE_TRANSIENT);
            }
        }
        const int cols = sqlite3_column_count(st);
        auto names = std::make_shared<std::vector<std::string>>();
        for (int c = 0; c < cols; ++c) names->emplace_back(sqlite3_column_name(st, c));
        const Row::Names shared = std::move(names);
        std::vector<Row> rows;
        for (;;) {
            const int rc = sqlite3_step(st);
            if (rc == SQLITE_DONE) break;
            if (rc != SQLITE_ROW) throw StoreError(kind_of(db_), "store " + path_ + ": " + sqlite3_errmsg(db_) + hint(db_));
            Row r(shared);
            for (int c = 0; c < cols; ++c) {
                if (sqlite3_column_type(st, c) == SQLITE_NULL) {
                    r.add(std::nullopt);
                    continue;
                }
                const auto* p = static_cast<const char*>(sqlite3_column_blob(st, c));
                r.add(std::string(p ? p : "", static_cast<std::size_t>(sqlite3_column_bytes(st, c))));
            }
            rows.push_back(std::move(r));
        }
        return rows;
    }

    void begin() override { exec("BEGIN IMMEDIATE"); }
    void commit() override { exec("COMMIT"); }
    void rollback() override {
        if (!sqlite3_get_autocommit(db_)) exec("ROLLBACK");
    }
    void lock_schema() override {}  // BEGIN IMMEDIATE already holds the only write lock
    int read_version() override { return static_cast<int>(query("PRAGMA user_version", {}).at(0).integer("user_version")); }
    void write_version(int v) override { exec("PRAGMA user_version=" + std::to_string(v)); }
    void compact() override { exec("PRAGMA wal_checkpoint(TRUNCATE)"); }

private:
    std::string path_;
    sqlite3* db_ = nullptr;
};

}  // namespace

std::unique_ptr<Db> open_sqlite_db(const std::string& path) { return std::make_unique<SqliteDb>(path); }

}  // namespace kakanai::store
