// UTF-8 through ICU: BMP and non-BMP names, and malformed bytes as U+FFFD.
#include <gtest/gtest.h>

#include <string>

#include "kakanai/base/utf8.hpp"

using namespace kakanai::base;

TEST(Utf8, DecodesOneToFourByteCharacters) {
    EXPECT_EQ(decode_utf8("a\u00e9\u5409\U00020BB7"), std::u32string(U"a\u00e9\u5409\U00020BB7"));
    EXPECT_EQ(decode_utf8(""), std::u32string());
}

TEST(Utf8, MalformedBytesBecomeReplacementCharacters) {
    EXPECT_EQ(decode_utf8("a\xff" "b"), std::u32string(U"a\uFFFDb"));
    EXPECT_EQ(decode_utf8("\xe5\x90"), std::u32string(U"\uFFFD"));          // truncated at the end
    EXPECT_EQ(decode_utf8("\xc0\xaf"), std::u32string(U"\uFFFD\uFFFD"));    // overlong
    EXPECT_EQ(decode_utf8("\xed\xa0\x80").find(char32_t{0xD800}), std::u32string::npos);  // no surrogates
}

TEST(Utf8, CharactersKeepTheirBytes) {
    const auto cs = utf8_characters("𠮷野家\xff");
    ASSERT_EQ(cs.size(), 4u);
    EXPECT_EQ(cs[0], "𠮷");
    EXPECT_EQ(cs[2], "家");
    EXPECT_EQ(cs[3], "\xff");
}

TEST(Utf8, EncodesRoundTrip) {
    for (char32_t cp : {U'A', U'\u00e9', U'\u5409', U'\U00020BB7', U'\U0010FFFF'})
        EXPECT_EQ(decode_utf8(encode_utf8(cp)), std::u32string(1, cp));
    EXPECT_EQ(encode_utf8(0xD800), "\uFFFD");
    EXPECT_EQ(encode_utf8(0x110000), "\uFFFD");
}
