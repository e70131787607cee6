#include "kakanai/cardreader/apdu.hpp"

#include "kakanai/cardreader/errors.hpp"

namespace kakanai::cardreader {

byte_vector CommandApdu::encode() const {
    if (data.size() > 255) throw CardError(CardErrorKind::Malformed, "APDU data longer than 255 bytes");
    byte_vector out{cla, ins, p1, p2};
    if (!data.empty()) {
        out.push_back(static_cast<std::uint8_t>(data.size()));
        out.insert(out.end(), data.begin(), data.end());
    }
    if (le) out.push_back(static_cast<std::uint8_t>(*le >= 256 ? 0 : *le));
    return out;
}

CommandApdu CommandApdu::decode(const byte_vector& raw) {
    if (raw.size() < 4) throw CardError(CardErrorKind::Malformed, "APDU shorter than 4 bytes");
    CommandApdu c{raw[0], raw[1], raw[2], raw[3], {}, std::nullopt};
    const std::size_t rest = raw.size() - 4;
    if (rest == 0) return c;
    if (rest == 1) {
        c.le = raw[4] == 0 ? 256 : raw[4];
        return c;
    }
    const std::size_t lc = raw[4];
    if (lc == 0) throw CardError(CardErrorKind::Malformed, "extended APDUs are not supported");
    if (rest == 1 + lc) {
        c.data.assign(raw.begin() + 5, raw.end());
    } else if (rest == 2 + lc) {
        c.data.assign(raw.begin() + 5, raw.end() - 1);
        c.le = raw.back() == 0 ? 256 : raw.back();
    } else {
        throw CardError(CardErrorKind::Malformed, "APDU length byte does not match its data");
    }
    return c;
}

std::string CommandApdu::describe() const {
    std::string s = to_hex(byte_vector{cla, ins, p1, p2});
    if (!data.empty()) {
        s += " | ";
        s += secret_data ? "<" + std::to_string(data.size()) + " bytes redacted>" : to_hex(data);
    }
    if (le) s += " | Le " + std::to_string(*le);
    return s;
}

byte_vector ResponseApdu::encode() const {
    byte_vector out = data;
    out.push_back(sw1);
    out.push_back(sw2);
    return out;
}

ResponseApdu ResponseApdu::parse(const byte_vector& raw) {
    if (raw.size() < 2) throw CardError(CardErrorKind::Malformed, "card answer shorter than 2 bytes");
    ResponseApdu r;
    r.data.assign(raw.begin(), raw.end() - 2);
    r.sw1 = raw[raw.size() - 2];
    r.sw2 = raw[raw.size() - 1];
    return r;
}

}  // namespace kakanai::cardreader
