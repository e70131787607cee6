#pragma once
// The My Number card's 券面事項入力補助AP: one function per card step.
// Byte-level facts (AIDs, EFs, tags) live in mynumber_constants.hpp.
#include <array>
#include <span>
#include <string_view>

#include "kakanai/cardreader/card_info.hpp"
#include "kakanai/cardreader/channel.hpp"

namespace kakanai::cardreader {

// The 4-digit PIN in a fixed buffer, zeroed on destruction.
class Pin {
public:
    explicit Pin(std::string_view four_digits);  // throws std::invalid_argument
    Pin(const Pin&) = delete;
    Pin& operator=(const Pin&) = delete;
    ~Pin();
    const std::array<char, 4>& digits() const noexcept { return digits_; }

private:
    std::array<char, 4> digits_{};
};

struct ReadOptions {
    bool with_my_number = false;  // read EF 0001 too (only when a form needs it)
    bool allow_last_try = false;  // the resident chose to spend the last PIN try
};

class KenhojoAp {
public:
    explicit KenhojoAp(CardChannel& channel) : channel_(channel) {}

    void select();                  // SELECT the AP; NotMyNumberCard when absent
    int pin_tries_left();           // spends no try
    // VERIFY the PIN. Refuses (LastTryNeedsConfirmation) with one try left
    // unless allowed, and never retries by itself. WrongPin carries tries left.
    void verify_pin(const Pin& pin, bool allow_last_try);
    CardInfo read_basic4();         // EF 0002
    MyNumber read_my_number();      // EF 0001

    int apdu_count() const noexcept { return apdus_; }

private:
    ResponseApdu send(const CommandApdu& c);
    void select_ef(std::uint16_t fid);
    byte_vector read_tlv_file(bool secret);

    CardChannel& channel_;
    int apdus_ = 0;
};

// SELECT, tries, VERIFY, READ: the whole read the kiosk does.
CardInfo read_card(CardChannel& channel, const Pin& pin, const ReadOptions& options = {});

// Parses EF 0002 (基本4情報). Throws CardError(Malformed) on any defect.
CardInfo parse_basic4(std::span<const std::uint8_t> ef0002);
MyNumber parse_my_number(std::span<const std::uint8_t> ef0001);

}  // namespace kakanai::cardreader
