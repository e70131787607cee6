#pragma once
// Is the data read from the card what the issuer wrote? EF 0003 holds SHA-256
// hashes of EF 0001/EF 0002 and an RSA signature over them; EF 0004 holds the
// card's public key, itself signed by a J-LIS CA key that is not on the card.
//
//   verified          hashes, signature, and the certificate under a configured CA key
//   consistent        hashes and signature check out against the card's own
//                     certificate; no CA key configured (the default). This
//                     proves the files agree with each other, not who made them.
//   hash_mismatch     a file read differs from what the card's hashes say
//   signature_invalid the signature, the certificate or their layout is wrong
//   not_checked       the check was not run (or the card has no EF 0003/0004)
//
// Neither result proves the card is present: that needs a challenge with the
// AP key (EF 0007, 1S), which is out of scope.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "kakanai/cardreader/bytes.hpp"
#include "kakanai/cardreader/card_info.hpp"

struct evp_pkey_st;

namespace kakanai::cardreader {

// An RSA public key of a CA that certifies card keys (EF 0004).
class CaPublicKey {
public:
    // PEM "PUBLIC KEY" file. Throws std::runtime_error naming the file.
    static CaPublicKey from_pem_file(const std::filesystem::path& file);
    // Big-endian modulus and public exponent. Throws std::invalid_argument.
    static CaPublicKey from_rsa(std::span<const std::uint8_t> modulus, std::uint32_t exponent);
    evp_pkey_st* key() const noexcept { return key_.get(); }

private:
    std::shared_ptr<evp_pkey_st> key_;
};

struct AuthenticityCheck {
    Authenticity result = Authenticity::NotChecked;
    std::string detail;  // why, in English; never contains card data
};

// Checks the files as read. `ef0001` is empty when 個人番号 was not read (DF31
// is then not compared, but the signature still covers it).
AuthenticityCheck check_authenticity(std::span<const std::uint8_t> ef0002, std::span<const std::uint8_t> ef0001,
                                     std::span<const std::uint8_t> ef0003, std::span<const std::uint8_t> ef0004,
                                     const CaPublicKey* ca);

}  // namespace kakanai::cardreader
