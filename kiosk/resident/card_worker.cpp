#include "card_worker.hpp"

#include <cstdio>
#include "kakanai/base/build_options.hpp"

#include "kakanai/base/wipe.hpp"
#include "kakanai/cardreader/mynumber.hpp"
#include "kakanai/cardreader/pcsc.hpp"

namespace kakanai::kiosk {
using namespace cardreader;
#if KAKANAI_TEST_HOOKS
using namespace virtualcard;
#endif

CardWorker::CardWorker(Post post, std::string reader_filter, bool in_process, std::shared_ptr<const CaPublicKey> ca_key)
    : post_(std::move(post)), filter_(std::move(reader_filter)), in_process_(in_process), ca_key_(std::move(ca_key)) {
    thread_ = std::thread([this] { run(); });
    if (!in_process_) {
        monitor_ = std::make_unique<ReaderMonitor>([this](const ReaderEvent& e) {
            // The monitor's callback must be quick: hand the event to the worker thread.
            std::lock_guard lock(mu_);
            jobs_.push_back([this, e] { on_reader_event(e); });
            cv_.notify_all();
        });
    }
}

CardWorker::~CardWorker() {
    if (monitor_) monitor_->stop();
    {
        std::lock_guard lock(mu_);
        stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
}

bool CardWorker::idle() const {
    std::lock_guard lock(mu_);
    return jobs_.empty() && !busy_;
}

void CardWorker::read(const cmd::ReadCard& request) {
    std::lock_guard lock(mu_);
    jobs_.push_back([this, req = cmd::ReadCard(request)]() mutable {
        do_read(req);
        base::secure_zero(req.pin.data(), req.pin.size());
    });
    cv_.notify_all();
}

#if KAKANAI_TEST_HOOKS
void CardWorker::insert_virtual_card(const std::filesystem::path& profile) {
    std::lock_guard lock(mu_);
    jobs_.push_back([this, profile] {
        virtual_card_ = std::make_unique<VirtualCard>(CardProfile::load(profile));
        post_(ev::CardInserted{"kakanai in-process virtual card"});
    });
    cv_.notify_all();
}

void CardWorker::remove_virtual_card() {
    std::lock_guard lock(mu_);
    jobs_.push_back([this] {
        virtual_card_.reset();
        post_(ev::CardRemoved{});
    });
    cv_.notify_all();
}
#endif

void CardWorker::do_read(cmd::ReadCard request) {
    try {
        const Pin pin(std::string_view(request.pin.data(), request.pin.size()));
        // The resident's choice on the last-try warning reaches the card (else it warns forever).
        ReadOptions options;
        options.allow_last_try = request.allow_last_try;
        options.ca_key = ca_key_.get();
        CardInfo info;
        if (in_process_) {
#if KAKANAI_TEST_HOOKS
            if (!virtual_card_) throw CardError(CardErrorKind::CardRemoved, "no card");
            InProcessChannel channel(*virtual_card_);
            info = read_card(channel, pin, options);
#else
            throw CardError(CardErrorKind::CardRemoved, "no card");
#endif
        } else {
            PcscContext ctx;
            PcscCard card(ctx, request.reader);
            PcscCard::Transaction tx(card);
            info = read_card(card, pin, options);
        }
        if (!accepted(info.authenticity)) {
            // Data that fails the check is never used: wiped here, only the result goes on.
            const Authenticity result = info.authenticity;
            info.wipe();
            std::fprintf(stderr, "kakanai-kiosk: card refused: authenticity %s\n", to_string(result));
            post_(ev::CardRefused{result});
            return;
        }
        post_(ev::ReadOk{std::move(info)});
        info.wipe();
    } catch (const CardError& e) {
        post_(ev::ReadFailed{e.kind(), e.tries_left()});
    } catch (const std::exception&) {
        post_(ev::ReadFailed{CardErrorKind::Transmit, -1});
    }
}

void CardWorker::on_reader_event(const ReaderEvent& e) {
    switch (e.kind) {
        case ReaderEventKind::ServiceBack:
        case ReaderEventKind::ReaderAdded:
            if (!service_reported_) {
                post_(ev::ReaderReady{true});
                service_reported_ = true;
            }
            break;
        case ReaderEventKind::ServiceLost:
            if (present_reader_) post_(ev::CardRemoved{});
            post_(ev::ReaderReady{false});
            service_reported_ = false;
            present_reader_.reset();
            break;
        case ReaderEventKind::ReaderRemoved:
        case ReaderEventKind::CardRemoved:
            if (present_reader_ && *present_reader_ == e.reader) {
                present_reader_.reset();
                post_(ev::CardRemoved{});
            }
            break;
        case ReaderEventKind::CardInserted:
            if (!present_reader_ && (filter_.empty() || e.reader.find(filter_) != std::string::npos)) {
                present_reader_ = e.reader;
                post_(ev::CardInserted{e.reader});
            }
            break;
    }
}

void CardWorker::run() {
    if (in_process_) post_(ev::ReaderReady{true});
    std::unique_lock lock(mu_);
    while (!stop_) {
        if (!jobs_.empty()) {
            auto job = std::move(jobs_.front());
            jobs_.pop_front();
            busy_ = true;
            lock.unlock();
            job();
            lock.lock();
            busy_ = false;
            continue;
        }
        cv_.wait(lock, [this] { return stop_ || !jobs_.empty(); });
    }
}

}  // namespace kakanai::kiosk
