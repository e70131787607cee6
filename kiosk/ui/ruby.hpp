#pragma once
// Ruby (furigana) in UI texts. やさしい日本語 writes kanji with their reading
// above them; a text file marks each group as {漢字|かんじ} (base|reading).
//
// parse_ruby() checks the markup once, when texts load, and turns each group
// into Unicode's interlinear annotation characters: U+FFF9 base U+FFFA reading
// U+FFFB. The result is still one std::string, so the kiosk's drawing code takes
// it unchanged (joining, "{n}" counts); its layout draws the reading above the
// base and never breaks a line inside a group. Every other use (logs, PDFs, the
// staff station, Japanese and English) takes ruby_base(): the text without readings.
#include <cstddef>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace kakanai::kiosk {

// A mistake in the markup, with the byte offset in the markup where it was found.
class RubyError : public std::runtime_error {
public:
    RubyError(const std::string& what, std::size_t offset) : std::runtime_error(what), offset_(offset) {}
    std::size_t offset() const { return offset_; }

private:
    std::size_t offset_;
};

// UTF-8 of U+FFF9 (anchor), U+FFFA (separator), U+FFFB (terminator).
inline constexpr std::string_view kRubyOpen = "\xEF\xBF\xB9";
inline constexpr std::string_view kRubySep = "\xEF\xBF\xBA";
inline constexpr std::string_view kRubyClose = "\xEF\xBF\xBB";

// {base|reading} -> U+FFF9 base U+FFFA reading U+FFFB. A placeholder such as
// {n} (letters and '_' only) stays as it is. Throws RubyError for a group
// inside a group, an unclosed or stray brace or '|', an empty base or reading,
// a reading that is not kana, and for text that already holds U+FFF9..U+FFFB.
std::string parse_ruby(std::string_view markup);

// The same as parse_ruby() when it succeeds; otherwise the markup unchanged.
// Remembers each text it converted, so a text is parsed once.
const std::string& ruby_cached(const std::string& markup);

bool has_ruby(std::string_view text);
// The text as read without ruby: "{住民票|じゅうみんひょう}" -> "住民票".
std::string ruby_base(std::string_view text);
// Every reading in the text, joined (the font atlas's small size needs these).
std::string ruby_readings(std::string_view text);
// Back to the markup, for messages (layout check, errors).
std::string ruby_markup(std::string_view text);

// One piece of a line: plain text (reading empty) or a ruby group.
struct RubyPiece {
    std::string_view base, reading;
    bool group = false;
};
std::vector<RubyPiece> ruby_pieces(std::string_view text);

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
