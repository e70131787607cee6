// The input pads without drawing: the keys of each pad and what they do.
#include <gtest/gtest.h>

#include <set>

#include "pads.hpp"

using namespace kakanai::kiosk;

namespace {

std::string typed(std::initializer_list<const char*> keys) {
    std::string draft;
    for (const char* k : keys) press_kana(draft, k);
    return draft;
}

}  // namespace

// ゛゜ cycles the last kana through the forms ICU's composition knows.
TEST(KanaPad, DakutenCyclesTheLastKana) {
    EXPECT_EQ(cycle_dakuten("カ"), "ガ");
    EXPECT_EQ(cycle_dakuten("ガ"), "カ");
    EXPECT_EQ(cycle_dakuten("ハ"), "バ");
    EXPECT_EQ(cycle_dakuten("バ"), "パ");
    EXPECT_EQ(cycle_dakuten("パ"), "ハ");
    EXPECT_EQ(cycle_dakuten("ウ"), "ヴ");
    EXPECT_EQ(cycle_dakuten("ヴ"), "ウ");
    EXPECT_EQ(cycle_dakuten("ア"), "ア");   // no mark exists: unchanged
    EXPECT_EQ(cycle_dakuten("バンコ"), "バンゴ");
    EXPECT_EQ(cycle_dakuten("ハナ "), "ハナ ");  // after a space: nothing to mark
    EXPECT_EQ(cycle_dakuten(""), "");
}

TEST(KanaPad, SmallKanaAndTakingBack) {
    EXPECT_EQ(toggle_small("キヨ"), "キョ");
    EXPECT_EQ(toggle_small("キョ"), "キヨ");
    EXPECT_EQ(toggle_small("ツ"), "ッ");
    EXPECT_EQ(toggle_small("シ"), "シ");
    EXPECT_EQ(drop_last_char("バンゴウ"), "バンゴ");
    EXPECT_EQ(drop_last_char(""), "");
}

// A resident types their フリガナ: family name, one space, given name.
TEST(KanaPad, TypingANameWithMarksAndASpace) {
    EXPECT_EQ(typed({"kana.ha", "kana.dakuten", "kana.n", "kana.ko", "kana.dakuten", "kana.u", "kana.space", "kana.ha",
                     "kana.na", "kana.ko"}),
              "バンゴウ ハナコ");
    EXPECT_EQ(typed({"kana.ha", "kana.dakuten", "kana.dakuten", "kana.tsu", "kana.small", "kana.to"}), "パット");
    EXPECT_EQ(typed({"kana.ki", "kana.yo", "kana.small", "kana.u", "kana.long"}), "キョウー");
    // No space first or twice, no ー at the start, 消す takes back one kana.
    EXPECT_EQ(typed({"kana.space", "kana.long", "kana.a", "kana.space", "kana.space", "kana.i", "kana.back"}), "ア ");
    EXPECT_EQ(typed({"kana.nope", "kana.a"}), "ア");
}

TEST(KanaPad, EveryKanaOnceInBothLayouts) {
    for (const int cols : {11, 8}) {
        const PadLayout pad = kana_pad(cols);
        std::set<std::string> ids;
        std::set<std::pair<int, int>> cells;
        for (const auto& k : pad.keys) {
            EXPECT_TRUE(ids.insert(k.id).second) << k.id;
            EXPECT_TRUE(cells.insert({k.row, k.col}).second) << k.id << " at " << k.row << "," << k.col;
            EXPECT_LT(k.row, pad.rows) << k.id;
            EXPECT_LE(k.col + k.span, pad.cols) << k.id;
        }
        EXPECT_EQ(pad.keys.size(), 46u + 5u) << cols;  // 46 kana, ゛゜ 小 ー 空白 消す
        EXPECT_TRUE(ids.count("kana.n") && ids.count("kana.wo") && ids.count("kana.dakuten") && ids.count("kana.back"));
    }
    EXPECT_EQ(kana_pad(11).cols, 11);
    EXPECT_EQ(kana_pad(11).rows, 5);
    EXPECT_EQ(kana_pad(8).cols, 8);
    EXPECT_EQ(kana_pad(8).rows, 7);
}

// The digit pad: digits up to the field's length, 消す one digit back; never a 1 nobody typed.
TEST(DigitPad, DigitsAndTakingBack) {
    const PadLayout pad = digit_pad();
    EXPECT_EQ(pad.keys.size(), 11u);
    std::string d;
    for (const char* k : {"digit.1", "digit.2", "digit.3", "digit.clear", "digit.0", "digit.7"}) press_digit(d, k, 4);
    EXPECT_EQ(d, "1207");
    press_digit(d, "digit.9", 4);
    EXPECT_EQ(d, "1207");  // at most 4 digits
    std::string empty;
    press_digit(empty, "digit.clear", 4);
    EXPECT_EQ(empty, "");
    press_digit(empty, "digit.x", 4);
    EXPECT_EQ(empty, "");
}
