// The store suite on a real PostgreSQL server (label pg). One server for the
// whole binary; each test gets its own database.
#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <memory>

#include "../unit/store/store_suite.hpp"
#include "kakanai/store/store.hpp"
#include "pg_server.hpp"

using namespace kakanai::store;

namespace {

kakanai::test::PgServer* server = nullptr;

class PgTarget final : public kakanai::test::StoreTarget {
public:
    const char* name() const override { return "postgresql"; }
    StoreConfig fresh(const std::filesystem::path&) override {
        StoreConfig c;
        c.backend = StoreConfig::Backend::Postgres;
        c.conninfo = server->conninfo(server->create_database());
        return c;
    }
    std::vector<std::filesystem::path> data_paths(const StoreConfig& c) override {
        server->sql(db_of(c), "CHECKPOINT");  // table files, not only the WAL, hold the latest rows
        return {server->data(), server->dir() / "server.log"};
    }
    void set_schema_version(const StoreConfig& c, int version) override {
        server->sql(db_of(c), "UPDATE kakanai_schema SET version = " + std::to_string(version));
    }
    int crash_iterations() const override { return 15; }

private:
    static std::string db_of(const StoreConfig& c) { return c.conninfo.substr(c.conninfo.rfind('=') + 1); }
};

class ServerEnvironment : public ::testing::Environment {
public:
    void SetUp() override { server = new kakanai::test::PgServer(); }
    void TearDown() override {
        delete server;
        server = nullptr;
    }
};

}  // namespace

kakanai::test::StoreTarget& kakanai::test::store_target() {
    static PgTarget t;
    return t;
}

TEST(PgOnly, ConcurrentStartMigratesOnceAndWrongDatabaseIsNamed) {
    const auto name = server->create_database();
    kakanai::test::TempDir dir;
    std::vector<std::thread> starts;
    std::atomic<int> ok{0};
    for (int i = 0; i < 4; ++i)
        starts.emplace_back([&] {
            try {
                if (open_postgres(server->conninfo(name), dir / "k.key")->schema_version() == kSchemaVersion) ++ok;
            } catch (const std::exception& e) {
                ADD_FAILURE() << e.what();
            }
        });
    for (auto& t : starts) t.join();
    EXPECT_EQ(ok, 4);
    try {
        open_postgres(server->conninfo("no_such_db"), dir / "k.key");
        FAIL();
    } catch (const StoreError& e) {
        EXPECT_NE(std::string(e.what()).find("no_such_db"), std::string::npos) << e.what();
        EXPECT_EQ(e.kind(), StoreErrorKind::Unavailable) << e.what();
    }
}

// The server's refusals reach staff as kinds: a read-only database, and a row
// another connection keeps locked past lock_timeout.
TEST(PgOnly, ServerRefusalsCarryAKind) {
    kakanai::test::TempDir dir;
    const auto read_only = server->create_database();
    try {
        open_postgres(server->conninfo(read_only) + " options='-c default_transaction_read_only=on'", dir / "k.key");
        FAIL() << "migrated a read-only database";
    } catch (const StoreError& e) {
        EXPECT_EQ(e.kind(), StoreErrorKind::ReadOnly) << e.what();
        EXPECT_NE(std::string(e.what()).find("25006"), std::string::npos) << e.what();
    }
    const auto name = server->create_database();
    auto store = open_postgres(server->conninfo(name) + " options='-c lock_timeout=300'", dir / "k.key");
    Application a;
    a.template_id = "juminhyo";
    a.template_version = 1;
    a.station = "kiosk-1";
    a.fields = {{"applicant_name", "施錠 試験", "card"}};
    const std::string id = store->submit(a);
    std::unique_ptr<PGconn, decltype(&PQfinish)> holder(PQconnectdb(server->conninfo(name).c_str()), PQfinish);
    ASSERT_EQ(PQstatus(holder.get()), CONNECTION_OK);
    PQclear(PQexec(holder.get(), "BEGIN"));
    PGresult* locked = PQexec(holder.get(), ("SELECT id FROM applications WHERE id = '" + id + "' FOR UPDATE").c_str());
    ASSERT_EQ(PQresultStatus(locked), PGRES_TUPLES_OK);
    PQclear(locked);
    try {
        store->confirm(id, "staff-1");
        FAIL() << "confirmed a row another connection holds";
    } catch (const StoreError& e) {
        EXPECT_EQ(e.kind(), StoreErrorKind::Busy) << e.what();
    }
    PQclear(PQexec(holder.get(), "ROLLBACK"));
    store->confirm(id, "staff-1");
    EXPECT_EQ(store->get(id)->state, State::Confirmed);
}

TEST(PgOnly, ServerRestartIsSurvivedWithoutLosingWork) {
    const auto name = server->create_database();
    kakanai::test::TempDir dir;
    auto store = open_postgres(server->conninfo(name), dir / "k.key");
    Application a;
    a.template_id = "juminhyo";
    a.template_version = 1;
    a.station = "kiosk-1";
    a.fields = {{"applicant_name", "再起動 試験", "card"}};
    const std::string before = store->submit(a);
    server->restart();
    const std::string after = store->submit(a);  // reconnects on its own
    EXPECT_EQ(store->get(before)->fields[0].value, "再起動 試験");
    EXPECT_EQ(store->queue().size(), 2u);
    store->confirm(after, "staff-1");
    EXPECT_EQ(store->get(after)->state, State::Confirmed);
}

int main(int argc, char** argv) {
    ::testing::InitGoogleTest(&argc, argv);
    ::testing::AddGlobalTestEnvironment(new ServerEnvironment);
    return RUN_ALL_TESTS();
}
