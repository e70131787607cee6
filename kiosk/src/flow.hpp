#pragma once
// The resident's flow as a pure function: next(State, Event) -> (State, Commands).
// No ImGui, no SDL, no I/O here: the UI draws State and turns taps, timers and
// card events into Events; main.cpp carries out the Commands.
#include <array>
#include <string>
#include <variant>
#include <vector>

#include "kakanai/cardreader/card_info.hpp"
#include "kakanai/cardreader/errors.hpp"

namespace kakanai::kiosk {

enum class Screen { Welcome, Pin, Reading, Confirm, Done, Error };
const char* to_string(Screen s);

struct State {
    Screen screen = Screen::Welcome;
    bool reader_ready = false;
    std::string reader;                 // reader holding the card
    std::array<char, 4> pin{};          // digits typed so far, zeroed on wipe
    int pin_length = 0;
    int tries_left = -1;                // unknown until the card says
    cardreader::CardInfo card;          // personal data: wiped on every exit
    std::string application_id;
    std::string pdf_path;
    std::string error_key;              // i18n key of the message on Screen::Error

    bool holds_personal_data() const;
};

namespace ev {
struct ReaderReady { bool ready; };
struct CardInserted { std::string reader; };
struct CardRemoved {};
struct PinDigit { char digit; };
struct PinClear {};
struct PinSubmit {};
struct ReadOk { cardreader::CardInfo card; };
struct ReadFailed { cardreader::CardErrorKind kind; int tries_left; };
struct MakeApplication {};
struct ApplicationDone { std::string application_id; std::string pdf_path; };
struct ApplicationFailed {};
struct Back {};
}  // namespace ev

using Event = std::variant<ev::ReaderReady, ev::CardInserted, ev::CardRemoved, ev::PinDigit, ev::PinClear,
                           ev::PinSubmit, ev::ReadOk, ev::ReadFailed, ev::MakeApplication, ev::ApplicationDone,
                           ev::ApplicationFailed, ev::Back>;
const char* event_name(const Event& e);

namespace cmd {
// Read the card with this PIN. The digits travel in a fixed array the worker zeroes.
struct ReadCard { std::string reader; std::array<char, 4> pin; };
struct CreateApplication {};  // prefill, store and render from State::card
}  // namespace cmd
using Command = std::variant<cmd::ReadCard, cmd::CreateApplication>;

struct Transition {
    State state;
    std::vector<Command> commands;
};

Transition next(State state, const Event& event);

// The one cleanup every way out of a session goes through.
void wipe(State& s) noexcept;

}  // namespace kakanai::kiosk
