// kakanai-report monthly on a store seeded with a month of kiosk sessions
// (a fixed pseudo-random seed): the PDF shows the charts' titles and the
// month's figures, and every sum in the CSV matches what was stored.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <sstream>
#include <vector>

#include "kakanai/store/monthly.hpp"
#include "kakanai/store/store.hpp"
#include "test_support.hpp"

using namespace kakanai::store;
using kakanai::test::run;
using kakanai::test::shell_quote;
using kakanai::test::TempDir;

namespace {

std::int64_t local(int year, int month, int day, int hour, int minute) {
    std::tm tm{};
    tm.tm_year = year - 1900;
    tm.tm_mon = month - 1;
    tm.tm_mday = day;
    tm.tm_hour = hour;
    tm.tm_min = minute;
    tm.tm_isdst = -1;
    return static_cast<std::int64_t>(std::mktime(&tm));
}

struct Lcg {
    std::uint64_t s;
    unsigned next(unsigned n) {
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        return static_cast<unsigned>((s >> 33) % n);
    }
};

std::string with_commas(long v) {
    std::string s = std::to_string(v);
    for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3) s.insert(static_cast<std::size_t>(i), ",");
    return s;
}

std::string slurp(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), {});
}

struct Expected {
    int visits = 0, sessions = 0, completed = 0, without_help = 0, forms = 0;
    std::map<std::string, int> forms_by_procedure, visits_by_procedure, calls;
    std::array<int, 5> ratings{};
};

// 300 sessions and 200 ratings in November 2026, a few on either side of it;
// every finished session submits a visit (a visit number of its day).
// The store's clock, moved to each seeded session so its calls are raised then.
std::int64_t g_now = 0;

Expected seed(Store& store) {
    const std::vector<std::string> ids{"juminhyo", "inkan", "koseki", "tennyu", "jidou_teate", "kokuho_shutoku"};
    Lcg rng{20261101};
    Expected e;
    auto session = [&](std::int64_t start, bool count) {
        KioskSession s;
        s.station = "kiosk-" + std::to_string(1 + rng.next(2));
        s.started_at = start;
        s.ended_at = start + 60 + rng.next(600);
        s.taps = static_cast<int>(8 + rng.next(20));
        std::set<std::string> chosen;
        const unsigned n = rng.next(4);  // 0: left at the welcome screen
        while (chosen.size() < n) chosen.insert(ids[rng.next(static_cast<unsigned>(ids.size()))]);
        s.templates.assign(chosen.begin(), chosen.end());
        s.refused = rng.next(40) == 0;
        s.card_read = !s.refused && rng.next(8) != 0;
        s.completed = !s.refused && !s.templates.empty() && (s.card_read ? rng.next(6) != 0 : rng.next(3) == 0);
        s.language = "ja";
        store.record_session(s);
        // The calls the kiosk raised in this session, recorded by the store (schema 7).
        g_now = start + 30;
        std::vector<std::string> calls;
        if (s.refused) calls.push_back("card_refused");
        else if (!s.card_read && !s.completed && !s.templates.empty()) calls.push_back(rng.next(2) ? "no_card" : "forgot_pin");
        if (rng.next(10) == 0) calls.push_back("help");
        for (const auto& reason : calls) store.raise_call(s.station, reason);
        // A finished session submits its forms as one visit, with the day's next number.
        if (s.completed) {
            std::vector<Application> apps;
            for (const auto& t : s.templates) {
                Application a;
                a.template_id = t;
                a.template_version = 1;
                a.station = s.station;
                a.fields = {{"copies", "1", "question", ""}};
                apps.push_back(a);
            }
            g_now = s.ended_at;
            store.submit_visit(std::move(apps), "ja");
        }
        if (!count) return;
        for (const auto& reason : calls) ++e.calls[reason];
        ++e.sessions;
        if (s.completed) ++e.visits;
        for (const auto& t : s.templates) ++e.visits_by_procedure[t];
        if (s.completed) {
            ++e.completed;
            if (s.card_read) ++e.without_help;
            for (const auto& t : s.templates) ++e.forms_by_procedure[t];
            e.forms += static_cast<int>(s.templates.size());
        }
    };
    for (int i = 0; i < 300; ++i)
        session(local(2026, 11, static_cast<int>(1 + rng.next(30)), static_cast<int>(8 + rng.next(9)),
                      static_cast<int>(rng.next(60))),
                true);
    for (int i = 0; i < 4; ++i) session(local(2026, 10, 31, 16, i), false);
    for (int i = 0; i < 4; ++i) session(local(2026, 12, 1, 9, i), false);
    for (int i = 0; i < 200; ++i) {
        const int score = static_cast<int>(1 + rng.next(5));
        store.record_rating({"kiosk-1", local(2026, 11, static_cast<int>(1 + rng.next(30)), 12, 0), score});
        ++e.ratings[static_cast<std::size_t>(score - 1)];
    }
    store.record_rating({"kiosk-1", local(2026, 12, 1, 10, 0), 1});
    return e;
}

// section,item,metric -> value
std::map<std::string, std::string> read_csv(const std::string& text) {
    std::map<std::string, std::string> out;
    std::istringstream in(text);
    std::string line;
    std::getline(in, line);
    EXPECT_EQ(line, "section,item,metric,value");
    while (std::getline(in, line)) {
        const auto last = line.rfind(',');
        out[line.substr(0, last)] = line.substr(last + 1);
    }
    return out;
}

int num(const std::map<std::string, std::string>& csv, const std::string& key) {
    const auto it = csv.find(key);
    if (it == csv.end()) {
        ADD_FAILURE() << "no CSV row " << key;
        return -1;
    }
    return std::stoi(it->second);
}

}  // namespace

TEST(MonthlyReport, PdfShowsTheChartsAndCsvSumsMatchTheStore) {
    // The month's bounds (local time, here and in kakanai-report) and the day
    // of a visit's number (the store's time_zone, Asia/Tokyo) agree, as in a town hall.
    ::setenv("TZ", "Asia/Tokyo", 1);
    ::tzset();
    TempDir dir;
    const auto db = dir / "s.db", key = dir / "s.key";
    Expected e;
    {
        open_sqlite(db, key);  // makes the key pair
        StoreConfig config;
        config.sqlite_path = db;
        config.private_key_file = key;
        config.public_key_file = std::filesystem::path(key).replace_extension(".pub");
        config.clock = [] { return g_now; };
        auto store = open_store(config);
        e = seed(*store);
        // An application with a name: nothing of it may reach the report.
        Application a;
        a.template_id = "juminhyo";
        a.template_version = 1;
        a.station = "kiosk-1";
        a.fields = {{"applicant_name", "見本　春子", "card", ""}};
        store->submit(a);
        // Retention purges every application and with it every visit row; the
        // day's visit counters stay, and they are what the report counts.
        g_now = local(2026, 12, 20, 12, 0);
        PurgePolicy all;
        all.submitted = std::chrono::hours(1);
        EXPECT_GT(store->purge(all, nullptr).purged, 100);
        EXPECT_FALSE(store->visit("2026-11-02", 1)) << "the visit went with its applications";
    }
    const std::string tool = (kakanai::test::binary_dir() / "tools/kakanai-report").string();
    const auto pdf = dir / "report.pdf", csv = dir / "report.csv";
    const auto r = run(tool + " --db " + shell_quote(db.string()) + " --key " + shell_quote(key.string()) +
                       " --minutes-per-form 6 monthly --month 2026-11 --out " + shell_quote(pdf.string()) + " --csv " +
                       shell_quote(csv.string()) + " --forms " + shell_quote(kakanai::test::forms_dir().string()) +
                       " 2>&1");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    // To look at the pages: KAKANAI_KEEP_REPORT=DIR keeps a copy of both files.
    if (const char* keep = std::getenv("KAKANAI_KEEP_REPORT")) {
        std::filesystem::copy_file(pdf, std::filesystem::path(keep) / "monthly.pdf",
                                   std::filesystem::copy_options::overwrite_existing);
        std::filesystem::copy_file(csv, std::filesystem::path(keep) / "monthly.csv",
                                   std::filesystem::copy_options::overwrite_existing);
    }

    // The figures as CSV: every sum matches the sessions and ratings stored for November.
    const auto c = read_csv(slurp(csv));
    EXPECT_EQ(num(c, "summary,,visits"), e.visits);
    EXPECT_EQ(num(c, "summary,,kiosk_sessions"), e.sessions);
    EXPECT_LT(e.visits, e.sessions) << "sessions left unfinished are no visits";
    EXPECT_EQ(num(c, "summary,,completed"), e.completed);
    EXPECT_EQ(num(c, "summary,,completed_without_help"), e.without_help);
    EXPECT_EQ(num(c, "summary,,forms"), e.forms);
    EXPECT_EQ(c.at("summary,,staff_minutes_saved"), std::to_string(e.forms * 6) + ".0");
    int week_visits = 0, week_forms = 0, procedure_forms = 0, ratings = 0;
    std::map<std::string, int> by_week_of_procedure;
    for (const auto& [k, v] : c) {
        if (k.rfind("week,", 0) == 0 && k.find(",visits") != std::string::npos) week_visits += std::stoi(v);
        if (k.rfind("week,", 0) == 0 && k.find(",forms") != std::string::npos) week_forms += std::stoi(v);
        if (k.rfind("procedure,", 0) == 0 && k.find(",forms") != std::string::npos) procedure_forms += std::stoi(v);
        if (k.rfind("procedure_week,", 0) == 0) by_week_of_procedure[k.substr(15, k.find(',', 15) - 15)] += std::stoi(v);
        if (k.rfind("rating,", 0) == 0 && k.find(",count") != std::string::npos) ratings += std::stoi(v);
    }
    EXPECT_EQ(week_visits, e.visits);
    EXPECT_EQ(week_forms, e.forms);
    EXPECT_EQ(procedure_forms, e.forms);
    EXPECT_EQ(ratings, 200);
    for (const auto& [id, n] : e.forms_by_procedure) {
        EXPECT_EQ(num(c, "procedure," + id + ",forms"), n) << id;
        EXPECT_EQ(by_week_of_procedure[id], n) << id;
    }
    for (const auto& [id, n] : e.visits_by_procedure) EXPECT_EQ(num(c, "procedure," + id + ",visits"), n) << id;
    for (int i = 0; i < 5; ++i)
        EXPECT_EQ(num(c, "rating," + std::to_string(i + 1) + ",count"), e.ratings[static_cast<std::size_t>(i)]);
    for (const auto& [reason, n] : e.calls) EXPECT_EQ(num(c, "staff_call," + reason + ",count"), n) << reason;
    // 1 November 2026 is a Sunday: weeks start on Mondays, cut at the month's ends.
    std::vector<std::string> weeks;
    for (const auto& [k, v] : c)
        if (k.rfind("week,", 0) == 0 && k.find(",visits") != std::string::npos) weeks.push_back(k.substr(5, 10));
    EXPECT_EQ(weeks, (std::vector<std::string>{"2026-11-01", "2026-11-02", "2026-11-09", "2026-11-16", "2026-11-23",
                                               "2026-11-30"}));
    EXPECT_GT(num(c, "summary,,procedures_on_system"), 40);

    // The PDF: 2-4 A4 pages with the charts' titles and the figures.
    const auto info = run("pdfinfo " + shell_quote(pdf.string()));
    ASSERT_EQ(info.exit_code, 0);
    EXPECT_NE(info.output.find("Pages:           3\n"), std::string::npos) << info.output;
    EXPECT_NE(info.output.find("595.276 x 841.89 pts (A4)"), std::string::npos) << info.output;
    const auto text = run("pdftotext -layout " + shell_quote(pdf.string()) + " -");
    ASSERT_EQ(text.exit_code, 0);
    const std::string& t = text.output;
    for (const char* title : {"書かない窓口 月次報告", "2026年11月", "主な数値", "週ごとの利用件数と申請書の枚数",
                              "1件あたりの操作回数と時間", "手続きごとの申請書の枚数", "手続きごとの利用件数と申請書（週別）",
                              "満足度（5段階）の分布", "職員の呼び出し（理由別）", "職員の手助けなしで完了した割合",
                              "削減できた職員の時間（推計）", "住民票の写し等交付請求書"})
        EXPECT_NE(t.find(title), std::string::npos) << title << "\n" << t;
    // Figures, with the spaces pdftotext may or may not keep removed.
    std::string packed;
    for (char ch : t)
        if (ch != ' ') packed += ch;
    EXPECT_NE(packed.find("利用件数（受付番号の数）" + std::to_string(e.visits) + "件"), std::string::npos) << t;
    EXPECT_NE(packed.find("キオスクでの手続き（途中でやめたものを含む）" + std::to_string(e.sessions) + "件"),
              std::string::npos)
        << t;
    EXPECT_NE(packed.find("作成した申請書" + with_commas(e.forms) + "枚"), std::string::npos) << t;
    EXPECT_NE(packed.find("（推計）" + with_commas(e.forms * 6) + "分"), std::string::npos) << t;
    EXPECT_NE(packed.find("住民票の写し等交付請求書" + std::to_string(e.forms_by_procedure["juminhyo"]) + "枚"),
              std::string::npos)
        << t;
    // No personal data in either file.
    for (const std::string& f : {t, slurp(csv)}) {
        EXPECT_EQ(f.find("見本"), std::string::npos);
        EXPECT_EQ(f.find("春子"), std::string::npos);
    }
}

TEST(MonthlyReport, RefusesABadMonthAndNeverOverwrites) {
    TempDir dir;
    const auto db = dir / "s.db", key = dir / "s.key";
    open_sqlite(db, key);
    const std::string tool = (kakanai::test::binary_dir() / "tools/kakanai-report").string() + " --db " +
                             shell_quote(db.string()) + " --key " + shell_quote(key.string()) + " monthly --forms " +
                             shell_quote(kakanai::test::forms_dir().string());
    EXPECT_EQ(run(tool + " --month 2026-13 --out " + shell_quote((dir / "a.pdf").string()) + " 2>/dev/null").exit_code, 2);
    EXPECT_EQ(run(tool + " --month 2026-11 --out " + shell_quote((dir / "a.pdf").string()) + " 2>&1").exit_code, 0);
    EXPECT_EQ(run(tool + " --month 2026-11 --out " + shell_quote((dir / "a.pdf").string()) + " 2>/dev/null").exit_code, 1);
}

TEST(MonthlyReport, CallsEstimatedFromSessions) {
    std::vector<KioskSession> s(4);
    s[0].refused = true;
    s[1].templates = {"juminhyo"};  // chose an errand, no card, did not finish
    s[2].templates = {"juminhyo"};
    s[2].completed = true;  // finished without the card
    s[3].templates = {"juminhyo"};
    s[3].card_read = true;
    const auto calls = staff_calls_from_sessions(s);
    ASSERT_EQ(calls.size(), 2u);
    EXPECT_EQ(calls[0].reason, "card_refused");
    EXPECT_EQ(calls[1].reason, "no_card_read");
}
