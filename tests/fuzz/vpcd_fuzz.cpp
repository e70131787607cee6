// Bytes as vpcd might send them over the socket to the virtual card: fed in
// uneven chunks, split into messages, each answered by the card.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "kakanai/cardreader/errors.hpp"
#include "kakanai/virtualcard/virtual_card.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace kakanai::cardreader;
    using namespace kakanai::virtualcard;
    if (size == 0) return 0;
    CardProfile p;
    p.name = "番号 花子";
    p.address = "東京都";
    p.birth_date = "1980-02-17";
    p.my_number = "123456789018";
    p.remove_after_apdus = data[0] % 16 == 0 ? -1 : data[0] % 16;
    VirtualCard card(p);
    VpcdReader reader;
    byte_vector reframed;  // every message read, framed again
    std::size_t fed = 0;
    // The first byte also sets the chunk size: recv() returns whatever it likes.
    const std::size_t chunk = 1 + data[0] / 16;
    for (std::size_t at = 1; at < size; at += chunk) {
        const std::size_t n = std::min(chunk, size - at);
        reader.feed(std::span<const std::uint8_t>(data + at, n));
        fed += n;
        while (auto payload = reader.next()) {
            const byte_vector framed = vpcd_frame(*payload);
            reframed.insert(reframed.end(), framed.begin(), framed.end());
            bool pulled = false;
            try {
                if (auto answer = vpcd_answer(card, *payload, pulled)) vpcd_frame(*answer);
            } catch (const CardError&) {
            }
        }
    }
    // Nothing is lost or invented: what was read plus what waits is what came in.
    if (reframed.size() + reader.buffered() != fed) std::abort();
    for (std::size_t i = 0; i < reframed.size(); ++i)
        if (reframed[i] != data[1 + i]) std::abort();
    return 0;
}
