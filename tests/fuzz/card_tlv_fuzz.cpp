// Card file contents (EF 0001, EF 0002) as a card might send them.
#include <cstddef>
#include <cstdint>

#include "kakanai/cardreader/errors.hpp"
#include "kakanai/cardreader/mynumber.hpp"
#include "kakanai/cardreader/tlv.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace kakanai::cardreader;
    const std::span<const std::uint8_t> in(data, size);
    try {
        parse_basic4(in);
    } catch (const CardError&) {
    }
    try {
        parse_my_number(in);
    } catch (const CardError&) {
    }
    try {
        parse_tlv_list(in);
    } catch (const CardError&) {
    }
    return 0;
}
