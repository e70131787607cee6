#pragma once
// Helpers shared by tests: paths, temp folders, running commands.
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <thread>
#include <vector>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>

namespace kakanai::test {

inline std::filesystem::path source_dir() { return KAKANAI_SOURCE_DIR; }
inline std::filesystem::path binary_dir() { return KAKANAI_BINARY_DIR; }
inline std::filesystem::path card_profile(const std::string& name) { return source_dir() / "tests/cards" / (name + ".toml"); }
inline std::filesystem::path forms_dir() { return source_dir() / "assets/forms"; }

// A fresh folder removed at the end of the test.
class TempDir {
public:
    TempDir() {
        std::string tmpl = (std::filesystem::temp_directory_path() / "kakanai-test-XXXXXX").string();
        if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
        path_ = tmpl;
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::permissions(path_, std::filesystem::perms::owner_all, ec);
        std::filesystem::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return path_; }
    std::filesystem::path operator/(const std::string& s) const { return path_ / s; }

private:
    std::filesystem::path path_;
};

struct CommandResult {
    int exit_code = -1;
    std::string output;  // stdout only
};

// Runs a shell command and captures its standard output.
inline CommandResult run(const std::string& command) {
    CommandResult r;
    FILE* p = popen(command.c_str(), "r");
    if (!p) return r;
    std::array<char, 4096> buf{};
    std::size_t n;
    while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) r.output.append(buf.data(), n);
    const int status = pclose(p);
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

inline std::string shell_quote(const std::string& s) {
    std::string q = "'";
    for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
}

// Text of a PDF as pdftotext -raw gives it.
inline std::string pdf_text(const std::filesystem::path& pdf) {
    return run("pdftotext -raw " + shell_quote(pdf.string()) + " -").output;
}

// A child process stopped by PID (SIGTERM, then SIGKILL) when it goes out of scope.
class ChildProcess {
public:
    explicit ChildProcess(const std::vector<std::string>& argv) {
        std::vector<char*> args;
        for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        if (posix_spawn(&pid_, args[0], nullptr, nullptr, args.data(), environ) != 0) pid_ = -1;
    }
    ~ChildProcess() { stop(); }
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;
    bool started() const { return pid_ > 0; }
    pid_t pid() const { return pid_; }
    // Exit code once it ended by itself within the timeout, else -1.
    int wait(std::chrono::milliseconds timeout) {
        const auto end = std::chrono::steady_clock::now() + timeout;
        while (pid_ > 0 && std::chrono::steady_clock::now() < end) {
            int status = 0;
            if (waitpid(pid_, &status, WNOHANG) == pid_) {
                pid_ = -1;
                return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        return -1;
    }
    void stop() {
        if (pid_ <= 0) return;
        kill(pid_, SIGTERM);
        if (wait(std::chrono::seconds(3)) < 0 && pid_ > 0) {
            kill(pid_, SIGKILL);
            waitpid(pid_, nullptr, 0);
        }
        pid_ = -1;
    }

private:
    pid_t pid_ = -1;
};

// A service scripts/with-services started (pcscd, cupsd), stopped and started
// through the control script it exports in `env_var` (by PID only). Whatever
// happens in a test, the next tests find the service running again.
class ServiceControl {
public:
    explicit ServiceControl(const char* env_var) {
        if (const char* c = std::getenv(env_var)) ctl_ = c;
    }
    ~ServiceControl() {
        if (stopped_) start();
    }
    ServiceControl(const ServiceControl&) = delete;
    ServiceControl& operator=(const ServiceControl&) = delete;
    bool available() const { return !ctl_.empty(); }
    bool stop() {
        stopped_ = run(shell_quote(ctl_) + " stop").exit_code == 0;
        return stopped_;
    }
    bool start() {
        const bool ok = run(shell_quote(ctl_) + " start").exit_code == 0;
        if (ok) stopped_ = false;
        return ok;
    }

private:
    std::string ctl_;
    bool stopped_ = false;
};

}  // namespace kakanai::test
