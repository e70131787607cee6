#include "kakanai/cardreader/channel.hpp"

#include <cstdio>

namespace kakanai::cardreader {

ResponseApdu CardChannel::transmit(const CommandApdu& command) {
    ResponseApdu r = transmit_raw(command);
    log(command, r);
    // 6Cxx: wrong Le; the card says the right one. Re-send once with it.
    if (r.sw1 == 0x6C) {
        CommandApdu again = command;
        again.le = r.sw2 == 0 ? 256 : r.sw2;
        r = transmit_raw(again);
        log(again, r);
    }
    // 61xx: more data waiting; collect it with GET RESPONSE.
    byte_vector collected;
    int rounds = 0;
    while (r.sw1 == 0x61 && rounds++ < 64) {
        collected.insert(collected.end(), r.data.begin(), r.data.end());
        CommandApdu get{command.cla, 0xC0, 0x00, 0x00, {}, r.sw2 == 0 ? 256 : r.sw2};
        get.secret_response = command.secret_response;
        r = transmit_raw(get);
        log(get, r);
    }
    if (!collected.empty()) {
        collected.insert(collected.end(), r.data.begin(), r.data.end());
        r.data = std::move(collected);
    }
    return r;
}

void CardChannel::log(const CommandApdu& command, const ResponseApdu& response) const {
    if (!logger_) return;
    const bool full = level_ == ApduLogLevel::Data;
    std::string line = "> ";
    if (full) {
        line += command.describe();
    } else {
        line += to_hex(byte_vector{command.cla, command.ins, command.p1, command.p2});
        if (!command.data.empty()) line += " | " + std::to_string(command.data.size()) + " data bytes";
        if (command.le) line += " | Le " + std::to_string(*command.le);
    }
    line += "\n< ";
    if (!response.data.empty()) {
        line += command.secret_response || !full
                    ? "<" + std::to_string(response.data.size()) + " bytes" +
                          (command.secret_response ? " redacted>" : ">")
                    : to_hex(response.data);
        line += " | ";
    }
    char sw[8];
    std::snprintf(sw, sizeof sw, "%02X %02X", response.sw1, response.sw2);
    line += sw;
    logger_(line);
}

}  // namespace kakanai::cardreader
