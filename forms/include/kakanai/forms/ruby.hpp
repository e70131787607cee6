#pragma once
// Ruby (furigana) markup in texts. やさしい日本語 writes kanji with their
// reading; a text file or a template marks each group as {漢字|かんじ}
// (base|reading). Placeholders such as {n} (letters and '_' only) are not groups.
//
// parse_ruby() checks the markup and turns each group into Unicode's
// interlinear annotation characters: U+FFF9 base U+FFFA reading U+FFFB. The
// result is still one std::string (joining, "{n}" counts work unchanged);
// ruby_pieces() splits it into plain runs and groups. The kiosk draws the
// readings above their base (kiosk/ui/ruby.hpp); paper prints the reading in
// brackets after its base (ruby_bracketed()); everything else takes ruby_base().
#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace kakanai::forms {

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
// {n} stays as it is. Throws RubyError for a group inside a group, an unclosed
// or stray brace or '|', an empty base or reading, a reading that is not kana,
// and for text that already holds U+FFF9..U+FFFB.
std::string parse_ruby(std::string_view markup);
// The same when it parses; otherwise the markup unchanged (shown as it is).
std::string parse_ruby_or_keep(std::string_view markup);

bool has_ruby(std::string_view text);

// One piece of a parsed text: plain text (reading empty) or a ruby group.
struct RubyPiece {
    std::string_view base, reading;
    bool group = false;
};
std::vector<RubyPiece> ruby_pieces(std::string_view text);

// The text as read without ruby: "{住民票|じゅうみんひょう}" -> "住民票".
std::string ruby_base(std::string_view text);
// Every reading in the text, joined (a font needs these too).
std::string ruby_readings(std::string_view text);
// Back to the markup, for messages (layout check, errors).
std::string ruby_markup(std::string_view text);
// Each group as its base with the reading in brackets after it, one of the two
// ways the guideline gives for paper: "住民票（じゅうみんひょう）".
std::string ruby_bracketed(std::string_view text);

}  // namespace kakanai::forms
