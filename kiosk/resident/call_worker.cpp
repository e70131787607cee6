#include "call_worker.hpp"

#include <cstdio>
#include <utility>

namespace kakanai::kiosk {

std::string call_reason(const std::string& reason_key) {
    static const std::pair<const char*, const char*> kReasons[] = {
        {"staff.help", "help"},           {"staff.no_card", "no_card"},
        {"staff.forgot_pin", "forgot_pin"}, {"staff.last_try", "last_try"},
        {"staff.not_me", "not_me"},       {"staff.card_refused", "card_refused"},
        {"error.store_failed", "store_failed"}, {"error.print_failed", "print_failed"},
    };
    for (const auto& [key, code] : kReasons)
        if (reason_key == key) return code;
    return {};
}

CallWorker::CallWorker(OpenStore open, std::string kiosk, Post post, std::chrono::milliseconds poll)
    : open_(std::move(open)), kiosk_(std::move(kiosk)), post_(std::move(post)), poll_(poll) {
    thread_ = std::thread([this] { run(); });
}

CallWorker::~CallWorker() {
    {
        std::lock_guard lk(mu_);
        stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
}

void CallWorker::raise(const std::string& reason_key) {
    std::string code = call_reason(reason_key);
    if (code.empty()) code = "help";  // an unknown path still calls: staff ask the resident
    {
        std::lock_guard lk(mu_);
        if (open_call_ != 0 && open_session_ == session_.load()) {
            // Already called for this session: keep showing its state.
            return;
        }
        to_raise_ = std::move(code);
    }
    cv_.notify_all();
}

void CallWorker::forget() {
    std::lock_guard lk(mu_);
    if (open_call_ == 0 && !to_raise_) return;
    ++session_;
    open_call_ = 0;
    to_raise_.reset();
}

bool CallWorker::idle() const {
    std::lock_guard lk(mu_);
    return !to_raise_ && !busy_;
}

void CallWorker::run() {
    std::unique_lock lk(mu_);
    while (!stop_) {
        if (!to_raise_) {
            // Nothing to raise: wait, asking about the open call every poll_.
            if (open_call_ != 0) cv_.wait_for(lk, poll_, [this] { return stop_ || to_raise_.has_value(); });
            else cv_.wait(lk, [this] { return stop_ || to_raise_.has_value(); });
            if (stop_) return;
        }
        const std::uint64_t session = session_.load();
        std::optional<std::string> reason = std::exchange(to_raise_, std::nullopt);
        const std::int64_t following = open_call_;
        if (!reason && following == 0) continue;
        busy_ = reason.has_value();
        lk.unlock();
        CallStatus answer = CallStatus::None;
        std::int64_t raised = 0;
        try {
            if (!store_) store_ = open_();
            if (reason) {
                raised = store_->raise_call(kiosk_, *reason);
                std::fprintf(stderr, "kakanai-kiosk: station %s called staff: %s (call %lld)\n", kiosk_.c_str(),
                             reason->c_str(), static_cast<long long>(raised));
                answer = CallStatus::Raised;
            } else if (const auto c = store_->call(following); c && c->acknowledged()) {
                std::fprintf(stderr, "kakanai-kiosk: call %lld answered by %s\n", static_cast<long long>(following),
                             c->acknowledged_by.c_str());
                answer = CallStatus::Coming;
            }
        } catch (const std::exception& e) {
            std::fprintf(stderr, "kakanai-kiosk: station %s could not call staff: %s\n", kiosk_.c_str(), e.what());
            if (reason) answer = CallStatus::Failed;
            store_.reset();  // a new connection next time
        }
        lk.lock();
        busy_ = false;
        if (session != session_.load()) continue;  // wiped meanwhile: nobody waits for this answer
        if (raised != 0) {
            open_call_ = raised;
            open_session_ = session;
        }
        if (answer == CallStatus::Coming) open_call_ = 0;  // answered: nothing more to ask
        if (answer != CallStatus::None) post_(ev::CallUpdate{answer, session});
    }
}

}  // namespace kakanai::kiosk
