// kakanai-staff: the counter staff station. Sections: 1. fonts (font_atlas.hpp)
// 2. scripted runs (script.hpp)  3. the station: loop, commands against the store
// and the printing library, idle lock.
#include <SDL.h>
#include <imgui.h>
#include <backends/imgui_impl_sdl.h>
#include <backends/imgui_impl_sdlrenderer.h>
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "kakanai/cardreader/bytes.hpp"
#include "kakanai/cardreader/card_info.hpp"
#include "kakanai/cardreader/mynumber.hpp"
#include "kakanai/cardreader/pcsc.hpp"
#if KAKANAI_TEST_HOOKS
#include "kakanai/cardreader/virtual_card.hpp"
#endif
#include "kakanai/forms/prefill.hpp"
#include "kakanai/forms/wareki.hpp"
#include "kakanai/printing/cups.hpp"
#include "kakanai/printing/pdf.hpp"
#include "application_record.hpp"
#include "event_queue.hpp"
#include "font_atlas.hpp"
#include "options.hpp"
#include "rare_text.hpp"
#include "renderer.hpp"
#include "script.hpp"
#include "staff_ui.hpp"

namespace kakanai::kiosk::staff {
namespace {
using Clock = std::chrono::steady_clock;

// ---- 1. Fonts: FontAtlas (font_atlas.hpp), the same atlas as the resident's kiosk.
// New characters (a value, a typed reason) trigger a rebuild.

// ---- 2. Scripted runs (tests/ui/scripts/staff_*.script): the steps are in script.hpp.

// ---- 3. The station: the loop and the screens' requests, then the desk (commands
// against the store, the printing library and the card reader).
class Station {
public:
    explicit Station(Options o) : opt_(std::move(o)), strings_(opt_.assets / "i18n") {
        if (!std::filesystem::is_regular_file(opt_.font))
            throw std::runtime_error("font file missing: " + opt_.font.string() +
                                     " (install the Debian package fonts-ipaexfont-gothic)");
        catalogue_ = forms::Catalogue::load(opt_.assets / "forms", forms::today_iso());
        for (const auto& p : catalogue_.problems())
            std::fprintf(stderr, "kakanai-staff: form template skipped: %s\n", p.to_string().c_str());
        std::error_code ec;
        std::filesystem::create_directories(opt_.data_dir, ec);
        ::chmod(opt_.data_dir.c_str(), 0700);
        store_ = open();
        state_.settings.staff_ids = opt_.staff_ids;
        state_.settings.lock_after_s = opt_.staff_lock_after_s;
        state_.settings.printers = opt_.staff_printers;
        if (state_.settings.printers.empty()) state_.settings.printers = {opt_.printer.empty() ? "folder" : opt_.printer};
        if (state_.settings.staff_ids.empty())
            std::fprintf(stderr, "kakanai-staff: no [staff] ids in the settings: nobody can log in\n");
        language_ = opt_.language == "en" ? "en" : "ja";
#if KAKANAI_TEST_HOOKS
        if (opt_.script) script_ = Script::load(*opt_.script, ScriptFor::Staff);
#endif
    }

    int run() {
        Uint32 flags = SDL_WINDOW_ALLOW_HIGHDPI;
        const bool automated = opt_.screenshot || opt_.script;
        if (opt_.fullscreen && !automated) flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
        Display display;
        if (!open_ui("kakanai-staff", "kakanai staff", opt_.width, opt_.height, flags, opt_.renderer, true, &display))
            return 3;
        renderer_ = display.renderer;
        SDL_StartTextInput();
        int rc = 0;
        {
            RareText rare(display.renderer, opt_.rare_font);
            rare_ = &rare;
            rc = loop();
            rare_ = nullptr;
        }
        wipe_drafts();
        lock(state_);
        close_ui(display);
        renderer_ = nullptr;
        return rc;
    }

private:
    std::unique_ptr<store::Store> open(std::function<std::int64_t()> clock = {}) {
        store::StoreConfig c;
        if (opt_.store_config) c = store::load_store_config(*opt_.store_config);
        else {
            c.sqlite_path = opt_.data_dir / "store.db";
            c.key_file = opt_.data_dir / "store.key";
        }
        c.clock = std::move(clock);
        return store::open_store(c);
    }

    static float em_for(int w, int h) { return std::max(16.0f, std::min(static_cast<float>(w) / 64.0f, static_cast<float>(h) / 40.0f)); }

    void build_fonts() {
        const std::vector<ImFont*> f = atlas_->build(renderer_, {FontAtlas::Face{em_ * 0.85f}, FontAtlas::Face{em_ * 1.1f}});
        fonts_.em = em_;
        fonts_.body = f[0];
        fonts_.title = f[1];
    }

    bool scripted() const {
#if KAKANAI_TEST_HOOKS
        return script_.has_value();
#else
        return false;
#endif
    }

    void redraw(int frames = 3) { frames_ = std::max(frames_, frames); }

    int loop() {
        SDL_GetRendererOutputSize(renderer_, &w_, &h_);
        em_ = em_for(w_, h_);
        atlas_.emplace(opt_.font, "●○▶✓×・—−+*#:;()0123456789-/ 明治大正昭和平成令和元年月日男女レ" + strings_.all_text() +
                                      catalogue_text(catalogue_));
        build_fonts();
        last_input_ = Clock::now();
        last_tick_ = Clock::now();
#if KAKANAI_TEST_HOOKS
        script_deadline_ = Clock::now() + std::chrono::seconds(20);
#endif
        for (;;) {
            if (const auto rc = poll_input()) return *rc;
            tick();
            forget_after_lock();
            rebuild_glyphs();
            if (frames_ <= 0 && !scripted()) continue;
            UiRequests req = draw_frame();
#if KAKANAI_TEST_HOOKS
            if (const auto rc = test_hooks_after_draw(req)) return *rc;
#endif
            SDL_RenderPresent(renderer_);
            apply_requests(req);
        }
    }

    // Sleeps until something happens (a second at most: the clock); an exit code when the window is closed.
    std::optional<int> poll_input() {
        SDL_Event e;
        const bool got = frames_ > 0 || scripted() ? SDL_PollEvent(&e) : SDL_WaitEventTimeout(&e, 1000);
        if (!got) return std::nullopt;
        do {
            ImGui_ImplSDL2_ProcessEvent(&e);
            if (e.type == SDL_QUIT) return 0;
            if (e.type == SDL_MOUSEBUTTONDOWN || e.type == SDL_KEYDOWN || e.type == SDL_TEXTINPUT ||
                e.type == SDL_MOUSEWHEEL)
                touched();
        } while (SDL_PollEvent(&e));
        redraw();
        return std::nullopt;
    }

    // The clock: refresh the queue, follow a print, lock when nobody works here.
    void tick() {
        if (!state_.staff.empty() && Clock::now() - last_tick_ >= std::chrono::seconds(2)) {
            last_tick_ = Clock::now();
            handle(ev::Tick{});
            redraw(1);
        }
        const int idle = static_cast<int>(std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - last_input_).count()) +
                         idle_offset_s_;
        if (state_.screen != Screen::Login && idle >= state_.settings.lock_after_s) {
            handle(ev::Idle{idle});
            redraw();
        }
        // Waiting times count on screen once a second, not faster.
        const std::int64_t second = queue_second();
        if (state_.screen == Screen::Queue && second != shown_second_) {
            shown_second_ = second;
            redraw(1);
        }
    }

    std::int64_t queue_second() const {
        return std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - queue_loaded_).count();
    }

    // Images of names and typed text go when the station locks.
    void forget_after_lock() {
        if (!state_.holds_personal_data() && !rare_->empty()) rare_->clear();
        if (state_.screen == Screen::Login && state_.staff.empty() && !drafts_.empty() && locked_now_) {
            wipe_drafts();
            locked_now_ = false;
        }
    }

    void rebuild_glyphs() {
        if (atlas_->add_text(dynamic_text(state_, drafts_) + display_text())) {
            build_fonts();
            redraw();
        }
    }

    UiRequests draw_frame() {
        strings_.set_language(language_);
        UiContext ctx;
        ctx.text = &strings_;
        ctx.fonts = fonts_;
        ctx.catalogue = &catalogue_;
        ctx.station = opt_.station;
        ctx.drafts = &drafts_;
        ctx.queue_age_s = scripted() ? 0 : queue_second();  // scripted screenshots show the seeded ages exactly
        ctx.now = static_cast<std::int64_t>(std::time(nullptr));
#if KAKANAI_TEST_HOOKS
        if (!pending_tap_.empty()) ctx.scripted_tap = pending_tap_;
#endif
        ctx.rare_text = [this](const std::string& s, float px, unsigned rgba, RareImage* out) {
            return rare_->get(s, px, rgba, out);
        };
        ImGui_ImplSDL2_NewFrame();  // (the font texture is FontAtlas's: no ImGui_ImplSDLRenderer_NewFrame)
        ImGui::NewFrame();
        UiRequests req = draw(state_, ctx);
        ImGui::Render();
        SDL_SetRenderDrawColor(renderer_, 255, 255, 255, 255);  // the staff palette's paper
        SDL_RenderClear(renderer_);
        ImGui_ImplSDLRenderer_RenderDrawData(ImGui::GetDrawData());
        --frames_;
        ++frame_;
        return req;
    }

    void apply_requests(UiRequests& req) {
        if (!req.language.empty()) {
            language_ = req.language;
            redraw();
        }
        if (!req.taps.empty()) touched();
        for (auto& ev : req.events) handle(std::move(ev));
        if (!req.events.empty()) redraw();
    }

#if KAKANAI_TEST_HOOKS
    // ---- Test hooks: screenshots and scripted runs.

    // After a frame is drawn, before it is presented: an exit code ends the run.
    std::optional<int> test_hooks_after_draw(const UiRequests& req) {
        if (opt_.screenshot && frame_ == 3) return save_screenshot("kakanai-staff", renderer_, *opt_.screenshot, w_, h_) ? 0 : 1;
        if (!pending_tap_.empty()) {
            if (std::find(req.taps.begin(), req.taps.end(), pending_tap_) == req.taps.end()) {
                std::string shown;
                for (const auto& b : req.buttons) shown += " " + b;
                return fail("no button " + pending_tap_ + " on screen " + to_string(state_.screen) + " (buttons:" + shown + ")");
            }
            pending_tap_.clear();
        }
        if (!script_ || frames_ > 0) return std::nullopt;
        if (script_->done()) {
            std::fprintf(stderr, "kakanai-staff: script done\n");
            return 0;
        }
        const int rc = script_step();
        if (rc >= 0) return rc;
        if (rc == -1) {
            redraw();
            script_deadline_ = Clock::now() + std::chrono::seconds(20);
        } else {
            SDL_Delay(20);
        }
        return std::nullopt;
    }
#endif

    // Values as shown (和暦 dates, 男/女) carry characters the raw values lack.
    std::string display_text() const {
        std::string out;
        if (!state_.app) return out;
        if (const forms::Template* t = catalogue_.find(state_.app->template_id))
            for (const auto& f : state_.app->fields)
                if (const forms::Field* field = t->field(f.id)) out += forms::display_value(*field, f.value);
        return out;
    }

    void touched() {
        last_input_ = Clock::now();
        idle_offset_s_ = 0;
    }

#if KAKANAI_TEST_HOOKS
    int fail(const std::string& why) {
        std::fprintf(stderr, "kakanai-staff: script line %zu: %s\n", script_ ? script_->line() : 0, why.c_str());
        return 1;
    }

    // Returns -1 for the next step, -2 to retry this one, or an exit code.
    int script_step() {
        const ScriptStep& step = script_->steps[script_->at++];
        const std::string& verb = step.verb;
        auto arg = [&](std::size_t i) { return i < step.args.size() ? step.args[i] : std::string(); };
        auto retry_until_deadline = [&](const std::string& what) {
            if (Clock::now() > script_deadline_) return fail(what);
            --script_->at;
            return -2;
        };
        try {
            if (verb == "staff-code") store_->set_staff_code(arg(0), arg(1), "script");
            else if (verb == "seed") seed(script_->path(arg(0)), arg(1), step.number, {step.args.begin() + 3, step.args.end()});
            else if (verb == "interrupt-last") interrupt_last(arg(0));
            else if (verb == "card") virtual_card_ = std::make_unique<cardreader::VirtualCard>(cardreader::CardProfile::load(script_->path(arg(0))));
            else if (verb == "tap") pending_tap_ = step.arg;
            else if (verb == "type") drafts_[arg(0)] = arg(1) == "@last" ? last_seeded_ : arg(1);
            else if (verb == "time") idle_offset_s_ += step.number;
            else if (verb == "wait") std::this_thread::sleep_for(std::chrono::milliseconds(step.number));
            else if (verb == "shot") {
                const auto file = opt_.screenshots_dir / (step.arg + ".png");
                if (!save_screenshot("kakanai-staff", renderer_, file, w_, h_)) return fail("cannot write " + file.string());
            } else if (verb == "expect") {
                if (step.arg != to_string(state_.screen))
                    return retry_until_deadline("expected screen " + step.arg + ", found " + to_string(state_.screen));
            } else if (verb == "expect-print") {
                const bool settled = !state_.print.busy && step.arg == store::to_string(state_.print.status);
                if (state_.screen != Screen::Print || !settled)
                    return retry_until_deadline("expected print " + step.arg + ", found " + store::to_string(state_.print.status));
            } else {
                return fail("unknown script step " + verb);
            }
        } catch (const std::exception& e) {
            return fail(verb + ": " + e.what());
        }
        return -1;
    }

    // A resident's application as the kiosk would have stored it, `age` seconds ago.
    void seed(const std::filesystem::path& profile, const std::string& template_id, std::int64_t age,
              const std::vector<std::string>& pairs) {
        const forms::Template* t = catalogue_.find(template_id);
        if (!t) throw std::runtime_error("no form " + template_id);
        const auto p = cardreader::CardProfile::load(profile);
        forms::CardData card{p.name, p.address, p.birth_date,
                             cardreader::to_string(cardreader::sex_from_card_code(p.sex_code)), true};
        forms::Answers answers;
        for (const auto& f : t->fields) {
            if (f.source != forms::Source::Question) continue;
            if (!f.default_value.empty()) answers[f.id] = f.default_value;
            else if (!f.choices.empty()) answers[f.id] = f.choices.front().value;
        }
        bool manual = false;
        for (const auto& kv : pairs) {
            const auto eq = kv.find('=');
            if (kv == "manual") manual = true;  // typed by staff at a counter, not read from a card
            if (eq == std::string::npos) continue;
            std::string v = kv.substr(eq + 1);
            std::replace(v.begin(), v.end(), '_', ' ');  // "_" stands for a space in a script
            answers[kv.substr(0, eq)] = v;
        }
        forms::FilledForm form = forms::prefill(*t, card, answers, forms::today_iso());
        store::Application app = to_application(*t, form, manual ? "counter-2" : "kiosk-1", manual ? Entry::Staff : Entry::Card);
        form.wipe();
        card.wipe();
        const std::int64_t then = static_cast<std::int64_t>(std::time(nullptr)) - age;
        auto aged = open([then] { return then; });
        last_seeded_ = aged->submit(std::move(app));
    }

    void interrupt_last(const std::string& printer) {
        store_->confirm(last_seeded_, "script");
        const store::PrintJob job = store_->begin_print(last_seeded_, "script", printer);
        store_->print_sent(job.id, "");
    }

#endif

    void wipe_drafts() {
        for (auto& [k, v] : drafts_) cardreader::secure_zero(v.data(), v.size());
        drafts_.clear();
    }

    void post(Event e) { pending_.post(std::move(e)); }

    void handle(Event e) {
        pending_.post(std::move(e));
        pending_.run([this](Event& ev) { step(ev); });
    }

    // One transition and its commands; events the commands answer with are posted.
    void step(Event& ev) {
        const Screen before = state_.screen;
        Transition t = next(std::move(state_), ev);
        state_ = std::move(t.state);
        if (t.ignored && !std::holds_alternative<ev::Idle>(ev) && !std::holds_alternative<ev::Tick>(ev))
            std::fprintf(stderr, "kakanai-staff: ignored %s on %s\n", event_name(ev), to_string(state_.screen));
        if (auto* card = std::get_if<ev::CardPrint>(&ev)) {
            cardreader::secure_zero(card->pin.data(), card->pin.size());
            auto& pin = drafts_["card.pin"];
            cardreader::secure_zero(pin.data(), pin.size());
            pin.clear();
        }
        if (auto* submit = std::get_if<ev::LoginSubmit>(&ev)) {
            cardreader::secure_zero(submit->code.data(), submit->code.size());
            auto& code = drafts_["login.code"];
            cardreader::secure_zero(code.data(), code.size());
            code.clear();
        }
        if (state_.screen == Screen::Login && before != Screen::Login) {
            locked_now_ = true;
            unfinished_checked_ = false;
            std::fprintf(stderr, "kakanai-staff: station locked\n");
        }
        // Typed text belongs to one screen and one application.
        if (before != state_.screen && (state_.screen == Screen::Review || state_.screen == Screen::Queue)) {
            for (const char* k : {"correct.value", "reason"}) {
                auto& v = drafts_[k];
                cardreader::secure_zero(v.data(), v.size());
                v.clear();
            }
        }
        if (state_.screen == Screen::Correct && before != Screen::Correct && state_.app) {
            for (const auto& f : state_.app->fields)
                if (f.id == state_.field) drafts_["correct.value"] = f.value;
        }
        if (before == Screen::Manual && state_.screen != Screen::Manual) {
            for (auto it = drafts_.begin(); it != drafts_.end();) {
                if (it->first.rfind("manual.", 0) == 0) {
                    cardreader::secure_zero(it->second.data(), it->second.size());
                    it = drafts_.erase(it);
                } else {
                    ++it;
                }
            }
        }
        for (auto& c : t.commands) run(c);
    }

    // ---- The desk: every store, print and card call the station makes is below
    // (and open() above), reached only through run(Command); answers come back
    // as Events through post(). (The seed steps of a scripted run write to the store too.)

    void fail_with(const std::string& key, const std::exception& e) {
        std::fprintf(stderr, "kakanai-staff: %s: %s\n", key.c_str(), e.what());
        post(ev::Failed{key, e.what()});
    }

    std::vector<std::string> issues_of(const store::Application& a) {
        std::vector<std::string> out;
        if (const forms::Template* t = catalogue_.find(a.template_id)) {
            forms::FilledForm form = to_filled_form(*t, a);
            for (const auto& i : forms::check_form(*t, form)) out.push_back(i.field);
            form.wipe();
        }
        return out;
    }

    void opened(store::Application a) {
        auto issues = issues_of(a);
        auto jobs = store_->print_jobs(a.id);
        post(ev::Opened{std::move(a), std::move(issues), std::move(jobs)});
    }

    void run(Command& c) {
        const std::string& staff = state_.staff;
        std::visit(
            [&](auto& cmd) {
                using T = std::decay_t<decltype(cmd)>;
                try {
                    if constexpr (std::is_same_v<T, cmd::CheckLogin>) {
                        const bool ok = store_->check_staff_code(cmd.staff, cmd.code);
                        cardreader::secure_zero(cmd.code.data(), cmd.code.size());
                        std::fprintf(stderr, "kakanai-staff: login %s for %s\n", ok ? "ok" : "failed", cmd.staff.c_str());
                        post(ev::LoginResult{cmd.staff, ok});
                    } else if constexpr (std::is_same_v<T, cmd::LoadQueue>) {
                        load_queue();
                    } else if constexpr (std::is_same_v<T, cmd::Take>) {
                        if (cmd.id.empty()) {
                            auto a = store_->take_next(staff);
                            if (!a) return post(ev::Failed{"desk.queue_none", ""});
                            return opened(std::move(*a));
                        }
                        auto a = store_->get(cmd.id);
                        if (!a) return post(ev::Failed{"desk.not_found", cmd.id});
                        if (a->state == store::State::Submitted) return opened(store_->take(cmd.id, staff));
                        opened(std::move(*a));  // confirmed, printed, cancelled: to look at, reprint or cancel
                    } else if constexpr (std::is_same_v<T, cmd::Release>) {
                        store_->release(cmd.id, staff);
                    } else if constexpr (std::is_same_v<T, cmd::Correct>) {
                        std::string value = cmd.value;
                        if (const forms::Template* t = state_.app ? catalogue_.find(state_.app->template_id) : nullptr)
                            if (const forms::Field* f = t->field(cmd.field)) value = forms::normalize_value(*f, value);
                        store_->correct_field(cmd.id, cmd.field, value, staff, cmd.reason);
                        cardreader::secure_zero(value.data(), value.size());
                        std::fprintf(stderr, "kakanai-staff: %s corrected %s of %s\n", staff.c_str(), cmd.field.c_str(), cmd.id.c_str());
                        opened(store_->get(cmd.id).value());
                    } else if constexpr (std::is_same_v<T, cmd::Print>) {
                        struct Wipe {  // the PIN goes whatever happens
                            std::string& pin;
                            ~Wipe() { cardreader::secure_zero(pin.data(), pin.size()); }
                        } wipe{cmd.pin};
                        print(cmd);
                    } else if constexpr (std::is_same_v<T, cmd::PollPrint>) {
                        poll(cmd.job);
                    } else if constexpr (std::is_same_v<T, cmd::Cancel>) {
                        store_->cancel(cmd.id, staff, cmd.reason);
                        std::fprintf(stderr, "kakanai-staff: %s cancelled %s\n", staff.c_str(), cmd.id.c_str());
                        post(ev::Closed{"desk.cancelled"});
                    } else if constexpr (std::is_same_v<T, cmd::SubmitManual>) {
                        submit_manual(cmd);
                    } else if constexpr (std::is_same_v<T, cmd::ResolveJob>) {
                        store_->print_finished(cmd.job, cmd.printed, "checked at the printer by " + staff);
                        load_queue();
                    }
                } catch (const std::exception& e) {
                    if constexpr (std::is_same_v<T, cmd::Print> || std::is_same_v<T, cmd::PollPrint>) {
                        print_failed(e.what());
                    } else if constexpr (std::is_same_v<T, cmd::Release>) {
                        std::fprintf(stderr, "kakanai-staff: release: %s\n", e.what());
                    } else {
                        fail_with("desk.store_failed", e);
                    }
                }
            },
            c);
    }

    void load_queue() {
        auto q = store_->queue();
        auto unfinished = store_->unfinished_print_jobs();
        // A job this station is following is not "unfinished"; one CUPS already finished is settled here.
        std::vector<store::PrintJob> shown;
        for (const auto& j : unfinished) {
            if (auto followed = spools_.find(j.id); followed != spools_.end()) {
                // A job this station sent and left the print screen for: settled here once CUPS knows.
                if (state_.screen != Screen::Print || state_.print.job != j.id) follow(followed);
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
        queue_loaded_ = Clock::now();
        post(ev::QueueLoaded{std::move(q), std::move(shown)});
    }

    void print_failed(const std::string& reason) {
        std::fprintf(stderr, "kakanai-staff: print failed: %s\n", reason.c_str());
        store::PrintJob j;
        j.id = state_.print.job;
        j.printer = state_.print.printer;
        j.status = store::PrintStatus::Failed;
        if (j.id != 0) {
            try {
                store_->print_finished(j.id, false, reason);
            } catch (const std::exception& e) {
                std::fprintf(stderr, "kakanai-staff: cannot record the failed print: %s\n", e.what());
            }
        }
        post(ev::PrintUpdate{j, reason});
    }

    // Claim in the store, render, send; the claim comes first so a crash between
    // here and CUPS leaves an unfinished job to check, never a second print.
    void print(const cmd::Print& p) {
        const std::string& staff = state_.staff;
        if (p.confirm) store_->confirm(p.id, staff);
        if (!p.reprint_reason.empty()) store_->request_reprint(p.id, staff, p.reprint_reason);
        const auto app = store_->get(p.id);
        if (!app) throw std::runtime_error("application " + p.id + " is gone");
        const forms::Template* t = catalogue_.find(app->template_id);
        if (!t) throw std::runtime_error("form " + app->template_id + " is not installed");
        const forms::Field* number_field = nullptr;
        for (const auto& f : t->fields)
            if (f.type == forms::FieldType::MyNumber) number_field = &f;
        if (number_field && p.pin.empty()) return post(ev::CardNeeded{});
        // The 個人番号 is read for this print only, lives in this buffer and is wiped after rendering.
        cardreader::MyNumber number;
        if (number_field) number = read_my_number(p.pin);
        const store::PrintJob job = store_->begin_print(p.id, staff, p.printer);
        state_.print.job = job.id;
        state_.print.printer = p.printer;
        forms::FilledForm form = to_filled_form(*t, *app);
        if (number_field)
            for (auto& f : form.fields)
                if (f.id == number_field->id) f.value = f.display = std::string(number.digits());
        number.clear();
        printing::PdfOptions opts;
        opts.application_id = p.id;
        std::filesystem::path pdf = printing::application_pdf_path(opt_.output_dir, p.id);
        try {
            printing::write_file_atomic(pdf, printing::render_pdf(*t, form, opts));
        } catch (...) {
            form.wipe();
            throw;
        }
        form.wipe();
        store::PrintJob update = job;
        if (p.printer == "folder") {
            store_->print_sent(job.id, pdf.filename().string());
            store_->print_finished(job.id, true, "folder");
            update.status = store::PrintStatus::Done;
            std::fprintf(stderr, "kakanai-staff: %s written to %s\n", p.id.c_str(), pdf.c_str());
            return post(ev::PrintUpdate{update, ""});
        }
        const int spool = printing::submit_pdf(p.printer, pdf, p.id);
        spools_[job.id] = spool;
        store_->print_sent(job.id, std::to_string(spool));
        std::fprintf(stderr, "kakanai-staff: %s sent to %s as job %d\n", p.id.c_str(), p.printer.c_str(), spool);
        update.status = store::PrintStatus::Sent;
        update.spool_id = std::to_string(spool);
        post(ev::PrintUpdate{update, ""});
    }

    void follow(std::map<std::int64_t, int>::iterator it) {
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
    // PC/SC reader holding one), read with the 個人番号. Throws with a message for staff.
    cardreader::MyNumber read_my_number(const std::string& pin_text) {
        using namespace cardreader;
        const Pin pin(pin_text);
        ReadOptions options;
        options.with_my_number = true;
        CardInfo info;
        try {
#if KAKANAI_TEST_HOOKS
            if (virtual_card_) {
                InProcessChannel channel(*virtual_card_);
                info = read_card(channel, pin, options);
            } else
#endif
            {
                PcscContext ctx;
                std::optional<std::string> reader = ctx.wait_for_card(std::chrono::milliseconds(500), opt_.reader_filter);
                if (!reader) throw std::runtime_error(strings_.get("desk.card_missing"));
                PcscCard card(ctx, *reader);
                PcscCard::Transaction tx(card);
                info = read_card(card, pin, options);
            }
        } catch (const CardError& e) {
            info.wipe();
            throw std::runtime_error(strings_.get(e.kind() == CardErrorKind::WrongPin ? "desk.card_wrong_pin"
                                                  : e.kind() == CardErrorKind::PinLocked ? "desk.card_locked"
                                                                                         : "desk.card_read_failed"));
        }
        MyNumber out = info.my_number ? *info.my_number : MyNumber{};
        info.wipe();
        if (out.empty()) throw std::runtime_error(strings_.get("desk.card_read_failed"));
        return out;
    }

    void poll(std::int64_t job) {
        auto it = spools_.find(job);
        if (it == spools_.end()) return;
        const printing::JobStatus st = printing::job_status(it->second);
        store::PrintJob update;
        update.id = job;
        update.printer = state_.print.printer;
        if (st.done()) {
            store_->print_finished(job, true, "");
            spools_.erase(it);
            update.status = store::PrintStatus::Done;
            std::fprintf(stderr, "kakanai-staff: print job %lld done\n", static_cast<long long>(job));
            post(ev::PrintUpdate{update, ""});
        } else if (st.failed()) {
            // A job waiting on a stopped printer is cancelled before it is marked failed:
            // clearing the jam later must not print it a second time.
            printing::cancel_job(it->second);
            spools_.erase(it);
            print_failed(st.reason.empty() ? printing::to_string(st.state) : st.reason);
        }
    }

    void submit_manual(const cmd::SubmitManual& m) {
        const forms::Template* t = catalogue_.find(m.template_id);
        if (!t) throw std::runtime_error("form " + m.template_id + " is not installed");
        forms::CardData card{m.values.at("name"), m.values.at("address"), m.values.at("birth_date"), m.values.at("sex"), false};
        forms::Answers answers;
        for (const auto& [k, v] : m.values)
            if (t->field(k) && !v.empty()) answers[k] = normalize_value(*t->field(k), v);
        forms::FilledForm form = forms::prefill(*t, card, answers, forms::today_iso());
        store::Application app = to_application(*t, form, opt_.station, Entry::Staff);
        form.wipe();
        card.wipe();
        for (auto& [k, v] : answers) cardreader::secure_zero(v.data(), v.size());
        const std::string id = store_->submit(std::move(app));
        std::fprintf(stderr, "kakanai-staff: %s entered %s without a card\n", state_.staff.c_str(), id.c_str());
        opened(store_->take(id, state_.staff));
    }

    Options opt_;
    Strings strings_;
    std::string language_ = "ja";
    forms::Catalogue catalogue_;
    std::unique_ptr<store::Store> store_;
    State state_;
    EventQueue<Event> pending_;  // run one transition at a time
    std::map<std::string, std::string> drafts_;
    std::map<std::int64_t, int> spools_;  // store job -> CUPS job, for jobs this station follows
    std::optional<FontAtlas> atlas_;
    SDL_Renderer* renderer_ = nullptr;
    RareText* rare_ = nullptr;
    UiFonts fonts_;
    Clock::time_point last_input_, last_tick_, queue_loaded_ = Clock::now();
    int idle_offset_s_ = 0;
    int w_ = 0, h_ = 0;  // the renderer's output in pixels
    float em_ = 20.0f;
    int frames_ = 3;     // draw a few frames after any change so ImGui settles
    int frame_ = 0;
    std::int64_t shown_second_ = -1;
    bool locked_now_ = false;
    bool unfinished_checked_ = false;
#if KAKANAI_TEST_HOOKS
    std::unique_ptr<cardreader::VirtualCard> virtual_card_;  // scripted runs: `card PROFILE`
    std::optional<Script> script_;
    std::string pending_tap_;
    std::string last_seeded_;
    Clock::time_point script_deadline_;
#endif
};

}  // namespace

}  // namespace kakanai::kiosk::staff

int main(int argc, char** argv) {
    using namespace kakanai::kiosk;
    try {
        // (--staff, which once chose this station inside kakanai-kiosk, changes nothing here.)
        staff::Station station(parse_options(argc, argv));
        return station.run();
    } catch (const std::exception& e) {
        std::fprintf(stderr, "kakanai-staff: %s\n", e.what());
        return 2;
    }
}
