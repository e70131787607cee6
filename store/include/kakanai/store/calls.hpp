#pragma once
// Calls for staff: a kiosk raises one (the resident pressed 職員を呼ぶ, has no
// card, forgot the PIN, ...), every staff station shows it until a clerk
// acknowledges it, and the kiosk then tells the resident someone is coming.
// A call holds the kiosk's name and a reason code, never anything personal.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace kakanai::store {

// Why a kiosk calls: the only values a call's reason may take (anything else is refused).
inline constexpr std::array<std::string_view, 8> kCallReasons{
    "help",          // 職員を呼ぶ (the footer button, or again on a side screen)
    "no_card",       // no My Number card with them
    "forgot_pin",    // forgot the PIN
    "last_try",      // one PIN try left and chose staff instead
    "not_me",        // the card read is not theirs
    "card_refused",  // the card's data failed its authenticity check
    "store_failed",  // the kiosk could not store the application
    "print_failed",  // the kiosk could not finish the application
};
bool is_call_reason(std::string_view reason);

struct StaffCall {
    std::int64_t id = 0;
    std::string kiosk;   // the kiosk's station name
    std::string reason;  // one of kCallReasons
    std::int64_t raised_at = 0;        // unix seconds
    std::int64_t acknowledged_at = 0;  // 0 while nobody has answered
    std::string acknowledged_by;       // the clerk (or the station when nobody was logged in)
    bool acknowledged() const { return acknowledged_at != 0; }
};

}  // namespace kakanai::store
