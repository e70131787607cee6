#pragma once
// A throw-away PostgreSQL server for tests: initdb + pg_ctl in a temp folder,
// listening only on a Unix socket there, run as a non-root user (the server
// refuses root; as root the tests use the system user kakanai-test, created
// when missing). Stopped with pg_ctl, then by PID, when the object goes away.
#include <fcntl.h>
#include <libpq-fe.h>
#include <pwd.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <stdexcept>
#include <string>

#include "test_support.hpp"

namespace kakanai::test {

class PgServer {
public:
    static constexpr const char* kUser = "kakanai-test";

    // durable: fsync on and larger buffers, as a real server (bench/pg_stations);
    // the tests run without fsync.
    explicit PgServer(bool durable = false) : durable_(durable) {
        bin_ = find_bin();
        std::string tmpl = (std::filesystem::temp_directory_path() / "kakanai-pg-XXXXXX").string();
        if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
        dir_ = tmpl;
        user_ = current_user();
        if (geteuid() == 0) {
            user_ = kUser;
            if (!getpwnam(kUser)) {
                const auto r = run(std::string("useradd --system --no-create-home --shell /usr/sbin/nologin ") + kUser + " 2>&1");
                if (r.exit_code != 0 && !getpwnam(kUser))
                    throw std::runtime_error("cannot create the test user " + std::string(kUser) + ": " + r.output);
            }
            const passwd* pw = getpwnam(kUser);
            if (!pw || chown(dir_.c_str(), pw->pw_uid, pw->pw_gid) != 0)
                throw std::runtime_error("cannot hand " + dir_.string() + " to " + kUser);
            as_ = "runuser -u " + std::string(kUser) + " -- ";
        }
        ::chmod(dir_.c_str(), 0700);
        const auto init = run(as_ + shell_quote((bin_ / "initdb").string()) + " -D " + shell_quote(data().string()) +
                              " -A trust -U " + shell_quote(user_) + " -E UTF8 --locale=C --no-sync 2>&1");
        if (init.exit_code != 0) throw std::runtime_error("initdb failed: " + init.output);
        const std::string opts = options();
        const auto start = run(as_ + shell_quote((bin_ / "pg_ctl").string()) + " -D " + shell_quote(data().string()) +
                               " -l " + shell_quote((dir_ / "server.log").string()) + " -w -t 30 -o " +
                               shell_quote(opts) + " start 2>&1");
        read_pid();
        if (start.exit_code != 0) {
            std::ifstream log(dir_ / "server.log");
            const std::string text((std::istreambuf_iterator<char>(log)), {});
            stop();
            throw std::runtime_error("pg_ctl start failed: " + start.output + "\n" + text);
        }
        start_watchdog();
    }
    ~PgServer() { stop(); }
    PgServer(const PgServer&) = delete;
    PgServer& operator=(const PgServer&) = delete;

    std::string conninfo(const std::string& db) const {
        return "host=" + dir_.string() + " port=5432 user=" + user_ + " dbname=" + db;
    }

    // A new empty database; returns its name.
    std::string create_database() {
        const std::string name = "t" + std::to_string(++databases_);
        sql("postgres", "CREATE DATABASE " + name);
        return name;
    }

    void sql(const std::string& db, const std::string& statement) const {
        PGconn* c = PQconnectdb(conninfo(db).c_str());
        std::string err;
        if (PQstatus(c) != CONNECTION_OK) {
            err = PQerrorMessage(c);
        } else {
            PGresult* r = PQexec(c, statement.c_str());
            if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK) err = PQerrorMessage(c);
            PQclear(r);
        }
        PQfinish(c);
        if (!err.empty()) throw std::runtime_error("test SQL failed: " + err);
    }

    // Stops the server (fast shutdown: connections are cut) and starts it again.
    void restart() {
        const auto r = run(as_ + shell_quote((bin_ / "pg_ctl").string()) + " -D " + shell_quote(data().string()) +
                           " -l " + shell_quote((dir_ / "server.log").string()) + " -m fast -w -t 30 -o " +
                           shell_quote(options()) + " restart 2>&1");
        if (r.exit_code != 0) throw std::runtime_error("pg_ctl restart failed: " + r.output);
        read_pid();
    }

    std::filesystem::path data() const { return dir_ / "data"; }
    const std::filesystem::path& dir() const { return dir_; }

    void stop() {
        if (dir_.empty()) return;
        if (pid_ > 0) {
            run(as_ + shell_quote((bin_ / "pg_ctl").string()) + " -D " + shell_quote(data().string()) +
                " -m immediate -w -t 10 stop >/dev/null 2>&1");
            if (::kill(pid_, 0) == 0) ::kill(pid_, SIGKILL);
            pid_ = -1;
        }
        if (watchdog_pipe_ >= 0) {
            ::close(watchdog_pipe_);  // the watchdog wakes up and leaves
            ::waitpid(watchdog_, nullptr, 0);
            watchdog_pipe_ = -1;
        }
        std::error_code ec;
        std::filesystem::remove_all(dir_, ec);
        dir_.clear();
    }

private:
    std::string options() const {
        return "-k " + dir_.string() + " -c listen_addresses='' -p 5432" +
               (durable_ ? " -c shared_buffers=128MB -c max_connections=120" : " -F -c shared_buffers=16MB");
    }

    static std::filesystem::path find_bin() {
        std::vector<std::filesystem::path> found;
        std::error_code ec;
        for (const auto& e : std::filesystem::directory_iterator("/usr/lib/postgresql", ec))
            if (std::filesystem::exists(e.path() / "bin/initdb")) found.push_back(e.path() / "bin");
        if (found.empty())
            throw std::runtime_error("no PostgreSQL server in /usr/lib/postgresql: run scripts/install-deps");
        std::sort(found.begin(), found.end());
        return found.back();
    }
    static std::string current_user() {
        const passwd* pw = getpwuid(geteuid());
        return pw ? pw->pw_name : "postgres";
    }
    // A forked process that stops the server if this test process dies without
    // running its destructors (crash, timeout kill): it waits for EOF on a
    // pipe only this process holds (close-on-exec keeps it out of the server).
    void start_watchdog() {
        int fds[2];
        if (::pipe2(fds, O_CLOEXEC) != 0) return;
        watchdog_ = ::fork();
        if (watchdog_ == 0) {
            // Outlives a Ctrl-C or a SIGTERM to the test's process group, to clean up after it.
            ::setsid();
            ::signal(SIGINT, SIG_IGN);
            ::signal(SIGTERM, SIG_IGN);
            ::signal(SIGHUP, SIG_IGN);
            ::close(fds[1]);
            char c;
            while (::read(fds[0], &c, 1) != 0) {
            }
            if (::kill(pid_, 0) == 0) {
                ::kill(pid_, SIGQUIT);  // immediate shutdown
                for (int i = 0; i < 50 && ::kill(pid_, 0) == 0; ++i) ::usleep(100000);
                ::kill(pid_, SIGKILL);
            }
            std::error_code ec;
            std::filesystem::remove_all(dir_, ec);
            ::_exit(0);
        }
        ::close(fds[0]);
        watchdog_pipe_ = fds[1];
    }

    void read_pid() {
        std::ifstream f(data() / "postmaster.pid");
        long pid = 0;
        if (f >> pid) pid_ = static_cast<pid_t>(pid);
    }

    std::filesystem::path bin_, dir_;
    std::string user_, as_;
    pid_t pid_ = -1;
    pid_t watchdog_ = -1;
    int watchdog_pipe_ = -1;
    int databases_ = 0;
    bool durable_ = false;
};

}  // namespace kakanai::test
