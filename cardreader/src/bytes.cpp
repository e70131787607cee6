#include "kakanai/cardreader/bytes.hpp"

#include <stdexcept>

namespace kakanai::cardreader {

byte_vector from_hex(std::string_view hex) {
    byte_vector out;
    int high = -1;
    for (char ch : hex) {
        int v;
        if (ch >= '0' && ch <= '9') v = ch - '0';
        else if (ch >= 'a' && ch <= 'f') v = ch - 'a' + 10;
        else if (ch >= 'A' && ch <= 'F') v = ch - 'A' + 10;
        else if (ch == ' ' || ch == ':' || ch == '\n' || ch == '\t') continue;
        else throw std::invalid_argument("not a hex digit: " + std::string(1, ch));
        if (high < 0) {
            high = v;
        } else {
            out.push_back(static_cast<std::uint8_t>(high << 4 | v));
            high = -1;
        }
    }
    if (high >= 0) throw std::invalid_argument("odd number of hex digits");
    return out;
}

std::string to_hex(const std::uint8_t* p, std::size_t n) {
    static const char* digits = "0123456789ABCDEF";
    std::string s;
    s.reserve(n * 3);
    for (std::size_t i = 0; i < n; ++i) {
        if (i) s += ' ';
        s += digits[p[i] >> 4];
        s += digits[p[i] & 0xF];
    }
    return s;
}

}  // namespace kakanai::cardreader
