#include <gtest/gtest.h>

#include "flow.hpp"

using namespace kakanai::kiosk;
using kakanai::cardreader::CardErrorKind;
using kakanai::cardreader::CardInfo;

namespace {

CardInfo resident() {
    CardInfo c;
    c.name = "番号 花子";
    c.address = "東京都千代田区";
    c.birth_date = "1980-02-17";
    return c;
}

State run(std::vector<Event> events, std::vector<Command>* commands = nullptr) {
    State s;
    for (auto& e : events) {
        auto t = next(std::move(s), e);
        s = std::move(t.state);
        if (commands) commands->insert(commands->end(), t.commands.begin(), t.commands.end());
    }
    return s;
}

std::vector<Event> to_confirm() {
    return {ev::ReaderReady{true}, ev::CardInserted{"r"}, ev::PinDigit{'1'}, ev::PinDigit{'2'},
            ev::PinDigit{'3'},      ev::PinDigit{'4'},      ev::PinSubmit{},    ev::ReadOk{resident()}};
}

}  // namespace

TEST(Flow, HappyPath) {
    std::vector<Command> cmds;
    auto events = to_confirm();
    State s = run(events, &cmds);
    EXPECT_EQ(s.screen, Screen::Confirm);
    ASSERT_EQ(cmds.size(), 1u);
    const auto& read = std::get<cmd::ReadCard>(cmds[0]);
    EXPECT_EQ(std::string(read.pin.data(), 4), "1234");
    EXPECT_EQ(s.pin_length, 0);  // the PIN left the state with the command
    events.push_back(ev::MakeApplication{});
    events.push_back(ev::ApplicationDone{"A-1234-5678", "/out/A-1234-5678.pdf"});
    cmds.clear();
    s = run(events, &cmds);
    EXPECT_EQ(s.screen, Screen::Done);
    EXPECT_TRUE(s.card.name.empty());
    EXPECT_EQ(s.application_id, "A-1234-5678");
}

TEST(Flow, PinSubmitNeedsFourDigitsAndIgnoresMore) {
    State s = run({ev::CardInserted{"r"}, ev::PinDigit{'1'}, ev::PinSubmit{}});
    EXPECT_EQ(s.screen, Screen::Pin);
    s = run({ev::CardInserted{"r"}, ev::PinDigit{'1'}, ev::PinDigit{'2'}, ev::PinDigit{'3'}, ev::PinDigit{'4'},
             ev::PinDigit{'5'}, ev::PinDigit{'x'}});
    EXPECT_EQ(s.pin_length, 4);
}

TEST(Flow, WrongPinReturnsToPadWithTriesLeft) {
    auto events = to_confirm();
    events.back() = ev::ReadFailed{CardErrorKind::WrongPin, 2};
    const State s = run(events);
    EXPECT_EQ(s.screen, Screen::Pin);
    EXPECT_EQ(s.tries_left, 2);
    EXPECT_EQ(s.error_key, "error.wrong_pin");
}

TEST(Flow, LockedAndLastTryGoToStaff) {
    auto events = to_confirm();
    events.back() = ev::ReadFailed{CardErrorKind::PinLocked, 0};
    EXPECT_EQ(run(events).error_key, "error.locked");
    events.back() = ev::ReadFailed{CardErrorKind::LastTryNeedsConfirmation, 1};
    EXPECT_EQ(run(events).error_key, "error.last_try");
}

// Every way out of a session leaves no personal data in the state.
TEST(Flow, EveryExitWipes) {
    const std::vector<Event> exits = {ev::Back{}, ev::CardRemoved{}, ev::ApplicationFailed{},
                                      ev::ApplicationDone{"A-1", "/x"}};
    for (const auto& exit : exits) {
        auto events = to_confirm();
        if (std::holds_alternative<ev::ApplicationFailed>(exit) || std::holds_alternative<ev::ApplicationDone>(exit))
            events.push_back(ev::MakeApplication{});
        events.push_back(exit);
        State s = run(events);
        EXPECT_TRUE(s.card.name.empty() && s.card.address.empty() && s.card.birth_date.empty()) << event_name(exit);
        EXPECT_EQ(s.pin_length, 0);
        if (!std::holds_alternative<ev::ApplicationDone>(exit)) {
            EXPECT_FALSE(s.holds_personal_data()) << event_name(exit);
        }
    }
    // Pulling the card while typing the PIN wipes the typed digits.
    State s = run({ev::CardInserted{"r"}, ev::PinDigit{'1'}, ev::PinDigit{'2'}, ev::CardRemoved{}});
    EXPECT_FALSE(s.holds_personal_data());
    EXPECT_EQ(s.screen, Screen::Welcome);
}

TEST(Flow, CardPulledWhileReadingShowsMessage) {
    auto events = to_confirm();
    events.pop_back();
    events.push_back(ev::CardRemoved{});
    const State s = run(events);
    EXPECT_EQ(s.screen, Screen::Error);
    EXPECT_EQ(s.error_key, "error.card_removed");
}

TEST(Flow, UnexpectedEventsAreIgnoredInEveryScreen) {
    const std::vector<Event> all = {ev::ReaderReady{true}, ev::CardInserted{"r"}, ev::CardRemoved{},
                                    ev::PinDigit{'1'},     ev::PinClear{},         ev::PinSubmit{},
                                    ev::ReadOk{resident()}, ev::ReadFailed{CardErrorKind::Transmit, -1},
                                    ev::MakeApplication{}, ev::ApplicationDone{"A", "/p"}, ev::ApplicationFailed{},
                                    ev::Back{}};
    // Drive into each screen, then throw every event at it: no crash, and
    // ReadOk is only accepted while reading.
    for (std::size_t prefix = 0; prefix <= to_confirm().size(); ++prefix) {
        auto base = to_confirm();
        base.resize(prefix);
        const Screen before = run(base).screen;
        for (const auto& e : all) {
            auto events = base;
            events.push_back(e);
            const State s = run(events);
            if (std::holds_alternative<ev::ReadOk>(e) && before != Screen::Reading) {
                EXPECT_EQ(s.screen, before) << "ReadOk accepted on " << to_string(before);
            }
        }
    }
}
