#include "crypto.hpp"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include "kakanai/base/wipe.hpp"
#include "kakanai/store/errors.hpp"

namespace kakanai::store {
namespace {

using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;
constexpr int kNonce = 12, kTag = 16;

std::string key_id_of(const std::array<std::uint8_t, 32>& k) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    EVP_Digest(k.data(), k.size(), md, &n, EVP_sha256(), nullptr);
    static const char* hex = "0123456789abcdef";
    std::string id;
    for (int i = 0; i < 8; ++i) {
        id += hex[md[i] >> 4];
        id += hex[md[i] & 0xF];
    }
    return id;
}

}  // namespace

Key load_key(const std::filesystem::path& file, bool create);

Key load_or_create_key(const std::filesystem::path& file) { return load_key(file, true); }
Key load_existing_key(const std::filesystem::path& file) { return load_key(file, false); }

Key::~Key() { base::secure_zero(bytes.data(), bytes.size()); }

Key load_key(const std::filesystem::path& file, bool create) {
    Key key;
    int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT && create) {
        if (RAND_bytes(key.bytes.data(), static_cast<int>(key.bytes.size())) != 1)
            throw StoreError(StoreErrorKind::Internal, "cannot create a store key: no randomness from OpenSSL");
        // Written whole under a temporary name, then linked into place: a
        // station starting at the same moment reads the complete winner.
        std::string tmp = file.string() + ".new-XXXXXX";
        const int tfd = ::mkstemp(tmp.data());  // mode 0600
        if (tfd < 0)
            throw StoreError(kind_from_errno(errno), "cannot create key file " + file.string() + ": " + std::strerror(errno));
        const bool ok = ::write(tfd, key.bytes.data(), key.bytes.size()) == static_cast<ssize_t>(key.bytes.size()) &&
                        ::fsync(tfd) == 0;
        const int write_errno = errno;
        ::close(tfd);
        const int linked = ok ? ::link(tmp.c_str(), file.c_str()) : -1;
        const int link_errno = errno;
        ::unlink(tmp.c_str());
        if (!ok) throw StoreError(kind_from_errno(write_errno), "cannot write key file " + file.string());
        if (linked == 0) {
            const int dfd = ::open(file.parent_path().empty() ? "." : file.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
            if (dfd >= 0) {
                ::fsync(dfd);
                ::close(dfd);
            }
            key.id = key_id_of(key.bytes);
            return key;
        }
        if (link_errno != EEXIST)
            throw StoreError(kind_from_errno(link_errno), "cannot create key file " + file.string() + ": " +
                                                            std::strerror(link_errno));
        fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);  // another process created it first
    }
    if (fd < 0 && errno == ENOENT && !create)
        throw StoreError(StoreErrorKind::KeyMissing, "key file " + file.string() + " does not exist: rows sealed with it cannot be opened; restore it from the backup");
    if (fd < 0)
        throw StoreError(errno == EACCES ? StoreErrorKind::KeyMissing : kind_from_errno(errno),
                         "cannot open key file " + file.string() + ": " + std::strerror(errno));
    struct stat st{};
    ::fstat(fd, &st);
    const ssize_t n = ::read(fd, key.bytes.data(), key.bytes.size());
    ::close(fd);
    if (n != static_cast<ssize_t>(key.bytes.size()))
        throw StoreError(StoreErrorKind::KeyMissing, "key file " + file.string() + " is not 32 bytes: restore it from the backup");
    if ((st.st_mode & 077) != 0)
        throw StoreError(StoreErrorKind::KeyMissing, "key file " + file.string() + " is readable by others: run chmod 600 on it");
    key.id = key_id_of(key.bytes);
    return key;
}

std::vector<std::uint8_t> seal(const Key& key, const std::string& plaintext, const std::string& aad) {
    std::vector<std::uint8_t> out(kNonce + plaintext.size() + kTag);
    if (RAND_bytes(out.data(), kNonce) != 1) throw StoreError(StoreErrorKind::Internal, "no randomness for a nonce");
    CipherCtx ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
    int len = 0;
    const bool ok =
        ctx && EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key.bytes.data(), out.data()) == 1 &&
        EVP_EncryptUpdate(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(aad.data()),
                          static_cast<int>(aad.size())) == 1 &&
        EVP_EncryptUpdate(ctx.get(), out.data() + kNonce, &len,
                          reinterpret_cast<const unsigned char*>(plaintext.data()),
                          static_cast<int>(plaintext.size())) == 1 &&
        EVP_EncryptFinal_ex(ctx.get(), out.data() + kNonce + len, &len) == 1 &&
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTag, out.data() + kNonce + plaintext.size()) == 1;
    if (!ok) throw StoreError(StoreErrorKind::Internal, "encryption failed");
    return out;
}

std::string open_sealed(const Key& key, const std::vector<std::uint8_t>& blob, const std::string& aad) {
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
        throw StoreError(StoreErrorKind::KeyMissing, "an encrypted field does not open with this key (wrong key file or damaged row)");
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
