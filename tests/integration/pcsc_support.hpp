#pragma once
// Shared by the tests that go through the real pcscd and vsmartcard's vpcd:
// a virtual card program (kakanai-vcard) is the card of "Virtual PCD 00 00".
#include <chrono>
#include <string>
#include <thread>

#include "kakanai/cardreader/errors.hpp"
#include "kakanai/cardreader/pcsc.hpp"
#include "test_support.hpp"

namespace kakanai::test {

inline const std::string kVirtualReader = "Virtual PCD 00 00";

inline std::string vcard_binary() { return (binary_dir() / "tools/kakanai-vcard").string(); }
inline std::string card_cli() { return (binary_dir() / "tools/kakanai-card").string(); }
inline std::string test_key(const std::string& name) { return (source_dir() / "tests/cards/keys" / name).string(); }

inline bool virtual_card_present(cardreader::PcscContext& ctx) {
    for (const auto& r : ctx.reader_states())
        if (r.name.find(kVirtualReader) != std::string::npos) return r.card_present;
    return false;
}

// Starts the virtual card for one profile and waits until pcscd sees it; on
// destruction stops it and waits until pcscd sees the reader empty again.
class VirtualCardInReader {
public:
    explicit VirtualCardInReader(const std::string& profile)
        : child_({vcard_binary(), card_profile(profile).string()}) {
        cardreader::PcscContext ctx;
        present_ = ctx.wait_for_card(std::chrono::seconds(5), kVirtualReader).has_value();
    }
    ~VirtualCardInReader() { pull(); }
    VirtualCardInReader(const VirtualCardInReader&) = delete;
    VirtualCardInReader& operator=(const VirtualCardInReader&) = delete;

    bool present() const { return present_; }
    // Takes the card out of the reader (the program closes its connection).
    void pull() {
        child_.stop();
        try {
            cardreader::PcscContext ctx;
            for (int i = 0; i < 50 && virtual_card_present(ctx); ++i)
                std::this_thread::sleep_for(std::chrono::milliseconds(50));
        } catch (const cardreader::CardError&) {
        }
    }

private:
    ChildProcess child_;
    bool present_ = false;
};

inline std::string virtual_reader_name() {
    cardreader::PcscContext ctx;
    for (const auto& r : ctx.list_readers())
        if (r.find(kVirtualReader) != std::string::npos) return r;
    return {};
}

}  // namespace kakanai::test
