#pragma once
// The layout check of scripted runs: every frame records each tappable item's
// rectangle and every text's lines, and a frame fails when a resident could not
// see, reach or read something. Plain C++ (ICU for word boundaries), so unit
// tests drive it without a window; kit.hpp feeds it from the drawing code.
//
// Rules (README "The layout check"):
// - a tappable item lies inside the visible area of its zone (header, content,
//   footer); an item inside a scroll region may be scrolled out of view, but
//   never reaches past the region's sides;
// - a content item never overlaps the header or the footer;
// - a tappable item is at least `min_target` pixels in both dimensions: 120 px
//   at 1080p, scaled with the layout unit (3 em: 120 px at 1920x1080 and
//   1080x1920, 80 px at 1280x800);
// - a text is never clipped by its box, and a wrapped text breaks only where
//   breakable() allows.
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kakanai::kiosk {

struct Box {
    float x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    float w() const { return x1 - x0; }
    float h() const { return y1 - y0; }
    bool contains(const Box& b, float slack = 0.5f) const {
        return b.x0 >= x0 - slack && b.y0 >= y0 - slack && b.x1 <= x1 + slack && b.y1 <= y1 + slack;
    }
    bool overlaps(const Box& b, float slack = 0.5f) const {
        return b.x0 < x1 - slack && b.x1 > x0 + slack && b.y0 < y1 - slack && b.y1 > y0 + slack;
    }
    bool empty() const { return x1 <= x0 || y1 <= y0; }
};

// "x=760 y=1010 w=168 h=120"
std::string to_string(const Box& b);

// Where a line of `text` may end before byte offset `at` (0 < at < size): an ICU
// line-break boundary for Japanese that is also an ICU word boundary, and never
// in front of hiragana (okurigana, particles and words written in kana stay with
// what precedes them) unless a space or punctuation comes first.
bool breakable(std::string_view text, std::size_t at);

// Splits `text` into lines no wider than `width` as `measure` says, breaking only
// where breakable() allows ("\n" always breaks). A word wider than the line is
// split where it must, and `*broken_word` tells (the layout check reports it).
std::vector<std::string> wrap_lines(const std::string& text, float width,
                                    const std::function<float(std::string_view)>& measure,
                                    bool* broken_word = nullptr);

class LayoutCheck {
public:
    enum class Zone { Header, Content, Footer };

    // A new frame of screen `screen` (its id, e.g. "question") of w x h pixels.
    void begin_frame(std::string screen, float w, float h);
    // The bands of this frame; a program without a header or footer leaves them empty.
    void set_header(const Box& b) { header_ = b; }
    void set_footer(const Box& b) { footer_ = b; }
    void set_content(const Box& b) { content_ = b; }
    void set_min_target(float px) { min_target_ = px; }
    float min_target() const { return min_target_; }
    // Items and texts recorded from now on belong to zone `z`.
    void set_zone(Zone z) { zone_ = z; }
    // Items from now on sit in a scroll region `b` (visible part), until end_scroll().
    void begin_scroll(const Box& b) { scroll_ = b; }
    void end_scroll() { scroll_.reset(); }

    // A tappable item: its id, the label a resident reads on it, its rectangle.
    void tappable(const std::string& id, const std::string& label, const Box& r);
    // A text as drawn in `lines` (one per line, in order), covering `drawn`, inside `box`
    // (a button, a tile, the content area).
    void text(const std::vector<std::string>& lines, const Box& drawn, const Box& box);

    // Every problem of the frame, one message each, in the order found.
    const std::vector<std::string>& problems() const { return problems_; }
    bool ok() const { return problems_.empty(); }

private:
    void problem(const std::string& what);
    Box visible() const;

    std::string screen_;
    float w_ = 0, h_ = 0;
    Box header_, footer_, content_;
    float min_target_ = 0;
    Zone zone_ = Zone::Content;
    std::optional<Box> scroll_;
    std::vector<std::string> problems_;
};

// Prints each problem of `check` on stderr as "<program>: <problem>"; true when there is none.
bool report_layout_problems(const LayoutCheck& check, const char* program);

}  // namespace kakanai::kiosk
