#include "kakanai/cardreader/mynumber.hpp"

#include <unicode/ustring.h>

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <string>

#include "kakanai/cardreader/errors.hpp"
#include "kakanai/cardreader/mynumber_constants.hpp"
#include "kakanai/cardreader/tlv.hpp"

namespace kakanai::cardreader {
namespace mn = mynumber;
namespace {

[[noreturn]] void malformed(const std::string& what) {
    throw CardError(CardErrorKind::Malformed, "card data is malformed: " + what);
}

std::string hex_sw(std::uint16_t sw) {
    char b[8];
    std::snprintf(b, sizeof b, "%04X", sw);
    return b;
}

// Card text must be valid UTF-8 (any code point, non-BMP included).
std::string checked_utf8(std::span<const std::uint8_t> v, const char* what) {
    std::string s(v.begin(), v.end());
    UErrorCode err = U_ZERO_ERROR;
    int32_t needed = 0;
    u_strFromUTF8(nullptr, 0, &needed, s.data(), static_cast<int32_t>(s.size()), &err);
    if (err != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(err)) malformed(std::string(what) + " is not valid UTF-8");
    if (s.find('\0') != std::string::npos) malformed(std::string(what) + " contains a NUL byte");
    return s;
}

std::string checked_birth_date(std::span<const std::uint8_t> v) {
    if (v.size() != 8) malformed("birth date is not 8 digits");
    for (auto c : v)
        if (c < '0' || c > '9') malformed("birth date is not 8 digits");
    const std::string s(v.begin(), v.end());
    const std::chrono::year_month_day ymd{std::chrono::year{std::stoi(s.substr(0, 4))},
                                          std::chrono::month{static_cast<unsigned>(std::stoi(s.substr(4, 2)))},
                                          std::chrono::day{static_cast<unsigned>(std::stoi(s.substr(6, 2)))}};
    if (!ymd.ok()) malformed("birth date " + s + " is not a calendar date");
    return s.substr(0, 4) + "-" + s.substr(4, 2) + "-" + s.substr(6, 2);
}

}  // namespace

Pin::Pin(std::string_view four_digits) {
    if (four_digits.size() != 4 ||
        !std::all_of(four_digits.begin(), four_digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
        throw std::invalid_argument("the PIN has 4 digits");
    std::copy(four_digits.begin(), four_digits.end(), digits_.begin());
}

Pin::~Pin() { secure_zero(digits_.data(), digits_.size()); }

ResponseApdu KenhojoAp::send(const CommandApdu& c) {
    ++apdus_;
    return channel_.transmit(c);
}

void KenhojoAp::select() {
    CommandApdu c{0x00, mn::kInsSelect, mn::kP1SelectByName, mn::kP2NoFci,
                  byte_vector(mn::kKenhojoAid.begin(), mn::kKenhojoAid.end()), std::nullopt};
    const auto r = send(c);
    if (r.sw() == mn::kSwNotFound)
        throw CardError(CardErrorKind::NotMyNumberCard,
                        "this card is not a My Number card (the 券面事項入力補助AP is missing)");
    if (!r.ok()) throw CardError(CardErrorKind::Transmit, "SELECT of the AP failed with status " + hex_sw(r.sw()));
}

void KenhojoAp::select_ef(std::uint16_t fid) {
    CommandApdu c{0x00, mn::kInsSelect, mn::kP1SelectEf, mn::kP2NoFci,
                  byte_vector{static_cast<std::uint8_t>(fid >> 8), static_cast<std::uint8_t>(fid & 0xFF)},
                  std::nullopt};
    const auto r = send(c);
    if (r.sw() == mn::kSwNotFound)
        throw CardError(CardErrorKind::NotMyNumberCard, "file " + hex_sw(fid) + " is missing on this card");
    if (!r.ok())
        throw CardError(CardErrorKind::Transmit, "SELECT of file " + hex_sw(fid) + " failed with status " + hex_sw(r.sw()));
}

int KenhojoAp::pin_tries_left() {
    select_ef(mn::kEfPin);
    // VERIFY without data asks for the counter and spends nothing.
    const auto r = send(CommandApdu{0x00, mn::kInsVerify, 0x00, mn::kP2VerifySpecific, {}, std::nullopt});
    if (r.sw1 == 0x63 && (r.sw2 & 0xF0) == 0xC0) return r.sw2 & 0x0F;
    if (r.sw() == mn::kSwAuthBlocked || r.sw() == mn::kSwRefDataBlocked) return 0;
    if (r.ok()) return mn::kPinTries;  // already verified in this session
    throw CardError(CardErrorKind::Transmit, "the PIN try counter could not be read (status " + hex_sw(r.sw()) + ")");
}

void KenhojoAp::verify_pin(const Pin& pin, bool allow_last_try) {
    const int tries = pin_tries_left();
    if (tries == 0)
        throw CardError(CardErrorKind::PinLocked, "the card's PIN is locked; the town hall can reset it", 0);
    if (tries == 1 && !allow_last_try)
        throw CardError(CardErrorKind::LastTryNeedsConfirmation,
                        "only one PIN try is left; a wrong PIN now locks the card", 1);
    CommandApdu c{0x00, mn::kInsVerify, 0x00, mn::kP2VerifySpecific,
                  byte_vector(pin.digits().begin(), pin.digits().end()), std::nullopt};
    c.secret_data = true;
    const auto r = send(c);
    if (r.ok()) return;
    if (r.sw1 == 0x63 && (r.sw2 & 0xF0) == 0xC0) {
        const int left = r.sw2 & 0x0F;
        if (left == 0)
            throw CardError(CardErrorKind::PinLocked, "the PIN was wrong and the card is now locked", 0);
        throw CardError(CardErrorKind::WrongPin, "the PIN was wrong", left);
    }
    if (r.sw() == mn::kSwAuthBlocked || r.sw() == mn::kSwRefDataBlocked)
        throw CardError(CardErrorKind::PinLocked, "the card's PIN is locked; the town hall can reset it", 0);
    throw CardError(CardErrorKind::Transmit, "VERIFY failed with status " + hex_sw(r.sw()));
}

byte_vector KenhojoAp::read_tlv_file(bool secret) {
    auto read = [&](std::size_t offset, std::size_t length) {
        CommandApdu c{0x00, mn::kInsReadBinary, static_cast<std::uint8_t>(offset >> 8),
                      static_cast<std::uint8_t>(offset & 0xFF), {}, static_cast<std::uint16_t>(length)};
        c.secret_response = secret;
        auto r = send(c);
        if (r.sw() == mn::kSwSecurityNotSatisfied)
            throw CardError(CardErrorKind::AccessDenied, "the card refused the read: the PIN was not verified");
        if (!r.ok()) throw CardError(CardErrorKind::Transmit, "READ BINARY failed with status " + hex_sw(r.sw()));
        return std::move(r.data);
    };
    byte_vector file = read(0, mn::kHeaderReadLength);
    const auto h = parse_tlv_header(file);
    if (!h) malformed("file header is truncated");
    const std::size_t total = h->header_length + h->value_length;
    if (total > 0x7FFF) malformed("file announces " + std::to_string(total) + " bytes");
    if (file.size() > total) file.resize(total);
    while (file.size() < total) {
        const std::size_t chunk = std::min<std::size_t>(256, total - file.size());
        byte_vector part = read(file.size(), chunk);
        if (part.empty()) malformed("file ends before its announced length");
        file.insert(file.end(), part.begin(), part.end());
    }
    if (file.size() > total) file.resize(total);
    return file;
}

CardInfo KenhojoAp::read_basic4() {
    select_ef(mn::kEfBasic4);
    const byte_vector file = read_tlv_file(false);
    return parse_basic4(file);
}

MyNumber KenhojoAp::read_my_number() {
    select_ef(mn::kEfMyNumber);
    const byte_vector file = read_tlv_file(true);
    return parse_my_number(file);
}

CardInfo parse_basic4(std::span<const std::uint8_t> ef) {
    const Tlv outer = parse_tlv(ef, 0);
    if (outer.tag != mn::kTagBasic4) malformed("基本4情報 does not start with FF20");
    CardInfo info;
    bool have_name = false, have_address = false, have_birth = false, have_sex = false;
    for (const Tlv& t : parse_tlv_list(outer.value)) {
        switch (t.tag) {
            case mn::kTagName: info.name = checked_utf8(t.value, "name"); have_name = true; break;
            case mn::kTagAddress: info.address = checked_utf8(t.value, "address"); have_address = true; break;
            case mn::kTagBirthDate: info.birth_date = checked_birth_date(t.value); have_birth = true; break;
            case mn::kTagSex:
                if (t.value.size() != 1) malformed("sex is not 1 byte");
                info.sex = sex_from_card_code(std::string(1, static_cast<char>(t.value[0])));
                have_sex = true;
                break;
            default: break;  // DF21 offsets and unknown tags are skipped
        }
    }
    if (!have_name || !have_address || !have_birth || !have_sex)
        malformed("基本4情報 lacks one of name, address, birth date, sex");
    if (info.name.empty()) malformed("name is empty");
    return info;
}

MyNumber parse_my_number(std::span<const std::uint8_t> ef) {
    const Tlv t = parse_tlv(ef, 0);
    if (t.tag != mn::kTagMyNumber || t.value.size() != 12) malformed("個人番号 file has an unexpected layout");
    std::array<char, 12> digits{};
    std::copy(t.value.begin(), t.value.end(), digits.begin());
    try {
        MyNumber n(std::string_view(digits.data(), digits.size()));
        secure_zero(digits.data(), digits.size());
        return n;
    } catch (const std::invalid_argument&) {
        secure_zero(digits.data(), digits.size());
        malformed("個人番号 is not 12 digits");
    }
}

CardInfo read_card(CardChannel& channel, const Pin& pin, const ReadOptions& options) {
    KenhojoAp ap(channel);
    ap.select();
    ap.verify_pin(pin, options.allow_last_try);
    CardInfo info = ap.read_basic4();
    if (options.with_my_number) info.my_number = ap.read_my_number();
    info.reader = channel.reader_name();
    info.read_at = std::chrono::system_clock::now();
    return info;
}

}  // namespace kakanai::cardreader
