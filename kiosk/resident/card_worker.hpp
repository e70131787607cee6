#pragma once
// Card I/O on one worker thread. The UI thread never blocks on a card: it
// sends requests and receives Events through `post`.
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "flow.hpp"
#include "kakanai/cardreader/authenticity.hpp"
#include "kakanai/cardreader/reader_monitor.hpp"
#include "kakanai/base/build_options.hpp"
#if KAKANAI_TEST_HOOKS
#include "kakanai/virtualcard/virtual_card.hpp"
#endif

namespace kakanai::kiosk {

class CardWorker {
public:
    using Post = std::function<void(Event)>;
    // `in_process` false: real PC/SC through pcscd. Otherwise (a test hook) an
    // in-process virtual card that is inserted with insert_virtual_card().
    // `ca_key` ([card] ca_key, may be null): data checked against it is "verified",
    // without it "consistent" at best. A card whose check fails answers CardRefused.
    CardWorker(Post post, std::string reader_filter, bool in_process,
               std::shared_ptr<const cardreader::CaPublicKey> ca_key = nullptr);
    ~CardWorker();
    CardWorker(const CardWorker&) = delete;
    CardWorker& operator=(const CardWorker&) = delete;

    void read(const cmd::ReadCard& request);
#if KAKANAI_TEST_HOOKS
    void insert_virtual_card(const std::filesystem::path& profile);  // in-process mode only
    void remove_virtual_card();
#endif
    bool idle() const;

private:
    void run();
    void on_reader_event(const cardreader::ReaderEvent& e);  // on the worker thread
    void do_read(cmd::ReadCard request);

    Post post_;
    std::string filter_;
    bool in_process_;
    std::shared_ptr<const cardreader::CaPublicKey> ca_key_;
    mutable std::mutex mu_;
    std::condition_variable cv_;
    std::deque<std::function<void()>> jobs_;
    bool busy_ = false;
    bool stop_ = false;
#if KAKANAI_TEST_HOOKS
    std::unique_ptr<virtualcard::VirtualCard> virtual_card_;  // in-process mode only
#endif
    std::optional<std::string> present_reader_;
    bool service_reported_ = false;
    std::thread thread_;
    // PC/SC mode: reader and card changes arrive from cardreader's monitor
    // (SCardGetStatusChange) instead of polling; created after thread_, stopped first.
    std::unique_ptr<cardreader::ReaderMonitor> monitor_;
};

}  // namespace kakanai::kiosk
