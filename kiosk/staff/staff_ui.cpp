// The counter staff station's screens. Sections: 1. palette and widgets
// 2. header and notices  3. one function per screen  4. draw()
#include "staff_ui.hpp"

#include "application_record.hpp"

#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <cstdio>
#include <ctime>

#include "kakanai/forms/prefill.hpp"
#include "kakanai/forms/wareki.hpp"

namespace kakanai::kiosk::staff {
namespace {

// ---- 1. One palette, every text/background pair above 7:1 (WCAG 2):
// #121212 on #FFFFFF 18.7:1, on #E8EDF5 15.4:1; #FFFFFF on #003380 11.9:1;
// #990000 on #FFFFFF 8.9:1; #FFFFFF on #990000 8.9:1; #121212 on #E1E1E1 14.0:1.
const ImU32 kPaper = IM_COL32(255, 255, 255, 255);
const ImU32 kInk = IM_COL32(18, 18, 18, 255);
const ImU32 kAction = IM_COL32(0, 51, 128, 255);
const ImU32 kActionHover = IM_COL32(0, 40, 100, 255);
const ImU32 kBand = IM_COL32(232, 237, 245, 255);
const ImU32 kWarn = IM_COL32(153, 0, 0, 255);
const ImU32 kOff = IM_COL32(225, 225, 225, 255);

ImVec4 vec(ImU32 c) { return ImGui::ColorConvertU32ToFloat4(c); }

// Three dots, one filled, moving while the desk works (glyphs the atlas always has).
std::string spinner(int phase) {
    static const char* const kDots[] = {"●○○", "○●○", "○○●"};
    return kDots[(phase % 3 + 3) % 3];
}

struct Frame {
    const State& s;
    const UiContext& ctx;
    UiRequests& out;
    float em;
    const std::string& t(const std::string& key) const { return ctx.text->get(key); }
    std::string t(const std::string& key, const std::string& n) const { return ctx.text->get(key, n); }
    std::string& draft(const std::string& id) const { return (*ctx.drafts)[id]; }
    const forms::Template* tmpl(const std::string& id) const { return ctx.catalogue ? ctx.catalogue->find(id) : nullptr; }
    std::string title_of(const std::string& template_id) const {
        const forms::Template* t = tmpl(template_id);
        return t ? t->title.in(ctx.text->language() == "en" ? "en" : "ja") : template_id;
    }
};

enum class Kind { Primary, Secondary, Danger };

// A button that scripted runs press by id through the same path as a click.
bool button(const Frame& fr, const std::string& id, const std::string& label, ImVec2 size = ImVec2(0, 0),
            bool enabled = true, Kind kind = Kind::Primary) {
    ImU32 bg = kAction, hover = kActionHover, fg = kPaper;
    if (kind == Kind::Danger) bg = hover = kWarn;
    if (kind == Kind::Secondary) bg = hover = kBand, fg = kInk;
    if (!enabled) bg = hover = kOff, fg = kInk;
    ImGui::PushStyleColor(ImGuiCol_Button, vec(bg));
    ImGui::PushStyleColor(ImGuiCol_ButtonHovered, vec(hover));
    ImGui::PushStyleColor(ImGuiCol_ButtonActive, vec(hover));
    ImGui::PushStyleColor(ImGuiCol_Text, vec(fg));
    if (size.y == 0) size.y = fr.em * 1.8f;
    ImGui::PushID(id.c_str());
    const bool clicked = ImGui::Button(label.c_str(), size);
    ImGui::PopID();
    ImGui::PopStyleColor(4);
    return button_pressed(id, label, clicked, enabled, fr.ctx.scripted_tap, fr.out.buttons, fr.out.taps);
}

const RareTextFn* g_rare = nullptr;  // set by draw() for the frame

void text(const std::string& s, ImU32 col = kInk) {
    // A name with 𠮷: drawn as an image made with a font that has it (ImWchar is 16-bit here).
    if (has_non_bmp(s) && g_rare && *g_rare) {
        RareImage img;
        if ((*g_rare)(s, ImGui::GetFontSize(), col, &img)) {
            ImGui::Image(static_cast<ImTextureID>(img.texture), ImVec2(img.w, img.h));
            return;
        }
    }
    ImGui::PushStyleColor(ImGuiCol_Text, vec(col));
    ImGui::TextWrapped("%s", s.c_str());
    ImGui::PopStyleColor();
}

void title(const Frame& fr, const std::string& s) {
    ImGui::PushFont(fr.ctx.fonts.title);
    text(s);
    ImGui::PopFont();
}

// A labelled single-line input bound to a draft.
void input(const Frame& fr, const std::string& id, const std::string& label, float width, bool secret = false) {
    text(label);
    ImGui::SetNextItemWidth(width);
    ImGui::PushID(id.c_str());
    ImGui::InputText("##v", &fr.draft(id), secret ? ImGuiInputTextFlags_Password : 0);
    ImGui::PopID();
}

std::string origin_key(const std::string& origin) {
    if (origin == "card" || origin == "answer" || origin == "computed" || origin == "staff") return "desk.origin_" + origin;
    return "desk.origin_empty";
}

std::string state_key(store::State st) { return std::string("desk.state_") + store::to_string(st); }

std::string status_key(store::PrintStatus st) { return std::string("desk.print_") + store::to_string(st); }

std::string clock_text(std::int64_t unix_s) {
    const std::time_t t = static_cast<std::time_t>(unix_s);
    std::tm tm{};
    localtime_r(&t, &tm);
    char buf[16];
    std::strftime(buf, sizeof buf, "%H:%M", &tm);
    return buf;
}

// The day an application was filled (its [[warning]] conditions count to it).
std::string day_text(std::int64_t unix_s) {
    const std::time_t t = static_cast<std::time_t>(unix_s);
    std::tm tm{};
    localtime_r(&t, &tm);
    char buf[16];
    std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
    return buf;
}

const store::FieldValue* value_of(const store::Application& a, const std::string& id) {
    for (const auto& f : a.fields)
        if (f.id == id) return &f;
    return nullptr;
}

void calls(const Frame& fr);

// ---- 2. Header: who and where, languages, lock. Then the notice line.
void header(const Frame& fr) {
    const float em = fr.em;
    ImGui::PushFont(fr.ctx.fonts.title);
    text(fr.t("desk.title"));
    ImGui::PopFont();
    ImGui::SameLine(0, em);
    std::string who = fr.t("desk.station", fr.ctx.station);
    if (!fr.s.staff.empty()) who += "    " + fr.t("desk.staff_is", fr.s.staff);
    ImGui::SetCursorPosY(ImGui::GetCursorPosY() + (fr.ctx.fonts.title->FontSize - fr.ctx.fonts.body->FontSize) / 2);
    text(who);
    const float right = ImGui::GetWindowContentRegionMax().x;
    const float w = em * 6;
    float x = right - static_cast<float>(fr.ctx.languages.size()) * (w + em * 0.3f) - (fr.s.staff.empty() ? 0 : w + em);
    ImGui::SameLine(x);
    bool first = true;
    for (const auto& lang : fr.ctx.languages) {
        if (!first) ImGui::SameLine(0, em * 0.3f);
        first = false;
        const bool current = lang == fr.ctx.text->language();
        if (button(fr, "lang." + lang, fr.ctx.text->get_in(lang, "language_name"), ImVec2(w, 0), true,
                   current ? Kind::Primary : Kind::Secondary))
            fr.out.language = lang;
    }
    if (!fr.s.staff.empty()) {
        ImGui::SameLine(0, em * 0.7f);
        if (button(fr, "lock", fr.t("desk.lock"), ImVec2(w, 0), true, Kind::Secondary)) fr.out.events.push_back(ev::Logout{});
    }
    ImGui::Separator();
    if (fr.s.checking) {
        // The desk works on its own thread: the screen stays live and says so.
        text(spinner(fr.ctx.spinner) + " " + fr.t("desk.working"));
    }
    if (!fr.s.message_key.empty()) {
        std::string m = fr.s.message_arg.empty() ? fr.t(fr.s.message_key) : fr.t(fr.s.message_key, fr.s.message_arg);
        if (!fr.s.message_detail.empty()) m += ": " + fr.s.message_detail;
        text(m, fr.s.message_is_error ? kWarn : kInk);
        fr.out.texts.insert(fr.s.message_key);  // scripts wait for a notice with expect-text
    }
    calls(fr);
}

// Calls from the kiosks, on every screen (the login screen too): one line per
// kiosk, newest first, the reasons in words, and 対応する for all of its calls.
void calls(const Frame& fr) {
    const auto& all = fr.s.calls;
    if (all.empty()) return;
    const float em = fr.em;
    std::vector<std::string> kiosks;  // newest first
    for (const auto& c : all)
        if (std::find(kiosks.begin(), kiosks.end(), c.kiosk) == kiosks.end()) kiosks.push_back(c.kiosk);
    constexpr std::size_t kShown = 3;
    fr.out.texts.insert("desk.calls_title");
    ImGui::PushFont(fr.ctx.fonts.title);
    text("● " + fr.t("desk.calls_title"), kWarn);
    ImGui::PopFont();
    for (std::size_t k = 0; k < kiosks.size() && k < kShown; ++k) {
        std::string reasons, since;
        std::vector<std::int64_t> ids;
        for (const auto& c : all) {
            if (c.kiosk != kiosks[k]) continue;
            const std::string r = fr.t("desk.call_reason." + c.reason);
            if (reasons.find(r) == std::string::npos) reasons += (reasons.empty() ? "" : "、") + r;
            if (since.empty()) since = clock_text(c.raised_at);
            ids.push_back(c.id);
        }
        if (button(fr, "call.ack." + kiosks[k], fr.t("desk.call_ack"), ImVec2(em * 6, 0), true, Kind::Danger))
            fr.out.events.push_back(ev::AcknowledgeCalls{ids});
        ImGui::SameLine(0, em * 0.6f);
        ImGui::SetCursorPosY(ImGui::GetCursorPosY() + em * 0.3f);
        text(since + "  " + kiosks[k] + "  " + reasons, kWarn);
    }
    if (kiosks.size() > kShown) text(fr.t("desk.call_more", std::to_string(kiosks.size() - kShown)), kWarn);
    ImGui::Separator();
}

// ---- 3. Screens.

void login(const Frame& fr) {
    const float em = fr.em;
    const float w = em * 26;
    ImGui::SetCursorPosX(std::max(em, (ImGui::GetWindowContentRegionMax().x - w) / 2));
    ImGui::BeginGroup();
    ImGui::Dummy(ImVec2(0, em));
    const State& s = fr.s;
    title(fr, fr.t(s.station_locked ? "desk.unlock_title" : "desk.login_title"));
    if (s.station_locked) text(fr.t("desk.unlock_hint"), kWarn);
    text(fr.t("desk.login_who"));
    std::string& chosen = fr.draft("login.staff");
    if (chosen.empty() && !s.login_staff.empty()) chosen = s.login_staff;
    int n = 0;
    for (const auto& id : s.settings.staff_ids) {
        if (n++ % 3 != 0) ImGui::SameLine(0, em * 0.4f);
        if (button(fr, "login.staff." + id, (chosen == id ? "● " : "") + id, ImVec2((w - em * 0.8f) / 3, em * 2),
                   true, chosen == id ? Kind::Primary : Kind::Secondary))
            chosen = id;
    }
    if (s.settings.staff_ids.empty()) text(fr.t("desk.login_no_staff"), kWarn);
    ImGui::Dummy(ImVec2(0, em * 0.5f));
    input(fr, "login.code", fr.t("desk.login_code"), w, true);
    ImGui::Dummy(ImVec2(0, em * 0.5f));
    if (button(fr, "login.submit", fr.t("desk.login_submit"), ImVec2(w, em * 2.2f), !s.checking) ||
        (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Enter)) && !s.checking)) {
        fr.out.events.push_back(ev::LoginSubmit{chosen, fr.draft("login.code")});
    }
    ImGui::Dummy(ImVec2(0, em));
    text(fr.t("desk.login_hint"));
    ImGui::EndGroup();
}

void unfinished_jobs(const Frame& fr) {
    const float em = fr.em;
    text(fr.t("desk.unfinished_title"), kWarn);
    for (const auto& j : fr.s.unfinished) {
        text(fr.t("desk.unfinished_job", j.application_id) + "  (" + j.printer + ", " + fr.t(status_key(j.status)) + ")");
        const std::string id = std::to_string(j.id);
        if (button(fr, "unfinished.printed." + id, fr.t("desk.unfinished_printed"), ImVec2(em * 12, 0), true, Kind::Secondary))
            fr.out.events.push_back(ev::ResolveJob{j.id, true});
        ImGui::SameLine(0, em * 0.4f);
        if (button(fr, "unfinished.not_printed." + id, fr.t("desk.unfinished_not_printed"), ImVec2(em * 20, 0), true,
                   Kind::Secondary))
            fr.out.events.push_back(ev::ResolveJob{j.id, false});
    }
    ImGui::Separator();
}

void queue(const Frame& fr) {
    const float em = fr.em;
    const State& s = fr.s;
    if (button(fr, "queue.next", fr.t("desk.queue_next"), ImVec2(em * 11, em * 2), !s.queue.empty() && !s.checking))
        fr.out.events.push_back(ev::Open{""});
    ImGui::SameLine(0, em * 0.5f);
    if (button(fr, "queue.manual", fr.t("desk.queue_manual"), ImVec2(em * 13, em * 2), true, Kind::Secondary))
        fr.out.events.push_back(ev::StartManual{});
    ImGui::SameLine(0, em * 1.5f);
    ImGui::SetCursorPosY(ImGui::GetCursorPosY() + em * 0.4f);
    text(fr.t("desk.queue_lookup"));
    ImGui::SameLine();
    ImGui::SetNextItemWidth(em * 9);
    ImGui::InputText("##lookup", &fr.draft("queue.lookup"), ImGuiInputTextFlags_CharsUppercase);
    ImGui::SameLine();
    if (button(fr, "queue.open_number", fr.t("desk.queue_open"), ImVec2(em * 4, 0), !fr.draft("queue.lookup").empty()))
        fr.out.events.push_back(ev::Open{fr.draft("queue.lookup")});
    ImGui::Separator();
    if (!s.unfinished.empty()) unfinished_jobs(fr);
    title(fr, fr.t("desk.queue_title", std::to_string(s.queue.size())));
    if (s.queue.empty()) {
        text(fr.t("desk.queue_empty"));
        return;
    }
    const ImGuiTableFlags flags = ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg;
    if (!ImGui::BeginTable("queue", 7, flags)) return;
    ImGui::TableSetupColumn(fr.t("desk.col_number").c_str(), ImGuiTableColumnFlags_WidthFixed, em * 8);
    ImGui::TableSetupColumn(fr.t("desk.col_procedure").c_str(), ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableSetupColumn(fr.t("desk.col_waiting").c_str(), ImGuiTableColumnFlags_WidthFixed, em * 5);
    ImGui::TableSetupColumn(fr.t("desk.col_entry").c_str(), ImGuiTableColumnFlags_WidthFixed, em * 6);
    ImGui::TableSetupColumn(fr.t("desk.col_station").c_str(), ImGuiTableColumnFlags_WidthFixed, em * 6);
    ImGui::TableSetupColumn(fr.t("desk.col_taken").c_str(), ImGuiTableColumnFlags_WidthFixed, em * 6);
    ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthFixed, em * 6.5f);  // 案内を印刷 on a visit's row
    ImGui::TableHeadersRow();
    // A visit's forms under its number (a header row with the guide slip's
    // button), in the order the visits came; a form typed here stands alone.
    std::vector<std::vector<const store::QueueEntry*>> groups;
    for (const auto& q : s.queue) {
        auto same = [&](const std::vector<const store::QueueEntry*>& g) {
            return q.app.visit_number > 0 && g.front()->app.visit_number == q.app.visit_number &&
                   g.front()->app.visit_day == q.app.visit_day;
        };
        auto it = std::find_if(groups.begin(), groups.end(), same);
        if (it == groups.end()) groups.push_back({&q});
        else it->push_back(&q);
    }
    for (const auto& g : groups) {
        const store::Application& head = g.front()->app;
        const bool visit = head.visit_number > 0;
        if (visit) {
            const std::string number = std::to_string(head.visit_number);
            ImGui::TableNextRow(0, em * 2.2f);
            ImGui::TableNextColumn();
            title(fr, number);
            ImGui::TableNextColumn();
            text(fr.t("desk.visit_forms", std::to_string(g.size())));
            ImGui::TableNextColumn();
            text(waiting_text(g.front()->waiting_seconds + fr.ctx.queue_age_s));
            ImGui::TableNextColumn();
            ImGui::TableNextColumn();
            text(head.station);
            ImGui::TableNextColumn();
            ImGui::TableNextColumn();
            if (button(fr, "queue.guide." + number, fr.t("desk.visit_guide"), ImVec2(em * 6.2f, 0), !s.checking,
                       Kind::Secondary))
                fr.out.events.push_back(ev::PrintGuide{head.visit_day, head.visit_number});
        }
        for (const store::QueueEntry* e : g) {
            const store::QueueEntry& q = *e;
            ImGui::TableNextRow(0, em * 1.9f);
            ImGui::TableNextColumn();
            text(visit ? "   " + q.app.id : q.app.id);
            ImGui::TableNextColumn();
            text(fr.title_of(q.app.template_id));
            ImGui::TableNextColumn();
            text(waiting_text(q.waiting_seconds + fr.ctx.queue_age_s), q.waiting_seconds + fr.ctx.queue_age_s >= 1800 ? kWarn : kInk);
            ImGui::TableNextColumn();
            text(fr.t(q.app.card_read ? "desk.entry_card" : "desk.entry_manual"));
            ImGui::TableNextColumn();
            text(q.app.station);
            ImGui::TableNextColumn();
            if (q.returned) {
                // Its station stopped renewing the lease: free again, and said so.
                fr.out.texts.insert("desk.queue_returned");
                text(fr.t("desk.queue_returned"), kWarn);
                if (ImGui::IsItemHovered())
                    ImGui::SetTooltip("%s", fr.t("desk.queue_returned_from", q.returned_from).c_str());
            } else {
                text(q.app.taken_by.empty() ? "" : q.app.taken_by);
            }
            ImGui::TableNextColumn();
            if (button(fr, "queue.open." + q.app.id, fr.t("desk.queue_open"), ImVec2(em * 4.5f, 0),
                       !s.checking && (q.app.taken_by.empty() || q.app.taken_by == s.staff)))
                fr.out.events.push_back(ev::Open{q.app.id});
        }
    }
    ImGui::EndTable();
}

// The left column of the review screens: the page as it will print.
void preview_column(const Frame& fr, const forms::Template* t, float height) {
    const ImVec2 pos = ImGui::GetCursorScreenPos();
    const float width = height * 210.0f / 297.0f;
    if (t && fr.s.app) {
        forms::FilledForm form = to_filled_form(*t, *fr.s.app);
        draw_page_preview(*t, form, pos.x, pos.y, height, fr.ctx.fonts.body, fr.ctx.rare_text, kInk);
        form.wipe();
    }
    ImGui::Dummy(ImVec2(width, height));
}

// Number, procedure, state, how it was entered, when.
void summary(const Frame& fr) {
    const store::Application& a = *fr.s.app;
    ImGui::PushFont(fr.ctx.fonts.title);
    text(a.id + "  " + fr.title_of(a.template_id));
    ImGui::PopFont();
    std::string line = fr.t(state_key(a.state)) + "  |  " + fr.t(a.card_read ? "desk.entry_card" : "desk.entry_manual") +
                       "  |  " + fr.t("desk.received", clock_text(a.created_at)) + "  |  " + a.station;
    text(line);
    if (!a.card_read) text(fr.t("desk.manual_note"));
    else {
        const std::string auth = authenticity_key(a);
        // Only "verified" checked the issuer; anything less is worth a second look.
        text(fr.t(auth), auth == "desk.auth_verified" ? kInk : kWarn);
        fr.out.texts.insert(auth);
    }
}

std::string field_label(const Frame& fr, const forms::Template* t, const std::string& id) {
    if (t)
        if (const forms::Field* f = t->field(id)) {
            const bool en = fr.ctx.text->language() == "en";
            std::string label = en && !f->label.en.empty() ? f->label.en : f->label.ja;
            // A household member's row ("persons.2.name"): which member, then the box.
            if (const auto m = forms::member_field(*t, id))
                label = (en && !m->group->label.en.empty() ? m->group->label.en : m->group->label.ja) + " " +
                        std::to_string(m->row) + " " + label;
            return label;
        }
    return id;
}

std::string shown_value(const forms::Template* t, const store::FieldValue& v) {
    if (t)
        if (const forms::Field* f = t->field(v.id)) return forms::display_value(*f, v.value);
    return v.value;
}

void card_block(const Frame& fr, const forms::Template* t) {
    const store::Application& a = *fr.s.app;
    text(fr.t(a.card_read ? "desk.card_data" : "desk.typed_data"));
    if (!ImGui::BeginTable("card", 2, ImGuiTableFlags_Borders)) return;
    ImGui::TableSetupColumn("k", ImGuiTableColumnFlags_WidthFixed, fr.em * 7);
    ImGui::TableSetupColumn("v", ImGuiTableColumnFlags_WidthStretch);
    int shown = 0;
    if (t)
        for (const auto& f : t->fields) {
            if (f.source != forms::Source::Card || f.type == forms::FieldType::MyNumber) continue;
            const store::FieldValue* v = value_of(a, f.id);
            if (!v) continue;
            ++shown;
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            text(field_label(fr, t, f.id));
            ImGui::TableNextColumn();
            text(shown_value(t, *v));
        }
    ImGui::EndTable();
    if (shown == 0) text(fr.t("desk.card_none"));
}

void fields_table(const Frame& fr, const forms::Template* t, float height) {
    const store::Application& a = *fr.s.app;
    const ImGuiTableFlags flags = ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY;
    if (!ImGui::BeginTable("fields", 4, flags, ImVec2(0, height))) return;
    const float em = fr.em;
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn(fr.t("desk.col_field").c_str(), ImGuiTableColumnFlags_WidthFixed, em * 9);
    ImGui::TableSetupColumn(fr.t("desk.col_value").c_str(), ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableSetupColumn(fr.t("desk.col_origin").c_str(), ImGuiTableColumnFlags_WidthFixed, em * 4.5f);
    ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthFixed, em * 4);
    ImGui::TableHeadersRow();
    const bool editable = a.state == store::State::Submitted && !fr.s.checking;
    for (const auto& v : a.fields) {
        const bool issue = std::find(fr.s.issues.begin(), fr.s.issues.end(), v.id) != fr.s.issues.end();
        // A member entered at a kiosk without a card: the name is typed here.
        const bool unnamed = std::find(fr.s.unnamed.begin(), fr.s.unnamed.end(), v.id) != fr.s.unnamed.end();
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        text(field_label(fr, t, v.id), issue || unnamed ? kWarn : kInk);
        ImGui::TableNextColumn();
        const std::string shown = shown_value(t, v);
        if (unnamed) {
            text(fr.t("desk.member_no_card"), kWarn);
            fr.out.texts.insert("desk.member_no_card");
            // Brought into view once when the application opens: the member rows come last.
            if (std::string& shown_for = fr.draft("scroll:unnamed_shown"); shown_for != a.id) {
                ImGui::SetScrollHereY(0.5f);
                shown_for = a.id;
            }
        } else if (issue) text(shown.empty() ? fr.t("desk.needs_value") : shown + "  " + fr.t("desk.check_value"), kWarn);
        else text(shown);
        ImGui::TableNextColumn();
        text(fr.t(origin_key(v.origin)));
        ImGui::TableNextColumn();
        // A 個人番号 is read from the card at print time only: never typed, never stored.
        const forms::Field* field = t ? t->field(v.id) : nullptr;
        const bool my_number = field && field->type == forms::FieldType::MyNumber;
        if (editable && !my_number &&
            button(fr, "field." + v.id, fr.t("desk.correct"), ImVec2(em * 3.6f, em * 1.4f), true, Kind::Secondary))
            fr.out.events.push_back(ev::EditField{v.id});
    }
    ImGui::EndTable();
}

void jobs_line(const Frame& fr) {
    if (fr.s.jobs.empty()) return;
    std::string line = fr.t("desk.jobs");
    for (const auto& j : fr.s.jobs)
        line += "  #" + std::to_string(j.id) + " " + j.printer + " " + fr.t(status_key(j.status)) + (j.reprint ? "*" : "");
    text(line);
}

// Review, correct, print, cancel and reprint share this frame: the page left, the work right.
template <class Right>
void with_preview(const Frame& fr, Right right) {
    const forms::Template* t = fr.s.app ? fr.tmpl(fr.s.app->template_id) : nullptr;
    const float h = ImGui::GetContentRegionAvail().y - fr.em * 0.2f;
    preview_column(fr, t, h);
    ImGui::SameLine(0, fr.em);
    ImGui::BeginChild("work", ImVec2(0, h), false);
    if (fr.s.app) summary(fr);
    ImGui::Separator();
    right(t);
    ImGui::EndChild();
}

void review(const Frame& fr) {
    with_preview(fr, [&](const forms::Template* t) {
        const State& s = fr.s;
        const float em = fr.em;
        card_block(fr, t);
        if (!s.issues.empty()) text(fr.t("desk.issues", std::to_string(s.issues.size())), kWarn);
        // Members entered at a kiosk without a card: their rows may be far down the table.
        if (!s.unnamed.empty() && s.app) {
            text(fr.t("desk.members_unnamed", std::to_string(s.unnamed.size())), kWarn);
            ImGui::SameLine(0, em);
            if (button(fr, "member.enter_name", fr.t("desk.member_enter_name"), ImVec2(em * 8, 0),
                       s.app->state == store::State::Submitted && !s.checking))
                fr.out.events.push_back(ev::EditField{s.unnamed.front()});
        }
        // The template's [[warning]] notes that hold for this form (a late 転入届, a third-party request...).
        if (t && s.app) {
            forms::FilledForm form = to_filled_form(*t, *s.app);
            for (const auto& w : forms::form_warnings(*t, form, day_text(s.app->created_at))) text("【注意】" + w.ja, kWarn);
            form.wipe();
        }
        fields_table(fr, t, std::max(em * 6, ImGui::GetContentRegionAvail().y - em * 5));
        jobs_line(fr);
        const float w = (ImGui::GetContentRegionAvail().x - em * 1.2f) / 4;
        if (button(fr, "open.print", fr.t(s.app && s.app->state == store::State::Submitted ? "desk.confirm_print" : "desk.print"),
                   ImVec2(w, em * 2.2f), (s.can_confirm() || !s.unnamed.empty()) && !s.checking))
            fr.out.events.push_back(ev::ConfirmPrint{});
        ImGui::SameLine(0, em * 0.4f);
        if (button(fr, "open.reprint", fr.t("desk.reprint"), ImVec2(w, em * 2.2f), s.can_reprint(), Kind::Secondary))
            fr.out.events.push_back(ev::StartReprint{});
        ImGui::SameLine(0, em * 0.4f);
        const bool cancellable = s.app && (s.app->state == store::State::Submitted || s.app->state == store::State::Confirmed);
        if (button(fr, "open.cancel", fr.t("desk.cancel_app"), ImVec2(w, em * 2.2f), cancellable, Kind::Danger))
            fr.out.events.push_back(ev::StartCancel{});
        ImGui::SameLine(0, em * 0.4f);
        if (button(fr, "back", fr.t("desk.back_to_queue"), ImVec2(w, em * 2.2f), true, Kind::Secondary))
            fr.out.events.push_back(ev::Back{});
    });
}

// The reason is one of the action's codes, chosen with a large button; a short
// note may follow (it never holds the resident's data: the audit log keeps it).
void reason_input(const Frame& fr, store::ReasonFor action) {
    const float em = fr.em;
    text(fr.t("desk.reason"));
    std::string& chosen = fr.draft("reason");
    const auto codes = store::reason_codes(action);
    for (std::size_t i = 0; i < codes.size(); ++i) {
        const std::string code(codes[i]);
        if (i % 2 != 0) ImGui::SameLine(0, em * 0.4f);
        if (button(fr, "reason." + code, (chosen == code ? "● " : "") + fr.t("desk.reason_" + code),
                   ImVec2((ImGui::GetContentRegionAvail().x - em * 0.4f) / (i % 2 == 0 ? 2 : 1), em * 2.2f), true,
                   chosen == code ? Kind::Primary : Kind::Secondary))
            chosen = code;
    }
    input(fr, "note", fr.t("desk.note"), ImGui::GetContentRegionAvail().x);
    text(fr.t("desk.note_hint"));
}

void correct(const Frame& fr) {
    with_preview(fr, [&](const forms::Template* t) {
        const float em = fr.em;
        const store::FieldValue* v = fr.s.app ? value_of(*fr.s.app, fr.s.field) : nullptr;
        title(fr, fr.t("desk.correct_title", field_label(fr, t, fr.s.field)));
        if (v) text(fr.t("desk.current_value") + ": " + (v->value.empty() ? std::string("—") : shown_value(t, *v)) + "  (" +
                    fr.t(origin_key(v->origin)) + ")");
        const forms::Field* f = t ? t->field(fr.s.field) : nullptr;
        std::string& value = fr.draft("correct.value");
        if (f && !f->choices.empty()) {
            text(fr.t("desk.new_value"));
            for (std::size_t i = 0; i < f->choices.size(); ++i) {
                const auto& c = f->choices[i];
                if (i % 3 != 0) ImGui::SameLine(0, em * 0.4f);
                if (button(fr, "choice." + c.value, (value == c.value ? "● " : "") + c.label.ja, ImVec2(em * 9, 0), true,
                           value == c.value ? Kind::Primary : Kind::Secondary))
                    value = c.value;
            }
        } else {
            input(fr, "correct.value", fr.t("desk.new_value"), ImGui::GetContentRegionAvail().x);
            if (f && f->type == forms::FieldType::Date) text(fr.t("desk.date_hint"));
        }
        ImGui::Dummy(ImVec2(0, em * 0.5f));
        reason_input(fr, store::ReasonFor::Correct);
        ImGui::Dummy(ImVec2(0, em * 0.5f));
        const float w = (ImGui::GetContentRegionAvail().x - em * 0.4f) / 2;
        if (button(fr, "correct.save", fr.t("desk.save_correction"), ImVec2(w, em * 2.2f), !fr.s.checking))
            fr.out.events.push_back(ev::SaveCorrection{value, fr.draft("reason"), fr.draft("note")});
        ImGui::SameLine(0, em * 0.4f);
        if (button(fr, "back", fr.t("desk.back"), ImVec2(w, em * 2.2f), true, Kind::Secondary)) fr.out.events.push_back(ev::Back{});
        text(fr.t("desk.correct_audit"));
    });
}

void print(const Frame& fr) {
    with_preview(fr, [&](const forms::Template*) {
        const float em = fr.em;
        const PrintView& p = fr.s.print;
        title(fr, fr.t(p.reprint ? "desk.reprint_title" : "desk.print_title"));
        text(fr.t("desk.printer_is", p.printer == "folder" ? fr.t("desk.printer_folder") : p.printer));
        if (p.job) text(fr.t("desk.job_is", std::to_string(p.job)));
        ImGui::Dummy(ImVec2(0, em * 0.5f));
        // The steps of a print: each marked done, current or waiting.
        using PS = store::PrintStatus;
        const int at = p.busy || p.status == PS::Pending ? 0 : p.status == PS::Sent ? 1 : p.status == PS::Done ? 3 : 2;
        const char* steps[] = {"desk.step_prepare", "desk.step_sent", "desk.step_done"};
        for (int i = 0; i < 3; ++i) {
            std::string mark = i < at ? "✓ " : i == at ? "▶ " : "・ ";
            if (i == 2 && p.status == PS::Failed) mark = "× ";
            text(mark + fr.t(steps[i]));
        }
        ImGui::Dummy(ImVec2(0, em * 0.5f));
        ImGui::PushFont(fr.ctx.fonts.title);
        text((p.busy ? spinner(fr.ctx.spinner) + " " : std::string()) + fr.t(p.busy ? "desk.print_busy" : p.needs_card && p.status == PS::Pending ? "desk.card_waiting" : status_key(p.status)),
             p.status == PS::Failed ? kWarn : kInk);
        ImGui::PopFont();
        if (p.needs_card && !p.busy && p.status == PS::Pending) {
            // The 個人番号 is printed but never stored: the resident's card is read for this print.
            text(fr.t("desk.card_needed"), kWarn);
            input(fr, "card.pin", fr.t("desk.card_pin"), em * 8, true);
            if (button(fr, "print.with_card", fr.t("desk.card_read_print"), ImVec2(em * 14, em * 2)))
                fr.out.events.push_back(ev::CardPrint{fr.draft("card.pin")});
        }
        // A notice about a finished print (e.g. the 個人番号 masked in a folder copy).
        if (p.status == PS::Done && !p.reason_key.empty()) text(fr.t(p.reason_key), kWarn);
        if (p.status == PS::Failed) {
            if (!p.reason_key.empty()) {
                text(fr.t(p.reason_key), kWarn);
                fr.out.texts.insert(p.reason_key);
            }
            else if (!p.reason.empty()) text(p.job ? fr.t("desk.printer_says", p.reason) : p.reason, kWarn);
            text(fr.t("desk.print_failed_kept"));
            ImGui::Dummy(ImVec2(0, em * 0.5f));
            if (button(fr, "print.retry", fr.t("desk.retry"), ImVec2(em * 10, em * 2), !p.busy)) fr.out.events.push_back(ev::Retry{""});
            std::vector<std::string> others = fr.s.settings.printers;
            if (std::find(others.begin(), others.end(), "folder") == others.end()) others.push_back("folder");
            for (const auto& other : others) {
                if (other == p.printer) continue;
                ImGui::SameLine(0, em * 0.4f);
                if (button(fr, "print.to." + other,
                           other == "folder" ? fr.t("desk.printer_folder") : fr.t("desk.send_to", other), ImVec2(em * 12, em * 2),
                           !p.busy, Kind::Secondary))
                    fr.out.events.push_back(ev::Retry{other});
            }
        }
        if (p.status == PS::Sent && !p.busy) text(fr.t("desk.print_waiting"));
        ImGui::Dummy(ImVec2(0, em * 0.5f));
        const bool settled = !p.busy;
        if (p.status == PS::Done) {
            if (button(fr, "print.reprint", fr.t("desk.reprint"), ImVec2(em * 10, em * 2), fr.s.can_reprint(), Kind::Secondary))
                fr.out.events.push_back(ev::StartReprint{});
            ImGui::SameLine(0, em * 0.4f);
        }
        if (button(fr, "back", fr.t(p.status == PS::Done || p.status == PS::Sent ? "desk.next_resident" : "desk.back"),
                   ImVec2(em * 12, em * 2), settled))
            fr.out.events.push_back(ev::Back{});
    });
}

void cancel(const Frame& fr) {
    with_preview(fr, [&](const forms::Template*) {
        const float em = fr.em;
        title(fr, fr.t("desk.cancel_title"));
        text(fr.t("desk.cancel_hint"));
        reason_input(fr, store::ReasonFor::Cancel);
        ImGui::Dummy(ImVec2(0, em * 0.5f));
        const float w = (ImGui::GetContentRegionAvail().x - em * 0.4f) / 2;
        if (button(fr, "cancel.submit", fr.t("desk.cancel_submit"), ImVec2(w, em * 2.2f), !fr.s.checking, Kind::Danger))
            fr.out.events.push_back(ev::CancelSubmit{fr.draft("reason"), fr.draft("note")});
        ImGui::SameLine(0, em * 0.4f);
        if (button(fr, "back", fr.t("desk.back"), ImVec2(w, em * 2.2f), true, Kind::Secondary)) fr.out.events.push_back(ev::Back{});
    });
}

void reprint(const Frame& fr) {
    with_preview(fr, [&](const forms::Template*) {
        const float em = fr.em;
        title(fr, fr.t("desk.reprint_title"));
        text(fr.t("desk.reprint_hint"));
        jobs_line(fr);
        reason_input(fr, store::ReasonFor::Reprint);
        ImGui::Dummy(ImVec2(0, em * 0.5f));
        const float w = (ImGui::GetContentRegionAvail().x - em * 0.4f) / 2;
        if (button(fr, "reprint.submit", fr.t("desk.reprint_submit"), ImVec2(w, em * 2.2f)))
            fr.out.events.push_back(ev::ReprintSubmit{fr.draft("reason"), fr.draft("note")});
        ImGui::SameLine(0, em * 0.4f);
        if (button(fr, "back", fr.t("desk.back"), ImVec2(w, em * 2.2f), true, Kind::Secondary)) fr.out.events.push_back(ev::Back{});
    });
}

std::string member_draft(int slot, const std::string& key) { return "manual.m" + std::to_string(slot) + "." + key; }

std::string in_language(const Frame& fr, const forms::Text& t) {
    return fr.ctx.text->language() == "en" && !t.en.empty() ? t.en : t.ja;
}

// Manual entry of a form with a [[group]]: household members besides the resident
// (家族を追加), each with the group's member facts, up to the group's rows.
void manual_members(const Frame& fr, const forms::Template& t, float half) {
    const int limit = manual_member_limit(t);
    if (limit <= 0) return;
    const forms::Group& g = t.groups.front();
    const float em = fr.em;
    text(fr.t("desk.manual_members", in_language(fr, g.label)));
    int n = 0;
    for (int slot : fr.s.manual_members) {
        ImGui::PushID(slot);
        ++n;
        text(fr.t("desk.manual_member_n", std::to_string(n)));
        // A member just added is brought into view once.
        if (std::string& shown = fr.draft("scroll:member_shown"); shown != std::to_string(slot) && slot == fr.s.manual_members.back()) {
            ImGui::SetScrollHereY(0.2f);
            shown = std::to_string(slot);
        }
        ImGui::SameLine(0, em);
        if (button(fr, "manual.m" + std::to_string(slot) + ".remove", fr.t("desk.manual_member_remove"), ImVec2(em * 7, 0),
                   true, Kind::Secondary))
            fr.out.events.push_back(ev::RemoveMember{slot});
        int col = 0;
        for (const auto& f : g.fields) {
            if (f.source != forms::Source::Member) continue;
            const std::string id = member_draft(slot, f.source_key);
            const std::string label = in_language(fr, f.label) + (f.required ? " *" : "");
            std::string& v = fr.draft(id);
            if (col++ % 2 != 0) ImGui::SameLine(0, em);
            ImGui::BeginGroup();
            if (f.source_key == "sex") {
                text(label);
                for (const char* sx : {"male", "female", "other"}) {
                    if (std::string(sx) != "male") ImGui::SameLine(0, em * 0.4f);
                    if (button(fr, id + "." + sx, (v == sx ? "● " : "") + fr.t(std::string("desk.sex_") + sx),
                               ImVec2((half - em * 0.8f) / 3, 0), true, v == sx ? Kind::Primary : Kind::Secondary))
                        v = sx;
                }
            } else if (!f.choices.empty()) {
                text(label);
                const float w = (half - em * 0.4f * 2) / 3;
                for (std::size_t i = 0; i < f.choices.size(); ++i) {
                    const auto& c = f.choices[i];
                    if (i % 3 != 0) ImGui::SameLine(0, em * 0.4f);
                    if (button(fr, id + "." + c.value, (v == c.value ? "● " : "") + in_language(fr, c.label), ImVec2(w, 0),
                               true, v == c.value ? Kind::Primary : Kind::Secondary))
                        v = c.value;
                }
            } else {
                input(fr, id, label, half);
                if (f.type == forms::FieldType::Date) text(fr.t("desk.date_hint"));
            }
            ImGui::EndGroup();
        }
        ImGui::PopID();
        ImGui::Dummy(ImVec2(0, em * 0.2f));
    }
    const int count = static_cast<int>(fr.s.manual_members.size());
    if (button(fr, "manual.member.add", fr.t("desk.manual_member_add"), ImVec2(em * 9, 0), count < limit))
        fr.out.events.push_back(ev::AddMember{limit});
    ImGui::SameLine(0, em);
    text(fr.t("desk.manual_members_left", std::to_string(limit - count)));
    ImGui::Dummy(ImVec2(0, em * 0.2f));
    ImGui::Separator();
}

void manual(const Frame& fr) {
    const float em = fr.em;
    const State& s = fr.s;
    const float h = ImGui::GetContentRegionAvail().y - em * 0.2f;
    ImGui::BeginChild("forms", ImVec2(em * 16, h), true);
    text(fr.t("desk.manual_choose"));
    if (fr.ctx.catalogue)
        for (const auto* t : fr.ctx.catalogue->templates()) {
            const bool chosen = s.manual_template == t->id;
            if (button(fr, "manual.form." + t->id, (chosen ? "● " : "") + fr.title_of(t->id), ImVec2(-1, em * 2.4f), true,
                       chosen ? Kind::Primary : Kind::Secondary))
                fr.out.events.push_back(ev::ChooseTemplate{t->id});
        }
    ImGui::EndChild();
    ImGui::SameLine(0, em);
    ImGui::BeginChild("entry", ImVec2(0, h), false);
    title(fr, fr.t("desk.manual_title"));
    text(fr.t("desk.manual_hint"));
    const float half = (ImGui::GetContentRegionAvail().x - em) / 2;
    ImGui::BeginGroup();
    input(fr, "manual.name", fr.t("desk.manual_name"), half);
    input(fr, "manual.birth_date", fr.t("desk.manual_birth_date"), half);
    ImGui::EndGroup();
    ImGui::SameLine(0, em);
    ImGui::BeginGroup();
    input(fr, "manual.address", fr.t("desk.manual_address"), half);
    text(fr.t("desk.manual_sex"));
    std::string& sex = fr.draft("manual.sex");
    for (const char* v : {"male", "female", "other"}) {
        if (std::string(v) != "male") ImGui::SameLine(0, em * 0.4f);
        if (button(fr, std::string("manual.sex.") + v, (sex == v ? "● " : "") + fr.t(std::string("desk.sex_") + v),
                   ImVec2((half - em * 0.8f) / 3, 0), true, sex == v ? Kind::Primary : Kind::Secondary))
            sex = v;
    }
    ImGui::EndGroup();
    ImGui::Separator();
    const forms::Template* t = s.manual_template.empty() ? nullptr : fr.tmpl(s.manual_template);
    if (t) {
        text(fr.t("desk.manual_form_fields", fr.title_of(t->id)));
        ImGui::BeginChild("form_fields", ImVec2(0, ImGui::GetContentRegionAvail().y - em * 3), false);
        // Inside the scrolling child: its scroll bar takes part of the width.
        const float inner_half = (ImGui::GetContentRegionAvail().x - em) / 2;
        manual_members(fr, *t, inner_half);
        int col = 0;
        for (const auto& f : t->fields) {
            if (f.source != forms::Source::Question) continue;
            if (col++ % 2 != 0) ImGui::SameLine(0, em);
            ImGui::BeginGroup();
            const std::string label = f.label.ja + (f.required ? " *" : "");
            if (!f.choices.empty()) {
                text(label);
                std::string& v = fr.draft("manual.f." + f.id);
                if (v.empty()) v = f.default_value;
                ImGui::SetNextItemWidth(inner_half);
                const forms::Choice* cur = nullptr;
                for (const auto& c : f.choices)
                    if (c.value == v) cur = &c;
                ImGui::PushID(f.id.c_str());
                if (ImGui::BeginCombo("##c", cur ? cur->label.ja.c_str() : "")) {
                    for (const auto& c : f.choices)
                        if (ImGui::Selectable(c.label.ja.c_str(), cur == &c)) v = c.value;
                    ImGui::EndCombo();
                }
                ImGui::PopID();
            } else if (f.type == forms::FieldType::Checkbox) {
                std::string& v = fr.draft("manual.f." + f.id);
                bool on = v == "true";
                ImGui::Dummy(ImVec2(0, ImGui::GetTextLineHeightWithSpacing()));
                ImGui::PushID(f.id.c_str());
                if (ImGui::Checkbox(label.c_str(), &on)) v = on ? "true" : "";
                ImGui::PopID();
            } else {
                std::string& v = fr.draft("manual.f." + f.id);
                if (v.empty() && !f.default_value.empty() && f.type != forms::FieldType::Checkbox) v = f.default_value;
                input(fr, "manual.f." + f.id, label, inner_half);
            }
            ImGui::EndGroup();
        }
        ImGui::EndChild();
    } else {
        text(fr.t("desk.manual_choose_form"));
        ImGui::Dummy(ImVec2(0, std::max(0.0f, ImGui::GetContentRegionAvail().y - em * 3)));
    }
    const float w = (ImGui::GetContentRegionAvail().x - em * 0.4f) / 2;
    if (button(fr, "manual.submit", fr.t("desk.manual_submit"), ImVec2(w, em * 2.2f), !s.checking)) {
        std::map<std::string, std::string> values;
        for (const char* k : {"name", "address", "birth_date", "sex"}) values[k] = fr.draft(std::string("manual.") + k);
        if (t)
            for (const auto& f : t->fields)
                if (f.source == forms::Source::Question) values[f.id] = fr.draft("manual.f." + f.id);
        int n = 0;
        if (t && manual_member_limit(*t) > 0)
            for (int slot : s.manual_members) {
                const std::string to = "member." + std::to_string(++n) + ".";
                for (const char* k : {"name", "kana", "birth_date", "sex", "relationship"})
                    values[to + k] = fr.draft(member_draft(slot, k));
            }
        fr.out.events.push_back(ev::ManualSubmit{std::move(values)});
    }
    ImGui::SameLine(0, em * 0.4f);
    if (button(fr, "back", fr.t("desk.back"), ImVec2(w, em * 2.2f), true, Kind::Secondary)) fr.out.events.push_back(ev::Back{});
    ImGui::EndChild();
}

void apply_style(float em) {
    ImGuiStyle& st = ImGui::GetStyle();
    st = ImGuiStyle();
    st.WindowPadding = ImVec2(em * 0.6f, em * 0.4f);
    st.FramePadding = ImVec2(em * 0.4f, em * 0.25f);
    st.ItemSpacing = ImVec2(em * 0.4f, em * 0.3f);
    st.CellPadding = ImVec2(em * 0.3f, em * 0.2f);
    st.WindowBorderSize = 0;
    st.ChildBorderSize = 1;
    st.FrameBorderSize = 1;
    st.FrameRounding = em * 0.15f;
    st.ScrollbarSize = em * 0.7f;
    ImVec4* c = st.Colors;
    c[ImGuiCol_WindowBg] = c[ImGuiCol_ChildBg] = c[ImGuiCol_PopupBg] = vec(kPaper);
    c[ImGuiCol_Text] = vec(kInk);
    c[ImGuiCol_Border] = c[ImGuiCol_Separator] = vec(kInk);
    c[ImGuiCol_FrameBg] = c[ImGuiCol_FrameBgHovered] = c[ImGuiCol_FrameBgActive] = vec(kPaper);
    c[ImGuiCol_TableHeaderBg] = vec(kBand);
    c[ImGuiCol_TableBorderStrong] = c[ImGuiCol_TableBorderLight] = vec(IM_COL32(90, 90, 90, 255));
    c[ImGuiCol_TableRowBg] = vec(kPaper);
    c[ImGuiCol_TableRowBgAlt] = vec(IM_COL32(244, 246, 250, 255));  // #121212 on it 17.3:1
    c[ImGuiCol_Header] = c[ImGuiCol_HeaderHovered] = c[ImGuiCol_HeaderActive] = vec(kBand);
    c[ImGuiCol_Button] = c[ImGuiCol_ButtonHovered] = c[ImGuiCol_ButtonActive] = vec(kBand);  // combo arrows
    c[ImGuiCol_CheckMark] = vec(kInk);
    c[ImGuiCol_ScrollbarBg] = vec(kPaper);
    c[ImGuiCol_ScrollbarGrab] = vec(kAction);
    c[ImGuiCol_TextSelectedBg] = vec(IM_COL32(180, 205, 240, 255));
    c[ImGuiCol_NavHighlight] = vec(kAction);
}

}  // namespace

std::string dynamic_text(const State& s, const std::map<std::string, std::string>& drafts) {
    std::string out = s.staff + s.login_staff + s.message_detail + s.message_arg + s.print.printer + s.print.reason;
    for (const auto& id : s.settings.staff_ids) out += id;
    for (const auto& p : s.settings.printers) out += p;
    for (const auto& q : s.queue) out += q.app.id + q.app.station + q.app.taken_by + q.returned_from;
    for (const auto& c : s.calls) out += c.kiosk;
    for (const auto& j : s.unfinished) out += j.application_id + j.printer;
    for (const auto& j : s.jobs) out += j.printer;
    if (s.app) {
        out += s.app->id + s.app->station;
        for (const auto& f : s.app->fields) out += f.value;
    }
    for (const auto& [k, v] : drafts) out += v;
    return out;
}

UiRequests draw(const State& s, const UiContext& ctx) {
    UiRequests out;
    const float em = ctx.fonts.em;
    apply_style(em);
    const Frame fr{s, ctx, out, em};
    g_rare = &ctx.rare_text;
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    if (LayoutCheck* check = layout_check()) {
        check->begin_frame(to_string(s.screen), vp->Size.x, vp->Size.y);
        // Staff point with a mouse: 28 px at 1280x800, above WCAG 2.2's 24 px target.
        check->set_min_target(em * 1.4f);
    }
    ImGui::SetNextWindowPos(vp->Pos);
    ImGui::SetNextWindowSize(vp->Size);
    ImGui::Begin("kakanai-staff", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_NoBringToFrontOnFocus);
    ImGui::PushFont(ctx.fonts.body);
    header(fr);
    switch (s.screen) {
        case Screen::Login: login(fr); break;
        case Screen::Queue: queue(fr); break;
        case Screen::Review: review(fr); break;
        case Screen::Correct: correct(fr); break;
        case Screen::Print: print(fr); break;
        case Screen::Cancel: cancel(fr); break;
        case Screen::Reprint: reprint(fr); break;
        case Screen::Manual: manual(fr); break;
    }
    ImGui::PopFont();
    ImGui::End();
    return out;
}

}  // namespace kakanai::kiosk::staff
