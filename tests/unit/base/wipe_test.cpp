// Wiping: the bytes are zero afterwards and the string gives its buffer back.
#include <gtest/gtest.h>

#include <array>
#include <string>

#include "kakanai/base/wipe.hpp"

TEST(Wipe, SecureZeroClearsEveryByte) {
    std::array<char, 5> pin{'1', '2', '3', '4', '5'};
    kakanai::base::secure_zero(pin.data(), 4);
    EXPECT_EQ(std::string(pin.data(), 5), std::string("\0\0\0\0" "5", 5));
    kakanai::base::secure_zero(nullptr, 3);  // no-op, no crash
    kakanai::base::secure_zero(pin.data(), 0);
    EXPECT_EQ(pin[4], '5');
}

TEST(Wipe, WipeStringEmptiesTheString) {
    std::string s(100, 'x');
    kakanai::base::wipe_string(s);
    EXPECT_TRUE(s.empty());
    EXPECT_LT(s.capacity(), 100u);
}
