#include <gtest/gtest.h>

#include "kakanai/cardreader/errors.hpp"
#include "kakanai/cardreader/mynumber.hpp"
#include "kakanai/cardreader/tlv.hpp"
#include "kakanai/virtualcard/virtual_card.hpp"
#include "test_support.hpp"

using namespace kakanai::cardreader;

using namespace kakanai::virtualcard;

TEST(Tlv, ShortAndLongFormLengths) {
    const auto short_form = from_hex("DF 22 03 41 42 43");
    const Tlv a = parse_tlv(short_form);
    EXPECT_EQ(a.tag, 0xDF22u);
    EXPECT_EQ(a.value.size(), 3u);
    EXPECT_EQ(a.header_length, 3u);

    byte_vector long_form = from_hex("FF 20 81 80");
    long_form.insert(long_form.end(), 0x80, 0x41);
    const Tlv b = parse_tlv(long_form);
    EXPECT_EQ(b.tag, 0xFF20u);
    EXPECT_EQ(b.value.size(), 0x80u);

    byte_vector two_byte = from_hex("FF 20 82 01 00");
    two_byte.insert(two_byte.end(), 0x100, 0x41);
    EXPECT_EQ(parse_tlv(two_byte).value.size(), 0x100u);
}

TEST(Tlv, RejectsValueRunningPastTheEnd) {
    const auto data = from_hex("DF 22 05 41 42");
    try {
        parse_tlv(data);
        FAIL() << "no error";
    } catch (const CardError& e) {
        EXPECT_EQ(e.kind(), CardErrorKind::Malformed);
    }
}

TEST(Tlv, RejectsIndefiniteAndOversizedLengths) {
    EXPECT_THROW(parse_tlv(from_hex("DF 22 80 00 00")), CardError);
    EXPECT_THROW(parse_tlv(from_hex("DF 22 85 00 00 00 00 01 41")), CardError);
}

TEST(Tlv, ListStopsAtFillerAndSkipsNothingElse) {
    const auto data = from_hex("DF 22 01 41 DF 23 01 42 FF FF FF");
    const auto list = parse_tlv_list(data);
    ASSERT_EQ(list.size(), 2u);
    EXPECT_EQ(list[1].tag, 0xDF23u);
}

TEST(Basic4, ParsesTheVirtualCardsFile) {
    const VirtualCard card(CardProfile::load(kakanai::test::card_profile("typical")));
    const CardInfo info = parse_basic4(card.ef_basic4());
    EXPECT_EQ(info.name, "番号 花子");
    EXPECT_EQ(info.birth_date, "1980-02-17");
    EXPECT_EQ(info.sex, Sex::Female);
}

TEST(Basic4, UnknownTagsAreSkipped) {
    // FF20 { DF99 01 00, DF22 01 41, DF23 01 42, DF24 08 19800217, DF25 01 31 }
    const auto data = from_hex("FF 20 1B DF 99 01 00 DF 22 01 41 DF 23 01 42 DF 24 08 31 39 38 30 30 32 31 37 DF 25 01 31");
    const CardInfo info = parse_basic4(data);
    EXPECT_EQ(info.name, "A");
    EXPECT_EQ(info.sex, Sex::Male);
}

// Every truncation and every one-byte corruption of a real-shaped file either
// parses or throws CardError(Malformed): never a crash, never a read past the end.
TEST(Basic4, SurvivesEveryTruncationAndCorruption) {
    const VirtualCard card(CardProfile::load(kakanai::test::card_profile("typical")));
    const byte_vector file = card.ef_basic4();
    int errors = 0;
    for (std::size_t cut = 0; cut < file.size(); ++cut) {
        byte_vector part(file.begin(), file.begin() + static_cast<std::ptrdiff_t>(cut));
        try {
            parse_basic4(part);
        } catch (const CardError& e) {
            EXPECT_EQ(e.kind(), CardErrorKind::Malformed);
            ++errors;
        }
    }
    EXPECT_GT(errors, 0);
    for (std::size_t i = 0; i < file.size(); ++i) {
        for (int delta : {1, 0x7F, 0x80, 0xFF}) {
            byte_vector bad = file;
            bad[i] = static_cast<std::uint8_t>(bad[i] + delta);
            try {
                parse_basic4(bad);
            } catch (const CardError& e) {
                EXPECT_EQ(e.kind(), CardErrorKind::Malformed);
            }
        }
    }
}

TEST(Basic4, InvalidUtf8AndImpossibleDatesAreMalformed) {
    EXPECT_THROW(parse_basic4(from_hex("FF 20 17 DF 22 01 C3 DF 23 01 42 DF 24 08 31 39 38 30 30 32 31 37 DF 25 01 31")),
                 CardError);
    EXPECT_THROW(parse_basic4(from_hex("FF 20 17 DF 22 01 41 DF 23 01 42 DF 24 08 31 39 38 30 30 32 33 30 DF 25 01 31")),
                 CardError);
}

TEST(MyNumberFile, ParsesTwelveDigitsAndRejectsOthers) {
    const auto ok = from_hex("FF 10 0C 31 32 33 34 35 36 37 38 39 30 31 38 FF FF");
    EXPECT_EQ(parse_my_number(ok).digits(), "123456789018");
    EXPECT_THROW(parse_my_number(from_hex("FF 10 0B 31 32 33 34 35 36 37 38 39 30 31")), CardError);
    EXPECT_THROW(parse_my_number(from_hex("FF 10 0C 31 32 33 34 35 36 37 38 39 30 31 41")), CardError);
}
