// kakanai-card: list readers and read a My Number card from the command line.
#include <termios.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "kakanai/base/wipe.hpp"
#include "kakanai/cardreader/authenticity.hpp"
#include "kakanai/cardreader/bytes.hpp"
#include "kakanai/cardreader/code_b.hpp"
#include "kakanai/cardreader/errors.hpp"
#include "kakanai/cardreader/mynumber.hpp"
#include "kakanai/cardreader/pcsc.hpp"
#include "cli.hpp"

namespace {
using namespace kakanai::cardreader;

constexpr const char* kFooter =
    "read prints JSON with the keys name, address, birth_date (ISO 8601), sex (male/female/other/unknown),\n"
    "my_number (only with --with-my-number), authenticity, pin_tries_left, verified_with, reader.\n"
    "pin_tries_left is what the card reported before this read's VERIFY (after a failure: what is left\n"
    "now); null for a 照合番号B read (--code-b-stdin, staff only). On failure with --json a JSON object with \"error\", \"message\" and\n"
    "\"pin_tries_left\" is printed too.\n"
    "exit codes: 0 ok, 2 usage, 3 pcscd not running or no reader, 4 no card, 5 card removed\n"
    "            or reset during the read, 6 wrong PIN, 7 PIN locked (ask the counter staff),\n"
    "            8 one try left (use --allow-last-try), 9 malformed card data, 10 not a My Number\n"
    "            card, 11 other card error, 12 data read but authenticity hash_mismatch or\n"
    "            signature_invalid (do not use it)\n";

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

// Reads one line into a fixed buffer, without echo when it comes from a terminal.
bool read_secret_line(bool prompt, const char* label, std::array<char, 64>& buf, std::size_t& len) {
    termios old{};
    const bool tty = prompt && isatty(STDIN_FILENO);
    if (tty) {
        std::fputs(label, stderr);
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

struct ReadArgs {
    std::string reader_filter;
    ReadOptions opts;
    bool pin_stdin = false;
    bool code_b_stdin = false;
    bool log_apdus = false;
    std::string ca_key;
};

int usage_error(const std::string& why) {
    std::cerr << "kakanai-card: " << why << "\n";
    return kakanai::tools::kUsageExit;
}

int cmd_read(const ReadArgs& a) {
    std::optional<CaPublicKey> ca;
    if (!a.ca_key.empty()) {
        try {
            ca = CaPublicKey::from_pem_file(a.ca_key);
        } catch (const std::exception& e) {
            return usage_error(e.what());
        }
    }
    ReadOptions opts = a.opts;
    ReadStats stats;
    opts.stats = &stats;
    opts.ca_key = ca ? &*ca : nullptr;

    // The secret is read before any card I/O, into a fixed buffer zeroed at once.
    std::array<char, 64> buf{};
    std::size_t len = 0;
    std::unique_ptr<Pin> pin;
    std::optional<CodeB> code_b;
    const bool got = read_secret_line(!a.pin_stdin && !a.code_b_stdin,
                                      "暗証番号（4桁） / PIN (4 digits): ", buf, len);
    if (!got) return usage_error(a.code_b_stdin ? "no 照合番号B given" : "no PIN given");
    try {
        if (a.code_b_stdin) {
            // "YYYY-MM-DD YYYY NNNN"
            const std::string_view line(buf.data(), len);
            const auto s1 = line.find(' ');
            const auto s2 = s1 == std::string_view::npos ? s1 : line.find(' ', s1 + 1);
            if (s2 == std::string_view::npos) throw std::invalid_argument("expected \"BIRTH-DATE EXPIRY-YEAR CODE\"");
            const auto year_text = line.substr(s1 + 1, s2 - s1 - 1);
            int year = 0;
            for (char ch : year_text) {
                if (ch < '0' || ch > '9' || year_text.size() != 4)
                    throw std::invalid_argument("the expiry year must be 4 digits");
                year = year * 10 + (ch - '0');
            }
            code_b.emplace(CodeB::from_card_face(line.substr(0, s1), year, line.substr(s2 + 1)));
        } else {
            pin = std::make_unique<Pin>(std::string_view(buf.data(), len));
        }
    } catch (const std::invalid_argument& e) {
        kakanai::base::secure_zero(buf.data(), buf.size());
        return usage_error(a.code_b_stdin ? std::string("照合番号B: ") + e.what() : "the PIN has 4 digits");
    }
    kakanai::base::secure_zero(buf.data(), buf.size());

    PcscContext ctx;
    if (ctx.list_readers().empty())
        throw CardError(CardErrorKind::NoReader, "no card reader is connected; plug in the reader");
    const auto reader = ctx.wait_for_card(std::chrono::milliseconds(0), a.reader_filter);
    if (!reader) throw CardError(CardErrorKind::NoCard, "no card in the reader; place the card on the reader");
    PcscCard card(ctx, *reader);
    if (a.log_apdus) card.set_logger([](const std::string& line) { std::cerr << line << "\n"; }, ApduLogLevel::Data);
    CardInfo info;
    {
        PcscCard::Transaction tx(card);
        info = code_b ? read_card_with_code_b(card, *code_b, opts) : read_card(card, *pin, opts);
    }
    nlohmann::json j;
    j["name"] = info.name;
    j["address"] = info.address;
    j["birth_date"] = info.birth_date;
    j["sex"] = to_string(info.sex);
    j["authenticity"] = to_string(info.authenticity);
    j["pin_tries_left"] = code_b ? nlohmann::json() : nlohmann::json(stats.tries_left_before_verify);
    j["verified_with"] = code_b ? "code_b" : "pin";
    j["reader"] = info.reader;
    j["apdus"] = {{"data", stats.data_apdus}, {"authenticity", stats.authenticity_apdus}};
    if (info.my_number) j["my_number"] = std::string(info.my_number->digits());
    std::cout << j.dump(2) << "\n";
    if (info.authenticity == Authenticity::HashMismatch || info.authenticity == Authenticity::SignatureInvalid) {
        std::cerr << "kakanai-card: authenticity " << to_string(info.authenticity) << ": "
                  << stats.authenticity_detail << "\n";
        info.wipe();
        return 12;
    }
    info.wipe();
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app("kakanai-card: list card readers and read a My Number card's 基本4情報", "kakanai-card");
    app.footer(kFooter);
    app.require_subcommand(1);
    CLI::App* list_cmd = app.add_subcommand("list", "readers known to pcscd and whether a card is present");
    CLI::App* read_cmd = app.add_subcommand(
        "read", "reads name, address, birth date and sex from the first reader with a card (or the one whose name "
                "contains NAME) and prints them as JSON");
    ReadArgs a;
    bool json = false;
    read_cmd->add_option("--reader", a.reader_filter, "use the reader whose name contains NAME")->type_name("NAME");
    read_cmd->add_flag("--with-my-number", a.opts.with_my_number, "read the 個人番号 too (needs the PIN)");
    read_cmd->add_flag("--allow-last-try", a.opts.allow_last_try,
                   "the resident chose to spend the last try (a wrong one locks the card)");
    auto* pin_stdin = read_cmd->add_flag("--pin-stdin", a.pin_stdin,
                                     "read the 4-digit PIN from the first line of standard input "
                                     "(default: ask on the terminal without echo)");
    auto* code_b = read_cmd->add_flag("--code-b-stdin", a.code_b_stdin,
                                  "staff only, for a resident who forgot the PIN: read \"BIRTH-DATE EXPIRY-YEAR CODE\" "
                                  "(e.g. \"1980-02-17 2035 2285\", as printed on the card face) from standard input "
                                  "and VERIFY 照合番号B; it opens 基本4情報 only, never 個人番号");
    read_cmd->add_option("--ca-key", a.ca_key,
                     "PEM public key of the CA that certifies card keys: authenticity can be \"verified\"; "
                     "without it the best result is \"consistent\"")
        ->type_name("FILE.pem");
    read_cmd->add_flag("--log-apdus", a.log_apdus, "print every APDU to standard error (PIN and 個人番号 redacted)");
    read_cmd->add_flag("--json", json, "JSON output (the only format; also for errors)");
    pin_stdin->excludes(code_b);
    kakanai::tools::parse_or_exit(app, argc, argv);
    if (a.code_b_stdin && a.opts.with_my_number)
        kakanai::tools::usage_error(app, "照合番号B never opens 個人番号: --with-my-number needs the PIN");
    try {
        if (*list_cmd) return cmd_list();
        return cmd_read(a);
    } catch (const CardError& e) {
        const CardErrorText& text = describe(e.kind());
        std::cerr << "kakanai-card: " << text.ja << text.remedy_ja << "\n  " << e.what();
        if (e.kind() == CardErrorKind::WrongPin) std::cerr << " (" << e.tries_left() << " tries left)";
        std::cerr << "\n";
        if (json) {
            nlohmann::json j;
            j["error"] = to_string(e.kind());
            j["message"] = std::string(text.en) + " " + text.remedy_en;
            j["pin_tries_left"] = e.tries_left() >= 0 ? nlohmann::json(e.tries_left()) : nlohmann::json();
            std::cout << j.dump(2) << "\n";
        }
        return exit_code(e.kind());
    }
}
