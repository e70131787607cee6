// Every virtual card profile in tests/cards/ through the real pcscd + vpcd,
// with exact field values. One card start per profile (they share the one reader).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "kakanai/cardreader/authenticity.hpp"
#include "kakanai/cardreader/code_b.hpp"
#include "kakanai/cardreader/errors.hpp"
#include "kakanai/cardreader/mynumber.hpp"
#include "kakanai/cardreader/pcsc.hpp"
#include "pcsc_support.hpp"

using namespace kakanai;
using namespace kakanai::cardreader;
using test::kVirtualReader;
using test::VirtualCardInReader;

namespace {

struct Read {
    CardInfo info;
    ReadStats stats;
};

const CaPublicKey& test_ca() {
    static const CaPublicKey ca = CaPublicKey::from_pem_file(test::test_key("test-ca-public.pem"));
    return ca;
}

Read read_with_pin(const char* pin, bool allow_last_try = false) {
    PcscContext ctx;
    PcscCard card(ctx, test::virtual_reader_name());
    PcscCard::Transaction tx(card);
    Read r;
    ReadOptions opts;
    opts.allow_last_try = allow_last_try;
    opts.ca_key = &test_ca();
    opts.stats = &r.stats;
    r.info = read_card(card, Pin(pin), opts);
    return r;
}

Read read_with_code_b(const CodeB& code) {
    PcscContext ctx;
    PcscCard card(ctx, test::virtual_reader_name());
    PcscCard::Transaction tx(card);
    Read r;
    ReadOptions opts;
    opts.ca_key = &test_ca();
    opts.stats = &r.stats;
    r.info = read_card_with_code_b(card, code, opts);
    return r;
}

template <class F>
CardError error_of(F&& f) {
    try {
        f();
    } catch (const CardError& e) {
        return e;
    }
    ADD_FAILURE() << "no CardError";
    return CardError(CardErrorKind::Transmit, "none");
}

}  // namespace

TEST(PcscProfiles, Typical) {
    VirtualCardInReader card("typical");
    ASSERT_TRUE(card.present());
    const Read r = read_with_pin("1234");
    EXPECT_EQ(r.info.name, "番号 花子");
    EXPECT_EQ(r.info.address, "東京都千代田区霞が関2丁目1番2号 霞ヶ関コーポ101");
    EXPECT_EQ(r.info.birth_date, "1980-02-17");
    EXPECT_EQ(r.info.sex, Sex::Female);
    EXPECT_EQ(r.info.authenticity, Authenticity::Verified) << r.stats.authenticity_detail;
    EXPECT_EQ(r.stats.data_apdus, 7);
    EXPECT_EQ(r.stats.authenticity_apdus, 9);
    EXPECT_FALSE(r.info.my_number.has_value());
}

TEST(PcscProfiles, RareKanjiOutsideTheBmp) {
    VirtualCardInReader card("rare_kanji");
    ASSERT_TRUE(card.present());
    const Read r = read_with_pin("1234");
    EXPECT_EQ(r.info.name, "髙橋 𠮷太郎");
    EXPECT_EQ(r.info.address, "長﨑県長﨑市桜町2番22号 髙﨑荘𠮷号室");
    EXPECT_EQ(r.info.birth_date, "1957-11-03");
    EXPECT_EQ(r.info.sex, Sex::Male);
    EXPECT_EQ(r.info.authenticity, Authenticity::Verified);
}

TEST(PcscProfiles, VeryLongAddress) {
    VirtualCardInReader card("long_address");
    ASSERT_TRUE(card.present());
    const Read r = read_with_pin("1234");
    std::string expected = "北海道虻田郡倶知安町字山田";
    for (int i = 1; i < 30; ++i) expected += std::to_string(i) + "番地の" + std::to_string(i + 1);
    expected += " 羊蹄山麓コーポラティブハウス第一期分譲棟東側A棟2001号室（管理人室経由）";
    EXPECT_EQ(r.info.address, expected);
    EXPECT_GT(r.info.address.size(), 256u);
    EXPECT_EQ(r.info.name, "長住 所子");
    EXPECT_EQ(r.info.birth_date, "1962-07-21");
    EXPECT_GT(r.info.address.size(), 500u);
    EXPECT_EQ(r.stats.data_apdus, 9);  // four READ BINARY: the header, 256, 256, the rest
    EXPECT_EQ(r.info.authenticity, Authenticity::Verified);
}

// Era boundaries: the birth date as read, and 照合番号B (whose YYMMDD is in the
// era year, computed by ICU) opening the same card.
struct EraCase {
    const char* profile;
    const char* name;
    const char* birth;
    Sex sex;
    const char* yymmdd;
};

class PcscEraProfiles : public ::testing::TestWithParam<EraCase> {};

TEST_P(PcscEraProfiles, BirthDateAndCodeB) {
    const EraCase& c = GetParam();
    VirtualCardInReader card(c.profile);
    ASSERT_TRUE(card.present());
    const Read r = read_with_pin("1234");
    EXPECT_EQ(r.info.name, c.name);
    EXPECT_EQ(r.info.birth_date, c.birth);
    EXPECT_EQ(r.info.sex, c.sex);
    EXPECT_EQ(r.info.address, "京都府京都市上京区京都御苑3");
    EXPECT_EQ(japanese_era_yymmdd(c.birth), c.yymmdd);
    const Read b = read_with_code_b(CodeB::from_card_face(c.birth, 2034, "0415"));
    EXPECT_EQ(b.info.name, c.name);
    EXPECT_EQ(b.info.birth_date, c.birth);
}

INSTANTIATE_TEST_SUITE_P(Eras, PcscEraProfiles,
                         ::testing::Values(EraCase{"era_1989_01_07", "昭和 末子", "1989-01-07", Sex::Other, "640107"},
                                           EraCase{"era_1989_01_08", "平成 元", "1989-01-08", Sex::Male, "010108"},
                                           EraCase{"era_2019_04_30", "平成 終子", "2019-04-30", Sex::Female, "310430"},
                                           EraCase{"era_2019_05_01", "令和 元", "2019-05-01", Sex::Unknown, "010501"}),
                         [](const ::testing::TestParamInfo<EraCase>& p) { return std::string(p.param.profile); });

TEST(PcscProfiles, OneTryLeftNeedsTheResidentsChoice) {
    VirtualCardInReader card("one_try_left");
    ASSERT_TRUE(card.present());
    const auto refused = test::run("echo 1234 | " + test::card_cli() + " read --pin-stdin --json --reader '" +
                                   kVirtualReader + "' 2>/dev/null");
    EXPECT_EQ(refused.exit_code, 8);
    EXPECT_EQ(nlohmann::json::parse(refused.output)["error"], "last_try_needs_confirmation");
    const auto ok = test::run("echo 1234 | " + test::card_cli() + " read --pin-stdin --allow-last-try --json --reader '" +
                              kVirtualReader + "' 2>/dev/null");
    ASSERT_EQ(ok.exit_code, 0);
    const auto j = nlohmann::json::parse(ok.output);
    EXPECT_EQ(j["name"], "残り 一回");
    EXPECT_EQ(j["birth_date"], "1948-12-31");
    EXPECT_EQ(j["sex"], "male");
    EXPECT_EQ(j["pin_tries_left"], 1);
    EXPECT_EQ(j["authenticity"], "consistent");  // no --ca-key
}

// Wrong PINs count down 3 -> 2 -> 1, the guard stops at 1 without a VERIFY,
// and the last wrong try locks.
TEST(PcscProfiles, WrongPinSequence) {
    VirtualCardInReader card("typical");
    ASSERT_TRUE(card.present());
    for (int expected : {2, 1}) {
        const CardError e = error_of([] { read_with_pin("9999"); });
        EXPECT_EQ(e.kind(), CardErrorKind::WrongPin);
        EXPECT_EQ(e.tries_left(), expected);
    }
    EXPECT_EQ(error_of([] { read_with_pin("1234"); }).kind(), CardErrorKind::LastTryNeedsConfirmation);
    EXPECT_EQ(error_of([] { read_with_pin("9999", true); }).kind(), CardErrorKind::PinLocked);
    EXPECT_EQ(error_of([] { read_with_pin("1234", true); }).kind(), CardErrorKind::PinLocked);
}

TEST(PcscProfiles, LockedCardSendsResidentToStaffWhoUseCodeB) {
    VirtualCardInReader card("locked");
    ASSERT_TRUE(card.present());
    const auto locked = test::run("echo 1234 | " + test::card_cli() + " read --pin-stdin --allow-last-try --json --reader '" +
                                  kVirtualReader + "' 2>/dev/null");
    EXPECT_EQ(locked.exit_code, 7);
    const auto e = nlohmann::json::parse(locked.output);
    EXPECT_EQ(e["error"], "pin_locked");
    EXPECT_EQ(e["pin_tries_left"], 0);
    // Staff mode: 照合番号B from the card face (平成3年 -> 03).
    const auto staff = test::run("echo '1991-04-01 2031 7788' | " + test::card_cli() +
                                 " read --code-b-stdin --json --ca-key " + test::test_key("test-ca-public.pem") +
                                 " --reader '" + kVirtualReader + "' 2>/dev/null");
    ASSERT_EQ(staff.exit_code, 0);
    const auto j = nlohmann::json::parse(staff.output);
    EXPECT_EQ(j["name"], "施錠 済子");
    EXPECT_EQ(j["address"], "福岡県福岡市中央区天神1丁目8番1号");
    EXPECT_EQ(j["birth_date"], "1991-04-01");
    EXPECT_EQ(j["sex"], "female");
    EXPECT_EQ(j["verified_with"], "code_b");
    EXPECT_EQ(j["authenticity"], "verified");
    EXPECT_TRUE(j["pin_tries_left"].is_null());
    EXPECT_FALSE(j.contains("my_number"));
    EXPECT_EQ(staff.output.find("7788"), std::string::npos);
    // 個人番号 is never offered with 照合番号B.
    const auto refused = test::run("echo '1991-04-01 2031 7788' | " + test::card_cli() +
                                   " read --code-b-stdin --with-my-number --reader '" + kVirtualReader + "' 2>/dev/null");
    EXPECT_EQ(refused.exit_code, 2);
}

TEST(PcscProfiles, MalformedTlvIsATypedError) {
    VirtualCardInReader card("malformed_tlv");
    ASSERT_TRUE(card.present());
    const CardError e = error_of([] { read_with_pin("1234"); });
    EXPECT_EQ(e.kind(), CardErrorKind::Malformed) << e.what();
    const auto cli = test::run("echo 1234 | " + test::card_cli() + " read --pin-stdin --reader '" + kVirtualReader +
                               "' 2>/dev/null");
    EXPECT_EQ(cli.exit_code, 9);
}

TEST(PcscProfiles, CardPulledMidReadIsATypedError) {
    VirtualCardInReader card("pulled_after_5");
    ASSERT_TRUE(card.present());
    const CardError e = error_of([] { read_with_pin("1234"); });
    EXPECT_EQ(e.kind(), CardErrorKind::CardRemoved) << e.what();
}

TEST(PcscProfiles, TamperedCardIsCaught) {
    VirtualCardInReader card("tampered");
    ASSERT_TRUE(card.present());
    const Read r = read_with_pin("1234");
    EXPECT_EQ(r.info.authenticity, Authenticity::HashMismatch);
    EXPECT_EQ(r.info.address, "埼玉県さいたま市浦和区高砂3丁目15番1号 別人宅");
    const auto cli = test::run("echo 1234 | " + test::card_cli() + " read --pin-stdin --json --reader '" +
                               kVirtualReader + "' 2>/dev/null");
    EXPECT_EQ(cli.exit_code, 12);
    EXPECT_EQ(nlohmann::json::parse(cli.output)["authenticity"], "hash_mismatch");
}

TEST(PcscProfiles, BadSignatureIsCaught) {
    VirtualCardInReader card("bad_signature");
    ASSERT_TRUE(card.present());
    const Read r = read_with_pin("1234");
    EXPECT_EQ(r.info.authenticity, Authenticity::SignatureInvalid);
    EXPECT_EQ(r.info.name, "署名 不正");
}
