#include "kakanai/cardreader/authenticity.hpp"

#include <openssl/core_names.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <algorithm>
#include <cstdio>
#include <stdexcept>

#include "kakanai/cardreader/errors.hpp"
#include "kakanai/cardreader/mynumber_constants.hpp"
#include "kakanai/cardreader/tlv.hpp"
#include "kakanai/cardreader/openssl_util.hpp"

namespace kakanai::cardreader {
namespace mn = mynumber;

namespace ossl {

byte_vector sha256(std::span<const std::uint8_t> data) {
    byte_vector md(EVP_MAX_MD_SIZE);
    unsigned int len = 0;
    if (EVP_Digest(data.data(), data.size(), md.data(), &len, EVP_sha256(), nullptr) != 1)
        throw std::runtime_error("SHA-256 failed");
    md.resize(len);
    return md;
}

Pkey rsa_public_key(std::span<const std::uint8_t> n, std::span<const std::uint8_t> e) {
    std::unique_ptr<BIGNUM, decltype(&BN_free)> bn_n(BN_bin2bn(n.data(), static_cast<int>(n.size()), nullptr),
                                                     BN_free);
    std::unique_ptr<BIGNUM, decltype(&BN_free)> bn_e(BN_bin2bn(e.data(), static_cast<int>(e.size()), nullptr),
                                                     BN_free);
    std::unique_ptr<OSSL_PARAM_BLD, decltype(&OSSL_PARAM_BLD_free)> bld(OSSL_PARAM_BLD_new(), OSSL_PARAM_BLD_free);
    if (!bn_n || !bn_e || !bld) return nullptr;
    if (!OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, bn_n.get()) ||
        !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, bn_e.get()))
        return nullptr;
    std::unique_ptr<OSSL_PARAM, decltype(&OSSL_PARAM_free)> params(OSSL_PARAM_BLD_to_param(bld.get()),
                                                                   OSSL_PARAM_free);
    std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> ctx(
        EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr), EVP_PKEY_CTX_free);
    if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1) return nullptr;
    EVP_PKEY* key = nullptr;
    if (EVP_PKEY_fromdata(ctx.get(), &key, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) return nullptr;
    return Pkey(key);
}

bool verify_sha256(EVP_PKEY* key, std::span<const std::uint8_t> data, std::span<const std::uint8_t> signature) {
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    EVP_PKEY_CTX* pctx = nullptr;
    if (!ctx || EVP_DigestVerifyInit(ctx.get(), &pctx, EVP_sha256(), nullptr, key) != 1) return false;
    if (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) != 1) return false;
    return EVP_DigestVerify(ctx.get(), signature.data(), signature.size(), data.data(), data.size()) == 1;
}

byte_vector sign_sha256(EVP_PKEY* key, std::span<const std::uint8_t> data) {
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    EVP_PKEY_CTX* pctx = nullptr;
    std::size_t len = 0;
    if (!ctx || EVP_DigestSignInit(ctx.get(), &pctx, EVP_sha256(), nullptr, key) != 1 ||
        EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) != 1 ||
        EVP_DigestSign(ctx.get(), nullptr, &len, data.data(), data.size()) != 1)
        throw std::runtime_error("RSA signing failed");
    byte_vector sig(len);
    if (EVP_DigestSign(ctx.get(), sig.data(), &len, data.data(), data.size()) != 1)
        throw std::runtime_error("RSA signing failed");
    sig.resize(len);
    return sig;
}

byte_vector rsa_modulus(EVP_PKEY* key, std::size_t length) {
    BIGNUM* n = nullptr;
    if (EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_N, &n) != 1) throw std::runtime_error("not an RSA key");
    byte_vector out(length);
    const int ok = BN_bn2binpad(n, out.data(), static_cast<int>(length));
    BN_free(n);
    if (ok < 0) throw std::runtime_error("RSA modulus longer than " + std::to_string(length) + " bytes");
    return out;
}

}  // namespace ossl

CaPublicKey CaPublicKey::from_pem_file(const std::filesystem::path& file) {
    std::unique_ptr<FILE, decltype(&std::fclose)> f(std::fopen(file.c_str(), "rb"), std::fclose);
    if (!f) throw std::runtime_error(file.string() + ": cannot open the CA public key file");
    EVP_PKEY* key = PEM_read_PUBKEY(f.get(), nullptr, nullptr, nullptr);
    if (!key || EVP_PKEY_get_base_id(key) != EVP_PKEY_RSA) {
        EVP_PKEY_free(key);
        throw std::runtime_error(file.string() + ": not a PEM RSA public key (\"-----BEGIN PUBLIC KEY-----\")");
    }
    CaPublicKey ca;
    ca.key_.reset(key, EVP_PKEY_free);
    return ca;
}

CaPublicKey CaPublicKey::from_rsa(std::span<const std::uint8_t> modulus, std::uint32_t exponent) {
    const std::uint8_t e[4] = {static_cast<std::uint8_t>(exponent >> 24), static_cast<std::uint8_t>(exponent >> 16),
                               static_cast<std::uint8_t>(exponent >> 8), static_cast<std::uint8_t>(exponent)};
    auto key = ossl::rsa_public_key(modulus, e);
    if (!key) throw std::invalid_argument("not a valid RSA public key");
    CaPublicKey ca;
    ca.key_.reset(key.release(), EVP_PKEY_free);
    return ca;
}

namespace {

struct Invalid {
    std::string why;
};

const Tlv* find(const std::vector<Tlv>& list, std::uint32_t tag) {
    for (const auto& t : list)
        if (t.tag == tag) return &t;
    return nullptr;
}

std::span<const std::uint8_t> raw(std::span<const std::uint8_t> within, const Tlv& t) {
    return within.subspan(t.offset, t.total_length());
}

bool equal(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin());
}

// EF 0004 -> the card's public key and, for the CA check, the signed body.
struct Certificate {
    ossl::Pkey card_key;
    std::span<const std::uint8_t> body;
    std::span<const std::uint8_t> signature;
};

Certificate parse_certificate(std::span<const std::uint8_t> ef0004) {
    const Tlv outer = parse_tlv(ef0004, 0);
    if (outer.tag != mn::kTagCertificate) throw Invalid{"EF 0004 does not start with 7F21"};
    const auto items = parse_tlv_list(outer.value);
    const Tlv* body = find(items, mn::kTagCertBody);
    const Tlv* sig = find(items, mn::kTagCertSignature);
    if (!body || !sig) throw Invalid{"EF 0004 lacks 5F4E or 5F37"};
    if (body->value.size() < 2 * mn::kCertKeyIdLength) throw Invalid{"EF 0004 key ids are truncated"};
    const auto key_items = parse_tlv_list(body->value.subspan(2 * mn::kCertKeyIdLength));
    const Tlv* e = find(key_items, mn::kTagRsaExponent);
    const Tlv* n = find(key_items, mn::kTagRsaModulus);
    if (!e || !n || e->value.empty() || e->value.size() > 4 || n->value.size() != mn::kRsaModulusLength)
        throw Invalid{"EF 0004 has no RSA-2048 public key"};
    Certificate c{ossl::rsa_public_key(n->value, e->value), body->value, sig->value};
    if (!c.card_key) throw Invalid{"EF 0004 public key is not a valid RSA key"};
    return c;
}

AuthenticityCheck check(std::span<const std::uint8_t> ef0002, std::span<const std::uint8_t> ef0001,
                        std::span<const std::uint8_t> ef0003, std::span<const std::uint8_t> ef0004,
                        const CaPublicKey* ca) {
    const Tlv outer = parse_tlv(ef0003, 0);
    if (outer.tag != mn::kTagSignatureFile) throw Invalid{"EF 0003 does not start with FF30"};
    const auto items = parse_tlv_list(outer.value);
    const Tlv* h1 = find(items, mn::kTagHashMyNumber);
    const Tlv* h2 = find(items, mn::kTagHashBasic4);
    const Tlv* sig = find(items, mn::kTagSignature);
    if (!h1 || !h2 || !sig) throw Invalid{"EF 0003 lacks DF31, DF32 or DF33"};
    if (h1->value.size() != mn::kSha256Length || h2->value.size() != mn::kSha256Length)
        throw Invalid{"EF 0003 hashes are not 32 bytes"};

    const Certificate cert = parse_certificate(ef0004);
    // DF33 signs the raw DF31 and DF32 objects, tags and lengths included (1S).
    byte_vector signed_bytes;
    for (const Tlv* t : {h1, h2}) {
        const auto r = raw(outer.value, *t);
        signed_bytes.insert(signed_bytes.end(), r.begin(), r.end());
    }
    if (!ossl::verify_sha256(cert.card_key.get(), signed_bytes, sig->value))
        return {Authenticity::SignatureInvalid, "the DF33 signature does not match the card's certificate"};

    // DF32 covers EF 0002 from DF22 (the first offset in DF21) to the end of FF20.
    const Tlv basic4 = parse_tlv(ef0002, 0);
    const auto b4items = parse_tlv_list(basic4.value);
    const Tlv* offsets = find(b4items, mn::kTagOffsets);
    if (!offsets || offsets->value.size() < 2) throw Invalid{"EF 0002 has no DF21 offsets"};
    const std::size_t from = static_cast<std::size_t>(offsets->value[0] << 8 | offsets->value[1]);
    const std::size_t to = basic4.total_length();
    if (from < basic4.header_length || from >= to) throw Invalid{"EF 0002 offset to DF22 is out of range"};
    if (!equal(ossl::sha256(ef0002.subspan(from, to - from)), h2->value))
        return {Authenticity::HashMismatch, "EF 0002 (基本4情報) differs from its hash DF32"};
    if (!ef0001.empty() && !equal(ossl::sha256(ef0001), h1->value))
        return {Authenticity::HashMismatch, "EF 0001 differs from its hash DF31"};

    if (!ca) return {Authenticity::Consistent, "hashes and signature match the card's own certificate; no CA key configured"};
    if (!ossl::verify_sha256(ca->key(), cert.body, cert.signature))
        return {Authenticity::SignatureInvalid, "the card's certificate (EF 0004) is not signed by the configured CA key"};
    return {Authenticity::Verified, "hashes, signature and certificate verified under the configured CA key"};
}

}  // namespace

AuthenticityCheck check_authenticity(std::span<const std::uint8_t> ef0002, std::span<const std::uint8_t> ef0001,
                                     std::span<const std::uint8_t> ef0003, std::span<const std::uint8_t> ef0004,
                                     const CaPublicKey* ca) {
    try {
        return check(ef0002, ef0001, ef0003, ef0004, ca);
    } catch (const Invalid& e) {
        return {Authenticity::SignatureInvalid, e.why};
    } catch (const CardError& e) {
        // Broken signature data can vouch for nothing: never a silent pass.
        return {Authenticity::SignatureInvalid, std::string("authenticity data is malformed: ") + e.what()};
    }
}

}  // namespace kakanai::cardreader
