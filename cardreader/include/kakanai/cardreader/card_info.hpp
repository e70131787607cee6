#pragma once
// What the kiosk learns from a My Number card.
#include <array>
#include <chrono>
#include <cstddef>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>

namespace kakanai::cardreader {

enum class Sex { Male, Female, Other, Unknown };
const char* to_string(Sex s);  // "male" / "female" / "other" / "unknown"
Sex sex_from_card_code(std::string_view code);  // "1" 男, "2" 女, "9" 適用不能, else unknown

// The 12-digit 個人番号 in a fixed buffer, zeroed on destruction and on clear().
// It has no operator<< on purpose; digits() is the only way out.
class MyNumber {
public:
    MyNumber() = default;
    explicit MyNumber(std::string_view twelve_digits);  // throws std::invalid_argument
    MyNumber(const MyNumber&);
    MyNumber& operator=(const MyNumber&);
    ~MyNumber();
    bool empty() const noexcept { return !set_; }
    std::string_view digits() const noexcept { return {digits_.data(), set_ ? digits_.size() : 0}; }
    void clear() noexcept;

private:
    std::array<char, 12> digits_{};
    bool set_ = false;
};

enum class Authenticity { NotChecked, Consistent, Verified, HashMismatch, SignatureInvalid };
const char* to_string(Authenticity a);
// Data may be used (prefilled, printed) only when the check passed: verified or
// consistent. hash_mismatch, signature_invalid and not_checked refuse the card.
constexpr bool accepted(Authenticity a) noexcept { return a == Authenticity::Verified || a == Authenticity::Consistent; }

struct CardInfo {
    std::string name;
    std::string address;
    std::string birth_date;  // ISO 8601, YYYY-MM-DD (western calendar)
    Sex sex = Sex::Unknown;
    std::optional<MyNumber> my_number;  // read only when a form needs it

    // How it was read.
    std::string reader;
    std::chrono::system_clock::time_point read_at{};
    Authenticity authenticity = Authenticity::NotChecked;

    // Zeroes every personal field.
    void wipe() noexcept;
};

// Prints name, birth date and sex; never the 個人番号.
std::ostream& operator<<(std::ostream& os, const CardInfo& info);

}  // namespace kakanai::cardreader
