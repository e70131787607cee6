#pragma once
// Events from a worker thread (the resident's card worker, the staff station's
// desk) reach the UI thread through an Inbox; posting pushes an SDL user event
// that wakes the loop from SDL_WaitEventTimeout.
#include <SDL.h>

#include <deque>
#include <mutex>
#include <utility>

namespace kakanai::kiosk {

template <class Event>
class Inbox {
public:
    Inbox() : sdl_type_(SDL_RegisterEvents(1)) {}
    void post(Event e) {
        {
            std::lock_guard lock(mu_);
            q_.push_back(std::move(e));
        }
        SDL_Event wake{};
        wake.type = sdl_type_;
        SDL_PushEvent(&wake);
    }
    std::deque<Event> take() {
        std::lock_guard lock(mu_);
        return std::exchange(q_, {});
    }
    bool empty() const {
        std::lock_guard lock(mu_);
        return q_.empty();
    }

private:
    Uint32 sdl_type_;
    mutable std::mutex mu_;
    std::deque<Event> q_;
};

}  // namespace kakanai::kiosk
