// Faults on the card side through the real pcscd and vpcd, seen by the kiosk's
// card worker: pcscd restarted while the kiosk waits, and the card pulled out
// (the virtual card's connection closed) in the middle of the 入力補助AP read.
#include <gtest/gtest.h>

#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <mutex>

#include "card_worker.hpp"
#include "pcsc_support.hpp"

using namespace kakanai;
using namespace kakanai::kiosk;
using namespace std::chrono_literals;

namespace {

// Events the worker posts, as the kiosk's queue receives them.
class Events {
public:
    void post(Event e) {
        std::lock_guard lock(mu_);
        q_.push_back(std::move(e));
        cv_.notify_all();
    }
    // Waits for the first event matching `pred`, dropping those before it.
    template <class E, class Pred>
    std::optional<E> wait_for(Pred pred, std::chrono::milliseconds timeout) {
        std::unique_lock lock(mu_);
        const auto end = std::chrono::steady_clock::now() + timeout;
        for (;;) {
            while (!q_.empty()) {
                Event e = std::move(q_.front());
                q_.pop_front();
                if (auto* hit = std::get_if<E>(&e); hit && pred(*hit)) return std::move(*hit);
                seen_.push_back(event_name(e));
            }
            if (cv_.wait_until(lock, end) == std::cv_status::timeout && q_.empty()) return std::nullopt;
        }
    }
    template <class E>
    std::optional<E> wait_for(std::chrono::milliseconds timeout) {
        return wait_for<E>([](const E&) { return true; }, timeout);
    }
    std::string seen() const {
        std::string s;
        for (const auto& n : seen_) s += n + std::string(" ");
        return s;
    }

private:
    std::mutex mu_;
    std::condition_variable cv_;
    std::deque<Event> q_;
    std::vector<std::string> seen_;
};

cmd::ReadCard read_request(const std::string& reader) { return {reader, {'1', '2', '3', '4'}, false}; }

// pcscd as scripts/with-services started it: stopped and started by its PID only.
// Places the typical test card and reads it through the worker that has been
// running all along.
void read_typical_card(Events& events, CardWorker& worker, const char* what) {
    test::VirtualCardInReader card("typical");
    ASSERT_TRUE(card.present());
    const auto inserted = events.wait_for<ev::CardInserted>(5s);
    ASSERT_TRUE(inserted) << events.seen();
    worker.read(read_request(inserted->reader));
    const auto ok = events.wait_for<ev::ReadOk>(10s);
    ASSERT_TRUE(ok) << what << "; saw " << events.seen();
    EXPECT_EQ(ok->card.name, "番号 花子");
}

using PcscdControl = test::ServiceControl;

}  // namespace

TEST(PcscFaults, PcscdRestartedWhileWaitingThenTheCardIsRead) {
    PcscdControl pcscd("KAKANAI_TEST_PCSCD_CTL");
    if (!pcscd.available())
        GTEST_SKIP() << "pcscd was not started by scripts/with-services (a system pcscd is never stopped)";
    Events events;
    CardWorker worker([&](Event e) { events.post(std::move(e)); }, test::kVirtualReader, false);
    ASSERT_TRUE(events.wait_for<ev::ReaderReady>([](auto& r) { return r.ready; }, 5s)) << events.seen();

    ASSERT_TRUE(pcscd.stop());
    ASSERT_TRUE(events.wait_for<ev::ReaderReady>([](auto& r) { return !r.ready; }, 5s))
        << "the kiosk was not told that pcscd went away; saw " << events.seen();
    ASSERT_TRUE(pcscd.start());
    ASSERT_TRUE(events.wait_for<ev::ReaderReady>([](auto& r) { return r.ready; }, 10s))
        << "the card monitor did not reconnect to the restarted pcscd; saw " << events.seen();

    // The same process, the same worker: a card placed now is seen and read.
    read_typical_card(events, worker, "no read after the restart");
}

TEST(PcscFaults, CardPulledMidReadThenTheNextCardIsRead) {
    Events events;
    CardWorker worker([&](Event e) { events.post(std::move(e)); }, test::kVirtualReader, false);
    ASSERT_TRUE(events.wait_for<ev::ReaderReady>([](auto& r) { return r.ready; }, 5s)) << events.seen();
    {
        // The card program closes its vpcd connection after 5 APDUs: inside the
        // read of EF 0002 (select AP, select PIN, verify, select EF, first read).
        test::VirtualCardInReader card("pulled_after_5");
        ASSERT_TRUE(card.present());
        const auto inserted = events.wait_for<ev::CardInserted>(5s);
        ASSERT_TRUE(inserted) << events.seen();
        worker.read(read_request(inserted->reader));
        const auto failed = events.wait_for<ev::ReadFailed>(10s);
        ASSERT_TRUE(failed) << "the pulled card gave no read failure; saw " << events.seen();
        EXPECT_EQ(failed->kind, cardreader::CardErrorKind::CardRemoved) << cardreader::to_string(failed->kind);
        EXPECT_EQ(failed->tries_left, -1);
        // Nothing of the half-read card reaches the kiosk.
        EXPECT_FALSE(events.wait_for<ev::ReadOk>(300ms));
    }
    read_typical_card(events, worker, "the next card was not read");
}
