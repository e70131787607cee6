#include "session_meter.hpp"

#include <utility>

namespace kakanai::kiosk {
namespace {

// Welcome as a new resident finds it: a session that gets here is over.
bool fresh_welcome(const State& s) {
    return s.screen == Screen::Welcome && !s.still_there && s.language == s.default_language && !s.large_text &&
           !s.high_contrast;
}

}  // namespace

void SessionMeter::tap(std::int64_t now) {
    if (!open_) {
        open_ = true;
        current_ = store::KioskSession{};
        current_.station = station_;
        current_.started_at = now;
    }
    ++current_.taps;
}

std::optional<store::KioskSession> SessionMeter::after(const State& s, const Event& e, std::int64_t now) {
    if (!open_) return std::nullopt;
    if (!s.errand.template_ids.empty()) current_.templates = s.errand.template_ids;
    if (std::holds_alternative<ev::ReadOk>(e) && s.screen == Screen::Confirm) current_.card_read = true;
    if (std::holds_alternative<ev::Submitted>(e) && s.screen == Screen::Done) current_.completed = true;
    if (s.screen == Screen::CardRefused) current_.refused = true;  // nothing read was kept
    // A wipe resets the language: keep the one the resident used.
    if (!fresh_welcome(s) || current_.language.empty()) current_.language = s.language;
    if (!fresh_welcome(s)) return std::nullopt;
    return close(now);
}

std::optional<store::KioskSession> SessionMeter::close(std::int64_t now) {
    if (!open_) return std::nullopt;
    open_ = false;
    current_.ended_at = now;
    return std::exchange(current_, store::KioskSession{});
}

}  // namespace kakanai::kiosk
