#pragma once
// Screens as functions of State: draw() returns the Events the resident's taps made.
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "flow.hpp"
#include "i18n.hpp"
#include "kit.hpp"
#include "kakanai/forms/catalogue.hpp"
#include "kakanai/forms/guide.hpp"

struct ImFont;

namespace kakanai::kiosk {

struct Fonts {
    ImFont* body = nullptr;
    ImFont* big = nullptr;
    ImFont* title = nullptr;
    ImFont* huge = nullptr;  // the name on "is this you?"
    ImFont* ruby = nullptr;  // readings above kanji (やさしい日本語), kana only
    float em = 40.0f;        // layout unit in pixels; every length is a multiple of it
};

struct UiContext {
    const Strings* text = nullptr;
    Fonts normal, large;          // large: the large-text toggle
    const forms::Catalogue* catalogue = nullptr;
    const forms::GuideCounters* counters = nullptr;  // the town's counter names for the guide, may be null
    const std::vector<Errand>* errands = nullptr;  // life events first, then single forms
    std::vector<std::string> languages;            // offered, in order
    RareTextFn rare_text;
    std::string* draft = nullptr;  // the answer being typed on a question screen (personal)
    std::string scripted_tap;      // a scripted run taps this button id this frame
    float spinner_phase = 0;       // seconds, for the reading animation
};

struct UiRequests {
    std::vector<Event> events;
    std::vector<std::string> taps;  // ids of the buttons pressed this frame
    std::set<std::string> buttons;  // ids of every button drawn this frame
    std::set<std::string> texts;    // i18n keys of the notices drawn this frame (scripts: expect-text)
};

UiRequests draw(const State& state, const UiContext& ctx);

// Text the current screen may show that is not in the i18n files (card data,
// dates, numbers, drafts): its characters must be in the font atlas.
std::string dynamic_text(const State& state, const std::string& draft);

// Colours of both palettes, all pairs of text and background at least 7:1.
void apply_style(float em, bool high_contrast);

}  // namespace kakanai::kiosk
