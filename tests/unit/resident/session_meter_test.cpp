// The KPIs a kiosk session leaves in the store: one record per session, finished
// or abandoned, and the rating; kakanai-report's figures come out of them.
#include <gtest/gtest.h>

#include "flow.hpp"
#include "kakanai/store/report.hpp"
#include "session_meter.hpp"
#include "test_support.hpp"

using namespace kakanai::kiosk;
namespace store = kakanai::store;

namespace {

Errand errand() {
    Errand e;
    e.id = "form:juminhyo";
    e.template_ids = {"juminhyo"};
    return e;
}

kakanai::cardreader::CardInfo resident() {
    kakanai::cardreader::CardInfo c;
    c.name = "番号 花子";
    c.address = "東京都千代田区";
    c.birth_date = "1980-02-17";
    c.authenticity = kakanai::cardreader::Authenticity::Consistent;
    return c;
}

// The kiosk's command layer in small: taps count before the event they make,
// the meter sees every state, ratings and finished sessions go to the store.
struct Kiosk {
    explicit Kiosk(store::Store& d) : db(d) {}
    store::Store& db;
    SessionMeter meter{"本庁舎 1番"};
    State state;
    std::int64_t now = 1'800'000'000;
    int sessions_recorded = 0;

    void event(const Event& e, bool tapped = true) {
        if (tapped) meter.tap(now);
        Transition t = next(std::move(state), e);
        state = std::move(t.state);
        if (auto s = meter.after(state, e, now)) {
            db.record_session(*s);
            ++sessions_recorded;
        }
        for (const auto& c : t.commands)
            if (const auto* r = std::get_if<cmd::RecordRating>(&c)) db.record_rating({"本庁舎 1番", now, r->faces});
        now += 5;
    }
};

}  // namespace

TEST(SessionMeter, FinishedAndAbandonedSessionsReachTheReport) {
    kakanai::test::TempDir dir;
    auto db = store::open_sqlite(dir / "store.db", dir / "store.key");
    Kiosk k(*db);
    k.event(ev::ReaderReady{true}, false);
    k.event(ev::CardInserted{"Virtual PCD 00 00"}, false);
    EXPECT_FALSE(k.meter.open());  // a card alone is no session
    k.event(ev::SetLanguage{"en"});
    k.event(ev::Start{});
    k.event(ev::ChooseErrand{errand()});
    for (char d : {'1', '2', '3', '4'}) k.event(ev::PinDigit{d});
    k.event(ev::PinSubmit{});
    k.event(ev::ReadOk{resident()}, false);
    k.event(ev::ConfirmYes{});
    kakanai::forms::FilledForm f;
    f.template_id = "juminhyo";
    k.event(ev::FormsFilled{{f}}, false);
    k.event(ev::Submit{});
    k.event(ev::Submitted{{"A-TEST-0001"}, 0, {}, {}}, false);
    k.event(ev::Rate{4});
    EXPECT_EQ(k.sessions_recorded, 0);
    k.event(ev::Finish{});
    EXPECT_EQ(k.sessions_recorded, 1);

    // The next resident chooses a form and walks away: the timeout wipe ends it.
    k.event(ev::Start{});
    k.event(ev::ChooseErrand{errand()});
    k.event(ev::Idle{60}, false);
    EXPECT_EQ(k.sessions_recorded, 1);  // only asked "still there?"
    k.event(ev::Idle{90}, false);
    EXPECT_EQ(k.sessions_recorded, 2);
    k.event(ev::Idle{91}, false);
    EXPECT_EQ(k.sessions_recorded, 2);  // exactly once
    EXPECT_FALSE(k.meter.close(k.now));

    const auto sessions = db->sessions(0, k.now + 1);
    ASSERT_EQ(sessions.size(), 2u);
    const auto& done = sessions[0];
    EXPECT_EQ(done.station, "本庁舎 1番");
    EXPECT_EQ(done.taps, 12);  // language, start, errand, 4 digits, PIN ok, yes, submit, rating, finish
    EXPECT_EQ(done.templates, std::vector<std::string>{"juminhyo"});
    EXPECT_TRUE(done.card_read);
    EXPECT_TRUE(done.completed);
    EXPECT_EQ(done.language, "en");
    EXPECT_GT(done.ended_at, done.started_at);
    const auto& left = sessions[1];
    EXPECT_FALSE(left.completed);
    EXPECT_FALSE(left.card_read);
    EXPECT_EQ(left.taps, 2);
    EXPECT_EQ(left.language, "ja");

    const auto ratings = db->ratings(0, k.now + 1);
    ASSERT_EQ(ratings.size(), 1u);
    EXPECT_EQ(ratings[0].score, 4);

    const std::string report = store::kpis_text(store::compute_kpis(*db, 0, k.now + 1, 5.0));
    EXPECT_NE(report.find("Kiosk sessions: 2 (completed 1)"), std::string::npos) << report;
    EXPECT_NE(report.find("4:1"), std::string::npos) << report;
    EXPECT_EQ(report.find("花子"), std::string::npos);
}

TEST(SessionMeter, AStopEndsTheOpenSessionOnce) {
    SessionMeter m("kiosk-1");
    State s;
    m.tap(100);
    auto t = next(s, ev::Start{});
    EXPECT_FALSE(m.after(t.state, ev::Start{}, 101));
    const auto closed = m.close(130);
    ASSERT_TRUE(closed);
    EXPECT_EQ(closed->started_at, 100);
    EXPECT_EQ(closed->ended_at, 130);
    EXPECT_EQ(closed->taps, 1);
    EXPECT_FALSE(closed->completed);
    EXPECT_FALSE(m.close(131));
}

// A card whose data fails the authenticity check: the session is recorded as
// refused, with no card read and nothing submitted (and nothing else stored).
TEST(SessionMeter, ARefusedCardIsRecordedAsRefused) {
    kakanai::test::TempDir dir;
    auto db = store::open_sqlite(dir / "store.db", dir / "store.key");
    Kiosk k(*db);
    k.event(ev::ReaderReady{true}, false);
    k.event(ev::CardInserted{"Virtual PCD 00 00"}, false);
    k.event(ev::Start{});
    k.event(ev::ChooseErrand{errand()});
    for (char d : {'1', '2', '3', '4'}) k.event(ev::PinDigit{d});
    k.event(ev::PinSubmit{});
    k.event(ev::CardRefused{kakanai::cardreader::Authenticity::HashMismatch}, false);
    EXPECT_EQ(k.state.screen, Screen::CardRefused);
    k.event(ev::Finish{});
    ASSERT_EQ(k.sessions_recorded, 1);
    const auto sessions = db->sessions(0, INT64_MAX);
    ASSERT_EQ(sessions.size(), 1u);
    EXPECT_TRUE(sessions[0].refused);
    EXPECT_FALSE(sessions[0].card_read);
    EXPECT_FALSE(sessions[0].completed);
    EXPECT_TRUE(db->queue().empty());
}
