#include "kakanai/forms/ruby.hpp"

#include <algorithm>

#include "kakanai/base/utf8.hpp"

namespace kakanai::forms {
namespace {

bool kana_only(std::string_view s) {
    for (const char32_t c : base::decode_utf8(s))
        if (!(c >= 0x3041 && c <= 0x309F) && !(c >= 0x30A0 && c <= 0x30FF)) return false;
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
                throw RubyError("'{" + std::string(m.substr(i + 1, j - i - 1)) +
                                    "}' is neither a ruby group {base|reading} nor a placeholder such as {n}",
                                i);
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
            throw RubyError("the reading '" + std::string(reading) + "' of '" + std::string(base) + "' is not kana",
                            j + 1);
        out += kRubyOpen;
        out += base;
        out += kRubySep;
        out += reading;
        out += kRubyClose;
        i = k + 1;
    }
    return out;
}

std::string parse_ruby_or_keep(std::string_view markup) {
    if (markup.find('{') == std::string_view::npos) return std::string(markup);
    try {
        return parse_ruby(markup);
    } catch (const RubyError&) {
        return std::string(markup);
    }
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

namespace {

// The text with each group written as open + base + between + reading + close.
std::string join_groups(std::string_view text, std::string_view open, std::string_view between,
                        std::string_view close) {
    if (!has_ruby(text)) return std::string(text);
    std::string out;
    for (const auto& p : ruby_pieces(text)) {
        if (!p.group) {
            out += p.base;
            continue;
        }
        out += open;
        out += p.base;
        out += between;
        out += p.reading;
        out += close;
    }
    return out;
}

}  // namespace

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

std::string ruby_markup(std::string_view text) { return join_groups(text, "{", "|", "}"); }

std::string ruby_bracketed(std::string_view text) { return join_groups(text, "", "（", "）"); }

}  // namespace kakanai::forms
