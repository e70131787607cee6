#pragma once
// A virtual My Number card: profiles are TOML files (tests/cards/*.toml).
// The same object answers APDUs in-process (InProcessChannel) and behind the
// real pcscd through vsmartcard's vpcd driver (serve_vpcd, kakanai-vcard).
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>

#include "kakanai/cardreader/channel.hpp"

// Test and demo use only: the kiosk links it only with KAKANAI_TEST_HOOKS.
namespace kakanai::virtualcard {

using cardreader::byte_vector;

struct CardProfile {
    std::string name;
    std::string address;
    std::string birth_date;  // YYYY-MM-DD
    std::string sex_code = "1";
    std::string my_number;   // 12 digits (test data only)
    std::string pin = "1234";
    int pin_tries_left = 3;
    // 照合番号B (EF 0015). When `code_b` is empty it is computed from the
    // birth date, expiry year and security code (as printed on the card face).
    std::string code_b;
    int expiry_year = 2035;
    std::string security_code = "2285";
    int code_b_tries_left = 3;  // the real count is unknown (UNC)
    // Authenticity: EF 0003 is signed with card_key, EF 0004 certifies the card
    // key with ca_key (PEM private keys). No keys: EF 0003/0004 are absent.
    std::filesystem::path card_key_pem;
    std::filesystem::path ca_key_pem;
    // Faults for tests.
    std::optional<std::string> raw_basic4_hex;  // replaces EF 0002 (malformed TLV)
    std::optional<std::string> tampered_address;  // served instead of the signed address
    bool corrupt_signature = false;               // one bit of DF33 flipped
    int remove_after_apdus = -1;                  // card "pulled out" after N APDUs
    std::size_t filler_bytes = 16;                // 0xFF bytes after the TLV, as cards have

    // Throws std::runtime_error naming the file and key on bad profiles.
    static CardProfile load(const std::filesystem::path& file);
};

class VirtualCard {
public:
    explicit VirtualCard(CardProfile profile);
    // One APDU in, one answer out. Keeps state like a card (selected file,
    // verified flag, PIN counter).
    byte_vector process(const byte_vector& command);
    static const byte_vector& atr();

    int pin_tries_left() const noexcept { return tries_; }
    int code_b_tries_left() const noexcept { return code_b_tries_; }
    // VERIFYs a reader sent while EF 0012 was selected (must stay 0).
    int ef0012_verifies() const noexcept { return ef0012_verifies_; }
    // VERIFYs that carried a secret (PIN or 照合番号B), right or wrong.
    int secret_verifies() const noexcept { return secret_verifies_; }
    bool removed() const noexcept;  // past remove_after_apdus
    int apdus_seen() const noexcept { return apdus_; }
    void power_cycle();  // reset: clears selection and verified state

    const byte_vector& ef_basic4() const noexcept { return ef0002_; }
    const byte_vector& ef_my_number() const noexcept { return ef0001_; }
    const byte_vector& ef_signature() const noexcept { return ef0003_; }
    const byte_vector& ef_certificate() const noexcept { return ef0004_; }

private:
    cardreader::ResponseApdu answer(const cardreader::CommandApdu& c);
    cardreader::ResponseApdu verify(const cardreader::CommandApdu& c);
    cardreader::ResponseApdu read_binary(const cardreader::CommandApdu& c);

    enum class Opened { None, ByPin, ByCodeB };

    CardProfile profile_;
    byte_vector ef0001_, ef0002_, ef0003_, ef0004_;
    std::string code_b_;
    int tries_;
    int code_b_tries_;
    int ef0012_verifies_ = 0;
    int secret_verifies_ = 0;
    bool ap_selected_ = false;
    Opened opened_ = Opened::None;
    std::uint16_t ef_ = 0;
    int apdus_ = 0;
};

// The virtual card as a cardreader::CardChannel, with no pcscd in between.
class InProcessChannel : public cardreader::CardChannel {
public:
    explicit InProcessChannel(VirtualCard& card) : card_(card) {}
    std::string reader_name() const override { return "kakanai in-process virtual card"; }

protected:
    cardreader::ResponseApdu transmit_raw(const cardreader::CommandApdu& command) override;

private:
    VirtualCard& card_;
};

// vpcd's wire format, apart from the socket: every message is a 2-byte
// big-endian length and a payload; a 1-byte payload is a control code
// (0 power off, 1 power on, 2 reset, 4 get ATR), anything longer an APDU.
class VpcdReader {
public:
    // Appends bytes as they arrive from the socket.
    void feed(std::span<const std::uint8_t> bytes);
    // The next complete message's payload, or nothing until more bytes arrive.
    std::optional<byte_vector> next();
    std::size_t buffered() const noexcept { return buffer_.size() - at_; }

private:
    byte_vector buffer_;
    std::size_t at_ = 0;
};

// The card's answer to one vpcd message: the payload to send back (framed by
// vpcd_frame), or nothing for control codes that need no answer. Sets
// `pulled` (and answers nothing) once the card is past remove_after_apdus.
std::optional<byte_vector> vpcd_answer(VirtualCard& card, const byte_vector& payload, bool& pulled);
// Length prefix + payload. Throws std::length_error past 65535 bytes.
byte_vector vpcd_frame(const byte_vector& payload);

// Connects to vpcd (host:port) as its card and answers until the connection
// closes, `stop` becomes true, or the card's remove_after_apdus is reached.
// Returns false when no connection could be made.
bool serve_vpcd(VirtualCard& card, const std::string& host, std::uint16_t port,
                const std::atomic<bool>& stop);

inline constexpr std::uint16_t kVpcdFirstPort = 35963;  // reader "Virtual PCD 00 00"

}  // namespace kakanai::virtualcard
