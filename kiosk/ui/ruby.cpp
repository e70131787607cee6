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

bool kana_only(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        std::size_t len = 1;
        const char32_t c = decode(s, i, &len);
        if (!(c >= 0x3041 && c <= 0x309F) && !(c >= 0x30A0 && c <= 0x30FF)) return false;
        i += len;
    }
    return true;
}

bool placeholder(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return (c >= 'a' && c <= 'z') || c == '_'; });
}

}  // namespace

std::string parse_ruby(std::string_view m) {
    for (auto mark : {kRubyOpen, kRubySep, kRubyClose})
        if (auto p = m.find(mark); p != std::string_view::npos)
            throw RubyError("U+FFF9..U+FFFB may not be written in a text; write ruby as {base|reading}", p);
    std::string out;
    out.reserve(m.size() + 8);
    std::size_t i = 0;
    while (i < m.size()) {
        const char c = m[i];
        if (c == '}') throw RubyError("'}' without its '{'", i);
        if (c == '|') throw RubyError("'|' outside a ruby group {base|reading}", i);
        if (c != '{') {
            out += c;
            ++i;
            continue;
        }
        const std::size_t j = m.find_first_of("{|}", i + 1);
        if (j == std::string_view::npos) throw RubyError("'{' is never closed", i);
        if (m[j] == '{') throw RubyError("a ruby group inside a ruby group", j);
        if (m[j] == '}') {
            if (!placeholder(m.substr(i + 1, j - i - 1)))
                throw RubyError("'{" + std::string(m.substr(i + 1, j - i - 1)) + "}' is neither a ruby group {base|reading} nor a placeholder such as {n}", i);
            out += m.substr(i, j - i + 1);
            i = j + 1;
            continue;
        }
        const std::string_view base = m.substr(i + 1, j - i - 1);
        if (base.empty()) throw RubyError("a ruby group with no base text before '|'", i);
        const std::size_t k = m.find_first_of("{|}", j + 1);
        if (k == std::string_view::npos) throw RubyError("'{' is never closed", i);
        if (m[k] == '{') throw RubyError("a ruby group inside a ruby group", k);
        if (m[k] == '|') throw RubyError("a second '|' in one ruby group", k);
        const std::string_view reading = m.substr(j + 1, k - j - 1);
        if (reading.empty()) throw RubyError("a ruby group with no reading after '|'", j);
        if (!kana_only(reading))
            throw RubyError("the reading '" + std::string(reading) + "' of '" + std::string(base) + "' is not kana", j + 1);
        out += kRubyOpen;
        out += base;
        out += kRubySep;
        out += reading;
        out += kRubyClose;
        i = k + 1;
    }
    return out;
}

const std::string& ruby_cached(const std::string& markup) {
    if (markup.find('{') == std::string::npos) return markup;
    static std::unordered_map<std::string, std::string> cache;
    if (auto it = cache.find(markup); it != cache.end()) return it->second;
    if (cache.size() > 4096) cache.clear();  // only texts of the catalogue come here; a bound all the same
    std::string parsed;
    try {
        parsed = parse_ruby(markup);
    } catch (const RubyError&) {
        parsed = markup;
    }
    return cache.emplace(markup, std::move(parsed)).first->second;
}

bool has_ruby(std::string_view text) { return text.find(kRubyOpen) != std::string_view::npos; }

std::vector<RubyPiece> ruby_pieces(std::string_view text) {
    std::vector<RubyPiece> out;
    std::size_t i = 0;
    while (i < text.size()) {
        const std::size_t open = text.find(kRubyOpen, i);
        if (open == std::string_view::npos) {
            out.push_back({text.substr(i), {}, false});
            break;
        }
        if (open > i) out.push_back({text.substr(i, open - i), {}, false});
        const std::size_t b = open + kRubyOpen.size();
        std::size_t sep = text.find(kRubySep, b);
        std::size_t close = text.find(kRubyClose, b);
        if (close == std::string_view::npos) close = text.size();
        if (sep == std::string_view::npos || sep > close) sep = close;
        const std::size_t r = std::min(text.size(), sep + kRubySep.size());
        out.push_back({text.substr(b, sep - b), text.substr(std::min(r, close), close - std::min(r, close)), true});
        i = std::min(text.size(), close + kRubyClose.size());
    }
    return out;
}

std::string ruby_base(std::string_view text) {
    if (!has_ruby(text)) return std::string(text);
    std::string out;
    for (const auto& p : ruby_pieces(text)) out += p.base;
    return out;
}

std::string ruby_readings(std::string_view text) {
    std::string out;
    for (const auto& p : ruby_pieces(text)) out += p.reading;
    return out;
}

std::string ruby_markup(std::string_view text) {
    if (!has_ruby(text)) return std::string(text);
    std::string out;
    for (const auto& p : ruby_pieces(text)) {
        if (!p.group) {
            out += p.base;
        } else {
            out += '{';
            out += p.base;
            out += '|';
            out += p.reading;
            out += '}';
        }
    }
    return out;
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
