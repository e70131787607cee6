// PostgreSQL for several stations (label pg): the roles kakanai-report pg-setup
// creates, what each can do through the store, and the connection rules
// (no password in the conninfo, verify-full for any host over the network).
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <sys/stat.h>

#include <cstdlib>
#include <fstream>

#include "kakanai/store/config.hpp"
#include "kakanai/store/desk_store.hpp"
#include "kakanai/store/kiosk_store.hpp"
#include "kakanai/store/pg_setup.hpp"
#include "kakanai/store/store.hpp"
#include "pg_server.hpp"
#include "test_support.hpp"

using namespace kakanai::store;

namespace {

kakanai::test::PgServer* server = nullptr;

std::string as_role(const std::string& db, const std::string& role) {
    return "host=" + server->dir().string() + " port=5432 user=" + role + " dbname=" + db;
}

// A statement run as `role`: "" when it worked, else the SQLSTATE and message.
std::string try_sql(const std::string& conninfo, const std::string& statement) {
    PGconn* c = PQconnectdb(conninfo.c_str());
    std::string out;
    if (PQstatus(c) != CONNECTION_OK) {
        out = std::string("connect: ") + PQerrorMessage(c);
    } else {
        PGresult* r = PQexec(c, statement.c_str());
        if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK) {
            const char* code = PQresultErrorField(r, PG_DIAG_SQLSTATE);
            out = std::string(code ? code : "?") + " " + PQresultErrorMessage(r);
        }
        PQclear(r);
    }
    PQfinish(c);
    return out;
}

Application juminhyo(const std::string& station) {
    Application a;
    a.template_id = "juminhyo";
    a.template_version = 3;
    a.station = station;
    a.fields = {{"name", "髙橋 花子", "card"},
                {"address", "東京都千代田区千代田1-1", "card"},
                {"birth_date", "1962-04-01", "card"},
                {"copies", "2", "answer"}};
    return a;
}

StoreConfig pg_config(const std::string& conninfo, const std::filesystem::path& key) {
    StoreConfig c;
    c.backend = StoreConfig::Backend::Postgres;
    c.conninfo = conninfo;
    c.private_key_file = key;
    c.public_key_file = std::filesystem::path(key).replace_extension(".pub");
    return c;
}

class PgRoles : public ::testing::Test {
protected:
    void SetUp() override {
        db_ = server->create_database();
        const auto r = setup_postgres(server->conninfo(db_));
        EXPECT_EQ(r.schema_version, kSchemaVersion);
        // The staff side registers the key pair (the kiosk role may not write store_keys).
        open_desk_store(pg_config(as_role(db_, kPgStaffRole), dir_ / "store.key"));
    }
    std::string db_;
    kakanai::test::TempDir dir_;
};

TEST_F(PgRoles, KioskRoleSubmitsButCannotReadAnApplication) {
    const auto kiosk_conn = as_role(db_, kPgKioskRole);
    auto kiosk = open_kiosk_store(pg_config(kiosk_conn, dir_ / "store.key"));
    const std::string id = kiosk->submit(juminhyo("kiosk-1"));
    EXPECT_FALSE(id.empty());
    // A visit: the kiosk role draws the day's number and stores every form under it.
    const Visit v = kiosk->submit_visit({juminhyo("kiosk-1"), juminhyo("kiosk-1")}, "ja");
    EXPECT_EQ(v.number, 1);
    EXPECT_EQ(kiosk->submit_visit({juminhyo("kiosk-1")}, "en").number, 2);
    EXPECT_EQ(try_sql(kiosk_conn, "SELECT * FROM visits").substr(0, 5), "42501");
    kiosk->record_session({"kiosk-1", 1000, 1100, 12, {"juminhyo"}, true, true, false, "ja"});
    kiosk->record_rating({"kiosk-1", 1100, 5});
    // A call for staff: the kiosk raises it and reads back only its state.
    const std::int64_t call = kiosk->raise_call("kiosk-1", "no_card");
    ASSERT_TRUE(kiosk->call(call).has_value());
    EXPECT_FALSE(kiosk->call(call)->acknowledged());
    EXPECT_EQ(try_sql(kiosk_conn, "UPDATE staff_calls SET acknowledged_at = 1").substr(0, 5), "42501");

    // Everything that would read an application back is refused by the server.
    for (const char* q : {"SELECT * FROM applications", "SELECT id FROM applications", "SELECT * FROM audit",
                          "SELECT * FROM state_history", "SELECT * FROM print_jobs", "SELECT * FROM staff_codes",
                          "SELECT * FROM kiosk_sessions",
                          "UPDATE applications SET state = 'cancelled'", "DELETE FROM applications",
                          "CREATE TABLE stolen (x text)", "DROP TABLE applications"}) {
        const std::string err = try_sql(kiosk_conn, q);
        EXPECT_EQ(err.substr(0, 5), "42501") << q << ": " << err;
    }
    EXPECT_NE(try_sql(kiosk_conn, "SELECT * FROM applications").find("permission denied"), std::string::npos);
    EXPECT_EQ(try_sql(kiosk_conn, "SELECT version FROM kakanai_schema"), "");

    // The same store code as staff would use, under the kiosk role: refused too.
    auto as_desk = open_desk_store(pg_config(kiosk_conn, dir_ / "store.key"));
    try {
        as_desk->get(id);
        FAIL() << "the kiosk role read an application";
    } catch (const StoreError& e) {
        EXPECT_EQ(e.kind(), StoreErrorKind::ReadOnly) << e.what();
        EXPECT_NE(std::string(e.what()).find("42501"), std::string::npos) << e.what();
    }
}

TEST_F(PgRoles, StaffRoleTakesConfirmsAndPrintsButChangesNoSchema) {
    auto kiosk = open_kiosk_store(pg_config(as_role(db_, kPgKioskRole), dir_ / "store.key"));
    const std::string id = kiosk->submit(juminhyo("kiosk-1"));

    const auto staff_conn = as_role(db_, kPgStaffRole);
    auto desk = open_desk_store(pg_config(staff_conn, dir_ / "store.key"));
    const auto taken = desk->take_next("suzuki");
    ASSERT_TRUE(taken.has_value());
    EXPECT_EQ(taken->id, id);
    ASSERT_FALSE(taken->fields.empty());
    EXPECT_EQ(taken->fields[0].value, "髙橋 花子");
    EXPECT_TRUE(desk->renew_lease(id, "suzuki"));
    const std::int64_t call = kiosk->raise_call("kiosk-1", "help");
    ASSERT_EQ(desk->open_calls().size(), 1u);
    EXPECT_TRUE(desk->acknowledge_call(call, "suzuki"));
    EXPECT_EQ(kiosk->call(call)->acknowledged_by, "suzuki");
    desk->correct_field(id, "copies", "1", "suzuki", {"resident"});
    desk->confirm(id, "suzuki");
    const PrintJob job = desk->begin_print(id, "suzuki", "null");
    desk->print_sent(job.id, "null-1");
    desk->print_finished(job.id, true, "");
    EXPECT_EQ(desk->get(id)->state, State::Printed);
    EXPECT_EQ(desk->audit_lines(id).size(), 6u);  // submit, take, correct, confirm, print, printed
    for (const char* q : {"CREATE TABLE extra (x text)", "DROP TABLE applications",
                          "ALTER TABLE applications ADD COLUMN x text", "UPDATE kakanai_schema SET version = 1",
                          "TRUNCATE applications"}) {
        const std::string err = try_sql(staff_conn, q);
        EXPECT_EQ(err.substr(0, 5), "42501") << q << ": " << err;
    }
}

TEST_F(PgRoles, KioskAndStaffRefuseAnOlderSchemaTheyMayNotMigrate) {
    server->sql(db_, "UPDATE kakanai_schema SET version = 1");
    for (const char* role : {kPgKioskRole, kPgStaffRole}) {
        try {
            open_kiosk_store(pg_config(as_role(db_, role), dir_ / "store.key"));
            FAIL() << role << " opened an older schema";
        } catch (const StoreError& e) {
            const std::string msg = e.what();
            EXPECT_EQ(e.kind(), StoreErrorKind::ReadOnly) << msg;
            EXPECT_NE(msg.find("schema version 1, older than this program needs"), std::string::npos) << msg;
            EXPECT_NE(msg.find("kakanai-report pg-setup"), std::string::npos) << msg;
        }
    }
    // An empty database the roles may reach but not set up: the same clear refusal.
    const auto empty = server->create_database();
    try {
        open_kiosk_store(pg_config(as_role(empty, kPgKioskRole), dir_ / "store.key"));
        FAIL() << "the kiosk role set up an empty database";
    } catch (const StoreError& e) {
        EXPECT_NE(std::string(e.what()).find("schema version 0"), std::string::npos) << e.what();
    }
}

TEST_F(PgRoles, KeysTableIsGrantedWhetherItExistsOrComesLater) {
    const auto kiosk_conn = as_role(db_, kPgKioskRole);
    // After pg-setup the table is there and the kiosk may read it, never write it.
    EXPECT_EQ(try_sql(kiosk_conn, "SELECT key_id, public_key FROM store_keys"), "");
    EXPECT_EQ(try_sql(kiosk_conn, "INSERT INTO store_keys VALUES ('k', '\\x00', 'current', 0)").substr(0, 5), "42501");

    // A database of the version before the table: the update's migration adds it, and the grant follows.
    const auto other = server->create_database();
    setup_postgres(server->conninfo(other));
    server->sql(other, "DROP TABLE store_keys; DROP TABLE login_guard; DROP TABLE staff_calls; DROP TABLE visit_counters; "
                       "DROP TABLE visits; DROP INDEX applications_visit; ALTER TABLE applications DROP COLUMN visit_day, "
                       "DROP COLUMN visit_number; UPDATE kakanai_schema SET version = 3");
    EXPECT_NE(try_sql(as_role(other, kPgKioskRole), "SELECT key_id FROM store_keys"), "");
    setup_postgres(server->conninfo(other));  // as after an update adds the table
    EXPECT_EQ(try_sql(as_role(other, kPgKioskRole), "SELECT key_id FROM store_keys"), "");
    EXPECT_EQ(try_sql(as_role(other, kPgKioskRole), "SELECT * FROM applications").substr(0, 5), "42501");
}

// The administrator's command: kakanai-report pg-setup on a new database, and its refusal of a remote
// host without verify-full (before any connection).
TEST(PgSetupCommand, SetsUpANewDatabaseAndRefusesAnUncheckedRemoteHost) {
    namespace t = kakanai::test;
    const auto report = t::shell_quote((t::binary_dir() / "tools/kakanai-report").string());
    const auto db = server->create_database();
    const auto r = t::run(report + " pg-setup --pg " + t::shell_quote(server->conninfo(db)) + " 2>&1");
    EXPECT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("schema version 0 -> " + std::to_string(kSchemaVersion)), std::string::npos) << r.output;
    EXPECT_EQ(try_sql(as_role(db, kPgKioskRole), "SELECT * FROM applications").substr(0, 5), "42501");
    const auto again = t::run(report + " pg-setup --pg " + t::shell_quote(server->conninfo(db)) + " 2>&1");
    EXPECT_EQ(again.exit_code, 0) << again.output;
    const auto remote = t::run(report + " pg-setup --pg 'host=db.town.example dbname=kakanai sslmode=require' 2>&1");
    EXPECT_EQ(remote.exit_code, 1) << remote.output;
    EXPECT_NE(remote.output.find("sslmode=verify-full"), std::string::npos) << remote.output;
}

TEST(PgConninfo, NonLocalHostWithoutVerifyFullIsRefused) {
    const auto refused = [](const std::string& conninfo) {
        try {
            check_postgres_conninfo(conninfo);
            return std::string();
        } catch (const StoreError& e) {
            EXPECT_EQ(e.kind(), StoreErrorKind::Config);
            return std::string(e.what());
        }
    };
    for (const char* bad : {"host=db.town.example dbname=kakanai", "host=db.town.example sslmode=require dbname=k",
                            "host=db.town.example sslmode=verify-ca dbname=k", "hostaddr=10.0.0.5 dbname=k",
                            "host=localhost,db2.town.example dbname=k", "postgresql://db.town.example/kakanai",
                            "postgresql://db.town.example/kakanai?sslmode=prefer"}) {
        const std::string msg = refused(bad);
        EXPECT_NE(msg.find("[store] conninfo"), std::string::npos) << bad << ": " << msg;
        EXPECT_NE(msg.find("sslmode=verify-full"), std::string::npos) << bad << ": " << msg;
    }
    for (const char* good : {"host=db.town.example sslmode=verify-full dbname=k", "host=/run/postgresql dbname=k",
                             "dbname=k", "host=localhost dbname=k", "host=127.0.0.1 dbname=k", "host=::1 dbname=k",
                             "postgresql://db.town.example/k?sslmode=verify-full&sslrootcert=/etc/ca.pem",
                             "postgresql:///k?host=/run/postgresql"})
        EXPECT_EQ(refused(good), "") << good;

    // At start: kakanai.toml is refused naming its file and the setting, before any connection.
    kakanai::test::TempDir dir;
    try {
        parse_store_config("[store]\nbackend = \"postgresql\"\nconninfo = \"host=db.town.example dbname=kakanai\"\n",
                           dir / "kakanai.toml");
        FAIL() << "a remote host without verify-full was accepted";
    } catch (const StoreError& e) {
        const std::string msg = e.what();
        EXPECT_EQ(e.kind(), StoreErrorKind::Config) << msg;
        EXPECT_NE(msg.find("kakanai.toml"), std::string::npos) << msg;
        EXPECT_NE(msg.find("[store] conninfo"), std::string::npos) << msg;
    }
    try {
        open_kiosk_store(pg_config("host=db.town.example dbname=kakanai", dir / "store.key"));
        FAIL() << "the store connected without verify-full";
    } catch (const StoreError& e) {
        EXPECT_EQ(e.kind(), StoreErrorKind::Config) << e.what();
    }
}

TEST(PgConninfo, PasswordIsNeverTakenFromConfigOrEnvironment) {
    const std::string secret = "Hunter2-Secret";
    kakanai::test::TempDir dir;
    for (const std::string& bad :
         {"host=/run/postgresql dbname=k password=" + secret, "host=/run/postgresql password='" + secret + "'",
          "postgresql://staff:" + secret + "@localhost/kakanai"}) {
        try {
            check_postgres_conninfo(bad);
            ADD_FAILURE() << "a password was accepted";
        } catch (const StoreError& e) {
            const std::string msg = e.what();
            EXPECT_EQ(e.kind(), StoreErrorKind::Config) << msg;
            EXPECT_NE(msg.find("holds a password"), std::string::npos) << msg;
            EXPECT_NE(msg.find("[store] passfile"), std::string::npos) << msg;
            EXPECT_EQ(msg.find(secret), std::string::npos) << "the message repeats the password";
        }
    }
    for (const std::string& toml :
         {"[store]\nbackend = \"postgresql\"\nconninfo = \"dbname=k password=" + secret + "\"\n",
          "[store]\nbackend = \"postgresql\"\nconninfo = \"dbname=k\"\npassword = \"" + secret + "\"\n"}) {
        try {
            parse_store_config(toml, dir / "kakanai.toml");
            ADD_FAILURE() << "kakanai.toml with a password was accepted";
        } catch (const StoreError& e) {
            const std::string msg = e.what();
            EXPECT_NE(msg.find("never lies in kakanai.toml"), std::string::npos) << msg;
            EXPECT_EQ(msg.find(secret), std::string::npos) << "the message repeats the password";
        }
    }
    ::setenv("PGPASSWORD", secret.c_str(), 1);
    EXPECT_THROW(check_postgres_conninfo("dbname=k"), StoreError);
    ::unsetenv("PGPASSWORD");
    EXPECT_NO_THROW(check_postgres_conninfo("dbname=k"));
}

TEST(PgConninfo, PasswordFileComesFromConfigOrSystemdCredential) {
    kakanai::test::TempDir dir;
    const auto write = [](const std::filesystem::path& f, mode_t mode) {
        std::ofstream(f) << "*:*:kakanai:kakanai_staff:pw\n";
        ::chmod(f.c_str(), mode);
    };
    // [store] passfile, relative to kakanai.toml.
    const auto cfg = parse_store_config(
        "[store]\nbackend = \"postgresql\"\nconninfo = \"dbname=k\"\npassfile = \"pgpass\"\n", dir / "kakanai.toml");
    EXPECT_EQ(cfg.passfile, dir / "pgpass");
    write(dir / "pgpass", 0600);
    EXPECT_EQ(postgres_passfile(cfg.passfile), dir / "pgpass");
    // libpq would skip a file others can read, and the login would fail without saying why.
    ::chmod((dir / "pgpass").c_str(), 0644);
    try {
        postgres_passfile(cfg.passfile);
        ADD_FAILURE() << "a passfile others can read was used";
    } catch (const StoreError& e) {
        EXPECT_NE(std::string(e.what()).find("chmod 0600"), std::string::npos) << e.what();
    }
    EXPECT_THROW(postgres_passfile(dir / "missing"), StoreError);

    // Without [store] passfile: the systemd credential, when the unit loads one.
    kakanai::test::TempDir creds;
    ::setenv("CREDENTIALS_DIRECTORY", creds.path().c_str(), 1);
    EXPECT_EQ(postgres_passfile({}), std::filesystem::path());
    write(creds / kPgPassCredential, 0400);
    EXPECT_EQ(postgres_passfile({}), creds / "kakanai-pgpass");
    ::unsetenv("CREDENTIALS_DIRECTORY");
    EXPECT_EQ(postgres_passfile({}), std::filesystem::path());
}

class ServerEnvironment : public ::testing::Environment {
public:
    void SetUp() override { server = new kakanai::test::PgServer(); }
    void TearDown() override {
        delete server;
        server = nullptr;
    }
};

}  // namespace

int main(int argc, char** argv) {
    ::testing::InitGoogleTest(&argc, argv);
    ::unsetenv("PGPASSWORD");
    ::testing::AddGlobalTestEnvironment(new ServerEnvironment);
    return RUN_ALL_TESTS();
}
