#pragma once
// Ruby (furigana) in UI texts: the markup and its parser are the forms
// library's (kakanai/forms/ruby.hpp); this is the kiosk's side. Texts are
// parsed once when they load, into Unicode's interlinear annotation
// characters; the kiosk's layout draws each reading above its base and never
// breaks a line inside a group. Every other use (logs, PDFs, the staff
// station, Japanese and English) takes ruby_base(): the text without readings.
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "kakanai/forms/ruby.hpp"

namespace kakanai::kiosk {

using forms::has_ruby;
using forms::kRubyClose;
using forms::kRubyOpen;
using forms::kRubySep;
using forms::parse_ruby;
using forms::ruby_base;
using forms::ruby_markup;
using forms::ruby_pieces;
using forms::ruby_readings;
using forms::RubyError;
using forms::RubyPiece;

// The same as parse_ruby() when it succeeds; otherwise the markup unchanged.
// Remembers each text it converted, so a text is parsed once.
const std::string& ruby_cached(const std::string& markup);

// From byte offset `i` (at a character), the offset of the next character; a
// whole ruby group counts as one character (a line never ends inside it).
std::size_t ruby_next_char(std::string_view text, std::size_t i);

// The text's base with, for every byte offset of the base (0..size), the offset
// in `text` where a line may end there, or npos where it may not (inside a group).
struct RubyBaseMap {
    std::string base;
    std::vector<std::size_t> to_text;
};
RubyBaseMap ruby_base_map(std::string_view text);

// How one line of text is placed: every piece of base text on the base line
// (`band` pixels below the top: the readings' room), every reading centred
// above its base. A group as wide as the wider of its base and its reading.
struct RubyRun {
    std::string_view text;
    float x = 0, w = 0;
    bool reading = false;  // drawn in the small size, at the top of the line
};
struct RubyLine {
    std::vector<RubyRun> runs;
    float w = 0;
};
// A reading wider than its base may reach over the kana (or space) beside the
// group by up to `overhang` pixels on each side (as printed furigana do), so
// 職員を does not gape; never over another group, a piece too narrow for the
// groups on both its sides, or past the line's ends.
using Measure = std::function<float(std::string_view)>;
RubyLine place_ruby(std::string_view line, const Measure& base_width, const Measure& reading_width,
                    float overhang = 0);

// The size of a reading for text of `size` pixels, and the room above each line
// for readings: less than the reading's size, as a glyph's em box has room
// above and below the kana that readings and bases can share.
inline constexpr float kRubyScale = 0.5f;
inline constexpr float kRubyBand = 0.46f;

}  // namespace kakanai::kiosk
