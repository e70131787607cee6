// `kakanai-kiosk --staff`: the counter staff station. Sections: 1. window and
// fonts  2. scripted runs  3. the station: loop, commands against the store and
// the printing library, idle lock.
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

#include "kakanai/base/build_options.hpp"
#include "kakanai/base/wipe.hpp"
#include "kakanai/cardreader/card_info.hpp"
#include "kakanai/cardreader/mynumber.hpp"
#include "kakanai/cardreader/pcsc.hpp"
#if KAKANAI_TEST_HOOKS
#include "kakanai/virtualcard/virtual_card.hpp"
#endif
#include "kakanai/forms/prefill.hpp"
#include "kakanai/forms/wareki.hpp"
#include "kakanai/printing/cups.hpp"
#include "kakanai/printing/pdf.hpp"
#include "rare_text.hpp"
#include "renderer.hpp"
#include "staff_ui.hpp"

namespace kakanai::kiosk::staff {
namespace {
using Clock = std::chrono::steady_clock;

// ---- 1. Fonts hold only the characters in use; new characters (a value, a
// typed reason) trigger a rebuild.
class Glyphs {
public:
    bool add(const std::string& s) {
        ImVector<ImWchar> tmp;
        ImFontGlyphRangesBuilder b;
        b.AddText(s.c_str());
        b.BuildRanges(&tmp);
        const std::size_t before = chars_.size();
        for (int i = 0; i + 1 < tmp.Size; i += 2)
            for (unsigned c = tmp[i]; c <= tmp[i + 1]; ++c) chars_.insert(static_cast<ImWchar>(c));
        return chars_.size() != before;
    }
    UiFonts build(const std::filesystem::path& file, float em) {
        ImGuiIO& io = ImGui::GetIO();
        io.Fonts->Clear();
        ImFontGlyphRangesBuilder b;
        b.AddRanges(io.Fonts->GetGlyphRangesDefault());
        for (ImWchar c : chars_) b.AddChar(c);
        ranges_.clear();
        b.BuildRanges(&ranges_);
        ImFontConfig cfg;
        cfg.OversampleH = 1;
        UiFonts f;
        f.em = em;
        f.body = io.Fonts->AddFontFromFileTTF(file.c_str(), em * 0.85f, &cfg, ranges_.Data);
        f.title = io.Fonts->AddFontFromFileTTF(file.c_str(), em * 1.1f, &cfg, ranges_.Data);
        if (!f.body || !f.title) throw std::runtime_error("cannot load font " + file.string());
        io.Fonts->Build();
        ImGui_ImplSDLRenderer_DestroyFontsTexture();
        ImGui_ImplSDLRenderer_CreateFontsTexture();
        io.Fonts->ClearTexData();
        return f;
    }

private:
    std::set<ImWchar> chars_;
    ImVector<ImWchar> ranges_;
};

// ---- 2. A scripted run (tests/ui/scripts/staff_*.script), one step per line:
//   staff-code NAME CODE         set a login code (what `kakanai-report staff-code` does)
//   seed PROFILE FORM AGE [k=v] [manual]  submit an application read from a virtual-card profile AGE
//                                seconds ago ("_" in a value is a space; manual: typed by staff, no card)
//   interrupt-last PRINTER       the last seeded one: confirmed, sent to PRINTER, and the station "died"
//   card PROFILE                 an in-process virtual card on the reader (for forms that print the 個人番号)
//   tap ID | type ID TEXT        press a button / fill an input (TEXT "@last": the last seeded number)
//   time SECONDS | wait MS       idle time passes (lock) / real time passes
//   shot NAME | expect SCREEN | expect-print STATUS (sent, done, failed)
struct Script {
    std::vector<std::vector<std::string>> steps;
    std::size_t at = 0;
    std::filesystem::path dir;

    static Script load(const std::filesystem::path& file) {
        std::ifstream in(file);
        if (!in) throw std::runtime_error("cannot read script " + file.string());
        Script s;
        s.dir = file.parent_path();
        std::string line;
        while (std::getline(in, line)) {
            while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.pop_back();
            if (line.empty() || line[0] == '#') continue;
            std::istringstream ls(line);
            std::vector<std::string> words;
            std::string verb, a;
            ls >> verb;
            words.push_back(verb);
            // `type ID TEXT`: the text is the rest of the line, spaces included.
            if (verb == "type") {
                ls >> a;
                words.push_back(a);
                std::getline(ls >> std::ws, a);
                words.push_back(a);
            } else {
                while (ls >> a) words.push_back(a);
            }
            s.steps.push_back(std::move(words));
        }
        return s;
    }
    bool done() const { return at >= steps.size(); }
};

// ---- 3. The station.
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
        if (opt_.script) script_ = Script::load(*opt_.script);
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

    int loop() {
        int w = 0, h = 0;
        SDL_GetRendererOutputSize(renderer_, &w, &h);
        const float em = em_for(w, h);
        glyphs_.add("●○▶✓×・—−+*#:;()0123456789-/ 明治大正昭和平成令和元年月日男女レ" + strings_.all_text() + catalogue_text(catalogue_));
        fonts_ = glyphs_.build(opt_.font, em);
        int frames = 3;
        last_input_ = Clock::now();
        last_tick_ = Clock::now();
        script_deadline_ = Clock::now() + std::chrono::seconds(20);
        std::int64_t shown_second = -1;
        for (;;) {
            SDL_Event e;
            const bool got = frames > 0 || script_ ? SDL_PollEvent(&e) : SDL_WaitEventTimeout(&e, 1000);
            if (got) {
                do {
                    ImGui_ImplSDL2_ProcessEvent(&e);
                    if (e.type == SDL_QUIT) return 0;
                    if (e.type == SDL_MOUSEBUTTONDOWN || e.type == SDL_KEYDOWN || e.type == SDL_TEXTINPUT ||
                        e.type == SDL_MOUSEWHEEL)
                        touched();
                } while (SDL_PollEvent(&e));
                frames = std::max(frames, 3);
            }
            // The clock: refresh the queue, follow a print, lock when nobody works here.
            if (!state_.staff.empty() && Clock::now() - last_tick_ >= std::chrono::seconds(2)) {
                last_tick_ = Clock::now();
                handle(ev::Tick{});
                frames = std::max(frames, 1);
            }
            const int idle = static_cast<int>(std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - last_input_).count()) +
                             idle_offset_s_;
            if (state_.screen != Screen::Login && idle >= state_.settings.lock_after_s) {
                handle(ev::Idle{idle});
                frames = 3;
            }
            // Waiting times count on screen once a second, not faster.
            const std::int64_t second = std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - queue_loaded_).count();
            if (state_.screen == Screen::Queue && second != shown_second) {
                shown_second = second;
                frames = std::max(frames, 1);
            }
            if (!state_.holds_personal_data() && !rare_->empty()) rare_->clear();  // images of names
            if (state_.screen == Screen::Login && state_.staff.empty() && !drafts_.empty() && locked_now_) {
                wipe_drafts();
                locked_now_ = false;
            }
            if (glyphs_.add(dynamic_text(state_, drafts_) + display_text())) {
                fonts_ = glyphs_.build(opt_.font, em);
                frames = 3;
            }
            if (frames <= 0 && !script_) continue;

            strings_.set_language(language_);
            UiContext ctx;
            ctx.text = &strings_;
            ctx.fonts = fonts_;
            ctx.catalogue = &catalogue_;
            ctx.station = opt_.station;
            ctx.drafts = &drafts_;
            ctx.queue_age_s = script_ ? 0 : second;  // scripted screenshots show the seeded ages exactly
            ctx.now = static_cast<std::int64_t>(std::time(nullptr));
            if (!pending_tap_.empty()) ctx.scripted_tap = pending_tap_;
            ctx.rare_text = [this](const std::string& s, float px, unsigned rgba, RareImage* out) {
                return rare_->get(s, px, rgba, out);
            };
            ImGui_ImplSDLRenderer_NewFrame();
            ImGui_ImplSDL2_NewFrame();
            ImGui::NewFrame();
            UiRequests req = draw(state_, ctx);
            ImGui::Render();
            SDL_SetRenderDrawColor(renderer_, 255, 255, 255, 255);  // the staff palette's paper
            SDL_RenderClear(renderer_);
            ImGui_ImplSDLRenderer_RenderDrawData(ImGui::GetDrawData());
            --frames;
            ++frame_;
            if (opt_.screenshot && frame_ == 3) {
                const bool ok = save_screenshot("kakanai-staff", renderer_, *opt_.screenshot, w, h);
                return ok ? 0 : 1;
            }
            if (!pending_tap_.empty()) {
                if (std::find(req.taps.begin(), req.taps.end(), pending_tap_) == req.taps.end()) {
                    std::string shown;
                    for (const auto& b : req.buttons) shown += " " + b;
                    return fail("no button " + pending_tap_ + " on screen " + to_string(state_.screen) + " (buttons:" + shown + ")");
                }
                pending_tap_.clear();
            }
            if (script_ && frames <= 0) {
                if (script_->done()) {
                    std::fprintf(stderr, "kakanai-staff: script done\n");
                    return 0;
                }
                const int rc = script_step(w, h);
                if (rc >= 0) return rc;
                if (rc == -1) {
                    frames = 3;
                    script_deadline_ = Clock::now() + std::chrono::seconds(20);
                } else {
                    SDL_Delay(20);
                }
            }
            SDL_RenderPresent(renderer_);
            if (!req.language.empty()) {
                language_ = req.language;
                frames = 3;
            }
            if (!req.taps.empty()) touched();
            for (auto& ev : req.events) handle(std::move(ev));
            if (!req.events.empty()) frames = 3;
        }
    }

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

    int fail(const std::string& why) {
        std::fprintf(stderr, "kakanai-staff: script line %zu: %s\n", script_ ? script_->at : 0, why.c_str());
        return 1;
    }

    // Returns -1 for the next step, -2 to retry this one, or an exit code.
    int script_step(int w, int h) {
        const auto words = script_->steps[script_->at++];
        const std::string& verb = words[0];
        auto arg = [&](std::size_t i) { return i < words.size() ? words[i] : std::string(); };
        [[maybe_unused]] auto path = [&](const std::string& p) {  // unused without test hooks
            const std::filesystem::path fp(p);
            return fp.is_absolute() ? fp : script_->dir / fp;
        };
        auto retry_until_deadline = [&](const std::string& what) {
            if (Clock::now() > script_deadline_) return fail(what);
            --script_->at;
            return -2;
        };
        try {
            if (verb == "staff-code") store_->set_staff_code(arg(1), arg(2), "script");
#if KAKANAI_TEST_HOOKS
            else if (verb == "seed") seed(path(arg(1)), arg(2), std::stoll(arg(3)), {words.begin() + std::min<std::ptrdiff_t>(4, static_cast<std::ptrdiff_t>(words.size())), words.end()});
#endif
            else if (verb == "interrupt-last") interrupt_last(arg(1));
#if KAKANAI_TEST_HOOKS
            else if (verb == "card") virtual_card_ = std::make_unique<virtualcard::VirtualCard>(virtualcard::CardProfile::load(path(arg(1))));
#endif
            else if (verb == "tap") pending_tap_ = arg(1);
            else if (verb == "type") drafts_[arg(1)] = arg(2) == "@last" ? last_seeded_ : arg(2);
            else if (verb == "time") idle_offset_s_ += std::stoi(arg(1));
            else if (verb == "wait") std::this_thread::sleep_for(std::chrono::milliseconds(std::stoi(arg(1))));
            else if (verb == "shot") {
                const auto file = opt_.screenshots_dir / (arg(1) + ".png");
                if (!save_screenshot("kakanai-staff", renderer_, file, w, h)) return fail("cannot write " + file.string());
            } else if (verb == "expect") {
                if (arg(1) != to_string(state_.screen))
                    return retry_until_deadline("expected screen " + arg(1) + ", found " + to_string(state_.screen));
            } else if (verb == "expect-print") {
                const bool settled = !state_.print.busy && arg(1) == store::to_string(state_.print.status);
                if (state_.screen != Screen::Print || !settled)
                    return retry_until_deadline("expected print " + arg(1) + ", found " + store::to_string(state_.print.status));
            } else {
                return fail("unknown script step " + verb);
            }
        } catch (const std::exception& e) {
            return fail(verb + ": " + e.what());
        }
        return -1;
    }

#if KAKANAI_TEST_HOOKS
    // A resident's application as the kiosk would have stored it, `age` seconds ago.
    void seed(const std::filesystem::path& profile, const std::string& template_id, std::int64_t age,
              const std::vector<std::string>& pairs) {
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
            answers[kv.substr(0, eq)] = v;
        }
        forms::FilledForm form = forms::prefill(*t, card, answers, forms::today_iso());
        store::Application app;
        app.template_id = t->id;
        app.template_version = t->version;
        app.station = manual ? "counter-2" : "kiosk-1";
        app.card_read = !manual;
        for (const auto& f : form.fields)
            app.fields.push_back({f.id, f.value, manual && f.origin == forms::Origin::Card ? "staff" : forms::to_string(f.origin)});
        form.wipe();
        card.wipe();
        const std::int64_t then = static_cast<std::int64_t>(std::time(nullptr)) - age;
        auto aged = open([then] { return then; });
        last_seeded_ = aged->submit(std::move(app));
    }
#endif

    void interrupt_last(const std::string& printer) {
        store_->confirm(last_seeded_, "script");
        const store::PrintJob job = store_->begin_print(last_seeded_, "script", printer);
        store_->print_sent(job.id, "");
    }

    void wipe_drafts() {
        for (auto& [k, v] : drafts_) base::secure_zero(v.data(), v.size());
        drafts_.clear();
    }

    void post(Event e) { pending_.push_back(std::move(e)); }

    void handle(Event e) {
        pending_.push_back(std::move(e));
        while (!pending_.empty()) {
            Event ev = std::move(pending_.front());
            pending_.erase(pending_.begin());
            const Screen before = state_.screen;
            const std::string app_before = state_.app ? state_.app->id : std::string();
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
            if (state_.screen == Screen::Login && before != Screen::Login) {
                locked_now_ = true;
                unfinished_checked_ = false;
                std::fprintf(stderr, "kakanai-staff: station locked\n");
            }
            // Typed text belongs to one screen and one application.
            const std::string app_now = state_.app ? state_.app->id : std::string();
            if (before != state_.screen && (state_.screen == Screen::Review || state_.screen == Screen::Queue)) {
                for (const char* k : {"correct.value", "reason"}) {
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
            (void)app_before;
            (void)app_now;
            for (auto& c : t.commands) run(c);
        }
    }

    void fail_with(const std::string& key, const std::exception& e) {
        std::fprintf(stderr, "kakanai-staff: %s: %s\n", key.c_str(), e.what());
        post(ev::Failed{key, e.what()});
    }

    std::vector<std::string> issues_of(const store::Application& a) {
        std::vector<std::string> out;
        if (const forms::Template* t = catalogue_.find(a.template_id)) {
            forms::FilledForm form = filled_form(*t, a);
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
                        base::secure_zero(cmd.code.data(), cmd.code.size());
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
                        base::secure_zero(value.data(), value.size());
                        std::fprintf(stderr, "kakanai-staff: %s corrected %s of %s\n", staff.c_str(), cmd.field.c_str(), cmd.id.c_str());
                        opened(store_->get(cmd.id).value());
                    } else if constexpr (std::is_same_v<T, cmd::Print>) {
                        struct Wipe {  // the PIN goes whatever happens
                            std::string& pin;
                            ~Wipe() { base::secure_zero(pin.data(), pin.size()); }
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
        forms::FilledForm form = filled_form(*t, *app);
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
#if KAKANAI_TEST_HOOKS
        using namespace virtualcard;
#endif
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
        store::Application app;
        app.template_id = t->id;
        app.template_version = t->version;
        app.station = opt_.station;
        app.card_read = false;
        for (const auto& f : form.fields) {
            // What staff typed is the staff's; dates and fixed texts stay computed.
            std::string origin = forms::to_string(f.origin);
            if (f.origin == forms::Origin::Answer || f.origin == forms::Origin::Card) origin = "staff";
            app.fields.push_back({f.id, f.value, origin});
        }
        form.wipe();
        card.wipe();
        for (auto& [k, v] : answers) base::secure_zero(v.data(), v.size());
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
    std::vector<Event> pending_;
    std::map<std::string, std::string> drafts_;
    std::map<std::int64_t, int> spools_;  // store job -> CUPS job, for jobs this station follows
    Glyphs glyphs_;
    SDL_Renderer* renderer_ = nullptr;
    RareText* rare_ = nullptr;
#if KAKANAI_TEST_HOOKS
    std::unique_ptr<virtualcard::VirtualCard> virtual_card_;  // scripted runs: `card PROFILE`
#endif
    UiFonts fonts_;
    std::optional<Script> script_;
    std::string pending_tap_;
    std::string last_seeded_;
    Clock::time_point last_input_, last_tick_, queue_loaded_ = Clock::now(), script_deadline_;
    int idle_offset_s_ = 0;
    int frame_ = 0;
    bool locked_now_ = false;
    bool unfinished_checked_ = false;
};

}  // namespace

int run_station(const Options& options) {
    Station s(options);
    return s.run();
}

}  // namespace kakanai::kiosk::staff
