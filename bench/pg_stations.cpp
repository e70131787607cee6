// bench/pg_stations: a city hall on one PostgreSQL server. 40 kiosks and 10
// staff stations (threads, each with its own store and connection, logged in
// as kakanai_kiosk or kakanai_staff after kakanai-report pg-setup's setup) run
// for --seconds (default 60) against a real server started for the run (fsync
// on). Kiosks submit realistic applications with a pause between residents
// (--think-ms, default 4000: 40 kiosks offer 36,000 applications/h); stations
// take the next one, confirm it and print it to a null printer (the page is
// built and discarded). Baseline in the same run: the same submissions from one
// kiosk alone and the same take/confirm/print from one station alone.
// Prints RESULT pg_submit_p99_ms, pg_take_p99_ms, pg_applications_per_hour
// and pg_double_takes. Targets: p99 <= 100 ms, >= 10,000 applications/h, 0
// double takes. Quick check: bench_pg_stations --seconds 5.
#include <libpq-fe.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "../tests/integration/pg_server.hpp"
#include "kakanai/store/desk_store.hpp"
#include "kakanai/store/kiosk_store.hpp"
#include "kakanai/store/pg_setup.hpp"
#include "kakanai/store/store.hpp"
#include "test_support.hpp"

namespace ks = kakanai::store;
using Clock = std::chrono::steady_clock;

namespace {

constexpr double kTargetP99Ms = 100;
constexpr double kTargetPerHour = 10000;

struct Options {
    int seconds = 60;
    int kiosks = 40;
    int stations = 10;
    int think_ms = 4000;
    int baseline = 200;  // applications in the one-kiosk / one-station baseline
    bool fsync = true;
};

[[noreturn]] void usage() {
    std::fprintf(stderr,
                 "usage: bench_pg_stations [--seconds N] [--kiosks N] [--stations N] [--think-ms N] "
                 "[--baseline N] [--no-fsync]\n");
    std::exit(2);
}

Options parse(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        const auto number = [&](int& out, int min) {
            if (i + 1 >= argc) usage();
            char* end = nullptr;
            const long v = std::strtol(argv[++i], &end, 10);
            if (*end || v < min || v > 100000) usage();
            out = static_cast<int>(v);
        };
        if (a == "--seconds") number(o.seconds, 1);
        else if (a == "--kiosks") number(o.kiosks, 1);
        else if (a == "--stations") number(o.stations, 1);
        else if (a == "--think-ms") number(o.think_ms, 0);
        else if (a == "--baseline") number(o.baseline, 10);
        else if (a == "--no-fsync") o.fsync = false;
        else usage();
    }
    return o;
}

double ms_since(Clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    const auto i = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
    return v[std::min(i, v.size() - 1)];
}

// Invented residents: every application differs, like a day at the counter.
ks::Application resident_application(std::mt19937& rng, const std::string& station) {
    static const char* family[] = {"髙橋", "佐藤", "渡邊", "齋藤", "山﨑", "鈴木", "伊藤", "中村", "小林", "吉田"};
    static const char* given[] = {"花子", "太郎", "美咲", "翔太", "陽菜", "大輔", "さくら", "健一", "結衣", "蓮"};
    static const char* town[] = {"東京都千代田区千代田", "北海道札幌市中央区北一条西", "沖縄県那覇市泉崎",
                                 "大阪府大阪市北区中之島", "福岡県福岡市中央区天神"};
    static const char* templates[] = {"juminhyo", "inkan", "kokuho_shutoku", "jidou_teate"};
    std::uniform_int_distribution<int> d10(0, 9), d5(0, 4), d4(0, 3), block(1, 30), year(1935, 2005),
        month(1, 12), day(1, 28);
    ks::Application a;
    a.template_id = templates[d4(rng)];
    a.template_version = 1;
    a.station = station;
    a.card_read = d10(rng) != 0;
    char birth[16];
    std::snprintf(birth, sizeof birth, "%04d-%02d-%02d", year(rng), month(rng), day(rng));
    const std::string name = std::string(family[d10(rng)]) + " " + given[d10(rng)];
    a.fields = {{"name", name, "card"},
                {"kana", "ヤマダ タロウ", "answer"},
                {"address", std::string(town[d5(rng)]) + std::to_string(block(rng)) + "-" +
                                std::to_string(block(rng)) + "-" + std::to_string(block(rng)),
                 "card"},
                {"birth_date", birth, "card"},
                {"sex", d10(rng) % 2 ? "男" : "女", "card"},
                {"phone", "090-" + std::to_string(1000 + d10(rng) * 811) + "-" + std::to_string(2000 + d10(rng) * 733),
                 "answer"},
                {"purpose", "勤務先へ提出", "answer"},
                {"copies", std::to_string(1 + d4(rng)), "answer"},
                {"household", d10(rng) < 5 ? "世帯全員" : "本人のみ", "answer"},
                {"request_date", "2026-12-02", "computed"}};
    return a;
}

// A printer that discards: the page's text is built as a renderer would read it, then dropped.
std::atomic<std::size_t> printed_bytes{0};
void null_print(const ks::Application& a) {
    std::string page = a.id + " " + a.template_ref() + "\n";
    for (const auto& f : a.fields) page += f.id + ": " + f.value + "\n";
    printed_bytes += page.size();
}

struct Shared {
    std::mutex m;
    std::vector<double> submit_ms, take_ms;
    std::set<std::string> taken;
    int double_takes = 0;
    std::map<std::string, int> errors;  // kind -> count
    std::atomic<int> submitted{0}, printed{0}, empty_polls{0};
    void error(const std::exception& e) {
        std::lock_guard lk(m);
        const auto* se = dynamic_cast<const ks::StoreError*>(&e);
        ++errors[se ? ks::to_string(se->kind()) : "other"];
        if (errors.size() == 1 && errors.begin()->second == 1) std::fprintf(stderr, "first error: %s\n", e.what());
    }
};

// One station's work on one application: take (timed), confirm, print, finish.
bool station_cycle(ks::DeskStore& desk, const std::string& staff, Shared& s, std::vector<double>& take_ms) {
    const auto t0 = Clock::now();
    const auto app = desk.take_next(staff);
    if (!app) {
        ++s.empty_polls;
        return false;
    }
    take_ms.push_back(ms_since(t0));
    {
        std::lock_guard lk(s.m);
        if (!s.taken.insert(app->id).second) ++s.double_takes;
    }
    desk.confirm(app->id, staff);
    const auto job = desk.begin_print(app->id, staff, "null");
    null_print(*app);
    desk.print_sent(job.id, "null-" + std::to_string(job.id));
    desk.print_finished(job.id, true, "");
    ++s.printed;
    return true;
}

ks::StoreConfig config_for(const kakanai::test::PgServer& server, const std::string& db, const char* role,
                           const std::filesystem::path& key) {
    ks::StoreConfig c;
    c.backend = ks::StoreConfig::Backend::Postgres;
    c.conninfo = "host=" + server.dir().string() + " port=5432 user=" + role + " dbname=" + db;
    c.private_key_file = key;
    c.public_key_file = std::filesystem::path(key).replace_extension(".pub");
    return c;
}

// Takes recorded twice in the store's own audit log (independent of this program's bookkeeping).
long audit_double_takes(const kakanai::test::PgServer& server, const std::string& db) {
    PGconn* c = PQconnectdb(server.conninfo(db).c_str());
    long n = -1;
    if (PQstatus(c) == CONNECTION_OK) {
        PGresult* r = PQexec(c,
                             "SELECT COUNT(*) FROM (SELECT application_id FROM audit WHERE action = 'take' "
                             "GROUP BY application_id HAVING COUNT(*) > 1) d");
        if (PQresultStatus(r) == PGRES_TUPLES_OK) n = std::atol(PQgetvalue(r, 0, 0));
        PQclear(r);
    }
    PQfinish(c);
    return n;
}

}  // namespace

int main(int argc, char** argv) {
    const Options o = parse(argc, argv);
    ::unsetenv("PGPASSWORD");
    kakanai::test::TempDir dir;
    std::unique_ptr<kakanai::test::PgServer> server;
    try {
        server = std::make_unique<kakanai::test::PgServer>(o.fsync);
    } catch (const std::exception& e) {
        std::printf("no PostgreSQL server: %s\n", e.what());
        return 1;
    }
    const auto key = dir / "store.key";
    const auto setup = [&] {
        const std::string db = server->create_database();
        ks::setup_postgres(server->conninfo(db));
        return db;
    };

    try {
        // ---- baseline: one kiosk alone, then one station alone, on their own database ----
        const std::string base_db = setup();
        ks::open_store(config_for(*server, base_db, ks::kPgStaffRole, key));  // creates the key once
        Shared base;
        std::vector<double> base_submit, base_take;
        {
            auto kiosk = ks::open_kiosk_store(config_for(*server, base_db, ks::kPgKioskRole, key));
            std::mt19937 rng(1);
            for (int i = 0; i < o.baseline; ++i) {
                auto app = resident_application(rng, "kiosk-base");
                const auto t0 = Clock::now();
                kiosk->submit(std::move(app));
                base_submit.push_back(ms_since(t0));
            }
        }
        const auto station_t0 = Clock::now();
        {
            auto desk = ks::open_desk_store(config_for(*server, base_db, ks::kPgStaffRole, key));
            while (station_cycle(*desk, "staff-base", base, base_take)) {
            }
        }
        const double station_s = ms_since(station_t0) / 1000;
        double submit_mean = 0;
        for (double v : base_submit) submit_mean += v;
        submit_mean /= static_cast<double>(base_submit.size());
        // One kiosk and one station working back to back, without pauses.
        const double base_per_hour =
            3600.0 / (submit_mean / 1000 + station_s / std::max(1, base.printed.load()));

        // ---- the hall: kiosks and stations at once ----
        const std::string db = setup();
        Shared s;
        std::vector<std::unique_ptr<ks::KioskStore>> kiosks;
        std::vector<std::unique_ptr<ks::DeskStore>> desks;
        for (int i = 0; i < o.kiosks; ++i)
            kiosks.push_back(ks::open_kiosk_store(config_for(*server, db, ks::kPgKioskRole, key)));
        for (int i = 0; i < o.stations; ++i)
            desks.push_back(ks::open_desk_store(config_for(*server, db, ks::kPgStaffRole, key)));
        std::atomic<bool> stop{false};
        const auto start = Clock::now();
        const auto deadline = start + std::chrono::seconds(o.seconds);
        std::vector<std::thread> threads;
        for (int i = 0; i < o.kiosks; ++i)
            threads.emplace_back([&, i] {
                std::mt19937 rng(1000 + static_cast<unsigned>(i));
                std::uniform_int_distribution<int> pause(o.think_ms / 2, o.think_ms * 3 / 2);
                std::vector<double> mine;
                const std::string station = "kiosk-" + std::to_string(i + 1);
                // Residents do not arrive in step: each kiosk starts somewhere in its first pause.
                std::this_thread::sleep_for(std::chrono::milliseconds(o.think_ms ? rng() % o.think_ms : 0));
                while (!stop && Clock::now() < deadline) {
                    auto app = resident_application(rng, station);
                    const auto t0 = Clock::now();
                    try {
                        kiosks[i]->submit(std::move(app));
                        mine.push_back(ms_since(t0));
                        ++s.submitted;
                    } catch (const std::exception& e) {
                        s.error(e);
                    }
                    const auto next = Clock::now() + std::chrono::milliseconds(pause(rng));
                    while (!stop && Clock::now() < std::min(next, deadline))
                        std::this_thread::sleep_for(std::chrono::milliseconds(50));
                }
                std::lock_guard lk(s.m);
                s.submit_ms.insert(s.submit_ms.end(), mine.begin(), mine.end());
            });
        for (int i = 0; i < o.stations; ++i)
            threads.emplace_back([&, i] {
                std::vector<double> mine;
                const std::string staff = "staff-" + std::to_string(i + 1);
                while (!stop && Clock::now() < deadline) {
                    try {
                        // An empty queue is polled again after a short wait, as a station refreshes it.
                        if (!station_cycle(*desks[i], staff, s, mine))
                            std::this_thread::sleep_for(std::chrono::milliseconds(100));
                    } catch (const std::exception& e) {
                        s.error(e);
                    }
                }
                std::lock_guard lk(s.m);
                s.take_ms.insert(s.take_ms.end(), mine.begin(), mine.end());
            });
        for (auto& t : threads) t.join();
        const double elapsed = ms_since(start) / 1000;
        const long audit_doubles = audit_double_takes(*server, db);

        const double submit_p99 = percentile(s.submit_ms, 0.99), take_p99 = percentile(s.take_ms, 0.99);
        const double base_submit_p99 = percentile(base_submit, 0.99), base_take_p99 = percentile(base_take, 0.99);
        const double per_hour = s.printed * 3600.0 / elapsed;
        const int doubles = std::max<int>(s.double_takes, static_cast<int>(audit_doubles));
        int errors = 0;
        for (const auto& [kind, n] : s.errors) errors += n;

        std::printf("PostgreSQL started for the run, fsync %s; %d kiosks (pause %d ms +-50%%) and %d stations "
                    "for %.1f s\n",
                    o.fsync ? "on" : "off", o.kiosks, o.think_ms, o.stations, elapsed);
        std::printf("submitted %d, printed %d (%.0f/h submitted, %.0f/h printed), %d empty queue polls\n",
                    s.submitted.load(), s.printed.load(), s.submitted * 3600.0 / elapsed, per_hour,
                    s.empty_polls.load());
        std::printf("submit ms: p50 %.1f p95 %.1f p99 %.1f max %.1f (one kiosk alone: p50 %.1f p99 %.1f)\n",
                    percentile(s.submit_ms, 0.5), percentile(s.submit_ms, 0.95), submit_p99,
                    percentile(s.submit_ms, 1), percentile(base_submit, 0.5), base_submit_p99);
        std::printf("take ms:   p50 %.1f p95 %.1f p99 %.1f max %.1f (one station alone: p50 %.1f p99 %.1f)\n",
                    percentile(s.take_ms, 0.5), percentile(s.take_ms, 0.95), take_p99, percentile(s.take_ms, 1),
                    percentile(base_take, 0.5), base_take_p99);
        std::printf("one kiosk + one station back to back: %.0f applications/h; double takes: %d seen by the "
                    "stations, %ld in the audit log; errors: %d\n",
                    base_per_hour, s.double_takes, audit_doubles, errors);
        for (const auto& [kind, n] : s.errors) std::printf("  error %s: %d\n", kind.c_str(), n);

        const auto met = [](bool ok) { return ok ? "met" : "missed"; };
        std::printf("RESULT pg_submit_p99_ms (%d kiosks + %d stations vs one kiosk alone)|%.1f ms|%.1f ms|%.2fx|<= %.0f "
                    "ms|%s\n",
                    o.kiosks, o.stations, submit_p99, base_submit_p99, submit_p99 / std::max(0.001, base_submit_p99),
                    kTargetP99Ms, met(submit_p99 <= kTargetP99Ms && !s.submit_ms.empty()));
        std::printf("RESULT pg_take_p99_ms (%d kiosks + %d stations vs one station alone)|%.1f ms|%.1f ms|%.2fx|<= %.0f "
                    "ms|%s\n",
                    o.kiosks, o.stations, take_p99, base_take_p99, take_p99 / std::max(0.001, base_take_p99),
                    kTargetP99Ms, met(take_p99 <= kTargetP99Ms && !s.take_ms.empty()));
        std::printf("RESULT pg_applications_per_hour (printed; vs one kiosk + one station back to back)|%.0f/h|%.0f/h|"
                    "%.2fx|>= %.0f/h|%s\n",
                    per_hour, base_per_hour, per_hour / std::max(1.0, base_per_hour), kTargetPerHour,
                    met(per_hour >= kTargetPerHour));
        std::printf("RESULT pg_double_takes (%d stations; store errors %d)|%d|-|-|0|%s\n", o.stations, errors, doubles,
                    met(doubles == 0 && audit_doubles == 0));
        return errors == 0 ? 0 : 1;
    } catch (const std::exception& e) {
        std::printf("bench_pg_stations failed: %s\n", e.what());
        return 1;
    }
}
