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

Pin::~Pin() { base::secure_zero(digits_.data(), digits_.size()); }

ResponseApdu KenhojoAp::send(const CommandApdu& c) {
    ++(counting_auth_ ? auth_apdus_ : apdus_);
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

int KenhojoAp::tries_left(std::uint16_t key_ef) {
    select_ef(key_ef);
    // VERIFY without data asks for the counter and spends nothing.
    const auto r = send(CommandApdu{0x00, mn::kInsVerify, 0x00, mn::kP2VerifySpecific, {}, std::nullopt});
    if (r.sw1 == 0x63 && (r.sw2 & 0xF0) == 0xC0) return last_tries_ = r.sw2 & 0x0F;
    if (r.sw() == mn::kSwAuthBlocked || r.sw() == mn::kSwRefDataBlocked) return last_tries_ = 0;
    // 90 00: already verified in this session; the count is full only for the PIN.
    if (r.ok()) return last_tries_ = key_ef == mn::kEfPin ? mn::kPinTries : -1;
    throw CardError(CardErrorKind::Transmit, "the try counter could not be read (status " + hex_sw(r.sw()) + ")");
}

int KenhojoAp::pin_tries_left() { return tries_left(mn::kEfPin); }
int KenhojoAp::code_b_tries_left() { return tries_left(mn::kEfCodeB); }

void KenhojoAp::verify(std::uint16_t key_ef, std::span<const char> secret, bool allow_last_try, const char* what) {
    // The guard: ask first, refuse on 0 and (unless confirmed) on 1, send once.
    const int tries = tries_left(key_ef);
    if (tries == 0)
        throw CardError(CardErrorKind::PinLocked,
                        std::string("the card's ") + what + " is locked; the town hall can reset it", 0);
    if (tries == 1 && !allow_last_try)
        throw CardError(CardErrorKind::LastTryNeedsConfirmation,
                        std::string("only one ") + what + " try is left; a wrong one now locks the card", 1);
    CommandApdu c{0x00, mn::kInsVerify, 0x00, mn::kP2VerifySpecific, byte_vector(secret.begin(), secret.end()),
                  std::nullopt};
    c.secret_data = true;
    const auto r = send(c);
    if (r.ok()) return;
    if (r.sw1 == 0x63 && (r.sw2 & 0xF0) == 0xC0) {
        const int left = last_tries_ = r.sw2 & 0x0F;
        if (left == 0)
            throw CardError(CardErrorKind::PinLocked,
                            std::string("the ") + what + " was wrong and the card is now locked", 0);
        throw CardError(CardErrorKind::WrongPin, std::string("the ") + what + " was wrong", left);
    }
    if (r.sw() == mn::kSwAuthBlocked || r.sw() == mn::kSwRefDataBlocked) {
        last_tries_ = 0;
        throw CardError(CardErrorKind::PinLocked,
                        std::string("the card's ") + what + " is locked; the town hall can reset it", 0);
    }
    throw CardError(CardErrorKind::Transmit, std::string("VERIFY of the ") + what + " failed with status " + hex_sw(r.sw()));
}

void KenhojoAp::verify_pin(const Pin& pin, bool allow_last_try) {
    verify(mn::kEfPin, pin.digits(), allow_last_try, "PIN");
}

void KenhojoAp::verify_code_b(const CodeB& code, bool allow_last_try) {
    verify(mn::kEfCodeB, code.digits(), allow_last_try, "照合番号B");
}

byte_vector KenhojoAp::read_tlv_file(bool secret, std::size_t first_read, bool keep_trailing) {
    auto read = [&](std::size_t offset, std::size_t length) {
        CommandApdu c{0x00, mn::kInsReadBinary, static_cast<std::uint8_t>(offset >> 8),
                      static_cast<std::uint8_t>(offset & 0xFF), {}, static_cast<std::uint16_t>(length)};
        c.secret_response = secret;
        auto r = send(c);
        if (r.sw() == mn::kSwSecurityNotSatisfied)
            throw CardError(CardErrorKind::AccessDenied, "the card refused the read: the PIN was not verified");
        if (!r.ok()) throw CardError(CardErrorKind::Transmit, "READ BINARY failed with status " + hex_sw(r.sw()));
        if (r.data.size() > length) malformed("the card answered more bytes than asked");
        return std::move(r.data);
    };
    byte_vector file = read(0, first_read);
    const auto h = parse_tlv_header(file);
    if (!h) malformed("file header is truncated");
    const std::size_t total = h->header_length + h->value_length;
    if (total > 0x7FFF) malformed("file announces " + std::to_string(total) + " bytes");
    if (file.size() > total && !keep_trailing) file.resize(total);
    while (file.size() < total) {
        const std::size_t chunk = std::min<std::size_t>(256, total - file.size());
        byte_vector part = read(file.size(), chunk);
        if (part.empty()) malformed("file ends before its announced length");
        file.insert(file.end(), part.begin(), part.end());
    }
    return file;
}

byte_vector KenhojoAp::read_basic4_file() {
    select_ef(mn::kEfBasic4);
    return read_tlv_file(false, mn::kHeaderReadLength, false);
}

byte_vector KenhojoAp::read_my_number_file() {
    select_ef(mn::kEfMyNumber);
    // One read of the whole 17-byte file (filler kept for DF31); its answer is secret.
    return read_tlv_file(true, mn::kEfMyNumberLength, true);
}

CardInfo KenhojoAp::read_basic4() { return parse_basic4(read_basic4_file()); }

MyNumber KenhojoAp::read_my_number() { return parse_my_number(read_my_number_file()); }

AuthenticityCheck KenhojoAp::check_authenticity(std::span<const std::uint8_t> ef0002,
                                                std::span<const std::uint8_t> ef0001, const CaPublicKey* ca) {
    struct Counting {
        bool& flag;
        explicit Counting(bool& f) : flag(f) { flag = true; }
        ~Counting() { flag = false; }
    } counting(counting_auth_);
    byte_vector ef0003, ef0004;
    try {
        select_ef(mn::kEfSignature);
        // DF31 is a hash of the 個人番号: short enough to guess back, so secret in logs.
        ef0003 = read_tlv_file(true, mn::kHeaderReadLength, false);
        select_ef(mn::kEfCertificate);
        ef0004 = read_tlv_file(false, mn::kHeaderReadLength, false);
    } catch (const CardError& e) {
        switch (e.kind()) {
            case CardErrorKind::NotMyNumberCard:  // EF missing
            case CardErrorKind::AccessDenied:
            case CardErrorKind::Transmit:
                return {Authenticity::NotChecked, std::string("the authenticity files could not be read: ") + e.what()};
            case CardErrorKind::Malformed:
                return {Authenticity::SignatureInvalid, std::string("the authenticity files are malformed: ") + e.what()};
            default: throw;  // removed, reset, ...: the read as a whole failed
        }
    }
    return cardreader::check_authenticity(ef0002, ef0001, ef0003, ef0004, ca);
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
        base::secure_zero(digits.data(), digits.size());
        return n;
    } catch (const std::invalid_argument&) {
        base::secure_zero(digits.data(), digits.size());
        malformed("個人番号 is not 12 digits");
    }
}

namespace {

// After VERIFY: 基本4情報, 個人番号 when asked, authenticity. Nothing partial
// leaves here: any failure throws and the buffers are zeroed on the way out.
CardInfo read_after_verify(KenhojoAp& ap, CardChannel& channel, const ReadOptions& options) {
    const byte_vector ef0002 = ap.read_basic4_file();
    CardInfo info = parse_basic4(ef0002);
    // A card pulled out after EF 0002 leaves no name or address behind in freed memory.
    struct WipeUnlessReturned {
        CardInfo& info;
        bool returned = false;
        ~WipeUnlessReturned() {
            if (!returned) info.wipe();
        }
    } guard{info, false};
    byte_vector ef0001;
    if (options.with_my_number) {
        ef0001 = ap.read_my_number_file();
        info.my_number = parse_my_number(ef0001);
    }
    if (options.check_authenticity) {
        const AuthenticityCheck check = ap.check_authenticity(ef0002, ef0001, options.ca_key);
        info.authenticity = check.result;
        if (options.stats) options.stats->authenticity_detail = check.detail;
    }
    info.reader = channel.reader_name();
    info.read_at = std::chrono::system_clock::now();
    if (options.stats) {
        options.stats->data_apdus = ap.apdu_count();
        options.stats->authenticity_apdus = ap.authenticity_apdu_count();
    }
    guard.returned = true;
    return info;
}

}  // namespace

CardInfo read_card(CardChannel& channel, const Pin& pin, const ReadOptions& options) {
    KenhojoAp ap(channel);
    ap.select();
    ap.verify_pin(pin, options.allow_last_try);  // a failure carries the tries left
    if (options.stats) options.stats->tries_left_before_verify = ap.last_tries_left();
    return read_after_verify(ap, channel, options);
}

CardInfo read_card_with_code_b(CardChannel& channel, const CodeB& code, const ReadOptions& options) {
    if (options.with_my_number)
        throw CardError(CardErrorKind::AccessDenied, "照合番号B never opens 個人番号: read it with the PIN");
    KenhojoAp ap(channel);
    ap.select();
    ap.verify_code_b(code, options.allow_last_try);
    if (options.stats) options.stats->tries_left_before_verify = ap.last_tries_left();
    return read_after_verify(ap, channel, options);
}

}  // namespace kakanai::cardreader
