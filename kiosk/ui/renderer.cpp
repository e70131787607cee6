#include "renderer.hpp"

#include <SDL.h>
#include <backends/imgui_impl_sdl.h>
#include <backends/imgui_impl_sdlrenderer.h>
#include <imgui.h>
#include <stb/stb_image_write.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <cstddef>
#include <filesystem>
#include <vector>

namespace kakanai::kiosk {
namespace {

// A GPU shows itself as a DRM render node this user can open.
bool has_gpu() {
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator("/dev/dri", ec)) {
        if (e.path().filename().string().rfind("renderD", 0) != 0) continue;
        const int fd = ::open(e.path().c_str(), O_RDWR | O_CLOEXEC);
        if (fd >= 0) {
            ::close(fd);
            return true;
        }
    }
    return false;
}

// Mesa's CPU rasterisers (and Xvfb's GLX, which only has them) are slower and much
// bigger than SDL's own software renderer for a 2D UI.
bool is_software_gl() {
    using GetString = const unsigned char* (*)(unsigned);
    const auto get = reinterpret_cast<GetString>(SDL_GL_GetProcAddress("glGetString"));
    const unsigned char* name = get ? get(0x1F01 /* GL_RENDERER */) : nullptr;
    if (!name) return true;
    const char* n = reinterpret_cast<const char*>(name);
    return std::strstr(n, "llvmpipe") || std::strstr(n, "softpipe") || std::strstr(n, "Software Rasterizer") ||
           std::strstr(n, "SWR");
}

}  // namespace

std::string render_driver(const std::string& setting) {
    if (setting != "auto") return setting;
    // Without a GPU, SDL's software renderer. bench/kiosk without a GPU (Xvfb,
    // 1080p): software 123 MB peak RSS and 5 ms frame p99 (it redraws only what
    // changed), OpenGL through Mesa llvmpipe 213 MB and 13 ms; llvmpipe alone puts
    // the bare ImGui loop at 242 MB, over the 150 MB target whatever we do.
    return has_gpu() ? "opengl" : "software";
}

bool open_display(const char* title, int w, int h, unsigned window_flags, const std::string& setting, bool vsync,
                  Display* out) {
    // What to try, in order. The software renderer draws straight to the window
    // where the video driver allows it (X11: MIT-SHM); Wayland has no such
    // framebuffer, so there SDL needs a GL texture under it ("accelerated"
    // framebuffer). A driver that cannot start gives way to the next one.
    struct Attempt {
        std::string driver;
        bool fb_accel;
    };
    std::vector<Attempt> attempts;
    const std::string first = render_driver(setting);
    attempts.push_back({first, first != "software"});
    if (first == "software") attempts.push_back({"software", true});
    for (const char* other : {"opengles2", "opengl", "software"})
        if (other != first) attempts.push_back({other, std::string(other) != "software"});
    bool gl_checked = false;
    for (std::size_t i = 0; i < attempts.size(); ++i) {
        const bool fb_accel = attempts[i].fb_accel;
        std::string driver = attempts[i].driver;
        SDL_SetHint(SDL_HINT_RENDER_DRIVER, driver.c_str());
        // Otherwise SDL puts the software renderer's window surface into an OpenGL
        // texture, loading Mesa after all.
        SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, fb_accel ? "1" : "0");
        const Uint32 wflags = window_flags | (driver == "software" ? 0u : static_cast<Uint32>(SDL_WINDOW_OPENGL));
        SDL_Window* window = SDL_CreateWindow(title, SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, w, h, wflags);
        if (!window) {
            std::fprintf(stderr, "kakanai-kiosk: cannot create a window for the %s renderer: %s\n", driver.c_str(),
                         SDL_GetError());
            continue;
        }
        Uint32 rflags = driver == "software" ? SDL_RENDERER_SOFTWARE : SDL_RENDERER_ACCELERATED;
        if (vsync) rflags |= SDL_RENDERER_PRESENTVSYNC;
        SDL_Renderer* renderer = SDL_CreateRenderer(window, -1, rflags);
        if (!renderer) {
            std::fprintf(stderr, "kakanai-kiosk: cannot start the %s renderer: %s; trying another\n", driver.c_str(),
                         SDL_GetError());
            SDL_DestroyWindow(window);
            continue;
        }
        SDL_RendererInfo info{};
        if (SDL_GetRendererInfo(renderer, &info) == 0 && driver != info.name) {
            // SDL fell back to another driver than the one asked for: say so.
            std::fprintf(stderr, "kakanai-kiosk: renderer %s unavailable, using %s\n", driver.c_str(), info.name);
            driver = info.name;
        }
        // "auto" with a GPU that turns out to be a CPU rasteriser: software instead.
        const bool software_tried = i > 0 && attempts[0].driver == "software";
        if (setting == "auto" && driver != "software" && !gl_checked && !software_tried && is_software_gl()) {
            gl_checked = true;
            SDL_DestroyRenderer(renderer);
            SDL_DestroyWindow(window);
            attempts.insert(attempts.begin() + static_cast<std::ptrdiff_t>(i) + 1,
                            {Attempt{"software", false}, Attempt{"software", true}, attempts[i]});
            continue;
        }
        *out = Display{window, renderer, driver};
        return true;
    }
    std::fprintf(stderr, "kakanai-kiosk: no renderer could start on this display\n");
    return false;
}

void close_display(Display& d) {
    if (d.renderer) SDL_DestroyRenderer(d.renderer);
    if (d.window) SDL_DestroyWindow(d.window);
    d = Display{};
}

bool open_ui(const char* who, const char* title, int w, int h, unsigned window_flags, const std::string& setting,
             bool vsync, Display* out) {
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_TIMER) != 0) {
        std::fprintf(stderr, "%s: cannot open the display: %s (is DISPLAY set?)\n", who, SDL_GetError());
        return false;
    }
    if (!open_display(title, w, h, window_flags, setting, vsync, out)) {
        SDL_Quit();
        return false;
    }
    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGui::GetIO().IniFilename = nullptr;  // nothing written to disk
    ImGui_ImplSDL2_InitForSDLRenderer(out->window);
    ImGui_ImplSDLRenderer_Init(out->renderer);
    return true;
}

void close_ui(Display& d) {
    ImGui_ImplSDLRenderer_Shutdown();
    ImGui_ImplSDL2_Shutdown();
    ImGui::DestroyContext();
    close_display(d);
    SDL_Quit();
}

bool save_screenshot(const char* who, SDL_Renderer* renderer, const std::filesystem::path& file, int w, int h) {
    const int row = w * 4;
    std::vector<unsigned char> px(static_cast<std::size_t>(row) * static_cast<std::size_t>(h));
    if (SDL_RenderReadPixels(renderer, nullptr, SDL_PIXELFORMAT_RGBA32, px.data(), row) != 0) {
        std::fprintf(stderr, "%s: cannot read the screen: %s\n", who, SDL_GetError());
        return false;
    }
    for (std::size_t i = 3; i < px.size(); i += 4) px[i] = 255;  // the window has no transparency
    if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path());
    return stbi_write_png(file.c_str(), w, h, 4, px.data(), row) != 0;
}

}  // namespace kakanai::kiosk
