#pragma once
// Screens as functions of State: draw() returns the Events the resident's taps made.
#include <string>
#include <vector>

#include "flow.hpp"
#include "i18n.hpp"

struct ImFont;

namespace kakanai::kiosk {

struct Fonts {
    ImFont* body = nullptr;
    ImFont* big = nullptr;
    ImFont* title = nullptr;
    float em = 40.0f;  // body text size in pixels; every layout length is a multiple of it
};

struct UiRequests {
    std::vector<Event> events;
    std::string language;  // non-empty: switch to it
};

UiRequests draw(const State& state, const Strings& text, const Fonts& fonts, const std::string& output_dir);

// Text the current screen shows that is not in the i18n files (card data,
// dates, numbers): its characters must be in the font atlas.
std::string dynamic_text(const State& state, const std::string& output_dir);

// Colours: near-black on white and white on dark blue, both above 7:1 contrast.
void apply_style(float em);

}  // namespace kakanai::kiosk
