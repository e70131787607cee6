#pragma once
// AES-256-GCM for personal fields at rest.
#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace kakanai::store {

struct Key {
    std::array<std::uint8_t, 32> bytes{};
    std::string id;  // first 8 bytes of SHA-256(key), hex: names the key without revealing it
    ~Key();
};

// Reads the key file, or creates it (0600, 32 random bytes) when missing.
Key load_or_create_key(const std::filesystem::path& file);
// Reads a key file that must exist (a previous key during rotation).
Key load_existing_key(const std::filesystem::path& file);

// nonce(12) || ciphertext || tag(16); `aad` binds the blob to its row.
std::vector<std::uint8_t> seal(const Key& key, const std::string& plaintext, const std::string& aad);
std::string open_sealed(const Key& key, const std::vector<std::uint8_t>& blob, const std::string& aad);

// scrypt of a staff code with its salt (16 random bytes from random_bytes()).
std::vector<std::uint8_t> hash_code(const std::string& code, const std::vector<std::uint8_t>& salt);
std::vector<std::uint8_t> random_bytes(std::size_t n);

}  // namespace kakanai::store
