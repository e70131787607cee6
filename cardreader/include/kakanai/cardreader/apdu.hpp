#pragma once
// ISO 7816-4 short APDUs.
#include <cstdint>
#include <optional>
#include <string>

#include "kakanai/cardreader/bytes.hpp"

namespace kakanai::cardreader {

struct CommandApdu {
    std::uint8_t cla = 0x00;
    std::uint8_t ins = 0x00;
    std::uint8_t p1 = 0x00;
    std::uint8_t p2 = 0x00;
    byte_vector data;
    std::optional<std::uint16_t> le;  // 256 is encoded as 00
    // Data is a secret (PIN, 照合番号): logs show its length only.
    bool secret_data = false;
    // The answer is a secret (個人番号): logs show its length only.
    bool secret_response = false;

    byte_vector encode() const;
    static CommandApdu decode(const byte_vector& raw);  // throws CardError(Malformed)
    // For logs: header in hex, secret parts replaced by "<n bytes redacted>".
    std::string describe() const;
};

struct ResponseApdu {
    byte_vector data;
    std::uint8_t sw1 = 0x6F;
    std::uint8_t sw2 = 0x00;

    std::uint16_t sw() const { return static_cast<std::uint16_t>((sw1 << 8) | sw2); }
    bool ok() const { return sw1 == 0x90 && sw2 == 0x00; }
    byte_vector encode() const;
    static ResponseApdu parse(const byte_vector& raw);  // throws CardError(Malformed) under 2 bytes
    static ResponseApdu status(std::uint16_t sw) {
        return ResponseApdu{{}, static_cast<std::uint8_t>(sw >> 8), static_cast<std::uint8_t>(sw & 0xFF)};
    }
};

}  // namespace kakanai::cardreader
