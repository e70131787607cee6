#pragma once
// The station's desk: all store, printing and card I/O of kakanai-staff, on one
// worker thread. The UI thread hands over the flow's Commands with run(), which
// returns at once; the desk carries them out one after the other, in order,
// and answers with the flow's Events through `post` (called on the worker
// thread). No ImGui or SDL here, so tests drive it without a window.
//
// What a command needs from the screen's state comes with it (DeskContext,
// copied when it is queued); what lasts across commands (the CUPS jobs this
// station follows, the application it holds) lives on the worker thread.
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "kakanai/base/build_options.hpp"
#include "kakanai/forms/catalogue.hpp"
#include "kakanai/forms/guide.hpp"
#include "kakanai/printing/guide.hpp"
#include "kakanai/store/desk_store.hpp"
#include "kakanai/store/kiosk_store.hpp"
#include "staff_flow.hpp"
#if KAKANAI_TEST_HOOKS
#include "kakanai/virtualcard/virtual_card.hpp"
#endif

namespace kakanai::cardreader {
class MyNumber;
class CaPublicKey;
}  // namespace kakanai::cardreader

namespace kakanai::kiosk::staff {

// The screen's state a command depends on, copied when the command is queued.
struct DeskContext {
    std::string staff;            // logged in (the actor of every store call)
    std::string template_id;      // the open application's form (a correction is normalized by it)
    std::int64_t print_job = 0;   // the print job the print screen follows
    std::string print_printer;    // and its printer
    bool print_screen = false;    // the print screen is shown (its job is not settled from the queue)

    static DeskContext of(const State& s);
};

struct DeskConfig {
    std::filesystem::path output_dir;  // PDFs (the "folder" printer, and the file CUPS is given)
    std::string station;               // this station's name, on applications typed here
    std::string reader_filter;         // PC/SC reader name part for the print-time card read
    // [card] ca_key (may be null): the print-time read is "verified" with it, "consistent" at best without.
    std::shared_ptr<const cardreader::CaPublicKey> ca_key = {};
    forms::GuideCounters counters = {};  // [guide.counters]: the town's counter names on the guide slip
    std::shared_ptr<const printing::GuideTexts> guide_texts = {};  // the guide slip's words (assets/i18n)
};

class Desk {
public:
    using Post = std::function<void(Event)>;
    // `store`: everything but manual entry; `intake`: only the submit of an application
    // typed at the desk (may be null: manual entry then fails with a message).
    Desk(std::shared_ptr<store::DeskStore> store, std::shared_ptr<store::KioskStore> intake, forms::Catalogue catalogue,
         DeskConfig config, Post post);
    // Drops the queued commands (wiping them), waits for the running one and for a queued lock().
    ~Desk();
    Desk(const Desk&) = delete;
    Desk& operator=(const Desk&) = delete;

    // Queues `command` (a copy: the caller wipes its own PIN or values) and returns at once.
    void run(const Command& command, const DeskContext& context);
    // Drops (and wipes) every queued command that has not started; the running one finishes.
    void drop_queued();
    // The station locked: after what is queued now, the application the desk still
    // holds goes back to the queue. Call drop_queued() first, then queue the lock's own commands.
    void lock();
    bool idle() const;        // nothing queued, nothing running
    bool refreshing() const;  // a queue refresh or print poll is queued or running
#if KAKANAI_TEST_HOOKS
    // Scripted runs: the card the next print-time read sees (on the worker thread).
    void use_virtual_card(const std::filesystem::path& profile);
#endif

private:
    struct Job;
    void push(std::unique_ptr<Job> job);
    void drop_pending();  // mu_ held
    void loop();
    void execute(Command& c, const DeskContext& ctx);
    void fail(const char* what, const std::exception& e);
    void opened(store::Application a);
    std::vector<std::string> issues_of(const store::Application& a) const;
    void load_queue(const DeskContext& ctx);
    void heartbeat();
    void print(const cmd::Print& p, const DeskContext& ctx);
    void print_guide(const cmd::PrintGuide& g);
    void print_failed(std::int64_t job, const std::string& printer, const std::string& reason, const std::string& key);
    void poll(std::int64_t job, const DeskContext& ctx);
    void follow(std::map<std::int64_t, int>::iterator it);
    cardreader::MyNumber read_my_number(const std::string& pin_text);
    void submit_manual(const cmd::SubmitManual& m, const DeskContext& ctx);
    void release_held();

    // Worker thread only.
    std::shared_ptr<store::DeskStore> store_;
    std::shared_ptr<store::KioskStore> intake_;
    forms::Catalogue catalogue_;
    DeskConfig config_;
    Post post_;
    std::map<std::int64_t, int> spools_;  // store job -> CUPS job, for jobs this station follows
    std::string held_, held_by_;          // the submitted application this station took, and for whom
    bool unfinished_checked_ = false;     // CUPS asked about unfinished jobs once per login
#if KAKANAI_TEST_HOOKS
    std::unique_ptr<virtualcard::VirtualCard> virtual_card_;
#endif

    mutable std::mutex mu_;
    std::condition_variable cv_;
    std::deque<std::unique_ptr<Job>> jobs_;
    bool running_ = false;
    bool running_refresh_ = false;
    bool stop_ = false;
    std::thread thread_;
};

// Zeroes what a command carries that is personal or secret (PIN, login code, values).
void wipe(Command& c) noexcept;

}  // namespace kakanai::kiosk::staff
