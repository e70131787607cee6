#include "flow.hpp"

#include "kakanai/cardreader/bytes.hpp"

namespace kakanai::kiosk {
namespace {

template <class... Ts>
struct overloaded : Ts... {
    using Ts::operator()...;
};
template <class... Ts>
overloaded(Ts...) -> overloaded<Ts...>;

void clear_pin(State& s) noexcept {
    cardreader::secure_zero(s.pin.data(), s.pin.size());
    s.pin_length = 0;
}

std::string error_key_for(cardreader::CardErrorKind k) {
    using K = cardreader::CardErrorKind;
    switch (k) {
        case K::PinLocked: return "error.locked";
        case K::LastTryNeedsConfirmation: return "error.last_try";
        case K::CardRemoved:
        case K::NoCard:
        case K::CardReset: return "error.card_removed";
        case K::ServiceNotRunning:
        case K::NoReader: return "error.no_service";
        default: return "error.read_failed";
    }
}

}  // namespace

const char* to_string(Screen s) {
    switch (s) {
        case Screen::Welcome: return "welcome";
        case Screen::Pin: return "pin";
        case Screen::Reading: return "reading";
        case Screen::Confirm: return "confirm";
        case Screen::Done: return "done";
        case Screen::Error: return "error";
    }
    return "?";
}

const char* event_name(const Event& e) {
    static const char* names[] = {"ReaderReady", "CardInserted", "CardRemoved", "PinDigit", "PinClear", "PinSubmit",
                                  "ReadOk", "ReadFailed", "MakeApplication", "ApplicationDone", "ApplicationFailed",
                                  "Back"};
    return names[e.index()];
}

bool State::holds_personal_data() const {
    return pin_length != 0 || pin != std::array<char, 4>{} || !card.name.empty() || !card.address.empty() ||
           !card.birth_date.empty() || card.my_number.has_value() || !application_id.empty() || !pdf_path.empty();
}

void wipe(State& s) noexcept {
    clear_pin(s);
    s.card.wipe();
    s.application_id.clear();
    s.pdf_path.clear();
    s.tries_left = -1;
    s.reader.clear();
    s.error_key.clear();
    s.screen = Screen::Welcome;
}

Transition next(State s, const Event& event) {
    std::vector<Command> out;
    std::visit(
        overloaded{
            [&](const ev::ReaderReady& e) { s.reader_ready = e.ready; },
            [&](const ev::CardInserted& e) {
                if (s.screen == Screen::Welcome || s.screen == Screen::Error) {
                    wipe(s);
                    s.reader = e.reader;
                    s.screen = Screen::Pin;
                }
            },
            [&](const ev::CardRemoved&) {
                // Done keeps its number on screen; the data behind it is gone already.
                if (s.screen == Screen::Done) return;
                if (s.screen == Screen::Reading) {
                    wipe(s);
                    s.screen = Screen::Error;
                    s.error_key = "error.card_removed";
                } else if (s.screen != Screen::Error) {
                    wipe(s);
                }
            },
            [&](const ev::PinDigit& e) {
                if (s.screen != Screen::Pin || s.pin_length >= 4 || e.digit < '0' || e.digit > '9') return;
                s.pin[static_cast<std::size_t>(s.pin_length++)] = e.digit;
            },
            [&](const ev::PinClear&) {
                if (s.screen == Screen::Pin) clear_pin(s);
            },
            [&](const ev::PinSubmit&) {
                if (s.screen != Screen::Pin || s.pin_length != 4) return;
                out.push_back(cmd::ReadCard{s.reader, s.pin});
                clear_pin(s);
                s.screen = Screen::Reading;
            },
            [&](const ev::ReadOk& e) {
                if (s.screen != Screen::Reading) return;
                s.card = e.card;
                s.screen = Screen::Confirm;
            },
            [&](const ev::ReadFailed& e) {
                if (s.screen != Screen::Reading) return;
                if (e.kind == cardreader::CardErrorKind::WrongPin) {
                    s.tries_left = e.tries_left;
                    s.screen = Screen::Pin;
                    s.error_key = "error.wrong_pin";
                    return;
                }
                const std::string reader = s.reader;
                wipe(s);
                s.reader = reader;
                s.screen = Screen::Error;
                s.error_key = error_key_for(e.kind);
            },
            [&](const ev::MakeApplication&) {
                if (s.screen == Screen::Confirm) out.push_back(cmd::CreateApplication{});
            },
            [&](const ev::ApplicationDone& e) {
                if (s.screen != Screen::Confirm) return;
                // The resident's part ends here: keep only the number to show.
                const std::string id = e.application_id, path = e.pdf_path;
                wipe(s);
                s.application_id = id;
                s.pdf_path = path;
                s.screen = Screen::Done;
            },
            [&](const ev::ApplicationFailed&) {
                if (s.screen != Screen::Confirm) return;
                wipe(s);
                s.screen = Screen::Error;
                s.error_key = "error.pdf_failed";
            },
            [&](const ev::Back&) { wipe(s); },
        },
        event);
    return {std::move(s), std::move(out)};
}

}  // namespace kakanai::kiosk
