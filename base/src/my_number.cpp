#include "kakanai/base/my_number.hpp"

namespace kakanai::base {
namespace {
bool all_digits(std::string_view s) noexcept {
    for (char c : s)
        if (c < '0' || c > '9') return false;
    return true;
}
}  // namespace

std::optional<char> my_number_check_digit(std::string_view d) noexcept {
    if (d.size() != 11 || !all_digits(d)) return std::nullopt;
    // P_n is the n-th digit counted from the right of the 11; Q_n = n+1 for
    // n <= 6, n-5 above.
    int sum = 0;
    for (int n = 1; n <= 11; ++n) sum += (d[static_cast<std::size_t>(11 - n)] - '0') * (n <= 6 ? n + 1 : n - 5);
    const int r = sum % 11;
    return static_cast<char>('0' + (r <= 1 ? 0 : 11 - r));
}

bool my_number_is_valid(std::string_view d) noexcept {
    if (d.size() != 12) return false;
    const auto check = my_number_check_digit(d.substr(0, 11));
    return check && *check == d[11];
}

}  // namespace kakanai::base
