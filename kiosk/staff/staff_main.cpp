// kakanai-staff: the counter staff station. Sections: 1. fonts (font_atlas.hpp)
// 2. scripted runs (script.hpp)  3. the station: loop, idle lock; the commands
// run on the desk's worker thread (staff_desk.hpp) and come back as Events.
#include <SDL.h>
#include <imgui.h>
#include <backends/imgui_impl_sdl.h>
#include <backends/imgui_impl_sdlrenderer.h>
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <deque>
#include <fstream>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "kakanai/cardreader/bytes.hpp"
#include "kakanai/base/build_options.hpp"
#include "kakanai/base/wipe.hpp"
#include "kakanai/cardreader/authenticity.hpp"
#include "kakanai/cardreader/card_info.hpp"
#if KAKANAI_TEST_HOOKS
#include "kakanai/virtualcard/virtual_card.hpp"
#include "delayed_desk_store.hpp"
#endif
#include "kakanai/forms/prefill.hpp"
#include "kakanai/forms/wareki.hpp"
#include "application_record.hpp"
#include "chime.hpp"
#include "staff_desk.hpp"
#include "event_queue.hpp"
#include "font_atlas.hpp"
#include "inbox.hpp"
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

// The household rows' words (a group's label, its fields and choices) the station
// shows beside a member's value and on manual entry.
std::string group_text(const forms::Catalogue& c) {
    std::string out;
    for (const auto* t : c.templates())
        for (const auto& g : t->groups) {
            out += g.label.ja + g.label.en;
            for (const auto& f : g.fields) {
                out += f.label.ja + f.label.en;
                for (const auto& ch : f.choices) out += ch.label.ja + ch.label.en;
            }
        }
    return out;
}

// ---- 2. Scripted runs (tests/ui/scripts/staff_*.script): the steps are in script.hpp.

// ---- 3. The station.

class Station {
public:
    explicit Station(Options o) : opt_(std::move(o)), strings_(opt_.assets / "i18n", town_folder(opt_, "i18n")) {
        if (!std::filesystem::is_regular_file(opt_.font))
            throw std::runtime_error("font file missing: " + opt_.font.string() +
                                     " (install the Debian package fonts-ipaexfont-gothic)");
        catalogue_ = forms::Catalogue::load(opt_.assets / "forms", forms::today_iso(), town_folder(opt_, "forms"));
        for (const auto& p : catalogue_.problems())
            std::fprintf(stderr, "kakanai-staff: form template skipped: %s\n", p.to_string().c_str());
        std::error_code ec;
        std::filesystem::create_directories(opt_.data_dir, ec);
        ::chmod(opt_.data_dir.c_str(), 0700);
        // [card] ca_key: the print-time card read checks the card's certificate against the issuing CA.
        if (!opt_.ca_key.empty())
            ca_key_ = std::make_shared<const cardreader::CaPublicKey>(cardreader::CaPublicKey::from_pem_file(opt_.ca_key));
        start_desk();
        state_.settings.staff_ids = opt_.staff_ids;
        state_.settings.lock_after_s = opt_.staff_lock_after_s;
        state_.settings.printers = opt_.staff_printers;
        if (state_.settings.printers.empty()) state_.settings.printers = {opt_.printer.empty() ? "folder" : opt_.printer};
        if (state_.settings.staff_ids.empty())
            std::fprintf(stderr, "kakanai-staff: no [staff] ids in the settings: nobody can log in\n");
        language_ = opt_.language == "en" ? "en" : "ja";
#if KAKANAI_TEST_HOOKS
        if (opt_.script) {
            script_ = Script::load(*opt_.script, ScriptFor::Staff);
            layout_check_.emplace();  // every frame of a scripted run (layout_check.hpp)
            set_layout_check(&*layout_check_);
        }
#endif
    }

    int run() {
        Uint32 flags = SDL_WINDOW_ALLOW_HIGHDPI;
        const bool automated = opt_.screenshot || opt_.script;
        if (opt_.fullscreen && !automated) flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
        Display display;
        // A benchmark measures what a frame costs, not the wait for the display's refresh.
        if (!open_ui("kakanai-staff", "kakanai staff", opt_.width, opt_.height, flags, opt_.renderer, !opt_.bench_report,
                     &display))
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
        // Quitting: what is queued is dropped and the running command finishes. (An
        // application still open stays taken, as before: its lease frees it.)
        desk_->drop_queued();
        desk_.reset();
        for (auto& e : inbox_.take()) forget(e);
        wipe_drafts();
        lock(state_);
#if KAKANAI_TEST_HOOKS
        if (opt_.bench_report && !write_bench()) rc = rc ? rc : 1;
#endif
        chime_.close();
        close_ui(display);
        renderer_ = nullptr;
        return rc;
    }

private:
    // The desk gets the store's narrow roles: DeskStore, and KioskStore's submit for manual entry.
    void start_desk() {
        std::shared_ptr<store::Store> full = open();
        std::shared_ptr<store::DeskStore> desk_store = full;
#if KAKANAI_TEST_HOOKS
        // Benchmark: every store call of the desk waits, like a slow database server.
        if (const char* d = std::getenv("KAKANAI_BENCH_STORE_DELAY_MS"); d && std::atoi(d) > 0) {
            std::fprintf(stderr, "kakanai-staff: every store call waits %d ms (benchmark)\n", std::atoi(d));
            desk_store = std::make_shared<DelayedDeskStore>(desk_store, std::chrono::milliseconds(std::atoi(d)));
        }
#endif
        DeskConfig config{opt_.output_dir, opt_.station, opt_.reader_filter, ca_key_};
        if (opt_.config) config.counters = forms::load_guide_counters(*opt_.config);  // the guide slip's counters
        config.guide_texts = std::make_shared<const printing::GuideTexts>(opt_.assets / "i18n", town_folder(opt_, "i18n"));
        desk_ = std::make_unique<Desk>(desk_store, std::shared_ptr<store::KioskStore>(full), catalogue_, config,
                                       [this](Event e) { inbox_.post(std::move(e)); });
        desk_->run(cmd::CheckStation{}, DeskContext{});  // a station locked before a restart stays locked
    }

    // A desk answer that arrived after the loop ended: its personal values go.
    static void forget(Event& e) {
        if (auto* o = std::get_if<ev::Opened>(&e))
            for (auto& f : o->app.fields) base::wipe_string(f.value);
    }

    std::unique_ptr<store::Store> open(std::function<std::int64_t()> clock = {}) {
        // The staff side opens applications: it needs the private key (docs/store.md, "Keys").
        store::StoreConfig c = opt_.store_config ? store::load_store_config(*opt_.store_config)
                                                 : store::sqlite_store_config(opt_.data_dir);
        c.clock = std::move(clock);
        return store::open_store(c);
    }

    static float em_for(int w, int h) { return std::max(16.0f, std::min(static_cast<float>(w) / 64.0f, static_cast<float>(h) / 40.0f)); }

    std::vector<FontAtlas::Face> faces() const { return {FontAtlas::Face{em_ * 0.85f}, FontAtlas::Face{em_ * 1.1f}}; }

    void use_fonts(const std::vector<ImFont*>& f) {
        fonts_.em = em_;
        fonts_.body = f[0];
        fonts_.title = f[1];
    }

    void build_fonts() { use_fonts(atlas_->build(renderer_, faces())); }

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
                                      catalogue_text(catalogue_) + group_text(catalogue_));
        build_fonts();
        last_input_ = Clock::now();
        last_tick_ = Clock::now();
#if KAKANAI_TEST_HOOKS
        script_deadline_ = Clock::now() + std::chrono::seconds(20);
#endif
        for (;;) {
            if (const auto rc = poll_input()) return *rc;
            // A frame's work starts here, after the wait for input.
            const auto started = Clock::now();
#if KAKANAI_TEST_HOOKS
            const double cpu_started = thread_cpu_ms();
#endif
            take_desk_answers();
            tick();
            forget_after_lock();
            const bool rebuilt = rebuild_glyphs();
            if (frames_ <= 0 && !scripted()) continue;
            UiRequests req = draw_frame();
#if KAKANAI_TEST_HOOKS
            const auto hooks_started = Clock::now();
            const double hooks_cpu_started = thread_cpu_ms();
            if (const auto rc = test_hooks_after_draw(req)) return *rc;
            const auto in_hooks = Clock::now() - hooks_started;  // screenshots and script steps: not the station's work
            const double in_hooks_cpu = thread_cpu_ms() - hooks_cpu_started;
#endif
            SDL_RenderPresent(renderer_);
            apply_requests(req);
#if KAKANAI_TEST_HOOKS
            bench_frame(Clock::now() - started - in_hooks, thread_cpu_ms() - cpu_started - in_hooks_cpu, rebuilt);
#else
            (void)started;
            (void)rebuilt;
#endif
        }
    }

    // The desk's answers, one transition each. An answer that brings characters the
    // atlas lacks (a resident's name, an address) waits until the new glyphs are
    // rasterised on the atlas's worker: the screen keeps drawing meanwhile, and
    // never shows a value as "?".
    void take_desk_answers() {
        for (auto& e : inbox_.take()) waiting_.push_back(std::move(e));
        if (waiting_.empty() || atlas_->building()) return;
        std::string text;
        for (const auto& e : waiting_) text += event_text(e);
        if (atlas_->add_text(text)) return atlas_->start_build(faces());
        for (auto& e : std::exchange(waiting_, {})) handle(std::move(e));
        redraw();
    }

    // What an answer of the desk will put on screen (values as shown included).
    std::string event_text(const Event& e) const {
        std::string out;
        if (const auto* o = std::get_if<ev::Opened>(&e)) {
            out += o->app.id + o->app.station;
            const forms::Template* t = catalogue_.find(o->app.template_id);
            for (const auto& f : o->app.fields) {
                out += f.value;
                if (const forms::Field* field = t ? t->field(f.id) : nullptr) out += forms::display_value(*field, f.value);
            }
        } else if (const auto* q = std::get_if<ev::QueueLoaded>(&e)) {
            for (const auto& entry : q->queue) out += entry.app.id + entry.app.station + entry.app.taken_by;
            for (const auto& j : q->unfinished) out += j.application_id + j.printer;
        } else if (const auto* p = std::get_if<ev::PrintUpdate>(&e)) {
            out += p->reason + p->job.printer;
        } else if (const auto* f = std::get_if<ev::Failed>(&e)) {
            out += f->detail;
        } else if (const auto* c = std::get_if<ev::CallsLoaded>(&e)) {
            for (const auto& call : c->calls) out += call.kiosk;
        }
        return out;
    }

    bool working() const { return state_.checking || state_.print.busy; }

    // Sleeps until something happens (a second at most: the clock); an exit code when the window is closed.
    std::optional<int> poll_input() {
        SDL_Event e;
        // While the desk works the dots turn: a few frames a second, never a busy loop.
        const int wait_ms = atlas_->building() ? 5 : working() ? 250 : 1000;
        const bool got = frames_ > 0 || scripted() ? SDL_PollEvent(&e) : SDL_WaitEventTimeout(&e, wait_ms);
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
        // A refresh is asked for only when the previous one is over: a slow store never piles them up.
        // Locked or not: calls from the kiosks and the held application's lease need it.
        if (Clock::now() - last_tick_ >= std::chrono::seconds(2) && !desk_->refreshing()) {
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
        if (working()) {
            const int phase = spinner_phase();
            if (phase != shown_phase_) {
                shown_phase_ = phase;
                redraw(1);
            }
        }
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

    int spinner_phase() const {
        return static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started_).count() / 250);
    }

    bool rebuild_glyphs() {
        if (const auto fonts = atlas_->finish_build(renderer_)) {
            use_fonts(*fonts);
            take_desk_answers();  // the answers that waited for these glyphs
            redraw();
            return true;
        }
        if (atlas_->building()) return false;
        // Typed text: the few new characters of a keystroke are rasterised at once.
        if (atlas_->add_text(dynamic_text(state_, drafts_) + display_text())) {
            build_fonts();
            redraw();
            return true;
        }
        return false;
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
        ctx.spinner = spinner_phase();
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
        if (layout_check_ && !report_layout_problems(*layout_check_, "kakanai-staff")) return fail("the layout check failed");
        // KAKANAI_TEST_BUSY_SHOT=FILE: the first frame drawn while a print is under way, to look at the waiting state.
        if (state_.print.busy && !busy_shot_taken_) {
            busy_shot_taken_ = true;
            if (const char* f = std::getenv("KAKANAI_TEST_BUSY_SHOT")) save_screenshot("kakanai-staff", renderer_, f, w_, h_);
        }
        if (opt_.screenshot && frame_ == 3) return save_screenshot("kakanai-staff", renderer_, *opt_.screenshot, w_, h_) ? 0 : 1;
        last_texts_ = req.texts;
        if (!pending_tap_.empty()) {
            if (std::find(req.taps.begin(), req.taps.end(), pending_tap_) == req.taps.end()) {
                std::string shown;
                for (const auto& b : req.buttons) shown += " " + b;
                return fail("no button " + pending_tap_ + " on screen " + to_string(state_.screen) + " (buttons:" + shown + ")");
            }
            pending_tap_.clear();
        }
        if (!script_ || frames_ > 0) return std::nullopt;
        // The next step once the desk has answered (as the resident's scripts wait for the card worker).
        if (!desk_->idle() || !inbox_.empty() || !waiting_.empty() || atlas_->building()) {
            if (Clock::now() > script_deadline_) return fail("the desk did not finish in time");
            SDL_Delay(5);
            return std::nullopt;
        }
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
            if (verb == "staff-code") script_store().set_staff_code(arg(0), arg(1), "script");
            else if (verb == "seed") seed(script_->path(arg(0)), arg(1), step.number, {step.args.begin() + 3, step.args.end()});
            else if (verb == "seed-visit")
                seed_visit(script_->path(arg(0)), step.number, arg(2), {step.args.begin() + 3, step.args.end()});
            else if (verb == "interrupt-last") interrupt_last(arg(0));
            else if (verb == "card") desk_->use_virtual_card(script_->path(arg(0)));
            else if (verb == "tap") pending_tap_ = step.arg;
            else if (verb == "type") drafts_[arg(0)] = arg(1) == "@last" ? last_seeded_ : arg(1);
            else if (verb == "time") idle_offset_s_ += step.number;
            else if (verb == "wait") {
                // The station keeps drawing (and refreshing) while a script waits.
                if (!wait_until_) {
                    wait_until_ = Clock::now() + std::chrono::milliseconds(step.number);
                    // The desk's refreshes go on meanwhile: the step's time limit starts after the wait.
                    script_deadline_ = *wait_until_ + std::chrono::seconds(20);
                }
                if (Clock::now() < *wait_until_) {
                    --script_->at;
                    return -2;
                }
                wait_until_.reset();
            }
            else if (verb == "shot") {
                const auto file = opt_.screenshots_dir / (step.arg + ".png");
                if (!save_screenshot("kakanai-staff", renderer_, file, w_, h_)) return fail("cannot write " + file.string());
            } else if (verb == "expect") {
                if (step.arg != to_string(state_.screen))
                    return retry_until_deadline("expected screen " + step.arg + ", found " + to_string(state_.screen));
            } else if (verb == "expect-calls") {
                // The calls come from other programs (kiosks starting up): a minute, not the step's 20 s.
                if (static_cast<std::int64_t>(state_.calls.size()) != step.number) {
                    if (!wait_until_) script_deadline_ = *(wait_until_ = Clock::now() + std::chrono::seconds(60));
                    if (Clock::now() <= *wait_until_) {
                        --script_->at;
                        return -2;
                    }
                    return fail("expected " + step.arg + " calls, found " + std::to_string(state_.calls.size()));
                }
                wait_until_.reset();
            } else if (verb == "expect-text") {
                if (!last_texts_.count(step.arg))
                    return retry_until_deadline("expected text " + step.arg + " on screen " + to_string(state_.screen));
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
        store::Application app = seeded(profile, template_id, pairs);
        const std::int64_t then = static_cast<std::int64_t>(std::time(nullptr)) - age;
        script_store();  // the first connection creates the key of a new store
        auto aged = open([then] { return then; });
        last_seeded_ = aged->submit(std::move(app));
    }

    // A resident's visit of several forms under one number, as the kiosk stores it.
    // A form id may be followed by household members, as the kiosk adds them:
    // "member:card:NAME:KANA:BIRTH:SEX:RELATIONSHIP" (read from the member's own card) or
    // "member:nocard::::BIRTH:SEX:RELATIONSHIP" (no card: the name is left for staff); "_" is a space.
    // FIELD=VALUE answers every form of the visit (as seed's pairs).
    void seed_visit(const std::filesystem::path& profile, std::int64_t age, const std::string& language,
                    const std::vector<std::string>& template_ids) {
        std::vector<store::Application> apps;
        forms::Household household;
        std::vector<std::string> pairs;
        for (const auto& id : template_ids)
            if (id.rfind("member:", 0) == 0) household.push_back(seeded_member(id));
            else if (id.find('=') != std::string::npos) pairs.push_back(id);
        for (const auto& id : template_ids)
            if (id.rfind("member:", 0) != 0 && id.find('=') == std::string::npos)
                apps.push_back(seeded(profile, id, pairs, household));
        forms::wipe(household);
        const std::int64_t then = static_cast<std::int64_t>(std::time(nullptr)) - age;
        script_store();
        auto aged = open([then] { return then; });
        const store::Visit v = aged->submit_visit(std::move(apps), language);
        last_seeded_ = v.application_ids.back();
        std::fprintf(stderr, "kakanai-staff: seeded visit %s %s with %zu forms\n", v.day.c_str(), v.label().c_str(),
                     v.application_ids.size());
    }

    static forms::Member seeded_member(const std::string& spec) {
        std::vector<std::string> parts;
        for (std::size_t at = 0;;) {
            const auto colon = spec.find(':', at);
            std::string part = spec.substr(at, colon == std::string::npos ? std::string::npos : colon - at);
            std::replace(part.begin(), part.end(), '_', ' ');
            parts.push_back(std::move(part));
            if (colon == std::string::npos) break;
            at = colon + 1;
        }
        if (parts.size() != 7 || (parts[1] != "card" && parts[1] != "nocard"))
            throw std::runtime_error("a member is member:card|nocard:NAME:KANA:BIRTH:SEX:RELATIONSHIP, not " + spec);
        forms::Member m;
        m.read_from_card = parts[1] == "card";
        m.name = parts[2];
        m.kana = parts[3];
        m.birth_date = parts[4];
        m.sex = parts[5];
        m.relationship = parts[6];
        return m;
    }

    store::Application seeded(const std::filesystem::path& profile, const std::string& template_id,
                              const std::vector<std::string>& pairs, const forms::Household& household = {}) {
        const forms::Template* t = catalogue_.find(template_id);
        if (!t) throw std::runtime_error("no form " + template_id);
        const auto p = virtualcard::CardProfile::load(profile);
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
            if (v == "@today") v = forms::today_iso();     // a date that stays in a form's range
            answers[kv.substr(0, eq)] = v;
        }
        // Card-read: the card's files checked as the kiosk checks them (with this station's [card] ca_key).
        std::string authenticity;
        if (!manual) {
            const virtualcard::VirtualCard vcard(p);
            const auto check = cardreader::check_authenticity(vcard.ef_basic4(), {}, vcard.ef_signature(),
                                                              vcard.ef_certificate(), ca_key_.get());
            if (!cardreader::accepted(check.result))
                throw std::runtime_error(std::string("the kiosk refuses this card: ") + cardreader::to_string(check.result));
            authenticity = cardreader::to_string(check.result);
        }
        // The same fill as the kiosk's (ApplicationMaker::fill): the household becomes the group's rows.
        forms::FilledForm form = forms::prefill(*t, card, answers, forms::today_iso(), {}, household);
        store::Application app = to_application(*t, form, manual ? "counter-2" : "kiosk-1",
                                                manual ? Entry::Staff : Entry::Card, authenticity);
        form.wipe();
        card.wipe();
        return app;
    }

    void interrupt_last(const std::string& printer) {
        store::Store& s = script_store();
        s.confirm(last_seeded_, "script");
        const store::PrintJob job = s.begin_print(last_seeded_, "script", printer);
        s.print_sent(job.id, "");
    }

    // Seeding steps have their own connection to the store (the desk's is on its thread).
    store::Store& script_store() {
        if (!script_store_) script_store_ = open();
        return *script_store_;
    }

    // CPU time of the UI thread: tells a frame that worked long from one the system preempted.
    static double thread_cpu_ms() {
        timespec ts{};
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
        return static_cast<double>(ts.tv_sec) * 1000.0 + static_cast<double>(ts.tv_nsec) / 1e6;
    }

    void bench_frame(Clock::duration took, double cpu_ms, bool rebuilt) {
        if (!opt_.bench_report) return;
        const double ms = std::chrono::duration<double, std::milli>(took).count();
        if (!first_frame_done_) {  // the start (glyph atlas, window): reported on its own
            first_frame_ms_ = ms;
            first_frame_done_ = true;
            return;
        }
        frame_ms_.push_back(ms);
        if (ms > 50) ++frames_over_50_;
        if (!rebuilt) max_steady_cpu_ms_ = std::max(max_steady_cpu_ms_, cpu_ms);
        if (!rebuilt) max_steady_ms_ = std::max(max_steady_ms_, ms);  // frames that did not build new glyphs
        if (ms > max_frame_ms_) {
            max_frame_ms_ = ms;
            max_frame_screen_ = to_string(state_.screen);
            max_frame_rebuilt_ = rebuilt;
        }
        if (rebuilt) ++atlas_rebuilds_;
    }

    // The longest frame and a few facts around it, as JSON (--bench-report).
    bool write_bench() const {
        std::vector<double> ms = frame_ms_;
        std::sort(ms.begin(), ms.end());
        auto pct = [&](double p) { return ms.empty() ? 0.0 : ms[std::min(ms.size() - 1, static_cast<std::size_t>(p * static_cast<double>(ms.size())))]; };
        const nlohmann::json report{
            {"max_frame_ms", max_frame_ms_},
            {"max_frame_screen", max_frame_screen_},
            {"max_frame_atlas_rebuilt", max_frame_rebuilt_},
            {"first_frame_ms", first_frame_ms_},
            {"frame_p50_ms", pct(0.5)},
            {"frame_p99_ms", pct(0.99)},
            {"frames", ms.size()},
            {"atlas_rebuilds", atlas_rebuilds_},
            {"max_frame_without_atlas_ms", max_steady_ms_},
            {"max_frame_without_atlas_cpu_ms", max_steady_cpu_ms_},
            {"frames_over_50ms", frames_over_50_},
        };
        std::ofstream out(*opt_.bench_report);
        out << report.dump() << "\n";
        return static_cast<bool>(out);
    }

#endif

    // A call newer than any seen before rings once, whatever the screen.
    void ring_for_new_calls() {
        std::int64_t newest = 0;
        for (const auto& c : state_.calls) newest = std::max(newest, c.id);
        if (newest <= rung_up_to_) return;
        rung_up_to_ = newest;
        const bool sounded = chime_.play();
        std::fprintf(stderr, "kakanai-staff: call from a kiosk%s\n", sounded ? " (tone played)" : "");
        redraw();
    }

    void wipe_drafts() {
        for (auto& [k, v] : drafts_) base::secure_zero(v.data(), v.size());
        drafts_.clear();
    }


    void handle(Event e) {
        pending_.post(std::move(e));
        pending_.run([this](Event& ev) { step(ev); });
    }

    // One transition and its commands; events the commands answer with are posted.
    void step(Event& ev) {
        const Screen before = state_.screen;
        const std::string staff_before = state_.staff;
        Transition t = next(std::move(state_), ev);
        state_ = std::move(t.state);
        if (t.ignored && !std::holds_alternative<ev::Idle>(ev) && !std::holds_alternative<ev::Tick>(ev))
            std::fprintf(stderr, "kakanai-staff: ignored %s on %s\n", event_name(ev), to_string(state_.screen));
        if (auto* card = std::get_if<ev::CardPrint>(&ev)) {
            base::secure_zero(card->pin.data(), card->pin.size());
            auto& pin = drafts_["card.pin"];
            base::secure_zero(pin.data(), pin.size());
            pin.clear();
        }
        if (auto* submit = std::get_if<ev::LoginSubmit>(&ev)) {
            base::secure_zero(submit->code.data(), submit->code.size());
            auto& code = drafts_["login.code"];
            base::secure_zero(code.data(), code.size());
            code.clear();
        }
        const bool locked = state_.screen == Screen::Login && before != Screen::Login;
        if (locked) {
            locked_now_ = true;
            // What staff asked for before the lock must not run after it.
            desk_->drop_queued();
            std::fprintf(stderr, "kakanai-staff: station locked\n");
        }
        if (std::holds_alternative<ev::QueueLoaded>(ev)) queue_loaded_ = Clock::now();
        if (std::holds_alternative<ev::CallsLoaded>(ev)) ring_for_new_calls();
        // Typed text belongs to one screen and one application.
        if (before != state_.screen && (state_.screen == Screen::Review || state_.screen == Screen::Queue)) {
            for (const char* k : {"correct.value", "reason", "note"}) {
                auto& v = drafts_[k];
                base::secure_zero(v.data(), v.size());
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
                    base::secure_zero(it->second.data(), it->second.size());
                    it = drafts_.erase(it);
                } else {
                    ++it;
                }
            }
        }
        // The commands go to the desk with what they need of this state; the copies
        // here (a PIN, a login code, typed values) are wiped at once.
        DeskContext context = DeskContext::of(state_);
        if (context.staff.empty()) context.staff = staff_before;  // the lock's own release
        for (auto& c : t.commands) {
            desk_->run(c, context);
            wipe(c);
        }
        if (locked) desk_->lock();  // then the application the desk still holds goes back
    }

    Options opt_;
    Strings strings_;
    std::string language_ = "ja";
    forms::Catalogue catalogue_;
    std::shared_ptr<const cardreader::CaPublicKey> ca_key_;  // [card] ca_key, may be null
    Inbox<Event> inbox_;
    std::vector<Event> waiting_;  // answers waiting for their glyphs
    std::unique_ptr<Desk> desk_;  // after inbox_: stopped before it goes
    State state_;
    EventQueue<Event> pending_;  // run one transition at a time
    std::map<std::string, std::string> drafts_;
    std::optional<FontAtlas> atlas_;
    SDL_Renderer* renderer_ = nullptr;
    RareText* rare_ = nullptr;
    UiFonts fonts_;
    Clock::time_point last_input_, last_tick_, queue_loaded_ = Clock::now(), started_ = Clock::now();
    int shown_phase_ = -1;
    int idle_offset_s_ = 0;
    int w_ = 0, h_ = 0;  // the renderer's output in pixels
    float em_ = 20.0f;
    int frames_ = 3;     // draw a few frames after any change so ImGui settles
    int frame_ = 0;
    std::int64_t shown_second_ = -1;
    bool locked_now_ = false;
    Chime chime_;
    std::int64_t rung_up_to_ = 0;  // the newest call the tone was played for
#if KAKANAI_TEST_HOOKS
    std::unique_ptr<store::Store> script_store_;  // seeding steps only
    std::set<std::string> last_texts_;            // notices drawn in the last frame (expect-text)
    std::optional<Clock::time_point> wait_until_;  // a `wait` step under way
    std::vector<double> frame_ms_;
    double first_frame_ms_ = 0, max_frame_ms_ = 0, max_steady_ms_ = 0, max_steady_cpu_ms_ = 0;
    int frames_over_50_ = 0;
    std::string max_frame_screen_;
    bool max_frame_rebuilt_ = false;
    bool first_frame_done_ = false;
    bool busy_shot_taken_ = false;
    int atlas_rebuilds_ = 0;
    std::optional<Script> script_;
    std::optional<LayoutCheck> layout_check_;
    std::string pending_tap_;
    std::string last_seeded_;
    Clock::time_point script_deadline_;
#endif
};

}  // namespace

}  // namespace kakanai::kiosk::staff

int main(int argc, char** argv) {
    using namespace kakanai::kiosk;
    ::umask(077);  // every file and folder we create (store, PDFs, screenshots) is ours alone
    try {
        // (--staff, which once chose this station inside kakanai-kiosk, changes nothing here.)
        staff::Station station(parse_options(argc, argv));
        return station.run();
    } catch (const std::exception& e) {
        std::fprintf(stderr, "kakanai-staff: %s\n", e.what());
        return 2;
    }
}
