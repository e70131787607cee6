// The SQLite store's files are owner-only whatever the umask: a new database
// and its -wal and -shm are 0600; the package's shared store (created 0660 by
// postinst) keeps its mode and its -wal/-shm follow it.
#include <gtest/gtest.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kakanai/store/report.hpp"
#include "kakanai/store/store.hpp"
#include "test_support.hpp"

using namespace kakanai::store;
using kakanai::test::TempDir;

namespace {

unsigned mode_of(const std::filesystem::path& p) {
    struct stat st{};
    if (::stat(p.c_str(), &st) != 0) return 0;
    return st.st_mode & 07777;
}

// Restores the test process's umask.
struct Umask {
    explicit Umask(mode_t m) : old(::umask(m)) {}
    ~Umask() { ::umask(old); }
    mode_t old;
};

Application sample() {
    Application a;
    a.template_id = "juminhyo";
    a.template_version = 1;
    a.station = "kiosk-1";
    a.fields = {{"applicant_name", "権限 試験", "card", ""}};
    return a;
}

}  // namespace

TEST(StoreFileModes, NewStoreWalAndShmAre0600EvenWithUmask000) {
    TempDir dir;
    const Umask open_umask(0);
    auto store = open_sqlite(dir / "store.db", dir / "store.key");
    store->submit(sample());  // the WAL and its index exist while the store is open
    for (const char* f : {"store.db", "store.db-wal", "store.db-shm", "store.key"}) {
        ASSERT_TRUE(std::filesystem::exists(dir / f)) << f;
        EXPECT_EQ(mode_of(dir / f), 0600u) << f;
    }
    write_private_file(dir / "export.json", "{}");
    EXPECT_EQ(mode_of(dir / "export.json"), 0600u);
}

TEST(StoreFileModes, SharedStoreKeepsItsGroupModeForWalAndShm) {
    TempDir dir;
    const Umask open_umask(077);
    {
        // As postinst creates it: empty, 0660.
        const int fd = ::open((dir / "store.db").c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
        ASSERT_GE(fd, 0);
        ::fchmod(fd, 0660);
        ::close(fd);
    }
    auto store = open_sqlite(dir / "store.db", dir / "store.key");
    store->submit(sample());
    for (const char* f : {"store.db", "store.db-wal", "store.db-shm"}) EXPECT_EQ(mode_of(dir / f), 0660u) << f;
}
