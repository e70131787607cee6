#include <gtest/gtest.h>

#include <sstream>

#include "kakanai/cardreader/errors.hpp"
#include "kakanai/cardreader/mynumber.hpp"
#include "kakanai/cardreader/virtual_card.hpp"
#include "test_support.hpp"

using namespace kakanai::cardreader;

namespace {

CardProfile profile(const std::string& name) { return CardProfile::load(kakanai::test::card_profile(name)); }

// Counts the APDUs the reader sends and keeps the (redacted) log.
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

}  // namespace

TEST(MyNumberReader, ReadsTheFourItemsInSevenApdus) {
    VirtualCard card(profile("typical"));
    InProcessChannel ch(card);
    Recorder rec;
    ch.set_logger(rec.logger());
    const CardInfo info = read_card(ch, Pin("1234"));
    EXPECT_EQ(info.name, "番号 花子");
    EXPECT_EQ(info.address, "東京都千代田区霞が関2丁目1番2号 霞ヶ関コーポ101");
    EXPECT_EQ(info.birth_date, "1980-02-17");
    EXPECT_EQ(info.sex, Sex::Female);
    EXPECT_FALSE(info.my_number.has_value());
    EXPECT_EQ(card.apdus_seen(), 7);
    EXPECT_EQ(rec.lines.size(), 7u);
}

TEST(MyNumberReader, RareKanjiIncludingNonBmpSurviveTheRead) {
    VirtualCard card(profile("rare_kanji"));
    InProcessChannel ch(card);
    const CardInfo info = read_card(ch, Pin("1234"));
    EXPECT_EQ(info.name, "髙﨑 𠮷太郎");
}

TEST(MyNumberReader, MyNumberOnlyWhenAskedAndNeverInTheLog) {
    VirtualCard card(profile("typical"));
    InProcessChannel ch(card);
    Recorder rec;
    ch.set_logger(rec.logger());
    const CardInfo info = read_card(ch, Pin("1234"), ReadOptions{true, false});
    ASSERT_TRUE(info.my_number.has_value());
    EXPECT_EQ(info.my_number->digits(), "123456789018");
    const std::string log = rec.all();
    // Neither the PIN nor the 個人番号, in ASCII or in hex, reaches the log.
    for (const char* secret : {"1234", "31 32 33 34", "123456789018", "31 32 33 34 35 36 37 38 39 30 31 38"})
        EXPECT_EQ(log.find(secret), std::string::npos) << secret;
    EXPECT_NE(log.find("redacted"), std::string::npos);
    std::ostringstream os;
    os << info;
    EXPECT_EQ(os.str().find("123456789018"), std::string::npos);
}

TEST(PinGuard, WrongPinCountsDownAndStopsAtTheLastTry) {
    VirtualCard card(profile("typical"));
    InProcessChannel ch(card);
    try {
        read_card(ch, Pin("9999"));
        FAIL();
    } catch (const CardError& e) {
        EXPECT_EQ(e.kind(), CardErrorKind::WrongPin);
        EXPECT_EQ(e.tries_left(), 2);
    }
    try {
        read_card(ch, Pin("9999"));
        FAIL();
    } catch (const CardError& e) {
        EXPECT_EQ(e.tries_left(), 1);
    }
    // One try left: refused without sending a VERIFY.
    const int before = card.apdus_seen();
    EXPECT_EQ(read_error(card, "1234"), CardErrorKind::LastTryNeedsConfirmation);
    EXPECT_EQ(card.pin_tries_left(), 1);
    EXPECT_EQ(card.apdus_seen() - before, 3);  // SELECT AP, SELECT EF, tries query
    // The resident chose to spend it: the right PIN resets the counter.
    const CardInfo info = read_card(ch, Pin("1234"), ReadOptions{false, true});
    EXPECT_EQ(info.name, "番号 花子");
    EXPECT_EQ(card.pin_tries_left(), 3);
}

TEST(PinGuard, LockedCardIsReportedWithoutSpendingAnything) {
    auto p = profile("typical");
    p.pin_tries_left = 0;
    VirtualCard card(p);
    EXPECT_EQ(read_error(card, "1234"), CardErrorKind::PinLocked);
}

TEST(PinGuard, LastWrongTryLocks) {
    auto p = profile("typical");
    p.pin_tries_left = 1;
    VirtualCard card(p);
    EXPECT_EQ(read_error(card, "9999", ReadOptions{false, true}), CardErrorKind::PinLocked);
    EXPECT_EQ(card.pin_tries_left(), 0);
}

TEST(CardRemoval, PulledAtEveryStepGivesATypedErrorAndNoData) {
    for (int n = 0; n < 7; ++n) {
        auto p = profile("typical");
        p.remove_after_apdus = n;
        VirtualCard card(p);
        EXPECT_EQ(read_error(card, "1234"), CardErrorKind::CardRemoved) << "after " << n << " APDUs";
    }
}

TEST(MalformedCard, BrokenBasic4IsReportedAsMalformed) {
    auto p = profile("typical");
    p.raw_basic4_hex = "FF 20 30 DF 22 05 41";
    VirtualCard card(p);
    EXPECT_EQ(read_error(card, "1234"), CardErrorKind::Malformed);
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
