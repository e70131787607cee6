#pragma once
// One glyph atlas for both programs. It holds only the characters in use (the
// full Japanese range at kiosk sizes is a 128 MB atlas); new characters (a card,
// a typed value) make add_text() return true and the caller rebuilds.
#include <imgui.h>

#include <atomic>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

struct SDL_Renderer;
struct SDL_Texture;

namespace kakanai::kiosk {

class FontAtlas {
public:
    // `text`: characters every face shows. `huge_text`: what the huge faces show
    // besides printable ASCII and later add_text() (the largest size by far gets
    // only the characters it needs).
    FontAtlas(std::filesystem::path file, const std::string& text, const std::string& huge_text = {});
    ~FontAtlas();
    FontAtlas(const FontAtlas&) = delete;
    FontAtlas& operator=(const FontAtlas&) = delete;

    // Adds characters shown in every face; true when the atlas must be rebuilt.
    bool add_text(const std::string& s);
    std::size_t glyphs() const { return chars_.size(); }
    int width() const { return width_; }
    int height() const { return height_; }

    struct Face {
        float px;
        bool huge = false;  // holds the huge set only
        bool ruby = false;  // the small size of readings (ruby): kana and ASCII only
    };
    // One font per face, in order, all in one texture of `renderer` (replacing
    // ImGui's font atlas; the backend's font upload is never used).
    std::vector<ImFont*> build(SDL_Renderer* renderer, const std::vector<Face>& faces);

    // The same, with the glyphs rasterised on a worker thread while the current
    // atlas stays in use (a rebuild takes tens of milliseconds: no frame waits for it).
    void start_build(const std::vector<Face>& faces);
    bool building() const { return next_ != nullptr; }
    // Once the worker is done: uploads the new atlas, makes it ImGui's and returns
    // its fonts (in the order of the faces); nothing while it is still working.
    std::optional<std::vector<ImFont*>> finish_build(SDL_Renderer* renderer);

private:
    void add_ranges(ImFontAtlas& atlas, ImVector<ImWchar>& ranges, ImVector<ImWchar>& huge_ranges) const;
    std::vector<ImFont*> add_faces(ImFontAtlas& atlas, const std::vector<Face>& faces, const ImVector<ImWchar>& ranges,
                                   const ImVector<ImWchar>& huge_ranges) const;
    void upload(SDL_Renderer* renderer, ImFontAtlas& atlas);
    static void collect(const std::string& s, std::set<ImWchar>& chars);

    std::filesystem::path file_;
    std::vector<char> ttf_;
    std::set<ImWchar> chars_, huge_chars_;
    ImVector<ImWchar> ranges_, huge_ranges_;
    int width_ = 0, height_ = 0;
    SDL_Texture* texture_ = nullptr;
    // The atlas being built on worker_ (owned here until it replaces ImGui's).
    ImFontAtlas* next_ = nullptr;
    ImVector<ImWchar> next_ranges_, next_huge_ranges_;
    std::vector<ImFont*> next_fonts_;
    std::thread worker_;
    std::atomic<bool> next_done_{false};
};

}  // namespace kakanai::kiosk
