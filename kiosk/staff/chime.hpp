#pragma once
// The station's audible signal for a new call from a kiosk: a short two-note
// tone generated here (no sound file), played through SDL audio. A PC without
// a sound device (Xvfb, CI, a muted thin client) plays nothing and goes on.
#include <SDL.h>

#include <cstdint>
#include <vector>

namespace kakanai::kiosk::staff {

// The tone as signed 16-bit mono samples at `rate` Hz: two notes (E6, C6) with
// soft edges, about 0.6 s. Pure, so a test checks it.
std::vector<std::int16_t> chime_samples(int rate);

class Chime {
public:
    Chime() = default;
    ~Chime();
    Chime(const Chime&) = delete;
    Chime& operator=(const Chime&) = delete;
    // Plays the tone; false when there is no audio device (said once in the log).
    bool play();
    void close();  // before SDL is shut down

private:
    bool open();
    SDL_AudioDeviceID device_ = 0;
    int rate_ = 0;
    bool tried_ = false;
};

}  // namespace kakanai::kiosk::staff
