#include "staff_desk.hpp"
#include "kakanai/base/build_options.hpp"
#include "kakanai/base/wipe.hpp"

#include <chrono>
#include <cstdio>
#include <optional>

#include "application_record.hpp"
#include "kakanai/cardreader/bytes.hpp"
#include "kakanai/cardreader/card_info.hpp"
#include "kakanai/cardreader/mynumber.hpp"
#include "kakanai/cardreader/pcsc.hpp"
#if KAKANAI_TEST_HOOKS
#include "kakanai/virtualcard/virtual_card.hpp"
#endif
#include "kakanai/forms/prefill.hpp"
#include "kakanai/forms/wareki.hpp"
#include "kakanai/forms/guide.hpp"
#include "kakanai/printing/calibration.hpp"
#include "kakanai/printing/cups.hpp"
#include "kakanai/printing/guide.hpp"
#include "kakanai/printing/pdf.hpp"
#include "kakanai/store/errors.hpp"
#include "overloaded.hpp"

namespace kakanai::kiosk::staff {
namespace {

using base::wipe_string;

// A card problem at print time: staff see the message behind `key`.
struct CardProblem : std::runtime_error {
    explicit CardProblem(const char* k) : std::runtime_error(k), key(k) {}
    const char* key;
};

bool is_refresh(const Command& c) {
    return std::holds_alternative<cmd::LoadQueue>(c) || std::holds_alternative<cmd::PollPrint>(c) ||
           std::holds_alternative<cmd::Heartbeat>(c);
}

}  // namespace

void wipe(Command& c) noexcept {
    std::visit(overloaded{
                   [](cmd::CheckLogin& x) { wipe_string(x.code); },
                   [](cmd::Correct& x) {
                       wipe_string(x.value);
                       wipe_string(x.reason.note);
                   },
                   [](cmd::Cancel& x) { wipe_string(x.reason.note); },
                   [](cmd::Print& x) {
                       wipe_string(x.pin);
                       wipe_string(x.reprint.note);
                   },
                   [](cmd::SubmitManual& x) {
                       for (auto& [k, v] : x.values) wipe_string(v);
                       x.values.clear();
                   },
                   [](auto&) {},
               },
               c);
}

DeskContext DeskContext::of(const State& s) {
    DeskContext c;
    c.staff = s.staff;
    if (s.app) c.template_id = s.app->template_id;
    c.print_job = s.print.job;
    c.print_printer = s.print.printer;
    c.print_screen = s.screen == Screen::Print;
    return c;
}

// A queued command with its context, or a desk-internal step (lock, test card).
struct Desk::Job {
    std::optional<Command> command;
    DeskContext context;
    std::function<void()> step;
    bool refresh = false;
    ~Job() {
        if (command) wipe(*command);
    }
};

Desk::Desk(std::shared_ptr<store::DeskStore> store, std::shared_ptr<store::KioskStore> intake, forms::Catalogue catalogue,
           DeskConfig config, Post post)
    : store_(std::move(store)), intake_(std::move(intake)), catalogue_(std::move(catalogue)), config_(std::move(config)), post_(std::move(post)) {
    thread_ = std::thread([this] { loop(); });
}

Desk::~Desk() {
    {
        std::lock_guard lock(mu_);
        // Commands nobody waits for are dropped; a queued lock step still runs.
        for (auto it = jobs_.begin(); it != jobs_.end();)
            it = (*it)->command ? jobs_.erase(it) : std::next(it);
        stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
}

void Desk::push(std::unique_ptr<Job> job) {
    {
        std::lock_guard lock(mu_);
        jobs_.push_back(std::move(job));
    }
    cv_.notify_all();
}

void Desk::run(const Command& command, const DeskContext& context) {
    auto job = std::make_unique<Job>();
    job->command = command;
    job->context = context;
    job->refresh = is_refresh(command);
    push(std::move(job));
}

void Desk::drop_pending() {
    for (auto it = jobs_.begin(); it != jobs_.end();) it = (*it)->command ? jobs_.erase(it) : std::next(it);
}

void Desk::lock() {
    auto job = std::make_unique<Job>();
    job->step = [this] {
        release_held();
        unfinished_checked_ = false;
    };
    push(std::move(job));
}

void Desk::drop_queued() {
    std::lock_guard lock(mu_);
    drop_pending();
}

#if KAKANAI_TEST_HOOKS
void Desk::use_virtual_card(const std::filesystem::path& profile) {
    auto job = std::make_unique<Job>();
    job->step = [this, profile] {
        virtual_card_ = std::make_unique<virtualcard::VirtualCard>(virtualcard::CardProfile::load(profile));
    };
    push(std::move(job));
}
#endif

bool Desk::idle() const {
    std::lock_guard lock(mu_);
    return jobs_.empty() && !running_;
}

bool Desk::refreshing() const {
    std::lock_guard lock(mu_);
    if (running_refresh_) return true;
    for (const auto& j : jobs_)
        if (j->refresh) return true;
    return false;
}

void Desk::loop() {
    std::unique_lock lock(mu_);
    for (;;) {
        cv_.wait(lock, [this] { return stop_ || !jobs_.empty(); });
        if (jobs_.empty()) return;  // stopping, and nothing left to finish
        std::unique_ptr<Job> job = std::move(jobs_.front());
        jobs_.pop_front();
        running_ = true;
        running_refresh_ = job->refresh;
        lock.unlock();
        try {
            if (job->step) job->step();
            if (job->command) execute(*job->command, job->context);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "kakanai-staff: desk: %s\n", e.what());
        }
        job.reset();  // wipes the command's PIN or values now, not later
        lock.lock();
        running_ = false;
        running_refresh_ = false;
    }
}

void Desk::fail(const char* what, const std::exception& e) {
    // Staff see what they can act on (the store's kind); the detail goes to the log.
    if (const auto* se = dynamic_cast<const store::StoreError*>(&e)) {
        std::fprintf(stderr, "kakanai-staff: %s: %s (%s)\n", what, e.what(), store::to_string(se->kind()));
        return post_(ev::Failed{se->i18n_key(), ""});
    }
    std::fprintf(stderr, "kakanai-staff: %s: %s\n", what, e.what());
    post_(ev::Failed{"desk.store_failed", ""});
}

std::vector<std::string> Desk::issues_of(const store::Application& a) const {
    std::vector<std::string> out;
    if (const forms::Template* t = catalogue_.find(a.template_id)) {
        forms::FilledForm form = to_filled_form(*t, a);
        for (const auto& i : forms::check_form(*t, form)) out.push_back(i.field);
        form.wipe();
    }
    return out;
}

void Desk::opened(store::Application a) {
    auto issues = issues_of(a);
    auto jobs = store_->print_jobs(a.id);
    std::vector<std::string> unnamed;
    if (const forms::Template* t = catalogue_.find(a.template_id)) unnamed = unnamed_members(*t, a);
    post_(ev::Opened{std::move(a), std::move(issues), std::move(jobs), std::move(unnamed)});
}

void Desk::release_held() {
    if (held_.empty()) return;
    try {
        store_->release(held_, held_by_);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "kakanai-staff: release: %s\n", e.what());
    }
    held_.clear();
    held_by_.clear();
}

void Desk::execute(Command& c, const DeskContext& ctx) {
    const std::string& staff = ctx.staff;
    std::visit(
        [&](auto& cmd) {
            using T = std::decay_t<decltype(cmd)>;
            try {
                if constexpr (std::is_same_v<T, cmd::CheckLogin>) {
                    struct Wipe {  // the code goes whatever happens
                        std::string& code;
                        ~Wipe() { wipe_string(code); }
                    } wipe_code{cmd.code};
                    const store::LoginOutcome r = store_->login(config_.station, cmd.staff, cmd.code);
                    std::fprintf(stderr, "kakanai-staff: login %s for %s\n", store::to_string(r.result), cmd.staff.c_str());
                    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                                         std::chrono::system_clock::now().time_since_epoch())
                                         .count();
                    post_(ev::LoginResult{cmd.staff, r.ok(), r, now});
                } else if constexpr (std::is_same_v<T, cmd::CheckStation>) {
                    post_(ev::StationStatus{store_->station_locked(config_.station)});
                } else if constexpr (std::is_same_v<T, cmd::LoadQueue>) {
                    load_queue(ctx);
                } else if constexpr (std::is_same_v<T, cmd::Take>) {
                    auto hold = [&](const store::Application& a) {
                        if (a.state == store::State::Submitted && a.taken_by == staff) {
                            held_ = a.id;
                            held_by_ = staff;
                        }
                    };
                    if (cmd.id.empty()) {
                        auto a = store_->take_next(staff);
                        if (!a) return post_(ev::Failed{"desk.queue_none", ""});
                        hold(*a);
                        return opened(std::move(*a));
                    }
                    auto a = store_->get(cmd.id);
                    if (!a) return post_(ev::Failed{"desk.not_found", cmd.id});
                    if (a->state == store::State::Submitted) {
                        for (auto& f : a->fields) wipe_string(f.value);
                        store::Application taken = store_->take(cmd.id, staff);
                        hold(taken);
                        return opened(std::move(taken));
                    }
                    for (auto& f : a->fields) wipe_string(f.value);
                    auto seen = store_->open(cmd.id, staff);  // audited: who looked at it
                    if (!seen) return post_(ev::Failed{"desk.not_found", cmd.id});
                    opened(std::move(*seen));  // confirmed, printed, cancelled: to look at, reprint or cancel
                } else if constexpr (std::is_same_v<T, cmd::Release>) {
                    if (cmd.id == held_) {
                        held_.clear();
                        held_by_.clear();
                    }
                    store_->release(cmd.id, staff);
                } else if constexpr (std::is_same_v<T, cmd::Correct>) {
                    // The store checks the value against the field's type (a 個人番号 is refused).
                    store::FieldValue corrected{cmd.field, cmd.value, "staff"};
                    if (const forms::Template* t = catalogue_.find(ctx.template_id))
                        if (const forms::Field* f = t->field(cmd.field)) {
                            corrected.value = forms::normalize_value(*f, corrected.value);
                            corrected.type = forms::to_string(f->type);
                        }
                    struct Wipe {
                        std::string& v;
                        ~Wipe() { wipe_string(v); }
                    } wipe_value{corrected.value};
                    store_->correct_field(cmd.id, corrected, staff, cmd.reason);
                    std::fprintf(stderr, "kakanai-staff: %s corrected %s of %s\n", staff.c_str(), cmd.field.c_str(),
                                 cmd.id.c_str());
                    opened(store_->get(cmd.id).value());
                } else if constexpr (std::is_same_v<T, cmd::Print>) {
                    struct Wipe {  // the PIN goes whatever happens
                        std::string& pin;
                        ~Wipe() { wipe_string(pin); }
                    } wipe_pin{cmd.pin};
                    print(cmd, ctx);
                } else if constexpr (std::is_same_v<T, cmd::PollPrint>) {
                    poll(cmd.job, ctx);
                } else if constexpr (std::is_same_v<T, cmd::Cancel>) {
                    store_->cancel(cmd.id, staff, cmd.reason);
                    if (cmd.id == held_) held_.clear();
                    std::fprintf(stderr, "kakanai-staff: %s cancelled %s\n", staff.c_str(), cmd.id.c_str());
                    post_(ev::Closed{"desk.cancelled"});
                } else if constexpr (std::is_same_v<T, cmd::PrintGuide>) {
                    print_guide(cmd);
                } else if constexpr (std::is_same_v<T, cmd::SubmitManual>) {
                    submit_manual(cmd, ctx);
                } else if constexpr (std::is_same_v<T, cmd::Heartbeat>) {
                    heartbeat();
                } else if constexpr (std::is_same_v<T, cmd::AcknowledgeCalls>) {
                    // Nobody logged in (the station locked): the station's name answers.
                    const std::string& who = staff.empty() ? config_.station : staff;
                    for (const std::int64_t id : cmd.ids)
                        if (store_->acknowledge_call(id, who))
                            std::fprintf(stderr, "kakanai-staff: %s answered call %lld\n", who.c_str(),
                                         static_cast<long long>(id));
                    post_(ev::CallsLoaded{store_->open_calls()});
                } else if constexpr (std::is_same_v<T, cmd::ResolveJob>) {
                    store_->print_finished(cmd.job, cmd.printed, "checked at the printer by " + staff);
                    load_queue(ctx);
                }
            } catch (const std::exception& e) {
                if constexpr (std::is_same_v<T, cmd::PollPrint>) {
                    // A print system that does not answer: the job stays Sent and is asked again.
                    std::fprintf(stderr, "kakanai-staff: print job %lld: %s\n", static_cast<long long>(cmd.job), e.what());
                } else if constexpr (std::is_same_v<T, cmd::Release>) {
                    std::fprintf(stderr, "kakanai-staff: release: %s\n", e.what());
                } else if constexpr (std::is_same_v<T, cmd::Heartbeat>) {
                    // Tried again at the next tick; the lease outlasts many of them.
                    std::fprintf(stderr, "kakanai-staff: heartbeat: %s\n", e.what());
                } else if constexpr (std::is_same_v<T, cmd::LoadQueue>) {
                    fail("queue", e);
                } else {
                    fail("desk", e);
                }
            }
        },
        c);
}

// The station is alive: its claim on the application it holds is renewed, and
// the calls from the kiosks are loaded.
void Desk::heartbeat() {
    if (!held_.empty() && !store_->renew_lease(held_, held_by_)) {
        // Another station took it after our lease ran out (this one was stalled).
        std::fprintf(stderr, "kakanai-staff: %s is no longer held by %s\n", held_.c_str(), held_by_.c_str());
        held_.clear();
        held_by_.clear();
    }
    post_(ev::CallsLoaded{store_->open_calls()});
}

void Desk::load_queue(const DeskContext& ctx) {
    auto q = store_->queue();
    auto unfinished = store_->unfinished_print_jobs();
    // A job this station is following is not "unfinished"; one CUPS already finished is settled here.
    std::vector<store::PrintJob> shown;
    for (const auto& j : unfinished) {
        if (auto followed = spools_.find(j.id); followed != spools_.end()) {
            // A job this station sent and left the print screen for: settled here once CUPS knows.
            if (!ctx.print_screen || ctx.print_job != j.id) follow(followed);
            continue;
        }
        int spool = 0;
        // Asked of CUPS once per login: a print system that does not answer must not stall every refresh.
        if (!unfinished_checked_ && j.status == store::PrintStatus::Sent &&
            std::sscanf(j.spool_id.c_str(), "%d", &spool) == 1 && spool > 0) {
            try {
                const auto st = printing::job_status(spool);
                if (st.done()) {
                    store_->print_finished(j.id, true, "finished while the station was stopped");
                    continue;
                }
            } catch (const std::exception&) {
            }
        }
        shown.push_back(j);
    }
    unfinished_checked_ = true;
    post_(ev::QueueLoaded{std::move(q), std::move(shown)});
}

void Desk::print_failed(std::int64_t job, const std::string& printer, const std::string& reason, const std::string& key) {
    std::fprintf(stderr, "kakanai-staff: print failed: %s\n", reason.c_str());
    store::PrintJob j;
    j.id = job;
    j.printer = printer;
    j.status = store::PrintStatus::Failed;
    if (j.id != 0) {
        try {
            store_->print_finished(j.id, false, key.empty() ? reason : key);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "kakanai-staff: cannot record the failed print: %s\n", e.what());
        }
    }
    ev::PrintUpdate update{j, key.empty() ? reason : std::string()};
    update.reason_key = key;
    post_(std::move(update));
}

// Claim in the store, render, send; the claim comes first so a crash between
// here and CUPS leaves an unfinished job to check, never a second print.
void Desk::print(const cmd::Print& p, const DeskContext& ctx) {
    const std::string& staff = ctx.staff;
    std::int64_t job_id = 0;
    try {
        if (p.confirm) {
            store_->confirm(p.id, staff);
            if (p.id == held_) held_.clear();  // confirmed: no longer held in the queue
        }
        if (!p.reprint.code.empty()) store_->request_reprint(p.id, staff, p.reprint);
        auto app = store_->get(p.id);
        if (!app) throw std::runtime_error("application " + p.id + " is gone");
        struct WipeApp {
            std::optional<store::Application>& a;
            ~WipeApp() {
                if (a)
                    for (auto& f : a->fields) wipe_string(f.value);
            }
        } wipe_app{app};
        const forms::Template* t = catalogue_.find(app->template_id);
        if (!t) throw std::runtime_error("form " + app->template_id + " is not installed");
        // The 個人番号 goes only into the fields bound to card.my_number, and only on
        // paper from a printer: a folder print masks it, so needs no card.
        const std::vector<const forms::Field*> number_fields = forms::fields_bound_to(*t, "card.my_number");
        const bool to_folder = p.printer == "folder";
        const bool needs_number = !number_fields.empty() && !to_folder;
        if (needs_number && p.pin.empty()) return post_(ev::CardNeeded{});
        // The 個人番号 is read for this print only, lives in this buffer and is wiped after rendering.
        cardreader::MyNumber number;
        if (needs_number) number = read_my_number(p.pin);
        const store::PrintJob job = store_->begin_print(p.id, staff, p.printer);
        job_id = job.id;
        forms::FilledForm form = to_filled_form(*t, *app);
        struct WipeForm {
            forms::FilledForm& f;
            ~WipeForm() { f.wipe(); }
        } wipe_form{form};
        if (needs_number)
            for (auto& f : form.fields)
                for (const forms::Field* bound : number_fields)
                    if (f.id == bound->id) f.value = f.display = std::string(number.digits());
        number.clear();
        printing::PdfOptions opts;
        opts.application_id = p.id;
        store::PrintJob update = job;
        if (to_folder) {
            const printing::FolderPrint written = printing::print_form_to_folder(*t, form, opts, config_.output_dir);
            store_->print_sent(job.id, written.file.filename().string());
            store_->print_finished(job.id, true, "folder");
            update.status = store::PrintStatus::Done;
            std::fprintf(stderr, "kakanai-staff: %s written to %s%s\n", p.id.c_str(), written.file.c_str(),
                         written.my_number_masked ? " (個人番号 masked)" : "");
            ev::PrintUpdate done{update, ""};
            if (written.my_number_masked) done.reason_key = "desk.my_number_masked";
            return post_(std::move(done));
        }
        // An overlay form lands in the pre-printed boxes: the printer's calibrated offset.
        opts = printing::options_for_printer(*t, p.printer, opts);
        int spool = 0;
        if (needs_number) {
            // Never at rest: rendered in memory and streamed to CUPS (docs/install.md: PreserveJobFiles No).
            std::vector<std::uint8_t> bytes = printing::render_pdf(*t, form, opts);
            struct WipeBytes {
                std::vector<std::uint8_t>& b;
                ~WipeBytes() { base::secure_zero(b.data(), b.size()); }
            } wipe_bytes{bytes};
            form.wipe();
            spool = printing::stream_pdf(p.printer, bytes, p.id);
        } else {
            const std::filesystem::path pdf = printing::application_pdf_path(config_.output_dir, p.id);
            printing::write_file_atomic(pdf, printing::render_pdf(*t, form, opts));
            form.wipe();
            spool = printing::submit_pdf(p.printer, pdf, p.id);
        }
        spools_[job.id] = spool;
        store_->print_sent(job.id, std::to_string(spool));
        std::fprintf(stderr, "kakanai-staff: %s sent to %s as job %d\n", p.id.c_str(), p.printer.c_str(), spool);
        update.status = store::PrintStatus::Sent;
        update.spool_id = std::to_string(spool);
        post_(ev::PrintUpdate{update, ""});
    } catch (const CardProblem& e) {
        print_failed(job_id, p.printer, "", e.key);
    } catch (const store::StoreError& e) {
        std::fprintf(stderr, "kakanai-staff: print: %s (%s)\n", e.what(), store::to_string(e.kind()));
        print_failed(job_id, p.printer, "", e.i18n_key());
    } catch (const std::exception& e) {
        print_failed(job_id, p.printer, e.what(), "");  // the printer's or print system's words
    }
}

// The resident's guide slip of a visit: its procedures (and each form's copies,
// the only value read) rendered in the resident's language. It holds nothing
// personal, so a folder print keeps it as a file.
void Desk::print_guide(const cmd::PrintGuide& g) {
    try {
        const auto v = store_->visit(g.day, g.number);
        if (!v) return post_(ev::GuidePrinted{g.number, false, "visit " + g.day + " " + std::to_string(g.number)});
        std::vector<forms::GuideProcedure> procedures;
        for (const auto& id : v->application_ids) {
            auto app = store_->get(id);
            if (!app) continue;  // purged meanwhile
            int copies = 1;
            for (auto& f : app->fields) {
                if (f.id == "copies") copies = forms::copies_of(f.value);
                wipe_string(f.value);
            }
            procedures.push_back({catalogue_.find(app->template_id), copies});
        }
        const forms::GuideSlip slip = forms::make_guide_slip(v->label(), procedures, config_.counters);
        if (!config_.guide_texts) throw printing::PrintError("the guide slip's texts are not loaded");
        const std::vector<std::uint8_t> pdf =
            printing::render_guide_pdf(slip, v->day, v->language, config_.guide_texts->in(v->language));
        const std::string binding = "visit-" + v->day + "-" + v->label();
        if (g.printer == "folder") {
            const auto file = config_.output_dir / (binding + ".pdf");
            printing::write_file_atomic(file, pdf);
            std::fprintf(stderr, "kakanai-staff: guide of visit %s written to %s\n", v->label().c_str(), file.c_str());
        } else {
            const int spool = printing::stream_pdf(g.printer, pdf, binding);
            std::fprintf(stderr, "kakanai-staff: guide of visit %s sent to %s as job %d\n", v->label().c_str(),
                         g.printer.c_str(), spool);
        }
        post_(ev::GuidePrinted{g.number, true, g.printer});
    } catch (const std::exception& e) {
        std::fprintf(stderr, "kakanai-staff: guide of visit %d: %s\n", g.number, e.what());
        post_(ev::GuidePrinted{g.number, false, e.what()});
    }
}

void Desk::follow(std::map<std::int64_t, int>::iterator it) {
    try {
        const printing::JobStatus st = printing::job_status(it->second);
        if (st.done()) {
            store_->print_finished(it->first, true, "");
            spools_.erase(it);
        } else if (st.failed()) {
            printing::cancel_job(it->second);
            store_->print_finished(it->first, false, st.reason);
            spools_.erase(it);
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "kakanai-staff: print job %lld: %s\n", static_cast<long long>(it->first), e.what());
    }
}

// The card on the reader (the in-process card of a scripted run, else the first
// PC/SC reader holding one), read with the 個人番号. Throws CardProblem for staff.
cardreader::MyNumber Desk::read_my_number(const std::string& pin_text) {
    using namespace cardreader;
    const Pin pin(pin_text);
    ReadOptions options;
    options.with_my_number = true;
    options.ca_key = config_.ca_key.get();
    CardInfo info;
    try {
#if KAKANAI_TEST_HOOKS
        if (virtual_card_) {
            virtualcard::InProcessChannel channel(*virtual_card_);
            info = read_card(channel, pin, options);
        } else
#endif
        {
            PcscContext ctx;
            std::optional<std::string> reader = ctx.wait_for_card(std::chrono::milliseconds(500), config_.reader_filter);
            if (!reader) throw CardProblem("desk.card_missing");
            PcscCard card(ctx, *reader);
            PcscCard::Transaction tx(card);
            info = read_card(card, pin, options);
        }
    } catch (const CardError& e) {
        info.wipe();
        throw CardProblem(e.kind() == CardErrorKind::WrongPin    ? "desk.card_wrong_pin"
                          : e.kind() == CardErrorKind::PinLocked ? "desk.card_locked"
                                                                 : "desk.card_read_failed");
    } catch (const CardProblem&) {
        throw;
    } catch (const std::exception& e) {
        info.wipe();
        std::fprintf(stderr, "kakanai-staff: card: %s\n", e.what());
        throw CardProblem("desk.card_read_failed");
    }
    if (!accepted(info.authenticity)) {
        // Data that fails the authenticity check is never printed: wiped before anything is rendered.
        std::fprintf(stderr, "kakanai-staff: card refused: authenticity %s\n", to_string(info.authenticity));
        info.wipe();
        throw CardProblem("desk.card_refused");
    }
    MyNumber out = info.my_number ? *info.my_number : MyNumber{};
    info.wipe();
    if (out.empty()) throw CardProblem("desk.card_read_failed");
    return out;
}

void Desk::poll(std::int64_t job, const DeskContext& ctx) {
    auto it = spools_.find(job);
    if (it == spools_.end()) return;
    const printing::JobStatus st = printing::job_status(it->second);
    store::PrintJob update;
    update.id = job;
    update.printer = ctx.print_printer;
    if (st.done()) {
        store_->print_finished(job, true, "");
        spools_.erase(it);
        update.status = store::PrintStatus::Done;
        std::fprintf(stderr, "kakanai-staff: print job %lld done\n", static_cast<long long>(job));
        post_(ev::PrintUpdate{update, ""});
    } else if (st.failed()) {
        // A job waiting on a stopped printer is cancelled before it is marked failed:
        // clearing the jam later must not print it a second time.
        printing::cancel_job(it->second);
        spools_.erase(it);
        print_failed(job, ctx.print_printer, st.reason.empty() ? printing::to_string(st.state) : st.reason, "");
    }
}

void Desk::submit_manual(const cmd::SubmitManual& m, const DeskContext& ctx) {
    const forms::Template* t = catalogue_.find(m.template_id);
    if (!t) throw std::runtime_error("form " + m.template_id + " is not installed");
    forms::CardData card{m.values.at("name"), m.values.at("address"), m.values.at("birth_date"), m.values.at("sex"), false};
    forms::Answers answers;
    for (const auto& [k, v] : m.values)
        if (t->field(k) && !v.empty()) answers[k] = normalize_value(*t->field(k), v);
    // Household members staff added ("member.<n>.<key>", n from 1 in row order): the
    // form's group places them after the resident, as at a kiosk.
    forms::Household household;
    for (int n = 1;; ++n) {
        const std::string p = "member." + std::to_string(n) + ".";
        if (!m.values.count(p + "name")) break;
        auto get = [&](const char* k) {
            auto it = m.values.find(p + k);
            if (it == m.values.end()) return std::string();
            // As the group's field keeps it (a date typed 2018/5/5 becomes 2018-05-05).
            for (const auto& g : t->groups)
                for (const auto& f : g.fields)
                    if (f.source == forms::Source::Member && f.source_key == k) return forms::normalize_value(f, it->second);
            return it->second;
        };
        forms::Member member;
        member.name = get("name");
        member.kana = get("kana");
        member.birth_date = get("birth_date");
        member.sex = get("sex");
        member.relationship = get("relationship");
        household.push_back(std::move(member));
    }
    forms::FilledForm form = forms::prefill(*t, card, answers, forms::today_iso(), {}, household);
    store::Application app = to_application(*t, form, config_.station, Entry::Staff);
    form.wipe();
    card.wipe();
    forms::wipe(household);
    for (auto& [k, v] : answers) wipe_string(v);
    if (!intake_) throw std::runtime_error("no store role for applications typed at the desk");
    const std::string id = intake_->submit(std::move(app));
    std::fprintf(stderr, "kakanai-staff: %s entered %s without a card\n", ctx.staff.c_str(), id.c_str());
    store::Application taken = store_->take(id, ctx.staff);
    held_ = id;
    held_by_ = ctx.staff;
    opened(std::move(taken));
}

}  // namespace kakanai::kiosk::staff
