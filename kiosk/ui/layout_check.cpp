#include "layout_check.hpp"

#include <unicode/brkiter.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <cmath>
#include <cstdio>
#include <memory>

#include "ruby.hpp"

namespace kakanai::kiosk {
namespace {

// One pair of iterators per thread: making them loads ICU's rules and dictionary.
struct Breakers {
    std::unique_ptr<icu::BreakIterator> line, word;
    Breakers() {
        UErrorCode e = U_ZERO_ERROR;
        line.reset(icu::BreakIterator::createLineInstance(icu::Locale::getJapanese(), e));
        UErrorCode e2 = U_ZERO_ERROR;
        word.reset(icu::BreakIterator::createWordInstance(icu::Locale::getJapanese(), e2));
        if (U_FAILURE(e) || U_FAILURE(e2)) line.reset(), word.reset();
    }
};

Breakers& breakers() {
    thread_local Breakers b;
    return b;
}

bool hiragana(UChar32 c) { return c >= 0x3041 && c <= 0x309F; }
bool digit(UChar32 c) { return (c >= '0' && c <= '9') || (c >= 0xFF10 && c <= 0xFF19); }
// A number keeps its counter: 1978年, 6月1日, 2通, 300円 never end a line between them.
bool counter_after_number(UChar32 before, UChar32 after) {
    return digit(before) && (u_hasBinaryProperty(after, UCHAR_IDEOGRAPHIC) || after == 0x30F6 /* ヶ */);
}
bool opens_break(UChar32 c) {  // after these a line may end even before kana
    switch (c) {
    case 0x20: case 0x3000: case 0x3001: case 0x3002: case 0x30FB: case 0xFF0C: case 0xFF0E:
    case 0xFF01: case 0xFF1F: case 0xFF09: case 0x300D: case 0x300F: case 0x29: case 0x2C: case 0x2E:
        return true;
    default:
        return false;
    }
}

std::vector<std::size_t> plain_break_offsets(std::string_view text);

// Byte offsets (0 < at < size) where a line may end, for one paragraph. Ruby
// (ruby.hpp): the base text decides, and a line never ends inside a group.
std::vector<std::size_t> break_offsets(std::string_view text) {
    if (!has_ruby(text)) return plain_break_offsets(text);
    const RubyBaseMap map = ruby_base_map(text);
    std::vector<std::size_t> out;
    for (std::size_t o : plain_break_offsets(map.base))
        if (const std::size_t t = map.to_text[o]; t != std::string_view::npos && t > 0 && t < text.size()) out.push_back(t);
    return out;
}

std::vector<std::size_t> plain_break_offsets(std::string_view text) {
    std::vector<std::size_t> out;
    if (text.empty()) return out;
    const icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
    Breakers& b = breakers();
    if (!b.line) {  // without ICU's data: at spaces only
        for (std::size_t i = 1; i < text.size(); ++i)
            if (text[i - 1] == ' ') out.push_back(i);
        return out;
    }
    b.line->setText(u);
    b.word->setText(u);
    // UTF-16 index -> byte offset, walking both strings together.
    std::size_t byte = 0;
    for (int32_t i = 0; i < u.length();) {
        const UChar32 c = u.char32At(i);
        const int32_t next = i + U16_LENGTH(c);
        byte += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
        if (next < u.length() && b.line->isBoundary(next) && b.word->isBoundary(next)) {
            const UChar32 after = u.char32At(next);
            if ((!hiragana(after) || opens_break(c)) && !counter_after_number(c, after)) out.push_back(byte);
        }
        i = next;
    }
    return out;
}

// A ruby group counts as one character: even a word too wide for its line is
// never split inside one.
std::size_t next_char(std::string_view s, std::size_t i) { return ruby_next_char(s, i); }

std::string quoted(const std::vector<std::string>& lines) {
    std::string s;
    for (std::size_t i = 0; i < lines.size(); ++i) s += (i ? "|" : "") + ruby_markup(lines[i]);
    return "\"" + s + "\"";
}

std::string_view trim_end(std::string_view s) {
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    while (s.size() >= 3 && s.substr(s.size() - 3) == "\u3000") s.remove_suffix(3);
    return s;
}

}  // namespace

std::string to_string(const Box& b) {
    auto n = [](float v) { return std::to_string(static_cast<long>(std::lround(v))); };
    return "x=" + n(b.x0) + " y=" + n(b.y0) + " w=" + n(b.w()) + " h=" + n(b.h());
}

bool breakable(std::string_view text, std::size_t at) {
    if (at == 0 || at >= text.size()) return true;
    if (text[at - 1] == '\n') return true;
    // Within its paragraph.
    std::size_t start = text.rfind('\n', at - 1);
    start = start == std::string_view::npos ? 0 : start + 1;
    std::size_t end = text.find('\n', at);
    if (end == std::string_view::npos) end = text.size();
    const auto offs = break_offsets(text.substr(start, end - start));
    for (std::size_t o : offs)
        if (o + start == at) return true;
    return false;
}

std::vector<std::string> wrap_lines(const std::string& text, float width,
                                    const std::function<float(std::string_view)>& measure, bool* broken_word) {
    std::vector<std::string> lines;
    if (broken_word) *broken_word = false;
    std::size_t para = 0;
    for (;;) {
        std::size_t end = text.find('\n', para);
        const bool last = end == std::string::npos;
        if (last) end = text.size();
        const std::string_view p(text.data() + para, end - para);
        if (measure(trim_end(p)) <= width) {
            lines.emplace_back(p);
        } else {
            const std::vector<std::size_t> offs = break_offsets(p);
            std::size_t start = 0;
            while (start < p.size()) {
                // The furthest break that still fits.
                std::size_t best = 0;
                for (std::size_t o : offs) {
                    if (o <= start) continue;
                    if (measure(trim_end(p.substr(start, o - start))) > width) break;
                    best = o;
                }
                if (measure(trim_end(p.substr(start))) <= width) best = p.size();
                if (best == 0) {
                    // One word is wider than the line: split it where it must be.
                    if (broken_word) *broken_word = true;
                    std::size_t cut = next_char(p, start);
                    for (std::size_t c = next_char(p, cut); c <= p.size(); c = next_char(p, c)) {
                        if (measure(p.substr(start, c - start)) > width) break;
                        cut = c;
                        if (c == p.size()) break;
                    }
                    best = cut;
                }
                lines.emplace_back(p.substr(start, best - start));
                start = best;
            }
        }
        if (last) break;
        lines.back() += '\n';  // the paragraph ends here: the check sees a break, not a word cut
        para = end + 1;
    }
    return lines;
}

void LayoutCheck::begin_frame(std::string screen, float w, float h) {
    screen_ = std::move(screen);
    w_ = w;
    h_ = h;
    header_ = footer_ = Box{};
    content_ = Box{0, 0, w, h};
    zone_ = Zone::Content;
    scroll_.reset();
    problems_.clear();
}

void LayoutCheck::problem(const std::string& what) {
    problems_.push_back("layout check: screen " + screen_ + " at " + std::to_string(static_cast<int>(w_)) + "x" +
                        std::to_string(static_cast<int>(h_)) + ": " + what);
}

Box LayoutCheck::visible() const {
    const Box screen{0, 0, w_, h_};
    switch (zone_) {
    case Zone::Header: return header_.empty() ? screen : header_;
    case Zone::Footer: return footer_.empty() ? screen : footer_;
    case Zone::Content: break;
    }
    return content_.empty() ? screen : content_;
}

void LayoutCheck::tappable(const std::string& id, const std::string& label, const Box& r) {
    const std::string what = "button \"" + ruby_markup(label) + "\" (" + id + ") at " + to_string(r);
    const Box screen{0, 0, w_, h_};
    if (zone_ == Zone::Content && scroll_) {
        if (!scroll_->overlaps(r, 0)) return;  // scrolled out of view: reached by scrolling
        if (r.x0 < scroll_->x0 - 0.5f || r.x1 > scroll_->x1 + 0.5f)
            problem(what + " reaches past the sides of its list " + to_string(*scroll_));
    } else if (!screen.contains(r)) {
        problem(what + " is outside the screen");
    } else if (!visible().contains(r)) {
        if (zone_ == Zone::Content && !footer_.empty() && footer_.overlaps(r))
            problem(what + " is under the footer (from y=" + std::to_string(std::lround(footer_.y0)) + ")");
        else if (zone_ != Zone::Header && !header_.empty() && header_.overlaps(r))
            problem(what + " overlaps the header (to y=" + std::to_string(std::lround(header_.y1)) + ")");
        else
            problem(what + " is outside the visible content area " + to_string(visible()));
    }
    if (r.w() < min_target_ - 0.5f || r.h() < min_target_ - 0.5f)
        problem(what + " is smaller than " + std::to_string(std::lround(min_target_)) + " px");
}

void LayoutCheck::text(const std::vector<std::string>& lines, const Box& drawn, const Box& box) {
    if (lines.empty()) return;
    const bool in_list = zone_ == Zone::Content && scroll_.has_value();
    if (in_list && !scroll_->overlaps(drawn, 0)) return;
    // In a list a text may be scrolled partly out of view, never past its sides.
    const bool clipped = in_list ? drawn.x0 < box.x0 - 1.0f || drawn.x1 > box.x1 + 1.0f : !box.contains(drawn, 1.0f);
    if (clipped)
        problem("text " + quoted(lines) + " at " + to_string(drawn) + " is clipped by its box " + to_string(box));
    std::string joined;
    std::vector<std::size_t> joins;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (i) joins.push_back(joined.size());
        joined += lines[i];
    }
    for (std::size_t at : joins)
        if (!breakable(joined, at)) {
            problem("text " + quoted(lines) + " at " + to_string(drawn) + " is broken inside a word");
            break;
        }
}

bool report_layout_problems(const LayoutCheck& check, const char* program) {
    for (const auto& p : check.problems()) std::fprintf(stderr, "%s: %s\n", program, p.c_str());
    return check.ok();
}

}  // namespace kakanai::kiosk
