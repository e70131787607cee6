#pragma once
// Small RAII helpers over OpenSSL 3 shared by the reader and the virtual card
// library (virtualcard); not part of the reader API.
#include <openssl/bn.h>
#include <openssl/evp.h>

#include <cstdint>
#include <memory>
#include <span>

#include "kakanai/cardreader/bytes.hpp"

namespace kakanai::cardreader::ossl {

struct PkeyFree {
    void operator()(EVP_PKEY* p) const noexcept { EVP_PKEY_free(p); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;

byte_vector sha256(std::span<const std::uint8_t> data);
// RSA public key from big-endian n and e (EVP_PKEY_fromdata). Null on failure.
Pkey rsa_public_key(std::span<const std::uint8_t> n, std::span<const std::uint8_t> e);
// RSASSA-PKCS1-v1_5 with SHA-256.
bool verify_sha256(EVP_PKEY* key, std::span<const std::uint8_t> data, std::span<const std::uint8_t> signature);
byte_vector sign_sha256(EVP_PKEY* key, std::span<const std::uint8_t> data);  // throws std::runtime_error
// The RSA modulus, big-endian, left-padded to `length` bytes.
byte_vector rsa_modulus(EVP_PKEY* key, std::size_t length);

}  // namespace kakanai::cardreader::ossl
