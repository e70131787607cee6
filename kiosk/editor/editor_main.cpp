// kakanai-forms-editor TEMPLATE: the administrator's layout editor. The page at
// true scale (100 % = 96 px per inch) with mm rulers, the template's background
// under it, every box over it; click to select, drag to move, drag a handle to
// resize (snap 0.5 mm), arrow keys 0.1 mm (shift: 1 mm); a side panel for the
// field, its binding, size, alignment, cells and marks; the page filled with
// typical or the longest sample values as printing renders it (poppler), every
// overflow in red. Sections: 1. pictures as textures  2. the editor  3. test hooks.
#include <SDL.h>
#include <backends/imgui_impl_sdl.h>
#include <backends/imgui_impl_sdlrenderer.h>
#include <imgui.h>
#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-global.h>
#include <poppler/cpp/poppler-image.h>
#include <poppler/cpp/poppler-page-renderer.h>
#include <poppler/cpp/poppler-page.h>
#include <sys/stat.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "kakanai/base/build_options.hpp"
#include "kakanai/forms/wareki.hpp"
#include "kakanai/printing/image.hpp"
#include "kakanai/printing/overflow.hpp"
#include "font_atlas.hpp"
#include "kit.hpp"
#include "layout_doc.hpp"
#include "renderer.hpp"
#include "samples.hpp"
#if KAKANAI_TEST_HOOKS
#include "script.hpp"
#endif

namespace kakanai::kiosk::editor {
namespace {

using Clock = std::chrono::steady_clock;
constexpr float kPxPerMmAt100 = 96.0f / 25.4f;  // 100 %: a CSS pixel per 1/96 inch
constexpr double kPageW = 210, kPageH = 297;

struct Options {
    std::filesystem::path file;
    int width = 1600, height = 1000;
    std::string renderer = "auto";
    std::filesystem::path font = "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf";
    std::optional<std::filesystem::path> script;
    std::filesystem::path screenshots = ".";
};

// ---- 1. Pictures as textures (the background scan; the rendered sample page).

struct Texture {
    SDL_Texture* tex = nullptr;
    int w = 0, h = 0;
    void reset() {
        if (tex) SDL_DestroyTexture(tex);
        tex = nullptr;
    }
};

// Halves the picture until it fits a texture side (a 600 dpi scan is 7,000 px tall).
printing::RgbaImage shrink_to(printing::RgbaImage img, int max_side) {
    while (img.width > max_side || img.height > max_side) {
        printing::RgbaImage half;
        half.width = img.width / 2;
        half.height = img.height / 2;
        half.pixels.resize(static_cast<std::size_t>(half.width) * static_cast<std::size_t>(half.height) * 4);
        for (int y = 0; y < half.height; ++y)
            for (int x = 0; x < half.width; ++x)
                for (int c = 0; c < 4; ++c) {
                    auto at = [&](int xx, int yy) {
                        return img.pixels[(static_cast<std::size_t>(yy) * static_cast<std::size_t>(img.width) + static_cast<std::size_t>(xx)) * 4 + static_cast<std::size_t>(c)];
                    };
                    const int sum = at(2 * x, 2 * y) + at(2 * x + 1, 2 * y) + at(2 * x, 2 * y + 1) + at(2 * x + 1, 2 * y + 1);
                    half.pixels[(static_cast<std::size_t>(y) * static_cast<std::size_t>(half.width) + static_cast<std::size_t>(x)) * 4 + static_cast<std::size_t>(c)] =
                        static_cast<std::uint8_t>(sum / 4);
                }
        img = std::move(half);
    }
    return img;
}

Texture upload(SDL_Renderer* r, const printing::RgbaImage& img) {
    Texture t;
    SDL_RendererInfo info{};
    SDL_GetRendererInfo(r, &info);
    const int max_side = info.max_texture_width > 0 ? std::min(info.max_texture_width, 4096) : 4096;
    const printing::RgbaImage fit = shrink_to(img, max_side);
    t.tex = SDL_CreateTexture(r, SDL_PIXELFORMAT_RGBA32, SDL_TEXTUREACCESS_STATIC, fit.width, fit.height);
    if (!t.tex) return t;
    SDL_UpdateTexture(t.tex, nullptr, fit.pixels.data(), fit.width * 4);
    SDL_SetTextureBlendMode(t.tex, SDL_BLENDMODE_BLEND);
    t.w = fit.width;
    t.h = fit.height;
    return t;
}

// Page 1 of a PDF as ink on clear: everything printing draws is black, so the
// grey level becomes the alpha and the background shows through the paper.
printing::RgbaImage rasterise_ink(const std::vector<std::uint8_t>& pdf, double dpi) {
    printing::RgbaImage out;
        poppler::set_debug_error_function([](const std::string&, void*) {}, nullptr);  // libharu's CMaps draw warnings
    std::unique_ptr<poppler::document> doc(
        poppler::document::load_from_raw_data(reinterpret_cast<const char*>(pdf.data()), static_cast<int>(pdf.size())));
    if (!doc || doc->pages() < 1) return out;
    std::unique_ptr<poppler::page> page(doc->create_page(0));
    poppler::page_renderer pr;
    pr.set_render_hint(poppler::page_renderer::antialiasing, true);
    pr.set_render_hint(poppler::page_renderer::text_antialiasing, true);
    pr.set_image_format(poppler::image::format_argb32);
    const poppler::image img = pr.render_page(page.get(), dpi, dpi);
    if (!img.is_valid()) return out;
    out.width = img.width();
    out.height = img.height();
    out.pixels.resize(static_cast<std::size_t>(out.width) * static_cast<std::size_t>(out.height) * 4);
    for (int y = 0; y < out.height; ++y) {
        const auto* row = reinterpret_cast<const std::uint32_t*>(img.const_data() + static_cast<std::ptrdiff_t>(y) * img.bytes_per_row());
        for (int x = 0; x < out.width; ++x) {
            const std::uint32_t p = row[x];
            const int r = (p >> 16) & 0xFF, g = (p >> 8) & 0xFF, b = p & 0xFF;
            std::uint8_t* o = &out.pixels[(static_cast<std::size_t>(y) * static_cast<std::size_t>(out.width) + static_cast<std::size_t>(x)) * 4];
            o[0] = 0x10;
            o[1] = 0x10;
            o[2] = 0x60;  // values in dark blue, apart from the form's black
            o[3] = static_cast<std::uint8_t>(255 - std::min({r, g, b}));
        }
    }
    return out;
}

// ---- 2. The editor.

enum class Handle { None, Move, Left, Right, Top, Bottom, TopLeft, TopRight, BottomLeft, BottomRight };

struct Drag {
    ItemRef item;
    Handle handle = Handle::None;
    ImVec2 start_mouse;
    forms::LayoutItem start;
};

// Scripted input replaces the mouse and keyboard for one frame each (test hooks).
struct SynthFrame {
    ImVec2 pos;
    bool down = false;
    int key = -1;  // an SDL scancode pressed this frame
    bool shift = false;
};

const char* kCardValues[] = {"name", "address", "birth_date", "sex", "my_number", "card_read"};

class Editor {
public:
    explicit Editor(Options o) : opt_(std::move(o)), doc_(LayoutDoc::open(opt_.file)) {
        if (!std::filesystem::is_regular_file(opt_.font))
            throw std::runtime_error("font file missing: " + opt_.font.string() +
                                     " (install the Debian package fonts-ipaexfont-gothic)");
#if KAKANAI_TEST_HOOKS
        if (opt_.script) {
            script_ = Script::load(*opt_.script, ScriptFor::Editor);
            layout_check_.emplace();
            set_layout_check(&*layout_check_);
        }
#endif
    }

    int run() {
        Display display;
        const bool automated = scripted();
        if (!open_ui("kakanai-forms-editor", "kakanai forms editor", opt_.width, opt_.height,
                     SDL_WINDOW_ALLOW_HIGHDPI | (automated ? 0u : static_cast<unsigned>(SDL_WINDOW_RESIZABLE)), opt_.renderer,
                     true, &display))
            return 3;
        renderer_ = display.renderer;
        SDL_StartTextInput();
        load_background();
        const int rc = loop();
        bg_.reset();
        fill_.reset();
        close_ui(display);
        return rc;
    }

private:
    bool scripted() const {
#if KAKANAI_TEST_HOOKS
        return script_.has_value();
#else
        return false;
#endif
    }

    void load_background() {
        bg_.reset();
        bg_error_.clear();
        const auto& t = doc_.tmpl();
        std::filesystem::path file = t.background;
        for (const auto& it : t.layout)  // an `image` item that covers the page serves as well
            if (file.empty() && it.kind == "image") file = t.file.parent_path() / it.image;
        if (file.empty()) return;
        try {
            bg_ = upload(renderer_, printing::decode_image(file));
        } catch (const printing::ImageError& e) {
            bg_error_ = e.what();
            std::fprintf(stderr, "kakanai-forms-editor: %s\n", e.what());
        }
    }

    // Everything the screen may show: the atlas holds only these characters.
    std::string all_text() const {
        std::string s =
            " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~"
            // Every Japanese character of this file's texts (check with grep when adding one).
            "→、。「」あえがきさしせてでなのはまみめりをんカクッドベラリル・ー中人今他件位住体使保個値像入全出別力升"
            "取右号名問固変大央字存定小左幅年性所択拡揃数文方日景更最月未本標横欄氏済準版生用画番目示種空縦縮置肢背表"
            "見読質選長項類高（）＋－：がりますもう一度閉じると破棄";
        const auto& t = doc_.tmpl();
        s += t.title.ja + t.id + t.file.string() + bg_error_ + status_;
        for (const auto& f : t.fields) {
            s += f.id + f.label.ja + f.source_key;
            for (const auto& c : f.choices) s += c.value + c.label.ja;
        }
        for (const auto& g : t.groups) {
            s += g.id + g.label.ja;
            for (const auto& f : g.fields) {
                s += f.id + f.label.ja + f.source_key;
                for (const auto& c : f.choices) s += c.value + c.label.ja;
            }
        }
        for (const auto& r : doc_.items()) s += doc_.describe(r) + doc_.item(r).text.ja;
        for (const auto& o : overflows_) s += o.message;
        for (const auto& p : problems_) s += p;
        return s;
    }

    static float em_for(int w, int h) {
        return std::max(14.0f, std::min(static_cast<float>(w) / 70.0f, static_cast<float>(h) / 42.0f));
    }

    void build_fonts() {
        const auto f = atlas_->build(renderer_, {FontAtlas::Face{em_ * 0.8f}, FontAtlas::Face{em_ * 0.6f}});
        body_ = f[0];
        small_ = f[1];
        ImGuiStyle& st = ImGui::GetStyle();
        st = ImGuiStyle();
        ImGui::StyleColorsLight(&st);
        // Mouse targets of at least 1.4 em, as the staff station's.
        st.FramePadding = ImVec2(em_ * 0.4f, em_ * 0.3f);
        st.ItemSpacing = ImVec2(em_ * 0.4f, em_ * 0.35f);
        st.WindowPadding = ImVec2(em_ * 0.5f, em_ * 0.4f);
        st.WindowRounding = 0;
        st.ChildRounding = 0;
    }

    int loop() {
        SDL_GetRendererOutputSize(renderer_, &w_, &h_);
        em_ = em_for(w_, h_);
        atlas_.emplace(opt_.font, all_text());
        build_fonts();
        fit_page();
#if KAKANAI_TEST_HOOKS
        deadline_ = Clock::now() + std::chrono::seconds(30);
#endif
        for (;;) {
            SDL_Event e;
            const bool busy = scripted() || frames_ > 0 || drag_;
            const bool got = busy ? SDL_PollEvent(&e) : SDL_WaitEventTimeout(&e, 500);
            if (got) {
                do {
                    ImGui_ImplSDL2_ProcessEvent(&e);
                    if (e.type == SDL_QUIT && !quit_requested()) return 0;
                    if (e.type == SDL_WINDOWEVENT && e.window.event == SDL_WINDOWEVENT_SIZE_CHANGED) resized_ = true;
                } while (SDL_PollEvent(&e));
                frames_ = std::max(frames_, 3);
            }
            if (resized_) {
                resized_ = false;
                SDL_GetRendererOutputSize(renderer_, &w_, &h_);
                em_ = em_for(w_, h_);
                build_fonts();
            }
            if (atlas_->add_text(all_text())) build_fonts();
            if (frames_ <= 0 && !scripted()) continue;
            refresh_fill();
            draw_frame();
#if KAKANAI_TEST_HOOKS
            if (const auto rc = after_draw()) return *rc;
#endif
            SDL_RenderPresent(renderer_);
        }
    }

    // --- The sample page: printing's rendering and overflow check, redone after an edit settles.
    void refresh_fill() {
        if (sample_ == 0 || !fill_stale_ || drag_) return;
        if (Clock::now() - last_edit_ < std::chrono::milliseconds(scripted() ? 0 : 250)) {
            frames_ = std::max(frames_, 1);
            return;
        }
        fill_stale_ = false;
        fill_.reset();
        overflows_.clear();
        fill_error_.clear();
        const auto set = sample_ == 2 ? SampleSet::Longest : SampleSet::Typical;
        try {
            forms::FilledForm form = sample_form(doc_.tmpl(), set, forms::today_iso());
            printing::PdfOptions po;
            po.application_id = "PREVIEW";
            const auto check = printing::check_overflows(doc_.tmpl(), form, po);
            overflows_ = check.overflows;
            fill_ = upload(renderer_, rasterise_ink(check.pdf, 150));
        } catch (const std::exception& e) {
            fill_error_ = e.what();
        }
        frames_ = std::max(frames_, 3);
    }

    // Closing with unsaved changes asks once: the second close discards them.
    bool quit_requested() {
        if (!doc_.dirty() || quit_warned_) return false;
        quit_warned_ = true;
        status_ = "未保存の変更があります。もう一度閉じると破棄します";
        frames_ = std::max(frames_, 3);
        return true;
    }

    void edited() {
        fill_stale_ = true;
        last_edit_ = Clock::now();
        status_.clear();
        quit_warned_ = false;
    }

    float ppm() const { return kPxPerMmAt100 * zoom_; }
    ImVec2 to_px(double x, double y) const {
        return ImVec2(page_x_ + static_cast<float>(x) * ppm(), page_y_ + static_cast<float>(y) * ppm());
    }
    double to_mm_x(float px) const { return (px - page_x_) / ppm(); }
    double to_mm_y(float px) const { return (px - page_y_) / ppm(); }

    void fit_page() {
        const float avail_h = static_cast<float>(h_) - toolbar_h() - ruler() - em_;
        zoom_ = std::clamp(avail_h / (static_cast<float>(kPageH) * kPxPerMmAt100), 0.25f, 4.0f);
        off_x_ = em_;
        off_y_ = em_ * 0.5f;
    }
    void zoom_to(float z, ImVec2 around) {
        const double mx = to_mm_x(around.x), my = to_mm_y(around.y);
        zoom_ = std::clamp(z, 0.25f, 6.0f);
        // Keep the point under the mouse where it is.
        off_x_ += around.x - (page_x_ + static_cast<float>(mx) * ppm());
        off_y_ += around.y - (page_y_ + static_cast<float>(my) * ppm());
    }

    float toolbar_h() const { return em_ * 2.4f; }
    float ruler() const { return em_ * 1.2f; }
    float panel_w() const { return std::min(em_ * 19.0f, static_cast<float>(w_) * 0.4f); }

    bool button(const std::string& id, const std::string& label, bool on = false) {
        if (on) ImGui::PushStyleColor(ImGuiCol_Button, IM_COL32(120, 170, 230, 255));
        const bool clicked = ImGui::Button((label + "##" + id).c_str(), ImVec2(0, em_ * 1.4f));
        if (on) ImGui::PopStyleColor();
        return button_pressed(id, label, clicked, true, pending_tap_, drawn_, taps_);
    }

    void draw_frame() {
        ImGui_ImplSDL2_NewFrame();
#if KAKANAI_TEST_HOOKS
        apply_synth();
#endif
        ImGui::NewFrame();
        drawn_.clear();
        taps_.clear();
        if (LayoutCheck* c = layout_check()) {
            c->begin_frame("editor", static_cast<float>(w_), static_cast<float>(h_));
            c->set_content(Box{0, 0, static_cast<float>(w_), static_cast<float>(h_)});
            c->set_min_target(em_ * 1.4f - 1);
        }
        ImGui::SetNextWindowPos(ImVec2(0, 0));
        ImGui::SetNextWindowSize(ImVec2(static_cast<float>(w_), static_cast<float>(h_)));
        ImGui::PushFont(body_);
        ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));  // the canvas reaches the window's edges
        ImGui::Begin("##editor", nullptr,
                     ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoBringToFrontOnFocus |
                         ImGuiWindowFlags_NoScrollWithMouse | ImGuiWindowFlags_NoSavedSettings);
        ImGui::PopStyleVar();
        draw_toolbar();
        draw_canvas();
        draw_panel();
        ImGui::End();
        ImGui::PopFont();
        keys();
        ImGui::Render();
        SDL_SetRenderDrawColor(renderer_, 236, 236, 236, 255);
        SDL_RenderClear(renderer_);
        ImGui_ImplSDLRenderer_RenderDrawData(ImGui::GetDrawData());
        --frames_;
    }

    void draw_toolbar() {
        ImGui::BeginChild("toolbar", ImVec2(0, toolbar_h()), false,
                          ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_AlwaysUseWindowPadding);
        if (button("toolbar.save", "保存 Save")) save();
        ImGui::SameLine();
        ImGui::TextUnformatted("見本:");
        ImGui::SameLine();
        if (button("sample.off", "なし", sample_ == 0)) set_sample(0);
        ImGui::SameLine();
        if (button("sample.typical", "標準", sample_ == 1)) set_sample(1);
        ImGui::SameLine();
        if (button("sample.longest", "最長", sample_ == 2)) set_sample(2);
        ImGui::SameLine();
        const ImVec2 centre(canvas_.x + canvas_.z * 0.5f, canvas_.y + canvas_.w * 0.5f);
        if (button("zoom.out", "－")) zoom_to(zoom_ / 1.25f, centre);
        ImGui::SameLine();
        if (button("zoom.100", std::to_string(static_cast<int>(std::lround(zoom_ * 100))) + "%")) zoom_to(1.0f, centre);
        ImGui::SameLine();
        if (button("zoom.in", "＋")) zoom_to(zoom_ * 1.25f, centre);
        ImGui::SameLine();
        if (button("zoom.fit", "全体")) fit_page();
        ImGui::SameLine();
        const auto& t = doc_.tmpl();
        std::string s = t.id + " v" + std::to_string(t.version) + (doc_.dirty() ? "  未保存の変更あり" : "");
        if (sample_ && !fill_stale_) s += "  はみ出し " + std::to_string(overflows_.size()) + " 件";
        if (!status_.empty()) s += "  " + status_;
        ImGui::TextUnformatted(s.c_str());
        ImGui::EndChild();
    }

    void set_sample(int s) {
        sample_ = s;
        fill_stale_ = true;
        last_edit_ = Clock::time_point{};
    }

    // The page, its rulers and the boxes; mouse handling for select, move and resize.
    void draw_canvas() {
        const float x0 = 0, y0 = toolbar_h(), x1 = static_cast<float>(w_) - panel_w(), y1 = static_cast<float>(h_);
        canvas_ = ImVec4(x0, y0, x1 - x0, y1 - y0);
        ImGui::SetCursorScreenPos(ImVec2(x0, y0));
        ImGui::BeginChild("canvas", ImVec2(x1 - x0, y1 - y0), false,
                          ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse | ImGuiWindowFlags_NoMove);
        ImDrawList* dl = ImGui::GetWindowDrawList();
        const float r = ruler();
        page_x_ = x0 + r + off_x_;
        page_y_ = y0 + r + off_y_;
        ImGui::SetCursorScreenPos(ImVec2(x0 + r, y0 + r));
        ImGui::InvisibleButton("page", ImVec2(std::max(1.0f, x1 - x0 - r), std::max(1.0f, y1 - y0 - r)));
        const bool hovered = ImGui::IsItemHovered();
        dl->PushClipRect(ImVec2(x0 + r, y0 + r), ImVec2(x1, y1), true);
        const ImVec2 pa = to_px(0, 0), pb = to_px(kPageW, kPageH);
        dl->AddRectFilled(ImVec2(pa.x + 4, pa.y + 4), ImVec2(pb.x + 4, pb.y + 4), IM_COL32(0, 0, 0, 40));
        dl->AddRectFilled(pa, pb, IM_COL32(255, 255, 255, 255));
        if (bg_.tex) dl->AddImage(static_cast<ImTextureID>(bg_.tex), pa, pb);
        if (sample_ && fill_.tex) dl->AddImage(static_cast<ImTextureID>(fill_.tex), pa, pb);
        dl->AddRect(pa, pb, IM_COL32(60, 60, 60, 255));
        draw_boxes(dl);
        dl->PopClipRect();
        draw_rulers(dl, x0, y0, x1, y1);
        mouse(hovered);
        ImGui::EndChild();
    }

    bool overflowing(ItemRef r) const {
        return std::any_of(overflows_.begin(), overflows_.end(),
                           [&](const printing::Overflow& o) { return o.group == r.group && o.item == r.index; });
    }

    void draw_boxes(ImDrawList* dl) {
        const auto& t = doc_.tmpl();
        for (const auto& r : doc_.items()) {
            if (!doc_.editable(r)) continue;
            const auto& it = doc_.item(r);
            const int rows = r.group < 0 ? 1 : std::max(1, t.groups[static_cast<std::size_t>(r.group)].max);
            const double pitch = r.group < 0 ? 0 : t.groups[static_cast<std::size_t>(r.group)].pitch;
            const bool sel = sel_ && *sel_ == r;
            const bool over = sample_ && !fill_stale_ && overflowing(r);
            for (int row = 0; row < rows; ++row) {
                const ImVec2 a = to_px(it.x, it.y + pitch * row), b = to_px(it.x + it.w, it.y + pitch * row + it.h);
                ImU32 col = r.group < 0 ? IM_COL32(30, 110, 200, 255) : IM_COL32(20, 150, 110, 255);
                if (row > 0) col = (col & 0x00FFFFFF) | 0x70000000;
                if (over) {
                    dl->AddRectFilled(a, b, IM_COL32(230, 30, 30, 60));
                    col = IM_COL32(220, 0, 0, 255);
                }
                if (it.kind == "line") dl->AddLine(a, b, col, sel ? 3.0f : 1.5f);
                else dl->AddRect(a, b, col, 0, 0, sel ? 2.5f : (over ? 2.5f : 1.0f));
                if (row == 0 && !sample_) {
                    std::string name = it.kind == "label" ? it.text.ja : it.field;
                    if (!it.option.empty()) name += "=" + it.option;
                    const float fs = std::min(em_ * 0.6f, std::max(8.0f, (b.y - a.y) * 0.45f));
                    dl->PushClipRect(a, ImVec2(std::max(a.x + 1, b.x), std::max(a.y + 1, b.y)), true);
                    dl->AddText(small_, fs, ImVec2(a.x + 2, a.y + 1), IM_COL32(20, 60, 140, 255), name.c_str());
                    dl->PopClipRect();
                }
                if (over && row == 0) dl->AddText(small_, em_ * 0.6f, ImVec2(a.x + 2, b.y + 1), IM_COL32(200, 0, 0, 255), "はみ出し");
            }
            if (sel) {
                for (const auto& [h, p] : handles(it)) {
                    (void)h;
                    const float s = em_ * 0.3f;
                    dl->AddRectFilled(ImVec2(p.x - s, p.y - s), ImVec2(p.x + s, p.y + s), IM_COL32(255, 255, 255, 255));
                    dl->AddRect(ImVec2(p.x - s, p.y - s), ImVec2(p.x + s, p.y + s), IM_COL32(30, 110, 200, 255), 0, 0, 1.5f);
                }
            }
        }
    }

    std::vector<std::pair<Handle, ImVec2>> handles(const forms::LayoutItem& it) const {
        const ImVec2 a = to_px(it.x, it.y), b = to_px(it.x + it.w, it.y + it.h);
        const float mx = (a.x + b.x) / 2, my = (a.y + b.y) / 2;
        if (it.kind == "line") return {{Handle::TopLeft, a}, {Handle::BottomRight, b}};
        return {{Handle::TopLeft, a},           {Handle::Top, ImVec2(mx, a.y)},    {Handle::TopRight, ImVec2(b.x, a.y)},
                {Handle::Left, ImVec2(a.x, my)}, {Handle::Right, ImVec2(b.x, my)},  {Handle::BottomLeft, ImVec2(a.x, b.y)},
                {Handle::Bottom, ImVec2(mx, b.y)}, {Handle::BottomRight, b}};
    }

    void draw_rulers(ImDrawList* dl, float x0, float y0, float x1, float y1) {
        const float r = ruler();
        dl->AddRectFilled(ImVec2(x0, y0), ImVec2(x1, y0 + r), IM_COL32(250, 250, 245, 255));
        dl->AddRectFilled(ImVec2(x0, y0), ImVec2(x0 + r, y1), IM_COL32(250, 250, 245, 255));
        const ImU32 ink = IM_COL32(70, 70, 70, 255);
        const int step = ppm() >= 3 ? 1 : ppm() >= 1 ? 5 : 10;
        const float fs = em_ * 0.5f;
        for (int mm = 0; mm <= 210; mm += step) {
            const float x = to_px(mm, 0).x;
            if (x < x0 + r || x > x1) continue;
            const float len = mm % 10 == 0 ? r * 0.6f : mm % 5 == 0 ? r * 0.4f : r * 0.2f;
            dl->AddLine(ImVec2(x, y0 + r - len), ImVec2(x, y0 + r), ink);
            if (mm % 10 == 0 && (ppm() >= 2 || mm % 50 == 0)) dl->AddText(small_, fs, ImVec2(x + 2, y0 + 1), ink, std::to_string(mm).c_str());
        }
        for (int mm = 0; mm <= 297; mm += step) {
            const float y = to_px(0, mm).y;
            if (y < y0 + r || y > y1) continue;
            const float len = mm % 10 == 0 ? r * 0.35f : mm % 5 == 0 ? r * 0.25f : r * 0.15f;  // labels beside
            dl->AddLine(ImVec2(x0 + r - len, y), ImVec2(x0 + r, y), ink);
            if (mm % 10 == 0 && (ppm() >= 2 || mm % 50 == 0)) dl->AddText(small_, fs, ImVec2(x0 + 1, y + 1), ink, std::to_string(mm).c_str());
        }
        dl->AddText(small_, fs, ImVec2(x0 + 2, y0 + 1), ink, "mm");
        // Where the selected box is, on both rulers.
        if (sel_) {
            const auto& it = doc_.item(*sel_);
            const ImVec2 a = to_px(it.x, it.y), b = to_px(it.x + it.w, it.y + it.h);
            dl->AddRectFilled(ImVec2(std::max(a.x, x0 + r), y0 + r - 3), ImVec2(std::min(b.x, x1), y0 + r), IM_COL32(30, 110, 200, 200));
            dl->AddRectFilled(ImVec2(x0 + r - 3, std::max(a.y, y0 + r)), ImVec2(x0 + r, std::min(b.y, y1)), IM_COL32(30, 110, 200, 200));
        }
    }

    void mouse(bool hovered) {
        ImGuiIO& io = ImGui::GetIO();
        if (hovered && io.MouseWheel != 0) {
            if (io.KeyCtrl) zoom_to(zoom_ * (io.MouseWheel > 0 ? 1.15f : 1 / 1.15f), io.MousePos);
            else if (io.KeyShift) off_x_ += io.MouseWheel * em_ * 3;
            else off_y_ += io.MouseWheel * em_ * 3;
        }
        if (hovered && io.MouseWheelH != 0) off_x_ += io.MouseWheelH * em_ * 3;
        if (hovered && ImGui::IsMouseDragging(ImGuiMouseButton_Middle)) {
            off_x_ += io.MouseDelta.x;
            off_y_ += io.MouseDelta.y;
        }
        if (hovered && ImGui::IsMouseClicked(ImGuiMouseButton_Left)) {
            const ImVec2 m = io.MousePos;
            Handle h = Handle::None;
            if (sel_) {
                const float s = em_ * 0.4f;
                for (const auto& [hh, p] : handles(doc_.item(*sel_)))
                    if (std::fabs(m.x - p.x) <= s && std::fabs(m.y - p.y) <= s) h = hh;
            }
            if (h == Handle::None) {
                sel_ = doc_.hit(to_mm_x(m.x), to_mm_y(m.y));
                h = Handle::Move;
            }
            if (sel_) drag_ = Drag{*sel_, h, m, doc_.item(*sel_)};
        }
        if (drag_ && ImGui::IsMouseDown(ImGuiMouseButton_Left)) {
            const double dx = (io.MousePos.x - drag_->start_mouse.x) / ppm(), dy = (io.MousePos.y - drag_->start_mouse.y) / ppm();
            if (dx != 0 || dy != 0) apply_drag(*drag_, dx, dy);
        } else if (drag_) {
            drag_.reset();
            edited();
        }
    }

    void apply_drag(const Drag& d, double dx, double dy) {
        const auto& s = d.start;
        double l = s.x, t = s.y, r = s.x + s.w, b = s.y + s.h;
        switch (d.handle) {
            case Handle::Move: {
                const double nx = snap(s.x + dx, kSnapMm), ny = snap(s.y + dy, kSnapMm);
                doc_.set_rect(d.item, nx, ny, s.w, s.h);
                last_edit_ = Clock::now();
                return;
            }
            case Handle::Left: l = snap(l + dx, kSnapMm); break;
            case Handle::Right: r = snap(r + dx, kSnapMm); break;
            case Handle::Top: t = snap(t + dy, kSnapMm); break;
            case Handle::Bottom: b = snap(b + dy, kSnapMm); break;
            case Handle::TopLeft: l = snap(l + dx, kSnapMm); t = snap(t + dy, kSnapMm); break;
            case Handle::TopRight: r = snap(r + dx, kSnapMm); t = snap(t + dy, kSnapMm); break;
            case Handle::BottomLeft: l = snap(l + dx, kSnapMm); b = snap(b + dy, kSnapMm); break;
            case Handle::BottomRight: r = snap(r + dx, kSnapMm); b = snap(b + dy, kSnapMm); break;
            case Handle::None: return;
        }
        if (s.kind != "line") {
            l = std::min(l, r - kMinBoxMm);
            t = std::min(t, b - kMinBoxMm);
        }
        doc_.set_rect(d.item, l, t, r - l, b - t);
        last_edit_ = Clock::now();
    }

    void keys() {
        const ImGuiIO& io = ImGui::GetIO();
        if (io.KeyCtrl && ImGui::IsKeyPressed(SDL_SCANCODE_S, false)) save();
        if (!sel_ || io.WantTextInput) return;
        const double step = ImGui::GetIO().KeyShift ? kBigNudgeMm : kNudgeMm;
        auto pressed = [](ImGuiKey k) { return ImGui::IsKeyPressed(ImGui::GetKeyIndex(k)); };
        double dx = 0, dy = 0;
        if (pressed(ImGuiKey_LeftArrow)) dx -= step;
        if (pressed(ImGuiKey_RightArrow)) dx += step;
        if (pressed(ImGuiKey_UpArrow)) dy -= step;
        if (pressed(ImGuiKey_DownArrow)) dy += step;
        if (pressed(ImGuiKey_Escape)) sel_.reset();
        if (sel_ && (dx != 0 || dy != 0)) {
            doc_.nudge(*sel_, dx, dy);
            edited();
        }
    }

    // The selected box: position, field, binding, size, alignment, cells or mark.
    void draw_panel() {
        const float x = static_cast<float>(w_) - panel_w();
        ImGui::SetCursorScreenPos(ImVec2(x, toolbar_h()));
        ImGui::BeginChild("panel", ImVec2(panel_w(), static_cast<float>(h_) - toolbar_h()), true);
        const auto& t = doc_.tmpl();
        ImGui::TextWrapped("%s", t.title.ja.c_str());
        ImGui::TextWrapped("%s", t.file.filename().c_str());
        if (!bg_error_.empty()) ImGui::TextColored(ImVec4(0.8f, 0, 0, 1), "背景画像が読めません: %s", bg_error_.c_str());
        ImGui::Separator();
        if (!sel_) {
            ImGui::TextWrapped("項目をクリックして選択");
        } else {
            item_panel(*sel_);
        }
        if (sample_ && !fill_stale_) {
            ImGui::Separator();
            ImGui::Text("はみ出し %zu 件", overflows_.size());
            for (const auto& o : overflows_) {
                const ItemRef r{o.group, o.item};
                ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32(200, 0, 0, 255));
                if (ImGui::Selectable((doc_.describe(r) + "##over" + std::to_string(o.group) + "." + std::to_string(o.item)).c_str(), sel_ && *sel_ == r))
                    sel_ = r;
                ImGui::PopStyleColor();
            }
            if (!fill_error_.empty()) ImGui::TextWrapped("%s", fill_error_.c_str());
        }
        for (const auto& p : problems_) ImGui::TextColored(ImVec4(0.8f, 0, 0, 1), "%s", p.c_str());
        ImGui::EndChild();
    }

    void item_panel(ItemRef r) {
        const forms::LayoutItem it = doc_.item(r);
        ImGui::TextWrapped("選択: %s", doc_.describe(r).c_str());
        double v[4] = {it.x, it.y, it.w, it.h};
        const char* names[4] = {"横 x mm", "縦 y mm", "幅 w mm", "高 h mm"};
        bool changed = false;
        ImGui::PushItemWidth(em_ * 7);
        for (int i = 0; i < 4; ++i) changed |= ImGui::InputDouble(names[i], &v[i], 0.1, 1.0, "%.1f");
        if (changed) {
            doc_.set_rect(r, v[0], v[1], v[2], v[3]);
            edited();
        }
        if (it.kind == "field" || it.kind == "grid" || it.kind == "label") {
            double size = it.size;
            if (ImGui::InputDouble("文字の大きさ pt", &size, 0.5, 1.0, "%.1f")) {
                doc_.set_size(r, size);
                edited();
            }
            int align = static_cast<int>(it.align);
            ImGui::TextUnformatted("揃え");
            ImGui::SameLine();
            bool a = ImGui::RadioButton("左", &align, 0);
            ImGui::SameLine();
            a |= ImGui::RadioButton("中央", &align, 1);
            ImGui::SameLine();
            a |= ImGui::RadioButton("右", &align, 2);
            if (a) {
                doc_.set_align(r, static_cast<forms::Align>(align));
                edited();
            }
        }
        if (it.kind == "field") {
            bool show = it.show_label;
            if (ImGui::Checkbox("ラベルを表示", &show)) {
                doc_.set_show_label(r, show);
                edited();
            }
        }
        if (it.kind == "grid") {
            int cells = it.cells;
            if (ImGui::InputInt("升目の数", &cells)) {
                doc_.set_cells(r, cells);
                edited();
            }
        }
        ImGui::PopItemWidth();
        const forms::Field* f = doc_.field_of(r);
        if (!f) return;
        field_choice(r, it);
        if ((it.kind == "check" || it.kind == "circle") && !f->choices.empty()) {
            ImGui::PushItemWidth(em_ * 10);
            if (ImGui::BeginCombo("選択肢", it.option.c_str())) {
                for (const auto& c : f->choices)
                    if (ImGui::Selectable((c.label.ja + " (" + c.value + ")").c_str(), c.value == it.option)) {
                        doc_.set_option(r, c.value);
                        edited();
                    }
                ImGui::EndCombo();
            }
            ImGui::PopItemWidth();
        }
        binding_panel(r, *f);
    }

    void field_choice(ItemRef r, const forms::LayoutItem& it) {
        const auto& t = doc_.tmpl();
        const std::vector<forms::Field>& fields = r.group < 0 ? t.fields : t.groups[static_cast<std::size_t>(r.group)].fields;
        ImGui::PushItemWidth(em_ * 10);
        if (ImGui::BeginCombo("項目", it.field.c_str())) {
            for (const auto& f : fields)
                if (ImGui::Selectable((f.label.ja + " (" + f.id + ")").c_str(), f.id == it.field)) {
                    doc_.set_item_field(r, f.id);
                    edited();
                }
            ImGui::EndCombo();
        }
        ImGui::PopItemWidth();
    }

    void binding_panel(ItemRef r, const forms::Field& f) {
        const std::string id = r.group < 0 ? f.id : doc_.tmpl().groups[static_cast<std::size_t>(r.group)].id + "." + f.id;
        const Binding b = doc_.binding(id);
        ImGui::TextUnformatted("値の取り方");
        ImGui::PushItemWidth(em_ * 10);
        if (ImGui::BeginCombo("##binding", binding_name(b).c_str())) {
            std::vector<Binding> offers;
            if (r.group < 0) {
                for (const char* c : kCardValues) offers.push_back({forms::Source::Card, c});
            } else {
                for (const char* c : {"name", "kana", "birth_date", "sex", "relationship"}) offers.push_back({forms::Source::Member, c});
            }
            offers.push_back({forms::Source::Question, ""});
            offers.push_back({forms::Source::Today, ""});
            offers.push_back({forms::Source::Fixed, b.source == forms::Source::Fixed ? b.key : f.label.ja});
            offers.push_back({forms::Source::None, ""});
            for (const auto& o : offers)
                if (ImGui::Selectable(binding_name(o).c_str(), o.source == b.source && o.key == b.key)) {
                    doc_.set_binding(id, o);
                    edited();
                }
            ImGui::EndCombo();
        }
        ImGui::PopItemWidth();
        if (b.source == forms::Source::Fixed) {
            char buf[256];
            std::snprintf(buf, sizeof buf, "%s", b.key.c_str());
            if (ImGui::InputText("固定の文字", buf, sizeof buf)) {
                doc_.set_binding(id, {forms::Source::Fixed, buf});
                edited();
            }
        }
    }

    void save() {
        problems_.clear();
        try {
            const Saved s = doc_.save();
            status_ = "保存済 v" + std::to_string(s.version) + " (" + s.backup.filename().string() + ")";
            std::fprintf(stderr, "kakanai-forms-editor: saved %s v%d, the previous version kept as %s\n",
                         doc_.file().c_str(), s.version, s.backup.c_str());
            load_background();
            fill_stale_ = true;
        } catch (const SaveError& e) {
            status_ = "保存できません";
            problems_.push_back(e.what());
            for (const auto& p : e.problems()) problems_.push_back(p.to_string());
            std::fprintf(stderr, "kakanai-forms-editor: %s\n", e.what());
            for (const auto& p : e.problems()) std::fprintf(stderr, "  %s\n", p.to_string().c_str());
        }
    }

#if KAKANAI_TEST_HOOKS
    // ---- 3. Test hooks: scripted runs (script.hpp, ScriptFor::Editor).

    void apply_synth() {
        if (synth_.empty()) return;
        ImGuiIO& io = ImGui::GetIO();
        const SynthFrame f = synth_.front();
        synth_.erase(synth_.begin());
        io.MousePos = f.pos;
        io.MouseDown[0] = f.down;
        for (bool& k : io.KeysDown) k = false;
        if (f.key >= 0) io.KeysDown[f.key] = true;
        io.KeyShift = f.shift;
        frames_ = std::max(frames_, 2);
    }

    // The selected box's centre on screen, scrolled into view first.
    ImVec2 centre_of_selection() {
        const auto& it = doc_.item(*sel_);
        ImVec2 c = to_px(it.x + it.w / 2, it.y + it.h / 2);
        const float vx = canvas_.x + ruler() + canvas_.z * 0.4f, vy = canvas_.y + ruler() + canvas_.w * 0.4f;
        off_x_ += vx - c.x;
        off_y_ += vy - c.y;
        page_x_ += vx - c.x;
        page_y_ += vy - c.y;
        return ImVec2(vx, vy);
    }

    // A mouse drag from `from` by (dx, dy) pixels, a frame per event, as a hand does it.
    void synth_drag(ImVec2 from, float dx, float dy) {
        synth_.push_back({from, false});
        synth_.push_back({from, true});
        for (int i = 1; i <= 6; ++i)
            synth_.push_back({ImVec2(from.x + dx * static_cast<float>(i) / 6, from.y + dy * static_cast<float>(i) / 6), true});
        synth_.push_back({ImVec2(from.x + dx, from.y + dy), false});
        synth_.push_back({ImVec2(from.x + dx, from.y + dy), false});
    }

    int fail(const std::string& why) {
        std::fprintf(stderr, "kakanai-forms-editor: script line %zu: %s\n", script_ ? script_->line() : 0, why.c_str());
        return 1;
    }

    std::optional<int> after_draw() {
        if (layout_check_ && !report_layout_problems(*layout_check_, "kakanai-forms-editor")) return fail("the layout check failed");
        if (!pending_tap_.empty()) {
            if (std::find(taps_.begin(), taps_.end(), pending_tap_) == taps_.end())
                return fail("no button " + pending_tap_ + " on screen");
            pending_tap_.clear();
            return std::nullopt;
        }
        if (!script_ || frames_ > 0 || !synth_.empty()) return std::nullopt;
        if (sample_ && fill_stale_) return std::nullopt;  // the sample page first
        if (script_->done()) {
            std::fprintf(stderr, "kakanai-forms-editor: script done\n");
            return 0;
        }
        const ScriptStep& step = script_->steps[script_->at++];
        const std::string& v = step.verb;
        auto num = [&](std::size_t i) { return std::stod(step.args.at(i)); };
        try {
            if (v == "select") {
                sel_ = doc_.find(step.args.at(0), step.args.size() > 1 ? step.args[1] : "");
                if (!sel_) return fail("no box shows " + step.arg);
            } else if (v == "click") {
                const ImVec2 p = to_px(num(0), num(1));
                synth_.push_back({p, false});
                synth_.push_back({p, true});
                synth_.push_back({p, false});
            } else if (v == "drag" || v == "resize") {
                if (!sel_) return fail(v + " needs a selected box (select FIELD)");
                ImVec2 from = centre_of_selection();
                if (v == "resize") {
                    const auto& it = doc_.item(*sel_);
                    from = to_px(it.x + it.w, it.y + it.h);
                }
                synth_drag(from, static_cast<float>(num(0)) * ppm(), static_cast<float>(num(1)) * ppm());
            } else if (v == "key") {
                std::string k = step.args.at(0);
                const bool shift = k.rfind("shift+", 0) == 0;
                if (shift) k = k.substr(6);
                const int code = k == "left" ? SDL_SCANCODE_LEFT : k == "right" ? SDL_SCANCODE_RIGHT
                               : k == "up" ? SDL_SCANCODE_UP : SDL_SCANCODE_DOWN;
                const ImVec2 away(-1, -1);
                synth_.push_back({away, false, code, shift});
                synth_.push_back({away, false, -1, false});
            } else if (v == "sample") {
                pending_tap_ = "sample." + step.arg;
            } else if (v == "save") {
                pending_tap_ = "toolbar.save";
            } else if (v == "zoom") {
                zoom_ = static_cast<float>(step.number) / 100.0f;  // the page's top-left corner in view
                off_x_ = em_;
                off_y_ = em_ * 0.5f;
            } else if (v == "expect-overflow") {
                if (static_cast<int>(overflows_.size()) != step.number) {
                    std::string names;
                    for (const auto& o : overflows_) names += " " + doc_.describe({o.group, o.item});
                    return fail("expected " + std::to_string(step.number) + " overflowing boxes, found " +
                                std::to_string(overflows_.size()) + ":" + names);
                }
                for (const auto& o : overflows_)
                    std::fprintf(stderr, "kakanai-forms-editor: overflow: %s\n", doc_.describe({o.group, o.item}).c_str());
            } else if (v == "expect-box") {
                if (!sel_) return fail("expect-box needs a selected box");
                const auto& it = doc_.item(*sel_);
                const double want[4] = {num(0), num(1), num(2), num(3)}, got[4] = {it.x, it.y, it.w, it.h};
                for (int i = 0; i < 4; ++i)
                    if (std::fabs(want[i] - got[i]) > 0.001) {
                        char b[160];
                        std::snprintf(b, sizeof b, "expected the box at %g %g %g %g mm, found %g %g %g %g", want[0], want[1],
                                      want[2], want[3], got[0], got[1], got[2], got[3]);
                        return fail(b);
                    }
            } else if (v == "expect-saved") {
                if (doc_.dirty() || !problems_.empty()) return fail("not saved: " + (problems_.empty() ? status_ : problems_.front()));
            } else if (v == "shot") {
                const auto file = opt_.screenshots / (step.arg + ".png");
                if (!save_screenshot("kakanai-forms-editor", renderer_, file, w_, h_)) return fail("cannot write " + file.string());
            } else if (v == "wait") {
                SDL_Delay(static_cast<Uint32>(step.number));
            } else {
                return fail("unknown step " + v);
            }
        } catch (const std::exception& e) {
            return fail(v + ": " + e.what());
        }
        frames_ = std::max(frames_, 2);
        if (Clock::now() > deadline_) return fail("the script took too long");
        return std::nullopt;
    }

    std::optional<Script> script_;
    std::optional<LayoutCheck> layout_check_;
    std::vector<SynthFrame> synth_;
    Clock::time_point deadline_;
#endif

    Options opt_;
    LayoutDoc doc_;
    SDL_Renderer* renderer_ = nullptr;
    std::optional<FontAtlas> atlas_;
    ImFont* body_ = nullptr;
    ImFont* small_ = nullptr;
    Texture bg_, fill_;
    std::string bg_error_, fill_error_, status_;
    std::vector<std::string> problems_;
    std::vector<printing::Overflow> overflows_;
    std::optional<ItemRef> sel_;
    std::optional<Drag> drag_;
    int sample_ = 0;  // 0 none, 1 typical, 2 longest
    bool fill_stale_ = true;
    Clock::time_point last_edit_;
    float zoom_ = 1, off_x_ = 0, off_y_ = 0, page_x_ = 0, page_y_ = 0;
    ImVec4 canvas_;  // x, y, w, h
    int w_ = 0, h_ = 0, frames_ = 3;
    float em_ = 20;
    bool resized_ = false;
    bool quit_warned_ = false;
    std::string pending_tap_;
    std::set<std::string> drawn_;
    std::vector<std::string> taps_;
};

}  // namespace
}  // namespace kakanai::kiosk::editor

int main(int argc, char** argv) {
    using namespace kakanai::kiosk::editor;
    ::umask(022);  // templates and their backups stay readable by the kiosk's user
    Options o;
    CLI::App app{"kakanai-forms-editor: lay out a form template's boxes on its page"};
    app.add_option("TEMPLATE", o.file, "the template file (.toml)")->required();
    std::string size;
    app.add_option("--size", size, "window size WxH (default 1600x1000)");
    app.add_option("--renderer", o.renderer, "SDL render driver: auto, software, opengl, ...");
    app.add_option("--font", o.font, "the screen's font (IPAexゴシック)");
#if KAKANAI_TEST_HOOKS
    std::string script;
    app.add_option("--script", script, "test hook: run this script (kiosk/ui/script.hpp)");
    app.add_option("--screenshots", o.screenshots, "test hook: where `shot` writes PNGs");
#endif
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        std::string what = e.what();
        std::replace(what.begin(), what.end(), '\n', ' ');
        std::fprintf(stderr, "kakanai-forms-editor: %s (see --help)\n", what.c_str());
        return 2;
    }
#if KAKANAI_TEST_HOOKS
    if (!script.empty()) o.script = script;
#endif
    if (!size.empty() && std::sscanf(size.c_str(), "%dx%d", &o.width, &o.height) != 2) {
        std::fprintf(stderr, "kakanai-forms-editor: --size takes WxH, e.g. 1600x1000\n");
        return 2;
    }
    try {
        Editor editor(o);
        return editor.run();
    } catch (const kakanai::forms::TemplateError& e) {
        std::fprintf(stderr, "kakanai-forms-editor: the template does not load; fix it first:\n");
        for (const auto& p : e.problems()) std::fprintf(stderr, "  %s\n", p.to_string().c_str());
        return 1;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "kakanai-forms-editor: %s\n", e.what());
        return 2;
    }
}
