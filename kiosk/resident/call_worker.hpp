#pragma once
// Calls for staff from this kiosk, on their own thread with their own store
// connection: raising a call and asking whether a clerk answered never blocks
// the UI thread, however slow the store. Answers come back as ev::CallUpdate.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "flow.hpp"
#include "kakanai/store/kiosk_store.hpp"

namespace kakanai::kiosk {

// The store's reason code for a flow's NotifyStaff key (staff.help -> help);
// empty for a key that is not a call.
std::string call_reason(const std::string& reason_key);

class CallWorker {
public:
    using Post = std::function<void(Event)>;
    using OpenStore = std::function<std::unique_ptr<store::KioskStore>()>;
    // `open` runs on the worker thread, at the first call. `poll`: how often an
    // open call is asked about.
    CallWorker(OpenStore open, std::string kiosk, Post post,
               std::chrono::milliseconds poll = std::chrono::milliseconds(1000));
    ~CallWorker();
    CallWorker(const CallWorker&) = delete;
    CallWorker& operator=(const CallWorker&) = delete;

    // Raises a call with this reason key (NotifyStaff). While the session's call
    // waits for an answer, a second one is not raised: staff already come here.
    void raise(const std::string& reason_key);
    // The session was wiped: its call is no longer followed, its answers are dropped.
    void forget();
    // The session number answers carry; an answer with another one is stale.
    std::uint64_t session() const { return session_.load(); }
    bool idle() const;  // no call being raised (a call waiting for its answer does not count)

private:
    void run();

    OpenStore open_;
    std::string kiosk_;
    Post post_;
    std::chrono::milliseconds poll_;
    std::atomic<std::uint64_t> session_{1};
    mutable std::mutex mu_;
    std::condition_variable cv_;
    std::optional<std::string> to_raise_;  // reason code waiting to be raised
    bool busy_ = false;
    bool stop_ = false;
    // Worker thread (under mu_ when read by the UI thread's raise()).
    std::int64_t open_call_ = 0;            // the call waiting for an answer, 0: none
    std::uint64_t open_session_ = 0;        // the session it belongs to
    std::unique_ptr<store::KioskStore> store_;
    std::thread thread_;
};

}  // namespace kakanai::kiosk
