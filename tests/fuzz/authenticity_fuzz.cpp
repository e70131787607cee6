// EF 0002, EF 0001, EF 0003 (DF31/DF32/DF33) and EF 0004 (the card's
// certificate) as a card might send them, checked with and without a CA key.
// Input: four parts, each a 2-byte big-endian length and its bytes; the
// lowest bit of the last byte chooses whether the CA key is used.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "kakanai/cardreader/authenticity.hpp"

namespace {

std::span<const std::uint8_t> take(const std::uint8_t*& p, std::size_t& left) {
    if (left < 2) return {};
    std::size_t n = static_cast<std::size_t>(p[0] << 8 | p[1]);
    p += 2;
    left -= 2;
    n = std::min(n, left);
    const std::span<const std::uint8_t> part(p, n);
    p += n;
    left -= n;
    return part;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace kakanai::cardreader;
    static const CaPublicKey ca = CaPublicKey::from_pem_file(KAKANAI_SOURCE_DIR "/tests/cards/keys/test-ca-public.pem");
    const std::uint8_t* p = data;
    std::size_t left = size;
    const auto ef0002 = take(p, left);
    const auto ef0001 = take(p, left);
    const auto ef0003 = take(p, left);
    const auto ef0004 = take(p, left);
    const bool with_ca = size > 0 && (data[size - 1] & 1) != 0;
    const AuthenticityCheck c = check_authenticity(ef0002, ef0001, ef0003, ef0004, with_ca ? &ca : nullptr);
    // "verified" is only possible under the CA key, "consistent" only without.
    if (c.result == Authenticity::Verified && !with_ca) std::abort();
    if (c.result == Authenticity::Consistent && with_ca) std::abort();
    if (c.detail.empty()) std::abort();
    return 0;
}
