#pragma once
// The 個人番号 (12-digit My Number) check digit: the 12th digit follows from the
// first 11 as 施行令 (Cabinet Order) art. 8 prescribes.
#include <optional>
#include <string_view>

namespace kakanai::base {

// The check digit ('0'..'9') for 11 ASCII digits; nothing for any other input.
std::optional<char> my_number_check_digit(std::string_view first_eleven) noexcept;

// True for exactly 12 ASCII digits whose last one is the check digit.
bool my_number_is_valid(std::string_view twelve_digits) noexcept;

}  // namespace kakanai::base
