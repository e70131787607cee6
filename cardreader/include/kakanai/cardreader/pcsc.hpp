#pragma once
// PC/SC through pcsc-lite: RAII context, card connection and transaction.
// Every SCard call goes through one checked wrapper (see pcsc.cpp) that turns
// a failure into a CardError. Calls that read reader states (listing readers,
// reader states, waiting for a card, a card's status) are serialized across
// the process, since pcsc-lite shares one unlocked state array among all
// contexts (see src/reader_states.hpp); card I/O is not.
#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kakanai/cardreader/channel.hpp"
#include "kakanai/cardreader/errors.hpp"

namespace kakanai::cardreader {

// The typed error for a PC/SC return code (SCARD_E_*, SCARD_W_*); what the
// checked wrapper throws. Exposed so the mapping is tested.
CardErrorKind error_kind_for_pcsc(long code);

struct ReaderState {
    std::string name;
    bool card_present = false;
    bool card_in_use = false;  // another program holds it exclusively
    byte_vector atr;
};

class PcscContext {
public:
    PcscContext();  // throws CardError(ServiceNotRunning) when pcscd is unreachable
    ~PcscContext();
    PcscContext(const PcscContext&) = delete;
    PcscContext& operator=(const PcscContext&) = delete;

    std::vector<std::string> list_readers() const;  // empty when none
    std::vector<ReaderState> reader_states() const;
    // Waits until a card is present in a reader whose name contains `filter`
    // (all readers when empty). Returns the reader name, or nullopt on timeout
    // or cancel().
    std::optional<std::string> wait_for_card(std::chrono::milliseconds timeout,
                                             const std::string& filter = {}) const;
    // Makes a blocked wait_for_card return nullopt within one wait slice (250 ms;
    // safe from another thread). Not lost when it comes just before the wait:
    // the next wait for a change then returns at once.
    void cancel() const;

    long handle() const noexcept { return static_cast<long>(context_); }

private:
    long context_ = 0;
    mutable std::atomic<bool> cancelled_{false};
};

class PcscCard : public CardChannel {
public:
    PcscCard(const PcscContext& context, const std::string& reader);
    ~PcscCard() override;
    PcscCard(const PcscCard&) = delete;
    PcscCard& operator=(const PcscCard&) = delete;

    std::string reader_name() const override { return reader_; }
    byte_vector atr() const;

    // Holds the card for a sequence of APDUs so no other program interleaves.
    class Transaction {
    public:
        explicit Transaction(PcscCard& card);
        ~Transaction();
        Transaction(const Transaction&) = delete;
        Transaction& operator=(const Transaction&) = delete;

    private:
        PcscCard& card_;
    };

protected:
    ResponseApdu transmit_raw(const CommandApdu& command) override;

private:
    std::string reader_;
    long card_ = 0;
    unsigned long protocol_ = 0;
};

}  // namespace kakanai::cardreader
