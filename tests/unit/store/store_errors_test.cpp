// Store errors reach staff as a kind with a message in every language, never
// as the database's English text.
#include <gtest/gtest.h>

#include <cerrno>
#include <fstream>
#include <set>
#include <string>

#include "kakanai/store/store.hpp"
#include "store_suite.hpp"
#include "test_support.hpp"

using namespace kakanai::store;

namespace {

// The keys of one assets/i18n file ("area.name" = "text" lines).
std::set<std::string> i18n_keys(const std::string& language) {
    std::ifstream in(kakanai::test::source_dir() / "assets/i18n" / (language + ".toml"));
    std::set<std::string> keys;
    for (std::string line; std::getline(in, line);) {
        if (line.size() < 2 || line[0] != '"') continue;
        const auto end = line.find('"', 1);
        if (end != std::string::npos) keys.insert(line.substr(1, end - 1));
    }
    return keys;
}

}  // namespace

TEST(StoreErrors, EveryKindHasOneNameAndAMessageInEveryLanguage) {
    std::set<std::string> names, keys;
    for (const auto kind : kStoreErrorKinds) {
        EXPECT_TRUE(names.insert(to_string(kind)).second) << to_string(kind);
        EXPECT_TRUE(keys.insert(i18n_key(kind)).second) << i18n_key(kind);
        EXPECT_EQ(std::string(i18n_key(kind)), std::string("store.") + to_string(kind));
    }
    EXPECT_EQ(names.size(), kStoreErrorKinds.size());
    for (const char* language : {"ja", "en", "ja-easy"}) {
        const auto known = i18n_keys(language);
        ASSERT_GT(known.size(), 100u) << language;
        for (const auto& k : keys) EXPECT_TRUE(known.count(k)) << language << " lacks " << k;
    }
}

TEST(StoreErrors, TheErrorCarriesItsKindAndKeepsTheDetail) {
    const StoreError e(StoreErrorKind::DiskFull, "store /srv/kakanai/store.db: database or disk is full");
    EXPECT_EQ(e.kind(), StoreErrorKind::DiskFull);
    EXPECT_STREQ(e.i18n_key(), "store.disk_full");
    EXPECT_NE(std::string(e.what()).find("/srv/kakanai/store.db"), std::string::npos);
}

TEST(StoreErrors, SystemErrorsMapToKinds) {
    EXPECT_EQ(kind_from_errno(EROFS), StoreErrorKind::ReadOnly);
    EXPECT_EQ(kind_from_errno(EACCES), StoreErrorKind::ReadOnly);
    EXPECT_EQ(kind_from_errno(ENOSPC), StoreErrorKind::DiskFull);
    EXPECT_EQ(kind_from_errno(EDQUOT), StoreErrorKind::DiskFull);
    EXPECT_EQ(kind_from_errno(ENOENT), StoreErrorKind::Unavailable);
    EXPECT_EQ(kind_from_errno(EEXIST), StoreErrorKind::Conflict);
    EXPECT_EQ(kind_from_errno(EIO), StoreErrorKind::Io);
}

TEST(StoreErrors, StateNamesComeFromOneTable) {
    for (const auto& n : kStateNames) {
        EXPECT_STREQ(to_string(n.value), n.name);
        EXPECT_EQ(state_from_string(n.name), n.value);
    }
    for (const auto& n : kPrintStatusNames) {
        EXPECT_STREQ(to_string(n.value), n.name);
        EXPECT_EQ(print_status_from_string(n.name), n.value);
    }
    try {
        state_from_string("shredded");
        FAIL() << "an unknown state was accepted";
    } catch (const StoreError& e) {
        EXPECT_EQ(e.kind(), StoreErrorKind::Damaged);
    }
}

// Nothing listens on port 1: the store is unreachable, not a program error.
TEST(StoreErrors, UnreachablePostgresIsUnavailable) {
    kakanai::test::TempDir tmp;
    try {
        open_postgres("host=127.0.0.1 port=1 dbname=kakanai connect_timeout=3", tmp / "store.key");
        FAIL() << "connected to port 1";
    } catch (const StoreError& e) {
        EXPECT_EQ(e.kind(), StoreErrorKind::Unavailable) << e.what();
        EXPECT_NE(std::string(e.what()).find("conninfo"), std::string::npos) << e.what();
    }
}

TEST(StoreErrors, KeyFileProblemsAreKeyMissing) {
    kakanai::test::TempDir tmp;
    const auto key = tmp / "store.key";
    std::ofstream(key, std::ios::binary) << "short";
    std::filesystem::permissions(key, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    try {
        open_sqlite(tmp / "store.db", key);
        FAIL() << "a 5-byte key was used";
    } catch (const StoreError& e) {
        EXPECT_EQ(e.kind(), StoreErrorKind::KeyMissing) << e.what();
    }
    StoreConfig c;
    c.sqlite_path = tmp / "other.db";
    c.private_key_file = tmp / "new.key";
    c.public_key_file = tmp / "new.pub";
    c.previous_private_key_files = {tmp / "gone.key"};
    try {
        open_store(c);
        FAIL() << "a missing previous key was accepted";
    } catch (const StoreError& e) {
        EXPECT_EQ(e.kind(), StoreErrorKind::KeyMissing) << e.what();
    }
}
