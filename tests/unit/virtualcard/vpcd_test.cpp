#include <gtest/gtest.h>

#include "kakanai/cardreader/errors.hpp"
#include "kakanai/cardreader/mynumber.hpp"
#include "kakanai/virtualcard/virtual_card.hpp"

using namespace kakanai::cardreader;

using namespace kakanai::virtualcard;

namespace {
CardProfile profile() {
    CardProfile p;
    p.name = "番号 花子";
    p.address = "東京都";
    p.birth_date = "1980-02-17";
    p.my_number = "123456789018";
    return p;
}
}  // namespace

TEST(VpcdReader, SplitsMessagesFedInPieces) {
    VpcdReader r;
    const byte_vector wire{0x00, 0x01, 0x04, 0x00, 0x05, 0x00, 0xA4, 0x04, 0x0C, 0x00, 0x00, 0x00};
    for (std::uint8_t b : wire) r.feed(std::span<const std::uint8_t>(&b, 1));
    const auto a = r.next();
    ASSERT_TRUE(a);
    EXPECT_EQ(*a, byte_vector{0x04});
    const auto b = r.next();
    ASSERT_TRUE(b);
    EXPECT_EQ(b->size(), 5u);
    const auto c = r.next();  // "00 00" is an empty message
    ASSERT_TRUE(c);
    EXPECT_TRUE(c->empty());
    EXPECT_FALSE(r.next());
    EXPECT_EQ(r.buffered(), 0u);
}

TEST(VpcdReader, WaitsForTheWholeMessage) {
    VpcdReader r;
    const byte_vector part{0x01, 0x00, 0xAA};  // 256 bytes announced, 1 here
    r.feed(part);
    EXPECT_FALSE(r.next());
    EXPECT_EQ(r.buffered(), 3u);
}

TEST(VpcdAnswer, ControlCodesAtrAndRemoval) {
    CardProfile p = profile();
    p.remove_after_apdus = 1;
    VirtualCard card(p);
    bool pulled = false;
    EXPECT_EQ(vpcd_answer(card, {0x04}, pulled), VirtualCard::atr());
    EXPECT_FALSE(vpcd_answer(card, {0x01}, pulled));
    EXPECT_FALSE(vpcd_answer(card, {}, pulled));
    EXPECT_TRUE(vpcd_answer(card, {0x00, 0xA4, 0x04, 0x0C}, pulled));
    EXPECT_FALSE(pulled);
    EXPECT_FALSE(vpcd_answer(card, {0x00, 0xA4, 0x04, 0x0C}, pulled));
    EXPECT_TRUE(pulled);
    EXPECT_EQ(vpcd_frame({0x90, 0x00}), (byte_vector{0x00, 0x02, 0x90, 0x00}));
}

// The card pulled out after any APDU of a read (入力補助AP, with 個人番号 and the
// authenticity files): always CardRemoved, never another error or a half-filled
// CardInfo; the data read before it is wiped by read_card.
TEST(CardPulled, AfterEveryApduOfAReadGivesCardRemoved) {
    const auto base = CardProfile::load(std::filesystem::path(KAKANAI_SOURCE_DIR) / "tests/cards/typical.toml");
    int pulled = 0;
    for (int n = 1; n < 64; ++n) {
        CardProfile p = base;
        p.remove_after_apdus = n;
        VirtualCard card(p);
        InProcessChannel channel(card);
        ReadOptions o;
        o.with_my_number = true;
        try {
            const CardInfo info = read_card(channel, Pin("1234"), o);
            EXPECT_EQ(info.name, "番号 花子") << n;
            break;  // the whole read fitted in n APDUs
        } catch (const CardError& e) {
            EXPECT_EQ(e.kind(), CardErrorKind::CardRemoved) << "after " << n << " APDUs: " << e.what();
            ++pulled;
        }
    }
    EXPECT_GT(pulled, 8);  // select, verify, EF 0002, EF 0001, EF 0003, EF 0004
}
