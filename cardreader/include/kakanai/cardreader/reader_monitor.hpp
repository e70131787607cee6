#pragma once
// Watches PC/SC readers on one worker thread and reports what changes.
//
//   ReaderMonitor monitor([&](const ReaderEvent& e) { queue.push(e); });
//   ...                       // events arrive on the monitor's thread
//   monitor.stop();           // or the destructor: returns within one wait slice (250 ms)
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
// It waits for changes in slices, taking its turn with the process's other
// reader-state calls (src/reader_states.hpp): a card is still reported as soon
// as it is placed.
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

    // Ends the wait and joins the thread; idempotent.
    void stop();

private:
    void run();

    Callback callback_;
    Options options_;
    std::atomic<bool> stop_{false};  // set under mu_, for cv_
    std::mutex mu_;
    std::condition_variable cv_;  // wakes the wait between reconnections to pcscd
    std::thread thread_;
};

}  // namespace kakanai::cardreader
