#pragma once
// The small SQL surface both backends share: one SqlStore drives either a
// SQLite file or a PostgreSQL connection through it, so behaviour is the same.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "kakanai/store/errors.hpp"

namespace kakanai::store {

struct Blob {
    std::vector<std::uint8_t> bytes;
};
using Param = std::variant<std::nullptr_t, std::int64_t, std::string, Blob>;

// One result row. Columns are read by the name the query gives them
// (`r.text("template_id")`), so adding or reordering columns in a SELECT never
// shifts what another line reads.
class Row {
public:
    using Names = std::shared_ptr<const std::vector<std::string>>;
    explicit Row(Names names) : names_(std::move(names)) {}
    void add(std::optional<std::string> value) { cols_.push_back(std::move(value)); }

    bool null(std::string_view column) const { return !cols_.at(index(column)).has_value(); }
    std::string text(std::string_view column) const { return cols_.at(index(column)).value_or(""); }
    std::int64_t integer(std::string_view column) const {
        const auto& v = cols_.at(index(column));
        return v ? std::stoll(*v) : 0;
    }
    std::vector<std::uint8_t> blob(std::string_view column) const {  // blobs arrive as raw bytes
        const std::string s = text(column);
        return std::vector<std::uint8_t>(s.begin(), s.end());
    }

private:
    std::size_t index(std::string_view column) const {
        for (std::size_t i = 0; i < names_->size(); ++i)
            if ((*names_)[i] == column) return i;
        throw StoreError(StoreErrorKind::Internal,
                         "the store's query has no column " + std::string(column) + " (a program error)");
    }

    Names names_;
    std::vector<std::optional<std::string>> cols_;
};

enum class Dialect { Sqlite, Postgres };

class Db {
public:
    virtual ~Db() = default;
    virtual Dialect dialect() const = 0;
    virtual std::string where() const = 0;  // names the database in messages (never a password)
    // Statements without parameters (may be several, separated by ';').
    virtual void exec(const std::string& sql) = 0;
    // One statement with '?' placeholders. Computed columns need a name (COUNT(*) AS n).
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
// passfile: [store] passfile (see postgres_passfile() in config.hpp).
std::unique_ptr<Db> open_postgres_db(const std::string& conninfo, const std::filesystem::path& passfile = {});

}  // namespace kakanai::store
