#pragma once
// The town's KPIs from the kiosk: one record per resident's session (abandoned
// ones too) with when it began and ended, the taps, the forms chosen, whether
// the card was read and the application submitted, whether the card was refused
// (its data failed the authenticity check), and the language. Nothing
// personal: no name, no answer, no application number.
#include <cstdint>
#include <optional>
#include <string>

#include "flow.hpp"
#include "kakanai/store/store.hpp"

namespace kakanai::kiosk {

class SessionMeter {
public:
    explicit SessionMeter(std::string station) : station_(std::move(station)) {}

    // A button was pressed (unix seconds); the first tap opens a session.
    void tap(std::int64_t now);
    // After each event: the finished session, once the state is back at a fresh
    // welcome screen (finish, start over, the idle wipe, back from an error).
    std::optional<store::KioskSession> after(const State& s, const Event& e, std::int64_t now);
    // The kiosk stops: the open session, if any, ends here.
    std::optional<store::KioskSession> close(std::int64_t now);
    bool open() const { return open_; }

private:
    std::string station_;
    bool open_ = false;
    store::KioskSession current_;
};

}  // namespace kakanai::kiosk
