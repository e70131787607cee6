#pragma once
// 照合番号B: what counter staff type from the card face when a resident forgot
// the 4-digit PIN. It opens 基本4情報 (EF 0002) but never 個人番号 (CARD.md).
//   birth date as YYMMDD with the Japanese-era year (昭和55年2月17日 -> 550217)
//   + expiry year as western YYYY + the card's 4-digit security code
//   e.g. 1980-02-17, 2035, 2285 -> 55021720352285
// For staff mode only, never the self-service screen.
#include <array>
#include <string>
#include <string_view>

namespace kakanai::cardreader {

// Birth date (ISO YYYY-MM-DD, western) as YYMMDD in its Japanese era, computed
// with ICU's Japanese calendar: 1989-01-07 -> "640107" (昭和64年),
// 1989-01-08 -> "010108" (平成元年). Throws std::invalid_argument.
std::string japanese_era_yymmdd(std::string_view iso_date);

class CodeB {
public:
    // Throws std::invalid_argument naming the field that is wrong (never its value).
    static CodeB from_card_face(std::string_view birth_date_iso, int expiry_year, std::string_view security_code);
    CodeB(const CodeB&) = delete;
    CodeB& operator=(const CodeB&) = delete;
    CodeB(CodeB&&) noexcept;
    ~CodeB();
    const std::array<char, 14>& digits() const noexcept { return digits_; }

private:
    CodeB() = default;
    std::array<char, 14> digits_{};
};

}  // namespace kakanai::cardreader
