#include "kakanai/virtualcard/virtual_card.hpp"

#include <openssl/pem.h>

#include <algorithm>
#include <stdexcept>

#include "kakanai/base/toml_file.hpp"
#include "kakanai/cardreader/code_b.hpp"
#include "kakanai/cardreader/errors.hpp"
#include "kakanai/cardreader/mynumber_constants.hpp"
#include "kakanai/cardreader/tlv.hpp"
#include "kakanai/cardreader/openssl_util.hpp"

namespace kakanai::virtualcard {
using namespace cardreader;
namespace mn = cardreader::mynumber;
namespace {

void append_length(byte_vector& out, std::size_t n) {
    if (n < 0x80) {
        out.push_back(static_cast<std::uint8_t>(n));
    } else if (n <= 0xFF) {
        out.push_back(0x81);
        out.push_back(static_cast<std::uint8_t>(n));
    } else {
        out.push_back(0x82);
        out.push_back(static_cast<std::uint8_t>(n >> 8));
        out.push_back(static_cast<std::uint8_t>(n & 0xFF));
    }
}

void append_tlv(byte_vector& out, std::uint16_t tag, const byte_vector& value) {
    out.push_back(static_cast<std::uint8_t>(tag >> 8));
    out.push_back(static_cast<std::uint8_t>(tag & 0xFF));
    append_length(out, value.size());
    out.insert(out.end(), value.begin(), value.end());
}

byte_vector bytes_of(const std::string& s) { return byte_vector(s.begin(), s.end()); }

// EF 0002 laid out as a card does: FF20 { DF21 offsets, DF22..DF25 } + filler.
byte_vector build_basic4(const CardProfile& p) {
    std::string digits = p.birth_date;
    digits.erase(std::remove(digits.begin(), digits.end(), '-'), digits.end());
    byte_vector items[4];
    append_tlv(items[0], static_cast<std::uint16_t>(mn::kTagName), bytes_of(p.name));
    append_tlv(items[1], static_cast<std::uint16_t>(mn::kTagAddress), bytes_of(p.address));
    append_tlv(items[2], static_cast<std::uint16_t>(mn::kTagBirthDate), bytes_of(digits));
    append_tlv(items[3], static_cast<std::uint16_t>(mn::kTagSex), bytes_of(p.sex_code));
    std::size_t body_len = 2 + 1 + 8;
    for (auto& it : items) body_len += it.size();
    byte_vector head{0xFF, 0x20};
    append_length(head, body_len);
    // Offsets count from the start of the file.
    std::size_t at = head.size() + 2 + 1 + 8;
    byte_vector offsets;
    for (auto& it : items) {
        offsets.push_back(static_cast<std::uint8_t>(at >> 8));
        offsets.push_back(static_cast<std::uint8_t>(at & 0xFF));
        at += it.size();
    }
    byte_vector file = head;
    append_tlv(file, static_cast<std::uint16_t>(mn::kTagOffsets), offsets);
    for (auto& it : items) file.insert(file.end(), it.begin(), it.end());
    file.insert(file.end(), p.filler_bytes, 0xFF);
    return file;
}

byte_vector build_my_number(const CardProfile& p) {
    byte_vector file{0xFF, 0x10, 0x0C};
    file.insert(file.end(), p.my_number.begin(), p.my_number.end());
    file.push_back(0xFF);
    file.push_back(0xFF);
    return file;
}

ossl::Pkey load_private_key(const std::filesystem::path& file) {
    std::unique_ptr<FILE, decltype(&std::fclose)> f(std::fopen(file.c_str(), "rb"), std::fclose);
    if (!f) throw std::runtime_error(file.string() + ": cannot open the test key");
    ossl::Pkey key(PEM_read_PrivateKey(f.get(), nullptr, nullptr, nullptr));
    if (!key) throw std::runtime_error(file.string() + ": not a PEM private key");
    return key;
}

byte_vector key_id(EVP_PKEY* key) {
    const byte_vector n = ossl::rsa_modulus(key, mn::kRsaModulusLength);
    byte_vector id = ossl::sha256(n);
    id.resize(mn::kCertKeyIdLength);
    return id;
}

// EF 0003: FF30 { DF31 SHA-256(EF 0001), DF32 SHA-256(EF 0002 from DF22 to the
// end of FF20), DF33 signature over DF31 TLV || DF32 TLV } (CARD.md).
byte_vector build_signature_file(const byte_vector& ef0001, const byte_vector& ef0002, EVP_PKEY* card_key,
                                 bool corrupt) {
    const Tlv outer = parse_tlv(ef0002, 0);
    const Tlv offsets = parse_tlv(outer.value, 0);  // DF21 comes first
    const std::size_t from = static_cast<std::size_t>(offsets.value[0] << 8 | offsets.value[1]);
    const std::span<const std::uint8_t> region(ef0002.data() + from, outer.total_length() - from);
    byte_vector signed_part;
    append_tlv(signed_part, static_cast<std::uint16_t>(mn::kTagHashMyNumber), ossl::sha256(ef0001));
    append_tlv(signed_part, static_cast<std::uint16_t>(mn::kTagHashBasic4), ossl::sha256(region));
    byte_vector signature = ossl::sign_sha256(card_key, signed_part);
    if (corrupt) signature[signature.size() / 2] ^= 0x01;
    byte_vector body = signed_part;
    append_tlv(body, static_cast<std::uint16_t>(mn::kTagSignature), signature);
    byte_vector file;
    append_tlv(file, static_cast<std::uint16_t>(mn::kTagSignatureFile), body);
    return file;
}

// EF 0004: 7F21 { 5F4E { issuer id, subject id, 90 e, 91 n }, 5F37 CA signature }.
byte_vector build_certificate(EVP_PKEY* card_key, EVP_PKEY* ca_key) {
    byte_vector body = key_id(ca_key);
    const byte_vector subject = key_id(card_key);
    body.insert(body.end(), subject.begin(), subject.end());
    body.insert(body.end(), {0x90, 0x03, 0x01, 0x00, 0x01});
    byte_vector n = ossl::rsa_modulus(card_key, mn::kRsaModulusLength);
    body.push_back(static_cast<std::uint8_t>(mn::kTagRsaModulus));
    append_length(body, n.size());
    body.insert(body.end(), n.begin(), n.end());
    byte_vector inner;
    append_tlv(inner, static_cast<std::uint16_t>(mn::kTagCertBody), body);
    append_tlv(inner, static_cast<std::uint16_t>(mn::kTagCertSignature), ossl::sign_sha256(ca_key, body));
    byte_vector file;
    append_tlv(file, static_cast<std::uint16_t>(mn::kTagCertificate), inner);
    return file;
}

ResponseApdu sw(std::uint16_t word) { return ResponseApdu::status(word); }

}  // namespace

CardProfile CardProfile::load(const std::filesystem::path& file) {
    const toml::table t = base::parse_toml_file(file);  // TomlFileError: file:line and what is wrong
    auto need = [&](const char* key) -> std::string {
        auto node = t.at_path(key);
        if (auto s = node.value<std::string>()) return *s;
        if (auto d = node.as_date()) {
            char b[16];
            std::snprintf(b, sizeof b, "%04d-%02u-%02u", d->get().year, unsigned{d->get().month},
                          unsigned{d->get().day});
            return b;
        }
        throw std::runtime_error(file.string() + ": card profile needs the string `" + key + "`");
    };
    CardProfile p;
    p.name = need("resident.name");
    p.address = need("resident.address");
    p.birth_date = need("resident.birth_date");
    p.sex_code = need("resident.sex");
    p.my_number = t.at_path("resident.my_number").value_or(std::string("123456789018"));
    p.pin = t.at_path("card.pin").value_or(std::string("1234"));
    p.pin_tries_left = t.at_path("card.pin_tries_left").value_or(3);
    if (auto hex = t.at_path("faults.basic4_hex").value<std::string>()) p.raw_basic4_hex = *hex;
    p.remove_after_apdus = t.at_path("faults.remove_after_apdus").value_or(-1);
    if (auto a = t.at_path("faults.tampered_address").value<std::string>()) p.tampered_address = *a;
    p.corrupt_signature = t.at_path("faults.corrupt_signature").value_or(false);
    p.code_b = t.at_path("card.code_b").value_or(std::string());
    p.expiry_year = t.at_path("card.expiry_year").value_or(2035);
    p.security_code = t.at_path("card.security_code").value_or(std::string("2285"));
    p.code_b_tries_left = t.at_path("card.code_b_tries_left").value_or(3);
    // Key paths are relative to the profile's folder.
    const auto dir = file.parent_path();
    if (auto k = t.at_path("authenticity.card_key").value<std::string>()) p.card_key_pem = dir / *k;
    if (auto k = t.at_path("authenticity.ca_key").value<std::string>()) p.ca_key_pem = dir / *k;
    p.filler_bytes = static_cast<std::size_t>(t.at_path("card.filler_bytes").value_or(16));
    if (p.pin.size() != 4) throw std::runtime_error(file.string() + ": card.pin must have 4 digits");
    if (p.my_number.size() != 12) throw std::runtime_error(file.string() + ": resident.my_number must have 12 digits");
    return p;
}

VirtualCard::VirtualCard(CardProfile profile)
    : profile_(std::move(profile)), tries_(profile_.pin_tries_left), code_b_tries_(profile_.code_b_tries_left) {
    ef0002_ = profile_.raw_basic4_hex ? from_hex(*profile_.raw_basic4_hex) : build_basic4(profile_);
    ef0001_ = build_my_number(profile_);
    if (!profile_.card_key_pem.empty() && !profile_.ca_key_pem.empty() && !profile_.raw_basic4_hex) {
        const auto card_key = load_private_key(profile_.card_key_pem);
        const auto ca_key = load_private_key(profile_.ca_key_pem);
        ef0003_ = build_signature_file(ef0001_, ef0002_, card_key.get(), profile_.corrupt_signature);
        ef0004_ = build_certificate(card_key.get(), ca_key.get());
    }
    if (profile_.tampered_address) {
        CardProfile served = profile_;
        served.address = *profile_.tampered_address;
        ef0002_ = build_basic4(served);
    }
    code_b_ = profile_.code_b;
    if (code_b_.empty() && !profile_.birth_date.empty()) {
        try {
            const CodeB b = CodeB::from_card_face(profile_.birth_date, profile_.expiry_year, profile_.security_code);
            code_b_.assign(b.digits().begin(), b.digits().end());
        } catch (const std::invalid_argument&) {
            code_b_.clear();  // a card without a usable 照合番号B
        }
    }
}

const byte_vector& VirtualCard::atr() {
    // T=1 ATR with a correct check byte (TCK 14).
    static const byte_vector kAtr{0x3B, 0xE0, 0x00, 0xFF, 0x81, 0x31, 0xFE, 0x45, 0x14};
    return kAtr;
}

bool VirtualCard::removed() const noexcept {
    return profile_.remove_after_apdus >= 0 && apdus_ >= profile_.remove_after_apdus;
}

void VirtualCard::power_cycle() {
    ap_selected_ = false;
    opened_ = Opened::None;
    ef_ = 0;
}

byte_vector VirtualCard::process(const byte_vector& command) {
    ++apdus_;
    try {
        return answer(CommandApdu::decode(command)).encode();
    } catch (const CardError&) {
        return sw(0x6700).encode();  // wrong length
    }
}

ResponseApdu VirtualCard::answer(const CommandApdu& c) {
    if (c.cla != 0x00) return sw(0x6E00);
    switch (c.ins) {
        case mn::kInsSelect:
            if (c.p1 == mn::kP1SelectByName) {
                const bool match = std::equal(c.data.begin(), c.data.end(), mn::kKenhojoAid.begin(),
                                              mn::kKenhojoAid.end());
                if (!match) return sw(mn::kSwNotFound);
                ap_selected_ = true;
                ef_ = 0;
                return sw(mn::kSwOk);
            }
            if (c.p1 == mn::kP1SelectEf && c.data.size() == 2 && ap_selected_) {
                const auto fid = static_cast<std::uint16_t>(c.data[0] << 8 | c.data[1]);
                const bool auth_file = (fid == mn::kEfSignature || fid == mn::kEfCertificate) && !ef0003_.empty();
                if (fid == mn::kEfMyNumber || fid == mn::kEfBasic4 || fid == mn::kEfPin || fid == mn::kEfCodeB ||
                    fid == mn::kEfNeverVerify || auth_file) {
                    ef_ = fid;
                    return sw(mn::kSwOk);
                }
            }
            return sw(mn::kSwNotFound);
        case mn::kInsVerify: return verify(c);
        case mn::kInsReadBinary: return read_binary(c);
        default: return sw(0x6D00);
    }
}

ResponseApdu VirtualCard::verify(const CommandApdu& c) {
    if (c.p2 != mn::kP2VerifySpecific) return sw(0x6A86);
    if (ef_ == mn::kEfNeverVerify) {
        ++ef0012_verifies_;
        return sw(mn::kSwRefDataBlocked);
    }
    const bool pin = ef_ == mn::kEfPin;
    if (!pin && ef_ != mn::kEfCodeB) return sw(0x6A86);
    int& tries = pin ? tries_ : code_b_tries_;
    const std::string& secret = pin ? profile_.pin : code_b_;
    if (tries <= 0) return sw(mn::kSwRefDataBlocked);
    if (c.data.empty()) return sw(static_cast<std::uint16_t>(0x63C0 | tries));
    ++secret_verifies_;
    const bool right = !secret.empty() && c.data.size() == secret.size() &&
                       std::equal(c.data.begin(), c.data.end(), secret.begin());
    if (right) {
        tries = pin ? mn::kPinTries : profile_.code_b_tries_left;
        opened_ = pin ? Opened::ByPin : Opened::ByCodeB;
        return sw(mn::kSwOk);
    }
    --tries;
    opened_ = Opened::None;
    return sw(static_cast<std::uint16_t>(0x63C0 | tries));
}

ResponseApdu VirtualCard::read_binary(const CommandApdu& c) {
    const byte_vector* file = nullptr;
    bool allowed = false;
    switch (ef_) {
        case mn::kEfBasic4: file = &ef0002_; allowed = opened_ != Opened::None; break;
        // 照合番号B opens 基本4情報 but never 個人番号 (CARD.md V2).
        case mn::kEfMyNumber: file = &ef0001_; allowed = opened_ == Opened::ByPin; break;
        // EF 0003 after VERIFY (1S); EF 0004 is free to read (V2).
        case mn::kEfSignature: file = &ef0003_; allowed = opened_ != Opened::None; break;
        case mn::kEfCertificate: file = &ef0004_; allowed = true; break;
        default: break;
    }
    if (!file) return sw(0x6986);  // no current EF
    if (!allowed) return sw(mn::kSwSecurityNotSatisfied);
    const std::size_t offset = static_cast<std::size_t>(c.p1 << 8 | c.p2);
    if (offset > file->size()) return sw(0x6B00);
    const std::size_t want = c.le.value_or(256);
    const std::size_t n = std::min(want, file->size() - offset);
    ResponseApdu r = sw(mn::kSwOk);
    r.data.assign(file->begin() + static_cast<std::ptrdiff_t>(offset),
                  file->begin() + static_cast<std::ptrdiff_t>(offset + n));
    return r;
}

ResponseApdu InProcessChannel::transmit_raw(const CommandApdu& command) {
    if (card_.removed())
        throw CardError(CardErrorKind::CardRemoved, "the card was removed during the operation; place the card again");
    return ResponseApdu::parse(card_.process(command.encode()));
}

}  // namespace kakanai::virtualcard
