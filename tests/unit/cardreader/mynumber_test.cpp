#include <gtest/gtest.h>

#include <sstream>

#include "kakanai/cardreader/authenticity.hpp"
#include "kakanai/cardreader/code_b.hpp"
#include "kakanai/cardreader/errors.hpp"
#include "kakanai/cardreader/mynumber.hpp"
#include "kakanai/virtualcard/virtual_card.hpp"
#include "test_support.hpp"

using namespace kakanai::cardreader;

using namespace kakanai::virtualcard;

namespace {

CardProfile profile(const std::string& name) { return CardProfile::load(kakanai::test::card_profile(name)); }
std::filesystem::path key_file(const std::string& name) {
    return kakanai::test::source_dir() / "tests/cards/keys" / name;
}

// Keeps the (redacted) log of every APDU exchange.
struct Recorder {
    std::vector<std::string> lines;
    ApduLogger logger() {
        return [this](const std::string& l) { lines.push_back(l); };
    }
    std::string all() const {
        std::string s;
        for (const auto& l : lines) s += l + "\n";
        return s;
    }
};

CardErrorKind read_error(VirtualCard& card, const char* pin, ReadOptions opts = {}) {
    InProcessChannel ch(card);
    try {
        read_card(ch, Pin(pin), opts);
    } catch (const CardError& e) {
        return e.kind();
    }
    ADD_FAILURE() << "the read did not fail";
    return CardErrorKind::Transmit;
}

CodeB typical_code_b() { return CodeB::from_card_face("1980-02-17", 2035, "2285"); }

}  // namespace

TEST(MyNumberReader, ReadsTheFourItemsInSevenApdus) {
    VirtualCard card(profile("typical"));
    InProcessChannel ch(card);
    Recorder rec;
    ch.set_logger(rec.logger());
    ReadOptions opts;
    opts.check_authenticity = false;
    const CardInfo info = read_card(ch, Pin("1234"), opts);
    EXPECT_EQ(info.name, "番号 花子");
    EXPECT_EQ(info.address, "東京都千代田区霞が関2丁目1番2号 霞ヶ関コーポ101");
    EXPECT_EQ(info.birth_date, "1980-02-17");
    EXPECT_EQ(info.sex, Sex::Female);
    EXPECT_FALSE(info.my_number.has_value());
    EXPECT_EQ(info.authenticity, Authenticity::NotChecked);
    EXPECT_EQ(card.apdus_seen(), 7);
    EXPECT_EQ(rec.lines.size(), 7u);
}

TEST(MyNumberReader, AuthenticityReadsAreCountedApart) {
    VirtualCard card(profile("typical"));
    InProcessChannel ch(card);
    ReadStats stats;
    ReadOptions opts;
    opts.stats = &stats;
    const CardInfo info = read_card(ch, Pin("1234"), opts);
    EXPECT_EQ(info.authenticity, Authenticity::Consistent) << stats.authenticity_detail;
    EXPECT_EQ(stats.data_apdus, 7);
    // SELECT + 3 READ BINARY for EF 0003 (335 bytes), SELECT + 4 for EF 0004 (567 bytes).
    EXPECT_EQ(stats.authenticity_apdus, 9);
    EXPECT_EQ(card.apdus_seen(), 16);
    EXPECT_EQ(stats.tries_left_before_verify, 3);
}

TEST(MyNumberReader, RareKanjiIncludingNonBmpSurviveTheRead) {
    VirtualCard card(profile("rare_kanji"));
    InProcessChannel ch(card);
    const CardInfo info = read_card(ch, Pin("1234"));
    EXPECT_EQ(info.name, "髙橋 𠮷太郎");
    EXPECT_EQ(info.address, "長﨑県長﨑市桜町2番22号 髙﨑荘𠮷号室");
}

TEST(MyNumberReader, MyNumberOnlyWhenAskedAndNeverInTheLog) {
    VirtualCard card(profile("typical"));
    InProcessChannel ch(card);
    Recorder rec;
    ch.set_logger(rec.logger());
    ReadOptions opts;
    opts.with_my_number = true;
    const CardInfo info = read_card(ch, Pin("1234"), opts);
    ASSERT_TRUE(info.my_number.has_value());
    EXPECT_EQ(info.my_number->digits(), "123456789018");
    EXPECT_EQ(info.authenticity, Authenticity::Consistent);  // DF31 compared too
    const std::string log = rec.all();
    for (const char* secret : {"1234", "31 32 33 34", "123456789018", "31 32 33 34 35 36 37 38 39 30 31 38"})
        EXPECT_EQ(log.find(secret), std::string::npos) << secret;
    EXPECT_NE(log.find("redacted"), std::string::npos);
    std::ostringstream os;
    os << info;
    EXPECT_EQ(os.str().find("123456789018"), std::string::npos);
}

// The most verbose APDU log of a full read (PIN, 個人番号, authenticity) shows
// every byte that is not secret, and neither the PIN nor the 個人番号, nor the
// DF31 hash from which a 12-digit number could be guessed back.
TEST(Secrets, MostVerboseLogOfAFullReadHoldsNoSecret) {
    VirtualCard card(profile("typical"));
    InProcessChannel ch(card);
    Recorder rec;
    ch.set_logger(rec.logger(), ApduLogLevel::Data);
    ReadOptions opts;
    opts.with_my_number = true;
    const CardInfo info = read_card(ch, Pin("1234"), opts);
    ASSERT_TRUE(info.my_number.has_value());
    const std::string log = rec.all();
    EXPECT_NE(log.find(to_hex(card.ef_certificate()).substr(3 * 100, 3 * 20 - 1)), std::string::npos)
        << "the log is not at its most verbose";
    const std::string df31 = to_hex(card.ef_signature()).substr(3 * 8, 3 * 32 - 1);  // after FF 30 82 01 4B DF 31 20
    for (const std::string& secret : {std::string("1234"), std::string("31 32 33 34"), std::string("123456789018"),
                                     to_hex(from_hex("31 32 33 34 35 36 37 38 39 30 31 38")),
                                     to_hex(card.ef_my_number()), df31})
        EXPECT_EQ(log.find(secret), std::string::npos) << "a secret reached the log";
}

TEST(PinGuard, WrongPinCountsDownAndStopsAtTheLastTry) {
    VirtualCard card(profile("typical"));
    InProcessChannel ch(card);
    for (int expected : {2, 1}) {
        try {
            read_card(ch, Pin("9999"));
            FAIL();
        } catch (const CardError& e) {
            EXPECT_EQ(e.kind(), CardErrorKind::WrongPin);
            EXPECT_EQ(e.tries_left(), expected);
        }
    }
    EXPECT_EQ(card.secret_verifies(), 2);  // one VERIFY per attempt: never retried by itself
    // One try left: refused without sending a VERIFY with a PIN.
    const int before = card.apdus_seen();
    EXPECT_EQ(read_error(card, "1234"), CardErrorKind::LastTryNeedsConfirmation);
    EXPECT_EQ(card.pin_tries_left(), 1);
    EXPECT_EQ(card.secret_verifies(), 2);
    EXPECT_EQ(card.apdus_seen() - before, 3);  // SELECT AP, SELECT EF, tries query
    // The resident chose to spend it: the right PIN resets the counter.
    ReadOptions opts;
    opts.allow_last_try = true;
    const CardInfo info = read_card(ch, Pin("1234"), opts);
    EXPECT_EQ(info.name, "番号 花子");
    EXPECT_EQ(card.pin_tries_left(), 3);
    EXPECT_EQ(card.secret_verifies(), 3);
}

TEST(PinGuard, LockedCardIsReportedWithoutSpendingAnything) {
    VirtualCard card(profile("locked"));
    ReadOptions opts;
    opts.allow_last_try = true;
    EXPECT_EQ(read_error(card, "1234", opts), CardErrorKind::PinLocked);
    EXPECT_EQ(card.secret_verifies(), 0);
}

TEST(PinGuard, LastWrongTryLocks) {
    VirtualCard card(profile("one_try_left"));
    ReadOptions opts;
    opts.allow_last_try = true;
    EXPECT_EQ(read_error(card, "9999", opts), CardErrorKind::PinLocked);
    EXPECT_EQ(card.pin_tries_left(), 0);
    EXPECT_EQ(read_error(card, "1234", opts), CardErrorKind::PinLocked);
    EXPECT_EQ(card.secret_verifies(), 1);
}

TEST(CardRemoval, PulledAtEveryStepGivesATypedErrorAndNoData) {
    // 7 data APDUs, then 9 for authenticity, then 2 more for 個人番号.
    for (int n = 0; n < 18; ++n) {
        auto p = profile("typical");
        p.remove_after_apdus = n;
        VirtualCard card(p);
        ReadOptions opts;
        opts.with_my_number = true;
        EXPECT_EQ(read_error(card, "1234", opts), CardErrorKind::CardRemoved) << "after " << n << " APDUs";
    }
    auto p = profile("typical");
    p.remove_after_apdus = 18;
    VirtualCard card(p);
    InProcessChannel ch(card);
    ReadOptions opts;
    opts.with_my_number = true;
    EXPECT_EQ(read_card(ch, Pin("1234"), opts).name, "番号 花子");
}

TEST(MalformedCard, BrokenBasic4IsReportedAsMalformed) {
    VirtualCard card(profile("malformed_tlv"));
    EXPECT_EQ(read_error(card, "1234"), CardErrorKind::Malformed);
    auto p = profile("typical");
    p.raw_basic4_hex = "FF 20 30 DF 22 05 41";
    VirtualCard short_file(p);
    EXPECT_EQ(read_error(short_file, "1234"), CardErrorKind::Malformed);
}

TEST(Authenticity, EveryResultIsReached) {
    auto read_with = [](const std::string& name, const CaPublicKey* ca, bool with_my_number = false) {
        VirtualCard card(profile(name));
        InProcessChannel ch(card);
        ReadOptions opts;
        opts.ca_key = ca;
        opts.with_my_number = with_my_number;
        return read_card(ch, Pin("1234"), opts).authenticity;
    };
    const auto test_ca = CaPublicKey::from_pem_file(key_file("test-ca-public.pem"));
    const auto other_ca = CaPublicKey::from_pem_file(key_file("other-ca-public.pem"));
    EXPECT_EQ(read_with("typical", nullptr), Authenticity::Consistent);
    EXPECT_EQ(read_with("typical", &test_ca), Authenticity::Verified);
    EXPECT_EQ(read_with("typical", &test_ca, true), Authenticity::Verified);
    EXPECT_EQ(read_with("typical", &other_ca), Authenticity::SignatureInvalid);
    EXPECT_EQ(read_with("tampered", nullptr), Authenticity::HashMismatch);
    EXPECT_EQ(read_with("tampered", &test_ca), Authenticity::HashMismatch);
    EXPECT_EQ(read_with("bad_signature", nullptr), Authenticity::SignatureInvalid);
    EXPECT_EQ(read_with("long_address", &test_ca), Authenticity::Verified);
    EXPECT_EQ(read_with("rare_kanji", nullptr), Authenticity::Consistent);
    // tests/cards/no_integrity.toml: the integrity files cannot be read, even with a CA key.
    EXPECT_EQ(read_with("no_integrity", nullptr), Authenticity::NotChecked);
    EXPECT_EQ(read_with("no_integrity", &test_ca), Authenticity::NotChecked);

    auto p = profile("typical");  // a card without EF 0003/0004
    p.card_key_pem.clear();
    VirtualCard card(p);
    InProcessChannel ch(card);
    EXPECT_EQ(read_card(ch, Pin("1234")).authenticity, Authenticity::NotChecked);
}

// Only verified and consistent let card data be used; every other result refuses the card.
TEST(Authenticity, OnlyAPassingResultIsAccepted) {
    EXPECT_TRUE(accepted(Authenticity::Verified));
    EXPECT_TRUE(accepted(Authenticity::Consistent));
    EXPECT_FALSE(accepted(Authenticity::HashMismatch));
    EXPECT_FALSE(accepted(Authenticity::SignatureInvalid));
    EXPECT_FALSE(accepted(Authenticity::NotChecked));
}

TEST(Authenticity, AChangedByteAnywhereIsNeverAPass) {
    const VirtualCard card(profile("typical"));
    const auto ca = CaPublicKey::from_pem_file(key_file("test-ca-public.pem"));
    const auto& ef1 = card.ef_my_number();
    const auto& ef2 = card.ef_basic4();
    const auto& ef3 = card.ef_signature();
    const auto& ef4 = card.ef_certificate();
    ASSERT_EQ(check_authenticity(ef2, ef1, ef3, ef4, &ca).result, Authenticity::Verified);
    for (std::size_t i = 0; i < ef3.size(); ++i) {
        byte_vector bad = ef3;
        bad[i] ^= 0x01;
        EXPECT_EQ(check_authenticity(ef2, ef1, bad, ef4, nullptr).result, Authenticity::SignatureInvalid) << i;
    }
    for (std::size_t i = 0; i < ef4.size(); ++i) {
        byte_vector bad = ef4;
        bad[i] ^= 0x01;
        EXPECT_NE(check_authenticity(ef2, ef1, ef3, bad, &ca).result, Authenticity::Verified) << i;
    }
    // 基本4情報 from DF22 on, and the 個人番号 file (filler included), are hashed.
    for (std::size_t i = 16; i < ef2.size() - 16; ++i) {
        byte_vector bad = ef2;
        bad[i] ^= 0x01;
        EXPECT_NE(check_authenticity(bad, ef1, ef3, ef4, nullptr).result, Authenticity::Consistent) << i;
    }
    for (std::size_t i = 0; i < ef1.size(); ++i) {
        byte_vector bad = ef1;
        bad[i] ^= 0x01;
        EXPECT_EQ(check_authenticity(ef2, bad, ef3, ef4, nullptr).result, Authenticity::HashMismatch) << i;
    }
    EXPECT_EQ(check_authenticity(ef2, ef1, {}, ef4, nullptr).result, Authenticity::SignatureInvalid);
}

TEST(CodeB, EraYearComesFromIcu) {
    EXPECT_EQ(japanese_era_yymmdd("1980-02-17"), "550217");  // 昭和55年
    EXPECT_EQ(japanese_era_yymmdd("1989-01-07"), "640107");  // 昭和64年, the last day
    EXPECT_EQ(japanese_era_yymmdd("1989-01-08"), "010108");  // 平成元年
    EXPECT_EQ(japanese_era_yymmdd("2019-04-30"), "310430");  // 平成31年
    EXPECT_EQ(japanese_era_yymmdd("2019-05-01"), "010501");  // 令和元年
    EXPECT_EQ(japanese_era_yymmdd("1926-12-24"), "151224");  // 大正15年
    EXPECT_EQ(japanese_era_yymmdd("1926-12-25"), "011225");  // 昭和元年
    EXPECT_THROW(japanese_era_yymmdd("1989-02-30"), std::invalid_argument);
    EXPECT_THROW(japanese_era_yymmdd("19890108"), std::invalid_argument);
}

TEST(CodeB, BuiltFromTheCardFace) {
    const CodeB b = typical_code_b();
    EXPECT_EQ(std::string(b.digits().begin(), b.digits().end()), "55021720352285");  // CARD.md's example
    EXPECT_THROW(CodeB::from_card_face("1980-02-17", 35, "2285"), std::invalid_argument);
    EXPECT_THROW(CodeB::from_card_face("1980-02-17", 2035, "228"), std::invalid_argument);
    EXPECT_THROW(CodeB::from_card_face("1980-02-17", 2035, "22a5"), std::invalid_argument);
}

TEST(CodeB, OpensBasic4ButNever個人番号) {
    VirtualCard card(profile("typical"));
    InProcessChannel ch(card);
    Recorder rec;
    ch.set_logger(rec.logger());
    ReadStats stats;
    ReadOptions opts;
    opts.stats = &stats;
    const CardInfo info = read_card_with_code_b(ch, typical_code_b(), opts);
    EXPECT_EQ(info.name, "番号 花子");
    EXPECT_EQ(info.birth_date, "1980-02-17");
    EXPECT_FALSE(info.my_number.has_value());
    EXPECT_EQ(info.authenticity, Authenticity::Consistent);
    EXPECT_EQ(stats.data_apdus, 7);
    EXPECT_EQ(stats.tries_left_before_verify, 3);
    EXPECT_EQ(card.pin_tries_left(), 3);  // the PIN counter is untouched
    EXPECT_EQ(rec.all().find("35 35 30 32"), std::string::npos);  // 照合番号B redacted

    // The card itself refuses 個人番号 after 照合番号B.
    KenhojoAp ap(ch);
    ap.select();
    ap.verify_code_b(typical_code_b(), false);
    EXPECT_THROW(
        {
            try {
                ap.read_my_number();
            } catch (const CardError& e) {
                EXPECT_EQ(e.kind(), CardErrorKind::AccessDenied);
                throw;
            }
        },
        CardError);

    // Asking for it is refused before anything is sent.
    const int before = card.apdus_seen();
    ReadOptions with;
    with.with_my_number = true;
    EXPECT_THROW(read_card_with_code_b(ch, typical_code_b(), with), CardError);
    EXPECT_EQ(card.apdus_seen(), before);
    EXPECT_EQ(card.ef0012_verifies(), 0);
    EXPECT_EQ(rec.all().find("00 A4 02 0C | 00 12"), std::string::npos);
}

TEST(CodeB, SameGuardAsThePin) {
    VirtualCard card(profile("locked"));  // PIN locked: the staff path still works
    InProcessChannel ch(card);
    const CodeB wrong = CodeB::from_card_face("1991-04-01", 2031, "0000");
    for (int expected : {2, 1}) {
        try {
            read_card_with_code_b(ch, wrong);
            FAIL();
        } catch (const CardError& e) {
            EXPECT_EQ(e.kind(), CardErrorKind::WrongPin);
            EXPECT_EQ(e.tries_left(), expected);
        }
    }
    const CodeB right = CodeB::from_card_face("1991-04-01", 2031, "7788");
    try {
        read_card_with_code_b(ch, right);
        FAIL();
    } catch (const CardError& e) {
        EXPECT_EQ(e.kind(), CardErrorKind::LastTryNeedsConfirmation);
    }
    EXPECT_EQ(card.secret_verifies(), 2);
    ReadOptions opts;
    opts.allow_last_try = true;
    EXPECT_EQ(read_card_with_code_b(ch, right, opts).name, "施錠 済子");
    EXPECT_EQ(card.code_b_tries_left(), 3);
    EXPECT_EQ(card.pin_tries_left(), 0);
    EXPECT_EQ(card.ef0012_verifies(), 0);
}

TEST(Secrets, PinAndMyNumberBuffersAreZeroedOnWipe) {
    MyNumber n("123456789018");
    n.clear();
    EXPECT_TRUE(n.empty());
    EXPECT_EQ(n.digits(), "");
    CardInfo info;
    info.name = "番号 花子";
    info.my_number = MyNumber("123456789018");
    info.wipe();
    EXPECT_TRUE(info.name.empty());
    EXPECT_FALSE(info.my_number.has_value());
    EXPECT_THROW(Pin("12a4"), std::invalid_argument);
    EXPECT_THROW(Pin("123"), std::invalid_argument);
}
