#pragma once
// Text with characters outside the BMP (𠮷 U+20BB7): ImWchar is 16-bit in this
// ImGui build, so SDL_ttf renders the whole string with IPAmj明朝 (which has
// them) into a texture. Textures hold personal data: dropped on wipe. Used by
// the resident's kiosk and the staff station.
#include <SDL.h>
#include <SDL_ttf.h>

#include <cstdio>
#include <filesystem>
#include <map>
#include <string>
#include <tuple>

#include "kakanai/base/wipe.hpp"
#include "kit.hpp"

namespace kakanai::kiosk {

class RareText {
public:
    RareText(SDL_Renderer* renderer, std::filesystem::path font) : renderer_(renderer), font_(std::move(font)) {
        ok_ = std::filesystem::is_regular_file(font_) && TTF_Init() == 0;
        if (!ok_) std::fprintf(stderr, "kakanai-kiosk: rare-kanji font %s unavailable\n", font_.c_str());
    }
    ~RareText() {
        clear();
        for (auto& [px, f] : fonts_) TTF_CloseFont(f);
        if (ok_) TTF_Quit();
    }
    RareText(const RareText&) = delete;
    RareText& operator=(const RareText&) = delete;

    bool get(const std::string& text, float px, unsigned rgba, RareImage* out) {
        if (!ok_) return false;
        const auto key = std::make_tuple(text, static_cast<int>(px), rgba);
        auto it = cache_.find(key);
        if (it == cache_.end()) {
            TTF_Font* f = font(static_cast<int>(px));
            if (!f) return false;
            const SDL_Color c{static_cast<Uint8>(rgba & 0xFF), static_cast<Uint8>((rgba >> 8) & 0xFF),
                              static_cast<Uint8>((rgba >> 16) & 0xFF), 255};
            SDL_Surface* s = TTF_RenderUTF8_Blended(f, text.c_str(), c);
            if (!s) return false;
            SDL_Texture* tex = SDL_CreateTextureFromSurface(renderer_, s);
            const Entry e{tex, static_cast<float>(s->w), static_cast<float>(s->h)};
            // The surface holds the name's pixels too.
            SDL_memset(s->pixels, 0, static_cast<std::size_t>(s->pitch) * static_cast<std::size_t>(s->h));
            SDL_FreeSurface(s);
            if (!tex) return false;
            SDL_SetTextureBlendMode(tex, SDL_BLENDMODE_BLEND);
            it = cache_.emplace(key, e).first;
        }
        out->texture = it->second.tex;
        out->w = it->second.w;
        out->h = it->second.h;
        return true;
    }

    void clear() {
        for (auto& [k, e] : cache_) {
            SDL_DestroyTexture(e.tex);
            auto& text = const_cast<std::string&>(std::get<0>(k));  // a name: zeroed, then the map goes
            base::secure_zero(text.data(), text.size());
        }
        cache_.clear();
    }
    bool empty() const { return cache_.empty(); }

private:
    struct Entry {
        SDL_Texture* tex;
        float w, h;
    };
    TTF_Font* font(int px) {
        auto it = fonts_.find(px);
        if (it != fonts_.end()) return it->second;
        TTF_Font* f = TTF_OpenFont(font_.c_str(), px);
        if (f) fonts_[px] = f;
        return f;
    }
    SDL_Renderer* renderer_;
    std::filesystem::path font_;
    bool ok_ = false;
    std::map<int, TTF_Font*> fonts_;
    std::map<std::tuple<std::string, int, unsigned>, Entry> cache_;
};

}  // namespace kakanai::kiosk
