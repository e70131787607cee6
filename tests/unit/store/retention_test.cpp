// [retention] in kakanai.toml and `kakanai-report --config FILE purge`, as
// kakanai-purge.timer runs it: every state's rows and PDFs past their age go,
// the rest stays.
#include <gtest/gtest.h>

#include <atomic>
#include <algorithm>
#include <ctime>
#include <fstream>
#include <map>

#include "kakanai/store/retention.hpp"
#include "kakanai/store/store.hpp"
#include "test_support.hpp"

using namespace kakanai::store;
using kakanai::test::run;
using kakanai::test::shell_quote;
using kakanai::test::TempDir;

namespace {

std::string config_error(const std::string& toml) {
    try {
        parse_retention(toml, "/etc/kakanai/kakanai.toml");
    } catch (const StoreError& e) {
        EXPECT_EQ(e.kind(), StoreErrorKind::Config);
        return e.what();
    }
    return "";
}

}  // namespace

TEST(Retention, DefaultsAndSettings) {
    const PurgePolicy d = parse_retention("station = \"k\"\n", "k.toml");
    EXPECT_EQ(d.stale_draft, std::chrono::hours(1));
    EXPECT_EQ(d.submitted, std::chrono::hours(168));
    EXPECT_EQ(d.confirmed, std::chrono::hours(168));
    EXPECT_EQ(d.printed, std::chrono::hours(24));
    EXPECT_EQ(d.cancelled, std::chrono::hours(24));
    const PurgePolicy p = parse_retention(
        "[retention]\ndraft_hours = 2\nsubmitted_hours = 72\nconfirmed_hours = 48\nprinted_hours = 0\ncancelled_hours = 6\n",
        "k.toml");
    EXPECT_EQ(p.age_of(State::Draft), std::chrono::hours(2));
    EXPECT_EQ(p.age_of(State::Submitted), std::chrono::hours(72));
    EXPECT_EQ(p.age_of(State::Confirmed), std::chrono::hours(48));
    EXPECT_EQ(p.age_of(State::Printed), std::chrono::hours(0));
    EXPECT_EQ(p.age_of(State::Cancelled), std::chrono::hours(6));
    // Only what the file sets changes.
    EXPECT_EQ(parse_retention("[retention]\nprinted_hours = 3\n", "k.toml").submitted, std::chrono::hours(168));
}

TEST(Retention, EveryBadValueNamesFileAndKey) {
    const std::map<std::string, std::string> bad = {
        {"[retention]\nprinted_hours = \"24\"\n", "retention.printed_hours: must be a whole number of hours from 0 to 8784"},
        {"[retention]\ncancelled_hours = -1\n", "retention.cancelled_hours: must be a whole number of hours from 0"},
        {"[retention]\nsubmitted_hours = 0\n", "retention.submitted_hours: must be a whole number of hours from 1 to"},
        {"[retention]\nconfirmed_hours = 8785\n", "retention.confirmed_hours: must be a whole number of hours from 1 to 8784"},
        {"[retention]\ndraft_hours = 1.5\n", "retention.draft_hours: must be a whole number"},
        {"[retention]\nprinted_days = 1\n", "retention.printed_days: unknown setting"},
        {"retention = 24\n", "retention must be a table"},
    };
    for (const auto& [toml, want] : bad) {
        const std::string got = config_error(toml);
        EXPECT_EQ(got.rfind("/etc/kakanai/kakanai.toml: ", 0), 0u) << toml << " -> " << got;
        EXPECT_NE(got.find(want), std::string::npos) << toml << " -> " << got;
    }
}

// The purge the timer runs: one run of `kakanai-report --config FILE purge`.
// Each state has one application just past its age and one just inside it
// (their times set through the store's clock, no waiting), each with a PDF and
// a reprint in paths.output.
TEST(Retention, TimerPurgeDeletesRowsAndPdfsPastTheirAgeAndKeepsTheRest) {
    TempDir dir;
    const auto out = dir / "out";
    std::filesystem::create_directories(out);
    {
        std::ofstream f(dir / "kakanai.toml");
        f << "[paths]\noutput = " << '"' << out.string() << '"' << "\n"
          << "[store]\npath = \"store.db\"\nkey_file = \"store.key\"\n"
          << "[retention]\ndraft_hours = 1\nsubmitted_hours = 48\nconfirmed_hours = 72\nprinted_hours = 24\n"
             "cancelled_hours = 12\n";
    }
    const PurgePolicy policy = load_retention(dir / "kakanai.toml");
    const auto at = std::make_shared<std::atomic<std::int64_t>>(0);
    StoreConfig c = load_store_config(dir / "kakanai.toml");
    c.clock = [at] { return at->load(); };
    const std::int64_t now = std::time(nullptr);
    const std::int64_t margin = 30 * 60;  // far more than the test takes
    struct Made {
        std::string id;
        State state;
        bool past;
    };
    std::vector<Made> apps;
    {
        auto store = open_store(c);
        Application a;
        a.template_id = "juminhyo";
        a.template_version = 1;
        a.department = "市民課";
        a.station = "kiosk-1";
        a.fields = {{"applicant_name", "保存 試験", "card", ""}};
        for (const State s : {State::Draft, State::Submitted, State::Confirmed, State::Printed, State::Cancelled}) {
            for (const bool past : {true, false}) {
                *at = now - policy.age_of(s).count() + (past ? -margin : margin);
                std::string id;
                if (s == State::Draft) {
                    id = store->save_draft(a);
                } else {
                    id = store->submit(a);
                    if (s == State::Confirmed || s == State::Printed) store->confirm(id, "staff-1");
                    if (s == State::Printed) store->print_finished(store->begin_print(id, "staff-1", "p").id, true, "");
                    if (s == State::Cancelled) store->cancel(id, "staff-1", {"withdrawn"});
                }
                ASSERT_EQ(store->get(id)->state, s);
                apps.push_back({id, s, past});
                std::ofstream(out / (id + ".pdf")) << "%PDF-1.4 " << id;
                std::ofstream(out / (id + "-2.pdf")) << "%PDF-1.4 " << id;
            }
        }
        *at = now;
        store->record_session({"kiosk-1", now - 60, now, 7, {"juminhyo"}, true, true, false, "ja"});
    }
    std::ofstream(out / "notes.txt") << "not ours to delete";
    // A PDF whose application another station purged, older than any application may live.
    const auto longest = policy.stale_draft + policy.submitted + policy.confirmed + std::max(policy.printed, policy.cancelled);
    std::ofstream(out / "Zorphan0001.pdf") << "%PDF-1.4";
    std::filesystem::last_write_time(out / "Zorphan0001.pdf",
                                     std::filesystem::file_time_type::clock::now() - longest - std::chrono::hours(1));
    std::ofstream(out / "Zorphan0002.pdf") << "%PDF-1.4";
    std::filesystem::last_write_time(out / "Zorphan0002.pdf",
                                     std::filesystem::file_time_type::clock::now() - longest + std::chrono::hours(1));

    const std::string tool = (kakanai::test::binary_dir() / "tools/kakanai-report").string();
    const auto r = run(tool + " --config " + shell_quote((dir / "kakanai.toml").string()) + " purge 2>&1");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("purged 5 applications"), std::string::npos) << r.output;

    c.clock = {};
    auto store = open_store(c);
    for (const auto& a : apps) {
        const std::string what = std::string(to_string(a.state)) + (a.past ? " past its age" : " inside its age");
        EXPECT_EQ(store->get(a.id).has_value(), !a.past) << what;
        EXPECT_EQ(std::filesystem::exists(out / (a.id + ".pdf")), !a.past) << what;
        EXPECT_EQ(std::filesystem::exists(out / (a.id + "-2.pdf")), !a.past) << what;
        if (a.past) {
            const auto audit = store->audit_lines(a.id);
            ASSERT_FALSE(audit.empty()) << what;
            EXPECT_NE(audit.back().find("retention purge"), std::string::npos) << what;
        }
    }
    EXPECT_TRUE(std::filesystem::exists(out / "notes.txt"));
    EXPECT_FALSE(std::filesystem::exists(out / "Zorphan0001.pdf"));
    EXPECT_TRUE(std::filesystem::exists(out / "Zorphan0002.pdf"));
    EXPECT_NE(r.output.find("removed 1 PDFs older than any application may live"), std::string::npos) << r.output;
    // The KPIs are kept.
    EXPECT_EQ(store->sessions(now - 3600, now + 3600).size(), 1u);
}
