#pragma once
// The one way both programs carry out a flow's commands: every event goes into
// a queue, and the queue is run to the end, one transition at a time. A command
// that answers with an event (a form filled, a store result) posts it to the
// queue instead of calling back into the flow, so no transition ever runs
// inside another.
#include <deque>
#include <utility>

namespace kakanai::kiosk {

template <class Event>
class EventQueue {
public:
    void post(Event e) { q_.push_back(std::move(e)); }
    bool empty() const { return q_.empty(); }

    // Applies `apply` to each queued event in order, including the ones it posts.
    // Called while already running (from inside `apply`), it only leaves the
    // events queued for the running loop.
    template <class Apply>
    void run(Apply&& apply) {
        if (running_) return;
        running_ = true;
        struct Reset {
            bool& flag;
            ~Reset() { flag = false; }
        } reset{running_};
        while (!q_.empty()) {
            Event e = std::move(q_.front());
            q_.pop_front();
            apply(e);
        }
    }

private:
    std::deque<Event> q_;
    bool running_ = false;
};

}  // namespace kakanai::kiosk
