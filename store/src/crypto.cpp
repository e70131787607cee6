#include "crypto.hpp"

#include <fcntl.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "kakanai/base/wipe.hpp"
#include "kakanai/store/errors.hpp"
#include "kakanai/store/keys.hpp"

namespace kakanai::store {
namespace {

using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;
using PkeyCtx = std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)>;
using Bio = std::unique_ptr<BIO, decltype(&BIO_free)>;
constexpr int kNonce = 12, kTag = 16, kRaw = 32;
constexpr std::uint8_t kVersion = 1;
constexpr char kInfo[] = "kakanai seal v1: X25519, HKDF-SHA256, AES-256-GCM";
constexpr char kDocs[] = " (docs/store.md, \"Keys\")";

std::string hex8_sha256(const std::uint8_t* p, std::size_t n) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_Digest(p, n, md, &len, EVP_sha256(), nullptr);
    static const char* hex = "0123456789abcdef";
    std::string id;
    for (int i = 0; i < 8; ++i) {
        id += hex[md[i] >> 4];
        id += hex[md[i] & 0xF];
    }
    return id;
}

[[noreturn]] void key_error(const std::filesystem::path& file, const std::string& what) {
    throw StoreError(StoreErrorKind::KeyMissing, "key file " + file.string() + " " + what + kDocs);
}

// The whole file; for a private key only when no other user can read it.
std::string read_key_file(const std::filesystem::path& file, bool secret) {
    const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT) key_error(file, "does not exist");
    if (fd < 0) key_error(file, std::string("cannot be read: ") + std::strerror(errno));
    struct stat st{};
    ::fstat(fd, &st);
    if (secret && (st.st_mode & 077) != 0) {
        ::close(fd);
        key_error(file, "is readable by others: run chmod 600 on it");
    }
    std::string out;
    char buf[1024];
    for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0 && out.size() < 16384;) out.append(buf, static_cast<std::size_t>(n));
    base::secure_zero(buf, sizeof buf);
    ::close(fd);
    return out;
}

std::array<std::uint8_t, 32> raw_public(EVP_PKEY* k) {
    std::array<std::uint8_t, 32> raw{};
    std::size_t n = raw.size();
    if (EVP_PKEY_get_raw_public_key(k, raw.data(), &n) != 1 || n != raw.size())
        throw StoreError(StoreErrorKind::Internal, "cannot read an X25519 public key (OpenSSL)");
    return raw;
}

std::shared_ptr<EVP_PKEY> new_x25519() {
    EVP_PKEY* k = EVP_PKEY_Q_keygen(nullptr, nullptr, "X25519");
    if (!k) throw StoreError(StoreErrorKind::Internal, "cannot create an X25519 key (OpenSSL)");
    return std::shared_ptr<EVP_PKEY>(k, EVP_PKEY_free);
}

// X25519(own, peer) -> HKDF-SHA256(salt = ephemeral || recipient) -> AES key(32) || nonce(12).
std::array<std::uint8_t, 44> derive(EVP_PKEY* own, const std::array<std::uint8_t, 32>& peer_raw,
                                    const std::array<std::uint8_t, 32>& ephemeral,
                                    const std::array<std::uint8_t, 32>& recipient) {
    std::shared_ptr<EVP_PKEY> peer(EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, nullptr, peer_raw.data(), kRaw),
                                   EVP_PKEY_free);
    std::array<std::uint8_t, 32> shared{};
    std::size_t n = shared.size();
    PkeyCtx ctx(EVP_PKEY_CTX_new(own, nullptr), EVP_PKEY_CTX_free);
    // OpenSSL refuses an all-zero result (a low-order point from a forged row).
    const bool agreed = peer && ctx && EVP_PKEY_derive_init(ctx.get()) == 1 &&
                        EVP_PKEY_derive_set_peer(ctx.get(), peer.get()) == 1 &&
                        EVP_PKEY_derive(ctx.get(), shared.data(), &n) == 1 && n == shared.size();
    std::array<std::uint8_t, 44> okm{};
    bool ok = agreed;
    if (ok) {
        std::array<std::uint8_t, 64> salt{};
        std::memcpy(salt.data(), ephemeral.data(), kRaw);
        std::memcpy(salt.data() + kRaw, recipient.data(), kRaw);
        EVP_KDF* kdf = EVP_KDF_fetch(nullptr, "HKDF", nullptr);
        EVP_KDF_CTX* kctx = kdf ? EVP_KDF_CTX_new(kdf) : nullptr;
        EVP_KDF_free(kdf);
        char digest[] = "SHA256";
        const OSSL_PARAM params[] = {
            OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0),
            OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, shared.data(), shared.size()),
            OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, salt.data(), salt.size()),
            OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, const_cast<char*>(kInfo), sizeof kInfo - 1),
            OSSL_PARAM_construct_end(),
        };
        ok = kctx && EVP_KDF_derive(kctx, okm.data(), okm.size(), params) == 1;
        EVP_KDF_CTX_free(kctx);
    }
    base::secure_zero(shared.data(), shared.size());
    if (!ok) {
        base::secure_zero(okm.data(), okm.size());
        throw StoreError(StoreErrorKind::KeyMissing, agreed ? "key derivation failed (OpenSSL HKDF)"
                                                            : "a sealed field has an unusable ephemeral key (damaged row)");
    }
    return okm;
}

// Writes a new file whole under a temporary name, then links it into place:
// never over an existing file, and a reader never sees half a key.
void write_new_file(const std::filesystem::path& file, const std::string& bytes, mode_t mode) {
    const auto dir = file.parent_path().empty() ? std::filesystem::path(".") : file.parent_path();
    std::vector<std::filesystem::path> missing;
    for (auto p = dir; !p.empty() && !std::filesystem::exists(p); p = p.parent_path()) missing.push_back(p);
    for (auto it = missing.rbegin(); it != missing.rend(); ++it)
        if (::mkdir(it->c_str(), 0700) != 0 && errno != EEXIST)
            throw StoreError(kind_from_errno(errno), "cannot create folder " + it->string() + ": " + std::strerror(errno));
    std::string tmp = file.string() + ".new-XXXXXX";
    const int fd = ::mkstemp(tmp.data());  // mode 0600
    if (fd < 0) throw StoreError(kind_from_errno(errno), "cannot create key file " + file.string() + ": " + std::strerror(errno));
    const bool ok = ::fchmod(fd, mode) == 0 &&
                    ::write(fd, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size()) && ::fsync(fd) == 0;
    const int write_errno = errno;
    ::close(fd);
    const int linked = ok ? ::link(tmp.c_str(), file.c_str()) : -1;
    const int link_errno = errno;
    ::unlink(tmp.c_str());
    if (!ok) throw StoreError(kind_from_errno(write_errno), "cannot write key file " + file.string());
    if (linked != 0 && link_errno == EEXIST)
        throw StoreError(StoreErrorKind::Conflict, "key file " + file.string() + " exists already: it is never overwritten" + kDocs);
    if (linked != 0)
        throw StoreError(kind_from_errno(link_errno), "cannot create key file " + file.string() + ": " + std::strerror(link_errno));
    const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        ::fsync(dfd);
        ::close(dfd);
    }
}

std::string pem_of(const std::shared_ptr<EVP_PKEY>& k, bool secret) {
    Bio bio(BIO_new(BIO_s_secmem()), BIO_free);
    const bool ok = bio && (secret ? PEM_write_bio_PrivateKey(bio.get(), k.get(), nullptr, nullptr, 0, nullptr, nullptr)
                                   : PEM_write_bio_PUBKEY(bio.get(), k.get())) == 1;
    if (!ok) throw StoreError(StoreErrorKind::Internal, "cannot write a key as PEM (OpenSSL)");
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(n));
}

}  // namespace

std::string key_id_of(const std::array<std::uint8_t, 32>& raw_public) {
    return "x25519-" + hex8_sha256(raw_public.data(), raw_public.size());
}

PublicKey load_public_key(const std::filesystem::path& file) {
    const std::string pem = read_key_file(file, false);
    Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
    EVP_PKEY* k = bio ? PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr) : nullptr;
    std::shared_ptr<EVP_PKEY> key(k, EVP_PKEY_free);
    if (!key || !EVP_PKEY_is_a(key.get(), "X25519"))
        key_error(file, "is not an X25519 public key in PEM: restore it from the backup or write it again with "
                        "kakanai-report keys public");
    PublicKey p;
    p.raw = raw_public(key.get());
    p.id = key_id_of(p.raw);
    p.file = file;
    return p;
}

PrivateKey load_private_key(const std::filesystem::path& file) {
    std::string pem = read_key_file(file, true);
    Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
    EVP_PKEY* k = bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr;
    bio.reset();
    base::secure_zero(pem.data(), pem.size());
    std::shared_ptr<EVP_PKEY> key(k, EVP_PKEY_free);
    if (!key || !EVP_PKEY_is_a(key.get(), "X25519"))
        key_error(file, "is not an X25519 private key in PEM: restore it from the backup");
    PrivateKey p;
    p.pkey = key;
    p.pub.raw = raw_public(key.get());
    p.pub.id = key_id_of(p.pub.raw);
    p.pub.file = file;
    p.file = file;
    return p;
}

PublicKey create_key_pair_files(const std::filesystem::path& private_file, const std::filesystem::path& public_file) {
    if (std::filesystem::exists(private_file) || std::filesystem::exists(public_file))
        throw StoreError(StoreErrorKind::Conflict, "key file " +
                                                       (std::filesystem::exists(private_file) ? private_file : public_file).string() +
                                                       " exists already: a key is never overwritten" + kDocs);
    const auto k = new_x25519();
    std::string secret = pem_of(k, true);
    try {
        write_new_file(private_file, secret, 0600);
    } catch (...) {
        base::secure_zero(secret.data(), secret.size());
        throw;
    }
    base::secure_zero(secret.data(), secret.size());
    write_new_file(public_file, pem_of(k, false), 0600);
    PublicKey p;
    p.raw = raw_public(k.get());
    p.id = key_id_of(p.raw);
    p.file = public_file;
    return p;
}

std::string create_key_pair(const std::filesystem::path& private_file, const std::filesystem::path& public_file) {
    return create_key_pair_files(private_file, public_file).id;
}
std::string public_key_id(const std::filesystem::path& public_file) { return load_public_key(public_file).id; }
std::string private_key_id(const std::filesystem::path& private_file) { return load_private_key(private_file).pub.id; }

std::vector<std::uint8_t> seal(const PublicKey& to, const std::string& plaintext, const std::string& aad) {
    const auto eph = new_x25519();  // fresh for every application, dropped after use
    const auto eph_raw = raw_public(eph.get());
    auto okm = derive(eph.get(), to.raw, eph_raw, to.raw);
    std::vector<std::uint8_t> out(1 + kRaw + plaintext.size() + kTag);
    out[0] = kVersion;
    std::memcpy(out.data() + 1, eph_raw.data(), kRaw);
    std::uint8_t* ct = out.data() + 1 + kRaw;
    CipherCtx ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
    int len = 0;
    const bool ok =
        ctx && EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, okm.data(), okm.data() + 32) == 1 &&
        EVP_EncryptUpdate(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(aad.data()),
                          static_cast<int>(aad.size())) == 1 &&
        EVP_EncryptUpdate(ctx.get(), ct, &len, reinterpret_cast<const unsigned char*>(plaintext.data()),
                          static_cast<int>(plaintext.size())) == 1 &&
        EVP_EncryptFinal_ex(ctx.get(), ct + len, &len) == 1 &&
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTag, ct + plaintext.size()) == 1;
    base::secure_zero(okm.data(), okm.size());
    if (!ok) throw StoreError(StoreErrorKind::Internal, "encryption failed");
    return out;
}

std::string open_sealed(const PrivateKey& key, const std::vector<std::uint8_t>& blob, const std::string& aad) {
    if (blob.size() < 1 + kRaw + kTag || blob[0] != kVersion)
        throw StoreError(StoreErrorKind::Damaged, "a sealed field is truncated or of an unknown version");
    std::array<std::uint8_t, 32> eph_raw{};
    std::memcpy(eph_raw.data(), blob.data() + 1, kRaw);
    auto okm = derive(key.pkey.get(), eph_raw, eph_raw, key.pub.raw);
    const std::size_t n = blob.size() - 1 - kRaw - kTag;
    const std::uint8_t* ct = blob.data() + 1 + kRaw;
    std::string out(n, '\0');
    std::array<std::uint8_t, kTag> tag{};
    std::memcpy(tag.data(), ct + n, kTag);
    CipherCtx ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
    int len = 0;
    const bool ok =
        ctx && EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, okm.data(), okm.data() + 32) == 1 &&
        EVP_DecryptUpdate(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(aad.data()),
                          static_cast<int>(aad.size())) == 1 &&
        EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &len, ct, static_cast<int>(n)) == 1 &&
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTag, tag.data()) == 1 &&
        EVP_DecryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(out.data()) + len, &len) == 1;
    base::secure_zero(okm.data(), okm.size());
    if (!ok) {
        base::secure_zero(out.data(), out.size());
        throw StoreError(StoreErrorKind::KeyMissing,
                         "a sealed field does not open with private key " + key.file.string() + " (wrong key file or damaged row)");
    }
    return out;
}

LegacyKey::~LegacyKey() { base::secure_zero(bytes.data(), bytes.size()); }

LegacyKey load_legacy_key(const std::filesystem::path& file) {
    std::string raw = read_key_file(file, true);
    LegacyKey key;
    const bool ok = raw.size() == key.bytes.size();
    if (ok) std::memcpy(key.bytes.data(), raw.data(), raw.size());
    base::secure_zero(raw.data(), raw.size());
    if (!ok) key_error(file, "is not the 32-byte store key of an earlier kakanai");
    key.id = hex8_sha256(key.bytes.data(), key.bytes.size());
    return key;
}

std::string open_legacy(const LegacyKey& key, const std::vector<std::uint8_t>& blob, const std::string& aad) {
    if (blob.size() < kNonce + kTag) throw StoreError(StoreErrorKind::Damaged, "encrypted field is truncated");
    const std::size_t n = blob.size() - kNonce - kTag;
    std::string out(n, '\0');
    CipherCtx ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
    int len = 0;
    std::vector<std::uint8_t> tag(blob.end() - kTag, blob.end());
    const bool ok =
        ctx && EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key.bytes.data(), blob.data()) == 1 &&
        EVP_DecryptUpdate(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(aad.data()),
                          static_cast<int>(aad.size())) == 1 &&
        EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &len, blob.data() + kNonce,
                          static_cast<int>(n)) == 1 &&
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTag, tag.data()) == 1 &&
        EVP_DecryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(out.data()) + len, &len) == 1;
    if (!ok) {
        base::secure_zero(out.data(), out.size());
        throw StoreError(StoreErrorKind::KeyMissing, "an encrypted field does not open with the earlier store key");
    }
    return out;
}

std::vector<std::uint8_t> random_bytes(std::size_t n) {
    std::vector<std::uint8_t> out(n);
    if (RAND_bytes(out.data(), static_cast<int>(n)) != 1) throw StoreError(StoreErrorKind::Internal, "no randomness from OpenSSL");
    return out;
}

std::vector<std::uint8_t> hash_code(const std::string& code, const std::vector<std::uint8_t>& salt) {
    std::vector<std::uint8_t> out(32);
    // N=2^14, r=8, p=1: about 16 MiB and a few tens of ms per login.
    if (EVP_PBE_scrypt(code.data(), code.size(), salt.data(), salt.size(), 1u << 14, 8, 1, 32u << 20, out.data(),
                       out.size()) != 1)
        throw StoreError(StoreErrorKind::Internal, "cannot hash a staff code (OpenSSL scrypt failed)");
    return out;
}

}  // namespace kakanai::store
