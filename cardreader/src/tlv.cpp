#include "kakanai/cardreader/tlv.hpp"

#include <string>

#include "kakanai/cardreader/errors.hpp"

namespace kakanai::cardreader {
namespace {

[[noreturn]] void malformed(const std::string& what, std::size_t offset) {
    throw CardError(CardErrorKind::Malformed,
                    "card data is malformed: " + what + " at byte " + std::to_string(offset));
}

}  // namespace

std::optional<TlvHeader> parse_tlv_header(std::span<const std::uint8_t> d) {
    std::size_t i = 0;
    if (d.empty()) return std::nullopt;
    std::uint32_t tag = d[i++];
    if ((tag & 0x1F) == 0x1F) {  // multi-byte tag: continues while bit 8 is set
        int more = 0;
        do {
            if (i >= d.size()) return std::nullopt;
            if (++more > 3) malformed("tag longer than 4 bytes", 0);
            tag = (tag << 8) | d[i];
        } while (d[i++] & 0x80);
    }
    if (i >= d.size()) return std::nullopt;
    std::size_t len = d[i++];
    if (len == 0x80) malformed("indefinite length", i - 1);
    if (len > 0x80) {
        const std::size_t n = len & 0x7F;
        if (n > 3) malformed("length of " + std::to_string(n) + " bytes", i - 1);
        if (i + n > d.size()) return std::nullopt;
        len = 0;
        for (std::size_t k = 0; k < n; ++k) len = (len << 8) | d[i++];
    }
    return TlvHeader{tag, i, len};
}

Tlv parse_tlv(std::span<const std::uint8_t> data, std::size_t offset) {
    if (offset >= data.size()) malformed("data ends before a tag", offset);
    const auto rest = data.subspan(offset);
    const auto h = parse_tlv_header(rest);
    if (!h) malformed("truncated tag or length", offset);
    if (h->value_length > rest.size() - h->header_length)
        malformed("value of " + std::to_string(h->value_length) + " bytes runs past the end", offset);
    return Tlv{h->tag, offset, h->header_length, rest.subspan(h->header_length, h->value_length)};
}

std::vector<Tlv> parse_tlv_list(std::span<const std::uint8_t> data) {
    std::vector<Tlv> out;
    std::size_t pos = 0;
    while (pos < data.size()) {
        if (data[pos] == 0x00 || data[pos] == 0xFF) {
            // 0xFF may also start a constructed tag such as FF20: filler only
            // when the rest is all filler.
            bool all_filler = true;
            for (std::size_t k = pos; k < data.size(); ++k)
                if (data[k] != data[pos]) all_filler = false;
            if (all_filler) break;
        }
        out.push_back(parse_tlv(data, pos));
        pos += out.back().total_length();
    }
    return out;
}

}  // namespace kakanai::cardreader
