// The station's desk without a window: commands go in with run(), the flow's
// Events come back from the worker thread, against a temporary SQLite store.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>

#include "application_record.hpp"
#include "delayed_desk_store.hpp"
#include "staff_desk.hpp"
#include "kakanai/forms/prefill.hpp"
#include "kakanai/forms/wareki.hpp"
#include "kakanai/printing/pdf.hpp"
#include "kakanai/store/store.hpp"
#include "test_support.hpp"

using namespace kakanai;
using namespace kakanai::kiosk::staff;
namespace test = kakanai::test;
using namespace std::chrono_literals;

namespace {

// What the desk posts, as the station's inbox would receive it.
class Answers {
public:
    void post(Event e) {
        {
            std::lock_guard lock(mu_);
            q_.push_back(std::move(e));
        }
        cv_.notify_all();
    }
    // The next answer, or nothing after `timeout`.
    std::optional<Event> next(std::chrono::milliseconds timeout = 10s) {
        std::unique_lock lock(mu_);
        if (!cv_.wait_for(lock, timeout, [this] { return !q_.empty(); })) return std::nullopt;
        Event e = std::move(q_.front());
        q_.pop_front();
        return e;
    }
    template <class T>
    T expect(std::chrono::milliseconds timeout = 10s) {
        auto e = next(timeout);
        if (!e) {
            ADD_FAILURE() << "no answer from the desk";
            return T{};
        }
        if (!std::holds_alternative<T>(*e)) {
            ADD_FAILURE() << "the desk answered " << event_name(*e);
            return T{};
        }
        return std::get<T>(std::move(*e));
    }

private:
    std::mutex mu_;
    std::condition_variable cv_;
    std::deque<Event> q_;
};

class DeskTest : public ::testing::Test {
protected:
    DeskTest() {
        store::StoreConfig c = store::sqlite_store_config(dir.path());
        full = store::open_store(c);
        full->set_staff_code("tanaka", "482193", "test");
    }

    // A resident's 住民票 request as the kiosk stores it.
    std::string seed() {
        const forms::Template* t = catalogue.find("juminhyo");
        EXPECT_NE(t, nullptr);
        forms::CardData card{"番号 花子", "東京都千代田区霞が関1丁目1番1号", "1980-04-01", "female", true};
        forms::Answers given;
        for (const auto& f : t->fields) {
            if (f.source != forms::Source::Question) continue;
            if (!f.default_value.empty()) given[f.id] = f.default_value;
            else if (!f.choices.empty()) given[f.id] = f.choices.front().value;
        }
        given["applicant_kana"] = "バンゴウ ハナコ";
        forms::FilledForm form = forms::prefill(*t, card, given, forms::today_iso());
        const std::string id = full->submit(kiosk::to_application(*t, form, "kiosk-1", kiosk::Entry::Card, "verified"));
        form.wipe();
        return id;
    }

    std::unique_ptr<Desk> make_desk(std::shared_ptr<store::DeskStore> desk_store = nullptr) {
        if (!desk_store) desk_store = full;
        return std::make_unique<Desk>(desk_store, full, catalogue, DeskConfig{dir / "out", "counter-1", "", nullptr},
                                      [this](Event e) { answers.post(std::move(e)); });
    }

    static DeskContext as(const std::string& staff) {
        DeskContext c;
        c.staff = staff;
        return c;
    }

    test::TempDir dir;
    forms::Catalogue catalogue = forms::Catalogue::load(test::forms_dir(), forms::today_iso());
    std::shared_ptr<store::Store> full;
    Answers answers;
};

}  // namespace

TEST_F(DeskTest, ChecksALoginCodeAndAnswersWithTheResult) {
    auto desk = make_desk();
    desk->run(cmd::CheckLogin{"tanaka", "482193"}, {});
    const auto ok = answers.expect<ev::LoginResult>();
    EXPECT_EQ(ok.staff, "tanaka");
    EXPECT_TRUE(ok.ok);
    desk->run(cmd::CheckLogin{"tanaka", "111111"}, {});
    const auto wrong = answers.expect<ev::LoginResult>();
    EXPECT_FALSE(wrong.ok);
    EXPECT_EQ(wrong.outcome.tries_left, 4);
    // Four more: the id locks, at this station's name in the audit log.
    for (int i = 0; i < 4; ++i) {
        desk->run(cmd::CheckLogin{"tanaka", "111111"}, {});
        answers.expect<ev::LoginResult>();
    }
    desk->run(cmd::CheckLogin{"tanaka", "482193"}, {});
    const auto locked = answers.expect<ev::LoginResult>();
    EXPECT_EQ(locked.outcome.result, store::LoginOutcome::Result::StaffLocked);
    EXPECT_GT(locked.outcome.locked_until, locked.now);
    desk->run(cmd::CheckStation{}, {});
    EXPECT_FALSE(answers.expect<ev::StationStatus>().locked);
    bool audited = false;
    for (const auto& e : full->audit(0, INT64_MAX))
        audited |= e.action == "login-locked" && e.detail.find("station=counter-1 ") == 0;
    EXPECT_TRUE(audited);
}

// Take the oldest, correct a field, confirm and print to the folder: each step's
// Event comes back, and the store and the PDF show the result.
TEST_F(DeskTest, TakesCorrectsAndPrintsToTheFolder) {
    const std::string id = seed();
    auto desk = make_desk();
    desk->run(cmd::LoadQueue{}, as("tanaka"));
    const auto loaded = answers.expect<ev::QueueLoaded>();
    ASSERT_EQ(loaded.queue.size(), 1u);
    EXPECT_EQ(loaded.queue[0].app.id, id);

    desk->run(cmd::Take{""}, as("tanaka"));
    const auto opened = answers.expect<ev::Opened>();
    EXPECT_EQ(opened.app.id, id);
    EXPECT_EQ(opened.app.taken_by, "tanaka");
    EXPECT_TRUE(opened.issues.empty());

    DeskContext review = as("tanaka");
    review.template_id = "juminhyo";
    desk->run(cmd::Correct{id, "applicant_kana", "バンゴウ ハナエ", {"typo"}}, review);
    const auto corrected = answers.expect<ev::Opened>();
    std::string kana;
    for (const auto& f : corrected.app.fields)
        if (f.id == "applicant_kana") kana = f.value;
    EXPECT_EQ(kana, "バンゴウ ハナエ");

    desk->run(cmd::Print{id, "folder", true, {}, {}}, review);
    const auto printed = answers.expect<ev::PrintUpdate>();
    EXPECT_EQ(printed.job.status, store::PrintStatus::Done);
    EXPECT_TRUE(printed.reason.empty());
    EXPECT_NE(printed.job.id, 0);
    EXPECT_TRUE(std::filesystem::is_regular_file(printing::application_pdf_path(dir / "out", id)));
    EXPECT_EQ(full->get(id)->state, store::State::Printed);
    EXPECT_TRUE(full->unfinished_print_jobs().empty());
}

// A store error reaches staff as its kind's message key, never as the database's words.
TEST_F(DeskTest, AStoreErrorAnswersWithItsMessageKey) {
    const std::string id = seed();
    full->take(id, "suzuki");  // open at another station
    auto desk = make_desk();
    desk->run(cmd::Take{id}, as("tanaka"));
    const auto failed = answers.expect<ev::Failed>();
    EXPECT_EQ(failed.key, "store.taken");
    EXPECT_TRUE(failed.detail.empty());
    desk->run(cmd::Take{"no-such-id"}, as("tanaka"));
    EXPECT_EQ(answers.expect<ev::Failed>().key, "desk.not_found");
}

// Locking drops what was queued and gives back the application the desk took.
TEST_F(DeskTest, LockGivesTheTakenApplicationBack) {
    const std::string id = seed();
    auto desk = make_desk();
    desk->run(cmd::Take{""}, as("tanaka"));
    EXPECT_EQ(answers.expect<ev::Opened>().app.taken_by, "tanaka");
    desk->drop_queued();
    desk->lock();
    desk.reset();  // waits for the lock's release
    EXPECT_TRUE(full->get(id)->taken_by.empty());
    auto again = full->take_next("suzuki");
    ASSERT_TRUE(again.has_value());
    EXPECT_EQ(again->id, id);
}

// A slow database server (every call 300 ms): run() returns at once, the
// refresh is reported under way, and the answer comes later.
TEST_F(DeskTest, ASlowStoreNeverBlocksTheCaller) {
    seed();
    auto slow = std::make_shared<DelayedDeskStore>(full, 300ms);
    auto desk = make_desk(slow);
    const auto t0 = std::chrono::steady_clock::now();
    desk->run(cmd::LoadQueue{}, as("tanaka"));
    desk->run(cmd::Take{""}, as("tanaka"));
    const auto took = std::chrono::steady_clock::now() - t0;
    EXPECT_LT(took, 50ms) << "run() waited on the store";
    EXPECT_TRUE(desk->refreshing());
    EXPECT_FALSE(desk->idle());
    EXPECT_FALSE(answers.next(100ms).has_value()) << "answered before the store did";
    EXPECT_EQ(answers.expect<ev::QueueLoaded>().queue.size(), 1u);
    EXPECT_EQ(answers.expect<ev::Opened>().app.taken_by, "tanaka");  // in order
    const auto all = std::chrono::steady_clock::now() - t0;
    EXPECT_GE(all, 600ms);
    for (int i = 0; i < 100 && !desk->idle(); ++i) std::this_thread::sleep_for(10ms);
    EXPECT_TRUE(desk->idle());
    EXPECT_FALSE(desk->refreshing());
}

// What a command carries that is secret is zeroed by wipe().
TEST(DeskWipe, ZeroesPinsCodesAndValues) {
    Command print = cmd::Print{"a", "folder", false, {}, "1234"};
    wipe(print);
    EXPECT_EQ(std::get<cmd::Print>(print).pin.find_first_not_of('\0'), std::string::npos);
    Command login = cmd::CheckLogin{"tanaka", "482193"};
    wipe(login);
    EXPECT_EQ(std::get<cmd::CheckLogin>(login).code.find_first_not_of('\0'), std::string::npos);
    Command manual = cmd::SubmitManual{"juminhyo", {{"name", "番号 花子"}}};
    wipe(manual);
    EXPECT_TRUE(std::get<cmd::SubmitManual>(manual).values.empty());
}

#if KAKANAI_TEST_HOOKS
// The print-time card read (the 個人番号 for 国民健康保険) refuses a card whose
// data fails the authenticity check: a clear message key, no print job, no file.
TEST_F(DeskTest, APrintTimeReadOfACardFailingTheCheckPrintsNothing) {
    const forms::Template* t = catalogue.find("kokuho_shutoku");
    ASSERT_NE(t, nullptr);
    ASSERT_FALSE(forms::fields_bound_to(*t, "card.my_number").empty());
    for (const char* card : {"tampered", "bad_signature", "no_integrity"}) {
        forms::CardData data{"番号 花子", "東京都千代田区霞が関1丁目1番1号", "1980-04-01", "female", true};
        forms::Answers given{{"applicant_kana", "バンゴウ ハナコ"}, {"acquired_date", "2026-11-01"}};
        forms::FilledForm form = forms::prefill(*t, data, given, forms::today_iso());
        const std::string id = full->submit(kiosk::to_application(*t, form, "kiosk-1", kiosk::Entry::Card, "consistent"));
        form.wipe();
        auto desk = make_desk();
        desk->use_virtual_card(test::card_profile(card));
        DeskContext review = as("tanaka");
        review.template_id = "kokuho_shutoku";
        desk->run(cmd::Print{id, "kakanai-missing-queue", true, {}, "1234"}, review);
        const auto refused = answers.expect<ev::PrintUpdate>();
        EXPECT_EQ(refused.job.status, store::PrintStatus::Failed) << card;
        EXPECT_EQ(refused.reason_key, "desk.card_refused") << card;
        EXPECT_EQ(refused.job.id, 0) << card;
        EXPECT_TRUE(full->print_jobs(id).empty()) << card;
        EXPECT_TRUE(!std::filesystem::exists(dir / "out") || std::filesystem::is_empty(dir / "out")) << card;
    }
}
#endif

// The heartbeat renews the lease of the application the desk holds (so another
// station cannot take it however long the clerk reads), and brings the calls;
// 対応する answers them as the clerk, or as the station when nobody is logged in.
TEST_F(DeskTest, HeartbeatRenewsTheHeldLeaseAndCallsAreAnswered) {
    auto t = std::make_shared<std::atomic<std::int64_t>>(1'900'000'000);
    store::StoreConfig c = store::sqlite_store_config(dir.path());
    c.clock = [t] { return t->load(); };
    std::shared_ptr<store::Store> timed = store::open_store(c);
    const std::string id = seed();
    auto desk = make_desk(timed);
    desk->run(cmd::Take{""}, as("tanaka"));
    EXPECT_EQ(answers.expect<ev::Opened>().app.id, id);
    for (int i = 0; i < 4; ++i) {  // 4 x 100 s, longer than the 120 s lease, with a heartbeat each time
        *t += 100;
        desk->run(cmd::Heartbeat{}, as("tanaka"));
        EXPECT_TRUE(answers.expect<ev::CallsLoaded>().calls.empty());
        EXPECT_FALSE(timed->take_next("suzuki").has_value()) << "taken after " << (i + 1) * 100 << " s";
    }
    auto kiosk = store::open_kiosk_store(c);
    const std::int64_t first = kiosk->raise_call("kiosk-1", "forgot_pin");
    const std::int64_t second = kiosk->raise_call("kiosk-2", "help");
    desk->run(cmd::Heartbeat{}, {});  // locked station: calls come all the same
    const auto calls = answers.expect<ev::CallsLoaded>().calls;
    ASSERT_EQ(calls.size(), 2u);
    EXPECT_EQ(calls[0].reason, "help");
    desk->run(cmd::AcknowledgeCalls{{first}}, as("tanaka"));
    ASSERT_EQ(answers.expect<ev::CallsLoaded>().calls.size(), 1u);
    EXPECT_EQ(kiosk->call(first)->acknowledged_by, "tanaka");
    desk->run(cmd::AcknowledgeCalls{{second}}, {});
    EXPECT_TRUE(answers.expect<ev::CallsLoaded>().calls.empty());
    EXPECT_EQ(kiosk->call(second)->acknowledged_by, "counter-1");
    // Without heartbeats (the station died) the lease runs out.
    *t += 121;
    EXPECT_EQ(timed->take_next("suzuki")->id, id);
}
