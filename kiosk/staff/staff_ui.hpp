#pragma once
// The counter staff station's screens as functions of staff::State. Staff have a keyboard and a mouse: dense screens, ImGui inputs.
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "i18n.hpp"
#include "kakanai/forms/catalogue.hpp"
#include "staff_flow.hpp"
#include "kit.hpp"

struct ImFont;

namespace kakanai::kiosk::staff {

struct UiFonts {
    ImFont* body = nullptr;
    ImFont* title = nullptr;
    float em = 20.0f;  // layout unit in pixels (20 px at 1280x800)
};

struct UiContext {
    const Strings* text = nullptr;
    UiFonts fonts;
    const forms::Catalogue* catalogue = nullptr;
    std::string station;
    std::vector<std::string> languages{"ja", "en"};
    // Text being typed, by input id (login.code, correct.value, reason, manual.*): the
    // app owns and wipes it. Scripted runs fill it with `type ID TEXT`.
    std::map<std::string, std::string>* drafts = nullptr;
    std::string scripted_tap;             // a scripted run presses this button id this frame
    std::int64_t queue_age_s = 0;         // seconds since the queue was loaded (waiting times keep counting)
    std::int64_t now = 0;                 // unix seconds, for "received at"
    RareTextFn rare_text;
    int spinner = 0;                      // turns while the desk works (checking, print busy)
};

struct UiRequests {
    std::vector<Event> events;
    std::vector<std::string> taps;
    std::set<std::string> buttons;
    std::set<std::string> texts;  // i18n keys of the notices drawn this frame (authenticity, print problems)
    std::string language;  // the staff member chose another language
};

UiRequests draw(const State& state, const UiContext& ctx);

// Text the screen may show that is not in the i18n files (values, ids, typed text).
std::string dynamic_text(const State& state, const std::map<std::string, std::string>& drafts);

}  // namespace kakanai::kiosk::staff
