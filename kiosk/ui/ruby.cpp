#include "ruby.hpp"

#include <algorithm>
#include <unordered_map>

namespace kakanai::kiosk {
namespace {

// The code point at byte offset i of valid UTF-8, and its length.
char32_t decode(std::string_view s, std::size_t i, std::size_t* len) {
    const auto b = [&](std::size_t k) { return static_cast<unsigned char>(k < s.size() ? s[k] : 0); };
    const unsigned char c = b(i);
    if (c < 0x80) return *len = 1, c;
    if (c < 0xE0) return *len = 2, static_cast<char32_t>((c & 0x1F) << 6 | (b(i + 1) & 0x3F));
    if (c < 0xF0) return *len = 3, static_cast<char32_t>((c & 0x0F) << 12 | (b(i + 1) & 0x3F) << 6 | (b(i + 2) & 0x3F));
    return *len = 4,
           static_cast<char32_t>((c & 0x07) << 18 | (b(i + 1) & 0x3F) << 12 | (b(i + 2) & 0x3F) << 6 | (b(i + 3) & 0x3F));
}

}  // namespace

const std::string& ruby_cached(const std::string& markup) {
    if (markup.find('{') == std::string::npos) return markup;
    static std::unordered_map<std::string, std::string> cache;
    if (auto it = cache.find(markup); it != cache.end()) return it->second;
    if (cache.size() > 4096) cache.clear();  // only texts of the catalogue come here; a bound all the same
    return cache.emplace(markup, forms::parse_ruby_or_keep(markup)).first->second;
}

std::size_t ruby_next_char(std::string_view text, std::size_t i) {
    if (text.substr(i, kRubyOpen.size()) == kRubyOpen) {
        const std::size_t close = text.find(kRubyClose, i);
        return close == std::string_view::npos ? text.size() : close + kRubyClose.size();
    }
    ++i;
    while (i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) ++i;
    return i;
}

RubyBaseMap ruby_base_map(std::string_view text) {
    RubyBaseMap m;
    std::size_t at = 0;
    for (const auto& p : ruby_pieces(text)) {
        const std::size_t start = static_cast<std::size_t>(p.base.data() - text.data());
        if (!p.group) {
            for (std::size_t k = 0; k < p.base.size(); ++k) m.to_text.push_back(start + k);
            at = start + p.base.size();
        } else {
            // A line may end before the group or after it, never inside.
            m.to_text.push_back(start - kRubyOpen.size());
            for (std::size_t k = 1; k < p.base.size(); ++k) m.to_text.push_back(std::string_view::npos);
            const std::size_t close = text.find(kRubyClose, start);
            at = close == std::string_view::npos ? text.size() : close + kRubyClose.size();
        }
        m.base += p.base;
    }
    m.to_text.push_back(at);
    return m;
}

RubyLine place_ruby(std::string_view line, const Measure& base_width, const Measure& reading_width, float overhang) {
    RubyLine out;
    const std::vector<RubyPiece> pieces = ruby_pieces(line);
    // Whether the plain piece next to a group ends (starts) with kana a reading may reach over.
    auto kana_at = [](std::string_view s, bool last) {
        if (s.empty()) return false;
        std::size_t i = 0;
        if (last) {
            i = s.size() - 1;
            while (i > 0 && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) --i;
        }
        std::size_t len = 1;
        const char32_t c = decode(s, i, &len);
        return (c >= 0x3041 && c <= 0x30FF) || c == 0x20 || c == 0x3000 || c == 0x3001 || c == 0x3002;
    };
    // Only over a piece wide enough for the groups on both its sides to reach over it.
    auto room = [&](const RubyPiece& p, bool last) { return !p.group && kana_at(p.base, last) && base_width(p.base) >= 2 * overhang; };
    float x = 0;
    for (std::size_t i = 0; i < pieces.size(); ++i) {
        const RubyPiece& p = pieces[i];
        const float bw = base_width(p.base);
        if (!p.group) {
            out.runs.push_back({p.base, x, bw, false});
            x += bw;
            continue;
        }
        const float rw = reading_width(p.reading), excess = std::max(0.0f, rw - bw);
        const bool left = i > 0 && room(pieces[i - 1], true);
        const bool right = i + 1 < pieces.size() && room(pieces[i + 1], false);
        const float ol = left ? std::min(excess / 2, overhang) : 0, orr = right ? std::min(excess / 2, overhang) : 0;
        // The reading starts ol before the group's room; the base sits centred under it.
        const float rx = x - ol;
        out.runs.push_back({p.base, rx + (std::max(rw, bw) - bw) / 2, bw, false});
        out.runs.push_back({p.reading, rx + (std::max(rw, bw) - rw) / 2, rw, true});
        x += std::max(bw, rw) - ol - orr;
    }
    out.w = x;
    return out;
}

}  // namespace kakanai::kiosk
