#pragma once
// A virtual My Number card: profiles are TOML files (tests/cards/*.toml).
// The same object answers APDUs in-process (InProcessChannel) and behind the
// real pcscd through vsmartcard's vpcd driver (serve_vpcd, kakanai-vcard).
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "kakanai/cardreader/channel.hpp"

namespace kakanai::cardreader {

struct CardProfile {
    std::string name;
    std::string address;
    std::string birth_date;  // YYYY-MM-DD
    std::string sex_code = "1";
    std::string my_number;   // 12 digits (test data only)
    std::string pin = "1234";
    int pin_tries_left = 3;
    // Faults for tests.
    std::optional<std::string> raw_basic4_hex;  // replaces EF 0002 (malformed TLV)
    int remove_after_apdus = -1;                // card "pulled out" after N APDUs
    std::size_t filler_bytes = 16;              // 0xFF bytes after the TLV, as cards have

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
    bool removed() const noexcept;  // past remove_after_apdus
    int apdus_seen() const noexcept { return apdus_; }
    void power_cycle();  // reset: clears selection and verified state

    const byte_vector& ef_basic4() const noexcept { return ef0002_; }

private:
    ResponseApdu answer(const CommandApdu& c);
    ResponseApdu verify(const CommandApdu& c);
    ResponseApdu read_binary(const CommandApdu& c);

    CardProfile profile_;
    byte_vector ef0001_, ef0002_;
    int tries_;
    bool ap_selected_ = false;
    bool verified_ = false;
    std::uint16_t ef_ = 0;
    int apdus_ = 0;
};

// The virtual card as a CardChannel, with no pcscd in between.
class InProcessChannel : public CardChannel {
public:
    explicit InProcessChannel(VirtualCard& card) : card_(card) {}
    std::string reader_name() const override { return "kakanai in-process virtual card"; }

protected:
    ResponseApdu transmit_raw(const CommandApdu& command) override;

private:
    VirtualCard& card_;
};

// Connects to vpcd (host:port) as its card and answers until the connection
// closes, `stop` becomes true, or the card's remove_after_apdus is reached.
// Returns false when no connection could be made.
bool serve_vpcd(VirtualCard& card, const std::string& host, std::uint16_t port,
                const std::atomic<bool>& stop);

inline constexpr std::uint16_t kVpcdFirstPort = 35963;  // reader "Virtual PCD 00 00"

}  // namespace kakanai::cardreader
