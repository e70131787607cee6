#pragma once
// UTF-8 decoding through ICU (U8_NEXT): one rule for what is malformed.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace kakanai::base {

inline constexpr char32_t kReplacementCharacter = U'\uFFFD';

// The code point starting at byte `at` of `s`; advances `at` past it. A
// malformed sequence yields U+FFFD and advances past its maximal invalid
// part (at least one byte). `at` must be < s.size().
char32_t next_code_point(std::string_view s, std::size_t& at) noexcept;

// Every code point of `s`, malformed sequences as U+FFFD.
std::u32string decode_utf8(std::string_view s);

// The bytes of each character of `s` (a malformed sequence is one entry).
std::vector<std::string_view> utf8_characters(std::string_view s);

// The UTF-8 of one code point; U+FFFD for surrogates and values past U+10FFFF.
std::string encode_utf8(char32_t cp);

}  // namespace kakanai::base
