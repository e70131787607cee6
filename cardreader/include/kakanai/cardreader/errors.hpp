#pragma once
// Typed card errors. Each kind carries a message a clerk can act on.
#include <stdexcept>
#include <string>

namespace kakanai::cardreader {

enum class CardErrorKind {
    ServiceNotRunning,  // pcscd is not running
    NoReader,           // no reader connected
    NoCard,             // reader empty
    CardRemoved,        // card pulled out during an operation
    CardReset,          // another program reset the card
    SharingViolation,   // another program holds the card
    Timeout,
    WrongPin,           // tries_left says how many remain
    LastTryNeedsConfirmation,  // 1 try left: refused unless the caller confirms
    PinLocked,          // no tries left: only the town hall can reset it
    NotMyNumberCard,    // the 券面事項入力補助AP is missing
    AccessDenied,       // read before VERIFY
    Malformed,          // card data broken
    Cancelled,          // the wait was cancelled (shutdown)
    Transmit,           // any other PC/SC or card failure
};

// Stable snake_case name, e.g. "pin_locked" (for JSON and logs).
const char* to_string(CardErrorKind kind);

// What the kind means for the people at the counter, Japanese first.
// `remedy_*` says what to do next; none of it contains card data.
struct CardErrorText {
    const char* ja;        // 窓口の職員向け
    const char* en;
    const char* remedy_ja;
    const char* remedy_en;
};
const CardErrorText& describe(CardErrorKind kind);

class CardError : public std::runtime_error {
public:
    CardError(CardErrorKind kind, const std::string& message, int tries_left = -1)
        : std::runtime_error(message), kind_(kind), tries_left_(tries_left) {}
    CardErrorKind kind() const noexcept { return kind_; }
    int tries_left() const noexcept { return tries_left_; }

private:
    CardErrorKind kind_;
    int tries_left_;
};

}  // namespace kakanai::cardreader
