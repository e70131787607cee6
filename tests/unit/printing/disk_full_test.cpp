// The output folder's disk fills up while PDFs are written: a clear message,
// no partial PDF (the write is atomic), the earlier PDFs intact. A small tmpfs
// (room for two and a half PDFs) is mounted for it when the test may mount (root); otherwise a child process
// writes under RLIMIT_FSIZE, which fails the same way (EFBIG instead of ENOSPC).
#include <gtest/gtest.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <fstream>
#include <functional>
#include <iterator>

#include "kakanai/forms/prefill.hpp"
#include "kakanai/printing/pdf.hpp"
#include "test_support.hpp"

using namespace kakanai;

namespace {

std::vector<std::uint8_t> a_pdf(const std::string& id) {
    const auto t = forms::load_template(test::forms_dir() / "juminhyo.toml");
    const forms::CardData card{"番号 花子", "東京都千代田区霞が関2丁目1番2号", "1980-02-17", "female", true};
    printing::PdfOptions o;
    o.application_id = id;
    return printing::render_pdf(t, forms::prefill(t, card, {}, "2026-11-23"), o);
}

std::vector<std::uint8_t> read_all(const std::filesystem::path& f) {
    std::ifstream in(f, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Writes PDFs into `dir` until a write fails; returns what went wrong ("" when
// all is as it must be).
std::string fill_until_full(const std::filesystem::path& dir, std::string& message,
                            const std::function<void(std::size_t written, std::size_t pdf_size)>& after_write = {}) {
    std::vector<std::pair<std::filesystem::path, std::vector<std::uint8_t>>> written;
    for (int i = 0; i < 200; ++i) {
        const std::string id = "A-FULL-" + std::to_string(i);
        const auto bytes = a_pdf(id);
        const auto file = printing::application_pdf_path(dir, id);
        try {
            printing::write_file_atomic(file, bytes);
            written.emplace_back(file, bytes);
            if (after_write) after_write(written.size(), bytes.size());
        } catch (const printing::PrintError& e) {
            message = e.what();
            if (std::filesystem::exists(file)) return "a partial " + file.filename().string() + " was left";
            break;
        }
    }
    if (message.empty()) return "the disk never filled up";
    if (written.empty()) return "not even one PDF fitted";
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        const std::string name = entry.path().filename().string();
        if (name.rfind(".kakanai-", 0) == 0) return "a temporary file was left: " + name;
    }
    for (const auto& [file, bytes] : written)
        if (read_all(file) != bytes) return file.filename().string() + " changed";
    return "";
}

}  // namespace

TEST(DiskFull, WritingPdfsUntilFullLeavesNoPartialFileAndKeepsTheEarlierOnes) {
    test::TempDir tmp;
    const auto mnt = tmp / "out";
    std::filesystem::create_directory(mnt);
    // Room for two PDFs and a half: the third fills the disk in the middle.
    const std::size_t size = (a_pdf("A-FULL-0").size() * 5 / 2 / 4096 + 1) * 4096;
    const std::string opts = "size=" + std::to_string(size) + ",mode=0700";
    if (::mount("kakanai-test", mnt.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, opts.c_str()) == 0) {
        std::string message;
        std::string problem;
        try {
            problem = fill_until_full(mnt, message);
        } catch (const std::exception& e) {
            problem = e.what();
        }
        const int unmounted = ::umount(mnt.c_str());
        EXPECT_EQ(problem, "");
        EXPECT_NE(message.find("No space left on device"), std::string::npos) << message;
        EXPECT_NE(message.find("is full: free space there or set paths.output"), std::string::npos) << message;
        EXPECT_EQ(unmounted, 0);
        return;
    }
    // No mount allowed: the same through a file size limit, in a child so the
    // limit ends with it.
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        ::close(fds[0]);
        std::signal(SIGXFSZ, SIG_IGN);  // a write past the limit fails with EFBIG instead
        std::string message;
        // After two PDFs, no file may grow to a whole PDF any more.
        const std::string problem = fill_until_full(mnt, message, [](std::size_t n, std::size_t pdf_size) {
            const rlimit lim{pdf_size / 2, pdf_size / 2};
            if (n == 2) ::setrlimit(RLIMIT_FSIZE, &lim);
        });
        const std::string out = problem + "\n" + message;
        (void)!::write(fds[1], out.data(), out.size());
        ::_exit(0);
    }
    ::close(fds[1]);
    std::string out;
    char buf[1024];
    for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;) out.append(buf, static_cast<std::size_t>(n));
    ::close(fds[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    ASSERT_TRUE(WIFEXITED(status));
    const auto nl = out.find('\n');
    ASSERT_NE(nl, std::string::npos);
    EXPECT_EQ(out.substr(0, nl), "");
    EXPECT_NE(out.find("is full: free space there or set paths.output"), std::string::npos) << out;
}
