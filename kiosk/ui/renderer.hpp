#pragma once
// The window and its SDL_Renderer, chosen by display.renderer (docs/configuration.md).
#include <filesystem>
#include <string>

struct SDL_Window;
struct SDL_Renderer;

namespace kakanai::kiosk {

struct Display {
    SDL_Window* window = nullptr;
    SDL_Renderer* renderer = nullptr;
    std::string driver;  // the SDL render driver in use: "software", "opengl", ...
};

// The SDL render driver for a display.renderer setting ("auto" is resolved here).
std::string render_driver(const std::string& setting);

// Opens a window of w x h and its renderer; false with a message on stderr.
// `vsync`: present at the display's rate (off for the benchmark, which measures a frame's cost).
bool open_display(const char* title, int w, int h, unsigned window_flags, const std::string& setting, bool vsync,
                  Display* out);
void close_display(Display& d);

// SDL, the window with its renderer, and ImGui on top of them, as both the
// resident's kiosk and the staff station run them. `who` starts each message
// on stderr ("kakanai-kiosk"); false (with a message) when any part fails.
bool open_ui(const char* who, const char* title, int w, int h, unsigned window_flags, const std::string& setting,
             bool vsync, Display* out);
// Closes what open_ui opened, in reverse order.
void close_ui(Display& d);

// Writes the frame just rendered (before it is presented) as a PNG.
bool save_screenshot(const char* who, SDL_Renderer* renderer, const std::filesystem::path& file, int w, int h);

}  // namespace kakanai::kiosk
