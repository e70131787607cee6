#include "kakanai/cardreader/pcsc.hpp"

#include <PCSC/winscard.h>
#include <PCSC/wintypes.h>

#include <cstring>
#include <string>

#include "kakanai/cardreader/errors.hpp"

namespace kakanai::cardreader {
namespace {

// The one checked wrapper for SCard calls: a failure becomes a typed CardError
// naming the call, the site and what to do about it.
void check(LONG rv, const char* name, int line) {
    if (rv == SCARD_S_SUCCESS) return;
    const CardErrorKind kind = error_kind_for_pcsc(rv);
    char code[24];
    std::snprintf(code, sizeof code, "0x%08lX", static_cast<unsigned long>(rv));
    const CardErrorText& text = describe(kind);
    throw CardError(kind, std::string(text.en) + " " + text.remedy_en + " / " + text.ja + text.remedy_ja + " (" +
                              name + " returned " + code + " " + pcsc_stringify_error(rv) + ", pcsc.cpp:" +
                              std::to_string(line) + ")");
}

template <typename Func, typename... Args>
void scard_call(const char* name, int line, Func func, Args... args) {
    check(func(args...), name, line);
}
#define SCARD_CALL(func, ...) scard_call(#func, __LINE__, func, __VA_ARGS__)

std::vector<std::string> split_multistring(const char* p) {
    std::vector<std::string> out;
    while (p && *p) {
        out.emplace_back(p);
        p += out.back().size() + 1;
    }
    return out;
}

}  // namespace

CardErrorKind error_kind_for_pcsc(long code) {
    switch (static_cast<LONG>(code)) {
        case SCARD_E_NO_SERVICE:
        case SCARD_E_SERVICE_STOPPED:
        case SCARD_E_INVALID_HANDLE:  // the handle died with a restarted pcscd
            return CardErrorKind::ServiceNotRunning;
        case SCARD_E_NO_READERS_AVAILABLE:
        case SCARD_E_UNKNOWN_READER:
        case SCARD_E_READER_UNAVAILABLE: return CardErrorKind::NoReader;
        case SCARD_E_NO_SMARTCARD: return CardErrorKind::NoCard;
        case SCARD_W_REMOVED_CARD:
        case SCARD_E_NOT_TRANSACTED:  // vpcd's first answer after the card went (CARD.md)
        case SCARD_W_UNPOWERED_CARD:
        case SCARD_W_UNRESPONSIVE_CARD: return CardErrorKind::CardRemoved;
        case SCARD_W_RESET_CARD: return CardErrorKind::CardReset;
        case SCARD_E_SHARING_VIOLATION: return CardErrorKind::SharingViolation;
        case SCARD_E_TIMEOUT: return CardErrorKind::Timeout;
        case SCARD_E_CANCELLED: return CardErrorKind::Cancelled;
        case SCARD_W_UNSUPPORTED_CARD:
        case SCARD_E_CARD_UNSUPPORTED:
        case SCARD_E_PROTO_MISMATCH: return CardErrorKind::NotMyNumberCard;
        default: return CardErrorKind::Transmit;
    }
}

PcscContext::PcscContext() {
    SCARDCONTEXT ctx = 0;
    SCARD_CALL(SCardEstablishContext, static_cast<DWORD>(SCARD_SCOPE_SYSTEM), nullptr, nullptr, &ctx);
    context_ = static_cast<long>(ctx);
}

PcscContext::~PcscContext() {
    if (context_) SCardReleaseContext(static_cast<SCARDCONTEXT>(context_));
}

std::vector<std::string> PcscContext::list_readers() const {
    DWORD len = 0;
    const LONG rv = SCardListReaders(static_cast<SCARDCONTEXT>(context_), nullptr, nullptr, &len);
    if (rv == static_cast<LONG>(SCARD_E_NO_READERS_AVAILABLE)) return {};
    check(rv, "SCardListReaders", __LINE__);
    std::string buf(len, '\0');
    const LONG rv2 = SCardListReaders(static_cast<SCARDCONTEXT>(context_), nullptr, buf.data(), &len);
    if (rv2 == static_cast<LONG>(SCARD_E_NO_READERS_AVAILABLE)) return {};
    check(rv2, "SCardListReaders", __LINE__);
    return split_multistring(buf.c_str());
}

std::vector<ReaderState> PcscContext::reader_states() const {
    const auto names = list_readers();
    std::vector<SCARD_READERSTATE> states(names.size());
    for (std::size_t i = 0; i < names.size(); ++i) {
        std::memset(&states[i], 0, sizeof states[i]);
        states[i].szReader = names[i].c_str();
        states[i].dwCurrentState = SCARD_STATE_UNAWARE;
    }
    if (!states.empty())
        SCARD_CALL(SCardGetStatusChange, static_cast<SCARDCONTEXT>(context_), static_cast<DWORD>(0),
                   states.data(), static_cast<DWORD>(states.size()));
    std::vector<ReaderState> out;
    for (std::size_t i = 0; i < names.size(); ++i) {
        ReaderState s;
        s.name = names[i];
        s.card_present = (states[i].dwEventState & SCARD_STATE_PRESENT) != 0;
        s.card_in_use = (states[i].dwEventState & SCARD_STATE_EXCLUSIVE) != 0;
        s.atr.assign(states[i].rgbAtr, states[i].rgbAtr + states[i].cbAtr);
        out.push_back(std::move(s));
    }
    return out;
}

std::optional<std::string> PcscContext::wait_for_card(std::chrono::milliseconds timeout,
                                                      const std::string& filter) const {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        for (const auto& r : reader_states())
            if (r.card_present && (filter.empty() || r.name.find(filter) != std::string::npos))
                return r.name;
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return std::nullopt;
        // Wait for any change in any reader (or a reader plugged in).
        auto names = list_readers();
        std::vector<SCARD_READERSTATE> states(names.size() + 1);
        for (std::size_t i = 0; i < states.size(); ++i) {
            std::memset(&states[i], 0, sizeof states[i]);
            states[i].szReader = i < names.size() ? names[i].c_str() : "\\\\?PnP?\\Notification";
            states[i].dwCurrentState = SCARD_STATE_UNAWARE;
        }
        // First call learns the current state, second waits for a change.
        SCardGetStatusChange(static_cast<SCARDCONTEXT>(context_), 0, states.data(),
                             static_cast<DWORD>(states.size()));
        for (auto& s : states) s.dwCurrentState = s.dwEventState & ~static_cast<DWORD>(SCARD_STATE_CHANGED);
        const LONG rv = SCardGetStatusChange(static_cast<SCARDCONTEXT>(context_),
                                             static_cast<DWORD>(left.count()), states.data(),
                                             static_cast<DWORD>(states.size()));
        if (rv == static_cast<LONG>(SCARD_E_TIMEOUT)) return std::nullopt;
        if (rv == static_cast<LONG>(SCARD_E_CANCELLED)) return std::nullopt;
        check(rv, "SCardGetStatusChange", __LINE__);
    }
}

void PcscContext::cancel() const { SCardCancel(static_cast<SCARDCONTEXT>(context_)); }

PcscCard::PcscCard(const PcscContext& context, const std::string& reader) : reader_(reader) {
    SCARDHANDLE h = 0;
    DWORD proto = 0;
    SCARD_CALL(SCardConnect, static_cast<SCARDCONTEXT>(context.handle()), reader.c_str(),
               static_cast<DWORD>(SCARD_SHARE_SHARED),
               static_cast<DWORD>(SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1), &h, &proto);
    card_ = static_cast<long>(h);
    protocol_ = proto;
}

PcscCard::~PcscCard() {
    if (card_) SCardDisconnect(static_cast<SCARDHANDLE>(card_), SCARD_LEAVE_CARD);
}

byte_vector PcscCard::atr() const {
    char name[256];
    DWORD name_len = sizeof name, state = 0, proto = 0, atr_len = MAX_ATR_SIZE;
    BYTE atr[MAX_ATR_SIZE];
    SCARD_CALL(SCardStatus, static_cast<SCARDHANDLE>(card_), name, &name_len, &state, &proto, atr, &atr_len);
    return byte_vector(atr, atr + atr_len);
}

PcscCard::Transaction::Transaction(PcscCard& card) : card_(card) {
    SCARD_CALL(SCardBeginTransaction, static_cast<SCARDHANDLE>(card_.card_));
}

PcscCard::Transaction::~Transaction() {
    SCardEndTransaction(static_cast<SCARDHANDLE>(card_.card_), SCARD_LEAVE_CARD);
}

ResponseApdu PcscCard::transmit_raw(const CommandApdu& command) {
    const byte_vector raw = command.encode();
    byte_vector answer(258);
    DWORD len = static_cast<DWORD>(answer.size());
    const SCARD_IO_REQUEST* pci = protocol_ == SCARD_PROTOCOL_T0 ? SCARD_PCI_T0 : SCARD_PCI_T1;
    SCARD_CALL(SCardTransmit, static_cast<SCARDHANDLE>(card_), pci, raw.data(),
               static_cast<DWORD>(raw.size()), static_cast<SCARD_IO_REQUEST*>(nullptr), answer.data(), &len);
    answer.resize(len);
    // A reader whose card vanished mid-exchange can report success with no
    // status word (seen with vpcd): that is a removed card, not bad data.
    if (answer.size() < 2)
        throw CardError(CardErrorKind::CardRemoved, "the card stopped answering; place the card again");
    return ResponseApdu::parse(answer);
}

}  // namespace kakanai::cardreader
