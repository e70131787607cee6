// The PC/SC layer without pcscd: status-word handling in CardChannel::transmit
// against a scripted exchange, and the typed error mapping.
#include <PCSC/winscard.h>
#include <gtest/gtest.h>

#include <deque>
#include <utility>

#include "kakanai/cardreader/channel.hpp"
#include "kakanai/cardreader/errors.hpp"
#include "kakanai/cardreader/pcsc.hpp"
#include "kakanai/cardreader/reader_monitor.hpp"

using namespace kakanai::cardreader;

namespace {

// Answers from a script of (expected command hex, answer hex) pairs and fails
// the test on any command it did not expect.
class ScriptedChannel : public CardChannel {
public:
    ScriptedChannel(std::initializer_list<std::pair<std::string, std::string>> script) : script_(script) {}
    std::string reader_name() const override { return "scripted"; }
    bool done() const { return script_.empty(); }

protected:
    ResponseApdu transmit_raw(const CommandApdu& command) override {
        if (script_.empty()) {
            ADD_FAILURE() << "unexpected command " << to_hex(command.encode());
            return ResponseApdu::status(0x6F00);
        }
        auto [expect, answer] = script_.front();
        script_.pop_front();
        EXPECT_EQ(to_hex(command.encode()), to_hex(from_hex(expect)));
        return ResponseApdu::parse(from_hex(answer));
    }

private:
    std::deque<std::pair<std::string, std::string>> script_;
};

}  // namespace

TEST(Channel, GetResponseCollectsEveryPart) {
    ScriptedChannel ch{{"00 B0 00 00 10", "41 42 61 03"},
                        {"00 C0 00 00 03", "43 44 45 61 00"},
                        {"00 C0 00 00 00", "46 90 00"}};
    const auto r = ch.transmit(CommandApdu{0x00, 0xB0, 0x00, 0x00, {}, 0x10});
    EXPECT_TRUE(r.ok());
    EXPECT_EQ(to_hex(r.data), "41 42 43 44 45 46");
    EXPECT_TRUE(ch.done());
}

TEST(Channel, WrongLeIsResentWithTheCardsLe) {
    ScriptedChannel ch{{"00 B0 00 00 07", "6C 05"}, {"00 B0 00 00 05", "01 02 03 04 05 90 00"}};
    const auto r = ch.transmit(CommandApdu{0x00, 0xB0, 0x00, 0x00, {}, 7});
    EXPECT_TRUE(r.ok());
    EXPECT_EQ(r.data.size(), 5u);
    EXPECT_TRUE(ch.done());
}

TEST(Channel, WrongLeThenMoreDataCombine) {
    ScriptedChannel ch{{"00 B0 00 00 07", "6C 00"}, {"00 B0 00 00 00", "61 02"}, {"00 C0 00 00 02", "AA BB 90 00"}};
    const auto r = ch.transmit(CommandApdu{0x00, 0xB0, 0x00, 0x00, {}, 7});
    EXPECT_TRUE(r.ok());
    EXPECT_EQ(to_hex(r.data), "AA BB");
}

TEST(Channel, OtherStatusWordsPassThroughUntouched) {
    ScriptedChannel ch{{"00 20 00 80", "63 C2"}};
    const auto r = ch.transmit(CommandApdu{0x00, 0x20, 0x00, 0x80, {}, std::nullopt});
    EXPECT_EQ(r.sw(), 0x63C2);
}

TEST(Channel, SecretAnswersStayRedactedThroughGetResponse) {
    ScriptedChannel ch{{"00 B0 00 00 11", "FF 10 61 01"}, {"00 C0 00 00 01", "0C 90 00"}};
    std::string log;
    ch.set_logger([&](const std::string& l) { log += l + "\n"; }, ApduLogLevel::Data);
    CommandApdu c{0x00, 0xB0, 0x00, 0x00, {}, 0x11};
    c.secret_response = true;
    ch.transmit(c);
    EXPECT_EQ(log.find("FF 10"), std::string::npos) << log;
    EXPECT_EQ(log.find("0C"), std::string::npos) << log;
    EXPECT_NE(log.find("00 C0 00 00"), std::string::npos) << log;
}

TEST(Channel, HeaderLevelLogsNoDataBytes) {
    ScriptedChannel ch{{"00 A4 02 0C 02 00 02", "90 00"}, {"00 B0 00 00 03", "41 42 43 90 00"}};
    std::string log;
    ch.set_logger([&](const std::string& l) { log += l + "\n"; }, ApduLogLevel::Headers);
    ch.transmit(CommandApdu{0x00, 0xA4, 0x02, 0x0C, from_hex("00 02"), std::nullopt});
    ch.transmit(CommandApdu{0x00, 0xB0, 0x00, 0x00, {}, 3});
    EXPECT_EQ(log.find("41 42 43"), std::string::npos) << log;
    EXPECT_NE(log.find("<3 bytes>"), std::string::npos) << log;
    EXPECT_NE(log.find("2 data bytes"), std::string::npos) << log;
}

TEST(PcscErrors, EachFailureBecomesItsTypedKind) {
    const std::pair<LONG, CardErrorKind> cases[] = {
        {static_cast<LONG>(SCARD_E_NO_SERVICE), CardErrorKind::ServiceNotRunning},
        {static_cast<LONG>(SCARD_E_SERVICE_STOPPED), CardErrorKind::ServiceNotRunning},
        {static_cast<LONG>(SCARD_E_NO_READERS_AVAILABLE), CardErrorKind::NoReader},
        {static_cast<LONG>(SCARD_E_UNKNOWN_READER), CardErrorKind::NoReader},
        {static_cast<LONG>(SCARD_E_READER_UNAVAILABLE), CardErrorKind::NoReader},
        {static_cast<LONG>(SCARD_E_NO_SMARTCARD), CardErrorKind::NoCard},
        {static_cast<LONG>(SCARD_W_REMOVED_CARD), CardErrorKind::CardRemoved},
        {static_cast<LONG>(SCARD_E_NOT_TRANSACTED), CardErrorKind::CardRemoved},
        {static_cast<LONG>(SCARD_W_RESET_CARD), CardErrorKind::CardReset},
        {static_cast<LONG>(SCARD_E_SHARING_VIOLATION), CardErrorKind::SharingViolation},
        {static_cast<LONG>(SCARD_E_TIMEOUT), CardErrorKind::Timeout},
        {static_cast<LONG>(SCARD_E_CANCELLED), CardErrorKind::Cancelled},
        {static_cast<LONG>(SCARD_W_UNSUPPORTED_CARD), CardErrorKind::NotMyNumberCard},
        {static_cast<LONG>(SCARD_F_INTERNAL_ERROR), CardErrorKind::Transmit},
    };
    for (const auto& [code, kind] : cases) EXPECT_EQ(error_kind_for_pcsc(code), kind) << std::hex << code;
}

TEST(PcscErrors, EveryKindHasAClerkMessageAndARemedy) {
    for (int k = 0; k <= static_cast<int>(CardErrorKind::Transmit); ++k) {
        const auto kind = static_cast<CardErrorKind>(k);
        const CardErrorText& t = describe(kind);
        EXPECT_GT(std::string(t.ja).size(), 0u) << to_string(kind);
        EXPECT_GT(std::string(t.en).size(), 0u) << to_string(kind);
        if (kind != CardErrorKind::Cancelled) {
            EXPECT_GT(std::string(t.remedy_ja).size(), 0u) << to_string(kind);
        }
        EXPECT_NE(std::string(to_string(kind)), "unknown");
    }
    EXPECT_NE(std::string(describe(CardErrorKind::PinLocked).remedy_ja).find("窓口"), std::string::npos);
}

// The monitor's bookkeeping, without pcscd.
TEST(ReaderMonitorDiff, ReportsReadersAndCardsInOrder) {
    const std::vector<ObservedReader> none;
    const std::vector<ObservedReader> one{{"R1", true, 1, from_hex("3B 00")}, {"R2", false, 0, {}}};
    auto e = diff_readers(none, one);
    ASSERT_EQ(e.size(), 3u);
    EXPECT_EQ(e[0].kind, ReaderEventKind::ReaderAdded);
    EXPECT_EQ(e[1].kind, ReaderEventKind::ReaderAdded);
    EXPECT_EQ(e[2].kind, ReaderEventKind::CardInserted);
    EXPECT_EQ(e[2].reader, "R1");
    EXPECT_EQ(to_hex(e[2].atr), "3B 00");

    // Card taken off R1, a card placed on R2.
    const std::vector<ObservedReader> two{{"R1", false, 2, {}}, {"R2", true, 1, {}}};
    e = diff_readers(one, two);
    ASSERT_EQ(e.size(), 2u);
    EXPECT_EQ(e[0].kind, ReaderEventKind::CardRemoved);
    EXPECT_EQ(e[0].reader, "R1");
    EXPECT_EQ(e[1].kind, ReaderEventKind::CardInserted);
    EXPECT_EQ(e[1].reader, "R2");

    // Card swapped on R2 between two looks (count moved by 2): removed, then inserted.
    const std::vector<ObservedReader> swapped{{"R1", false, 2, {}}, {"R2", true, 3, {}}};
    e = diff_readers(two, swapped);
    ASSERT_EQ(e.size(), 2u);
    EXPECT_EQ(e[0].kind, ReaderEventKind::CardRemoved);
    EXPECT_EQ(e[1].kind, ReaderEventKind::CardInserted);

    // R2 unplugged with its card: card first, then the reader.
    const std::vector<ObservedReader> unplugged{{"R1", false, 2, {}}};
    e = diff_readers(swapped, unplugged);
    ASSERT_EQ(e.size(), 2u);
    EXPECT_EQ(e[0].kind, ReaderEventKind::CardRemoved);
    EXPECT_EQ(e[1].kind, ReaderEventKind::ReaderRemoved);
    EXPECT_EQ(e[1].reader, "R2");

    EXPECT_TRUE(diff_readers(unplugged, unplugged).empty());
}
