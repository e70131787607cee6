#include "kakanai/cardreader/pcsc.hpp"

#include <PCSC/winscard.h>
#include <PCSC/wintypes.h>

#include <algorithm>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <string>

#include "kakanai/cardreader/errors.hpp"
#include "reader_states.hpp"

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

// A lock that serves threads in the order they asked: a thread waiting in
// slices must not take it again before another thread already queued.
class TurnLock {
public:
    void lock() {
        std::unique_lock guard(mu_);
        const std::uint64_t mine = next_++;
        turn_.wait(guard, [&] { return serving_ == mine; });
    }
    void unlock() {
        {
            std::lock_guard guard(mu_);
            ++serving_;
        }
        turn_.notify_all();
    }

private:
    std::mutex mu_;
    std::condition_variable turn_;
    std::uint64_t next_ = 0, serving_ = 0;
};

// Never destroyed: a reader monitor's thread may still be ending at exit.
TurnLock& reader_state_lock() {
    static TurnLock& lock = *new TurnLock;
    return lock;
}

}  // namespace

namespace detail {

LONG list_readers(SCARDCONTEXT ctx, char* readers, DWORD* length) {
    std::lock_guard lock(reader_state_lock());
    return SCardListReaders(ctx, nullptr, readers, length);
}

LONG card_status(SCARDHANDLE card, char* reader, DWORD* reader_length, DWORD* state, DWORD* protocol, BYTE* atr,
                 DWORD* atr_length) {
    std::lock_guard lock(reader_state_lock());
    return SCardStatus(card, reader, reader_length, state, protocol, atr, atr_length);
}

LONG current_states(SCARDCONTEXT ctx, SCARD_READERSTATE* states, DWORD count) {
    std::lock_guard lock(reader_state_lock());
    return SCardGetStatusChange(ctx, 0, states, count);
}

LONG wait_for_change(SCARDCONTEXT ctx, SCARD_READERSTATE* states, DWORD count,
                     std::optional<std::chrono::milliseconds> timeout, const std::function<bool()>& stop) {
    using Clock = std::chrono::steady_clock;
    const Clock::time_point deadline = timeout ? Clock::now() + *timeout : Clock::time_point::max();
    for (;;) {
        if (stop && stop()) return static_cast<LONG>(SCARD_E_CANCELLED);
        std::chrono::milliseconds slice = kWaitSlice;
        if (timeout) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
            if (left.count() <= 0) return static_cast<LONG>(SCARD_E_TIMEOUT);
            slice = std::min(slice, left);
        }
        LONG rv;
        {
            std::lock_guard lock(reader_state_lock());
            rv = SCardGetStatusChange(ctx, static_cast<DWORD>(slice.count()), states, count);
        }
        if (rv != static_cast<LONG>(SCARD_E_TIMEOUT)) return rv;
    }
}

}  // namespace detail

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
    const auto ctx = static_cast<SCARDCONTEXT>(context_);
    std::lock_guard lock(reader_state_lock());  // one turn for both calls
    DWORD len = 0;
    const LONG rv = SCardListReaders(ctx, nullptr, nullptr, &len);
    if (rv == static_cast<LONG>(SCARD_E_NO_READERS_AVAILABLE)) return {};
    check(rv, "SCardListReaders", __LINE__);
    std::string buf(len, '\0');
    const LONG rv2 = SCardListReaders(ctx, nullptr, buf.data(), &len);
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
        check(detail::current_states(static_cast<SCARDCONTEXT>(context_), states.data(),
                                     static_cast<DWORD>(states.size())),
              "SCardGetStatusChange", __LINE__);
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
    const auto ctx = static_cast<SCARDCONTEXT>(context_);
    for (;;) {
        // Every reader and the PnP entry (a reader plugged in): the card is looked
        // for in the same states the wait then compares with, so a card placed in
        // between is never missed.
        const auto names = list_readers();
        std::vector<SCARD_READERSTATE> states(names.size() + 1);
        for (std::size_t i = 0; i < states.size(); ++i) {
            std::memset(&states[i], 0, sizeof states[i]);
            states[i].szReader = i < names.size() ? names[i].c_str() : "\\\\?PnP?\\Notification";
            states[i].dwCurrentState = SCARD_STATE_UNAWARE;
        }
        check(detail::current_states(ctx, states.data(), static_cast<DWORD>(states.size())), "SCardGetStatusChange",
              __LINE__);
        for (std::size_t i = 0; i < names.size(); ++i)
            if ((states[i].dwEventState & SCARD_STATE_PRESENT) &&
                (filter.empty() || names[i].find(filter) != std::string::npos))
                return names[i];
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return std::nullopt;
        for (auto& s : states) s.dwCurrentState = s.dwEventState & ~static_cast<DWORD>(SCARD_STATE_CHANGED);
        const LONG rv = detail::wait_for_change(ctx, states.data(), static_cast<DWORD>(states.size()), left,
                                                [this] { return cancelled_.exchange(false); });
        if (rv == static_cast<LONG>(SCARD_E_TIMEOUT)) return std::nullopt;
        if (rv == static_cast<LONG>(SCARD_E_CANCELLED)) return std::nullopt;
        check(rv, "SCardGetStatusChange", __LINE__);
    }
}

void PcscContext::cancel() const { cancelled_ = true; }

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
    check(detail::card_status(static_cast<SCARDHANDLE>(card_), name, &name_len, &state, &proto, atr, &atr_len),
          "SCardStatus", __LINE__);
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
