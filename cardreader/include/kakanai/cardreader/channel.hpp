#pragma once
// A way to exchange APDUs with one card: PC/SC, or the in-process virtual card.
#include <functional>
#include <string>

#include "kakanai/cardreader/apdu.hpp"

namespace kakanai::cardreader {

// Receives one line per APDU exchange (GET RESPONSE and re-sends included),
// already redacted: VERIFY data and secret answers show their length only.
using ApduLogger = std::function<void(const std::string&)>;

enum class ApduLogLevel {
    Headers,  // command header, data lengths, status word
    Data,     // the most verbose: also every byte that is not secret
};

class CardChannel {
public:
    virtual ~CardChannel() = default;
    // Sends one command and returns the card's final answer: 61xx (GET RESPONSE)
    // and 6Cxx (re-send with the right Le) are handled here, not by callers.
    ResponseApdu transmit(const CommandApdu& command);
    void set_logger(ApduLogger logger, ApduLogLevel level = ApduLogLevel::Data) {
        logger_ = std::move(logger);
        level_ = level;
    }
    virtual std::string reader_name() const = 0;

protected:
    // One raw exchange, no status-word handling.
    virtual ResponseApdu transmit_raw(const CommandApdu& command) = 0;

private:
    void log(const CommandApdu& command, const ResponseApdu& response) const;
    ApduLogger logger_;
    ApduLogLevel level_ = ApduLogLevel::Data;
};

}  // namespace kakanai::cardreader
