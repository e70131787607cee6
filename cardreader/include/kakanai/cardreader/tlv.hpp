#pragma once
// Strict BER-TLV parsing: every length is checked against the buffer.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace kakanai::cardreader {

struct Tlv {
    std::uint32_t tag = 0;
    std::size_t offset = 0;         // of the tag, within the parsed buffer
    std::size_t header_length = 0;  // tag + length bytes
    std::span<const std::uint8_t> value;
    std::size_t total_length() const { return header_length + value.size(); }
};

// Parses the header at `data[offset]` and checks that the value fits.
// Throws CardError(Malformed) on truncation or an invalid length.
Tlv parse_tlv(std::span<const std::uint8_t> data, std::size_t offset = 0);

// Only the header: tag, and the value length it announces (which may run past `data`).
// Returns nullopt when `data` is too short to hold the header.
struct TlvHeader {
    std::uint32_t tag;
    std::size_t header_length;
    std::size_t value_length;
};
std::optional<TlvHeader> parse_tlv_header(std::span<const std::uint8_t> data);

// All TLVs that fill `data` exactly. A 0x00 or 0xFF byte where a tag should
// start ends the list (card filler); anything else malformed throws.
std::vector<Tlv> parse_tlv_list(std::span<const std::uint8_t> data);

}  // namespace kakanai::cardreader
