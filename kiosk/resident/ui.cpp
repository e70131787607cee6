// Screens of the resident's kiosk.
// Sections: 1. palette and style  2. widgets (text, buttons, pictograms, faces, QR)
//           3. page preview (kit.hpp)  4. one function per screen
//           5. draw(): header, screen, footer
#include "ui.hpp"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <optional>

#include "kakanai/base/wipe.hpp"
#include "kakanai/forms/guide.hpp"
#include "kakanai/forms/inputs.hpp"
#include "kakanai/forms/wareki.hpp"
#include "kakanai/printing/guide.hpp"
#include "pads.hpp"

namespace kakanai::kiosk {
namespace {

// ---- 1. Palettes. Contrast ratios by WCAG 2 relative luminance.
struct Palette {
    ImU32 paper, ink, action, action_hover, on_action, warn, frame;
};
// #121212 on #FFFFFF 18.7:1; #FFFFFF on #003380 11.9:1; #990000 on #FFFFFF 8.9:1.
const Palette kNormal{IM_COL32(255, 255, 255, 255), IM_COL32(18, 18, 18, 255), IM_COL32(0, 51, 128, 255),
                      IM_COL32(0, 40, 100, 255),    IM_COL32(255, 255, 255, 255), IM_COL32(153, 0, 0, 255),
                      IM_COL32(18, 18, 18, 255)};
// #FFFFFF on #000000 21:1; #000000 on #FFE600 16.6:1; #FF9999 on #000000 10.6:1.
// The frame (a chosen button's outline) is the action yellow: no white frame on black.
const Palette kContrast{IM_COL32(0, 0, 0, 255),       IM_COL32(255, 255, 255, 255), IM_COL32(255, 230, 0, 255),
                        IM_COL32(255, 245, 120, 255), IM_COL32(0, 0, 0, 255),       IM_COL32(255, 153, 153, 255),
                        IM_COL32(255, 230, 0, 255)};

const Palette* g_pal = &kNormal;  // set by draw() for the frame

ImVec4 vec(ImU32 c) { return ImGui::ColorConvertU32ToFloat4(c); }

// Per-frame drawing context.
struct Frame {
    const State& s;
    const UiContext& ctx;
    const Fonts& f;  // text fonts (large when asked)
    float em;        // layout unit (does not grow with large text, so pads keep their place)
    UiRequests& out;
    const std::string& t(const std::string& key) const { return ctx.text->get(key); }
    std::string t(const std::string& key, const std::string& n) const { return ctx.text->get(key, n); }
    std::string lang() const { return forms_language(ctx.text->language()); }
};

// ---- 2. Widgets.

// Draws one line or wrapped block (lines end only between words); non-BMP text
// goes through the image path. `align_width` > 0 centres each line in it.
ImVec2 text_at(const Frame& fr, ImFont* font, const std::string& s, ImVec2 pos, float wrap, ImU32 col,
               float align_width = 0, const Box* box = nullptr) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    if (has_non_bmp(s) && fr.ctx.rare_text) {
        // Lines measured with the atlas font (a character outside the BMP as wide as 〇),
        // each line drawn as an image.
        std::vector<std::string> lines{s};
        if (wrap > 0) {
            auto width = [&](std::string_view v) {
                std::string m;
                for (std::size_t i = 0; i < v.size(); ++i) {
                    if (static_cast<unsigned char>(v[i]) >= 0xF0 && i + 3 < v.size() + 0) {
                        m += "〇";
                        i += 3;
                    } else {
                        m += v[i];
                    }
                }
                return font->CalcTextSizeA(font->FontSize, FLT_MAX, 0, m.c_str()).x * 1.04f;
            };
            lines = wrap_lines(s, wrap, width);
        }
        std::vector<RareImage> imgs(lines.size());
        bool ok = true;
        float w = 0, h = 0;
        for (std::size_t i = 0; i < lines.size() && ok; ++i) {
            std::string_view v(lines[i]);
            while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
            ok = fr.ctx.rare_text(std::string(v), font->FontSize, col, &imgs[i]);
            w = std::max(w, imgs[i].w);
            h += imgs[i].h;
        }
        if (ok) {
            float y = pos.y;
            for (const auto& img : imgs) {
                const float x = align_width > 0 ? pos.x + std::max(0.0f, (align_width - img.w) / 2) : pos.x;
                dl->AddImage(static_cast<ImTextureID>(img.texture), ImVec2(x, y), ImVec2(x + img.w, y + img.h));
                y += img.h;
            }
            const float x = align_width > 0 ? pos.x + std::max(0.0f, (align_width - w) / 2) : pos.x;
            if (LayoutCheck* check = layout_check())
                check->text(lines, Box{x, pos.y, x + w, pos.y + h}, box ? *box : clip_box());
            return ImVec2(w, h);
        }
    }
    const TextBlock b = layout_text(font, font->FontSize, s, wrap);
    draw_text(dl, font, font->FontSize, pos.x, pos.y, col, b, align_width, box);
    return ImVec2(b.w, b.h);
}

ImVec2 measure(const Frame& fr, ImFont* font, const std::string& s, float wrap) {
    if (has_non_bmp(s) && fr.ctx.rare_text) {
        RareImage img;
        if ((wrap <= 0 || font->CalcTextSizeA(font->FontSize, FLT_MAX, 0, s.c_str()).x * 1.1f < wrap) &&
            fr.ctx.rare_text(s, font->FontSize, g_pal->ink, &img))
            return ImVec2(img.w, img.h);
    }
    const TextBlock b = layout_text(font, font->FontSize, s, wrap);
    return ImVec2(b.w, b.h);
}

// A paragraph centred in the current width; advances the cursor.
void centered(const Frame& fr, ImFont* font, const std::string& s, ImU32 col = 0, float width_share = 0.92f) {
    if (col == 0) col = g_pal->ink;
    const float avail = ImGui::GetContentRegionAvail().x;
    const float wrap = avail * width_share;
    const ImVec2 cur = ImGui::GetCursorScreenPos();
    const ImVec2 size = text_at(fr, font, s, ImVec2(cur.x + (avail - wrap) / 2, cur.y), wrap, col, wrap);
    ImGui::Dummy(ImVec2(avail, size.y));
}

// A touch button: the label wraps inside (between words), the whole box reacts.
// Scripted runs press it by id through the same code path as a finger; `name`
// is what the layout check calls it (default: the label).
// `outline`: a secondary action, drawn as a frame on the paper so it never looks
// like a twin of the answers beside it.
bool button(const Frame& fr, const std::string& id, const std::string& label, ImVec2 size, bool selected = false,
            bool enabled = true, ImFont* font = nullptr, const std::string& name = {}, bool outline = false) {
    if (!font) font = fr.f.body;
    const float wrap = size.x - fr.em * 0.6f;
    const std::string shown = selected && !label.empty() ? "● " + label : label;
    const TextBlock tb = layout_text(font, font->FontSize, shown, wrap);
    // Text that no longer fits on one line (large text, a long translation) wraps
    // and makes the button taller: never clipped, never over the next row.
    size.y = std::max(size.y, tb.h + fr.em * 0.6f);
    const ImVec2 pos = ImGui::GetCursorScreenPos();
    ImGui::PushID(id.c_str());
    const bool clicked = ImGui::InvisibleButton("b", size);
    const bool hovered = ImGui::IsItemHovered() && enabled;
    ImGui::PopID();
    const bool pressed = button_pressed(id, name.empty() ? label : name, clicked, enabled, fr.ctx.scripted_tap,
                                        fr.out.buttons, fr.out.taps);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 end(pos.x + size.x, pos.y + size.y);
    const float r = fr.em * 0.25f;
    const ImU32 bg = !enabled ? (g_pal == &kNormal ? IM_COL32(225, 225, 225, 255) : IM_COL32(60, 60, 60, 255))
                     : hovered ? g_pal->action_hover
                               : g_pal->action;
    // #121212 on #E1E1E1 14.0:1; #FFFFFF on #3C3C3C 10.9:1: disabled stays readable.
    const ImU32 fg = !enabled ? (g_pal == &kNormal ? g_pal->ink : IM_COL32(255, 255, 255, 255))
                     : outline ? g_pal->ink
                               : g_pal->on_action;
    if (outline && enabled) {
        dl->AddRectFilled(pos, end, g_pal->paper, r);
        dl->AddRect(pos, end, g_pal->action, r, 0, hovered ? fr.em * 0.15f : fr.em * 0.08f);
    } else {
        dl->AddRectFilled(pos, end, bg, r);
    }
    if (selected) {
        // The chosen one is marked by shape, not only by colour.
        dl->AddRect(ImVec2(pos.x - fr.em * 0.15f, pos.y - fr.em * 0.15f),
                    ImVec2(end.x + fr.em * 0.15f, end.y + fr.em * 0.15f), g_pal->frame, r, 0, fr.em * 0.15f);
    }
    const Box inside{pos.x, pos.y, end.x, end.y};
    draw_text(dl, font, font->FontSize, pos.x + fr.em * 0.3f, pos.y + std::max(0.0f, (size.y - tb.h) / 2), fg, tb,
              wrap, &inside);
    return pressed;
}

// A list that can grow (tiles, forms, numbers) in `height` pixels of the screen.
// When it does not fit, it scrolls: large ▲ ▼ buttons beside it move it by most
// of a view, and a bar between them shows where the view is. `draw_items` draws
// into the list's width. The layout check knows the list: its items may be
// scrolled out of view, never past its sides.
template <class DrawItems>
void scroll_list(const Frame& fr, const std::string& id, float height, DrawItems draw_items, float width = 0) {
    ImGuiStorage* st = ImGui::GetStateStorage();
    const ImGuiID key = ImGui::GetID((id + ".overflow").c_str());
    const bool overflow = st->GetBool(key, false);
    const float avail = width > 0 ? width : ImGui::GetContentRegionAvail().x;
    // Stacked ▲ over ▼ with a position bar; side by side when the list is short.
    const bool stacked = height >= fr.em * 6.6f;
    const float arrow_w = fr.em * 3.2f;
    const float arrows_w = overflow ? (stacked ? arrow_w : 2 * arrow_w + fr.em * 0.2f) : 0;
    const float list_w = avail - (overflow ? arrows_w + fr.em * 0.4f : 0);
    const ImVec2 top = ImGui::GetCursorScreenPos();
    ImGui::BeginChild(id.c_str(), ImVec2(list_w, height), false, ImGuiWindowFlags_NoScrollbar);
    const ImGuiID to_key = ImGui::GetID("scroll_to");
    // The arrows' request is kept in the list's own storage (set below, after EndChild).
    if (ImGuiStorage* inner = ImGui::GetStateStorage(); inner->GetFloat(to_key, -1) >= 0) {
        ImGui::SetScrollY(inner->GetFloat(to_key, -1));
        inner->SetFloat(to_key, -1);
    }
    const ImVec2 cp = ImGui::GetWindowPos(), cs = ImGui::GetWindowSize();
    LayoutCheck* check = layout_check();
    if (check) check->begin_scroll(Box{cp.x, cp.y, cp.x + cs.x, cp.y + cs.y});
    draw_items();
    if (check) check->end_scroll();
    const float scroll = ImGui::GetScrollY(), max = ImGui::GetScrollMaxY();
    float want = scroll;
    st->SetBool(key, max > 0.5f);
    ImGuiStorage* child_st = ImGui::GetStateStorage();
    ImGui::EndChild();
    if (overflow) {
        const float ah = stacked ? std::min(fr.em * 3.2f, height / 2 - fr.em * 0.3f) : std::min(fr.em * 3.2f, height);
        ImGui::SetCursorScreenPos(ImVec2(top.x + avail - arrows_w, top.y));
        const ImVec2 up = ImGui::GetCursorScreenPos();
        if (button(fr, id + ".up", "", ImVec2(arrow_w, ah), false, scroll > 0.5f, nullptr, "▲"))
            want = std::max(0.0f, scroll - height * 0.8f);
        ImGui::SetCursorScreenPos(stacked ? ImVec2(up.x, top.y + height - ah) : ImVec2(up.x + arrow_w + fr.em * 0.2f, top.y));
        const ImVec2 down = ImGui::GetCursorScreenPos();
        if (button(fr, id + ".down", "", ImVec2(arrow_w, ah), false, scroll < max - 0.5f, nullptr, "▼"))
            want = std::min(max, scroll + height * 0.8f);
        ImDrawList* dl = ImGui::GetWindowDrawList();
        const float cx = up.x + arrow_w / 2, cx2 = down.x + arrow_w / 2, r = fr.em * 0.8f;
        const ImU32 on = scroll > 0.5f ? g_pal->on_action : g_pal->ink;
        const ImU32 on2 = scroll < max - 0.5f ? g_pal->on_action : g_pal->ink;
        dl->AddTriangleFilled(ImVec2(cx, up.y + ah / 2 - r * 0.6f), ImVec2(cx + r, up.y + ah / 2 + r * 0.6f),
                              ImVec2(cx - r, up.y + ah / 2 + r * 0.6f), on);
        dl->AddTriangleFilled(ImVec2(cx2 - r, down.y + ah / 2 - r * 0.6f), ImVec2(cx2 + r, down.y + ah / 2 - r * 0.6f),
                              ImVec2(cx2, down.y + ah / 2 + r * 0.6f), on2);
        // Where the view is: a bar in the track between the arrows.
        const float t0 = up.y + ah + fr.em * 0.3f, t1 = down.y - fr.em * 0.3f;
        if (stacked && t1 - t0 > fr.em && max > 0) {
            const float total = max + height, bar = std::max(fr.em, (t1 - t0) * height / total);
            const float y = t0 + (t1 - t0 - bar) * (scroll / max);
            dl->AddRect(ImVec2(cx - fr.em * 0.35f, t0), ImVec2(cx + fr.em * 0.35f, t1), g_pal->ink, fr.em * 0.2f, 0, 2);
            dl->AddRectFilled(ImVec2(cx - fr.em * 0.35f, y), ImVec2(cx + fr.em * 0.35f, y + bar), g_pal->action, fr.em * 0.2f);
        }
        if (want != scroll) child_st->SetFloat(to_key, want);  // applied inside the list next frame
    }
    ImGui::SetCursorScreenPos(ImVec2(top.x, top.y + height + ImGui::GetStyle().ItemSpacing.y));
    ImGui::Dummy(ImVec2(0, 0));
}

// Lays n buttons of equal width across the available width.
float share(const Frame& fr, int n) {
    return (ImGui::GetContentRegionAvail().x - fr.em * 0.4f * static_cast<float>(n - 1)) / static_cast<float>(n);
}

void gap(const Frame& fr, float ems) { ImGui::Dummy(ImVec2(0, fr.em * ems)); }

// Simple pictograms drawn with lines and shapes, so they need no image files.
void pictogram(const std::string& icon, ImVec2 c, float r, ImU32 col) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float t = std::max(2.0f, r * 0.09f);
    if (icon == "moving") {  // a house with an arrow
        dl->AddTriangle(ImVec2(c.x - r * 0.8f, c.y - r * 0.1f), ImVec2(c.x, c.y - r * 0.8f),
                        ImVec2(c.x + r * 0.8f, c.y - r * 0.1f), col, t);
        dl->AddRect(ImVec2(c.x - r * 0.6f, c.y - r * 0.1f), ImVec2(c.x + r * 0.6f, c.y + r * 0.7f), col, 0, 0, t);
        dl->AddLine(ImVec2(c.x - r * 0.3f, c.y + r * 0.35f), ImVec2(c.x + r * 0.3f, c.y + r * 0.35f), col, t);
        dl->AddTriangleFilled(ImVec2(c.x + r * 0.3f, c.y + r * 0.15f), ImVec2(c.x + r * 0.3f, c.y + r * 0.55f),
                              ImVec2(c.x + r * 0.5f, c.y + r * 0.35f), col);
    } else if (icon == "birth" || icon == "child" || icon == "baby" || icon == "care") {  // a small person
        dl->AddCircle(ImVec2(c.x, c.y - r * 0.35f), r * 0.3f, col, 0, t);
        dl->AddBezierCubic(ImVec2(c.x - r * 0.6f, c.y + r * 0.7f), ImVec2(c.x - r * 0.5f, c.y),
                           ImVec2(c.x + r * 0.5f, c.y), ImVec2(c.x + r * 0.6f, c.y + r * 0.7f), col, t);
    } else if (icon == "card") {  // a card on a reader
        dl->AddRect(ImVec2(c.x - r * 0.9f, c.y + r * 0.3f), ImVec2(c.x + r * 0.9f, c.y + r * 0.8f), col, r * 0.1f, 0, t);
        dl->AddRectFilled(ImVec2(c.x - r * 0.6f, c.y - r * 0.7f), ImVec2(c.x + r * 0.6f, c.y + r * 0.1f), col,
                          r * 0.08f);
        dl->AddLine(ImVec2(c.x, c.y + r * 0.15f), ImVec2(c.x, c.y + r * 0.28f), col, t);
    } else {  // a document: certificates and single forms
        dl->AddRect(ImVec2(c.x - r * 0.55f, c.y - r * 0.8f), ImVec2(c.x + r * 0.55f, c.y + r * 0.8f), col, 0, 0, t);
        for (int i = 0; i < 4; ++i) {
            const float y = c.y - r * 0.45f + static_cast<float>(i) * r * 0.3f;
            dl->AddLine(ImVec2(c.x - r * 0.35f, y), ImVec2(c.x + r * 0.35f, y), col, t);
        }
    }
}

// One face of the five-face rating: the mouth bends from sad (1) to happy (5).
void face(ImVec2 c, float r, int faces, ImU32 col) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float t = std::max(2.0f, r * 0.08f);
    dl->AddCircle(c, r, col, 0, t);
    dl->AddCircleFilled(ImVec2(c.x - r * 0.35f, c.y - r * 0.25f), r * 0.1f, col);
    dl->AddCircleFilled(ImVec2(c.x + r * 0.35f, c.y - r * 0.25f), r * 0.1f, col);
    const float bend = static_cast<float>(faces - 3) * 0.2f * r;
    const float y = c.y + r * 0.35f;
    dl->AddBezierCubic(ImVec2(c.x - r * 0.45f, y - bend * 0.5f), ImVec2(c.x - r * 0.2f, y + bend),
                       ImVec2(c.x + r * 0.2f, y + bend), ImVec2(c.x + r * 0.45f, y - bend * 0.5f), col, t);
}


// 和暦 first, as residents know it, with 西暦 beside it; English screens put
// the 西暦 date first (i18n.hpp).
std::string birth_date_text(const std::string& iso, const std::string& language) {
    if (iso.empty()) return {};
    try {
        if (language == "en") return date_in_english(iso);
        return forms::format_date(iso, forms::DateStyle::Wareki) + "（" +
               forms::format_date(iso, forms::DateStyle::Seireki) + "）";
    } catch (const std::exception&) {
        return iso;
    }
}

const forms::Template* template_of(const Frame& fr, const std::string& id) {
    return fr.ctx.catalogue ? fr.ctx.catalogue->find(id) : nullptr;
}

// ---- 3. The page preview (kit.hpp), framed in the palette's colour.
void page_preview(const Frame& fr, const forms::Template& t, const forms::FilledForm& form, ImVec2 pos, float height) {
    draw_page_preview(t, form, pos.x, pos.y, height, fr.ctx.normal.body, fr.ctx.rare_text, g_pal->frame);
}

// ---- 4. Screens.

void welcome(const Frame& fr) {
    gap(fr, 1);
    centered(fr, fr.f.big, fr.t("welcome.place_card"));
    gap(fr, 0.5f);
    const ImVec2 c = ImGui::GetCursorScreenPos();
    const float avail = ImGui::GetContentRegionAvail().x;
    const float w = std::min(avail, fr.em * 20);
    // The pictogram takes the room the buttons leave (large text makes them taller).
    const float buttons = measure(fr, fr.f.big, fr.t("welcome.start"), w - fr.em * 0.6f).y +
                          measure(fr, fr.f.body, fr.t("welcome.no_card"), w - fr.em * 0.6f).y + fr.em * 4 +
                          (fr.s.reader_ready ? 0 : measure(fr, fr.f.body, fr.t("welcome.waiting_reader"), avail).y + fr.em);
    const float pict = std::clamp(ImGui::GetContentRegionAvail().y - buttons - fr.em * 1.5f, fr.em * 2, fr.em * 5.5f);
    pictogram("card", ImVec2(c.x + avail / 2, c.y + pict * 0.45f), pict * 0.44f, g_pal->ink);
    gap(fr, pict / fr.em);
    if (!fr.s.reader_ready) centered(fr, fr.f.body, fr.t("welcome.waiting_reader"));
    ImGui::SetCursorPosX(ImGui::GetCursorPosX() + (avail - w) / 2);
    if (button(fr, "start", fr.t("welcome.start"), ImVec2(w, fr.em * 3.6f), false, true, fr.f.big))
        fr.out.events.push_back(ev::Start{});
    gap(fr, 0.6f);
    ImGui::SetCursorPosX(ImGui::GetCursorPosX() + (avail - w) / 2);
    if (button(fr, "no_card", fr.t("welcome.no_card"), ImVec2(w, fr.em * 3))) fr.out.events.push_back(ev::NoCard{});
}

// A tile: pictogram on the left, title and a small line under it.
// The height a tile needs for its text (it grows with large text).
float tile_height(const Frame& fr, const std::string& title, const std::string& sub, float w) {
    const float wrap = w - fr.em * 3.3f;
    const float title_h = layout_text(fr.f.body, fr.f.body->FontSize, title, wrap).h;
    const float sub_h = sub.empty() ? 0 : layout_text(fr.f.body, fr.f.body->FontSize, sub, wrap).h;
    return std::max(fr.em * 3.2f, title_h + sub_h + fr.em * 0.6f);
}

bool tile(const Frame& fr, const std::string& id, const std::string& icon, const std::string& title,
          const std::string& sub, float w, float h) {
    const ImVec2 pos = ImGui::GetCursorScreenPos();
    const float wrap = w - fr.em * 3.3f;
    const bool pressed = button(fr, id, "", ImVec2(w, h), false, true, nullptr, title);
    pictogram(icon, ImVec2(pos.x + fr.em * 1.5f, pos.y + h / 2), fr.em * 1.1f, g_pal->on_action);
    const Box inside{pos.x, pos.y, pos.x + w, pos.y + h};
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const TextBlock tb = layout_text(fr.f.body, fr.f.body->FontSize, title, wrap);
    draw_text(dl, fr.f.body, fr.f.body->FontSize, pos.x + fr.em * 3, pos.y + fr.em * 0.25f, g_pal->on_action, tb, 0,
              &inside);
    if (!sub.empty())
        draw_text(dl, fr.f.body, fr.f.body->FontSize, pos.x + fr.em * 3, pos.y + fr.em * 0.3f + tb.h, g_pal->on_action,
                  layout_text(fr.f.body, fr.f.body->FontSize, sub, wrap), 0, &inside);
    return pressed;
}

void errand(const Frame& fr) {
    const bool forms_list = fr.s.errand_forms;
    centered(fr, fr.f.title, fr.t("errand.title"));
    centered(fr, fr.f.body, fr.t(forms_list ? "errand.single" : "errand.life_events"));
    gap(fr, 0.2f);
    const auto& errands = *fr.ctx.errands;
    // The tiles scroll when they do not fit above 証明書・届出を1つだけ.
    const float single_h = forms_list ? 0 : std::max(fr.em * 3, measure(fr, fr.f.big, fr.t("errand.single"),
                                                                     ImGui::GetContentRegionAvail().x - fr.em * 0.6f).y +
                                                                     fr.em * 0.6f);
    const float room = ImGui::GetContentRegionAvail().y - (forms_list ? 0 : single_h + fr.em * 0.6f);
    scroll_list(fr, "errand_list", room, [&] {
        // Three columns (two in portrait), fewer when a title would be cut inside a word.
        int cols = ImGui::GetContentRegionAvail().x > fr.em * 30 ? 3 : 2;
        for (; cols > 1; --cols) {
            const float wrap = share(fr, cols) - fr.em * 3.3f;
            bool whole = true;
            for (const auto& e : errands) {
                const bool is_form = e.id.rfind("form:", 0) == 0;
                if (is_form != forms_list) continue;
                std::string title;
                if (!is_form) {
                    for (const auto& le : fr.ctx.catalogue->events())
                        if (le.id == e.id) title = le.title.in(fr.lang());
                } else if (const auto* tp = template_of(fr, e.template_ids[0])) {
                    title = tp->title.in(fr.lang());
                }
                whole = whole && !layout_text(fr.f.body, fr.f.body->FontSize, title, wrap).broken_word;
            }
            if (whole) break;
        }
        const float tile_w = share(fr, cols);  // before SameLine narrows the available width
        struct Shown {
            const Errand* e;
            std::string title, icon, sub;
        };
        std::vector<Shown> shown;
        float tile_h = 0;  // one height for every tile: the tallest text decides
        for (const auto& e : errands) {
            const bool is_form = e.id.rfind("form:", 0) == 0;
            if (is_form != forms_list) continue;
            Shown t{&e, {}, "document", {}};
            if (!is_form) {
                for (const auto& le : fr.ctx.catalogue->events())
                    if (le.id == e.id) t.title = le.title.in(fr.lang()), t.icon = le.icon;
                t.sub = fr.t("errand.forms", std::to_string(e.template_ids.size()));
            } else if (const auto* tp = template_of(fr, e.template_ids[0])) {
                t.title = tp->title.in(fr.lang());
            }
            tile_h = std::max(tile_h, tile_height(fr, t.title, t.sub, tile_w));
            shown.push_back(std::move(t));
        }
        int n = 0;
        for (const auto& t : shown) {
            const Errand& e = *t.e;
            const bool is_form = e.id.rfind("form:", 0) == 0;
            if (n % cols != 0) ImGui::SameLine(0, fr.em * 0.4f);
            if (tile(fr, (is_form ? "form." + e.id.substr(5) : "errand." + e.id), t.icon, t.title, t.sub, tile_w, tile_h))
                fr.out.events.push_back(ev::ChooseErrand{e});
            ++n;
        }
    });
    if (!forms_list) {
        if (button(fr, "errand.single", fr.t("errand.single"), ImVec2(ImGui::GetContentRegionAvail().x, fr.em * 3), false,
                   true, fr.f.big))
            fr.out.events.push_back(ev::ShowForms{true});
    }
}

// The card pictogram over its hint, sized to the room the texts leave (readings
// above kanji, large text), then the cursor set for one centred button below:
// returns that button's width.
float card_pictogram(const Frame& fr, const char* hint_key, float min_em, float max_em) {
    const ImVec2 c = ImGui::GetCursorScreenPos();
    const float avail = ImGui::GetContentRegionAvail().x;
    const float below = measure(fr, fr.f.body, fr.t(hint_key), avail * 0.92f).y + fr.em * 5;
    const float pict = std::clamp(ImGui::GetContentRegionAvail().y - below, fr.em * min_em, fr.em * max_em);
    pictogram("card", ImVec2(c.x + avail / 2, c.y + pict * 0.47f), fr.em * 3 * pict / (fr.em * 6.8f), g_pal->ink);
    gap(fr, pict / fr.em);
    centered(fr, fr.f.body, fr.t(hint_key));
    gap(fr, 0.6f);
    const float w = std::min(avail, fr.em * 20);
    ImGui::SetCursorPosX(ImGui::GetCursorPosX() + (avail - w) / 2);
    return w;
}

void place_card(const Frame& fr) {
    gap(fr, 1);
    centered(fr, fr.f.title, fr.t("place.title"));
    const float w = card_pictogram(fr, "place.hint", 2.5f, 6.8f);
    if (button(fr, "no_card", fr.t("welcome.no_card"), ImVec2(w, fr.em * 3))) fr.out.events.push_back(ev::NoCard{});
}

void pin_pad(const Frame& fr) {
    const State& s = fr.s;
    centered(fr, fr.f.title, fr.t("pin.title"));
    if (!s.error_key.empty() || s.tries_left >= 0) {
        std::string msg = s.error_key.empty() ? std::string() : fr.t(s.error_key) + "  ";
        if (s.tries_left >= 0) msg += fr.t("pin.tries_left", std::to_string(s.tries_left));
        centered(fr, fr.f.body, msg, g_pal->warn);
    }
    const float avail = ImGui::GetContentRegionAvail().x;
    if (s.last_try_warning && !s.allow_last_try) {
        // One try left: the resident decides before anything is sent to the card.
        gap(fr, 0.5f);
        centered(fr, fr.f.big, fr.t("pin.last_try_warning"), g_pal->warn);
        gap(fr, 1);
        const float w = share(fr, 2);
        if (button(fr, "pin.go_to_staff", fr.t("pin.go_to_staff"), ImVec2(w, fr.em * 4), false, true, fr.f.big))
            fr.out.events.push_back(ev::NoCard{});
        ImGui::SameLine(0, fr.em * 0.4f);
        if (button(fr, "pin.try_last", fr.t("pin.try_last"), ImVec2(w, fr.em * 4), false, true, fr.f.big))
            fr.out.events.push_back(ev::TryLastPin{});
        return;
    }
    std::string dots;
    for (int i = 0; i < 4; ++i) dots += i < s.pin_length ? "● " : "○ ";
    // A fixed ATM-like layout: 1 2 3 / 4 5 6 / 7 8 9 / clear 0. The 4th digit sends
    // the PIN (no 決定 key). Keys as wide as 消す needs in this language and text size.
    const float label_w = measure(fr, fr.f.body, fr.t("pin.clear"), 0).x;
    const float g = fr.em * 0.3f;
    const float key = std::min(std::max(fr.em * 4.2f, label_w + fr.em * 0.8f), (avail - 2 * g) / 3);
    const float side = fr.em * 9;  // the dots and "forgot" beside the pad
    const float left = std::max(0.0f, (avail - 3 * key - 2 * g) / 2);
    const bool beside = left > side + fr.em;
    if (!beside) centered(fr, fr.ctx.normal.huge, dots);
    const float top = ImGui::GetCursorPosY();
    const char* keys[11] = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "clear", "0"};
    for (int i = 0; i < 11; ++i) {
        if (i % 3 == 0) ImGui::SetCursorPosX(ImGui::GetCursorPosX() + left);
        else ImGui::SameLine(0, g);
        const std::string k = keys[i];
        const std::string label = k == "clear" ? fr.t("pin.clear") : k;
        if (button(fr, "pin." + k, label, ImVec2(key, fr.em * 3), false, true, k.size() == 1 ? fr.f.big : fr.f.body)) {
            if (k == "clear") fr.out.events.push_back(ev::PinClear{});
            else fr.out.events.push_back(ev::PinDigit{k[0]});
        }
    }
    const float after = ImGui::GetCursorPosY();
    if (beside) {
        const float x = ImGui::GetCursorPosX() + left + 3 * key + 2 * g + fr.em;
        ImGui::SetCursorPos(ImVec2(x, top));
        const ImVec2 p = ImGui::GetCursorScreenPos();
        const ImVec2 d = text_at(fr, fr.ctx.normal.huge, dots, p, 0, g_pal->ink);
        ImGui::SetCursorPos(ImVec2(x, top + d.y + fr.em * 0.5f));
    }
    if (button(fr, "pin.forgot", fr.t("pin.forgot"), ImVec2(std::min(side, avail), fr.em * 3)))
        fr.out.events.push_back(ev::NoCard{});
    ImGui::SetCursorPosY(std::max(after, ImGui::GetCursorPosY()));
}

void reading(const Frame& fr) {
    gap(fr, 2);
    centered(fr, fr.f.big, fr.t("reading.title"));
    gap(fr, 0.5f);
    centered(fr, fr.f.body, fr.t("reading.hint"));
    // A turning arc shows that something is happening.
    const ImVec2 c = ImGui::GetCursorScreenPos();
    const float avail = ImGui::GetContentRegionAvail().x, r = fr.em * 2;
    const ImVec2 centre(c.x + avail / 2, c.y + fr.em * 3.5f);
    const float a0 = fr.ctx.spinner_phase * 4.0f;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->PathArcTo(centre, r, a0, a0 + 4.2f, 48);
    dl->PathStroke(g_pal->action, 0, fr.em * 0.4f);
    gap(fr, 7);
}

void labelled(const Frame& fr, const char* key, const std::string& value, ImFont* font) {
    const ImVec2 pos = ImGui::GetCursorScreenPos();
    text_at(fr, fr.f.body, fr.t(key), pos, 0, g_pal->ink);
    ImGui::Dummy(ImVec2(0, fr.f.body->FontSize));
    const ImVec2 v = ImGui::GetCursorScreenPos();
    const ImVec2 size = text_at(fr, font, value, ImVec2(v.x + fr.em * 0.5f, v.y), ImGui::GetContentRegionAvail().x - fr.em, g_pal->ink);
    ImGui::Dummy(ImVec2(0, size.y + fr.em * 0.3f));
}

void confirm(const Frame& fr) {
    centered(fr, fr.f.title, fr.t("confirm.title"));
    const float full = ImGui::GetContentRegionAvail().x;
    const bool landscape = full > fr.em * 30;
    // Landscape: はい / いいえ in a column at the right, the card's data at the left.
    const float col_w = fr.em * 13;
    const ImVec2 top = ImGui::GetCursorScreenPos();
    const float room = ImGui::GetContentRegionAvail().y;
    const float text_w = landscape ? full - col_w - fr.em : full;
    const float buttons_h = landscape ? 0 : fr.em * 3.6f;
    // A long address in large text: the address and date one size smaller, never cut.
    auto need = [&](ImFont* value_font) {
        return measure(fr, fr.f.huge, fr.s.card.name, text_w - fr.em).y +
               measure(fr, value_font, fr.s.card.address, text_w - fr.em).y + value_font->FontSize +
               3 * fr.f.body->FontSize + fr.em * 3.6f;  // labels and the spacing between the three
    };
    ImFont* value_font = need(fr.f.big) + buttons_h > room ? fr.f.body : fr.f.big;
    // Still too long: the card's data scroll, with arrows; the answer buttons stay.
    const float data_h = std::min(room - buttons_h - fr.em * 0.3f, need(value_font));
    scroll_list(fr, "confirm_card", data_h, [&] {
        labelled(fr, "confirm.name", fr.s.card.name, fr.f.huge);
        labelled(fr, "confirm.address", fr.s.card.address, value_font);
        labelled(fr, "confirm.birth_date", birth_date_text(fr.s.card.birth_date, fr.s.language), value_font);
    }, text_w);
    if (landscape) {
        ImGui::SetCursorScreenPos(ImVec2(top.x + full - col_w, top.y + fr.em * 0.5f));
        if (button(fr, "confirm.yes", fr.t("confirm.yes"), ImVec2(col_w, fr.em * 3.6f), false, true, fr.f.big))
            fr.out.events.push_back(ev::ConfirmYes{});
        gap(fr, 0.6f);
        ImGui::SetCursorScreenPos(ImVec2(top.x + full - col_w, ImGui::GetCursorScreenPos().y));
        if (button(fr, "confirm.no", fr.t("confirm.no"), ImVec2(col_w, fr.em * 3.2f), false, true, fr.f.big))
            fr.out.events.push_back(ev::ConfirmNo{});
        return;
    }
    const float w = share(fr, 2);
    if (button(fr, "confirm.no", fr.t("confirm.no"), ImVec2(w, fr.em * 3.2f), false, true, fr.f.big))
        fr.out.events.push_back(ev::ConfirmNo{});
    ImGui::SameLine(0, fr.em * 0.4f);
    if (button(fr, "confirm.yes", fr.t("confirm.yes"), ImVec2(w, fr.em * 3.2f), false, true, fr.f.big))
        fr.out.events.push_back(ev::ConfirmYes{});
}

const forms::Field* field_of(const Frame& fr, const std::string& id) {
    for (const auto& tid : fr.s.errand.template_ids)
        if (const auto* t = template_of(fr, tid))
            if (const auto* f = t->field(id)) return f;
    return nullptr;
}

// "番号 太郎（妻・夫）", or for a member without a card "子（平成32年…生まれ）": the
// name is typed by staff at the counter.
std::string member_label(const Frame& fr, const forms::Member& m) {
    const std::string rel = m.relationship.empty() ? std::string() : fr.t("household.rel." + m.relationship);
    if (!m.name.empty()) return rel.empty() ? m.name : m.name + "（" + rel + "）";
    return rel + " " + fr.t("household.born", birth_date_text(m.birth_date, fr.s.language));
}

// A group's own question (asked per member), e.g. 国保 取得's 勤務先の健康保険.
const forms::Field* group_field_of(const Frame& fr, const std::string& id) {
    for (const auto& tid : fr.s.errand.template_ids)
        if (const auto* t = template_of(fr, tid))
            for (const auto& g : t->groups)
                if (const auto* f = g.field(id); f && f->source == forms::Source::Question) return f;
    return nullptr;
}

// A digit question's one way on: 答えずに進む while nothing is typed (when the
// question may be left blank), 次へ once digits are there. Never both.
void digits_next(const Frame& fr, const QuestionSpec& q, const std::string& draft, ImVec2 size) {
    if (draft.empty() && !q.required) {
        if (button(fr, "answer.skip", fr.t("question.skip"), size, false, true, fr.f.big, {}, true))
            fr.out.events.push_back(ev::Answer{""});
        return;
    }
    if (button(fr, "answer.next", fr.t("question.next"), size, false, !draft.empty(), fr.f.big))
        fr.out.events.push_back(ev::Answer{draft});
}

// ---- 4b. Input pads (kiosk/ui/pads.hpp, forms/inputs.hpp): the digit pad, the
// date picker, the 年度 list and the kana pad. Landscape: the question, the
// answer so far and 次へ at the left, the pad at the right; portrait: stacked.

// The question's progress, text and help, centred in the current width.
void question_header(const Frame& fr, const forms::Field* field, ImFont* title_font, bool with_help = true) {
    const State& s = fr.s;
    if (s.screen == Screen::Question)
        centered(fr, fr.f.body,
                 fr.t("question.progress", std::to_string(s.question + 1) + " / " + std::to_string(s.errand.questions.size())));
    if (!field) return;
    const std::string& qt = field->question.in(fr.lang()).empty() ? field->label.in(fr.lang()) : field->question.in(fr.lang());
    centered(fr, title_font, qt);
    if (with_help && !field->help.in(fr.lang()).empty()) centered(fr, fr.f.body, field->help.in(fr.lang()));
}

// The answer so far on one line, centred in `width`, smaller when it would not
// fit; before anything is typed, `example` (or a dash) in body text.
void answer_line(const Frame& fr, const std::string& text, float width, const std::string& example = {}) {
    ImFont* font = text.empty() && !example.empty() ? fr.f.body : fr.f.big;
    const std::string shown = text.empty() ? (example.empty() ? std::string("—") : example) : text;
    const float natural = font->CalcTextSizeA(font->FontSize, FLT_MAX, 0, shown.c_str()).x;
    const float size = font->FontSize * std::min(1.0f, (width - fr.em * 0.2f) / std::max(1.0f, natural));
    const ImVec2 p = ImGui::GetCursorScreenPos();
    const TextBlock tb = layout_text(font, size, shown, 0);
    // A frame around it, as the box on the paper form.
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float h = fr.f.big->FontSize + fr.em * 0.4f;
    dl->AddRect(p, ImVec2(p.x + width, p.y + h), g_pal->ink, fr.em * 0.1f, 0, 2);
    draw_text(dl, font, size, p.x, p.y + (h - size) / 2, g_pal->ink, tb, width);
    ImGui::Dummy(ImVec2(width, h));
}

// A pad's keys in their grid from `origin`: `widths` per column, `key_h` per row.
// Returns the id of the key pressed this frame (empty: none).
std::string draw_pad(const Frame& fr, const PadLayout& pad, ImVec2 origin, const std::vector<float>& widths, float key_h,
                     float g, const std::set<std::string>& disabled = {}) {
    std::string pressed;
    for (const PadKey& k : pad.keys) {
        float x = origin.x, w = 0;
        for (int c = 0; c < k.col; ++c) x += widths[static_cast<std::size_t>(c)] + g;
        for (int c = k.col; c < k.col + k.span; ++c) w += widths[static_cast<std::size_t>(c)] + (c > k.col ? g : 0);
        ImGui::SetCursorScreenPos(ImVec2(x, origin.y + static_cast<float>(k.row) * (key_h + g)));
        const std::string label = k.word ? fr.t(k.label) : k.label;
        // A label wider than its key (゛゜ or 消す in large text on a narrow screen)
        // keeps the normal size rather than break.
        ImFont* font = k.word ? fr.f.body : fr.f.big;
        for (ImFont* f : {font, k.word ? fr.ctx.normal.body : fr.ctx.normal.big, fr.ctx.normal.body}) {
            font = f;
            if (f->CalcTextSizeA(f->FontSize, FLT_MAX, 0, label.c_str()).x <= w - fr.em * 0.6f) break;
        }
        if (button(fr, k.id, label, ImVec2(w, key_h), false, !disabled.count(k.id), font))
            pressed = k.id;
    }
    ImGui::SetCursorScreenPos(ImVec2(origin.x, origin.y + static_cast<float>(pad.rows) * (key_h + g)));
    return pressed;
}

// 次へ (and 答えずに進む when the question may be left) across `width`, one per row.
void next_and_skip(const Frame& fr, const QuestionSpec& q, const std::string& value, float width, bool may_skip) {
    const float x = ImGui::GetCursorPosX();
    if (button(fr, "answer.next", fr.t("question.next"), ImVec2(width, fr.em * 3), false,
               !value.empty() || (!q.required && q.kind != "date"), fr.f.big))
        fr.out.events.push_back(ev::Answer{value});
    if (may_skip) {
        ImGui::SetCursorPosX(x);
        if (button(fr, "answer.skip", fr.t("question.skip"), ImVec2(width, fr.em * 3)))
            fr.out.events.push_back(ev::Answer{""});
    }
}

// Landscape: a left column for the question (returns true and opens it); the
// caller ends it and draws the pad to its right.
bool begin_left(const Frame& fr, float pad_w) {
    const float full = ImGui::GetContentRegionAvail().x;
    if (full < fr.em * 30 || full - pad_w < fr.em * 9) return false;  // portrait: stacked
    ImGui::BeginChild("pad_left", ImVec2(full - pad_w - fr.em, ImGui::GetContentRegionAvail().y), false,
                      ImGuiWindowFlags_NoScrollbar);
    return true;
}

// 登録番号, amounts: a digit pad with 消す (one digit back); empty until typed.
void number_pad_question(const Frame& fr, const QuestionSpec& q, const forms::Field* field, const std::string& answer) {
    std::string& draft = *fr.ctx.draft;
    if (draft.empty() && !answer.empty()) draft = answer;
    const float key_w = fr.em * 4, key_h = fr.em * 3, g = fr.em * 0.25f;
    const PadLayout pad = digit_pad();
    const float pad_w = 3 * key_w + 2 * g;
    const ImVec2 top = ImGui::GetCursorScreenPos();
    const float full = ImGui::GetContentRegionAvail().x;
    const bool left = begin_left(fr, pad_w);
    question_header(fr, field, fr.f.title);
    gap(fr, 0.3f);
    const float col = left ? ImGui::GetContentRegionAvail().x : std::min(full, fr.em * 16);
    const float col_x = ImGui::GetCursorPosX() + (ImGui::GetContentRegionAvail().x - col) / 2;
    ImGui::SetCursorPosX(col_x);
    answer_line(fr, draft, col);
    gap(fr, 0.3f);
    std::size_t max_len = 15;
    if (field && field->max) max_len = std::to_string(*field->max).size();
    const std::vector<float> widths(3, key_w);
    if (left) {
        ImGui::SetCursorPosX(col_x);
        next_and_skip(fr, q, draft, col, !q.required);
        ImGui::EndChild();
        const std::string k = draw_pad(fr, pad, ImVec2(top.x + full - pad_w, top.y), widths, key_h, g);
        if (!k.empty()) press_digit(draft, k, max_len);
        return;
    }
    const ImVec2 p = ImGui::GetCursorScreenPos();
    const std::string k = draw_pad(fr, pad, ImVec2(p.x + (full - pad_w) / 2, p.y), widths, key_h, g);
    if (!k.empty()) press_digit(draft, k, max_len);
    gap(fr, 0.1f);
    ImGui::SetCursorPosX(col_x);
    next_and_skip(fr, q, draft, col, !q.required);
}

// A triangle on a stepper button, pointing up (later) or down (earlier).
void stepper_arrow(ImVec2 a, ImVec2 size, bool up, bool enabled, float em) {
    const ImU32 col = enabled ? g_pal->on_action : (g_pal == &kNormal ? g_pal->ink : IM_COL32(255, 255, 255, 255));
    const float cx = a.x + size.x / 2, cy = a.y + size.y / 2, r = em * 0.7f;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    if (up) dl->AddTriangleFilled(ImVec2(cx, cy - r * 0.6f), ImVec2(cx + r, cy + r * 0.6f), ImVec2(cx - r, cy + r * 0.6f), col);
    else dl->AddTriangleFilled(ImVec2(cx - r, cy - r * 0.6f), ImVec2(cx + r, cy - r * 0.6f), ImVec2(cx, cy + r * 0.6f), col);
}

// 異動日, 住みはじめた日, birth dates: year (和暦 with 西暦), month and day on
// large steppers within the question's range; 2月30日 cannot be made.
void date_question(const Frame& fr, const QuestionSpec& q, const forms::Field* field, const std::string& answer) {
    std::string& draft = *fr.ctx.draft;
    const std::string today = forms::today_iso();
    forms::DateRange range{"1873-01-01", "9999-12-31"};
    if (field) range = forms::date_range(*field, today);
    if (draft.empty()) draft = forms::date_start(answer, range, today);
    const float g = fr.em * 0.6f, year_w = fr.em * 7.5f, md_w = fr.em * 5, arrow_h = fr.em * 3;
    const float pad_w = year_w + 2 * md_w + 2 * g;
    const ImVec2 top = ImGui::GetCursorScreenPos();
    const float full = ImGui::GetContentRegionAvail().x;
    const bool left = begin_left(fr, pad_w);
    question_header(fr, field, fr.f.title);
    gap(fr, 0.3f);
    const float col = left ? ImGui::GetContentRegionAvail().x : std::min(full, fr.em * 20);
    const float col_x = ImGui::GetCursorPosX() + (ImGui::GetContentRegionAvail().x - col) / 2;
    // The whole date as it will be printed, 和暦 first.
    ImGui::SetCursorPosX(col_x);
    answer_line(fr, birth_date_text(draft, fr.s.language), col);
    gap(fr, 0.3f);
    if (left) {
        ImGui::SetCursorPosX(col_x);
        next_and_skip(fr, q, draft, col, !q.required);
        ImGui::EndChild();
        ImGui::SetCursorScreenPos(ImVec2(top.x + full - pad_w, top.y));
    } else {
        ImGui::SetCursorPosX(ImGui::GetCursorPosX() + (full - pad_w) / 2);
    }
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const int month = std::stoi(draft.substr(5, 2)), day = std::stoi(draft.substr(8, 2));
    struct Column {
        const char* id;
        forms::DatePart part;
        float w;
        std::string value;
    };
    const Column cols[3] = {
        {"date.year", forms::DatePart::Year, year_w, forms::year_caption(draft)},
        {"date.month", forms::DatePart::Month, md_w, std::to_string(month) + "月"},
        {"date.day", forms::DatePart::Day, md_w, std::to_string(day) + "日"},
    };
    // "令和8年 (2026)": the era year large, the 西暦 under it.
    const std::string caption = cols[0].value;
    const std::size_t paren = caption.find(" (");
    const std::string era_part = paren == std::string::npos ? caption : caption.substr(0, paren);
    const std::string west = paren == std::string::npos ? std::string() : caption.substr(paren + 1);
    const float value_h = fr.f.big->FontSize + fr.f.body->FontSize + fr.em * 0.4f;
    float x = origin.x;
    std::optional<std::string> change;
    for (int i = 0; i < 3; ++i) {
        const Column& c = cols[i];
        for (const bool up : {true, false}) {
            const auto stepped = forms::step_date(draft, c.part, up ? 1 : -1, range);
            const ImVec2 at(x, up ? origin.y : origin.y + arrow_h + value_h + fr.em * 0.4f);
            ImGui::SetCursorScreenPos(at);
            const std::string id = std::string(c.id) + (up ? ".up" : ".down");
            if (button(fr, id, "", ImVec2(c.w, arrow_h), false, stepped.has_value(), nullptr, up ? "▲" : "▼"))
                change = stepped;
            stepper_arrow(at, ImVec2(c.w, arrow_h), up, stepped.has_value(), fr.em);
        }
        const float vy = origin.y + arrow_h + fr.em * 0.2f;
        const Box box{x, vy, x + c.w, vy + value_h};
        const std::string& shown = i == 0 ? era_part : c.value;
        draw_text(ImGui::GetWindowDrawList(), fr.f.big, fr.f.big->FontSize, x, vy, g_pal->ink,
                  layout_text(fr.f.big, fr.f.big->FontSize, shown, 0), c.w, &box);
        if (i == 0 && !west.empty())
            draw_text(ImGui::GetWindowDrawList(), fr.f.body, fr.f.body->FontSize, x, vy + fr.f.big->FontSize, g_pal->ink,
                      layout_text(fr.f.body, fr.f.body->FontSize, west, 0), c.w, &box);
        x += c.w + g;
    }
    if (change) draft = *change;
    ImGui::SetCursorScreenPos(ImVec2(top.x, origin.y + 2 * arrow_h + value_h + fr.em * 0.6f));
    if (!left) {
        const float w = std::min(full, fr.em * 16);
        ImGui::SetCursorPosX(ImGui::GetCursorPosX() + (full - w) / 2);
        next_and_skip(fr, q, draft, w, !q.required);
    }
}

// 年度: the last `count` 年度 from today's date, each with the income year it shows.
void fiscal_year_question(const Frame& fr, const QuestionSpec& q, const forms::Field* field, const std::string& answer) {
    question_header(fr, field, fr.f.title);
    gap(fr, 0.3f);
    const auto years = forms::fiscal_years(forms::today_iso(), field && field->count > 0 ? field->count : 5);
    const std::string chosen = answer.empty() && !years.empty() ? years.front().value : answer;
    const float avail = ImGui::GetContentRegionAvail().x;
    const int cols = avail > fr.em * 30 ? 2 : 1;
    const float w = share(fr, cols);
    int n = 0;
    for (const auto& fy : years) {
        if (n % cols != 0) ImGui::SameLine(0, fr.em * 0.4f);
        // answer.fy0 is the newest: a script's tap means the same 年度 whatever the date.
        if (button(fr, "answer.fy" + std::to_string(n++), fy.label.in(fr.lang()), ImVec2(w, fr.em * 3), fy.value == chosen,
                   true, fr.f.big))
            fr.out.events.push_back(ev::Answer{fy.value});
    }
    if (!q.required) {
        gap(fr, 0.3f);
        const float sw = std::min(avail, fr.em * 16);
        ImGui::SetCursorPosX(ImGui::GetCursorPosX() + (avail - sw) / 2);
        if (button(fr, "answer.skip", fr.t("question.skip"), ImVec2(sw, fr.em * 3))) fr.out.events.push_back(ev::Answer{""});
    }
}

// The largest of `fonts` in which the texts, each wrapped in `width` without a
// word cut, take at most `room` pixels in height (the last one when none does).
ImFont* fitting_font(const Frame& fr, const std::vector<std::string>& texts, float width, float room,
                     std::initializer_list<ImFont*> fonts) {
    ImFont* last = nullptr;
    for (ImFont* f : fonts) {
        last = f;
        float h = 0;
        bool whole = true;
        for (const auto& t : texts) {
            if (t.empty()) continue;
            const TextBlock b = layout_text(f, f->FontSize, t, width * 0.92f);
            whole = whole && !b.broken_word;
            h += b.h + ImGui::GetStyle().ItemSpacing.y;
        }
        if (whole && h <= room) return f;
    }
    (void)fr;
    return last;
}

// フリガナ: the 50音 table in katakana under the name read from the card.
// Landscape: the question across the top, the name, the フリガナ typed, 次へ and
// 答えずに進む at the left of the table (one column per 行). Portrait: the table
// in 8 columns, 次へ in its last row, 答えずに進む beside the フリガナ typed.
void kana_question(const Frame& fr, const QuestionSpec& q, const forms::Field* field, const std::string& answer) {
    std::string& draft = *fr.ctx.draft;
    if (draft.empty() && !answer.empty()) draft = answer;
    const float full = ImGui::GetContentRegionAvail().x;
    const float g = fr.em * 0.15f, key = fr.em * 3, fn_w = fr.em * 4.4f;
    const bool table = full - (10 * key + fn_w + 10 * g) >= fr.em * 9;
    const PadLayout pad = kana_pad(table ? 11 : 8);
    std::vector<float> widths(static_cast<std::size_t>(pad.cols), key);
    if (table) widths.back() = fn_w;
    else std::fill(widths.begin(), widths.end(), std::max(key, (full - 7 * g) / 8));
    float pad_w = static_cast<float>(pad.cols - 1) * g;
    for (float w : widths) pad_w += w;
    const std::string example = field ? field->help.in(fr.lang()) : std::string();
    const std::string name = fr.s.card.name.empty() ? std::string() : fr.t("kana.card_name") + " " + fr.s.card.name;
    const std::string question_text =
        !field ? std::string() : field->question.in(fr.lang()).empty() ? field->label.in(fr.lang()) : field->question.in(fr.lang());
    const std::string progress =
        fr.t("question.progress", std::to_string(fr.s.question + 1) + " / " + std::to_string(fr.s.errand.questions.size()));
    const float spacing = ImGui::GetStyle().ItemSpacing.y;
    const float pad_h = static_cast<float>(pad.rows) * (key + g);
    std::string pressed;
    if (table) {
        // The question across the top in the largest size the table leaves room for.
        const float room = ImGui::GetContentRegionAvail().y - pad_h - spacing;
        centered(fr, fitting_font(fr, {question_text}, full, room, {fr.f.title, fr.f.big, fr.f.body, fr.ctx.normal.body}),
                 question_text);
        const ImVec2 top = ImGui::GetCursorScreenPos();
        ImGui::BeginChild("pad_left", ImVec2(full - pad_w - fr.em, ImGui::GetContentRegionAvail().y), false,
                          ImGuiWindowFlags_NoScrollbar);
        const float col = ImGui::GetContentRegionAvail().x;
        // Under 次へ and 答えずに進む (as tall as its label needs), the name and the
        // progress line take what is left: a smaller size, or no progress line.
        const float skip_h = std::max(fr.em * 3, layout_text(fr.f.body, fr.f.body->FontSize, fr.t("question.skip"),
                                                             col - fr.em * 0.6f).h + fr.em * 0.6f);
        const float box_h = fr.f.big->FontSize + fr.em * 0.4f;
        const float c0 = ImGui::GetCursorScreenPos().y;
        const float buttons_top = c0 + ImGui::GetContentRegionAvail().y - skip_h - fr.em * 3.2f - box_h - 4 * spacing;
        const float left_room = buttons_top - c0 - spacing;
        ImFont* name_font = fitting_font(fr, {name}, col, left_room, {fr.f.big, fr.f.body, fr.ctx.normal.body});
        const float name_h = name.empty() ? 0 : layout_text(name_font, name_font->FontSize, name, col * 0.92f).h + spacing;
        if (left_room - name_h >= fr.f.body->FontSize + spacing) centered(fr, fr.f.body, progress);
        if (!name.empty()) centered(fr, name_font, name);
        // The box and the buttons never below the column's end.
        if (ImGui::GetCursorScreenPos().y > buttons_top)
            ImGui::SetCursorScreenPos(ImVec2(ImGui::GetCursorScreenPos().x, buttons_top));
        answer_line(fr, draft, col, example);
        gap(fr, 0.2f);
        next_and_skip(fr, q, draft, col, true);
        ImGui::EndChild();
        pressed = draw_pad(fr, pad, ImVec2(top.x + full - pad_w, top.y), widths, key, g);
    } else {
        // Above the table: the question and the name in the largest size that
        // leaves the table on screen; the progress line when there is room for it.
        const float row_h = fr.em * 3.3f;
        const float room = ImGui::GetContentRegionAvail().y - pad_h - row_h - spacing;
        ImFont* font = fitting_font(fr, {question_text, name}, full, room,
                                    {fr.f.big, fr.f.body, fr.ctx.normal.big, fr.ctx.normal.body});
        const float used = layout_text(font, font->FontSize, question_text, full * 0.92f).h +
                           (name.empty() ? 0 : layout_text(font, font->FontSize, name, full * 0.92f).h + spacing) + spacing;
        if (room - used >= fr.f.body->FontSize + spacing) centered(fr, fr.f.body, progress);
        centered(fr, font, question_text);
        if (!name.empty()) centered(fr, font, name);
        // The フリガナ typed, with 答えずに進む at its right.
        const float skip_w = std::max(fr.em * 6.6f, measure(fr, fr.f.body, fr.t("question.skip"), 0).x + fr.em * 0.8f);
        const ImVec2 row = ImGui::GetCursorScreenPos();
        const float box_w = full - skip_w - fr.em * 0.4f;
        ImGui::SetCursorScreenPos(ImVec2(row.x, row.y + fr.em * 0.6f));
        answer_line(fr, draft, box_w, example);
        ImGui::SetCursorScreenPos(ImVec2(row.x + box_w + fr.em * 0.4f, row.y));
        if (button(fr, "answer.skip", fr.t("question.skip"), ImVec2(skip_w, fr.em * 3)))
            fr.out.events.push_back(ev::Answer{""});
        ImGui::SetCursorScreenPos(ImVec2(row.x, std::max(ImGui::GetCursorScreenPos().y, row.y + fr.em * 3.3f)));
        const ImVec2 p = ImGui::GetCursorScreenPos();
        const ImVec2 origin(p.x + (full - pad_w) / 2, p.y);
        pressed = draw_pad(fr, pad, origin, widths, key, g);
        // 次へ in the free cells at the end of the function keys' row.
        const float x = origin.x + 6 * (widths[0] + g);
        ImGui::SetCursorScreenPos(ImVec2(x, origin.y + 6 * (key + g)));
        if (button(fr, "answer.next", fr.t("question.next"), ImVec2(origin.x + pad_w - x, key), false, !draft.empty(),
                   fr.f.big))
            fr.out.events.push_back(ev::Answer{draft});
    }
    if (!pressed.empty()) press_kana(draft, pressed);
}

// The pads' kinds; false for the kinds question() draws itself.
bool pad_question(const Frame& fr, const QuestionSpec& q, const forms::Field* field, const std::string& answer) {
    if (q.kind == "number_pad") number_pad_question(fr, q, field, answer);
    else if (q.kind == "date") date_question(fr, q, field, answer);
    else if (q.kind == "fiscal_year") fiscal_year_question(fr, q, field, answer);
    else if (q.kind == "kana") kana_question(fr, q, field, answer);
    else return false;
    return true;
}

void question(const Frame& fr) {
    const State& s = fr.s;
    if (s.question >= s.errand.questions.size()) return;
    const QuestionSpec& q = s.errand.questions[s.question];
    // A member's copy asks the group's own wording (この方は…), under the member's name.
    const forms::Field* group_field = q.member != 0 ? group_field_of(fr, q.id) : nullptr;
    const forms::Field* field = group_field ? group_field : field_of(fr, q.id);
    std::string& draft = *fr.ctx.draft;
    const auto current = s.answers.find(answer_key(q));
    const std::string answer = current != s.answers.end() ? current->second : q.default_value;
    if (pad_question(fr, q, field, answer)) return;  // the input pads (section 4b)
    // Landscape digit questions: the question, the number typed and 次へ at the left,
    // the pad at the right, so the pad's four rows fit under the header (large text too).
    const float full = ImGui::GetContentRegionAvail().x;
    const float dkey = fr.em * 4, dg = fr.em * 0.25f, dpad = 3 * dkey + 2 * dg;
    const bool side_by_side = q.kind == "digits" && full > fr.em * 30;
    const ImVec2 q_top = ImGui::GetCursorScreenPos();
    if (side_by_side)
        ImGui::BeginChild("question_left", ImVec2(full - dpad - fr.em * 1.5f, ImGui::GetContentRegionAvail().y), false,
                          ImGuiWindowFlags_NoScrollbar);
    const Progress at = progress(s);
    centered(fr, fr.f.body, fr.t("question.progress", std::to_string(at.question) + " / " + std::to_string(at.questions)));
    if (const std::size_t m = member_index(s, q.member); q.member != 0 && m < s.household.size())
        centered(fr, fr.f.big, fr.t("household.about", member_label(fr, s.household[m].member)));
    if (field) {
        const std::string& qt = field->question.in(fr.lang()).empty() ? field->label.in(fr.lang()) : field->question.in(fr.lang());
        centered(fr, fr.f.title, qt);
        if (!field->help.in(fr.lang()).empty()) centered(fr, fr.f.body, field->help.in(fr.lang()));
    }
    gap(fr, 0.5f);
    const float avail = ImGui::GetContentRegionAvail().x;
    auto next_button = [&](const std::string& value) {
        const float w = std::min(avail, fr.em * 16);
        ImGui::SetCursorPosX(ImGui::GetCursorPosX() + (avail - w) / 2);
        if (button(fr, "answer.next", fr.t("question.next"), ImVec2(w, fr.em * 3), false, !q.required || !value.empty(),
                   fr.f.big))
            fr.out.events.push_back(ev::Answer{value});
    };
    if (q.kind == "choice" && field) {
        const int cols = field->choices.size() > 3 && avail > fr.em * 30 ? 2 : 1;
        const float w = share(fr, cols);  // before SameLine narrows the available width
        int n = 0;
        for (const auto& c : field->choices) {
            if (n++ % cols != 0) ImGui::SameLine(0, fr.em * 0.4f);
            if (button(fr, "answer." + c.value, c.label.in(fr.lang()), ImVec2(w, fr.em * 3),
                       c.value == answer, true, fr.f.big))
                fr.out.events.push_back(ev::Answer{c.value});
        }
    } else if (q.kind == "yes_no") {
        // With a default, いいえ/はい is the whole answer: no third button beside them.
        const float w = share(fr, 2);
        if (button(fr, "answer.no", fr.t("question.no"), ImVec2(w, fr.em * 3.5f), answer == "false", true, fr.f.big))
            fr.out.events.push_back(ev::Answer{"false"});
        ImGui::SameLine(0, fr.em * 0.4f);
        if (button(fr, "answer.yes", fr.t("question.yes"), ImVec2(w, fr.em * 3.5f), answer == "true", true, fr.f.big))
            fr.out.events.push_back(ev::Answer{"true"});
    } else if (q.kind == "number") {
        if (draft.empty()) draft = answer.empty() ? "1" : answer;
        int n = 1;
        try { n = std::stoi(draft); } catch (const std::exception&) {}
        const float w = fr.em * 5;
        ImGui::SetCursorPosX(ImGui::GetCursorPosX() + (avail - 3 * w) / 2);
        if (button(fr, "answer.less", "−", ImVec2(w, fr.em * 3.5f), false, n > 1, fr.f.huge)) draft = std::to_string(n - 1);
        ImGui::SameLine(0, 0);
        const ImVec2 p = ImGui::GetCursorScreenPos();
        const ImVec2 ts = fr.f.huge->CalcTextSizeA(fr.f.huge->FontSize, FLT_MAX, 0, draft.c_str());
        text_at(fr, fr.f.huge, draft, ImVec2(p.x + (w - ts.x) / 2, p.y), 0, g_pal->ink);
        ImGui::Dummy(ImVec2(w, fr.em * 3.5f));
        ImGui::SameLine(0, 0);
        if (button(fr, "answer.more", "+", ImVec2(w, fr.em * 3.5f), false, n < 99, fr.f.huge)) draft = std::to_string(n + 1);
        gap(fr, 0.5f);
        next_button(draft);
    } else if (q.kind == "digits" && side_by_side) {
        centered(fr, fr.f.huge, draft.empty() ? std::string("—") : draft);
        gap(fr, 0.3f);
        const float w = std::min(avail, fr.em * 16);
        ImGui::SetCursorPosX(ImGui::GetCursorPosX() + (avail - w) / 2);
        digits_next(fr, q, draft, ImVec2(w, fr.em * 3));
        ImGui::EndChild();
        const char* keys[12] = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "clear", "0", "-"};
        const float x0 = q_top.x + full - dpad;
        for (int i = 0; i < 12; ++i) {
            ImGui::SetCursorScreenPos(ImVec2(x0 + static_cast<float>(i % 3) * (dkey + dg),
                                             q_top.y + static_cast<float>(i / 3) * (fr.em * 3 + dg)));
            const std::string k = keys[i];
            const std::string label = k == "clear" ? fr.t("question.clear") : k;
            if (button(fr, "digit." + k, label, ImVec2(dkey, fr.em * 3), false, true, k.size() == 1 ? fr.f.big : fr.f.body)) {
                if (k == "clear") draft.clear();
                else if (draft.size() < 15) draft += k;
            }
        }
        return;
    } else if (q.kind == "digits") {
        centered(fr, fr.f.huge, draft.empty() ? std::string("—") : draft);
        const float key = fr.em * 4, g = fr.em * 0.25f, pad = 3 * key + 2 * g;
        const char* keys[12] = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "clear", "0", "-"};
        // "next" and "skip" beside the pad when they fit there (landscape), else under it.
        const bool beside = avail - pad - fr.em >= fr.em * 8;
        const float side = beside ? std::min(fr.em * 12, avail - pad - fr.em) : std::min(avail, fr.em * 16);
        const float left = std::max(0.0f, (avail - pad - (beside ? side + fr.em : 0)) / 2);
        const ImVec2 top = ImGui::GetCursorPos();
        for (int i = 0; i < 12; ++i) {
            if (i % 3 == 0) ImGui::SetCursorPosX(top.x + left);
            else ImGui::SameLine(0, g);
            const std::string k = keys[i];
            const std::string label = k == "clear" ? fr.t("question.clear") : k;
            if (button(fr, "digit." + k, label, ImVec2(key, fr.em * 3), false, true,
                       k.size() == 1 ? fr.f.big : fr.f.body)) {
                if (k == "clear") draft.clear();
                else if (draft.size() < 15) draft += k;
            }
        }
        const float col_x = beside ? top.x + left + pad + fr.em : top.x + (avail - side) / 2;
        if (beside) ImGui::SetCursorPos(ImVec2(col_x, top.y));
        else {
            gap(fr, 0.2f);
            ImGui::SetCursorPosX(col_x);
        }
        digits_next(fr, q, draft, ImVec2(side, fr.em * 3));
        return;
    } else {
        // Needs a keyboard (names, kana, addresses, dates): staff ask at the counter.
        centered(fr, fr.f.big, fr.t("question.staff"));
        gap(fr, 1);
        const float w = std::min(avail, fr.em * 16);
        ImGui::SetCursorPosX(ImGui::GetCursorPosX() + (avail - w) / 2);
        if (button(fr, "answer.next", fr.t("question.next"), ImVec2(w, fr.em * 3), false, true, fr.f.big))
            fr.out.events.push_back(ev::Answer{""});
    }
    if (!q.required && q.kind != "staff" && !(q.kind == "yes_no" && !q.default_value.empty())) {
        // Set apart and drawn as a frame: not a twin of the answers above.
        gap(fr, 1.0f);
        const float w = std::min(avail, fr.em * 16);
        ImGui::SetCursorPosX(ImGui::GetCursorPosX() + (avail - w) / 2);
        if (button(fr, "answer.skip", fr.t("question.skip"), ImVec2(w, fr.em * 3), false, true, nullptr, {}, true))
            fr.out.events.push_back(ev::Answer{""});
    }
}

// The form a question is shown under, and its field there.
const forms::Field* field_for(const Frame& fr, const QuestionSpec& q) {
    if (!q.form.empty())
        if (const forms::Template* t = template_of(fr, q.form))
            if (const forms::Field* f = t->field(q.id)) return f;
    return field_of(fr, q.id);
}

// An answer in words, as the resident chose it (choice labels, はい/いいえ).
std::string answer_text(const Frame& fr, const QuestionSpec& q, const forms::Field* field) {
    const auto it = fr.s.answers.find(answer_key(q));
    const std::string v = it != fr.s.answers.end() ? it->second : q.default_value;
    if (q.kind == "choice" && field)
        for (const auto& c : field->choices)
            if (c.value == v) return c.label.in(fr.lang());
    if (q.kind == "yes_no") return v == "true" ? fr.t("question.yes") : v == "false" ? fr.t("question.no") : fr.t("review.none");
    if (v.empty()) return fr.t("review.none");
    if (q.kind == "number") return fr.t("needs.count", v);
    return v;
}

// A row of text at the left of a button: the text wraps in what the button leaves,
// one size smaller when a word would break there; when even that breaks a word, the
// text takes the whole width and the button goes under it. Leaves the cursor where
// the button goes; returns the text's height.
float text_row(const Frame& fr, ImFont* font, const std::string& text, float avail, float button_w) {
    const ImVec2 p = ImGui::GetCursorScreenPos();
    const float wrap = avail - button_w - fr.em * 0.6f;
    auto breaks = [&](ImFont* f, float w) { return layout_text(f, f->FontSize, text, w).broken_word; };
    if (breaks(font, wrap)) font = fr.f.body;
    if (breaks(font, wrap)) {
        const float th = measure(fr, font, text, avail).y;
        const Box row{p.x, p.y, p.x + avail, p.y + th};
        text_at(fr, font, text, p, avail, g_pal->ink, 0, &row);
        ImGui::SetCursorScreenPos(ImVec2(p.x + avail - button_w, p.y + th + fr.em * 0.2f));
        return th;
    }
    const float h = std::max(fr.em * 3, measure(fr, font, text, wrap).y + fr.em * 0.4f);
    const Box row{p.x, p.y, p.x + wrap, p.y + h};
    text_at(fr, font, text, ImVec2(p.x, p.y + (h - measure(fr, font, text, wrap).y) / 2), wrap, g_pal->ink, 0, &row);
    ImGui::SetCursorScreenPos(ImVec2(p.x + avail - button_w, p.y));
    return h;
}

// Back to the left edge under a row of text and its button (the taller of the two).
void below_row(ImVec2 row0, float text_h) {
    const float bottom = std::max(row0.y + text_h, ImGui::GetItemRectMax().y);
    ImGui::SetCursorScreenPos(ImVec2(row0.x, bottom + ImGui::GetStyle().ItemSpacing.y));
    ImGui::Dummy(ImVec2(0, 0));
}

// "What do you need": a certificate's usual choices, chosen already. One tap
// accepts them; a row opens in place to change its answer.
void needs(const Frame& fr) {
    const State& s = fr.s;
    centered(fr, fr.f.title, fr.t("needs.title"));
    centered(fr, fr.f.body, fr.t("needs.hint"));
    gap(fr, 0.2f);
    ImGuiStorage* st = ImGui::GetStateStorage();
    const ImGuiID open_key = ImGui::GetID("needs_open_row");
    int open = st->GetInt(open_key, -1);
    const float accept_h = std::max(fr.em * 3.2f, measure(fr, fr.f.big, fr.t("needs.accept"),
                                                          ImGui::GetContentRegionAvail().x - fr.em * 0.6f).y + fr.em * 0.6f);
    const float room = ImGui::GetContentRegionAvail().y - accept_h - fr.em * 0.6f - 2 * ImGui::GetStyle().ItemSpacing.y;
    scroll_list(fr, "needs", room, [&] {
        const float avail = ImGui::GetContentRegionAvail().x;
        for (const auto& tid : s.errand.template_ids) {
            bool titled = false;
            for (std::size_t i = 0; i < s.errand.questions.size(); ++i) {
                const QuestionSpec& q = s.errand.questions[i];
                if (!q.grouped || q.form != tid || !applies(s, i)) continue;
                if (!titled) {
                    const forms::Template* t = template_of(fr, tid);
                    const ImVec2 p = ImGui::GetCursorScreenPos();
                    const ImVec2 sz = text_at(fr, fr.f.big, t ? t->title.in(fr.lang()) : tid, p, avail, g_pal->ink);
                    ImGui::Dummy(ImVec2(0, sz.y));
                    titled = true;
                }
                const forms::Field* field = field_for(fr, q);
                const std::string label = field ? field->label.in(fr.lang()) : q.id;
                const std::string value = answer_text(fr, q, field);
                const std::string id = "needs." + std::to_string(i);
                const bool is_open = open == static_cast<int>(i);
                // The row: what it is and the answer chosen, and 変える / 閉じる at the right.
                const std::string action = fr.t(is_open ? "needs.close" : "needs.change");
                const float action_w = std::min(avail * 0.4f, measure(fr, fr.f.body, action, 0).x + fr.em * 1.2f);
                const ImVec2 p = ImGui::GetCursorScreenPos();
                const float text_w = avail - action_w - fr.em * 0.9f;
                const float label_h = measure(fr, fr.f.body, label, text_w).y;
                const float value_h = measure(fr, fr.f.big, value, text_w).y;
                const float h = std::max(fr.em * 3, label_h + value_h + fr.em * 0.6f);
                if (button(fr, id, "", ImVec2(avail, h), false, true, nullptr, label, true)) open = is_open ? -1 : static_cast<int>(i);
                const Box inside{p.x, p.y, p.x + avail, p.y + h};
                text_at(fr, fr.f.body, label, ImVec2(p.x + fr.em * 0.3f, p.y + fr.em * 0.3f), text_w, g_pal->ink, 0, &inside);
                text_at(fr, fr.f.big, value, ImVec2(p.x + fr.em * 0.3f, p.y + fr.em * 0.3f + label_h), text_w, g_pal->ink, 0,
                        &inside);
                const float aw = measure(fr, fr.f.body, action, 0).x;
                text_at(fr, fr.f.body, action, ImVec2(p.x + avail - action_w + (action_w - aw) / 2 - fr.em * 0.3f,
                                                     p.y + (h - fr.f.body->FontSize) / 2), 0, g_pal->action, 0, &inside);
                if (!is_open) continue;
                // Its answers, in place under the row.
                const float indent = fr.em;
                const float inner = avail - indent;
                const std::string current = s.answers.count(answer_key(q)) ? s.answers.at(answer_key(q)) : q.default_value;
                auto choose = [&](const std::string& v, bool close) {
                    fr.out.events.push_back(ev::ChangeAnswer{i, v});
                    if (close) open = -1;
                };
                if (q.kind == "choice" && field) {
                    const int cols = field->choices.size() > 3 && inner > fr.em * 30 ? 2 : 1;
                    const float w = (inner - fr.em * 0.4f * static_cast<float>(cols - 1)) / static_cast<float>(cols);
                    int n = 0;
                    for (const auto& c : field->choices) {
                        if (n++ % cols != 0) ImGui::SameLine(0, fr.em * 0.4f);
                        else ImGui::SetCursorPosX(ImGui::GetCursorPosX() + indent);
                        if (button(fr, id + "." + c.value, c.label.in(fr.lang()), ImVec2(w, fr.em * 3), c.value == current, true,
                                   fr.f.big))
                            choose(c.value, true);
                    }
                } else if (q.kind == "yes_no") {
                    const float w = (inner - fr.em * 0.4f) / 2;
                    ImGui::SetCursorPosX(ImGui::GetCursorPosX() + indent);
                    if (button(fr, id + ".false", fr.t("question.no"), ImVec2(w, fr.em * 3), current == "false", true, fr.f.big))
                        choose("false", true);
                    ImGui::SameLine(0, fr.em * 0.4f);
                    if (button(fr, id + ".true", fr.t("question.yes"), ImVec2(w, fr.em * 3), current == "true", true, fr.f.big))
                        choose("true", true);
                } else if (q.kind == "number") {
                    int n = 1;
                    try { n = std::stoi(current); } catch (const std::exception&) {}
                    const int most = field && field->max ? static_cast<int>(*field->max) : 99;
                    const float w = std::min(fr.em * 5, inner / 3);
                    ImGui::SetCursorPosX(ImGui::GetCursorPosX() + indent);
                    if (button(fr, id + ".less", "−", ImVec2(w, fr.em * 3), false, n > 1, fr.f.huge, fr.t("question.less")))
                        choose(std::to_string(n - 1), false);
                    ImGui::SameLine(0, 0);
                    const ImVec2 np = ImGui::GetCursorScreenPos();
                    const std::string shown = std::to_string(n);
                    const ImVec2 ts = fr.f.huge->CalcTextSizeA(fr.f.huge->FontSize, FLT_MAX, 0, shown.c_str());
                    text_at(fr, fr.f.huge, shown, ImVec2(np.x + (w - ts.x) / 2, np.y), 0, g_pal->ink);
                    ImGui::Dummy(ImVec2(w, fr.em * 3));
                    ImGui::SameLine(0, 0);
                    if (button(fr, id + ".more", "+", ImVec2(w, fr.em * 3), false, n < most, fr.f.huge, fr.t("question.more")))
                        choose(std::to_string(n + 1), false);
                }
                gap(fr, 0.3f);
            }
        }
    });
    st->SetInt(open_key, open);
    gap(fr, 0.2f);
    if (button(fr, "needs.accept", fr.t("needs.accept"), ImVec2(ImGui::GetContentRegionAvail().x, accept_h), false, true,
               fr.f.big)) {
        st->SetInt(open_key, -1);
        fr.out.events.push_back(ev::AcceptNeeds{});
    }
}

// ---- 4c. Households: family members who do the procedure with the card holder.

// The notice of the household screens (same person twice, a locked card, ...), in the warning colour.
void household_notice(const Frame& fr) {
    if (fr.s.notice_key.empty()) return;
    centered(fr, fr.f.body, fr.t(fr.s.notice_key), g_pal->warn);
    fr.out.texts.insert(fr.s.notice_key);
}

// 一緒に手続きする家族を追加: the members added so far (each with ×), カードで追加,
// カードのない家族を追加, and 追加しない / 次へ.
void household(const Frame& fr) {
    const State& s = fr.s;
    centered(fr, fr.f.title, fr.t("household.title"));
    const int left = s.errand.member_max - static_cast<int>(s.household.size());
    centered(fr, fr.f.body, fr.t("household.hint", std::to_string(std::max(0, left))));
    household_notice(fr);
    gap(fr, 0.2f);
    const float avail = ImGui::GetContentRegionAvail().x;
    const bool wide = avail > fr.em * 30;
    // The three actions: side by side in landscape, stacked in portrait.
    const std::string next_label = fr.t(s.household.empty() ? "household.none" : "household.next");
    auto tall = [&](const std::string& label, float w) {
        return std::max(fr.em * 3.2f, measure(fr, fr.f.big, label, w - fr.em * 0.6f).y + fr.em * 0.6f);
    };
    const float bw = wide ? share(fr, 3) : avail;
    float bh = std::max({tall(fr.t("household.add_card"), bw), tall(fr.t("household.add_nocard"), bw), tall(next_label, bw)});
    const float actions_h = wide ? bh : 3 * bh + 2 * ImGui::GetStyle().ItemSpacing.y;
    // The actions sit at the bottom of the screen; the list takes what is above them.
    const float bottom = ImGui::GetCursorScreenPos().y + ImGui::GetContentRegionAvail().y;
    const float room = ImGui::GetContentRegionAvail().y - actions_h - fr.em * 0.5f - 2 * ImGui::GetStyle().ItemSpacing.y;
    if (s.household.empty()) {
        centered(fr, fr.f.body, fr.t("household.empty"));
    } else {
        scroll_list(fr, "household", std::max(fr.em * 3.4f, room), [&] {
            const float w = ImGui::GetContentRegionAvail().x;
            const std::string x_label = "× " + fr.t("household.remove");
            const float x_w = std::max(fr.em * 3, measure(fr, fr.f.body, x_label, 0).x + fr.em * 1.2f);
            for (std::size_t i = 0; i < s.household.size(); ++i) {
                const forms::Member& m = s.household[i].member;
                // Who (large), and under it their birth date, or that staff type the name.
                const std::string label = member_label(fr, m);
                const std::string detail =
                    m.name.empty() ? fr.t("household.name_at_counter") : birth_date_text(m.birth_date, s.language);
                const ImVec2 p = ImGui::GetCursorScreenPos();
                const float tw = w - x_w - fr.em * 0.6f;
                const float lh = measure(fr, fr.f.big, label, tw).y, dh = measure(fr, fr.f.body, detail, tw).y;
                const float h = std::max(fr.em * 3, lh + dh + fr.em * 0.2f);
                const Box row{p.x, p.y, p.x + tw, p.y + h};
                text_at(fr, fr.f.big, label, p, tw, g_pal->ink, 0, &row);
                text_at(fr, fr.f.body, detail, ImVec2(p.x, p.y + lh + fr.em * 0.1f), tw, g_pal->ink, 0, &row);
                ImGui::SetCursorScreenPos(ImVec2(p.x + w - x_w, p.y));
                if (button(fr, "household.remove." + std::to_string(i), x_label, ImVec2(x_w, fr.em * 3),
                           false, true, fr.f.body, label + " " + fr.t("household.remove"), true))
                    fr.out.events.push_back(ev::RemoveMember{i});
                below_row(p, h);
            }
        });
    }
    const bool full = left <= 0;
    const float x0 = ImGui::GetCursorPosX();
    ImGui::SetCursorScreenPos(ImVec2(ImGui::GetCursorScreenPos().x, std::max(ImGui::GetCursorScreenPos().y, bottom - actions_h)));
    if (button(fr, "household.add_card", fr.t("household.add_card"), ImVec2(bw, bh), false, !full, fr.f.big))
        fr.out.events.push_back(ev::AddMember{true});
    if (wide) ImGui::SameLine(0, fr.em * 0.4f);
    else ImGui::SetCursorPosX(x0);
    if (button(fr, "household.add_nocard", fr.t("household.add_nocard"), ImVec2(bw, bh), false, !full, fr.f.big))
        fr.out.events.push_back(ev::AddMember{false});
    if (wide) ImGui::SameLine(0, fr.em * 0.4f);
    else ImGui::SetCursorPosX(x0);
    if (button(fr, "household.next", next_label, ImVec2(bw, bh), false, true, fr.f.big, {}, s.household.empty()))
        fr.out.events.push_back(ev::HouseholdDone{});
}

// The member places their own card: the holder's card leaves the reader first.
void member_card(const Frame& fr) {
    gap(fr, 0.5f);
    centered(fr, fr.f.title, fr.t(fr.s.card_present ? "household.swap_title" : "household.card_title"));
    household_notice(fr);
    const float w = card_pictogram(fr, "household.card_hint", 2.0f, 6.0f);
    if (button(fr, "household.cancel_add", fr.t("household.cancel_add"), ImVec2(w, fr.em * 3), false, true, nullptr, {}, true))
        fr.out.events.push_back(ev::Back{});
}

// A member's 続柄; without a card also 生年月日 (the date pad) and 性別.
void member(const Frame& fr) {
    const State& s = fr.s;
    const forms::Member& m = s.member_draft;
    if (s.member_step == 1) {
        forms::Field f;
        f.type = forms::FieldType::Date;
        f.question = {fr.t("household.birth_question"), fr.t("household.birth_question"), fr.t("household.birth_question")};
        f.help = {fr.t("household.name_at_counter"), fr.t("household.name_at_counter"), fr.t("household.name_at_counter")};
        f.date_min = "-120y";
        f.date_max = "+0d";
        QuestionSpec q;
        q.id = "member.birth_date";
        q.kind = "date";
        q.required = true;
        date_question(fr, q, &f, m.birth_date);
        return;
    }
    const float avail = ImGui::GetContentRegionAvail().x;
    if (s.member_step == 0) {
        centered(fr, fr.f.title, fr.t("household.rel_question"));
        centered(fr, fr.f.body, m.name.empty() ? fr.t("household.name_at_counter") : m.name);
        gap(fr, 0.5f);
        const int cols = avail > fr.em * 30 ? 2 : 1;
        const float w = share(fr, cols);
        int n = 0;
        for (const char* v : {"head", "spouse", "child", "parent", "other"}) {
            if (n++ % cols != 0) ImGui::SameLine(0, fr.em * 0.4f);
            if (button(fr, std::string("member.rel.") + v, fr.t(std::string("household.rel.") + v), ImVec2(w, fr.em * 3),
                       m.relationship == v, true, fr.f.big))
                fr.out.events.push_back(ev::Answer{v});
        }
        return;
    }
    centered(fr, fr.f.title, fr.t("household.sex_question"));
    centered(fr, fr.f.body, member_label(fr, m));
    gap(fr, 0.5f);
    const float w = share(fr, 2);
    if (button(fr, "member.sex.male", fr.t("household.sex.male"), ImVec2(w, fr.em * 3.5f), m.sex == "male", true, fr.f.big))
        fr.out.events.push_back(ev::Answer{"male"});
    ImGui::SameLine(0, fr.em * 0.4f);
    if (button(fr, "member.sex.female", fr.t("household.sex.female"), ImVec2(w, fr.em * 3.5f), m.sex == "female", true,
               fr.f.big))
        fr.out.events.push_back(ev::Answer{"female"});
}

// Under a form with a [[group]]: each member it lists, with 削除 (they leave the
// visit), and their own answers with 変更.
void review_members(const Frame& fr, const forms::Template& t, std::size_t form, const forms::Household& members,
                    const forms::Answers& errand, const std::string& today, float avail, float change_w) {
    const State& s = fr.s;
    if (t.groups.empty()) return;
    const float remove_w = std::min(avail * 0.35f, measure(fr, fr.f.body, fr.t("household.remove"), 0).x + fr.em * 1.2f);
    for (std::size_t m = 0; m < s.household.size() && m < members.size(); ++m) {
        forms::Answers merged;
        bool listed = false;
        for (const auto& g : t.groups) listed = listed || g.when.holds(forms::member_facts(members[m], errand, today, merged));
        for (auto& [k, v] : merged) base::wipe_string(v);
        if (!listed) continue;
        const ImVec2 row0 = ImGui::GetCursorScreenPos();
        ImGui::SetCursorScreenPos(ImVec2(row0.x + fr.em * 0.5f, row0.y));
        const std::string line = fr.t("household.member_line", member_label(fr, s.household[m].member));
        const float h = text_row(fr, fr.f.big, line, avail - fr.em * 0.5f, remove_w);
        if (button(fr, "review.remove." + std::to_string(form) + "." + std::to_string(m), fr.t("household.remove"),
                   ImVec2(remove_w, fr.em * 3), false, true, fr.f.body, line + " " + fr.t("household.remove"), true))
            fr.out.events.push_back(ev::RemoveMember{m});
        below_row(row0, h);
        for (std::size_t qi = 0; qi < s.errand.questions.size(); ++qi) {
            const QuestionSpec& q = s.errand.questions[qi];
            if (q.member != s.household[m].key || !applies(s, qi)) continue;
            const forms::Field* f = nullptr;
            for (const auto& g : t.groups)
                if (const forms::Field* gf = g.field(q.id); gf && gf->source == forms::Source::Question) f = gf;
            if (!f) continue;
            const std::string text = f->label.in(fr.lang()) + fr.t("review.separator") + answer_text(fr, q, f);
            const ImVec2 a0 = ImGui::GetCursorScreenPos();
            ImGui::SetCursorScreenPos(ImVec2(a0.x + fr.em * 1.5f, a0.y));
            const float ah = text_row(fr, fr.f.big, text, avail - fr.em * 1.5f, change_w);
            if (button(fr, "review.change." + std::to_string(form) + "." + std::to_string(qi), fr.t("review.change"),
                       ImVec2(change_w, fr.em * 3), false, true, fr.f.body, f->label.in(fr.lang()) + " " + fr.t("review.change"),
                       true))
                fr.out.events.push_back(ev::Revise{qi});
            below_row(a0, ah);
        }
    }
}

// Review in words: under each form, every answer read back (label: answer) with
// 変更, which asks that question again and comes back here.
void review(const Frame& fr) {
    const State& s = fr.s;
    centered(fr, fr.f.title, fr.t("review.title"));
    ImGui::GetStateStorage()->SetInt(ImGui::GetID("preview_zoom_pct"), 100);  // each preview opens whole
    if (s.forms.empty()) {
        centered(fr, fr.f.body, fr.t("review.filling"));
        return;
    }
    centered(fr, fr.f.body, fr.t("review.hint"));
    gap(fr, 0.3f);
    // The forms scroll (with arrows) when there are more than fit; the send button stays on screen.
    const float submit_h = std::max(fr.em * 3.2f, measure(fr, fr.f.big, fr.t("review.submit"),
                                                          ImGui::GetContentRegionAvail().x - fr.em * 0.6f).y +
                                                          fr.em * 0.6f);
    const float room = ImGui::GetContentRegionAvail().y - submit_h - fr.em * 0.9f - 2 * ImGui::GetStyle().ItemSpacing.y;
    // The members as the forms see them (their own answers), to show each under the forms that list them.
    forms::Household members = household_of(s);
    forms::Answers errand = errand_answers(s);
    const std::string today = forms::today_iso();
    scroll_list(fr, "review", room, [&] {
        const float avail = ImGui::GetContentRegionAvail().x;
        const float preview_w = std::min(avail * 0.45f, measure(fr, fr.f.body, fr.t("review.preview"), 0).x + fr.em * 1.2f);
        const float change_w = std::min(avail * 0.35f, measure(fr, fr.f.body, fr.t("review.change"), 0).x + fr.em * 1.2f);
        for (std::size_t i = 0; i < s.forms.size(); ++i) {
            const auto& form = s.forms[i];
            const forms::Template* t = template_of(fr, form.template_id);
            const std::string title = t ? t->title.in(fr.lang()) : form.template_id;
            // The form's title, and 見本 (its page, full screen).
            const ImVec2 t0 = ImGui::GetCursorScreenPos();
            const float th = text_row(fr, fr.f.big, title, avail, preview_w);
            if (button(fr, "review.form." + std::to_string(i), fr.t("review.preview"), ImVec2(preview_w, fr.em * 3), false,
                       true, fr.f.body, title + " " + fr.t("review.preview")))
                fr.out.events.push_back(ev::ShowPreview{i});
            below_row(t0, th);
            for (std::size_t qi = 0; qi < s.errand.questions.size(); ++qi) {
                const QuestionSpec& q = s.errand.questions[qi];
                const forms::Field* f = t ? t->field(q.id) : nullptr;
                if (q.member != 0 || !f || f->source != forms::Source::Question || !applies(s, qi)) continue;
                if (q.per_form && q.form != form.template_id) continue;
                const std::string line = f->label.in(fr.lang()) + fr.t("review.separator") + answer_text(fr, q, f);
                const ImVec2 row0 = ImGui::GetCursorScreenPos();
                ImGui::SetCursorScreenPos(ImVec2(row0.x + fr.em * 0.5f, row0.y));
                const float h = text_row(fr, fr.f.big, line, avail - fr.em * 0.5f, change_w);
                if (button(fr, "review.change." + std::to_string(i) + "." + std::to_string(qi), fr.t("review.change"),
                           ImVec2(change_w, fr.em * 3), false, true, fr.f.body, f->label.in(fr.lang()) + " " + fr.t("review.change"),
                           true))
                    fr.out.events.push_back(ev::Revise{qi});
                below_row(row0, h);
            }
            if (t) review_members(fr, *t, i, members, errand, today, avail, change_w);
            gap(fr, 0.5f);
        }
    });
    forms::wipe(members);
    for (auto& [k, v] : errand) base::wipe_string(v);
    gap(fr, 0.2f);
    if (button(fr, "review.submit", fr.t("review.submit"), ImVec2(ImGui::GetContentRegionAvail().x, submit_h), false,
               true, fr.f.big))
        fr.out.events.push_back(ev::Submit{});
}

// The page full screen, zoomed with − / + from the whole page (100 %) to 200 %;
// a zoomed page scrolls by dragging it or with its scroll bars.
void preview(const Frame& fr) {
    const auto& form = fr.s.forms[fr.s.preview];
    const forms::Template* t = template_of(fr, form.template_id);
    ImGuiStorage* st = ImGui::GetStateStorage();
    const ImGuiID zoom_key = ImGui::GetID("preview_zoom_pct");
    int zoom = std::clamp(st->GetInt(zoom_key, 100), 100, 200);
    const float avail_w = ImGui::GetContentRegionAvail().x;
    const float close_w = std::min(avail_w * 0.4f, std::max(fr.em * 7, measure(fr, fr.f.body, fr.t("preview.close"), 0).x + fr.em * 1.2f));
    const float zoom_w = fr.em * 3.2f;
    if (button(fr, "preview.close", fr.t("preview.close"), ImVec2(close_w, fr.em * 3))) fr.out.events.push_back(ev::Back{});
    ImGui::SameLine(0, fr.em);
    if (button(fr, "preview.zoom_out", "−", ImVec2(zoom_w, fr.em * 3), false, zoom > 100, fr.f.huge, fr.t("preview.zoom_out")))
        zoom -= 25;
    ImGui::SameLine(0, fr.em * 0.3f);
    const std::string pct = std::to_string(zoom) + "%";
    const ImVec2 zp = ImGui::GetCursorScreenPos();
    const float pct_w = fr.f.big->CalcTextSizeA(fr.f.big->FontSize, FLT_MAX, 0, "200%").x + fr.em * 0.4f;
    text_at(fr, fr.f.big, pct, ImVec2(zp.x + fr.em * 0.2f, zp.y + (fr.em * 3 - fr.f.big->FontSize) / 2), 0, g_pal->ink);
    ImGui::Dummy(ImVec2(pct_w, fr.em * 3));
    ImGui::SameLine(0, fr.em * 0.3f);
    if (button(fr, "preview.zoom_in", "+", ImVec2(zoom_w, fr.em * 3), false, zoom < 200, fr.f.huge, fr.t("preview.zoom_in")))
        zoom += 25;
    st->SetInt(zoom_key, zoom);
    const ImVec2 region(avail_w, ImGui::GetContentRegionAvail().y);
    ImGui::BeginChild("page", region, false, ImGuiWindowFlags_HorizontalScrollbar);
    const float fit = std::min(region.y - fr.em, (region.x - fr.em) * 297.0f / 210.0f);
    const float h = fit * static_cast<float>(zoom) / 100.0f, w = h * 210.0f / 297.0f;
    const float x = std::max(0.0f, (ImGui::GetContentRegionAvail().x - w) / 2);
    ImGui::SetCursorPosX(ImGui::GetCursorPosX() + x);
    if (t) page_preview(fr, *t, form, ImGui::GetCursorScreenPos(), h);
    ImGui::Dummy(ImVec2(w, h));
    // A finger drags the page.
    if (ImGui::IsWindowHovered() && ImGui::IsMouseDragging(ImGuiMouseButton_Left)) {
        const ImVec2 d = ImGui::GetIO().MouseDelta;
        ImGui::SetScrollX(ImGui::GetScrollX() - d.x);
        ImGui::SetScrollY(ImGui::GetScrollY() - d.y);
    }
    ImGui::EndChild();
}

// The guide slip's content (the staff station prints the same as a PDF).
forms::GuideSlip visit_guide(const Frame& fr) {
    std::vector<forms::GuideProcedure> procedures;
    for (const auto& p : fr.s.visit_procedures) procedures.push_back({template_of(fr, p.template_id), p.copies});
    return forms::make_guide_slip(std::to_string(fr.s.visit_number), procedures,
                                  fr.ctx.counters ? *fr.ctx.counters : forms::GuideCounters{});
}

// The visit's one number, very large with its QR code; under it the guide
// (each procedure with its counter, fee, what to bring, deadline) in a list
// that scrolls; then the optional rating and 終わる. No 戻る: the number stays.
void done(const Frame& fr) {
    const State& s = fr.s;
    centered(fr, fr.f.title, fr.t("done.title"));
    const float avail = ImGui::GetContentRegionAvail().x;
    const bool portrait = avail < fr.em * 30;
    const float face_w = share(fr, 5), face_h = fr.em * (face_w < fr.em * 6 ? 4.6f : 3.4f);
    const float below = measure(fr, portrait ? fr.f.body : fr.ctx.normal.body, fr.t("done.rate"), avail * 0.92f).y +
                        face_h + fr.em * 4.6f;
    const std::string number = std::to_string(s.visit_number);
    const std::string lang = fr.lang();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 top = ImGui::GetCursorScreenPos();
    // Height for the number block and the guide; landscape: side by side, portrait: one under the other.
    const float room = ImGui::GetContentRegionAvail().y - below - fr.em * 0.4f;
    const float col_w = portrait ? avail : avail * 0.44f;
    const float gap_y = fr.em * 0.2f;
    // The number's column: its label, the digits with the QR code beside them, the
    // QR's caption, then what happens next. The digits shrink only when height is short.
    const TextBlock label_block = layout_text(fr.f.body, fr.f.body->FontSize, fr.t("done.number"), col_w);
    const TextBlock next_text = layout_text(fr.f.body, fr.f.body->FontSize, fr.t("done.next"), col_w);
    const float caption_w = col_w * 0.5f;
    const TextBlock caption = layout_text(fr.ctx.normal.body, fr.em * 0.6f, fr.t("done.qr"), caption_w);
    // Landscape in large text: when the column is short, "what happens next" gives
    // way to the number (the guide beside it says the same, step by step).
    float fixed = label_block.h + next_text.h + 3 * gap_y;
    const bool show_next = portrait || room - fixed - caption.h >= fr.em * 2.2f;
    if (!show_next) fixed = label_block.h + 2 * gap_y;
    const float want = portrait ? fr.em * 4.6f : fr.em * 4.2f;
    const float fit = portrait ? want : room - fixed - caption.h;
    const float qr = std::clamp(fit, fr.em * 2.2f, want);
    const float num_size = qr * 1.05f;
    draw_text(dl, fr.f.body, fr.f.body->FontSize, top.x, top.y, g_pal->ink, label_block);
    float y = top.y + label_block.h + gap_y;
    const TextBlock digits = layout_text(fr.f.huge, num_size, number, 0);
    draw_text(dl, fr.f.huge, num_size, top.x + fr.em * 0.5f, y + (qr - digits.h) / 2, g_pal->ink, digits);
    // The QR code holds the visit's day and number; staff scan it to find the visit.
    const float q_x = top.x + col_w - qr - fr.em * 0.3f;
    draw_qr_code(printing::visit_qr_payload(s.visit_day, number), q_x, y, qr, IM_COL32(0, 0, 0, 255),
                 IM_COL32(255, 255, 255, 255));
    y += std::max(qr, digits.h) + fr.em * 0.1f;
    draw_text(dl, fr.ctx.normal.body, fr.em * 0.6f, top.x + col_w - caption_w, y, g_pal->ink, caption, caption_w);
    y += caption.h + gap_y;
    if (show_next) {
        draw_text(dl, fr.f.body, fr.f.body->FontSize, top.x, y, g_pal->ink, next_text);
        y += next_text.h + gap_y;
    }
    // The guide: what to do next, at which counter, with what; it scrolls when long.
    const forms::GuideSlip slip = visit_guide(fr);
    const auto words = printing::GuideWords::from([&](const std::string& key) { return fr.ctx.text->get(key); });
    const float list_h = portrait ? std::max(fr.em * 3.2f, top.y + room - y) : std::max(fr.em * 3.2f, room);
    ImGui::SetCursorScreenPos(portrait ? ImVec2(top.x, y) : ImVec2(top.x + col_w + fr.em * 0.6f, top.y));
    scroll_list(fr, "done_guide", list_h, [&] {
        const float w = ImGui::GetContentRegionAvail().x;
        auto line = [&](ImFont* font, const std::string& text, float indent) {
            const ImVec2 p = ImGui::GetCursorScreenPos();
            const ImVec2 sz = text_at(fr, font, text, ImVec2(p.x + indent, p.y), w - indent, g_pal->ink);
            ImGui::Dummy(ImVec2(0, sz.y - ImGui::GetStyle().ItemSpacing.y));
        };
        line(fr.f.body, words.steps, 0);
        int i = 0;
        for (const auto& step : slip.steps) {
            const std::string title = step.title.in(lang);
            line(fr.f.big, std::to_string(++i) + ". " + title, 0);
            if (title != step.title.ja) line(fr.f.body, "（" + step.title.ja + "）", fr.em);
            line(fr.f.body, words.counter + ": " + step.counter.in(lang), fr.em);
            line(fr.f.body, words.fee + ": " + printing::guide_fee_text(step, words), fr.em);
            if (!step.bring.empty()) {
                std::string b;
                for (const auto& x : step.bring) b += (b.empty() ? "" : (lang == "en" ? ", " : "、")) + x.in(lang);
                line(fr.f.body, words.bring + ": " + b, fr.em);
            }
            if (step.deadline_days) line(fr.f.body, words.deadline + ": " + printing::guide_deadline_text(step, lang, words), fr.em);
        }
        if (slip.has_fees()) {
            const std::string total = lang == "en" ? "¥" + forms::yen_digits(slip.total_yen())
                                                   : forms::yen_digits(slip.total_yen()) + (lang == "easy" ? "えん" : "円");
            line(fr.f.big, words.total + ": " + total, 0);
        }
    }, portrait ? avail : avail - col_w - fr.em * 0.6f);
    ImGui::SetCursorScreenPos(ImVec2(top.x, std::max(ImGui::GetCursorScreenPos().y, y)));
    ImGui::Dummy(ImVec2(0, 0));
    // The rating is optional: its prompt keeps the normal size in landscape, where height is short.
    centered(fr, portrait ? fr.f.body : fr.ctx.normal.body, s.rating ? fr.t("done.thanks") : fr.t("done.rate"));
    const float w = face_w, h = face_h;
    for (int i = 1; i <= 5; ++i) {
        if (i > 1) ImGui::SameLine(0, fr.em * 0.4f);
        const ImVec2 p = ImGui::GetCursorScreenPos();
        const bool enabled = s.rating == 0 || s.rating == i;
        const std::string label = fr.t("rating." + std::to_string(i));
        if (button(fr, "rate." + std::to_string(i), "", ImVec2(w, h), s.rating == i, enabled, nullptr, label))
            fr.out.events.push_back(ev::Rate{i});
        const ImU32 col = enabled ? g_pal->on_action : (g_pal == &kNormal ? g_pal->ink : IM_COL32(255, 255, 255, 255));
        face(ImVec2(p.x + w / 2, p.y + fr.em * 1.3f), fr.em * 0.95f, i, col);
        const Box inside{p.x, p.y, p.x + w, p.y + h};
        // The label under the face on one line: smaller when the button is narrow.
        const float one = fr.ctx.normal.body->CalcTextSizeA(fr.em * 0.7f, FLT_MAX, 0, label.c_str()).x;
        const float size = fr.em * 0.7f * std::min(1.0f, (w - fr.em * 0.3f) / std::max(1.0f, one));
        const TextBlock lb = layout_text(fr.ctx.normal.body, size, label, w - fr.em * 0.2f);
        draw_text(ImGui::GetWindowDrawList(), fr.ctx.normal.body, size, p.x + fr.em * 0.1f, p.y + fr.em * 2.5f, col, lb,
                  w - fr.em * 0.2f, &inside);
    }
    gap(fr, 0.1f);
    const float fw = std::min(avail, fr.em * 16);
    ImGui::SetCursorPosX(ImGui::GetCursorPosX() + (avail - fw) / 2);
    if (button(fr, "finish", fr.t("done.finish"), ImVec2(fw, fr.em * 3), false, true, fr.f.big))
        fr.out.events.push_back(ev::Finish{});
}

void message_screen(const Frame& fr, const std::string& title, const std::string& message, ImU32 col) {
    gap(fr, 1);
    centered(fr, fr.f.title, title);
    gap(fr, 1);
    centered(fr, fr.f.big, message, col);
    if (!fr.s.application_ids.empty()) {
        gap(fr, 0.5f);
        std::string ids;
        for (const auto& id : fr.s.application_ids) ids += " " + id;
        centered(fr, fr.f.big, fr.t("error.saved_numbers") + ":" + ids);
    }
    gap(fr, 1.5f);
    const float avail = ImGui::GetContentRegionAvail().x, w = std::min(avail, fr.em * 18);
    ImGui::SetCursorPosX(ImGui::GetCursorPosX() + (avail - w) / 2);
    if (button(fr, "finish", fr.t("staff.finish"), ImVec2(w, fr.em * 3), false, true, fr.f.big))
        fr.out.events.push_back(ev::Finish{});
}

// The card's data failed its authenticity check: nothing of it is shown or kept.
// Staff are called at once; the resident can call again or go back to the start.
void card_refused(const Frame& fr) {
    gap(fr, 0.8f);
    centered(fr, fr.f.title, fr.t("refused.title"));
    gap(fr, 0.6f);
    centered(fr, fr.f.big, fr.t("refused.message"), g_pal->warn);
    gap(fr, 0.6f);
    centered(fr, fr.f.body, fr.t("refused.note"));
    gap(fr, 1.0f);
    const float avail = ImGui::GetContentRegionAvail().x;
    const bool side_by_side = avail >= fr.em * 30;
    const float w = side_by_side ? std::min((avail - fr.em) / 2, fr.em * 16) : std::min(avail, fr.em * 18);
    const float x0 = ImGui::GetCursorPosX() + (avail - (side_by_side ? 2 * w + fr.em : w)) / 2;
    ImGui::SetCursorPosX(x0);
    if (button(fr, "refused.call_staff", fr.t("refused.call_staff"), ImVec2(w, fr.em * 3), fr.s.staff_called, true,
               fr.f.big))
        fr.out.events.push_back(ev::CallStaff{});
    if (side_by_side) ImGui::SameLine(0, fr.em);
    else {
        gap(fr, 0.3f);
        ImGui::SetCursorPosX(x0);
    }
    if (button(fr, "finish", fr.t("staff.finish"), ImVec2(w, fr.em * 3), false, true, fr.f.big))
        fr.out.events.push_back(ev::Finish{});
}

// Where the resident is (カード → 確認 → 質問 3/5 → 確認 → 番号), in the header's free
// room: the current step filled, arrows between. Smaller type when the room is
// narrow; only the current step (with its place, e.g. 3/5) when even that is too wide.
void step_indicator(const Frame& fr, const Box& room) {
    const Progress p = progress(fr.s);
    if (p.step == Step::None || room.empty()) return;
    std::vector<std::pair<Step, std::string>> steps = {{Step::Card, fr.t("step.card")}, {Step::Confirm, fr.t("step.confirm")}};
    if (p.questions > 0)
        steps.emplace_back(Step::Questions, p.step == Step::Questions
                                                ? fr.t("step.questions_at", std::to_string(p.question) + "/" + std::to_string(p.questions))
                                                : fr.t("step.questions"));
    steps.emplace_back(Step::Review, fr.t("step.review"));
    steps.emplace_back(Step::Number, fr.t("step.number"));
    ImFont* font = fr.ctx.normal.body;
    const float room_w = room.x1 - room.x0;
    auto width_at = [&](float size) {
        float w = 0;
        for (const auto& [step, label] : steps)
            w += font->CalcTextSizeA(size, FLT_MAX, 0, label.c_str()).x + size * 0.8f;
        return w + static_cast<float>(steps.size() - 1) * size * 1.1f;
    };
    float size = std::min(fr.f.body->FontSize, fr.em) * 0.85f;
    while (size > fr.em * 0.5f && width_at(size) > room_w) size -= fr.em * 0.05f;
    if (width_at(size) > room_w) {
        // Only where the resident is: "3/5 確認".
        int n = 0;
        for (std::size_t i = 0; i < steps.size(); ++i)
            if (steps[i].first == p.step) n = static_cast<int>(i) + 1;
        const std::string count = std::to_string(n) + "/" + std::to_string(steps.size());
        steps = {{p.step, count + " " + steps[static_cast<std::size_t>(n - 1)].second}};
        size = std::min(fr.f.body->FontSize, fr.em) * 0.85f;
        while (size > fr.em * 0.4f && width_at(size) > room_w) size -= fr.em * 0.05f;
        // Still too long (English in large text on a narrow header): the count alone.
        if (width_at(size) > room_w) {
            steps = {{p.step, count}};
            size = std::min(fr.f.body->FontSize, fr.em) * 0.85f;
            while (size > fr.em * 0.4f && width_at(size) > room_w) size -= fr.em * 0.05f;
        }
    }
    ImDrawList* dl = ImGui::GetWindowDrawList();
    float x = room.x0 + std::max(0.0f, (room_w - width_at(size)) / 2);
    const float cy = (room.y0 + room.y1) / 2;
    for (std::size_t i = 0; i < steps.size(); ++i) {
        const auto& [step, label] = steps[i];
        const TextBlock tb = layout_text(font, size, label, 0);
        const float w = tb.w + size * 0.8f, h = tb.h + size * 0.5f;
        const bool here = step == p.step;
        if (here) dl->AddRectFilled(ImVec2(x, cy - h / 2), ImVec2(x + w, cy + h / 2), g_pal->action, size * 0.3f);
        draw_text(dl, font, size, x + size * 0.4f, cy - tb.h / 2, here ? g_pal->on_action : g_pal->ink, tb, 0, &room);
        x += w;
        if (i + 1 < steps.size()) {
            const float a = size * 0.3f, ax = x + size * 0.55f;
            dl->AddTriangleFilled(ImVec2(ax - a * 0.6f, cy - a), ImVec2(ax + a * 0.7f, cy), ImVec2(ax - a * 0.6f, cy + a), g_pal->ink);
            x += size * 1.1f;
        }
    }
}

void still_there(const Frame& fr) {
    gap(fr, 2);
    centered(fr, fr.f.huge, fr.t("still.title"));
    gap(fr, 1);
    centered(fr, fr.f.big, fr.t("still.hint"), g_pal->warn);
    gap(fr, 0.5f);
    centered(fr, fr.f.title, fr.t("still.countdown", std::to_string(seconds_left(fr.s))));
    gap(fr, 1.0f);
    const float avail = ImGui::GetContentRegionAvail().x, w = std::min(avail, fr.em * 18);
    ImGui::SetCursorPosX(ImGui::GetCursorPosX() + (avail - w) / 2);
    if (button(fr, "still.continue", fr.t("still.continue"), ImVec2(w, fr.em * 3.6f), false, true, fr.f.big))
        fr.out.events.push_back(ev::StillHere{});
}

}  // namespace

std::string dynamic_text(const State& s, const std::string& draft) {
    // Sized once and appended to: no temporary copy of a name is left behind.
    std::string birth = birth_date_text(s.card.birth_date, s.language);
    std::size_t n = s.card.name.size() + s.card.address.size() + birth.size() + draft.size();
    for (const auto& id : s.application_ids) n += id.size();
    for (const auto& f : s.forms)
        for (const auto& v : f.fields) n += v.display.size();
    for (const auto& [k, v] : s.answers) n += v.size();
    std::string out;
    out.reserve(n);
    out += s.card.name;
    out += s.card.address;
    out += birth;
    out += draft;
    base::wipe_string(birth);
    for (const auto& id : s.application_ids) out += id;
    for (const auto& f : s.forms)
        for (const auto& v : f.fields) out += v.display;
    for (const auto& [k, v] : s.answers) out += v;
    for (const auto& h : s.household) {
        out += h.member.name;
        std::string b = birth_date_text(h.member.birth_date, s.language);
        out += b;
        base::wipe_string(b);
    }
    out += s.member_draft.name;
    std::string b = birth_date_text(s.member_draft.birth_date, s.language);
    out += b;
    base::wipe_string(b);
    return out;
}

void apply_style(float em, bool high_contrast) {
    g_pal = high_contrast ? &kContrast : &kNormal;
    ImGuiStyle& st = ImGui::GetStyle();
    st = ImGuiStyle();
    st.WindowPadding = ImVec2(em * 0.8f, em * 0.5f);
    st.ItemSpacing = ImVec2(em * 0.4f, em * 0.3f);
    st.WindowBorderSize = 0;
    st.ScrollbarSize = em * 0.8f;
    ImVec4* c = st.Colors;
    // The renderer clears to WindowBg; the windows draw no background of their own
    // (a full-screen rectangle costs a software renderer as much as the rest of a frame).
    c[ImGuiCol_WindowBg] = vec(g_pal->paper);
    c[ImGuiCol_ChildBg] = ImVec4(0, 0, 0, 0);
    c[ImGuiCol_Text] = vec(g_pal->ink);
    c[ImGuiCol_Separator] = vec(g_pal->ink);
    c[ImGuiCol_ScrollbarBg] = vec(g_pal->paper);
    c[ImGuiCol_ScrollbarGrab] = vec(g_pal->action);
}

UiRequests draw(const State& s, const UiContext& ctx) {
    UiRequests out;
    apply_style(ctx.normal.em, s.high_contrast);
    const Fonts& f = s.large_text ? ctx.large : ctx.normal;
    set_ruby_font(f.ruby);
    const Frame fr{s, ctx, f, ctx.normal.em, out};
    const float em = fr.em;
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(vp->Pos);
    ImGui::SetNextWindowSize(vp->Size);
    ImGui::Begin("kakanai", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoBackground);
    const float width = ImGui::GetContentRegionAvail().x;
    const bool narrow = width < em * 40;  // portrait: the footer takes two rows
    const float btn_h = em * 3;
    LayoutCheck* check = layout_check();
    if (check) {
        check->begin_frame(s.still_there ? "still_there" : to_string(s.screen), vp->Size.x, vp->Size.y);
        check->set_min_target(em * 3);  // 120 px at 1080p (README: the layout check)
        check->set_zone(LayoutCheck::Zone::Header);
    }

    // Header: the service's name and the languages offered, on every screen; with
    // large text, in large text too.
    const ImVec2 h0 = ImGui::GetCursorScreenPos();
    const float title_h = measure(fr, f.title, ctx.text->get("app.title"), 0).y;
    // Landscape: languages at the right of the title; portrait: on their own row.
    const float lang_gap = em * 0.3f;
    const float n_langs = static_cast<float>(ctx.languages.size());
    const float lang_w = narrow ? (width - lang_gap * (n_langs - 1)) / n_langs : em * (s.large_text ? 8.5f : 7.5f);
    float lang_h = btn_h;
    for (const auto& lang : ctx.languages)
        lang_h = std::max(lang_h, layout_text(f.body, f.body->FontSize, ctx.text->get_in(lang, "language_name"),
                                              lang_w - em * 0.6f).h + em * 0.6f);
    const float title_row = std::max(btn_h, title_h);
    text_at(fr, f.title, ctx.text->get("app.title"), ImVec2(h0.x, h0.y + (title_row - title_h) / 2), 0, g_pal->ink);
    {
        // The step indicator between the title and the languages (portrait: right of the title).
        const float title_w = measure(fr, f.title, ctx.text->get("app.title"), 0).x;
        const float right = narrow ? h0.x + width : h0.x + width - n_langs * (lang_w + lang_gap) + lang_gap - em * 0.5f;
        if (!s.still_there)
            step_indicator(fr, Box{h0.x + title_w + em * 0.5f, h0.y, right, h0.y + title_row});
    }
    const float row_y = narrow ? h0.y + title_row : h0.y;
    ImGui::SetCursorScreenPos(ImVec2(narrow ? h0.x : h0.x + width - n_langs * (lang_w + lang_gap) + lang_gap, row_y));
    for (const auto& lang : ctx.languages) {
        const bool current = lang == ctx.text->language();
        if (button(fr, "lang." + lang, ctx.text->get_in(lang, "language_name"), ImVec2(lang_w, lang_h), current, true,
                   f.body))
            out.events.push_back(ev::SetLanguage{lang});
        ImGui::SameLine(0, lang_gap);
    }
    ImGui::NewLine();
    const float header_end = narrow ? row_y + lang_h : h0.y + std::max(title_row, lang_h);
    ImGui::SetCursorScreenPos(ImVec2(h0.x, header_end + em * 0.3f));
    ImGui::Separator();
    if (check) {
        check->set_header(Box{vp->Pos.x, vp->Pos.y, vp->Pos.x + vp->Size.x, header_end + em * 0.3f});
        check->set_zone(LayoutCheck::Zone::Content);
    }

    // Footer buttons: as tall as their largest label needs.
    // Five across in landscape, three in portrait; fewer when a label would have to
    // be cut inside a word (large text).
    // The contrast button says what it does: to the dark screen, or back to the light one.
    const char* contrast_key = s.high_contrast ? "button.contrast_off" : "button.contrast_on";
    const char* foot_keys[] = {"button.back", "button.cancel", "button.large_text", contrast_key, "button.help"};
    int per_row = narrow ? 3 : 5;
    float foot_w = 0, foot_h = btn_h;
    for (;; --per_row) {
        foot_w = (width - em * 0.4f * static_cast<float>(per_row - 1)) / static_cast<float>(per_row);
        bool whole = true;
        foot_h = btn_h;
        for (const char* k : foot_keys) {
            const TextBlock tb = layout_text(f.body, f.body->FontSize, "● " + ctx.text->get(k), foot_w - em * 0.6f);
            whole = whole && !tb.broken_word;
            foot_h = std::max(foot_h, tb.h + em * 0.6f);
        }
        if (whole || per_row <= 2) break;
    }
    const int foot_rows = (5 + per_row - 1) / per_row;
    const float footer_h = static_cast<float>(foot_rows) * (foot_h + em * 0.3f) + em * 0.5f;

    // A call for staff: sent, then answered by a clerk at a station (or it could not be sent).
    if (s.call != CallStatus::None)
        centered(fr, f.body,
                 ctx.text->get(s.call == CallStatus::Coming ? "call.coming"
                               : s.call == CallStatus::Failed ? "call.failed"
                                                              : "call.raised"),
                 g_pal->warn);
    else if (s.staff_called) centered(fr, f.body, ctx.text->get("staff.help"), g_pal->warn);
    ImGui::BeginChild("screen", ImVec2(0, ImGui::GetContentRegionAvail().y - footer_h), false,
                      ImGuiWindowFlags_NoScrollbar);
    if (check) {
        const ImVec2 c0 = ImGui::GetWindowPos(), cs = ImGui::GetWindowSize();
        check->set_content(Box{c0.x, c0.y, c0.x + cs.x, c0.y + cs.y});
        check->set_footer(Box{vp->Pos.x, c0.y + cs.y, vp->Pos.x + vp->Size.x, vp->Pos.y + vp->Size.y});
    }
    if (s.still_there) still_there(fr);
    else switch (s.screen) {
        case Screen::Welcome: welcome(fr); break;
        case Screen::Errand: errand(fr); break;
        case Screen::PlaceCard: place_card(fr); break;
        case Screen::Pin: pin_pad(fr); break;
        case Screen::Reading: reading(fr); break;
        case Screen::Confirm: confirm(fr); break;
        case Screen::Question: question(fr); break;
        case Screen::Needs: needs(fr); break;
        case Screen::Review: review(fr); break;
        case Screen::Preview: preview(fr); break;
        case Screen::Done: done(fr); break;
        case Screen::Staff: message_screen(fr, fr.t("staff.title"), fr.t(s.staff_key.empty() ? "staff.help" : s.staff_key), g_pal->ink); break;
        case Screen::Error:
            message_screen(fr, fr.t("error.title"), fr.t(s.error_key.empty() ? "error.read_failed" : s.error_key), g_pal->warn);
            break;
        case Screen::CardRefused: card_refused(fr); break;
        case Screen::Household: household(fr); break;
        case Screen::MemberCard: member_card(fr); break;
        case Screen::Member: member(fr); break;
    }
    ImGui::EndChild();

    // Footer on every screen: back, start over, large text, high contrast, call staff.
    ImGui::Separator();
    if (check) check->set_zone(LayoutCheck::Zone::Footer);
    int n = 0;
    auto footer = [&](const std::string& id, const std::string& key, bool selected, bool enabled, Event e) {
        if (n % per_row != 0) ImGui::SameLine(0, em * 0.4f);
        ++n;
        if (button(fr, id, ctx.text->get(key), ImVec2(foot_w, foot_h), selected, enabled, f.body))
            out.events.push_back(std::move(e));
    };
    // On done the visit's number stays until 終わる or the idle timeout: no 戻る, no 最初から.
    const bool can_go_back = s.screen != Screen::Welcome && s.screen != Screen::Reading && s.screen != Screen::Done;
    footer("back", "button.back", false, can_go_back, ev::Back{});
    footer("cancel", "button.cancel", false, s.screen != Screen::Welcome && s.screen != Screen::Done, ev::Cancel{});
    footer("large_text", "button.large_text", s.large_text, true, ev::ToggleLargeText{});
    footer("contrast", contrast_key, false, true, ev::ToggleHighContrast{});
    footer("help", "button.help", s.staff_called, true, ev::CallStaff{});
    ImGui::End();
    return out;
}

}  // namespace kakanai::kiosk
