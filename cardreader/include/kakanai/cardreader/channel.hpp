#pragma once
// A way to exchange APDUs with one card: PC/SC, or the in-process virtual card.
#include <functional>
#include <string>

#include "kakanai/cardreader/apdu.hpp"

namespace kakanai::cardreader {

// Receives one line per APDU exchange, already redacted.
using ApduLogger = std::function<void(const std::string&)>;

class CardChannel {
public:
    virtual ~CardChannel() = default;
    // Sends one command and returns the card's final answer: 61xx (GET RESPONSE)
    // and 6Cxx (re-send with the right Le) are handled here, not by callers.
    ResponseApdu transmit(const CommandApdu& command);
    void set_logger(ApduLogger logger) { logger_ = std::move(logger); }
    virtual std::string reader_name() const = 0;

protected:
    // One raw exchange, no status-word handling.
    virtual ResponseApdu transmit_raw(const CommandApdu& command) = 0;

private:
    void log(const CommandApdu& command, const ResponseApdu& response) const;
    ApduLogger logger_;
};

}  // namespace kakanai::cardreader
