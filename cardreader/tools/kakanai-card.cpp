// kakanai-card: list readers and read a My Number card from the command line.
#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

#include "kakanai/cardreader/bytes.hpp"
#include "kakanai/cardreader/errors.hpp"
#include "kakanai/cardreader/mynumber.hpp"
#include "kakanai/cardreader/pcsc.hpp"

namespace {
using namespace kakanai::cardreader;

constexpr const char* kHelp =
    "usage: kakanai-card list\n"
    "       kakanai-card read [--reader NAME] [--with-my-number] [--allow-last-try] [--pin-stdin] [--json]\n"
    "  list   readers known to pcscd and whether a card is present\n"
    "  read   reads 基本4情報 (name, address, birth date, sex) from the first reader with a card\n"
    "         (or the one whose name contains NAME). The PIN is asked without echo, or read\n"
    "         from the first line of standard input with --pin-stdin.\n"
    "exit codes: 0 ok, 2 usage, 3 pcscd not running or no reader, 4 no card, 5 card removed,\n"
    "            6 wrong PIN, 7 PIN locked, 8 one try left (use --allow-last-try), 9 malformed card data,\n"
    "            10 not a My Number card, 11 other card error\n";

int exit_code(CardErrorKind k) {
    switch (k) {
        case CardErrorKind::ServiceNotRunning:
        case CardErrorKind::NoReader: return 3;
        case CardErrorKind::NoCard: return 4;
        case CardErrorKind::CardRemoved:
        case CardErrorKind::CardReset: return 5;
        case CardErrorKind::WrongPin: return 6;
        case CardErrorKind::PinLocked: return 7;
        case CardErrorKind::LastTryNeedsConfirmation: return 8;
        case CardErrorKind::Malformed: return 9;
        case CardErrorKind::NotMyNumberCard: return 10;
        default: return 11;
    }
}

// Reads a line into a fixed buffer without echo when stdin is a terminal.
bool read_pin(bool from_stdin, std::array<char, 16>& buf, std::size_t& len) {
    termios old{};
    const bool tty = !from_stdin && isatty(STDIN_FILENO);
    if (tty) {
        std::fputs("PIN (4 digits): ", stderr);
        tcgetattr(STDIN_FILENO, &old);
        termios quiet = old;
        quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    }
    len = 0;
    int c;
    while ((c = std::getchar()) != EOF && c != '\n') {
        if (c == '\r') continue;
        if (len < buf.size()) buf[len++] = static_cast<char>(c);
    }
    if (tty) {
        tcsetattr(STDIN_FILENO, TCSANOW, &old);
        std::fputs("\n", stderr);
    }
    return len > 0;
}

int cmd_list() {
    PcscContext ctx;
    const auto readers = ctx.reader_states();
    if (readers.empty()) {
        std::cout << "no card reader found: connect a reader (or start the virtual reader, see README)\n";
        return 3;
    }
    for (const auto& r : readers)
        std::cout << r.name << "\t" << (r.card_present ? "card present" : "empty")
                  << (r.card_in_use ? " (in use by another program)" : "") << "\n";
    return 0;
}

int cmd_read(int argc, char** argv) {
    std::string reader_filter;
    ReadOptions opts;
    bool pin_stdin = false;
    for (int i = 2; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--reader" && i + 1 < argc) reader_filter = argv[++i];
        else if (a == "--with-my-number") opts.with_my_number = true;
        else if (a == "--allow-last-try") opts.allow_last_try = true;
        else if (a == "--pin-stdin") pin_stdin = true;
        else if (a == "--json") {}  // JSON is the only output format
        else {
            std::cerr << kHelp;
            return 2;
        }
    }
    PcscContext ctx;
    if (ctx.list_readers().empty())
        throw CardError(CardErrorKind::NoReader, "no card reader is connected; plug in the reader");
    const auto reader = ctx.wait_for_card(std::chrono::milliseconds(0), reader_filter);
    if (!reader) throw CardError(CardErrorKind::NoCard, "no card in the reader; place the card on the reader");
    std::array<char, 16> buf{};
    std::size_t len = 0;
    if (!read_pin(pin_stdin, buf, len)) {
        std::cerr << "kakanai-card: no PIN given\n";
        return 2;
    }
    std::unique_ptr<Pin> pin;
    try {
        pin = std::make_unique<Pin>(std::string_view(buf.data(), len));
    } catch (const std::invalid_argument&) {
        secure_zero(buf.data(), buf.size());
        std::cerr << "kakanai-card: the PIN has 4 digits\n";
        return 2;
    }
    secure_zero(buf.data(), buf.size());
    PcscCard card(ctx, *reader);
    CardInfo info;
    {
        PcscCard::Transaction tx(card);
        info = read_card(card, *pin, opts);
    }
    nlohmann::json j;
    j["name"] = info.name;
    j["address"] = info.address;
    j["birth_date"] = info.birth_date;
    j["sex"] = to_string(info.sex);
    j["authenticity"] = to_string(info.authenticity);
    j["reader"] = info.reader;
    if (info.my_number) j["my_number"] = std::string(info.my_number->digits());
    std::cout << j.dump(2) << "\n";
    info.wipe();
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    const std::string cmd = argc > 1 ? argv[1] : "";
    try {
        if (cmd == "list") return cmd_list();
        if (cmd == "read") return cmd_read(argc, argv);
        std::cerr << kHelp;
        return cmd == "-h" || cmd == "--help" ? 0 : 2;
    } catch (const CardError& e) {
        std::cerr << "kakanai-card: " << e.what();
        if (e.kind() == CardErrorKind::WrongPin) std::cerr << " (" << e.tries_left() << " tries left)";
        std::cerr << "\n";
        return exit_code(e.kind());
    }
}
