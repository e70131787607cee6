#pragma once
// Watches PC/SC readers on one worker thread and reports what changes.
//
//   ReaderMonitor monitor([&](const ReaderEvent& e) { queue.push(e); });
//   ...                       // events arrive on the monitor's thread
//   monitor.stop();           // or the destructor: returns at once (SCardCancel)
//
// Events, in the order they happen:
//   ReaderAdded / ReaderRemoved  a reader appeared or went (plugged in later:
//                                seen through "\\?PnP?\Notification")
//   CardInserted / CardRemoved   a card was placed on / taken off a reader;
//                                a card swapped between two polls gives
//                                CardRemoved then CardInserted
//   ServiceLost / ServiceBack    pcscd stopped / is reachable again (the
//                                monitor retries every `retry_interval`)
// At start, every reader already connected is reported as ReaderAdded and
// every card already present as CardInserted. A reader that goes with a card
// in it gives CardRemoved first, then ReaderRemoved.
//
// The callback runs on the monitor's thread: it must be quick and must not
// call stop() (post the event to your own queue instead). The monitor never
// touches a card, so it never blocks card I/O, and it owns its PC/SC context.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "kakanai/cardreader/bytes.hpp"

namespace kakanai::cardreader {

enum class ReaderEventKind { ReaderAdded, ReaderRemoved, CardInserted, CardRemoved, ServiceLost, ServiceBack };
const char* to_string(ReaderEventKind kind);

struct ReaderEvent {
    ReaderEventKind kind;
    std::string reader;  // empty for ServiceLost / ServiceBack
    byte_vector atr;     // CardInserted only
};

// One reader as the monitor last saw it (exposed so the diff is unit-tested).
struct ObservedReader {
    std::string name;
    bool card_present = false;
    unsigned event_count = 0;  // pcsc-lite counts card events in the high 16 bits
    byte_vector atr;
};

// What changed between two observations, as events in a fixed order:
// cards removed, readers removed, readers added, cards inserted.
std::vector<ReaderEvent> diff_readers(const std::vector<ObservedReader>& before,
                                      const std::vector<ObservedReader>& after);

class ReaderMonitor {
public:
    using Callback = std::function<void(const ReaderEvent&)>;
    struct Options {
        std::chrono::milliseconds retry_interval{1000};  // reconnect to a stopped pcscd
    };

    explicit ReaderMonitor(Callback callback, Options options);
    explicit ReaderMonitor(Callback callback) : ReaderMonitor(std::move(callback), Options{}) {}
    ~ReaderMonitor();  // stop()
    ReaderMonitor(const ReaderMonitor&) = delete;
    ReaderMonitor& operator=(const ReaderMonitor&) = delete;

    // Cancels the wait (SCardCancel) and joins the thread; idempotent.
    void stop();

private:
    void run();

    Callback callback_;
    Options options_;
    std::atomic<bool> stop_{false};
    std::atomic<long> context_{0};  // the thread's context, for SCardCancel
    std::mutex mu_;
    bool finished_ = false;  // under mu_
    std::condition_variable cv_;
    std::thread thread_;
};

}  // namespace kakanai::cardreader
