// PostgreSQL backend through libpq: text results (bytea unescaped), blobs
// sent as binary parameters, '?' placeholders rewritten to $n.
#include <libpq-fe.h>

#include "db.hpp"
#include "kakanai/store/store.hpp"

namespace kakanai::store {
namespace {

constexpr Oid kByteaOid = 17;

using Result = std::unique_ptr<PGresult, decltype(&PQclear)>;

std::string trim(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
    return s;
}

// Describes the server without the password: host/socket, port and database.
std::string describe(PGconn* c) {
    if (!c) return "PostgreSQL";
    const char* host = PQhost(c);
    const char* db = PQdb(c);
    return std::string("PostgreSQL ") + (db ? db : "?") + " on " + (host ? host : "?") + ":" +
           (PQport(c) ? PQport(c) : "?");
}

void ignore_notice(void*, const char*) {}

// The server's SQLSTATE as a kind staff see (errors.hpp).
StoreErrorKind kind_of(const char* sqlstate) {
    const std::string c = sqlstate ? sqlstate : "";
    if (c.rfind("08", 0) == 0 || c.rfind("57P", 0) == 0) return StoreErrorKind::Unavailable;  // connection, shutdown
    if (c == "53100") return StoreErrorKind::DiskFull;
    if (c.rfind("53", 0) == 0) return StoreErrorKind::Unavailable;  // out of memory or connections
    if (c == "25006" || c == "42501") return StoreErrorKind::ReadOnly;  // read-only transaction, role may not write
    if (c == "40001" || c == "40P01" || c == "55P03") return StoreErrorKind::Busy;  // serialization, deadlock, lock
    if (c.rfind("23", 0) == 0) return StoreErrorKind::Conflict;
    if (c == "XX001" || c == "XX002") return StoreErrorKind::Damaged;
    if (c == "58030") return StoreErrorKind::Io;
    return StoreErrorKind::Internal;
}

class PostgresDb final : public Db {
public:
    explicit PostgresDb(const std::string& conninfo) {
        conn_ = PQconnectdb(conninfo.c_str());
        if (!conn_ || PQstatus(conn_) != CONNECTION_OK) {
            const std::string msg = conn_ ? trim(PQerrorMessage(conn_)) : "out of memory";
            const std::string w = describe(conn_);
            PQfinish(conn_);
            conn_ = nullptr;
            throw StoreError(StoreErrorKind::Unavailable, "cannot connect to " + w + ": " + msg +
                             " (check [store] conninfo in kakanai.toml and that the server runs)");
        }
        where_ = describe(conn_);
        session_setup();
    }
    ~PostgresDb() override { PQfinish(conn_); }

    Dialect dialect() const override { return Dialect::Postgres; }
    std::string where() const override { return where_; }

    void exec(const std::string& sql) override {
        Result r(PQexec(conn_, sql.c_str()), PQclear);
        if (failed(r.get()) && reconnected()) r.reset(PQexec(conn_, sql.c_str()));
        check(r.get());
    }

    std::vector<Row> query(const std::string& sql, const std::vector<Param>& params) override {
        std::string text;
        int n = 0;
        for (char c : sql) {
            if (c == '?') text += "$" + std::to_string(++n);
            else text += c;
        }
        std::vector<std::string> holders(params.size());
        std::vector<const char*> values(params.size());
        std::vector<int> lengths(params.size()), formats(params.size());
        for (std::size_t i = 0; i < params.size(); ++i) {
            const Param& p = params[i];
            if (std::holds_alternative<std::nullptr_t>(p)) {
                values[i] = nullptr;
                continue;
            }
            if (auto* v = std::get_if<std::int64_t>(&p)) holders[i] = std::to_string(*v);
            else if (auto* s = std::get_if<std::string>(&p)) holders[i] = *s;
            else {
                const auto& b = std::get<Blob>(p).bytes;
                holders[i].assign(b.begin(), b.end());
                formats[i] = 1;
            }
            values[i] = holders[i].data();
            lengths[i] = static_cast<int>(holders[i].size());
        }
        const auto run = [&] {
            return PQexecParams(conn_, text.c_str(), static_cast<int>(params.size()), nullptr, values.data(),
                                lengths.data(), formats.data(), 0);
        };
        Result r(run(), PQclear);
        if (failed(r.get()) && reconnected()) r.reset(run());
        check(r.get());
        std::vector<Row> rows;
        const int nrows = PQntuples(r.get()), ncols = PQnfields(r.get());
        auto names = std::make_shared<std::vector<std::string>>();
        for (int c = 0; c < ncols; ++c) names->emplace_back(PQfname(r.get(), c));
        const Row::Names shared = std::move(names);
        for (int i = 0; i < nrows; ++i) {
            Row row(shared);
            for (int c = 0; c < ncols; ++c) {
                if (PQgetisnull(r.get(), i, c)) {
                    row.add(std::nullopt);
                } else if (PQftype(r.get(), c) == kByteaOid) {
                    std::size_t len = 0;
                    unsigned char* raw =
                        PQunescapeBytea(reinterpret_cast<const unsigned char*>(PQgetvalue(r.get(), i, c)), &len);
                    if (!raw) throw StoreError(StoreErrorKind::Damaged, where_ + ": cannot decode a binary column");
                    row.add(std::string(reinterpret_cast<const char*>(raw), len));
                    PQfreemem(raw);
                } else {
                    row.add(std::string(PQgetvalue(r.get(), i, c),
                                                      static_cast<std::size_t>(PQgetlength(r.get(), i, c))));
                }
            }
            rows.push_back(std::move(row));
        }
        return rows;
    }

    void begin() override {
        exec("BEGIN");
        in_tx_ = true;
    }
    void commit() override {
        // Never resent on a new connection: a lost COMMIT is reported as a failure, not as saved.
        exec("COMMIT");
        in_tx_ = false;
    }
    void rollback() override {
        in_tx_ = false;
        if (PQstatus(conn_) == CONNECTION_OK && PQtransactionStatus(conn_) != PQTRANS_IDLE) exec("ROLLBACK");
    }
    void lock_schema() override {
        // Stations starting together migrate one after the other.
        exec("SELECT pg_advisory_xact_lock(7040657410127386945)");
        exec("CREATE TABLE IF NOT EXISTS kakanai_schema (version INTEGER NOT NULL)");
    }
    int read_version() override {
        const auto rows = query("SELECT version FROM kakanai_schema", {});
        return rows.empty() ? 0 : static_cast<int>(rows[0].integer("version"));
    }
    void write_version(int v) override {
        exec("DELETE FROM kakanai_schema");
        query("INSERT INTO kakanai_schema(version) VALUES(?)", {std::int64_t{v}});
    }
    void compact() override {}  // rows hold only ciphertext; autovacuum reclaims the space

private:
    void session_setup() {
        PQsetNoticeProcessor(conn_, ignore_notice, nullptr);
        Result r(PQexec(conn_, "SET client_encoding TO 'UTF8'; SET client_min_messages TO warning"), PQclear);
        check(r.get());
    }

    static bool failed(PGresult* r) {
        const auto st = PQresultStatus(r);
        return st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK;
    }

    // The server restarted or the network dropped: outside a transaction the
    // statement is sent again once on a fresh connection; inside one the
    // caller's transaction fails and rolls back as a whole.
    bool reconnected() {
        if (in_tx_ || PQstatus(conn_) != CONNECTION_BAD) return false;
        PQreset(conn_);
        if (PQstatus(conn_) != CONNECTION_OK) return false;
        session_setup();
        return true;
    }

    void check(PGresult* r) {
        const auto st = PQresultStatus(r);
        if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) return;
        // The primary message only: the server's detail lines could echo row contents.
        const char* primary = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
        const char* code = PQresultErrorField(r, PG_DIAG_SQLSTATE);
        std::string msg = primary ? primary : trim(PQerrorMessage(conn_));
        StoreErrorKind kind = kind_of(code);
        if (PQstatus(conn_) != CONNECTION_OK) {
            msg += " (connection lost: is the server running?)";
            kind = StoreErrorKind::Unavailable;
        }
        throw StoreError(kind, where_ + ": " + msg + (code ? std::string(" [") + code + "]" : ""));
    }

    PGconn* conn_ = nullptr;
    std::string where_;
    bool in_tx_ = false;
};

}  // namespace

std::unique_ptr<Db> open_postgres_db(const std::string& conninfo) { return std::make_unique<PostgresDb>(conninfo); }

}  // namespace kakanai::store
