#include "kakanai/cardreader/reader_monitor.hpp"

#include <PCSC/winscard.h>
#include <PCSC/wintypes.h>

#include <algorithm>
#include <cstring>

#include "reader_states.hpp"

namespace kakanai::cardreader {
namespace {

constexpr const char* kPnpReader = "\\\\?PnP?\\Notification";

const ObservedReader* find(const std::vector<ObservedReader>& list, const std::string& name) {
    for (const auto& r : list)
        if (r.name == name) return &r;
    return nullptr;
}

enum class WatchEnd { Stopped, ServiceLost };

}  // namespace

const char* to_string(ReaderEventKind kind) {
    switch (kind) {
        case ReaderEventKind::ReaderAdded: return "reader_added";
        case ReaderEventKind::ReaderRemoved: return "reader_removed";
        case ReaderEventKind::CardInserted: return "card_inserted";
        case ReaderEventKind::CardRemoved: return "card_removed";
        case ReaderEventKind::ServiceLost: return "service_lost";
        case ReaderEventKind::ServiceBack: return "service_back";
    }
    return "unknown";
}

std::vector<ReaderEvent> diff_readers(const std::vector<ObservedReader>& before,
                                      const std::vector<ObservedReader>& after) {
    std::vector<ReaderEvent> removed_cards, removed_readers, added_readers, inserted_cards;
    for (const auto& b : before) {
        const ObservedReader* a = find(after, b.name);
        if (!a) {
            if (b.card_present) removed_cards.push_back({ReaderEventKind::CardRemoved, b.name, {}});
            removed_readers.push_back({ReaderEventKind::ReaderRemoved, b.name, {}});
            continue;
        }
        const bool swapped = b.card_present && a->card_present && b.event_count != a->event_count;
        if ((b.card_present && !a->card_present) || swapped)
            removed_cards.push_back({ReaderEventKind::CardRemoved, b.name, {}});
        if ((!b.card_present && a->card_present) || swapped)
            inserted_cards.push_back({ReaderEventKind::CardInserted, a->name, a->atr});
    }
    for (const auto& a : after) {
        if (find(before, a.name)) continue;
        added_readers.push_back({ReaderEventKind::ReaderAdded, a.name, {}});
        if (a.card_present) inserted_cards.push_back({ReaderEventKind::CardInserted, a.name, a.atr});
    }
    std::vector<ReaderEvent> out;
    for (auto* group : {&removed_cards, &removed_readers, &added_readers, &inserted_cards})
        for (auto& e : *group) out.push_back(std::move(e));
    return out;
}

ReaderMonitor::ReaderMonitor(Callback callback, Options options)
    : callback_(std::move(callback)), options_(options) {
    thread_ = std::thread([this] { run(); });
}

ReaderMonitor::~ReaderMonitor() { stop(); }

void ReaderMonitor::stop() {
    if (!thread_.joinable()) return;
    {
        std::lock_guard lock(mu_);
        stop_ = true;
    }
    cv_.notify_all();  // ends a wait for pcscd to come back
    // A wait for a reader change asks stop_ between slices (detail::kWaitSlice),
    // so no SCardCancel is needed.
    thread_.join();
}

namespace {

class Watcher {
public:
    Watcher(SCARDCONTEXT ctx, const std::atomic<bool>& stop, std::vector<ObservedReader>& known,
            const std::function<void(const ReaderEvent&)>& emit)
        : ctx_(ctx), stop_(stop), known_(known), emit_(emit) {}

    WatchEnd run() {
        while (!stop_) {
            // (Re)list the readers, learn their state, report the difference.
            names_.clear();
            if (!list_readers()) return WatchEnd::ServiceLost;
            states_.assign(names_.size() + 1, SCARD_READERSTATE{});
            for (std::size_t i = 0; i < states_.size(); ++i) {
                states_[i].szReader = i < names_.size() ? names_[i].c_str() : kPnpReader;
                states_[i].dwCurrentState = SCARD_STATE_UNAWARE;
            }
            LONG rv = detail::current_states(ctx_, states_.data(), static_cast<DWORD>(states_.size()));
            if (lost(rv)) return WatchEnd::ServiceLost;
            if (rv != SCARD_S_SUCCESS && rv != static_cast<LONG>(SCARD_E_TIMEOUT)) continue;
            publish();
            // Wait for changes until the list of readers itself changes.
            for (;;) {
                if (stop_) return WatchEnd::Stopped;
                rv = detail::wait_for_change(ctx_, states_.data(), static_cast<DWORD>(states_.size()), std::nullopt,
                                             [this] { return stop_.load(); });
                if (stop_) return WatchEnd::Stopped;
                if (lost(rv)) return WatchEnd::ServiceLost;
                if (rv == static_cast<LONG>(SCARD_E_TIMEOUT) || rv == static_cast<LONG>(SCARD_E_CANCELLED)) continue;
                if (rv != SCARD_S_SUCCESS) break;  // unknown reader and the like: relist
                const auto& pnp = states_.back();
                bool relist = (pnp.dwEventState & SCARD_STATE_CHANGED) != 0;
                for (std::size_t i = 0; i + 1 < states_.size(); ++i)
                    if (states_[i].dwEventState & (SCARD_STATE_UNKNOWN | SCARD_STATE_UNAVAILABLE)) relist = true;
                if (relist) break;
                publish();
            }
        }
        return WatchEnd::Stopped;
    }

private:
    static bool lost(LONG rv) {
        return rv == static_cast<LONG>(SCARD_E_NO_SERVICE) || rv == static_cast<LONG>(SCARD_E_SERVICE_STOPPED) ||
               rv == static_cast<LONG>(SCARD_E_INVALID_HANDLE);
    }

    bool list_readers() {
        DWORD len = 0;
        LONG rv = detail::list_readers(ctx_, nullptr, &len);
        if (rv == static_cast<LONG>(SCARD_E_NO_READERS_AVAILABLE)) return true;
        if (rv != SCARD_S_SUCCESS) return !lost(rv);
        std::string buf(len, '\0');
        rv = detail::list_readers(ctx_, buf.data(), &len);
        if (rv == static_cast<LONG>(SCARD_E_NO_READERS_AVAILABLE)) return true;
        if (rv != SCARD_S_SUCCESS) return !lost(rv);
        for (const char* p = buf.c_str(); *p; p += std::strlen(p) + 1) names_.emplace_back(p);
        return true;
    }

    // Turns the current states into events and arms the next wait.
    void publish() {
        std::vector<ObservedReader> now;
        for (std::size_t i = 0; i + 1 < states_.size(); ++i) {
            const auto& s = states_[i];
            ObservedReader r;
            r.name = names_[i];
            r.card_present = (s.dwEventState & SCARD_STATE_PRESENT) != 0;
            r.event_count = static_cast<unsigned>(s.dwEventState >> 16);
            if (r.card_present) r.atr.assign(s.rgbAtr, s.rgbAtr + std::min<DWORD>(s.cbAtr, sizeof s.rgbAtr));
            now.push_back(std::move(r));
        }
        for (const auto& e : diff_readers(known_, now)) emit_(e);
        known_ = std::move(now);
        for (auto& s : states_) s.dwCurrentState = s.dwEventState & ~static_cast<DWORD>(SCARD_STATE_CHANGED);
    }

    SCARDCONTEXT ctx_;
    const std::atomic<bool>& stop_;
    std::vector<ObservedReader>& known_;
    const std::function<void(const ReaderEvent&)>& emit_;
    std::vector<std::string> names_;
    std::vector<SCARD_READERSTATE> states_;
};

}  // namespace

void ReaderMonitor::run() {
    const std::function<void(const ReaderEvent&)> emit = [this](const ReaderEvent& e) {
        try {
            callback_(e);
        } catch (...) {
            // A throwing callback must not end the monitor.
        }
    };
    std::vector<ObservedReader> known;
    bool lost = false;
    while (!stop_) {
        SCARDCONTEXT ctx = 0;
        const LONG rv = SCardEstablishContext(SCARD_SCOPE_SYSTEM, nullptr, nullptr, &ctx);
        WatchEnd end = WatchEnd::ServiceLost;
        if (rv == SCARD_S_SUCCESS) {
            if (lost) emit({ReaderEventKind::ServiceBack, {}, {}});
            lost = false;
            end = Watcher(ctx, stop_, known, emit).run();
            SCardReleaseContext(ctx);
        }
        if (end == WatchEnd::ServiceLost && !stop_) {
            if (!lost) {
                for (const auto& e : diff_readers(known, {})) emit(e);
                known.clear();
                emit({ReaderEventKind::ServiceLost, {}, {}});
                lost = true;
            }
            std::unique_lock lock(mu_);
            cv_.wait_for(lock, options_.retry_interval, [this] { return stop_.load(); });
        }
    }
}

}  // namespace kakanai::cardreader
