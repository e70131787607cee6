#pragma once
// The small SQL surface both backends share: one SqlStore drives either a
// SQLite file or a PostgreSQL connection through it, so behaviour is the same.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace kakanai::store {

struct Blob {
    std::vector<std::uint8_t> bytes;
};
using Param = std::variant<std::nullptr_t, std::int64_t, std::string, Blob>;

struct Row {
    std::vector<std::optional<std::string>> cols;  // blobs as raw bytes
    bool null(std::size_t i) const { return !cols.at(i).has_value(); }
    std::string text(std::size_t i) const { return cols.at(i).value_or(""); }
    std::int64_t integer(std::size_t i) const { return cols.at(i) ? std::stoll(*cols.at(i)) : 0; }
    std::vector<std::uint8_t> blob(std::size_t i) const {
        const std::string s = text(i);
        return std::vector<std::uint8_t>(s.begin(), s.end());
    }
};

enum class Dialect { Sqlite, Postgres };

class Db {
public:
    virtual ~Db() = default;
    virtual Dialect dialect() const = 0;
    virtual std::string where() const = 0;  // names the database in messages (never a password)
    // Statements without parameters (may be several, separated by ';').
    virtual void exec(const std::string& sql) = 0;
    // One statement with '?' placeholders.
    virtual std::vector<Row> query(const std::string& sql, const std::vector<Param>& params) = 0;
    // A write transaction: SQLite takes the write lock at once (BEGIN IMMEDIATE).
    virtual void begin() = 0;
    virtual void commit() = 0;
    virtual void rollback() = 0;
    // Serialises migrations between processes, inside a transaction.
    virtual void lock_schema() = 0;
    virtual int read_version() = 0;
    virtual void write_version(int v) = 0;
    // After a purge: make deleted pages unreadable where the engine allows.
    virtual void compact() = 0;
};

std::unique_ptr<Db> open_sqlite_db(const std::string& path);
std::unique_ptr<Db> open_postgres_db(const std::string& conninfo);

}  // namespace kakanai::store
