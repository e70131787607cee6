// kakanai-kiosk: the resident's full-screen kiosk.
// Sections: 1. event queue from the card worker  2. fonts  3. text outside the BMP (SDL_ttf)
//           4. screenshots, 4b. redrawing only what changed (software renderer)  5. scripted runs
//           6. the kiosk: main loop, commands, idle timer, benchmark
#include <SDL.h>
#include <SDL_ttf.h>
#include <imgui.h>
#include <backends/imgui_impl_sdl.h>
#include <backends/imgui_impl_sdlrenderer.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <deque>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>
#include <unordered_map>
#include <utility>

#include <nlohmann/json.hpp>

#include "application_maker.hpp"
#include "kakanai/base/build_options.hpp"
#include "kakanai/base/wipe.hpp"
#include "kakanai/forms/guide.hpp"
#include "kakanai/printing/guide.hpp"
#if KAKANAI_TEST_HOOKS
#include "bench_baseline.hpp"
#endif
#include "call_worker.hpp"
#include "card_worker.hpp"
#include "errands.hpp"
#include "event_queue.hpp"
#include "flow.hpp"
#include "font_atlas.hpp"
#include "i18n.hpp"
#include "inbox.hpp"
#include "options.hpp"
#include "pads.hpp"
#include "rare_text.hpp"
#include "renderer.hpp"
#include "ruby.hpp"
#include "session_meter.hpp"
#include "script.hpp"
#include "ui.hpp"

namespace kakanai::kiosk {
using Clock = std::chrono::steady_clock;
const Clock::time_point g_started = Clock::now();
namespace {


// ---- 1. Events from other threads reach the UI through an Inbox (inbox.hpp).

// ---- 2. Fonts: FontAtlas (font_atlas.hpp), one for both programs.

// ---- 3. Text with characters outside the BMP: RareText (rare_text.hpp).

// ---- 4. Screenshots: save_screenshot (renderer.hpp).

// ---- 4b. SDL's software renderer redraws and presents only what changed: a
// full 1080p frame costs it every glyph again and an 8 MB copy to the X server,
// while the reading screen's turning arc is a small square. Changed = triangles
// that were drawn last frame and not this one, or the other way round; inside
// that area everything is drawn again, in order.
class Damage {
public:
    // The area to draw (w or h 0: nothing changed); clips the draw data to it.
    SDL_Rect update(ImDrawData* dd, int w, int h, bool full) {
        std::unordered_map<std::uint64_t, Box> now;
        for (int n = 0; n < dd->CmdListsCount; ++n) {
            const ImDrawList* l = dd->CmdLists[n];
            for (const ImDrawCmd& c : l->CmdBuffer) {
                if (c.UserCallback) continue;
                for (unsigned i = 0; i + 2 < c.ElemCount; i += 3) {
                    std::uint64_t hash = 1469598103934665603ull ^ reinterpret_cast<std::uintptr_t>(c.TextureId);
                    Box b;
                    for (unsigned k = 0; k < 3; ++k) {
                        const ImDrawVert& v = l->VtxBuffer[static_cast<int>(c.VtxOffset + l->IdxBuffer[static_cast<int>(c.IdxOffset + i + k)])];
                        hash = mix(mix(mix(hash, bits(v.pos.x) | std::uint64_t{bits(v.pos.y)} << 32),
                                       bits(v.uv.x) | std::uint64_t{bits(v.uv.y)} << 32), v.col);
                        b.add(v.pos);
                    }
                    b.clip(c.ClipRect);
                    now.try_emplace(hash, b);
                }
            }
        }
        Box dirty;
        if (full || prev_.empty()) {
            dirty.add(ImVec2(0, 0));
            dirty.add(ImVec2(static_cast<float>(w), static_cast<float>(h)));
        } else {
            for (const auto& [k, b] : now)
                if (!prev_.count(k)) dirty.add(b);
            for (const auto& [k, b] : prev_)
                if (!now.count(k)) dirty.add(b);
        }
        prev_ = std::move(now);
        SDL_Rect r{0, 0, 0, 0};
        if (dirty.empty()) return r;
        // Anti-aliased edges reach a pixel beyond their vertices.
        r.x = std::max(0, static_cast<int>(std::floor(dirty.x0)) - 2);
        r.y = std::max(0, static_cast<int>(std::floor(dirty.y0)) - 2);
        r.w = std::min(w, static_cast<int>(std::ceil(dirty.x1)) + 2) - r.x;
        r.h = std::min(h, static_cast<int>(std::ceil(dirty.y1)) + 2) - r.y;
        if (r.w <= 0 || r.h <= 0) return SDL_Rect{0, 0, 0, 0};
        const ImVec4 area(static_cast<float>(r.x), static_cast<float>(r.y), static_cast<float>(r.x + r.w),
                          static_cast<float>(r.y + r.h));
        for (int n = 0; n < dd->CmdListsCount; ++n)
            for (ImDrawCmd& c : dd->CmdLists[n]->CmdBuffer) {
                c.ClipRect.x = std::max(c.ClipRect.x, area.x);
                c.ClipRect.y = std::max(c.ClipRect.y, area.y);
                c.ClipRect.z = std::min(c.ClipRect.z, area.z);
                c.ClipRect.w = std::min(c.ClipRect.w, area.w);
            }
        return r;
    }

private:
    struct Box {
        float x0 = FLT_MAX, y0 = FLT_MAX, x1 = -FLT_MAX, y1 = -FLT_MAX;
        void add(ImVec2 p) {
            x0 = std::min(x0, p.x);
            y0 = std::min(y0, p.y);
            x1 = std::max(x1, p.x);
            y1 = std::max(y1, p.y);
        }
        void add(const Box& b) {
            if (b.empty()) return;
            add(ImVec2(b.x0, b.y0));
            add(ImVec2(b.x1, b.y1));
        }
        void clip(const ImVec4& c) {
            x0 = std::max(x0, c.x);
            y0 = std::max(y0, c.y);
            x1 = std::min(x1, c.z);
            y1 = std::min(y1, c.w);
        }
        bool empty() const { return x1 <= x0 || y1 <= y0; }
    };
    static std::uint32_t bits(float f) {
        std::uint32_t u;
        std::memcpy(&u, &f, sizeof u);
        return u;
    }
    static std::uint64_t mix(std::uint64_t h, std::uint64_t v) { return (h ^ v) * 1099511628211ull; }
    std::unordered_map<std::uint64_t, Box> prev_;
};

// ---- 5. A scripted run: the steps are in script.hpp; each is taken when the kiosk is idle.

#if KAKANAI_TEST_HOOKS
double cpu_seconds() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}
#endif

// ---- 6. The kiosk.
class Kiosk {
public:
    explicit Kiosk(Options o)
        : opt_(std::move(o)), strings_(opt_.assets / "i18n", town_folder(opt_, "i18n"), Strings::Ruby::Keep) {
        if (!std::filesystem::is_regular_file(opt_.font))
            throw std::runtime_error("font file missing: " + opt_.font.string() +
                                     " (install the Debian package fonts-ipaexfont-gothic)");
        maker_ = std::make_unique<ApplicationMaker>(
            MakerConfig{opt_.assets / "forms", opt_.data_dir, opt_.station,
                        opt_.store_config, town_folder(opt_, "forms")});
        for (const auto& p : maker_->catalogue().problems())
            std::fprintf(stderr, "kakanai-kiosk: form template skipped: %s\n", p.to_string().c_str());
        errands_ = build_errands(maker_->catalogue());
        if (opt_.config) counters_ = forms::load_guide_counters(*opt_.config);  // the town's counter names
        // [card] ca_key: the issuing CA's public key makes a good card "verified", not only "consistent".
        if (!opt_.ca_key.empty())
            ca_key_ = std::make_shared<const cardreader::CaPublicKey>(cardreader::CaPublicKey::from_pem_file(opt_.ca_key));
        state_.timeouts = {opt_.still_there_s, opt_.wipe_after_s};
        state_.default_language = opt_.language;
        state_.language = opt_.language;
#if KAKANAI_TEST_HOOKS
        state_.large_text = opt_.large_text;
        if (opt_.script) {
            script_ = Script::load(*opt_.script, ScriptFor::Kiosk);
            opt_.in_process = !opt_.force_pcsc;
            layout_check_.emplace();  // every frame of a scripted run (layout_check.hpp)
            set_layout_check(&*layout_check_);
        }
#endif
    }

    int run() {
        SDL_SetHint(SDL_HINT_VIDEO_X11_NET_WM_BYPASS_COMPOSITOR, "0");
        Uint32 flags = SDL_WINDOW_ALLOW_HIGHDPI;
        const bool automated = opt_.screenshot || opt_.script || opt_.bench_report;
        if (opt_.fullscreen && !automated) flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
        // The benchmark measures what a frame costs, not the wait for the display's refresh.
        Display display;
        if (!open_ui("kakanai-kiosk", "kakanai", opt_.width, opt_.height, flags, opt_.renderer, !opt_.bench_report,
                     &display))
            return 3;
        std::fprintf(stderr, "kakanai-kiosk: renderer %s\n", display.driver.c_str());
        renderer_ = display.renderer;
        window_ = display.window;
        if (display.driver == "software") damage_.emplace();
        driver_ = display.driver;
        int rc = 0;
        {
            RareText rare(display.renderer, opt_.rare_font);
            rare_ = &rare;
            rc = loop();
            rare_ = nullptr;
        }
        record_session(meter_.close(std::time(nullptr)));  // a session still open when the kiosk stops
        worker_.reset();
        calls_.reset();
        close_ui(display);
        renderer_ = nullptr;
        return rc;
    }

private:
    float em_for(int w, int h) const {
        // Landscape: 48 em across 16:9 (40 px at 1080p); portrait: 27 em across.
        return w >= h ? std::max(20.0f, static_cast<float>(std::min(w, h * 16 / 9)) / 48.0f)
                      : std::max(20.0f, static_cast<float>(w) / 27.0f);
    }

    // Normal and large-text sets (body, title, big, huge), all in one atlas.
    void build_fonts() {
        std::vector<FontAtlas::Face> faces;
        for (const float size : {em_, em_ * 1.3f})
            for (const FontAtlas::Face f : {FontAtlas::Face{size}, FontAtlas::Face{size * 1.25f},
                                            FontAtlas::Face{size * 1.1f}, FontAtlas::Face{size * 2.0f, true},
                                            FontAtlas::Face{size * kRubyScale, false, true}})
                faces.push_back(f);
        const std::vector<ImFont*> built = atlas_->build(renderer_, faces);
        auto set = [&](std::size_t i) {
            Fonts f;
            f.em = em_;
            f.body = built[i];
            f.title = built[i + 1];
            f.big = built[i + 2];
            f.huge = built[i + 3];
            f.ruby = built[i + 4];
            return f;
        };
        fonts_ = set(0);
        large_ = set(5);
    }

    void open_fonts() {
        std::string base = "●○—−+0123456789-/ ";
        for (const auto& lang : opt_.languages) base += strings_.get_in(lang, "language_name");
        std::string huge;
        for (const auto& lang : opt_.languages) huge += strings_.get_in(lang, "still.title");
        base += printing::guide_extra_chars();  // the slip's words are guide.* keys of strings_
        for (const auto& [k, c] : counters_.by_key) base += c.ja + c.en + c.easy;
        // pad_text(): the kana pad's keys and the computed date and 年度 texts.
        atlas_.emplace(opt_.font, base + strings_.all_text("desk.") + catalogue_text(maker_->catalogue()) + pad_text(),
                       base + huge);
        build_fonts();
    }

    void start_card_worker() {
        worker_ = std::make_unique<CardWorker>([this](Event e) { events_.post(std::move(e)); }, opt_.reader_filter,
                                               opt_.in_process, ca_key_);
#if KAKANAI_TEST_HOOKS
        if (opt_.virtual_card) worker_->insert_virtual_card(*opt_.virtual_card);
#endif
        // Calls for staff go through the store (own connection, own thread) to every station.
        const store::StoreConfig config = opt_.store_config ? store::load_store_config(*opt_.store_config)
                                                            : store::sqlite_store_config(opt_.data_dir);
        calls_ = std::make_unique<CallWorker>([config] { return store::open_kiosk_store(config); }, opt_.station,
                                              [this](Event e) { events_.post(std::move(e)); });
    }

    bool scripted() const {
#if KAKANAI_TEST_HOOKS
        return script_.has_value();
#else
        return false;
#endif
    }

    void redraw(int frames = 3) { frames_to_draw_ = std::max(frames_to_draw_, frames); }

    int loop() {
        SDL_GetRendererOutputSize(renderer_, &w_, &h_);
        em_ = em_for(w_, h_);
        open_fonts();
        start_card_worker();
        last_input_ = Clock::now();
#if KAKANAI_TEST_HOOKS
        script_deadline_ = Clock::now() + std::chrono::seconds(20);
#endif
        for (;;) {
            if (const auto rc = poll_input()) return *rc;
            handle_worker_events();
            if (check_idle()) redraw();
            reload_templates();
            forget_old_draft();
            rebuild_glyphs();
            if (animating()) redraw(1);
#if KAKANAI_TEST_HOOKS
            if (const auto rc = bench_idle()) return *rc;
#endif
            if (frames_to_draw_ <= 0 && !scripted()) continue;
#if KAKANAI_TEST_HOOKS
            const auto started = Clock::now();
#endif
            UiRequests req = draw_frame();
#if KAKANAI_TEST_HOOKS
            if (const auto rc = test_hooks_after_draw(req)) return *rc;
#endif
            present();
#if KAKANAI_TEST_HOOKS
            bench_frame(started);
#endif
            apply_requests(req);
        }
    }

    bool animating() const { return state_.screen == Screen::Reading && !state_.still_there; }

    // Sleeps until something happens (the idle timer needs a tick a second);
    // an exit code when the window is closed.
    std::optional<int> poll_input() {
        SDL_Event e;
        const bool got = frames_to_draw_ > 0 || scripted() ? SDL_PollEvent(&e)
                         : animating()                      ? SDL_WaitEventTimeout(&e, 16)
                                                            : SDL_WaitEventTimeout(&e, 1000);
        if (!got) return std::nullopt;
        do {
            ImGui_ImplSDL2_ProcessEvent(&e);
            if (e.type == SDL_WINDOWEVENT) full_redraw_ = true;  // exposed, resized, moved: draw it all
            if (e.type == SDL_QUIT) return 0;
            if (e.type == SDL_KEYDOWN && e.key.keysym.sym == SDLK_ESCAPE && !opt_.fullscreen) return 0;
            if (e.type == SDL_MOUSEBUTTONDOWN || e.type == SDL_FINGERDOWN || e.type == SDL_KEYDOWN ||
                e.type == SDL_MOUSEWHEEL)
                touched();
        } while (SDL_PollEvent(&e));
        redraw();
        return std::nullopt;
    }

    void handle_worker_events() {
        for (auto& ev : events_.take()) {
            // An answer about a call of a session that was wiped meanwhile.
            if (const auto* c = std::get_if<ev::CallUpdate>(&ev); c && calls_ && c->session != calls_->session()) continue;
            handle(std::move(ev));
            redraw();
        }
    }

    // Between sessions, pick up templates an administrator changed (a broken
    // file keeps its last good version; its problems go to the log).
    void reload_templates() {
        if (state_.screen != Screen::Welcome || state_.holds_personal_data() ||
            Clock::now() - last_reload_check_ <= std::chrono::seconds(2))
            return;
        last_reload_check_ = Clock::now();
        if (!maker_->catalogue().reload_if_changed()) return;
        for (const auto& p : maker_->catalogue().problems())
            std::fprintf(stderr, "kakanai-kiosk: form template problem: %s\n", p.to_string().c_str());
        errands_ = build_errands(maker_->catalogue());
        if (atlas_->add_text(catalogue_text(maker_->catalogue()))) build_fonts();
        redraw();
    }

    // The typed answer belongs to one question.
    void forget_old_draft() {
        // A card-less member's birth date (Screen::Member, step 1) is typed on the date pad too.
        const bool member_date = state_.screen == Screen::Member && state_.member_step == 1;
        if (member_date) {
            if (draft_question_ == kMemberDraft) return;
            base::secure_zero(draft_.data(), draft_.size());
            draft_.clear();
            draft_question_ = kMemberDraft;
            return;
        }
        const bool asking = state_.screen == Screen::Question;
        if (asking && state_.question == draft_question_) return;
        base::secure_zero(draft_.data(), draft_.size());
        draft_.clear();
        draft_question_ = asking ? state_.question : SIZE_MAX;
        // Asked again (戻る, 変更): the pad starts from the answer given, once, so 消す can empty it.
        if (asking && state_.question < state_.errand.questions.size()) {
            const QuestionSpec& q = state_.errand.questions[state_.question];
            if (const auto it = state_.answers.find(answer_key(q)); q.kind == "digits" && it != state_.answers.end())
                draft_ = it->second;
        }
    }

    // Images of names go with the session; new characters (a card's) rebuild the atlas.
    void rebuild_glyphs() {
        if (!state_.holds_personal_data() && !rare_->empty()) rare_->clear();
        std::string text = dynamic_text(state_, draft_);
        const bool grew = atlas_->add_text(text);
        base::wipe_string(text);
        if (grew) {
            build_fonts();
            redraw();
        }
    }

    UiRequests draw_frame() {
        strings_.set_language(state_.language);
        UiContext ctx;
        ctx.text = &strings_;
        ctx.normal = fonts_;
        ctx.large = large_;
        ctx.catalogue = &maker_->catalogue();
        ctx.counters = &counters_;
        ctx.errands = &errands_;
        ctx.languages = opt_.languages;
        ctx.draft = &draft_;
        ctx.spinner_phase = std::chrono::duration<float>(Clock::now() - g_started).count();
        ctx.rare_text = [this](const std::string& s, float px, unsigned rgba, RareImage* out) {
            return rare_->get(s, px, rgba, out);
        };
#if KAKANAI_TEST_HOOKS
        if (!pending_tap_.empty()) ctx.scripted_tap = pending_tap_;
#endif
        ImGui_ImplSDL2_NewFrame();  // (the font texture is FontAtlas's: no ImGui_ImplSDLRenderer_NewFrame)
        ImGui::NewFrame();
        UiRequests req = draw(state_, ctx);
        ImGui::Render();
        const ImU32 bg = ImGui::GetColorU32(ImGuiCol_WindowBg);
        // A new paper colour (high contrast on or off) repaints the whole window: the
        // margins no widget covers would keep the old colour as a frame.
        if (bg != last_bg_) full_redraw_ = true;
        last_bg_ = bg;
        SDL_SetRenderDrawColor(renderer_, static_cast<Uint8>(bg & 0xFF), static_cast<Uint8>((bg >> 8) & 0xFF),
                               static_cast<Uint8>((bg >> 16) & 0xFF), 255);
        if (damage_) {
            const SDL_Rect dirty = damage_->update(ImGui::GetDrawData(), w_, h_, full_redraw_);
            full_redraw_ = false;
            presented_ = dirty;
            if (dirty.w > 0) {
                SDL_RenderFillRect(renderer_, &dirty);
                ImGui_ImplSDLRenderer_RenderDrawData(ImGui::GetDrawData());
            }
        } else {
            SDL_RenderClear(renderer_);
            ImGui_ImplSDLRenderer_RenderDrawData(ImGui::GetDrawData());
        }
        ++frame_;
        --frames_to_draw_;
        last_buttons_ = req.buttons;
        last_texts_ = req.texts;
        return req;
    }

    void present() {
        if (damage_) {
            SDL_RenderFlush(renderer_);
            if (presented_.w > 0) SDL_UpdateWindowSurfaceRects(window_, &presented_, 1);
        } else {
            SDL_RenderPresent(renderer_);
        }
    }

    void apply_requests(UiRequests& req) {
        for (std::size_t i = 0; i < req.taps.size(); ++i) {
            ++taps_;
            meter_.tap(std::time(nullptr));
            touched();
        }
        // A copy goes to the flow and this one is wiped: a moved-from short answer
        // (a date) would keep its bytes in the vector's memory.
        for (auto& ev : req.events) {
            handle(Event(ev));
            wipe(ev);
        }
        if (!req.events.empty()) redraw();
    }

#if KAKANAI_TEST_HOOKS
    // ---- Test hooks: screenshots, scripted runs, the benchmark.

    // After a frame is drawn, before it is presented: an exit code ends the run.
    std::optional<int> test_hooks_after_draw(const UiRequests& req) {
        if (layout_check_ && !report_layout_problems(*layout_check_, "kakanai-kiosk")) return fail("the layout check failed");
        if (opt_.screenshot && frame_ == 3) {
            const bool ok = save_screenshot("kakanai-kiosk", renderer_, *opt_.screenshot, w_, h_);
            std::fprintf(stderr, ok ? "kakanai-kiosk: screenshot saved to %s\n" : "kakanai-kiosk: cannot write screenshot %s\n",
                         opt_.screenshot->c_str());
            return ok ? 0 : 1;
        }
        if (const auto rc = check_scripted_tap(req)) return rc;
        return run_script();
    }

    std::optional<int> check_scripted_tap(const UiRequests& req) {
        if (pending_tap_.empty()) return std::nullopt;
        if (std::find(req.taps.begin(), req.taps.end(), pending_tap_) == req.taps.end()) {
            std::string shown;
            for (const auto& b : req.buttons) shown += " " + b;
            return fail("no button " + pending_tap_ + " on screen " + to_string(state_.screen) + " (buttons:" + shown + ")");
        }
        pending_tap_.clear();
        return std::nullopt;
    }

    // The next step once the kiosk is idle (frames settled, no card work, no events).
    std::optional<int> run_script() {
        if (!script_) return std::nullopt;
        if (frames_to_draw_ > 0 || !worker_->idle() || (calls_ && !calls_->idle()) || !events_.empty()) {
            if (Clock::now() <= script_deadline_) return std::nullopt;
            std::fprintf(stderr, "kakanai-kiosk: script line %zu timed out\n", script_->steps[script_->at].line);
            return 1;
        }
        if (script_->done()) {
            std::fprintf(stderr, "kakanai-kiosk: script done, %d taps counted\n", taps_);
            return 0;
        }
        const int rc = script_step();
        if (rc >= 0) return rc;
        if (rc == -1) {
            redraw();
            script_deadline_ = Clock::now() + std::chrono::seconds(20);
        } else {
            SDL_Delay(20);  // waiting for the card: do not spin
        }
        return std::nullopt;
    }

    // First frame, then 300 animated frames on the reading screen, then 10 s idle on welcome.
    void bench_frame(Clock::time_point started) {
        if (!opt_.bench_report) return;
        if (bench_.phase == 0) {
            bench_.first_frame_ms = std::chrono::duration<double, std::milli>(Clock::now() - g_started).count();
            bench_.phase = 1;
            state_.screen = Screen::Reading;
        } else if (bench_.phase == 1) {
            bench_.frame_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - started).count());
            if (bench_.frame_ms.size() >= 300) {
                bench_.phase = 2;
                state_.screen = Screen::Welcome;
                redraw();
                bench_.phase_start = Clock::now() + std::chrono::milliseconds(500);
                bench_.idle_cpu_start = -1;
            }
        }
    }

    // The idle phase: CPU use over 10 s on welcome, then the report ends the run.
    std::optional<int> bench_idle() {
        if (bench_.phase != 2) return std::nullopt;
        if (bench_.idle_cpu_start < 0 && Clock::now() >= bench_.phase_start) {
            bench_.idle_cpu_start = cpu_seconds();
            bench_.phase_start = Clock::now();
        } else if (bench_.idle_cpu_start >= 0 && Clock::now() - bench_.phase_start >= std::chrono::seconds(10)) {
            const double wall = std::chrono::duration<double>(Clock::now() - bench_.phase_start).count();
            return write_bench((cpu_seconds() - bench_.idle_cpu_start) / wall * 100.0);
        }
        return std::nullopt;
    }

    int write_bench(double idle_cpu) {
        std::vector<double> ms = bench_.frame_ms;
        std::sort(ms.begin(), ms.end());
        auto pct = [&](double p) { return ms.empty() ? 0.0 : ms[static_cast<std::size_t>(p * static_cast<double>(ms.size() - 1))]; };
        rusage u{};
        getrusage(RUSAGE_SELF, &u);
        const nlohmann::json report{
            {"first_frame_ms", bench_.first_frame_ms},
            {"frame_p50_ms", pct(0.5)},
            {"frame_p99_ms", pct(0.99)},
            {"idle_cpu_percent", idle_cpu},
            {"peak_rss_mb", static_cast<double>(u.ru_maxrss) / 1024.0},
            {"glyphs", atlas_->glyphs()},
            {"atlas", std::to_string(atlas_->width()) + "x" + std::to_string(atlas_->height())},
            {"renderer", driver_},
        };
        std::ofstream out(*opt_.bench_report);
        out << report.dump() << "\n";
        return out ? 0 : 1;
    }
#endif

    void touched() {
        last_input_ = Clock::now();
        idle_offset_s_ = 0;
        last_idle_sent_ = -1;
        if (state_.still_there) handle(ev::StillHere{});
    }

    // Sends Idle once a second after the first timeout is near; true when the state changed.
    bool check_idle() {
        const int secs = static_cast<int>(std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - last_input_).count()) +
                         idle_offset_s_;
        if (secs < state_.timeouts.ask_after_s || secs == last_idle_sent_) return false;
        last_idle_sent_ = secs;
        const Screen before = state_.screen;
        const bool asked = state_.still_there;
        handle(ev::Idle{secs});
        // The still-there screen counts the seconds down: a frame each second.
        return before != state_.screen || asked != state_.still_there || state_.still_there;
    }

#if KAKANAI_TEST_HOOKS
    // Returns -1 for the next step, -2 to retry this one, or an exit code.
    int script_step() {
        const ScriptStep& step = script_->steps[script_->at++];
        const std::string& verb = step.verb;
        const std::string& arg = step.arg;
        if ((verb == "card" || verb == "remove") && !opt_.in_process) return fail(verb + " needs the in-process card");
        if (verb == "card") worker_->insert_virtual_card(script_->path(arg));
        else if (verb == "remove") worker_->remove_virtual_card();
        else if (verb == "tap") pending_tap_ = arg;
        else if (verb == "time") idle_offset_s_ += step.number;
        else if (verb == "wait") std::this_thread::sleep_for(std::chrono::milliseconds(step.number));
        else if (verb == "shot") {
            const auto file = opt_.screenshots_dir / (arg + ".png");
            if (!save_screenshot("kakanai-kiosk", renderer_, file, w_, h_)) return fail("cannot write " + file.string());
        } else if (verb == "expect") {
            // Waits (up to the step deadline) for the screen: card events through pcscd arrive later.
            if (arg != to_string(state_.screen)) {
                if (Clock::now() > script_deadline_)
                    return fail("expected screen " + arg + ", found " + to_string(state_.screen));
                --script_->at;
                return -2;
            }
        } else if (verb == "expect-text") {
            // Waits (up to the step deadline) for a notice with this i18n key on screen.
            if (!last_texts_.count(arg)) {
                if (Clock::now() > script_deadline_) return fail("expected text " + arg + " on screen " + to_string(state_.screen));
                --script_->at;
                return -2;
            }
        } else if (verb == "expect-call") {
            static const char* const kNames[] = {"none", "raised", "coming", "failed"};
            const char* shown = kNames[static_cast<int>(state_.call)];
            if (arg != shown) {
                // Another program (a staff station) answers: it gets a minute, not the step's 20 s.
                if (!call_wait_until_) script_deadline_ = *(call_wait_until_ = Clock::now() + std::chrono::seconds(60));
                if (Clock::now() > *call_wait_until_) return fail("expected call " + arg + ", found " + shown);
                --script_->at;
                return -2;
            }
            call_wait_until_.reset();
        } else if (verb == "answer-all") {
            if (state_.screen != Screen::Question && state_.screen != Screen::Needs && state_.screen != Screen::Household)
                return -1;
            --script_->at;  // again, until the questions are done
            if (state_.screen == Screen::Household) {
                pending_tap_ = "household.next";  // nobody added: the card holder alone
                return -1;
            }
            if (state_.screen == Screen::Needs) {
                pending_tap_ = "needs.accept";  // the usual choices as they stand
                return -1;
            }
            auto shown = [&](const std::string& id) { return last_buttons_.count(id) > 0; };
            std::string first_choice;
            for (const auto& b : last_buttons_)
                if (b.rfind("answer.", 0) == 0 && b != "answer.next" && b != "answer.skip" && b != "answer.more" &&
                    b != "answer.less" && first_choice.empty())
                    first_choice = b;
            if (shown("answer.skip")) pending_tap_ = "answer.skip";
            else if (!first_choice.empty()) pending_tap_ = first_choice;
            else if (shown("digit.0") && draft_.empty()) pending_tap_ = "digit.0";
            else pending_tap_ = "answer.next";
        } else if (verb == "taps") {
            if (arg == "reset") taps_ = 0;
            else if (taps_ != step.number) return fail("expected " + arg + " taps, counted " + std::to_string(taps_));
        } else {
            return fail("unknown script step " + verb);
        }
        return -1;
    }

    int fail(const std::string& why) {
        std::fprintf(stderr, "kakanai-kiosk: script line %zu: %s\n", script_ ? script_->line() : 0, why.c_str());
        return 1;
    }
#endif

    void handle(Event e) {
        pending_.post(std::move(e));
        pending_.run([this](Event& ev) {
            step(ev);
            wipe(ev);  // the state keeps its own copy, wiped with the session
        });
    }

    // One transition and its commands; events the commands answer with are posted.
    void step(const Event& e) {
        Transition t = next(std::move(state_), e);
        state_ = std::move(t.state);
#if KAKANAI_TEST_HOOKS
        if (opt_.large_text) state_.large_text = true;  // every session of the run in large text
#endif
        record_session(meter_.after(state_, e, std::time(nullptr)));
        // Event names only: never the data they carry. Idle ticks on welcome are routine.
        if (t.ignored && !std::holds_alternative<ev::Idle>(e))
            std::fprintf(stderr, "kakanai-kiosk: ignored %s on %s\n", event_name(e), to_string(state_.screen));
        for (auto& c : t.commands) {
            if (auto* read = std::get_if<cmd::ReadCard>(&c)) {
                worker_->read(*read);
                base::secure_zero(read->pin.data(), read->pin.size());
            } else if (std::holds_alternative<cmd::FillForms>(c)) {
                // With the household: each member with their own answers (flow.hpp, household_of).
                forms::Household household = household_of(state_);
                forms::Answers answers = errand_answers(state_);
                pending_.post(ev::FormsFilled{maker_->fill(state_.errand.template_ids, state_.card, answers, household)});
                forms::wipe(household);
                for (auto& [k, v] : answers) base::wipe_string(v);
            } else if (std::holds_alternative<cmd::SubmitForms>(c)) {
                submit();
            } else if (auto* rate = std::get_if<cmd::RecordRating>(&c)) {
                record_rating(rate->faces);
            } else if (auto* staff = std::get_if<cmd::NotifyStaff>(&c)) {
                if (calls_) calls_->raise(staff->reason_key);  // -> CallUpdate
            }
        }
        if (state_.call == CallStatus::None && calls_) calls_->forget();  // a wipe ends the session's call
    }

    void submit() {
        try {
            // One transaction, one number for every form; one log line names it.
            const store::Visit v = maker_->submit_visit(state_.forms, state_.card.authenticity, state_.language);
            std::fprintf(stderr, "kakanai-kiosk: visit %d submitted: %zu form%s\n", v.number, v.application_ids.size(),
                         v.application_ids.size() == 1 ? "" : "s");
            std::vector<VisitProcedure> procedures;
            for (const auto& f : state_.forms) {
                const forms::FilledField* c = f.find("copies");
                procedures.push_back({f.template_id, forms::copies_of(c ? c->value : "")});
            }
            pending_.post(ev::Submitted{v.application_ids, v.number, v.day, std::move(procedures)});
        } catch (const MakeError& ex) {
            std::fprintf(stderr, "kakanai-kiosk: could not finish the application: %s\n", ex.what());
            pending_.post(ev::SubmitFailed{ex.error_key, ex.saved_ids});
        } catch (const std::exception& ex) {
            std::fprintf(stderr, "kakanai-kiosk: could not finish the application: %s\n", ex.what());
            pending_.post(ev::SubmitFailed{"error.store_failed", {}});
        }
    }

    // The town's KPI 住民の利便性評価: station, time and 1..5, nothing about the resident.
    void record_rating(int faces) {
        try {
            maker_->store().record_rating(store::Rating{opt_.station, std::time(nullptr), faces});
        } catch (const std::exception& ex) {
            std::fprintf(stderr, "kakanai-kiosk: cannot record the rating: %s\n", ex.what());
        }
    }

    void record_session(const std::optional<store::KioskSession>& s) {
        if (!s) return;
        try {
            maker_->store().record_session(*s);
        } catch (const std::exception& ex) {
            std::fprintf(stderr, "kakanai-kiosk: cannot record the session: %s\n", ex.what());
        }
    }

    Options opt_;
    Strings strings_;
    Fonts fonts_, large_;
    State state_;
    Inbox<Event> events_;
    EventQueue<Event> pending_;  // the flow's events, run one transition at a time
    std::vector<Errand> errands_;
    std::unique_ptr<ApplicationMaker> maker_;
    forms::GuideCounters counters_;  // [guide.counters] of kakanai.toml
    SessionMeter meter_{opt_.station};
    std::shared_ptr<const cardreader::CaPublicKey> ca_key_;  // [card] ca_key, may be null
    std::unique_ptr<CardWorker> worker_;
    std::unique_ptr<CallWorker> calls_;
    SDL_Renderer* renderer_ = nullptr;
    SDL_Window* window_ = nullptr;
    std::optional<Damage> damage_;  // the software renderer only
    SDL_Rect presented_{0, 0, 0, 0};
    std::string driver_;
    RareText* rare_ = nullptr;
    Clock::time_point last_reload_check_{};
    std::optional<FontAtlas> atlas_;
    int w_ = 0, h_ = 0;  // the renderer's output in pixels
    float em_ = 40.0f;
    int frames_to_draw_ = 3;  // draw a few frames after any change so ImGui settles
    bool full_redraw_ = true;
    ImU32 last_bg_ = 0;
    int frame_ = 0;
    std::set<std::string> last_buttons_;
    std::set<std::string> last_texts_;  // notices drawn in the last frame (expect-text)
    std::string draft_;
    std::size_t draft_question_ = SIZE_MAX;  // the question draft_ belongs to
    static constexpr std::size_t kMemberDraft = SIZE_MAX - 1;  // draft_ holds a member's birth date
    int taps_ = 0;
    Clock::time_point last_input_;
    int idle_offset_s_ = 0;
    int last_idle_sent_ = -1;
#if KAKANAI_TEST_HOOKS
    std::optional<Script> script_;
    std::optional<LayoutCheck> layout_check_;
    std::string pending_tap_;
    Clock::time_point script_deadline_;
    std::optional<Clock::time_point> call_wait_until_;  // an expect-call step under way
    struct Bench {
        int phase = 0;  // 0 first frame, 1 animating, 2 idle
        double first_frame_ms = 0;
        std::vector<double> frame_ms;
        double idle_cpu_start = 0;
        Clock::time_point phase_start{};
    } bench_;
#endif
};

}  // namespace
}  // namespace kakanai::kiosk

int main(int argc, char** argv) {
    using namespace kakanai::kiosk;
    ::umask(077);  // every file and folder we create (store, screenshots) is ours alone
    try {
        const Options opt = parse_options(argc, argv);
#if KAKANAI_TEST_HOOKS
        if (opt.bench_report && opt.bench_baseline) return run_bench_baseline(opt, g_started);
#endif
        if (opt.staff) {
            std::fprintf(stderr, "kakanai-kiosk: the counter staff station is its own program now: run kakanai-staff\n");
            return 2;
        }
        Kiosk kiosk(opt);
        return kiosk.run();
    } catch (const std::exception& e) {
        std::fprintf(stderr, "kakanai-kiosk: %s\n", e.what());
        return 2;
    }
}
