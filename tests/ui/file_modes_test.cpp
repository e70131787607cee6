// Every file the kiosk and the staff station create is the creator's alone:
// after a resident's session and a staff print, each file under the data,
// output and screenshot folders is 0600 and each folder 0700, even when the
// programs are started with umask 000.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "test_support.hpp"

using namespace kakanai;

namespace {

// "path mode" for every file and folder below `root` that is not owner-only.
std::vector<std::string> not_private(const std::filesystem::path& root, int& files) {
    std::vector<std::string> bad;
    struct stat st{};
    if (::lstat(root.c_str(), &st) == 0 && (st.st_mode & 07777) != 0700)
        bad.push_back(root.string() + " " + std::to_string(st.st_mode & 07777));
    for (const auto& e : std::filesystem::recursive_directory_iterator(root)) {
        if (::lstat(e.path().c_str(), &st) != 0) continue;
        const unsigned want = S_ISDIR(st.st_mode) ? 0700 : 0600;
        if (!S_ISDIR(st.st_mode)) ++files;
        if ((st.st_mode & 07777) != want) {
            char mode[8];
            std::snprintf(mode, sizeof mode, "%04o", st.st_mode & 07777);
            bad.push_back(e.path().string() + " " + mode);
        }
    }
    return bad;
}

}  // namespace

TEST(FileModes, KioskAndStaffSessionsCreateOnly0600FilesIn0700Folders) {
    ASSERT_NE(std::getenv("DISPLAY"), nullptr) << "run through scripts/with-services (make test)";
    test::TempDir dir;
    const std::string folders = " --output " + (dir / "out").string() + " --data " + (dir / "data").string();
    // The resident's session: card, PIN, answers, submitted (store, PDF, screenshots).
    auto r = test::run("umask 000 && " + (test::binary_dir() / "kiosk/kakanai-kiosk").string() +
                       " --size 1280x800 --script " + (test::source_dir() / "tests/ui/scripts/juminhyo.script").string() +
                       " --screenshots " + (dir / "shots").string() + folders + " 2>&1");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    // Staff print an application into the output folder (one entered a minute
    // earlier with every field filled, so it is first in the queue and printable).
    std::ofstream(dir / "kakanai.toml") << "[staff]\nids = [\"tanaka\"]\nprinters = [\"folder\"]\n";
    std::ofstream(dir / "staff.script") << "staff-code tanaka 482193\nseed " << test::card_profile("typical").string()
                                        << " juminhyo 60 applicant_kana=バンゴウ_ハナコ\n"
                                           "tap login.staff.tanaka\ntype login.code 482193\n"
                                           "tap login.submit\nexpect queue\ntap queue.next\nexpect review\n"
                                           "shot review\ntap open.print\nexpect-print done\nshot printed\n";
    r = test::run("umask 000 && " + (test::binary_dir() / "kiosk/kakanai-staff").string() + " --config " +
                  (dir / "kakanai.toml").string() + " --size 1280x800 --script " + (dir / "staff.script").string() +
                  " --screenshots " + (dir / "staff-shots").string() + folders + " 2>&1");
    ASSERT_EQ(r.exit_code, 0) << r.output;

    int files = 0;
    std::vector<std::string> bad;
    for (const char* sub : {"data", "out", "shots", "staff-shots"}) {
        ASSERT_TRUE(std::filesystem::is_directory(dir / sub)) << sub;
        for (auto& b : not_private(dir / sub, files)) bad.push_back(std::move(b));
    }
    EXPECT_TRUE(bad.empty()) << [&] {
        std::string s;
        for (const auto& b : bad) s += b + "\n";
        return s;
    }();
    // The store, at least two PDFs (kiosk and staff print) and the screenshots were checked.
    EXPECT_TRUE(std::filesystem::exists(dir / "data" / "store.db"));
    EXPECT_GE(files, 6);
}
