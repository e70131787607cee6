#include <gtest/gtest.h>

#include "kakanai/cardreader/apdu.hpp"
#include "kakanai/cardreader/errors.hpp"

using namespace kakanai::cardreader;

TEST(Apdu, EncodesAndDecodesAllCases) {
    CommandApdu select{0x00, 0xA4, 0x02, 0x0C, from_hex("00 02"), std::nullopt};
    EXPECT_EQ(to_hex(select.encode()), "00 A4 02 0C 02 00 02");
    CommandApdu read{0x00, 0xB0, 0x00, 0x00, {}, 256};
    EXPECT_EQ(to_hex(read.encode()), "00 B0 00 00 00");
    const auto back = CommandApdu::decode(read.encode());
    EXPECT_EQ(back.le.value_or(0), 256);
    const auto both = CommandApdu::decode(from_hex("00 A4 04 00 02 3F 00 10"));
    EXPECT_EQ(both.data.size(), 2u);
    EXPECT_EQ(both.le.value_or(0), 0x10);
    EXPECT_THROW(CommandApdu::decode(from_hex("00 A4 04 00 05 3F")), CardError);
}

TEST(Apdu, DescribeRedactsSecretData) {
    CommandApdu verify{0x00, 0x20, 0x00, 0x80, from_hex("31 32 33 34"), std::nullopt};
    verify.secret_data = true;
    const std::string s = verify.describe();
    EXPECT_EQ(s.find("31 32 33 34"), std::string::npos);
    EXPECT_NE(s.find("4 bytes redacted"), std::string::npos);
}

TEST(Apdu, ResponseNeedsStatusWord) {
    EXPECT_THROW(ResponseApdu::parse(from_hex("90")), CardError);
    const auto r = ResponseApdu::parse(from_hex("41 42 90 00"));
    EXPECT_TRUE(r.ok());
    EXPECT_EQ(r.data.size(), 2u);
}
