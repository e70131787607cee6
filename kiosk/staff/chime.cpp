#include "chime.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numbers>

namespace kakanai::kiosk::staff {

std::vector<std::int16_t> chime_samples(int rate) {
    struct Note {
        double hz, seconds;
    };
    static constexpr Note kNotes[] = {{1318.5, 0.28}, {1046.5, 0.34}};  // E6, then C6
    std::vector<std::int16_t> out;
    for (const Note& n : kNotes) {
        const int count = static_cast<int>(n.seconds * rate);
        const int edge = std::max(1, rate / 100);  // 10 ms in and out: no click
        for (int i = 0; i < count; ++i) {
            const double t = static_cast<double>(i) / rate;
            const double fade = std::min({1.0, static_cast<double>(i) / edge, static_cast<double>(count - i) / edge});
            const double decay = std::exp(-3.0 * t / n.seconds);
            const double v = std::sin(2 * std::numbers::pi * n.hz * t) * fade * decay * 0.5;
            out.push_back(static_cast<std::int16_t>(std::lround(v * 32767)));
        }
    }
    return out;
}

Chime::~Chime() { close(); }

void Chime::close() {
    if (device_ != 0) SDL_CloseAudioDevice(device_);
    if (tried_ && SDL_WasInit(SDL_INIT_AUDIO)) SDL_QuitSubSystem(SDL_INIT_AUDIO);
    device_ = 0;
    tried_ = false;
}

bool Chime::open() {
    if (tried_) return device_ != 0;
    tried_ = true;
    if (SDL_InitSubSystem(SDL_INIT_AUDIO) != 0) {
        std::fprintf(stderr, "kakanai-staff: no sound for calls (%s): the notice shows them\n", SDL_GetError());
        return false;
    }
    SDL_AudioSpec want{}, have{};
    want.freq = 48000;
    want.format = AUDIO_S16SYS;
    want.channels = 1;
    want.samples = 2048;
    device_ = SDL_OpenAudioDevice(nullptr, 0, &want, &have, 0);
    if (device_ == 0) {
        std::fprintf(stderr, "kakanai-staff: no sound for calls (%s): the notice shows them\n", SDL_GetError());
        return false;
    }
    rate_ = have.freq;
    SDL_PauseAudioDevice(device_, 0);
    return true;
}

bool Chime::play() {
    if (!open()) return false;
    const std::vector<std::int16_t> samples = chime_samples(rate_);
    SDL_ClearQueuedAudio(device_);
    return SDL_QueueAudio(device_, samples.data(), static_cast<Uint32>(samples.size() * sizeof samples[0])) == 0;
}

}  // namespace kakanai::kiosk::staff
