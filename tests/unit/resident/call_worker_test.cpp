// The kiosk's calls for staff against a real SQLite store: raised on the
// worker's thread, answered at a station, forgotten with the session.
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>

#include "call_worker.hpp"
#include "kakanai/store/store.hpp"
#include "test_support.hpp"

using namespace kakanai;
using namespace kakanai::kiosk;
using namespace std::chrono_literals;

namespace {

class Updates {
public:
    void post(Event e) {
        {
            std::lock_guard lock(mu_);
            if (const auto* c = std::get_if<ev::CallUpdate>(&e)) q_.push_back(*c);
        }
        cv_.notify_all();
    }
    std::optional<ev::CallUpdate> next(std::chrono::milliseconds timeout = 10s) {
        std::unique_lock lock(mu_);
        if (!cv_.wait_for(lock, timeout, [this] { return !q_.empty(); })) return std::nullopt;
        const ev::CallUpdate u = q_.front();
        q_.pop_front();
        return u;
    }

private:
    std::mutex mu_;
    std::condition_variable cv_;
    std::deque<ev::CallUpdate> q_;
};

}  // namespace

TEST(CallWorker, ReasonKeysBecomeTheStoresCodes) {
    EXPECT_EQ(call_reason("staff.help"), "help");
    EXPECT_EQ(call_reason("staff.no_card"), "no_card");
    EXPECT_EQ(call_reason("staff.forgot_pin"), "forgot_pin");
    EXPECT_EQ(call_reason("staff.last_try"), "last_try");
    EXPECT_EQ(call_reason("staff.not_me"), "not_me");
    EXPECT_EQ(call_reason("staff.card_refused"), "card_refused");
    EXPECT_EQ(call_reason("error.store_failed"), "store_failed");
    EXPECT_EQ(call_reason("error.print_failed"), "print_failed");
    EXPECT_EQ(call_reason("something.else"), "");
    for (const char* key : {"staff.help", "staff.no_card", "staff.forgot_pin", "staff.last_try", "staff.not_me",
                            "staff.card_refused", "error.store_failed", "error.print_failed"})
        EXPECT_TRUE(store::is_call_reason(call_reason(key))) << key;
}

TEST(CallWorker, RaisesOnceFollowsTheAnswerAndForgetsWithTheSession) {
    test::TempDir dir;
    const store::StoreConfig c = store::sqlite_store_config(dir.path());
    auto station = store::open_store(c);
    Updates updates;
    CallWorker worker([c] { return store::open_kiosk_store(c); }, "kiosk-7", [&](Event e) { updates.post(std::move(e)); },
                      50ms);
    const std::uint64_t session = worker.session();
    worker.raise("staff.no_card");
    auto u = updates.next();
    ASSERT_TRUE(u.has_value());
    EXPECT_EQ(u->status, CallStatus::Raised);
    EXPECT_EQ(u->session, session);
    // Pressed again while nobody answered: still one call at the station.
    worker.raise("staff.help");
    std::this_thread::sleep_for(200ms);
    auto calls = station->open_calls();
    ASSERT_EQ(calls.size(), 1u);
    EXPECT_EQ(calls[0].kiosk, "kiosk-7");
    EXPECT_EQ(calls[0].reason, "no_card");
    ASSERT_TRUE(station->acknowledge_call(calls[0].id, "tanaka"));
    u = updates.next();
    ASSERT_TRUE(u.has_value());
    EXPECT_EQ(u->status, CallStatus::Coming);
    EXPECT_EQ(u->session, session);
    // The next session's call, wiped before anyone answered: its answer never comes.
    worker.raise("staff.help");
    ASSERT_EQ(updates.next()->status, CallStatus::Raised);
    worker.forget();
    EXPECT_NE(worker.session(), session);
    calls = station->open_calls();
    ASSERT_EQ(calls.size(), 1u);
    station->acknowledge_call(calls[0].id, "tanaka");
    EXPECT_FALSE(updates.next(400ms).has_value());
    EXPECT_TRUE(worker.idle());
}

// A store that cannot be reached: the kiosk says it could not call, and shows no error otherwise.
TEST(CallWorker, AStoreThatCannotBeReachedAnswersFailed) {
    Updates updates;
    CallWorker worker([]() -> std::unique_ptr<store::KioskStore> { throw std::runtime_error("no store"); }, "kiosk-7",
                      [&](Event e) { updates.post(std::move(e)); }, 50ms);
    worker.raise("staff.help");
    const auto u = updates.next();
    ASSERT_TRUE(u.has_value());
    EXPECT_EQ(u->status, CallStatus::Failed);
}
