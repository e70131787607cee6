// The SQLite store file made read-only or damaged: a clear message that names
// the file and says what to do, and nothing already saved is lost or overwritten.
#include <gtest/gtest.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

#include "kakanai/store/store.hpp"
#include "store_suite.hpp"
#include "test_support.hpp"

using namespace kakanai;

namespace {

store::Application an_application(const std::string& name) {
    store::Application a;
    a.template_id = "juminhyo";
    a.template_version = 1;
    a.station = "kiosk-1";
    a.fields.push_back({"name", name, "card"});
    return a;
}

std::string bytes_of(const std::filesystem::path& f) {
    std::ifstream in(f, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// A store with `n` applications, closed (checkpointed into the one file).
std::vector<std::string> make_store(const std::filesystem::path& db, const std::filesystem::path& key, int n) {
    std::vector<std::string> ids;
    auto s = store::open_sqlite(db, key);
    for (int i = 0; i < n; ++i) ids.push_back(s->submit(an_application("番号 花子 " + std::to_string(i))));
    return ids;
}

// The message of the StoreError opening and using the store throws ("" when
// none); `kind` gets its kind.
std::string open_and_use(const std::filesystem::path& db, const std::filesystem::path& key,
                         const std::vector<std::string>& ids, store::StoreErrorKind* kind = nullptr) {
    try {
        auto s = store::open_sqlite(db, key);
        for (const auto& id : ids) s->get(id);
        s->submit(an_application("新しい 人"));
    } catch (const store::StoreError& e) {
        if (kind) *kind = e.kind();
        return e.what();
    }
    return "";
}

// A small tmpfs at `dir` (root with mount rights only), unmounted at the end.
struct SmallDisk {
    std::filesystem::path dir;
    bool on = false;
    SmallDisk(std::filesystem::path d, const char* options) : dir(std::move(d)) {
        std::filesystem::create_directory(dir);
        on = ::mount("kakanai-test", dir.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, options) == 0;
    }
    ~SmallDisk() {
        if (on) ::umount2(dir.c_str(), MNT_DETACH);
    }
};

}  // namespace

TEST(StoreFaults, ReadOnlyStoreFileIsNamedAndNothingIsLost) {
    test::TempDir tmp;
    const auto dir = tmp / "data";
    std::filesystem::create_directory(dir);
    // root writes through chmod: a read-only mount makes the file read-only for
    // everyone. Without mount rights, chmod does it.
    const bool mounted = ::mount("kakanai-test", dir.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, "size=4m,mode=0700") == 0;
    if (!mounted && ::geteuid() == 0) GTEST_SKIP() << "root without mount rights: no way to make a file read-only";
    // Unmounted even when an assertion ends the test early.
    struct Unmount {
        std::filesystem::path dir;
        bool on;
        ~Unmount() {
            if (on) ::umount2(dir.c_str(), MNT_DETACH);
        }
    } unmount{dir, mounted};
    const auto db = dir / "store.db", key = dir / "store.key";
    const auto ids = make_store(db, key, 3);
    const std::string before = bytes_of(db);
    if (mounted) {
        ASSERT_EQ(::mount(nullptr, dir.c_str(), nullptr, MS_REMOUNT | MS_RDONLY, nullptr), 0);
    } else {
        std::filesystem::permissions(db, std::filesystem::perms::owner_read);
        std::filesystem::permissions(dir, std::filesystem::perms::owner_read | std::filesystem::perms::owner_exec);
    }
    store::StoreErrorKind kind = store::StoreErrorKind::Internal;
    const std::string message = open_and_use(db, key, ids, &kind);
    EXPECT_NE(message.find(db.string()), std::string::npos) << message;
    // A read-only mount is refused when writing; a folder without write
    // permission already when SQLite opens its journal.
    EXPECT_TRUE(kind == store::StoreErrorKind::ReadOnly || kind == store::StoreErrorKind::Unavailable)
        << store::to_string(kind) << ": " << message;
    EXPECT_TRUE(message.find("not writable") != std::string::npos || message.find("readable and writable") != std::string::npos)
        << message;
    EXPECT_EQ(bytes_of(db), before);
    if (mounted) {
        ASSERT_EQ(::mount(nullptr, dir.c_str(), nullptr, MS_REMOUNT, nullptr), 0);
    } else {
        std::filesystem::permissions(dir, std::filesystem::perms::owner_all);
        std::filesystem::permissions(db, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    }
    {
        // Writable again: every application is still there.
        auto s = store::open_sqlite(db, key);
        for (const auto& id : ids) EXPECT_TRUE(s->get(id).has_value()) << id;
    }
    if (mounted) {
        // Busy if the failed open left the file open.
        EXPECT_EQ(::umount(dir.c_str()), 0) << std::strerror(errno);
        unmount.on = false;
    }
}

TEST(StoreFaults, NotADatabaseIsNamedAndLeftAlone) {
    test::TempDir tmp;
    const auto db = tmp / "store.db";
    std::ofstream(db, std::ios::binary) << std::string(8192, 'x');
    store::StoreErrorKind kind = store::StoreErrorKind::Internal;
    const std::string message = open_and_use(db, tmp / "store.key", {}, &kind);
    EXPECT_EQ(kind, store::StoreErrorKind::Damaged) << message;
    EXPECT_NE(message.find(db.string()), std::string::npos) << message;
    EXPECT_NE(message.find("docs/store.md"), std::string::npos) << message;
    EXPECT_EQ(bytes_of(db), std::string(8192, 'x')) << "the damaged file was overwritten";
}

TEST(StoreFaults, TruncatedStoreIsNamedAndLeftAlone) {
    test::TempDir tmp;
    const auto db = tmp / "store.db", key = tmp / "store.key";
    const auto ids = make_store(db, key, 40);
    const auto full = std::filesystem::file_size(db);
    std::filesystem::resize_file(db, full / 2);
    const std::string before = bytes_of(db);
    store::StoreErrorKind kind = store::StoreErrorKind::Internal;
    const std::string message = open_and_use(db, key, ids, &kind);
    EXPECT_EQ(kind, store::StoreErrorKind::Damaged) << message;
    EXPECT_NE(message.find(db.string()), std::string::npos) << message;
    EXPECT_NE(message.find("docs/store.md"), std::string::npos) << message;
    EXPECT_EQ(bytes_of(db), before) << "the damaged file was changed";
}

TEST(StoreFaults, GarbageInAPageIsReportedNotSilentlyLost) {
    test::TempDir tmp;
    const auto db = tmp / "store.db", key = tmp / "store.key";
    const auto ids = make_store(db, key, 40);
    const auto size = std::filesystem::file_size(db);
    ASSERT_GT(size, 4 * 4096u);
    {
        // Garbage over the last page: some rows' page, not the schema on page 1.
        std::fstream f(db, std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(static_cast<std::streamoff>(size - 4096));
        const std::string junk(4096, '\xA5');
        f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
    }
    const std::string message = open_and_use(db, key, ids);
    // Either every read worked (the page held nothing needed) or the error says so.
    if (!message.empty()) {
        EXPECT_NE(message.find(db.string()), std::string::npos) << message;
        EXPECT_NE(message.find("docs/store.md"), std::string::npos) << message;
    }
    // Rows on intact pages are still readable one by one.
    int readable = 0;
    try {
        auto s = store::open_sqlite(db, key);
        for (const auto& id : ids) {
            try {
                readable += s->get(id).has_value();
            } catch (const store::StoreError& e) {
                EXPECT_NE(std::string(e.what()).find("docs/store.md"), std::string::npos) << e.what();
            }
        }
    } catch (const store::StoreError& e) {
        EXPECT_NE(std::string(e.what()).find("docs/store.md"), std::string::npos) << e.what();
    }
    EXPECT_GT(readable, 0) << "no row of the intact pages could be read";
}

// Before, take_lease_minutes = 9223372036854775807 overflowed when turned into
// seconds (undefined behaviour), and a setting of the wrong type (backend = 5,
// path = 1) silently became the default file.
TEST(StoreConfigText, WrongTypesAndOutOfRangeAreRefusedWithTheFile) {
    const std::pair<const char*, const char*> cases[] = {
        {"[store]\ntake_lease_minutes = 9223372036854775807\n", "take_lease_minutes must be a whole number from 1 to 10080"},
        {"[store]\ntake_lease_minutes = 0\n", "take_lease_minutes must be"},
        {"[store]\ntake_lease_minutes = \"30\"\n", "take_lease_minutes must be"},
        {"[store]\nlease_seconds = 4\n", "lease_seconds must be a whole number from 5 to 86400"},
        {"[store]\nlease_seconds = 9223372036854775807\n", "lease_seconds must be"},
        {"[store]\nlease_seconds = \"120\"\n", "lease_seconds must be"},
        {"[store]\nbackend = 5\n", "backend must be a string"},
        {"[store]\npath = 1\n", "path must be a string"},
        {"[store]\npath = \"\"\n", "file names must not be empty"},
        {"[store]\nprevious_private_key_files = \"old.key\"\n", "previous_private_key_files must be a list"},
        {"[store]\nprevious_private_key_files = [1]\n", "previous_private_key_files must be a list"},
        {"[store]\npublic_key_file = 1\n", "public_key_file must be a string"},
        {"station = \"x\"\n", "no [store] table"},
        {"[store\n", "/etc/k.toml:1:"},
    };
    for (const auto& [text, want] : cases) {
        try {
            store::parse_store_config(text, "/etc/k.toml");
            ADD_FAILURE() << "accepted: " << text;
        } catch (const store::StoreError& e) {
            EXPECT_NE(std::string(e.what()).find(want), std::string::npos) << e.what();
            EXPECT_EQ(std::string(e.what()).rfind("/etc/k.toml", 0), 0u) << e.what();
            EXPECT_EQ(e.kind(), store::StoreErrorKind::Config) << e.what();
        }
    }
    const auto c = store::parse_store_config("[store]\npath = \"d/s.db\"\ntake_lease_minutes = 10080\n", "/etc/k.toml");
    EXPECT_EQ(c.sqlite_path, "/etc/d/s.db");
    EXPECT_EQ(c.take_lease, std::chrono::minutes(10080));
    // The lease a station renews: 2 minutes unless set, in seconds.
    EXPECT_EQ(store::parse_store_config("[store]\n", "/etc/k.toml").take_lease, std::chrono::seconds(120));
    EXPECT_EQ(store::parse_store_config("[store]\nlease_seconds = 6\n", "/etc/k.toml").take_lease, std::chrono::seconds(6));
}

TEST(StoreFaults, MissingFolderIsUnavailable) {
    test::TempDir tmp;
    const auto db = tmp / "no-such-folder" / "store.db";
    store::StoreErrorKind kind = store::StoreErrorKind::Internal;
    const std::string message = open_and_use(db, tmp / "store.key", {}, &kind);
    EXPECT_EQ(kind, store::StoreErrorKind::Unavailable) << message;
    EXPECT_NE(message.find(db.string()), std::string::npos) << message;
    EXPECT_NE(message.find("folder exists"), std::string::npos) << message;
}

// A full disk: the change is refused as disk_full, the message says what to
// do, and everything saved before is still there once space is freed.
TEST(StoreFaults, FullDiskIsDiskFullAndLosesNothing) {
    test::TempDir tmp;
    SmallDisk disk(tmp / "data", "size=2m,mode=0700");
    if (!disk.on) GTEST_SKIP() << "no mount rights: no way to fill a disk safely";
    const auto db = disk.dir / "store.db", key = disk.dir / "store.key";
    const auto ids = make_store(db, key, 3);
    // Opened before the disk fills, as at a station that runs all day.
    auto open_store = store::open_sqlite(db, key);
    open_store->submit(an_application("満杯 前子"));
    const auto filler = disk.dir / "filler";
    for (const std::size_t size : {64 * 1024, 512}) {
        std::ofstream f(filler, std::ios::binary | std::ios::app);
        const std::string block(size, 'z');
        while (f.write(block.data(), static_cast<std::streamsize>(block.size())) && f.flush()) {
        }
    }
    store::StoreErrorKind kind = store::StoreErrorKind::Internal;
    std::string message;
    try {
        for (int i = 0; i < 200; ++i) open_store->submit(an_application("満杯 太郎 " + std::to_string(i)));
    } catch (const store::StoreError& e) {
        kind = e.kind();
        message = e.what();
    }
    std::filesystem::remove(filler);
    open_store.reset();
    ASSERT_FALSE(message.empty()) << "200 applications fitted on a full 2 MB disk";
    EXPECT_EQ(kind, store::StoreErrorKind::DiskFull) << message;
    EXPECT_NE(message.find("disk is full"), std::string::npos) << message;
    EXPECT_STREQ(store::i18n_key(kind), "store.disk_full");
    auto s = store::open_sqlite(db, key);
    for (const auto& id : ids) EXPECT_TRUE(s->get(id).has_value()) << id;
}
