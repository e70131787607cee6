// The store suite on SQLite, plus what only SQLite has: migrating a version-1
// file, and the kakanai-report command line.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <ctime>
#include <fstream>

#include "kakanai/forms/template.hpp"
#include "kakanai/store/store.hpp"
#include "store_suite.hpp"
#include "test_support.hpp"

using namespace kakanai::store;
using kakanai::test::run;
using kakanai::test::shell_quote;
using kakanai::test::TempDir;

namespace {

void sqlite_exec(const std::filesystem::path& db, const std::string& sql) {
    sqlite3* h = nullptr;
    ASSERT_EQ(sqlite3_open(db.c_str(), &h), SQLITE_OK);
    char* err = nullptr;
    const int rc = sqlite3_exec(h, sql.c_str(), nullptr, nullptr, &err);
    const std::string msg = err ? err : "";
    sqlite3_free(err);
    sqlite3_close(h);
    ASSERT_EQ(rc, SQLITE_OK) << msg;
}

class SqliteTarget final : public kakanai::test::StoreTarget {
public:
    const char* name() const override { return "sqlite"; }
    StoreConfig fresh(const std::filesystem::path& dir) override {
        StoreConfig c;
        c.sqlite_path = dir / "store.db";
        return c;
    }
    std::vector<std::filesystem::path> data_paths(const StoreConfig& c) override {
        return {c.sqlite_path, c.sqlite_path.string() + "-wal", c.sqlite_path.string() + "-shm"};
    }
    void set_schema_version(const StoreConfig& c, int version) override {
        sqlite_exec(c.sqlite_path, "PRAGMA user_version=" + std::to_string(version));
    }
    int crash_iterations() const override { return 40; }
};

}  // namespace

kakanai::test::StoreTarget& kakanai::test::store_target() {
    static SqliteTarget t;
    return t;
}

TEST(SqliteOnly, MigratesAVersion1File) {
    TempDir dir;
    // The schema the first release wrote.
    sqlite_exec(dir / "s.db", R"sql(
CREATE TABLE applications (id TEXT PRIMARY KEY, template_id TEXT NOT NULL, template_version INTEGER NOT NULL,
  station TEXT NOT NULL, card_read INTEGER NOT NULL, state TEXT NOT NULL, created_at INTEGER NOT NULL,
  key_id TEXT NOT NULL, fields BLOB NOT NULL);
CREATE INDEX applications_state ON applications(state, created_at);
CREATE TABLE audit (seq INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, actor TEXT NOT NULL,
  action TEXT NOT NULL, application_id TEXT NOT NULL, template_id TEXT NOT NULL);
INSERT INTO audit(at, actor, action, application_id, template_id) VALUES(1, 'kiosk-1', 'submit', 'A-OLD2-OLD3', 'juminhyo');
PRAGMA user_version=1;)sql");
    auto store = open_sqlite(dir / "s.db", dir / "s.key");
    EXPECT_EQ(store->schema_version(), kSchemaVersion);
    const auto old = store->audit_lines("A-OLD2-OLD3");
    ASSERT_EQ(old.size(), 1u);
    EXPECT_EQ(old[0], "1 kiosk-1 submit juminhyo");
    Application a;
    a.template_id = "juminhyo";
    a.template_version = 1;
    a.station = "kiosk-1";
    const std::string id = store->submit(a);
    store->confirm(id, "staff-1");
    EXPECT_EQ(store->begin_print(id, "staff-1", "p").status, PrintStatus::Pending);
}

TEST(SqliteOnly, StoreConfigFromToml) {
    TempDir dir;
    {
        std::ofstream f(dir / "kakanai.toml");
        f << "[store]\nbackend = \"sqlite\"\npath = \"data/store.db\"\nprivate_key_file = \"k/seal.key\"\n"
             "previous_private_key_files = [\"old.key\"]\ntake_lease_minutes = 5\n[paths]\nstore = \"data\"\n";
    }
    const auto c = load_store_config(dir / "kakanai.toml");
    EXPECT_EQ(c.backend, StoreConfig::Backend::Sqlite);
    EXPECT_EQ(c.sqlite_path, dir / "data/store.db");
    ASSERT_EQ(c.previous_private_key_files.size(), 1u);
    EXPECT_EQ(c.previous_private_key_files[0], dir / "old.key");
    EXPECT_EQ(c.private_key_file, dir / "k/seal.key");
    EXPECT_EQ(c.public_key_file, dir / "data/seal.pub");  // <paths.store>/seal.pub
    EXPECT_EQ(c.take_lease, std::chrono::minutes(5));
    {
        std::ofstream f(dir / "pg.toml");
        f << "[store]\nbackend = \"postgresql\"\n";
    }
    try {
        load_store_config(dir / "pg.toml");
        FAIL();
    } catch (const StoreError& e) {
        EXPECT_NE(std::string(e.what()).find("needs conninfo"), std::string::npos);
    }
    {
        std::ofstream f(dir / "bad.toml");
        f << "[store]\nbackend = \"mysql\"\n";
    }
    EXPECT_THROW(load_store_config(dir / "bad.toml"), StoreError);
    // A PostgreSQL server that is not there is named in the message.
    try {
        open_postgres("host=" + (dir / "nowhere").string() + " dbname=kakanai connect_timeout=2", dir / "k.key");
        FAIL();
    } catch (const StoreError& e) {
        EXPECT_NE(std::string(e.what()).find("cannot connect to PostgreSQL"), std::string::npos) << e.what();
    }
}

TEST(SqliteOnly, KeyFileReadableByOthersIsRefused) {
    TempDir dir;
    { open_sqlite(dir / "s.db", dir / "s.key"); }
    chmod((dir / "s.key").c_str(), 0644);
    try {
        open_sqlite(dir / "s.db", dir / "s.key");
        FAIL();
    } catch (const StoreError& e) {
        EXPECT_NE(std::string(e.what()).find("chmod 600"), std::string::npos);
    }
}

TEST(ReportCli, KpisExportPurgeAndRotate) {
    TempDir dir;
    const auto db = dir / "s.db", key = dir / "s.key";
    // The department as the shipped template names it.
    const std::string department = kakanai::forms::load_template(kakanai::test::forms_dir() / "juminhyo.toml").department;
    ASSERT_FALSE(department.empty());
    std::string printed, confirmed;
    {
        auto store = open_sqlite(db, key);
        Application a;
        a.template_id = "juminhyo";
        a.template_version = 1;
        a.department = department;
        a.station = "kiosk-1";
        a.fields = {{"applicant_name", "報告 試験", "card", ""}};
        printed = store->submit(a);
        confirmed = store->submit(a);
        store->confirm(printed, "staff-1");
        store->print_finished(store->begin_print(printed, "staff-1", "p").id, true, "");
        store->confirm(confirmed, "staff-1");
        const std::int64_t now = std::time(nullptr);
        store->record_session({"kiosk-1", now - 120, now, 9, {"juminhyo"}, true, true, false, "ja"});
        store->record_rating({"kiosk-1", now, 4});
    }
    const std::string tool = (kakanai::test::binary_dir() / "tools/kakanai-report").string();
    const std::string store_args = " --db " + shell_quote(db.string()) + " --key " + shell_quote(key.string());
    char today[16];
    const std::time_t t = std::time(nullptr);
    std::strftime(today, sizeof today, "%Y-%m-%d", std::localtime(&t));

    auto r = run(tool + store_args + " --from " + today + " --to " + today + " --minutes-per-form 7");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("Applications: 2"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("Read from card: 2 (100.0%)"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("Median time at the kiosk: 120 s"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("Staff minutes saved: 14.0"), std::string::npos) << r.output;
    r = run(tool + store_args + " --from " + today + " --to " + today + " --csv");
    ASSERT_EQ(r.exit_code, 0);
    EXPECT_NE(r.output.find("metric,procedure,value\napplications,,2\n"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("rating_4,,1\n"), std::string::npos) << r.output;
    r = run(tool + store_args + " --from 2026-13-01 --to " + today + " 2>&1");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.output.find("--from must be a date"), std::string::npos) << r.output;
    EXPECT_EQ(r.output.find('\n'), r.output.size() - 1) << r.output;  // one line, no usage dump
    r = run(tool + store_args + " --no-such-option 2>&1");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.output.rfind("kakanai-report: ", 0), 0u) << r.output;
    EXPECT_EQ(r.output.find('\n'), r.output.size() - 1) << r.output;

    // Export: a staff id of [staff] ids in kakanai.toml, 0600 files, audited.
    std::filesystem::create_directories(dir / "out");
    std::ofstream(dir / "kakanai.toml") << "[store]\npath = \"" << db.string() << "\"\nprivate_key_file = \"" << key.string()
                                        << "\"\npublic_key_file = \"" << std::filesystem::path(key).replace_extension(".pub").string()
                                        << "\"\n[staff]\nids = [\"staff-8\", \"staff-9\"]\n";
    const std::string config_args = " --config " + shell_quote((dir / "kakanai.toml").string());
    const std::string export_args = " export --department " + shell_quote(department) + " --out " +
                                    shell_quote((dir / "out").string()) + " --forms " +
                                    shell_quote(kakanai::test::forms_dir().string());
    r = run(tool + config_args + export_args + " --staff intruder 2>&1");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.output.find("export --staff intruder: not a staff id of "), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("([staff] ids = staff-8, staff-9); give your own staff id"), std::string::npos) << r.output;
    r = run(tool + store_args + export_args + " --staff staff-9 2>&1");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.output.find("needs --config FILE: the id must be one of [staff] ids there"), std::string::npos) << r.output;
    EXPECT_TRUE(std::filesystem::is_empty(dir / "out"));
    r = run(tool + config_args + export_args + " --staff staff-9");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    int files = 0;
    for (const auto& e : std::filesystem::directory_iterator(dir / "out")) {
        ++files;
        struct stat st{};
        ASSERT_EQ(stat(e.path().c_str(), &st), 0);
        EXPECT_EQ(st.st_mode & 0777, 0600u) << e.path();
        std::ifstream in(e.path());
        const std::string body((std::istreambuf_iterator<char>(in)), {});
        EXPECT_NE(body.find("報告 試験"), std::string::npos);
        EXPECT_NE(body.find(printed), std::string::npos);
        EXPECT_NE(body.find(confirmed), std::string::npos);
    }
    EXPECT_EQ(files, 2);
    r = run(tool + config_args + " export --department 存在しない課 --staff staff-9 --out " +
            shell_quote((dir / "out").string()) + " --forms " + shell_quote(kakanai::test::forms_dir().string()) + " 2>&1");
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.output.find("no template"), std::string::npos) << r.output;
    {
        auto store = open_sqlite(db, key);
        EXPECT_NE(store->audit_lines(printed).back().find("staff-9 export juminhyo@1 department=" + department), std::string::npos);
    }

    // Purge with 0 hours retention deletes the printed one and its PDF.
    std::filesystem::create_directories(dir / "pdf");
    std::ofstream(dir / "pdf" / (printed + ".pdf")) << "%PDF";
    std::ofstream(dir / "pdf" / (printed + "-2.pdf")) << "%PDF";  // a reprint
    std::ofstream(dir / "pdf" / (confirmed + ".pdf")) << "%PDF";  // not due yet
    r = run(tool + store_args + " purge --hours 0 --pdf-dir " + shell_quote((dir / "pdf").string()));
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("purged 1 applications"), std::string::npos) << r.output;
    EXPECT_FALSE(std::filesystem::exists(dir / "pdf" / (printed + ".pdf")));
    EXPECT_FALSE(std::filesystem::exists(dir / "pdf" / (printed + "-2.pdf")));
    EXPECT_TRUE(std::filesystem::exists(dir / "pdf" / (confirmed + ".pdf")));

    // Key rotation re-seals the remaining application under a pair made by keys create.
    const auto new_key = dir / "new.key";
    r = run(tool + store_args + " rotate-key --new-key " + shell_quote(new_key.string()) + " 2>&1");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.output.find("keys create"), std::string::npos) << r.output;
    const std::string create = tool + " keys create --private " + shell_quote(new_key.string()) + " --public " +
                               shell_quote((dir / "keys" / "new.pub").string());
    r = run(create + " 2>&1");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    struct stat st{};
    ASSERT_EQ(stat(new_key.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    ASSERT_EQ(stat((dir / "keys" / "new.pub").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    ASSERT_EQ(stat((dir / "keys").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0700u);
    r = run(create + " 2>&1");  // never over an existing key
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.output.find("exists already"), std::string::npos) << r.output;
    r = run(tool + store_args + " rotate-key --new-key " + shell_quote(new_key.string()));
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("re-sealed 1 applications"), std::string::npos) << r.output;
    EXPECT_EQ(open_sqlite(db, new_key)->get(confirmed)->fields[0].value, "報告 試験");
}

// Staff codes are set from stdin (never an argument, never a file in plaintext)
// and kept only as hashes.
TEST(ReportCli, StaffCodeFromStdin) {
    TempDir dir;
    const auto db = dir / "s.db", key = dir / "s.key";
    const std::string tool = (kakanai::test::binary_dir() / "tools/kakanai-report").string();
    const std::string store_args = " --db " + shell_quote(db.string()) + " --key " + shell_quote(key.string());
    auto r = run("printf '739150\\n' | " + tool + store_args + " staff-code tanaka --by admin-1 2>&1");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_EQ(r.output.find("739150"), std::string::npos) << r.output;
    // At least six digits: four or five characters (the old minimum) and letters are refused.
    for (const char* bad : {"12", "4821", "73915", "73915a"}) {
        r = run(std::string("printf '") + bad + "\\n' | " + tool + store_args + " staff-code suzuki 2>&1");
        EXPECT_EQ(r.exit_code, 2) << bad;
        EXPECT_NE(r.output.find("a staff code is at least 6 digits (0-9), nothing else"), std::string::npos) << r.output;
    }
    auto store = open_sqlite(db, key);
    EXPECT_TRUE(store->login("desk-1", "tanaka", "739150").ok());
    EXPECT_FALSE(store->login("desk-1", "tanaka", "739151").ok());
    EXPECT_FALSE(store->login("desk-1", "suzuki", "73915").ok());
    std::ifstream in(db, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(bytes.find("739150"), std::string::npos);
}

// Rows an earlier kakanai sealed with the symmetric key kiosk and staff shared
// are refused with a message naming the migration, and kakanai-report keys
// migrate re-seals them under the store's key pair on the staff side.
TEST(SqliteOnly, RowsOfTheEarlierSharedKeyAreMigratedOnTheStaffSide) {
    TempDir dir;
    const auto db = dir / "s.db", key = dir / "s.key", legacy_file = dir / "store.key";
    std::string id;
    {
        auto store = open_sqlite(db, key);
        Application a;
        a.template_id = "juminhyo";
        a.template_version = 1;
        a.station = "kiosk-1";
        a.fields = {{"applicant_name", "置換 前", "card", ""}};
        id = store->submit(a);
    }
    // The row as the earlier version wrote it: AES-256-GCM, nonce || ciphertext || tag, the id as AAD.
    std::array<unsigned char, 32> legacy{};
    ASSERT_EQ(RAND_bytes(legacy.data(), 32), 1);
    std::ofstream(legacy_file, std::ios::binary).write(reinterpret_cast<const char*>(legacy.data()), 32);
    ::chmod(legacy_file.c_str(), 0600);
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int md_len = 0;
    EVP_Digest(legacy.data(), legacy.size(), md, &md_len, EVP_sha256(), nullptr);
    std::string legacy_id;
    for (int i = 0; i < 8; ++i) legacy_id += "0123456789abcdef"[md[i] >> 4], legacy_id += "0123456789abcdef"[md[i] & 0xF];
    const std::string plain = R"([{"id":"applicant_name","value":"旧鍵 太郎","origin":"card"}])";
    std::vector<unsigned char> blob(12 + plain.size() + 16);
    ASSERT_EQ(RAND_bytes(blob.data(), 12), 1);
    EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
    int len = 0;
    ASSERT_EQ(EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), nullptr, legacy.data(), blob.data()), 1);
    ASSERT_EQ(EVP_EncryptUpdate(ctx, nullptr, &len, reinterpret_cast<const unsigned char*>(id.data()), static_cast<int>(id.size())), 1);
    ASSERT_EQ(EVP_EncryptUpdate(ctx, blob.data() + 12, &len, reinterpret_cast<const unsigned char*>(plain.data()),
                                static_cast<int>(plain.size())), 1);
    ASSERT_EQ(EVP_EncryptFinal_ex(ctx, blob.data() + 12 + len, &len), 1);
    ASSERT_EQ(EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, 16, blob.data() + 12 + plain.size()), 1);
    EVP_CIPHER_CTX_free(ctx);
    sqlite3* sq = nullptr;
    ASSERT_EQ(sqlite3_open(db.c_str(), &sq), SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(sq, "UPDATE applications SET key_id = ?, fields = ? WHERE id = ?", -1, &st, nullptr), SQLITE_OK);
    sqlite3_bind_text(st, 1, legacy_id.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_blob(st, 2, blob.data(), static_cast<int>(blob.size()), SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, id.c_str(), -1, SQLITE_TRANSIENT);
    ASSERT_EQ(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
    ASSERT_EQ(sqlite3_exec(sq, ("INSERT INTO store_keys(key_id, public_key, state, created_at) VALUES('" + legacy_id +
                                "', NULL, 'legacy', 0)").c_str(),
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(sq);

    try {
        open_sqlite(db, key)->get(id);
        FAIL() << "a row of the shared key opened without the migration";
    } catch (const StoreError& e) {
        EXPECT_EQ(e.kind(), StoreErrorKind::KeyMissing);
        EXPECT_NE(std::string(e.what()).find("keys migrate"), std::string::npos) << e.what();
    }
    const std::string tool = (kakanai::test::binary_dir() / "tools/kakanai-report").string();
    const auto r = run(tool + " --db " + shell_quote(db.string()) + " --key " + shell_quote(key.string()) +
                       " keys migrate --legacy-key " + shell_quote(legacy_file.string()) + " 2>&1");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("re-sealed 1 applications"), std::string::npos) << r.output;
    auto store = open_sqlite(db, key);
    EXPECT_EQ(store->get(id)->fields.at(0).value, "旧鍵 太郎");
    const auto keys = store->keys_in_use();
    ASSERT_EQ(keys.size(), 1u);
    EXPECT_EQ(keys.begin()->first, store->current_key_id());
}
