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
    if (worker_.joinable()) worker_.join();
    if (next_) IM_DELETE(next_);
    if (texture_) SDL_DestroyTexture(texture_);
}

bool FontAtlas::add_text(const std::string& s) {
    const std::size_t before = chars_.size() + huge_chars_.size();
    collect(s, chars_);
    collect(s, huge_chars_);
    return chars_.size() + huge_chars_.size() != before;
}

void FontAtlas::add_ranges(ImFontAtlas& atlas, ImVector<ImWchar>& ranges, ImVector<ImWchar>& huge_ranges) const {
    auto range = [&](const std::set<ImWchar>& chars, ImVector<ImWchar>& r) {
        ImFontGlyphRangesBuilder b;
        b.AddRanges(atlas.GetGlyphRangesDefault());
        for (ImWchar c : chars) b.AddChar(c);
        r.clear();
        b.BuildRanges(&r);
    };
    range(chars_, ranges);
    range(huge_chars_, huge_ranges);
}

// (ImGui copies the font file into the atlas for every face: tens of
// milliseconds, so the asynchronous build does this on its worker too.)
std::vector<ImFont*> FontAtlas::add_faces(ImFontAtlas& atlas, const std::vector<Face>& faces,
                                          const ImVector<ImWchar>& ranges, const ImVector<ImWchar>& huge_ranges) const {
    ImFontConfig cfg;
    cfg.OversampleH = 1;  // large text needs no horizontal oversampling; keeps the atlas small
    cfg.FontDataOwnedByAtlas = false;
    // Readings are kana: a small face with only these costs little atlas room.
    static const ImWchar kRubyRanges[] = {0x0020, 0x00FF, 0x3000, 0x30FF, 0};
    std::vector<ImFont*> out;
    for (const Face& face : faces) {
        const ImWchar* r = face.ruby ? kRubyRanges : face.huge ? huge_ranges.Data : ranges.Data;
        ImFontConfig c = cfg;
        if (face.ruby) c.OversampleH = 2;  // small glyphs stay crisp
        ImFont* f = atlas.AddFontFromMemoryTTF(const_cast<char*>(ttf_.data()), static_cast<int>(ttf_.size()), face.px,
                                               &c, r);
        if (!f) throw std::runtime_error("cannot load font " + file_.string());
        out.push_back(f);
    }
    return out;
}

std::vector<ImFont*> FontAtlas::build(SDL_Renderer* renderer, const std::vector<Face>& faces) {
    ImGuiIO& io = ImGui::GetIO();
    io.Fonts->Clear();
    add_ranges(*io.Fonts, ranges_, huge_ranges_);
    std::vector<ImFont*> out = add_faces(*io.Fonts, faces, ranges_, huge_ranges_);
    io.Fonts->Build();
    width_ = io.Fonts->TexWidth;
    height_ = io.Fonts->TexHeight;
    upload(renderer, *io.Fonts);
    io.Fonts->ClearTexData();  // the renderer has its copy; ImGui's would only cost memory
    return out;
}

void FontAtlas::start_build(const std::vector<Face>& faces) {
    if (next_) return;
    next_ = IM_NEW(ImFontAtlas)();
    add_ranges(*next_, next_ranges_, next_huge_ranges_);
    next_done_ = false;
    // The worker touches only next_, its ranges and the font file, which nothing changes meanwhile.
    worker_ = std::thread([this, faces] {
        try {
            next_fonts_ = add_faces(*next_, faces, next_ranges_, next_huge_ranges_);
            next_->Build();
        } catch (...) {
            next_fonts_.clear();
        }
        next_done_ = true;
    });
}

std::optional<std::vector<ImFont*>> FontAtlas::finish_build(SDL_Renderer* renderer) {
    if (!next_ || !next_done_) return std::nullopt;
    worker_.join();
    if (next_fonts_.empty()) throw std::runtime_error("cannot load font " + file_.string());
    ImGuiIO& io = ImGui::GetIO();
    width_ = next_->TexWidth;
    height_ = next_->TexHeight;
    upload(renderer, *next_);
    next_->ClearTexData();
    // Between frames: nothing drawn refers to the old atlas any more.
    IM_DELETE(io.Fonts);
    io.Fonts = next_;
    next_ = nullptr;
    ranges_.swap(next_ranges_);  // the fonts point into these ranges
    huge_ranges_.swap(next_huge_ranges_);
    return std::move(next_fonts_);
}

// The backend's own upload expands the whole atlas to RGBA in a second buffer
// first (4 bytes a pixel, 32 MB at 1080p); this goes from the 1-byte alpha
// atlas to the texture a band of rows at a time. (So the backend's NewFrame,
// which would upload its own copy, is never called.)
void FontAtlas::upload(SDL_Renderer* renderer, ImFontAtlas& atlas) {
    unsigned char* alpha = nullptr;
    int w = 0, h = 0;
    atlas.GetTexDataAsAlpha8(&alpha, &w, &h);
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
    atlas.SetTexID(texture_);
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
