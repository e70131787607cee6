// APDUs in both directions, and the virtual card answering arbitrary commands
// (it is the card program behind vpcd in tests and the demo).
#include <cstddef>
#include <cstdint>

#include "kakanai/cardreader/apdu.hpp"
#include "kakanai/cardreader/errors.hpp"
#include "kakanai/virtualcard/virtual_card.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace kakanai::cardreader;
    using namespace kakanai::virtualcard;
    const byte_vector raw(data, data + size);
    try {
        CommandApdu::decode(raw);
    } catch (const CardError&) {
    }
    try {
        ResponseApdu::parse(raw);
    } catch (const CardError&) {
    }
    CardProfile p;
    p.name = "番号 花子";
    p.address = "東京都";
    p.birth_date = "1980-02-17";
    p.my_number = "123456789018";
    VirtualCard card(p);
    // Feed the input as a sequence of commands split at 0xFF 0xFF markers.
    std::size_t start = 0;
    for (std::size_t i = 0; i + 1 < size;) {
        if (data[i] == 0xFF && data[i + 1] == 0xFF) {
            card.process(byte_vector(data + start, data + i));
            start = i + 2;
            i = start;
        } else {
            ++i;
        }
    }
    if (start <= size) card.process(byte_vector(data + start, data + size));
    return 0;
}
