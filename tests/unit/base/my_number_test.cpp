// The 個人番号 check digit against invented numbers whose check digits were
// worked out by hand from the rule (weights 2..7 then 2..6 from the right;
// a remainder of 0 or 1 gives 0).
#include <gtest/gtest.h>

#include <string>

#include "kakanai/base/my_number.hpp"

using kakanai::base::my_number_check_digit;
using kakanai::base::my_number_is_valid;

TEST(MyNumber, CheckDigitOfKnownNumbers) {
    EXPECT_EQ(my_number_check_digit("12345678901"), '8');  // sum 212, remainder 3
    EXPECT_EQ(my_number_check_digit("00000000000"), '0');  // remainder 0
    EXPECT_EQ(my_number_check_digit("00000000006"), '0');  // sum 12, remainder 1
    EXPECT_EQ(my_number_check_digit("00000000001"), '9');  // sum 2
    EXPECT_EQ(my_number_check_digit("10000000000"), '5');  // the leftmost digit weighs 6
    EXPECT_EQ(my_number_check_digit("11111111111"), '8');
    EXPECT_EQ(my_number_check_digit("99999999999"), '6');
}

TEST(MyNumber, CheckDigitNeedsElevenAsciiDigits) {
    for (const char* bad : {"", "1234567890", "123456789012", "1234567890a", "１２３４５６７８９０１"})
        EXPECT_FALSE(my_number_check_digit(bad).has_value()) << bad;
}

TEST(MyNumber, AcceptsKnownGoodNumbers) {
    for (const char* good : {"123456789018", "000000000000", "000000000060", "000000000019", "100000000005",
                             "111111111118", "999999999996", "234567890121"})
        EXPECT_TRUE(my_number_is_valid(good)) << good;
}

TEST(MyNumber, RejectsKnownBadNumbers) {
    for (const char* bad : {"123456789012", "123456789019", "111111111111", "999999999991", "000000000061",
                            "12345678901", "1234567890180", "12345678901a", "", "1234 5678 9018",
                            "１２３４５６７８９０１８"})
        EXPECT_FALSE(my_number_is_valid(bad)) << bad;
    // Any single changed digit is caught.
    const std::string good = "123456789018";
    for (std::size_t i = 0; i < 12; ++i) {
        std::string changed = good;
        changed[i] = changed[i] == '9' ? '0' : static_cast<char>(changed[i] + 1);
        EXPECT_FALSE(my_number_is_valid(changed)) << i;
    }
}
