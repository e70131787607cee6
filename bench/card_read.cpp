// bench_card_read: a full 基本4情報 read through pcscd + vpcd (kakanai's
// read_card: SELECT AP, SELECT EF 0011, tries, VERIFY, SELECT EF 0002,
// READ BINARY x2, TLV parse, one transaction per read as the kiosk does)
// against the floor: the same APDUs sent back-to-back by a minimal
// SCardTransmit loop on the same card, in the same run, rounds interleaved.
// Also, when Debian's python3-pyscard is installed, the same APDUs from Python.
// Needs pcscd with vsmartcard's vpcd (make bench runs it under scripts/with-services).
#include <PCSC/winscard.h>
#include <PCSC/wintypes.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <cstdio>
#include <string>
#include <vector>

#include "kakanai/cardreader/mynumber.hpp"
#include "kakanai/cardreader/pcsc.hpp"
#include "test_support.hpp"

using namespace kakanai;
using namespace kakanai::cardreader;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kReadsPerRound = 200;
constexpr int kRounds = 7;
const std::string kReader = "Virtual PCD 00 00";

// Forwards to the card and keeps every command, to replay it in the floor.
class Recorder : public CardChannel {
public:
    explicit Recorder(CardChannel& inner) : inner_(inner) {}
    std::string reader_name() const override { return inner_.reader_name(); }
    std::vector<byte_vector> commands;

protected:
    ResponseApdu transmit_raw(const CommandApdu& c) override {
        commands.push_back(c.encode());
        return inner_.transmit(c);
    }

private:
    CardChannel& inner_;
};

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

// The floor: raw winscard, no checks beyond the return code.
struct RawCard {
    SCARDCONTEXT ctx = 0;
    SCARDHANDLE card = 0;
    DWORD proto = 0;
    explicit RawCard(const std::string& reader) {
        if (SCardEstablishContext(SCARD_SCOPE_SYSTEM, nullptr, nullptr, &ctx) != SCARD_S_SUCCESS ||
            SCardConnect(ctx, reader.c_str(), SCARD_SHARE_SHARED, SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1, &card,
                         &proto) != SCARD_S_SUCCESS)
            throw std::runtime_error("raw connect failed");
    }
    ~RawCard() {
        SCardDisconnect(card, SCARD_LEAVE_CARD);
        SCardReleaseContext(ctx);
    }
    void send_all(const std::vector<byte_vector>& commands, bool transaction) {
        if (transaction && SCardBeginTransaction(card) != SCARD_S_SUCCESS) throw std::runtime_error("raw begin failed");
        BYTE answer[258];
        const SCARD_IO_REQUEST* pci = proto == SCARD_PROTOCOL_T0 ? SCARD_PCI_T0 : SCARD_PCI_T1;
        for (const auto& c : commands) {
            DWORD len = sizeof answer;
            if (SCardTransmit(card, pci, c.data(), static_cast<DWORD>(c.size()), nullptr, answer, &len) !=
                SCARD_S_SUCCESS)
                throw std::runtime_error("raw transmit failed");
        }
        if (transaction) SCardEndTransaction(card, SCARD_LEAVE_CARD);
    }
};

}  // namespace

int run() {
    test::ChildProcess vcard({(test::binary_dir() / "tools/kakanai-vcard").string(),
                              test::card_profile("typical").string()});
    PcscContext ctx;
    const auto reader = ctx.wait_for_card(std::chrono::seconds(5), kReader);
    if (!reader) {
        std::fprintf(stderr, "bench_card_read: no virtual card in \"%s\": run under scripts/with-services\n",
                     kReader.c_str());
        return 1;
    }
    PcscCard card(ctx, *reader);
    const Pin pin("1234");
    ReadOptions plain;
    plain.check_authenticity = false;
    ReadOptions with_auth;

    // The exact APDUs of one read, recorded from a real read.
    std::vector<byte_vector> apdus, apdus_auth;
    {
        Recorder rec(card);
        read_card(rec, pin, plain);
        apdus = rec.commands;
        rec.commands.clear();
        read_card(rec, pin, with_auth);
        apdus_auth = rec.commands;
    }
    RawCard raw(*reader);

    auto time_ours = [&](const ReadOptions& opts, bool transaction) {
        const auto t0 = Clock::now();
        for (int i = 0; i < kReadsPerRound; ++i) {
            std::optional<PcscCard::Transaction> tx;
            if (transaction) tx.emplace(card);
            CardInfo info = read_card(card, pin, opts);
            info.wipe();
        }
        return std::chrono::duration<double, std::micro>(Clock::now() - t0).count() / kReadsPerRound;
    };
    auto time_floor = [&](const std::vector<byte_vector>& cmds, bool transaction) {
        const auto t0 = Clock::now();
        for (int i = 0; i < kReadsPerRound; ++i) raw.send_all(cmds, transaction);
        return std::chrono::duration<double, std::micro>(Clock::now() - t0).count() / kReadsPerRound;
    };
    // python3-pyscard: the same APDUs from Python (only under /usr/bin/python3);
    // the script times itself, so its start-up is not counted.
    std::string hex;
    for (const auto& c : apdus) hex += to_hex(c) + ",";
    const std::string script = (test::source_dir() / "bench/card_read_pyscard.py").string();
    auto time_python = [&]() {
        const auto py = test::run("/usr/bin/python3 " + test::shell_quote(script) + " " + test::shell_quote(*reader) +
                                  " " + std::to_string(kReadsPerRound) + " " + test::shell_quote(hex) + " 2>/dev/null");
        double us = 0;
        if (py.exit_code != 0 || std::sscanf(py.output.c_str(), "%lf", &us) != 1) return 0.0;
        return us;
    };

    time_ours(plain, true);  // warm-up
    time_floor(apdus, true);
    const bool have_python = time_python() > 0;
    std::vector<double> ours, ours_no_tx, floor, floor_tx, ours_auth, floor_auth, python;
    for (int r = 0; r < kRounds; ++r) {
        ours.push_back(time_ours(plain, true));
        floor_tx.push_back(time_floor(apdus, true));
        ours_no_tx.push_back(time_ours(plain, false));
        floor.push_back(time_floor(apdus, false));
        ours_auth.push_back(time_ours(with_auth, true));
        floor_auth.push_back(time_floor(apdus_auth, true));
        if (have_python) python.push_back(time_python());
    }
    const double o = median(ours), f = median(floor), ft = median(floor_tx), on = median(ours_no_tx),
                 oa = median(ours_auth), fa = median(floor_auth);
    std::printf("read_card, full 基本4情報 read, %zu APDUs:                      %8.1f us/read\n", apdus.size(), on);
    std::printf("raw floor, same %zu APDUs, bare SCardTransmit loop:              %8.1f us/read\n", apdus.size(), f);
    std::printf("ratio %.3fx (target <= 1.10x) %s\n", on / f, on / f <= 1.10 ? "OK" : "MISSED");
    std::printf("RESULT card_read: read_card vs bare SCardTransmit loop, %zu APDUs|%.1f us|%.1f us|%.3fx|<= 1.10x|%s\n",
                apdus.size(), on, f, on / f, on / f <= 1.10 ? "met" : "missed");
    // The kiosk wraps each read in a transaction (2 more pcscd round trips).
    std::printf("read_card in one transaction per read (as the kiosk): %.1f us/read; vs the bare floor %.3fx, "
                "vs the floor in a transaction (%.1f us) %.3fx\n",
                o, o / f, ft, o / ft);
    std::printf("with authenticity (EF 0003/0004, SHA-256, 2 RSA verifies), %zu APDUs: %.1f us vs floor %.1f us, "
                "ratio %.3fx (information)\n",
                apdus_auth.size(), oa, fa, oa / fa);
    if (have_python) {
        const double p = median(python);
        std::printf("python3-pyscard, same %zu APDUs: %.1f us/read (kakanai/pyscard %.3fx)\n", apdus.size(), p, o / p);
        // Like for like: neither side in a transaction.
        std::printf("RESULT card_read vs pyscard: same APDUs through the same pcscd, no transaction|%.1f us|%.1f us|"
                    "%.3fx|<= 1.00x|%s\n",
                    on, p, on / p, on / p <= 1.0 ? "met" : "missed");
    } else {
        std::printf("python3-pyscard baseline skipped (install python3-pyscard: scripts/install-deps)\n");
        std::printf("RESULT card_read vs pyscard|skipped: no python3-pyscard|-|-|<= 1.00x|missed\n");
    }
    std::printf("(medians of %d interleaved rounds x %d reads)\n", kRounds, kReadsPerRound);
    return 0;
}

int main() {
    // Any failure ends here, after the virtual card was stopped by its destructor.
    try {
        return run();
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_card_read: %s\n", e.what());
        return 1;
    }
}
