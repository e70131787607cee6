#pragma once
// The input pads of the kiosk's questions, without drawing: which keys a pad
// has and where, and what a key does to the answer being typed. The screens
// draw the keys with their own buttons (kiosk/resident/ui.cpp); scripts tap
// them by id.
//   digit pad  1-9, 0 and 消す (one digit back): numbers such as 登録番号
//   kana pad   the 50音 table in katakana, ゛゜ (cycles か→が, は→ば→ぱ→は),
//              小 (ア↔ァ, ツ↔ッ, ヤ↔ャ), ー, a space between family and given
//              name, and 消す (one character back): フリガナ
#include <string>
#include <vector>

namespace kakanai::kiosk {

struct PadKey {
    std::string id;     // "digit.7", "kana.ka", "kana.dakuten", ...
    std::string label;  // what the key shows; i18n keys for the word keys (see `word`)
    int row = 0, col = 0;
    int span = 1;       // columns the key covers
    bool word = false;  // label is an i18n key (消す, 小, 空白), not the text itself
};

struct PadLayout {
    std::vector<PadKey> keys;
    int rows = 0, cols = 0;
};

// 1 2 3 / 4 5 6 / 7 8 9 / 消す 0.
PadLayout digit_pad();
// Appends a digit (up to `max_len` digits) or takes the last one back ("digit.clear").
void press_digit(std::string& draft, const std::string& key_id, std::size_t max_len);

// The 50音 table: with 11 or more columns, one column per 行 (ア..ワ) and the
// function keys in an 11th; with fewer (portrait, at least 8), ア..ヤ行 as
// columns (小 and ー in the ヤ column's free cells), then ラ行 and ワ ヲ ン in
// a row, then ゛゜ 空白 消す two cells each, leaving the last two cells of that
// row to the screen (次へ).
PadLayout kana_pad(int columns);
// What a key does to the フリガナ typed so far (UTF-8 katakana).
void press_kana(std::string& draft, const std::string& key_id);

// The last character with its dakuten / handakuten cycled (ICU's canonical
// composition decides which exist): カ→ガ→カ, ハ→バ→パ→ハ, ウ→ヴ→ウ; other text unchanged.
std::string cycle_dakuten(const std::string& text);
// The last character in its small form or back: ア↔ァ, ツ↔ッ, ヤ↔ャ, ワ↔ヮ, カ↔ヵ, ケ↔ヶ.
std::string toggle_small(const std::string& text);
// `text` without its last character (a whole UTF-8 code point).
std::string drop_last_char(const std::string& text);

// Every character the pads and the date and 年度 texts can show (all katakana
// and hiragana, era names, 年月日): the font atlas must hold them.
std::string pad_text();

}  // namespace kakanai::kiosk
