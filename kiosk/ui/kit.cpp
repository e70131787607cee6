#include "kit.hpp"

#include <imgui.h>
#include <imgui_internal.h>
#include <qrencode.h>

#include <algorithm>
#include <cfloat>
#include <memory>

#include "ruby.hpp"

namespace kakanai::kiosk {

// A QR code drawn as squares (libqrencode makes the modules).
void draw_qr_code(const std::string& payload, float left, float top, float side, unsigned dark, unsigned light) {
    const ImVec2 pos(left, top);
    std::unique_ptr<QRcode, void (*)(QRcode*)> qr(QRcode_encodeString(payload.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1),
                                                  QRcode_free);
    if (!qr) return;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const int n = qr->width;
    const float quiet = 4, cell = side / (static_cast<float>(n) + 2 * quiet);
    dl->AddRectFilled(pos, ImVec2(pos.x + side, pos.y + side), light);
    for (int y = 0; y < n; ++y)
        for (int x = 0; x < n; ++x)
            if (qr->data[y * n + x] & 1) {
                const ImVec2 a(pos.x + (quiet + static_cast<float>(x)) * cell, pos.y + (quiet + static_cast<float>(y)) * cell);
                dl->AddRectFilled(a, ImVec2(a.x + cell, a.y + cell), dark);
            }
}

// The page preview: the template's layout drawn at mm scale with the
// pre-filled values, the same positions the PDF uses.
void draw_page_preview(const forms::Template& t, const forms::FilledForm& form, float left, float top, float height,
                       ImFont* font, const RareTextFn& rare_text, unsigned frame_rgba) {
    const ImVec2 pos(left, top);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float mm = height / 297.0f, width = 210.0f * mm;
    const ImU32 ink = IM_COL32(18, 18, 18, 255), paper = IM_COL32(255, 255, 255, 255);
    dl->AddRectFilled(pos, ImVec2(pos.x + width, pos.y + height), paper);
    dl->AddRect(pos, ImVec2(pos.x + width, pos.y + height), frame_rgba, 0, 0, 2);
    auto P = [&](double x, double y) { return ImVec2(pos.x + static_cast<float>(x) * mm, pos.y + static_cast<float>(y) * mm); };
    auto px = [&](double pt) { return std::max(6.0f, static_cast<float>(pt * 0.3528) * mm); };
    auto value = [&](const std::string& id) -> std::string {
        const forms::FilledField* f = form.find(id);
        return f ? f->display : std::string();
    };
    auto text = [&](const std::string& s, ImVec2 p, float size, float wrap) {
        if (s.empty()) return;
        if (has_non_bmp(s) && rare_text) {
            RareImage img;
            if (rare_text(s, size, ink, &img)) {
                dl->AddImage(static_cast<ImTextureID>(img.texture), p, ImVec2(p.x + img.w, p.y + img.h));
                return;
            }
        }
        dl->AddText(font, size, p, ink, s.c_str(), nullptr, wrap);
    };
    // The page's own items, then each [[group]]'s rows (row n is `pitch` mm lower and
    // shows member n's values), as the first printed page has them.
    std::vector<forms::LayoutItem> items = t.layout;
    for (const auto& g : t.groups)
        for (int row = 1; row <= g.max; ++row)
            for (auto item : g.items) {
                item.y += g.pitch * (row - 1);
                if (!item.field.empty()) item.field = forms::member_field_id(g.id, row, item.field);
                items.push_back(std::move(item));
            }
    for (const auto& item : items) {
        const ImVec2 a = P(item.x, item.y), b = P(item.x + item.w, item.y + item.h);
        const float size = px(item.size);
        if (item.kind == "box") dl->AddRect(a, b, ink, 0, 0, 1);
        else if (item.kind == "line") dl->AddLine(a, b, ink, 1);
        else if (item.kind == "label") text(item.text.ja, a, size, b.x - a.x);
        else if (item.kind == "image") dl->AddRect(a, b, IM_COL32(120, 120, 120, 255), 0, 0, 1);
        else if (item.kind == "qr") draw_qr_code(t.id, a.x, a.y, std::min(b.x - a.x, b.y - a.y), ink, paper);
        else if (item.kind == "field") {
            dl->AddRect(a, b, ink, 0, 0, 1);
            float y = a.y + 1;
            if (item.show_label) {
                if (const forms::Field* f = t.field(item.field)) text(f->label.ja, ImVec2(a.x + 2, y), px(7), 0);
                y += px(7) + 1;
            }
            text(value(item.field), ImVec2(a.x + 3, y), size, b.x - a.x - 4);
        } else if (item.kind == "grid" && item.cells > 0) {
            const float cw = (b.x - a.x) / static_cast<float>(item.cells);
            const std::string v = value(item.field);
            for (int i = 0; i < item.cells; ++i) {
                const ImVec2 ca(a.x + cw * static_cast<float>(i), a.y);
                dl->AddRect(ca, ImVec2(ca.x + cw, b.y), ink, 0, 0, 1);
                if (static_cast<std::size_t>(i) < v.size())
                    text(std::string(1, v[static_cast<std::size_t>(i)]), ImVec2(ca.x + cw * 0.25f, a.y + 1), size, 0);
            }
        } else if (item.kind == "check" || item.kind == "circle") {
            const std::string v = form.find(item.field) ? form.find(item.field)->value : std::string();
            const bool on = item.option.empty() ? (v == "true" || v == "1") : v == item.option;
            if (item.kind == "check") {
                dl->AddRect(a, b, ink, 0, 0, 1);
                if (on) {
                    dl->AddLine(a, b, ink, 2);
                    dl->AddLine(ImVec2(a.x, b.y), ImVec2(b.x, a.y), ink, 2);
                }
            } else if (on) {
                dl->AddCircle(ImVec2((a.x + b.x) / 2, (a.y + b.y) / 2), std::max(b.x - a.x, b.y - a.y) / 2, ink, 0, 1.5f);
            }
        }
    }
}

namespace {
LayoutCheck* g_check = nullptr;
}

LayoutCheck* layout_check() { return g_check; }
void set_layout_check(LayoutCheck* check) { g_check = check; }

Box clip_box() {
    const ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 a = dl->GetClipRectMin(), b = dl->GetClipRectMax();
    return Box{a.x, a.y, b.x, b.y};
}

namespace {
ImFont* g_ruby_font = nullptr;

float plain_width(ImFont* font, float size, std::string_view s) {
    return font->CalcTextSizeA(size, FLT_MAX, 0, s.data(), s.data() + s.size()).x;
}

std::string_view trimmed(std::string_view v) {
    while (!v.empty() && (v.back() == ' ' || v.back() == '\n')) v.remove_suffix(1);
    return v;
}

// A line with ruby laid out: bases at `size` in `font`, readings below kRubyScale in the ruby font.
RubyLine ruby_line(ImFont* font, float size, std::string_view line) {
    ImFont* rf = g_ruby_font ? g_ruby_font : font;
    // A reading may reach over the kana beside it by one reading character.
    return place_ruby(
        line, [&](std::string_view s) { return plain_width(font, size, s); },
        [&](std::string_view s) { return plain_width(rf, size * kRubyScale, s); }, size * kRubyScale);
}
}  // namespace

void set_ruby_font(ImFont* font) { g_ruby_font = font; }

TextBlock layout_text(ImFont* font, float size, const std::string& source, float wrap) {
    TextBlock b;
    const std::string& text = ruby_cached(source);
    const bool ruby = has_ruby(text);
    auto width = [&](std::string_view s) {
        return ruby ? ruby_line(font, size, s).w : plain_width(font, size, s);
    };
    if (wrap > 0) b.lines = wrap_lines(text, wrap, width, &b.broken_word);
    else b.lines = wrap_lines(text, FLT_MAX, width);
    for (const auto& l : b.lines) b.w = std::max(b.w, width(trimmed(l)));
    b.band = ruby ? size * kRubyBand : 0;
    b.h = static_cast<float>(b.lines.size()) * (size + b.band);
    return b;
}

void draw_text(ImDrawList* dl, ImFont* font, float size, float x, float y, unsigned col, const TextBlock& block,
               float align_width, const Box* box) {
    float ly = y;
    ImFont* rf = g_ruby_font ? g_ruby_font : font;
    for (const auto& l : block.lines) {
        const std::string_view v = trimmed(l);
        if (block.band > 0) {
            // Readings at the top of the line's band, bases under them.
            const RubyLine rl = ruby_line(font, size, v);
            const float lx = align_width > 0 ? x + std::max(0.0f, (align_width - rl.w) / 2) : x;
            for (const RubyRun& r : rl.runs) {
                if (r.reading)
                    dl->AddText(rf, size * kRubyScale, ImVec2(lx + r.x, ly), col, r.text.data(), r.text.data() + r.text.size());
                else
                    dl->AddText(font, size, ImVec2(lx + r.x, ly + block.band), col, r.text.data(),
                                r.text.data() + r.text.size());
            }
            ly += size + block.band;
            continue;
        }
        const float lw = plain_width(font, size, v);
        const float lx = align_width > 0 ? x + std::max(0.0f, (align_width - lw) / 2) : x;
        dl->AddText(font, size, ImVec2(lx, ly), col, v.data(), v.data() + v.size());
        ly += size;
    }
    if (LayoutCheck* check = layout_check()) {
        const float left = align_width > 0 ? x + std::max(0.0f, (align_width - block.w) / 2) : x;
        const Box drawn{left, y, left + block.w, y + block.h};
        // A word split because it did not fit shows up as a cut the check reports.
        check->text(block.lines, drawn, box ? *box : clip_box());
    }
}

bool button_pressed(const std::string& id, const std::string& label, bool clicked, bool enabled,
                    const std::string& scripted_tap, std::set<std::string>& drawn, std::vector<std::string>& taps) {
    drawn.insert(id);
    if (g_check) {
        const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
        // A child window that shows a scrollbar when its content overflows (the
        // station's lists and tables) is a scroll region: its items may be scrolled
        // out of view. (Its first frame knows no content height yet.)
        const ImGuiWindow* win = ImGui::GetCurrentWindow();
        const bool scrolls = (win->Flags & ImGuiWindowFlags_ChildWindow) && !(win->Flags & ImGuiWindowFlags_NoScrollbar);
        if (scrolls) g_check->begin_scroll(clip_box());
        g_check->tappable(id, label, Box{a.x, a.y, b.x, b.y});
        if (scrolls) g_check->end_scroll();
    }
    const bool pressed = enabled && (clicked || scripted_tap == id);
    if (pressed) taps.push_back(id);
    return pressed;
}

std::string forms_language(const std::string& ui_language) { return ui_language == "ja-easy" ? "easy" : ui_language; }

bool has_non_bmp(const std::string& s) {
    for (unsigned char c : s)
        if (c >= 0xF0) return true;  // a 4-byte UTF-8 sequence
    return false;
}

std::string catalogue_text(const forms::Catalogue& c) {
    std::string out;
    // やさしい日本語 may hold ruby markup: its bases and readings, not the braces.
    auto add = [&](const forms::Text& t) {
        const std::string easy = ruby_cached(t.easy);
        out += t.ja + t.en + ruby_base(easy) + ruby_readings(easy);
    };
    for (const auto& e : c.events()) add(e.title);
    for (const auto* t : c.templates()) {
        add(t->title);
        for (const auto& f : t->fields) {
            add(f.label);
            add(f.question);
            add(f.help);
            for (const auto& ch : f.choices) add(ch.label);
        }
        for (const auto& item : t->layout) add(item.text);
        if (t->guide) {  // the guide slip's summary on the done screen
            add(t->guide->counter);
            add(t->guide->deadline_from);
            for (const auto& b : t->guide->bring) add(b);
        }
    }
    return out;
}

}  // namespace kakanai::kiosk
