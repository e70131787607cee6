#include "font_atlas.hpp"

#include <SDL.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <stdexcept>

namespace kakanai::kiosk {

FontAtlas::FontAtlas(std::filesystem::path file, const std::string& text, const std::string& huge_text)
    : file_(std::move(file)) {
    std::ifstream in(file_, std::ios::binary);
    ttf_.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    if (ttf_.empty()) throw std::runtime_error("cannot read font " + file_.string());
    collect(text, chars_);
    collect(huge_text, huge_chars_);
    for (char c = ' '; c <= '~'; ++c) huge_chars_.insert(static_cast<ImWchar>(c));
}

FontAtlas::~FontAtlas() {
    if (texture_) SDL_DestroyTexture(texture_);
}

bool FontAtlas::add_text(const std::string& s) {
    const std::size_t before = chars_.size() + huge_chars_.size();
    collect(s, chars_);
    collect(s, huge_chars_);
    return chars_.size() + huge_chars_.size() != before;
}

std::vector<ImFont*> FontAtlas::build(SDL_Renderer* renderer, const std::vector<Face>& faces) {
    ImGuiIO& io = ImGui::GetIO();
    io.Fonts->Clear();
    auto ranges = [&](const std::set<ImWchar>& chars, ImVector<ImWchar>& out) {
        ImFontGlyphRangesBuilder b;
        b.AddRanges(io.Fonts->GetGlyphRangesDefault());
        for (ImWchar c : chars) b.AddChar(c);
        out.clear();
        b.BuildRanges(&out);
    };
    ranges(chars_, ranges_);
    ranges(huge_chars_, huge_ranges_);
    ImFontConfig cfg;
    cfg.OversampleH = 1;               // large text needs no horizontal oversampling; keeps the atlas small
    cfg.FontDataOwnedByAtlas = false;  // one copy of the font file for every size
    std::vector<ImFont*> out;
    for (const Face& face : faces) {
        ImFont* f = io.Fonts->AddFontFromMemoryTTF(ttf_.data(), static_cast<int>(ttf_.size()), face.px, &cfg,
                                                   face.huge ? huge_ranges_.Data : ranges_.Data);
        if (!f) throw std::runtime_error("cannot load font " + file_.string());
        out.push_back(f);
    }
    io.Fonts->Build();
    width_ = io.Fonts->TexWidth;
    height_ = io.Fonts->TexHeight;
    upload(renderer);
    io.Fonts->ClearTexData();  // the renderer has its copy; ImGui's would only cost memory
    return out;
}

// The backend's own upload expands the whole atlas to RGBA in a second buffer
// first (4 bytes a pixel, 32 MB at 1080p); this goes from the 1-byte alpha
// atlas to the texture a band of rows at a time. (So the backend's NewFrame,
// which would upload its own copy, is never called.)
void FontAtlas::upload(SDL_Renderer* renderer) {
    ImGuiIO& io = ImGui::GetIO();
    unsigned char* alpha = nullptr;
    int w = 0, h = 0;
    io.Fonts->GetTexDataAsAlpha8(&alpha, &w, &h);
    if (texture_) SDL_DestroyTexture(texture_);
    texture_ = SDL_CreateTexture(renderer, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_STATIC, w, h);
    if (!texture_) throw std::runtime_error(std::string("cannot create the font texture: ") + SDL_GetError());
    SDL_SetTextureBlendMode(texture_, SDL_BLENDMODE_BLEND);
    const int band = 128;
    std::vector<Uint32> rows(static_cast<std::size_t>(w) * band);
    for (int y0 = 0; y0 < h; y0 += band) {
        const int n = std::min(band, h - y0);
        const unsigned char* src = alpha + static_cast<std::size_t>(y0) * static_cast<std::size_t>(w);
        for (std::size_t i = 0; i < static_cast<std::size_t>(w) * static_cast<std::size_t>(n); ++i)
            rows[i] = Uint32{src[i]} << 24 | 0x00FFFFFFu;
        const SDL_Rect r{0, y0, w, n};
        SDL_UpdateTexture(texture_, &r, rows.data(), w * 4);
    }
    io.Fonts->SetTexID(texture_);
}

void FontAtlas::collect(const std::string& s, std::set<ImWchar>& chars) {
    ImVector<ImWchar> tmp;
    ImFontGlyphRangesBuilder b;
    b.AddText(s.c_str());
    b.BuildRanges(&tmp);
    for (int i = 0; i + 1 < tmp.Size; i += 2)
        for (unsigned c = tmp[i]; c <= tmp[i + 1]; ++c) chars.insert(static_cast<ImWchar>(c));
}

}  // namespace kakanai::kiosk
