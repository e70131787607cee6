#pragma once
// The My Number card's 券面事項入力補助AP: one function per card step.
// Byte-level facts (AIDs, EFs, tags) live in mynumber_constants.hpp.
#include <array>
#include <span>
#include <string>
#include <string_view>

#include "kakanai/cardreader/authenticity.hpp"
#include "kakanai/cardreader/card_info.hpp"
#include "kakanai/cardreader/channel.hpp"
#include "kakanai/cardreader/code_b.hpp"

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

// What a read did, for the CLI, tests and the benchmark.
struct ReadStats {
    int data_apdus = 0;          // SELECT AP .. READ BINARY (7 for the four items)
    int authenticity_apdus = 0;  // EF 0003 + EF 0004, counted apart
    int tries_left_before_verify = -1;  // as the card reported it before VERIFY
    std::string authenticity_detail;
};

struct ReadOptions {
    bool with_my_number = false;     // read EF 0001 too (only when a form needs it)
    bool allow_last_try = false;     // the resident chose to spend the last try
    bool check_authenticity = true;  // read EF 0003/0004 and check them
    const CaPublicKey* ca_key = nullptr;  // J-LIS CA key: "verified" instead of "consistent"
    ReadStats* stats = nullptr;           // filled when given
};

class KenhojoAp {
public:
    explicit KenhojoAp(CardChannel& channel) : channel_(channel) {}

    void select();                  // SELECT the AP; NotMyNumberCard when absent
    int pin_tries_left();           // spends no try
    int code_b_tries_left();        // spends no try (the count is UNC: always asked)
    // VERIFY the PIN / 照合番号B. Refuses (LastTryNeedsConfirmation) with one try
    // left unless allowed, refuses (PinLocked) with none, and never retries by
    // itself. WrongPin carries the tries left. Each queries the tries first.
    void verify_pin(const Pin& pin, bool allow_last_try);
    void verify_code_b(const CodeB& code, bool allow_last_try);
    int last_tries_left() const noexcept { return last_tries_; }

    CardInfo read_basic4();         // EF 0002
    MyNumber read_my_number();      // EF 0001
    // Raw files, as read (EF 0001 whole, filler included, for DF31).
    byte_vector read_basic4_file();
    byte_vector read_my_number_file();
    // Reads EF 0003 and EF 0004 (counted in authenticity_apdu_count) and checks
    // them against the files already read; ef0001 empty when not read.
    AuthenticityCheck check_authenticity(std::span<const std::uint8_t> ef0002, std::span<const std::uint8_t> ef0001,
                                         const CaPublicKey* ca);

    int apdu_count() const noexcept { return apdus_; }
    int authenticity_apdu_count() const noexcept { return auth_apdus_; }

private:
    ResponseApdu send(const CommandApdu& c);
    void select_ef(std::uint16_t fid);
    int tries_left(std::uint16_t key_ef);
    void verify(std::uint16_t key_ef, std::span<const char> secret, bool allow_last_try, const char* what);
    byte_vector read_tlv_file(bool secret, std::size_t first_read, bool keep_trailing);

    CardChannel& channel_;
    int apdus_ = 0;
    int auth_apdus_ = 0;
    bool counting_auth_ = false;
    int last_tries_ = -1;
};

// SELECT, tries, VERIFY, READ (+ authenticity): the whole read the kiosk does.
CardInfo read_card(CardChannel& channel, const Pin& pin, const ReadOptions& options = {});
// The staff-assisted read with 照合番号B: 基本4情報 only; asking for 個人番号
// throws CardError(AccessDenied) before anything is sent.
CardInfo read_card_with_code_b(CardChannel& channel, const CodeB& code, const ReadOptions& options = {});

// Parses EF 0002 (基本4情報). Throws CardError(Malformed) on any defect.
CardInfo parse_basic4(std::span<const std::uint8_t> ef0002);
MyNumber parse_my_number(std::span<const std::uint8_t> ef0001);

}  // namespace kakanai::cardreader
