// PostgreSQL backend through libpq: text results (bytea unescaped), blobs
// sent as binary parameters, '?' placeholders rewritten to $n.
#include <libpq-fe.h>
#include <sys/stat.h>

#include <cstdlib>

#include "db.hpp"
#include "kakanai/store/config.hpp"
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
    const char* user = PQuser(c);
    return std::string("PostgreSQL ") + (db ? db : "?") + " on " + (host ? host : "?") + ":" +
           (PQport(c) ? PQport(c) : "?") + " as " + (user ? user : "?");
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

bool is_local_host(const std::string& h) {
    // Empty: libpq's default Unix socket; '/' a socket folder; '@' an abstract socket.
    return h.empty() || h[0] == '/' || h[0] == '@' || h == "localhost" || h == "127.0.0.1" || h == "::1";
}

std::vector<std::string> split_hosts(const std::string& list) {
    std::vector<std::string> out;
    std::string cur;
    for (char c : list) {
        if (c == ',') {
            out.push_back(cur);
            cur.clear();
        } else {
            cur += c;
        }
    }
    out.push_back(cur);
    return out;
}

class PostgresDb final : public Db {
public:
    PostgresDb(const std::string& conninfo, const std::filesystem::path& passfile) {
        check_postgres_conninfo(conninfo);
        // The conninfo (key=value or URI) expanded from dbname; a passfile given after it wins.
        const std::string pass = postgres_passfile(passfile).string();
        const char* keys[] = {"dbname", pass.empty() ? nullptr : "passfile", nullptr};
        const char* values[] = {conninfo.c_str(), pass.empty() ? nullptr : pass.c_str(), nullptr};
        conn_ = PQconnectdbParams(keys, values, 1);
        if (!conn_ || PQstatus(conn_) != CONNECTION_OK) {
            const std::string msg = conn_ ? trim(PQerrorMessage(conn_)) : "out of memory";
            const std::string w = describe(conn_);
            PQfinish(conn_);
            conn_ = nullptr;
            const bool auth = msg.find("password") != std::string::npos;
            throw StoreError(StoreErrorKind::Unavailable,
                             "cannot connect to " + w + ": " + msg +
                                 (auth ? " (the password comes from [store] passfile, the systemd credential " +
                                             std::string(kPgPassCredential) +
                                             ", PGPASSFILE or ~/.pgpass, in .pgpass format: see docs/store.md)"
                                       : " (check [store] conninfo in kakanai.toml and that the server runs)"));
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
        // The station roles may not CREATE, even with IF NOT EXISTS: they try only on a database
        // without the table, where the refusal (42501) becomes "run pg-setup".
        const auto r = query("SELECT CASE WHEN has_schema_privilege(current_schema(), 'CREATE') THEN 1 ELSE 0 END AS may, "
                             "CASE WHEN to_regclass('kakanai_schema') IS NULL THEN 1 ELSE 0 END AS missing",
                             {});
        if (r.at(0).integer("may") || r.at(0).integer("missing"))
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

void check_postgres_conninfo(const std::string& conninfo, const std::string& setting) {
    char* err = nullptr;
    PQconninfoOption* opts = PQconninfoParse(conninfo.c_str(), &err);
    if (!opts) {
        // libpq's message quotes the text it could not parse, which may hold a password.
        if (err) PQfreemem(err);
        throw StoreError(StoreErrorKind::Config, setting + " is not a valid libpq connection string "
                                                           "(key=value pairs or a postgresql:// URI)");
    }
    std::string host, hostaddr, sslmode;
    bool password = false, service = false;
    for (PQconninfoOption* o = opts; o->keyword; ++o) {
        if (!o->val) continue;
        const std::string k = o->keyword;
        if (k == "password") password = true;
        else if (k == "service") service = true;
        else if (k == "host") host = o->val;
        else if (k == "hostaddr") hostaddr = o->val;
        else if (k == "sslmode") sslmode = o->val;
    }
    PQconninfoFree(opts);
    if (password)
        throw StoreError(StoreErrorKind::Config,
                         setting + " holds a password: a password never lies in kakanai.toml; put it in a "
                                   ".pgpass-format file named by [store] passfile, or in the systemd credential " +
                             std::string(kPgPassCredential) + " (docs/store.md)");
    if (std::getenv("PGPASSWORD"))
        throw StoreError(StoreErrorKind::Config,
                         "PGPASSWORD is set in the environment: passwords come only from a .pgpass-format file "
                         "([store] passfile) or the systemd credential " + std::string(kPgPassCredential) +
                             " (docs/store.md)");
    if (service || std::getenv("PGSERVICE"))
        throw StoreError(StoreErrorKind::Config, setting + ": a service file (service= or PGSERVICE) is not used: "
                                                           "write host, port, dbname and sslmode in " + setting);
    // Unset here, libpq takes the host from the environment.
    if (host.empty() && hostaddr.empty()) {
        if (const char* h = std::getenv("PGHOST")) host = h;
        if (const char* a = std::getenv("PGHOSTADDR")) hostaddr = a;
    }
    std::vector<std::string> remote;
    for (const auto& h : split_hosts(hostaddr.empty() ? host : hostaddr))
        if (!is_local_host(h)) remote.push_back(h);
    if (!remote.empty() && sslmode != "verify-full")
        throw StoreError(StoreErrorKind::Config,
                         setting + " reaches " + remote.front() + " over the network with sslmode=" +
                             (sslmode.empty() ? std::string("(not set)") : sslmode) +
                             ": add sslmode=verify-full (and sslrootcert=...) so the server's certificate and name "
                             "are checked; only a Unix socket or localhost may go without (docs/store.md)");
}

std::filesystem::path postgres_passfile(const std::filesystem::path& configured) {
    std::filesystem::path f = configured;
    if (f.empty()) {
        const char* creds = std::getenv("CREDENTIALS_DIRECTORY");
        if (!creds || !*creds) return {};
        f = std::filesystem::path(creds) / kPgPassCredential;
        std::error_code ec;
        if (!std::filesystem::exists(f, ec)) return {};
    }
    struct stat st {};
    if (::stat(f.c_str(), &st) != 0)
        throw StoreError(StoreErrorKind::Config,
                         "[store] passfile " + f.string() + " cannot be read: create it in .pgpass format "
                         "(host:port:database:user:password), mode 0600 (docs/store.md)");
    // libpq silently skips a password file others may read; say so instead.
    if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0)
        throw StoreError(StoreErrorKind::Config, "PostgreSQL password file " + f.string() +
                                                     " may be read by others: chmod 0600 it (docs/store.md)");
    return f;
}

std::unique_ptr<Db> open_postgres_db(const std::string& conninfo, const std::filesystem::path& passfile) {
    return std::make_unique<PostgresDb>(conninfo, passfile);
}

}  // namespace kakanai::store
