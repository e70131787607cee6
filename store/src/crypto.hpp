#pragma once
// Sealing personal fields for the staff side (docs/store.md, "Sealing"):
// X25519 with a fresh ephemeral key per application, HKDF-SHA256 and
// AES-256-GCM with the application id as associated data. A kiosk holds only
// the public key; the staff station and kakanai-report the private key.
// The AES-256-GCM key of earlier versions (one symmetric key shared by kiosk
// and staff) is kept only to re-seal old rows (kakanai-report keys migrate).
#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

typedef struct evp_pkey_st EVP_PKEY;

namespace kakanai::store {

// The public half: enough to seal, never to open.
struct PublicKey {
    std::array<std::uint8_t, 32> raw{};
    std::string id;  // "x25519-" + first 8 bytes of SHA-256(raw), hex: names the key pair
    std::filesystem::path file;
};

struct PrivateKey {
    std::shared_ptr<EVP_PKEY> pkey;  // freed (and cleared) by OpenSSL
    PublicKey pub;                   // derived from the private key
    std::filesystem::path file;
};

// "x25519-…" for a raw X25519 public key.
std::string key_id_of(const std::array<std::uint8_t, 32>& raw_public);

// PEM files (SubjectPublicKeyInfo / PKCS#8, as `openssl pkey` writes them).
// Throw StoreError (KeyMissing) naming the file and docs/store.md.
PublicKey load_public_key(const std::filesystem::path& file);
PrivateKey load_private_key(const std::filesystem::path& file);  // refuses a file others can read

// Creates a new key pair: the private key 0600, the public key 0644, missing
// folders 0700. Refuses (Conflict) when either file exists.
PublicKey create_key_pair_files(const std::filesystem::path& private_file, const std::filesystem::path& public_file);

// version(1) || ephemeral public key(32) || ciphertext || tag(16).
std::vector<std::uint8_t> seal(const PublicKey& to, const std::string& plaintext, const std::string& aad);
// Throws StoreError (KeyMissing) when the blob does not open with this key.
std::string open_sealed(const PrivateKey& key, const std::vector<std::uint8_t>& blob, const std::string& aad);

// The symmetric key of earlier versions (32 raw bytes, 0600): read only to re-seal.
struct LegacyKey {
    std::array<std::uint8_t, 32> bytes{};
    std::string id;  // first 8 bytes of SHA-256(key), hex (as the rows name it)
    ~LegacyKey();
};
LegacyKey load_legacy_key(const std::filesystem::path& file);
// nonce(12) || ciphertext || tag(16), as earlier versions wrote it.
std::string open_legacy(const LegacyKey& key, const std::vector<std::uint8_t>& blob, const std::string& aad);

// scrypt of a staff code with its salt (16 random bytes from random_bytes()).
std::vector<std::uint8_t> hash_code(const std::string& code, const std::vector<std::uint8_t>& salt);
std::vector<std::uint8_t> random_bytes(std::size_t n);

}  // namespace kakanai::store
