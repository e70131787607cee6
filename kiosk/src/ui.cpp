#include "ui.hpp"

#include <imgui.h>

#include "kakanai/forms/wareki.hpp"

namespace kakanai::kiosk {
namespace {

const ImVec4 kInk{0.07f, 0.07f, 0.07f, 1.0f};        // #121212 on white: 18.7:1
const ImVec4 kPaper{1.0f, 1.0f, 1.0f, 1.0f};
const ImVec4 kAction{0.0f, 0.20f, 0.50f, 1.0f};      // #003380 behind white: 11.9:1
const ImVec4 kActionHover{0.0f, 0.26f, 0.60f, 1.0f};
const ImVec4 kWarn{0.60f, 0.0f, 0.0f, 1.0f};         // #990000 on white: 8.9:1

void centered_text(ImFont* font, const std::string& s, float wrap_width) {
    ImGui::PushFont(font);
    const float avail = ImGui::GetContentRegionAvail().x;
    const ImVec2 size = ImGui::CalcTextSize(s.c_str(), nullptr, false, wrap_width);
    ImGui::SetCursorPosX(ImGui::GetCursorPosX() + std::max(0.0f, (avail - size.x) / 2));
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + wrap_width);
    ImGui::TextUnformatted(s.c_str());
    ImGui::PopTextWrapPos();
    ImGui::PopFont();
}

const ImVec4 kOnAction{1.0f, 1.0f, 1.0f, 1.0f};

bool big_button(const std::string& label, const char* id, float width, float height) {
    const std::string full = label + "##" + id;
    ImGui::PushStyleColor(ImGuiCol_Text, kOnAction);
    const bool pressed = ImGui::Button(full.c_str(), ImVec2(width, height));
    ImGui::PopStyleColor();
    return pressed;
}

void pin_pad(const State& s, const Strings& text, const Fonts& f, UiRequests& out) {
    centered_text(f.title, text.get("pin.title"), ImGui::GetContentRegionAvail().x);
    if (!s.error_key.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, kWarn);
        std::string msg = text.get(s.error_key);
        if (s.tries_left >= 0) msg += "  " + text.get("pin.tries_left", std::to_string(s.tries_left));
        centered_text(f.body, msg, ImGui::GetContentRegionAvail().x);
        ImGui::PopStyleColor();
    }
    std::string dots;
    for (int i = 0; i < 4; ++i) dots += i < s.pin_length ? "● " : "○ ";
    centered_text(f.big, dots, ImGui::GetContentRegionAvail().x);
    // A fixed ATM-like layout: 1 2 3 / 4 5 6 / 7 8 9 / clear 0 ok.
    const float key = f.em * 4.0f, gap = f.em * 0.4f;
    const float left = (ImGui::GetContentRegionAvail().x - 3 * key - 2 * gap) / 2;
    const char* keys[12] = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "clear", "0", "ok"};
    ImGui::PushFont(f.big);
    for (int i = 0; i < 12; ++i) {
        if (i % 3 == 0) ImGui::SetCursorPosX(ImGui::GetCursorPosX() + left);
        else ImGui::SameLine(0, gap);
        const std::string k = keys[i];
        const std::string label = k == "clear" ? text.get("pin.clear") : k == "ok" ? text.get("pin.ok") : k;
        const bool disabled = k == "ok" && s.pin_length != 4;
        if (disabled) ImGui::BeginDisabled();
        if (big_button(label, ("pin" + k).c_str(), key, f.em * 2.6f)) {
            if (k == "clear") out.events.push_back(ev::PinClear{});
            else if (k == "ok") out.events.push_back(ev::PinSubmit{});
            else out.events.push_back(ev::PinDigit{k[0]});
        }
        if (disabled) ImGui::EndDisabled();
        if (i % 3 == 2) ImGui::Dummy(ImVec2(0, gap * 0.5f));
    }
    ImGui::PopFont();
}

void labelled(const Strings& text, const Fonts& f, const char* key, const std::string& value) {
    ImGui::PushFont(f.body);
    ImGui::TextUnformatted(text.get(key).c_str());
    ImGui::PopFont();
    ImGui::PushFont(f.big);
    ImGui::PushTextWrapPos(ImGui::GetContentRegionAvail().x);
    ImGui::TextUnformatted(value.c_str());
    ImGui::PopTextWrapPos();
    ImGui::PopFont();
    ImGui::Dummy(ImVec2(0, f.em * 0.4f));
}

// 和暦 first, as residents know it, with 西暦 beside it.
std::string birth_date_text(const std::string& iso) {
    try {
        return forms::format_date(iso, forms::DateStyle::Wareki) + "（" +
               forms::format_date(iso, forms::DateStyle::Seireki) + "）";
    } catch (const forms::DateError&) {
        return iso;
    }
}

}  // namespace

std::string dynamic_text(const State& s, const std::string& output_dir) {
    return s.card.name + s.card.address + birth_date_text(s.card.birth_date) + s.application_id + output_dir;
}

void apply_style(float em) {
    ImGuiStyle& st = ImGui::GetStyle();
    st = ImGuiStyle();
    st.WindowPadding = ImVec2(em, em * 0.6f);
    st.FramePadding = ImVec2(em * 0.5f, em * 0.4f);
    st.ItemSpacing = ImVec2(em * 0.4f, em * 0.4f);
    st.FrameRounding = em * 0.25f;
    st.WindowBorderSize = 0;
    ImVec4* c = st.Colors;
    c[ImGuiCol_WindowBg] = kPaper;
    c[ImGuiCol_Text] = kInk;
    c[ImGuiCol_TextDisabled] = ImVec4(0.35f, 0.35f, 0.35f, 1.0f);
    c[ImGuiCol_Button] = kAction;
    c[ImGuiCol_ButtonHovered] = kActionHover;
    c[ImGuiCol_ButtonActive] = kActionHover;
}

UiRequests draw(const State& s, const Strings& text, const Fonts& f, const std::string& output_dir) {
    UiRequests out;
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(vp->Pos);
    ImGui::SetNextWindowSize(vp->Size);
    ImGui::Begin("kakanai", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_NoBringToFrontOnFocus);
    const float width = ImGui::GetContentRegionAvail().x;
    const float bar_h = f.em * 3.0f;

    // Header: the service's name and the language choice, on every screen.
    ImGui::PushFont(f.title);
    ImGui::TextUnformatted(text.get("app.title").c_str());
    ImGui::PopFont();
    ImGui::SameLine();
    const auto langs = text.languages();
    ImGui::PushFont(f.body);
    float langs_width = 0;
    for (const auto& lang : langs)
        langs_width += ImGui::CalcTextSize(text.get_in(lang, "language_name").c_str()).x + f.em * 1.4f;
    ImGui::SetCursorPosX(std::max(ImGui::GetCursorPosX(), width - langs_width));
    for (const auto& lang : langs) {
        const std::string& name = text.get_in(lang, "language_name");
        const bool current = lang == text.language();
        // The current language is marked by a white frame, not only by colour.
        if (current) {
            ImGui::PushStyleVar(ImGuiStyleVar_FrameBorderSize, f.em * 0.12f);
            ImGui::PushStyleColor(ImGuiCol_Border, kInk);
        }
        if (big_button(name, ("lang" + lang).c_str(), ImGui::CalcTextSize(name.c_str()).x + f.em, f.em * 1.8f))
            out.language = lang;
        if (current) {
            ImGui::PopStyleColor();
            ImGui::PopStyleVar();
        }
        ImGui::SameLine();
    }
    ImGui::NewLine();
    ImGui::PopFont();
    ImGui::Separator();

    ImGui::BeginChild("screen", ImVec2(0, ImGui::GetContentRegionAvail().y - bar_h), false);
    ImGui::Dummy(ImVec2(0, f.em * 0.5f));
    switch (s.screen) {
        case Screen::Welcome:
            ImGui::Dummy(ImVec2(0, f.em * 2));
            centered_text(f.big, text.get("welcome.place_card"), width * 0.85f);
            ImGui::Dummy(ImVec2(0, f.em));
            centered_text(f.body, text.get(s.reader_ready ? "welcome.no_card" : "welcome.waiting_reader"), width * 0.85f);
            break;
        case Screen::Pin: pin_pad(s, text, f, out); break;
        case Screen::Reading:
            ImGui::Dummy(ImVec2(0, f.em * 3));
            centered_text(f.big, text.get("reading.title"), width * 0.85f);
            break;
        case Screen::Confirm:
            centered_text(f.title, text.get("confirm.title"), width);
            ImGui::Dummy(ImVec2(0, f.em * 0.5f));
            labelled(text, f, "confirm.name", s.card.name);
            labelled(text, f, "confirm.address", s.card.address);
            labelled(text, f, "confirm.birth_date", birth_date_text(s.card.birth_date));
            ImGui::PushFont(f.big);
            if (big_button(text.get("confirm.make_pdf"), "make_pdf", width, f.em * 3.0f))
                out.events.push_back(ev::MakeApplication{});
            ImGui::PopFont();
            break;
        case Screen::Done:
            centered_text(f.title, text.get("done.title"), width);
            ImGui::Dummy(ImVec2(0, f.em));
            centered_text(f.body, text.get("done.number"), width);
            centered_text(f.big, s.application_id, width);
            ImGui::Dummy(ImVec2(0, f.em));
            centered_text(f.body, text.get("done.next"), width * 0.9f);
            ImGui::Dummy(ImVec2(0, f.em));
            centered_text(f.body, text.get("done.saved_to") + ": " + output_dir, width * 0.9f);
            break;
        case Screen::Error:
            centered_text(f.title, text.get("error.title"), width);
            ImGui::Dummy(ImVec2(0, f.em));
            ImGui::PushStyleColor(ImGuiCol_Text, kWarn);
            centered_text(f.big, text.get(s.error_key.empty() ? "error.read_failed" : s.error_key), width * 0.85f);
            ImGui::PopStyleColor();
            break;
    }
    ImGui::EndChild();

    // Footer: "back" and "call staff" on every screen.
    ImGui::Separator();
    ImGui::PushFont(f.body);
    if (big_button(text.get("button.back"), "back", f.em * 9, bar_h - f.em * 0.8f)) out.events.push_back(ev::Back{});
    ImGui::SameLine(width - f.em * 9);
    big_button(text.get("button.help"), "help", f.em * 9, bar_h - f.em * 0.8f);
    ImGui::PopFont();
    ImGui::End();
    return out;
}

}  // namespace kakanai::kiosk
