#pragma once
// Drawing pieces both programs use: text outside the BMP as images, the page
// preview of a form, QR codes, and the texts the font atlas must hold.
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "kakanai/forms/catalogue.hpp"
#include "kakanai/forms/prefill.hpp"
#include "layout_check.hpp"

struct ImFont;
struct ImDrawList;

namespace kakanai::kiosk {

// Text with characters outside the BMP (ImWchar is 16-bit here) is drawn as
// an image made elsewhere (SDL_ttf, rare_text.hpp). Returns false when it cannot.
struct RareImage {
    void* texture = nullptr;
    float w = 0, h = 0;
};
using RareTextFn = std::function<bool(const std::string& text, float px, unsigned rgba, RareImage* out)>;

bool has_non_bmp(const std::string& utf8);

// Texts of the catalogue (titles, questions, choices, labels) in every language.
std::string catalogue_text(const forms::Catalogue& c);

// "ja-easy" -> "easy": the forms library's name of やさしい日本語.
std::string forms_language(const std::string& ui_language);

// The page preview of the resident's review screen and the staff station: the
// template's layout at mm scale with the values, `height` pixels tall, A4, in a
// frame of colour `frame_rgba` (an ImU32).
void draw_page_preview(const forms::Template& t, const forms::FilledForm& form, float x, float y, float height,
                       ImFont* font, const RareTextFn& rare_text, unsigned frame_rgba);

// Every button of both programs reports through this right after its ImGui item:
// `id` was drawn this frame (the item's rectangle and `label` go to the layout
// check when one runs), and it is pressed when clicked or tapped (`clicked`) or
// when a scripted run taps it (`scripted_tap`), through the same path as a
// finger. A disabled one never is.
bool button_pressed(const std::string& id, const std::string& label, bool clicked, bool enabled,
                    const std::string& scripted_tap, std::set<std::string>& drawn, std::vector<std::string>& taps);

// The layout check of this frame (scripted runs), or null when none runs.
LayoutCheck* layout_check();
void set_layout_check(LayoutCheck* check);
// The current ImGui clip rectangle (what a window or list shows) as a Box.
Box clip_box();

// Text wrapped at `wrap` pixels (0: no wrapping), breaking lines only where
// breakable() allows. `align` places each line: 0 left, 0.5 centred in `wrap`.
// Text with ruby (ruby.hpp; markup in a catalogue text is converted here, once
// per text) gets room above every line for the readings, drawn in the ruby font
// at kRubyScale of the size; a ruby group is never split across lines.
struct TextBlock {
    std::vector<std::string> lines;
    float w = 0, h = 0;
    float band = 0;            // room for readings above each line (0: no ruby)
    bool broken_word = false;  // a word wider than `wrap` had to be split
};
// The font readings are drawn with (the atlas's small face); null: the text's own font.
void set_ruby_font(ImFont* font);
TextBlock layout_text(ImFont* font, float size, const std::string& text, float wrap);
// Draws a block at (x, y) and shows it to the layout check inside `box`
// (default: the current clip rectangle). Returns its size.
void draw_text(ImDrawList* dl, ImFont* font, float size, float x, float y, unsigned col, const TextBlock& block,
               float align_width = 0, const Box* box = nullptr);

// A QR code of `payload`, `side` pixels square with its quiet zone, into the current window.
void draw_qr_code(const std::string& payload, float x, float y, float side, unsigned dark, unsigned light);

}  // namespace kakanai::kiosk
