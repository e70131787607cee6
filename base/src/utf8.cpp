#include "kakanai/base/utf8.hpp"

#include <unicode/utf8.h>

#include <cstdint>

namespace kakanai::base {

char32_t next_code_point(std::string_view s, std::size_t& at) noexcept {
    const auto* p = reinterpret_cast<const std::uint8_t*>(s.data());
    const auto length = static_cast<std::int32_t>(s.size());
    auto i = static_cast<std::int32_t>(at);
    UChar32 c = 0;
    U8_NEXT(p, i, length, c);
    at = static_cast<std::size_t>(i);
    return c < 0 ? kReplacementCharacter : static_cast<char32_t>(c);
}

std::u32string decode_utf8(std::string_view s) {
    std::u32string out;
    out.reserve(s.size());
    for (std::size_t at = 0; at < s.size();) out.push_back(next_code_point(s, at));
    return out;
}

std::vector<std::string_view> utf8_characters(std::string_view s) {
    std::vector<std::string_view> out;
    for (std::size_t at = 0; at < s.size();) {
        const std::size_t start = at;
        next_code_point(s, at);
        out.push_back(s.substr(start, at - start));
    }
    return out;
}

std::string encode_utf8(char32_t cp) {
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = kReplacementCharacter;
    std::uint8_t buf[U8_MAX_LENGTH];
    std::int32_t n = 0;
    U8_APPEND_UNSAFE(buf, n, static_cast<UChar32>(cp));
    return std::string(reinterpret_cast<const char*>(buf), static_cast<std::size_t>(n));
}

}  // namespace kakanai::base
