#include "kakanai/cardreader/virtual_card.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <stdexcept>

#include "kakanai/cardreader/errors.hpp"
#include "kakanai/cardreader/mynumber_constants.hpp"

namespace kakanai::cardreader {
namespace mn = mynumber;
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

ResponseApdu sw(std::uint16_t word) { return ResponseApdu::status(word); }

}  // namespace

CardProfile CardProfile::load(const std::filesystem::path& file) {
    toml::table t;
    try {
        t = toml::parse_file(file.string());
    } catch (const toml::parse_error& e) {
        throw std::runtime_error(file.string() + ":" + std::to_string(e.source().begin.line) +
                                 ": card profile is not valid TOML: " + std::string(e.description()));
    }
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
    p.filler_bytes = static_cast<std::size_t>(t.at_path("card.filler_bytes").value_or(16));
    if (p.pin.size() != 4) throw std::runtime_error(file.string() + ": card.pin must have 4 digits");
    if (p.my_number.size() != 12) throw std::runtime_error(file.string() + ": resident.my_number must have 12 digits");
    return p;
}

VirtualCard::VirtualCard(CardProfile profile) : profile_(std::move(profile)), tries_(profile_.pin_tries_left) {
    ef0002_ = profile_.raw_basic4_hex ? from_hex(*profile_.raw_basic4_hex) : build_basic4(profile_);
    ef0001_ = build_my_number(profile_);
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
    verified_ = false;
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
                if (fid == mn::kEfMyNumber || fid == mn::kEfBasic4 || fid == mn::kEfPin) {
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
    if (ef_ != mn::kEfPin || c.p2 != mn::kP2VerifySpecific) return sw(0x6A86);
    if (tries_ <= 0) return sw(mn::kSwRefDataBlocked);
    if (c.data.empty()) return sw(static_cast<std::uint16_t>(0x63C0 | tries_));
    const bool right = c.data.size() == profile_.pin.size() &&
                       std::equal(c.data.begin(), c.data.end(), profile_.pin.begin());
    if (right) {
        tries_ = mn::kPinTries;
        verified_ = true;
        return sw(mn::kSwOk);
    }
    --tries_;
    verified_ = false;
    return sw(static_cast<std::uint16_t>(0x63C0 | tries_));
}

ResponseApdu VirtualCard::read_binary(const CommandApdu& c) {
    const byte_vector* file = ef_ == mn::kEfBasic4 ? &ef0002_ : ef_ == mn::kEfMyNumber ? &ef0001_ : nullptr;
    if (!file) return sw(0x6986);  // no current EF
    if (!verified_) return sw(mn::kSwSecurityNotSatisfied);
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

}  // namespace kakanai::cardreader
