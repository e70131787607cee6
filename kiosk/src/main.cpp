// kakanai-kiosk: the resident's full-screen kiosk.
// Sections: 1. event queue from the card worker  2. fonts  3. screenshots
//           4. scripted runs  5. the main loop (poll, new frame, draw, render, swap)
#include <GL/gl.h>
#include <SDL.h>
#include <imgui.h>
#include <backends/imgui_impl_opengl3.h>
#include <backends/imgui_impl_sdl.h>
#include <stb/stb_image_write.h>

#include <chrono>
#include <cstdio>
#include <deque>
#include <fstream>
#include <mutex>
#include <set>
#include <sstream>
#include <utility>

#include "application_maker.hpp"
#include "card_worker.hpp"
#include "flow.hpp"
#include "i18n.hpp"
#include "options.hpp"
#include "ui.hpp"

namespace kakanai::kiosk {
namespace {

// ---- 1. Events from other threads reach the UI through this queue; an SDL
// user event wakes the loop from SDL_WaitEventTimeout.
class EventQueue {
public:
    EventQueue() : sdl_type_(SDL_RegisterEvents(1)) {}
    void post(Event e) {
        {
            std::lock_guard lock(mu_);
            q_.push_back(std::move(e));
        }
        SDL_Event wake{};
        wake.type = sdl_type_;
        SDL_PushEvent(&wake);
    }
    std::deque<Event> take() {
        std::lock_guard lock(mu_);
        return std::exchange(q_, {});
    }
    bool empty() const {
        std::lock_guard lock(mu_);
        return q_.empty();
    }

private:
    Uint32 sdl_type_;
    mutable std::mutex mu_;
    std::deque<Event> q_;
};

// ---- 2. Fonts hold only the characters in use (a full Japanese range at this
// size is a 128 MB atlas); a card with new characters triggers a rebuild.
class FontAtlas {
public:
    FontAtlas(std::filesystem::path file, std::string base_text) : file_(std::move(file)), text_(std::move(base_text)) {}

    // Adds characters; true when the atlas must be rebuilt.
    bool add_text(const std::string& s) {
        const std::size_t before = chars_.size();
        collect(s);
        return chars_.size() != before;
    }

    Fonts build(float em) {
        collect(text_);
        ImGuiIO& io = ImGui::GetIO();
        io.Fonts->Clear();
        ImFontGlyphRangesBuilder b;
        b.AddRanges(io.Fonts->GetGlyphRangesDefault());
        for (ImWchar c : chars_) b.AddChar(c);
        ranges_.clear();
        b.BuildRanges(&ranges_);
        Fonts f;
        f.em = em;
        ImFontConfig cfg;
        cfg.OversampleH = 1;  // large text needs no horizontal oversampling; keeps the atlas small
        f.body = io.Fonts->AddFontFromFileTTF(file_.c_str(), em, &cfg, ranges_.Data);
        f.title = io.Fonts->AddFontFromFileTTF(file_.c_str(), em * 1.3f, &cfg, ranges_.Data);
        f.big = io.Fonts->AddFontFromFileTTF(file_.c_str(), em * 1.6f, &cfg, ranges_.Data);
        if (!f.body || !f.title || !f.big) throw std::runtime_error("cannot load font " + file_.string());
        io.Fonts->Build();
        ImGui_ImplOpenGL3_DestroyFontsTexture();
        ImGui_ImplOpenGL3_CreateFontsTexture();
        return f;
    }

private:
    void collect(const std::string& s) {
        ImVector<ImWchar> tmp;
        ImFontGlyphRangesBuilder b;
        b.AddText(s.c_str());
        b.BuildRanges(&tmp);
        for (int i = 0; i + 1 < tmp.Size; i += 2)
            for (unsigned c = tmp[i]; c <= tmp[i + 1]; ++c) chars_.insert(static_cast<ImWchar>(c));
    }

    std::filesystem::path file_;
    std::string text_;
    std::set<ImWchar> chars_;
    ImVector<ImWchar> ranges_;
};

// ---- 3. Screenshots read the back buffer after rendering, before the swap.
bool save_screenshot(const std::filesystem::path& file, int w, int h) {
    std::vector<unsigned char> px(static_cast<std::size_t>(w) * static_cast<std::size_t>(h) * 4);
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadBuffer(GL_BACK);
    glReadPixels(0, 0, w, h, GL_RGBA, GL_UNSIGNED_BYTE, px.data());
    std::vector<unsigned char> flipped(px.size());
    const std::size_t row = static_cast<std::size_t>(w) * 4;
    for (int y = 0; y < h; ++y)
        std::copy_n(px.data() + static_cast<std::size_t>(h - 1 - y) * row, row, flipped.data() + static_cast<std::size_t>(y) * row);
    if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path());
    return stbi_write_png(file.c_str(), w, h, 4, flipped.data(), static_cast<int>(row)) != 0;
}

// ---- 4. A scripted run: one step per line, each taken when the kiosk is idle.
//   card PROFILE | remove | pin DIGITS | tap ID | lang CODE | shot NAME | expect SCREEN
struct Script {
    std::vector<std::pair<std::string, std::string>> steps;
    std::size_t at = 0;
    std::filesystem::path dir;

    static Script load(const std::filesystem::path& file) {
        std::ifstream in(file);
        if (!in) throw std::runtime_error("cannot read script " + file.string());
        Script s;
        s.dir = file.parent_path();
        std::string line;
        while (std::getline(in, line)) {
            if (line.empty() || line[0] == '#') continue;
            std::istringstream ls(line);
            std::string verb, arg;
            ls >> verb;
            std::getline(ls >> std::ws, arg);
            s.steps.emplace_back(verb, arg);
        }
        return s;
    }
    bool done() const { return at >= steps.size(); }
};

std::optional<Event> tap_event(const std::string& id) {
    if (id == "back") return ev::Back{};
    if (id == "make_pdf") return ev::MakeApplication{};
    if (id == "pin_clear") return ev::PinClear{};
    if (id == "pin_ok") return ev::PinSubmit{};
    return std::nullopt;
}

// ---- 5. The kiosk.
class Kiosk {
public:
    explicit Kiosk(Options o) : opt_(std::move(o)), strings_(opt_.assets / "i18n") {
        strings_.set_language(opt_.language);
        if (!std::filesystem::is_regular_file(opt_.font))
            throw std::runtime_error("font file missing: " + opt_.font.string() +
                                     " (install the Debian package fonts-ipaexfont-gothic)");
        maker_ = std::make_unique<ApplicationMaker>(
            MakerConfig{opt_.assets / "forms", opt_.output_dir, opt_.data_dir, "kiosk-1", "juminhyo"});
        if (opt_.script) {
            script_ = Script::load(*opt_.script);
            opt_.in_process = !opt_.force_pcsc;
        }
    }

    int run() {
        SDL_SetHint(SDL_HINT_VIDEO_X11_NET_WM_BYPASS_COMPOSITOR, "0");
        if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_TIMER) != 0) {
            std::fprintf(stderr, "kakanai-kiosk: cannot open the display: %s (is DISPLAY set?)\n", SDL_GetError());
            return 3;
        }
        SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
        SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 0);
        SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
        Uint32 flags = SDL_WINDOW_OPENGL | SDL_WINDOW_ALLOW_HIGHDPI;
        if (!opt_.windowed && !opt_.screenshot && !opt_.script) flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
        SDL_Window* window = SDL_CreateWindow("kakanai", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, opt_.width,
                                              opt_.height, flags);
        if (!window) {
            std::fprintf(stderr, "kakanai-kiosk: cannot create a window: %s\n", SDL_GetError());
            SDL_Quit();
            return 3;
        }
        SDL_GLContext gl = SDL_GL_CreateContext(window);
        if (!gl) {
            std::fprintf(stderr, "kakanai-kiosk: no OpenGL 3 context: %s\n", SDL_GetError());
            SDL_DestroyWindow(window);
            SDL_Quit();
            return 3;
        }
        SDL_GL_MakeCurrent(window, gl);
        SDL_GL_SetSwapInterval(1);
        IMGUI_CHECKVERSION();
        ImGui::CreateContext();
        ImGui::GetIO().IniFilename = nullptr;  // nothing written to disk
        ImGui_ImplSDL2_InitForOpenGL(window, gl);
        ImGui_ImplOpenGL3_Init("#version 130");

        int rc = loop(window);

        worker_.reset();
        ImGui_ImplOpenGL3_Shutdown();
        ImGui_ImplSDL2_Shutdown();
        ImGui::DestroyContext();
        SDL_GL_DeleteContext(gl);
        SDL_DestroyWindow(window);
        SDL_Quit();
        return rc;
    }

private:
    int loop(SDL_Window* window) {
        int w = 0, h = 0;
        SDL_GL_GetDrawableSize(window, &w, &h);
        FontAtlas atlas(opt_.font, strings_.all_text() + "●○0123456789");
        const float em = std::max(24.0f, static_cast<float>(std::min(w, h * 16 / 9)) / 48.0f);
        fonts_ = atlas.build(em);
        apply_style(em);

        worker_ = std::make_unique<CardWorker>([this](Event e) { events_.post(std::move(e)); }, opt_.reader_filter,
                                               opt_.in_process);
        if (opt_.virtual_card) worker_->insert_virtual_card(*opt_.virtual_card);

        const std::string output_dir = std::filesystem::absolute(opt_.output_dir).string();
        int frames_to_draw = 3;  // draw a few frames after any change so ImGui settles
        int frame = 0;
        script_deadline_ = std::chrono::steady_clock::now() + std::chrono::seconds(20);
        for (;;) {
            SDL_Event e;
            // Sleep until something happens; redraw only then.
            const bool got = frames_to_draw > 0 || script_ ? SDL_PollEvent(&e) : SDL_WaitEventTimeout(&e, 1000);
            if (got) {
                do {
                    ImGui_ImplSDL2_ProcessEvent(&e);
                    if (e.type == SDL_QUIT) return 0;
                    if (e.type == SDL_KEYDOWN && e.key.keysym.sym == SDLK_ESCAPE && opt_.windowed) return 0;
                } while (SDL_PollEvent(&e));
                frames_to_draw = std::max(frames_to_draw, 3);
            }
            for (auto& ev : events_.take()) {
                handle(std::move(ev));
                frames_to_draw = 3;
            }
            if (atlas.add_text(dynamic_text(state_, output_dir))) {
                fonts_ = atlas.build(em);
                frames_to_draw = 3;
            }
            if (frames_to_draw <= 0 && !script_) continue;

            ImGui_ImplOpenGL3_NewFrame();
            ImGui_ImplSDL2_NewFrame();
            ImGui::NewFrame();
            UiRequests req = draw(state_, strings_, fonts_, output_dir);
            ImGui::Render();
            glViewport(0, 0, w, h);
            glClearColor(1, 1, 1, 1);
            glClear(GL_COLOR_BUFFER_BIT);
            ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
            ++frame;
            --frames_to_draw;

            if (opt_.screenshot && frame == 3) {
                const bool ok = save_screenshot(*opt_.screenshot, w, h);
                std::fprintf(stderr, ok ? "kakanai-kiosk: screenshot saved to %s\n"
                                        : "kakanai-kiosk: cannot write screenshot %s\n",
                             opt_.screenshot->c_str());
                return ok ? 0 : 1;
            }
            if (script_ && frames_to_draw <= 0 && worker_->idle() && events_.empty()) {
                if (script_->done()) return 0;
                const int rc = script_step(w, h);
                if (rc >= 0) return rc;
                if (rc == -1) {
                    frames_to_draw = 3;
                    script_deadline_ = std::chrono::steady_clock::now() + std::chrono::seconds(20);
                } else {
                    SDL_Delay(20);  // waiting for the card: do not spin
                }
            } else if (script_ && std::chrono::steady_clock::now() > script_deadline_) {
                std::fprintf(stderr, "kakanai-kiosk: script step %zu timed out\n", script_->at);
                return 1;
            }
            SDL_GL_SwapWindow(window);

            for (auto& ev : req.events) handle(std::move(ev));
            if (!req.language.empty()) strings_.set_language(req.language);
            if (!req.events.empty() || !req.language.empty()) frames_to_draw = 3;
        }
    }

    // Returns -1 for the next step, -2 to retry this one, or an exit code.
    int script_step(int w, int h) {
        const auto& [verb, arg] = script_->steps[script_->at++];
        auto path = [&](const std::string& p) {
            const std::filesystem::path fp(p);
            return fp.is_absolute() ? fp : script_->dir / fp;
        };
        if ((verb == "card" || verb == "remove") && !opt_.in_process) return fail(verb + " needs the in-process card");
        if (verb == "card") worker_->insert_virtual_card(path(arg));
        else if (verb == "remove") worker_->remove_virtual_card();
        else if (verb == "pin") {
            for (char c : arg) handle(ev::PinDigit{c});
            handle(ev::PinSubmit{});
        } else if (verb == "tap") {
            if (auto e = tap_event(arg)) handle(std::move(*e));
            else return fail("unknown tap target " + arg);
        } else if (verb == "lang") strings_.set_language(arg);
        else if (verb == "shot") {
            const auto file = opt_.screenshots_dir / (arg + ".png");
            if (!save_screenshot(file, w, h)) return fail("cannot write " + file.string());
        } else if (verb == "expect") {
            // Waits (up to the step deadline) for the screen: card events through pcscd arrive later.
            if (arg != to_string(state_.screen)) {
                if (std::chrono::steady_clock::now() > script_deadline_)
                    return fail("expected screen " + arg + ", found " + to_string(state_.screen));
                --script_->at;
                return -2;
            }
        } else {
            return fail("unknown script step " + verb);
        }
        return -1;
    }

    int fail(const std::string& why) {
        std::fprintf(stderr, "kakanai-kiosk: script line %zu: %s\n", script_->at, why.c_str());
        return 1;
    }

    void handle(Event e) {
        Transition t = next(std::move(state_), e);
        state_ = std::move(t.state);
        for (auto& c : t.commands) {
            if (auto* read = std::get_if<cmd::ReadCard>(&c)) {
                worker_->read(*read);
                cardreader::secure_zero(read->pin.data(), read->pin.size());
            } else if (std::holds_alternative<cmd::CreateApplication>(c)) {
                create_application();
            }
        }
    }

    void create_application() {
        try {
            const MadeApplication made = maker_->make(state_.card);
            std::fprintf(stderr, "kakanai-kiosk: application %s written to %s\n", made.id.c_str(), made.pdf.c_str());
            handle(ev::ApplicationDone{made.id, made.pdf.string()});
        } catch (const std::exception& ex) {
            std::fprintf(stderr, "kakanai-kiosk: could not make the application: %s\n", ex.what());
            handle(ev::ApplicationFailed{});
        }
    }

    Options opt_;
    Strings strings_;
    Fonts fonts_;
    State state_;
    EventQueue events_;
    std::unique_ptr<ApplicationMaker> maker_;
    std::unique_ptr<CardWorker> worker_;
    std::optional<Script> script_;
    std::chrono::steady_clock::time_point script_deadline_;
};

}  // namespace
}  // namespace kakanai::kiosk

int main(int argc, char** argv) {
    using namespace kakanai::kiosk;
    const Options opt = parse_options(argc, argv);
    try {
        Kiosk kiosk(opt);
        return kiosk.run();
    } catch (const std::exception& e) {
        std::fprintf(stderr, "kakanai-kiosk: %s\n", e.what());
        return 2;
    }
}
