#include "staff_flow.hpp"

#include <algorithm>
#include <cstdio>

#include "kakanai/base/wipe.hpp"
#include "overloaded.hpp"

namespace kakanai::kiosk::staff {
namespace {

using base::wipe_string;

bool blank(const std::string& s) {
    return std::all_of(s.begin(), s.end(), [](unsigned char c) { return c == ' ' || c == '\t' || c == '\n'; }) ||
           s == "\xE3\x80\x80";  // a lone ideographic space
}

void close_app(State& s) noexcept {
    if (s.app)
        for (auto& f : s.app->fields) wipe_string(f.value);
    s.app.reset();
    s.issues.clear();
    s.unnamed.clear();
    s.jobs.clear();
    s.field.clear();
    s.print = {};
}

void say(State& s, std::string key, std::string detail = {}, bool error = false) {
    s.message_key = std::move(key);
    s.message_detail = std::move(detail);
    s.message_arg.clear();
    s.message_is_error = error;
}

// A reason: a code of the action's list and a note that repeats no value of the
// open application. Returns the message key of a problem, empty when fine.
std::string reason_problem(const State& s, store::ReasonFor action, const std::string& code, const std::string& note) {
    if (!store::is_reason_code(action, code)) return "desk.reason_required";
    if (blank(note)) return {};
    static const std::vector<store::FieldValue> none;
    if (store::note_problem(note, s.app ? s.app->fields : none).empty()) return {};
    return "desk.note_refused";
}

// The taken application goes back to the queue (only a submitted one is held).
void release_if_taken(const State& s, std::vector<Command>& out) {
    if (s.app && s.app->state == store::State::Submitted && !s.staff.empty() && s.app->taken_by == s.staff)
        out.push_back(cmd::Release{s.app->id});
}

std::string default_printer(const State& s) {
    if (!s.printer.empty()) return s.printer;
    return s.settings.printers.empty() ? std::string("folder") : s.settings.printers.front();
}

// User actions clear the last notice; results of commands set one.
bool is_user_action(const Event& e) {
    return !(std::holds_alternative<ev::Tick>(e) || std::holds_alternative<ev::QueueLoaded>(e) ||
             std::holds_alternative<ev::Idle>(e) || std::holds_alternative<ev::PrintUpdate>(e) ||
             std::holds_alternative<ev::Failed>(e) || std::holds_alternative<ev::Opened>(e) ||
             std::holds_alternative<ev::LoginResult>(e) || std::holds_alternative<ev::Closed>(e) ||
             std::holds_alternative<ev::CardNeeded>(e) || std::holds_alternative<ev::StationStatus>(e) ||
             std::holds_alternative<ev::CallsLoaded>(e) || std::holds_alternative<ev::AcknowledgeCalls>(e) ||
             std::holds_alternative<ev::GuidePrinted>(e));
}

}  // namespace

const char* to_string(Screen s) {
    switch (s) {
        case Screen::Login: return "login";
        case Screen::Queue: return "queue";
        case Screen::Review: return "review";
        case Screen::Correct: return "correct";
        case Screen::Print: return "print";
        case Screen::Cancel: return "cancel";
        case Screen::Reprint: return "reprint";
        case Screen::Manual: return "manual";
    }
    return "login";
}

const char* event_name(const Event& e) {
    static constexpr const char* names[] = {
        "LoginSubmit", "LoginResult",  "Logout",      "Idle",          "Tick",       "QueueLoaded",
        "Open",        "Opened",       "Failed",      "Back",          "EditField",  "SaveCorrection",
        "ConfirmPrint", "PrintUpdate", "Retry",       "StartCancel",   "CancelSubmit", "StartReprint",
        "ReprintSubmit", "Closed",     "StartManual", "ChooseTemplate", "ManualSubmit", "ResolveJob",
        "CardNeeded",  "CardPrint",    "StationStatus", "CallsLoaded", "AcknowledgeCalls", "PrintGuide",
        "GuidePrinted", "AddMember", "RemoveMember"};
    static_assert(std::size(names) == std::variant_size_v<Event>);
    return names[e.index()];
}

bool State::can_confirm() const {
    if (!app || !issues.empty()) return false;
    if (app->state == store::State::Submitted) return true;
    // Confirmed but nothing printed yet (or every try failed): printing is still owed.
    if (app->state != store::State::Confirmed) return false;
    return std::none_of(jobs.begin(), jobs.end(), [](const store::PrintJob& j) { return j.status != store::PrintStatus::Failed; });
}

bool State::can_reprint() const {
    if (!app) return false;
    if (app->state == store::State::Printed) return true;
    return app->state == store::State::Confirmed &&
           std::any_of(jobs.begin(), jobs.end(), [](const store::PrintJob& j) { return j.status != store::PrintStatus::Failed; });
}

void lock(State& s) noexcept {
    close_app(s);
    wipe_string(s.staff);
    s.login_staff.clear();
    s.checking = false;
    s.queue.clear();
    s.unfinished.clear();
    s.printer.clear();
    s.manual_template.clear();
    s.manual_members.clear();
    s.message_key.clear();
    s.message_detail.clear();
    s.message_arg.clear();
    s.message_is_error = false;
    s.screen = Screen::Login;
}

std::string waiting_text(std::int64_t seconds) {
    if (seconds < 0) seconds = 0;
    char buf[32];
    const long long h = seconds / 3600, m = seconds / 60 % 60, sec = seconds % 60;
    if (h > 0) std::snprintf(buf, sizeof buf, "%lld:%02lld:%02lld", h, m, sec);
    else std::snprintf(buf, sizeof buf, "%lld:%02lld", m, sec);
    return buf;
}

Transition next(State s, const Event& event) {
    std::vector<Command> out;
    bool ignored = false;
    const Screen at = s.screen;
    const bool logged_in = !s.staff.empty();
    if (is_user_action(event) && !std::holds_alternative<ev::Logout>(event)) say(s, {});

    std::visit(
        overloaded{
            [&](const ev::LoginSubmit& e) {
                if (at != Screen::Login || s.checking) return void(ignored = true);
                s.login_staff = e.staff;
                const bool known = std::find(s.settings.staff_ids.begin(), s.settings.staff_ids.end(), e.staff) !=
                                   s.settings.staff_ids.end();
                if (!known) return say(s, "desk.login_choose", {}, true);
                if (e.code.empty()) return say(s, "desk.login_code_required", {}, true);
                s.checking = true;
                out.push_back(cmd::CheckLogin{e.staff, e.code});
            },
            [&](const ev::LoginResult& e) {
                if (at != Screen::Login) return void(ignored = true);
                s.checking = false;
                if (!e.ok) {
                    using R = store::LoginOutcome::Result;
                    s.station_locked = e.outcome.station_locked || e.outcome.result == R::StationLocked;
                    switch (e.outcome.result) {
                        case R::StaffLocked: {
                            say(s, "desk.login_locked", {}, true);
                            const std::int64_t left = std::max<std::int64_t>(0, e.outcome.locked_until - e.now);
                            s.message_arg = std::to_string((left + 59) / 60);  // minutes, rounded up
                            return;
                        }
                        case R::StationLocked: return say(s, "desk.station_locked", {}, true);
                        default:
                            if (s.station_locked) return say(s, "desk.station_locked", {}, true);
                            say(s, "desk.login_failed_left", {}, true);
                            s.message_arg = std::to_string(e.outcome.tries_left);
                            return;
                    }
                }
                s.station_locked = false;
                s.staff = e.staff;
                s.screen = Screen::Queue;
                out.push_back(cmd::LoadQueue{});
            },
            [&](const ev::CallsLoaded& e) { s.calls = e.calls; },
            [&](const ev::AcknowledgeCalls& e) {
                if (e.ids.empty()) return void(ignored = true);
                // Gone from this screen at once; the next load confirms it.
                std::erase_if(s.calls, [&](const store::StaffCall& c) {
                    return std::find(e.ids.begin(), e.ids.end(), c.id) != e.ids.end();
                });
                out.push_back(cmd::AcknowledgeCalls{e.ids});
            },
            [&](const ev::StationStatus& e) {
                if (at != Screen::Login || logged_in) return void(ignored = true);
                s.station_locked = e.locked;
                if (e.locked) say(s, "desk.station_locked", {}, true);
            },
            [&](const ev::Logout&) {
                if (at == Screen::Login) return void(ignored = true);
                release_if_taken(s, out);
                lock(s);
            },
            [&](const ev::Idle& e) {
                if (at == Screen::Login || e.seconds < s.settings.lock_after_s) return void(ignored = true);
                // A print under way is not abandoned: its job stays in the store and shows
                // as unfinished after the next login until its result is known.
                release_if_taken(s, out);
                lock(s);
                say(s, "desk.locked_idle");
            },
            [&](const ev::Tick&) {
                out.push_back(cmd::Heartbeat{});  // calls reach a locked station too
                if (!logged_in) return;
                if (at == Screen::Queue && !s.checking) out.push_back(cmd::LoadQueue{});
                if (at == Screen::Print && !s.print.busy && s.print.job != 0 && s.print.status == store::PrintStatus::Sent)
                    out.push_back(cmd::PollPrint{s.print.job});
            },
            [&](const ev::QueueLoaded& e) {
                if (!logged_in) return void(ignored = true);
                s.queue = e.queue;
                s.unfinished = e.unfinished;
                if (at == Screen::Queue) s.checking = false;
            },
            [&](const ev::Open& e) {
                if (at != Screen::Queue || s.checking) return void(ignored = true);
                s.checking = true;
                out.push_back(cmd::Take{e.id});
            },
            [&](const ev::Opened& e) {
                if (!logged_in) return void(ignored = true);
                const bool corrected = at == Screen::Correct;
                close_app(s);
                s.app = e.app;
                s.issues = e.issues;
                s.unnamed = e.unnamed;
                s.jobs = e.jobs;
                s.checking = false;
                s.screen = Screen::Review;
                if (corrected) say(s, "desk.corrected");
            },
            [&](const ev::Failed& e) {
                if (!logged_in && at != Screen::Login) return void(ignored = true);
                s.checking = false;
                s.print.busy = false;
                say(s, e.key, e.detail, true);
            },
            [&](const ev::Back&) {
                switch (at) {
                    case Screen::Review:
                        release_if_taken(s, out);
                        close_app(s);
                        s.screen = Screen::Queue;
                        out.push_back(cmd::LoadQueue{});
                        break;
                    case Screen::Correct:
                    case Screen::Cancel:
                    case Screen::Reprint:
                        s.field.clear();
                        s.screen = Screen::Review;
                        break;
                    case Screen::Print:
                        if (s.print.busy) return void(ignored = true);
                        if (s.print.status == store::PrintStatus::Done || s.print.status == store::PrintStatus::Sent) {
                            // A job still at the printer is followed from the queue; the next resident need not wait.
                            if (s.print.status == store::PrintStatus::Sent) say(s, "desk.print_followed");
                            close_app(s);
                            s.screen = Screen::Queue;
                            out.push_back(cmd::LoadQueue{});
                        } else {
                            s.screen = Screen::Review;  // failed or still sent: the application stays confirmed
                        }
                        break;
                    case Screen::Manual:
                        s.manual_template.clear();
                        s.manual_members.clear();
                        s.screen = Screen::Queue;
                        out.push_back(cmd::LoadQueue{});
                        break;
                    default: ignored = true;
                }
            },
            [&](const ev::EditField& e) {
                if (at != Screen::Review || !s.app || s.checking) return void(ignored = true);
                if (s.app->state != store::State::Submitted) return say(s, "desk.correct_only_submitted", {}, true);
                s.field = e.field;
                s.screen = Screen::Correct;
            },
            [&](const ev::SaveCorrection& e) {
                if (at != Screen::Correct || !s.app || s.checking) return void(ignored = true);
                if (auto p = reason_problem(s, store::ReasonFor::Correct, e.reason, e.note); !p.empty())
                    return say(s, p, {}, true);
                // The new value is checked too: a note must not carry it into the audit log.
                std::vector<store::FieldValue> with_new = s.app->fields;
                with_new.push_back({s.field, e.value, "staff"});
                const bool note_ok = blank(e.note) || store::note_problem(e.note, with_new).empty();
                for (auto& f : with_new) wipe_string(f.value);
                if (!note_ok) return say(s, "desk.note_refused", {}, true);
                s.checking = true;
                out.push_back(cmd::Correct{s.app->id, s.field, e.value, {e.reason, blank(e.note) ? "" : e.note}});
            },
            [&](const ev::ConfirmPrint&) {
                if (at != Screen::Review || s.checking) return void(ignored = true);
                // A member entered at a kiosk without a card: nobody confirms a row without a name.
                if (!s.unnamed.empty()) return say(s, "desk.member_name_missing", {}, true);
                if (!s.can_confirm()) return say(s, s.issues.empty() ? "desk.cannot_print" : "desk.fix_fields_first", {}, true);
                s.print = PrintView{};
                s.print.printer = default_printer(s);
                s.print.busy = true;
                s.screen = Screen::Print;
                out.push_back(cmd::Print{s.app->id, s.print.printer, s.app->state == store::State::Submitted, {}, {}});
            },
            [&](const ev::PrintUpdate& e) {
                if (at != Screen::Print || !s.app) return void(ignored = true);
                if (s.print.job != 0 && e.job.id != s.print.job && !s.print.busy) return void(ignored = true);
                s.print.job = e.job.id;
                s.print.status = e.job.status;
                if (!e.job.printer.empty()) s.print.printer = e.job.printer;
                s.print.reason = e.reason;
                s.print.reason_key = e.reason_key;
                s.print.busy = false;
                if (s.app->state == store::State::Submitted) s.app->state = store::State::Confirmed;
                if (e.job.status == store::PrintStatus::Done) s.app->state = store::State::Printed;
                auto it = std::find_if(s.jobs.begin(), s.jobs.end(), [&](const store::PrintJob& j) { return j.id == e.job.id; });
                if (e.job.id != 0) {
                    if (it == s.jobs.end()) s.jobs.push_back(e.job);
                    else *it = e.job;
                }
            },
            [&](const ev::Retry& e) {
                if (at != Screen::Print || s.print.busy || s.print.status != store::PrintStatus::Failed || !s.app)
                    return void(ignored = true);
                if (!e.printer.empty()) s.printer = e.printer;
                const bool reprint = s.print.reprint;
                s.print = PrintView{};
                s.print.printer = default_printer(s);
                s.print.reprint = reprint;
                s.print.busy = true;
                out.push_back(cmd::Print{s.app->id, s.print.printer, false, {}, {}});
            },
            [&](const ev::StartCancel&) {
                if (at != Screen::Review || !s.app) return void(ignored = true);
                if (s.app->state != store::State::Submitted && s.app->state != store::State::Confirmed)
                    return say(s, "desk.cannot_cancel", {}, true);
                s.screen = Screen::Cancel;
            },
            [&](const ev::CancelSubmit& e) {
                if (at != Screen::Cancel || !s.app || s.checking) return void(ignored = true);
                if (auto p = reason_problem(s, store::ReasonFor::Cancel, e.reason, e.note); !p.empty())
                    return say(s, p, {}, true);
                s.checking = true;
                out.push_back(cmd::Cancel{s.app->id, {e.reason, blank(e.note) ? "" : e.note}});
            },
            [&](const ev::StartReprint&) {
                if ((at != Screen::Review && at != Screen::Print) || s.print.busy || !s.can_reprint())
                    return void(ignored = true);
                s.screen = Screen::Reprint;
            },
            [&](const ev::ReprintSubmit& e) {
                if (at != Screen::Reprint || !s.app) return void(ignored = true);
                if (auto p = reason_problem(s, store::ReasonFor::Reprint, e.reason, e.note); !p.empty())
                    return say(s, p, {}, true);
                s.print = PrintView{};
                s.print.printer = default_printer(s);
                s.print.reprint = true;
                s.print.busy = true;
                s.screen = Screen::Print;
                out.push_back(cmd::Print{s.app->id, s.print.printer, false, {e.reason, blank(e.note) ? "" : e.note}, {}});
            },
            [&](const ev::Closed& e) {
                if (!logged_in) return void(ignored = true);
                close_app(s);
                s.checking = false;
                s.screen = Screen::Queue;
                say(s, e.key);
                out.push_back(cmd::LoadQueue{});
            },
            [&](const ev::StartManual&) {
                if (at != Screen::Queue) return void(ignored = true);
                s.manual_template.clear();
                s.manual_members.clear();
                s.screen = Screen::Manual;
            },
            [&](const ev::ChooseTemplate& e) {
                if (at != Screen::Manual) return void(ignored = true);
                // Another form has other rows: its members are added again.
                if (e.template_id != s.manual_template) s.manual_members.clear();
                s.manual_template = e.template_id;
            },
            [&](const ev::ManualSubmit& e) {
                if (at != Screen::Manual || s.checking) return void(ignored = true);
                if (s.manual_template.empty()) return say(s, "desk.manual_choose_form", {}, true);
                for (const char* k : {"name", "address", "birth_date", "sex"}) {
                    auto it = e.values.find(k);
                    if (it == e.values.end() || blank(it->second)) return say(s, "desk.manual_missing", {}, true);
                }
                // Each added member needs a name and a date of birth (the rows print both).
                for (std::size_t n = 1; n <= s.manual_members.size(); ++n)
                    for (const char* k : {"name", "birth_date"}) {
                        auto it = e.values.find("member." + std::to_string(n) + "." + k);
                        if (it == e.values.end() || blank(it->second))
                            return say(s, "desk.manual_member_missing", {}, true);
                    }
                s.checking = true;
                out.push_back(cmd::SubmitManual{s.manual_template, e.values});
            },
            [&](const ev::AddMember& e) {
                if (at != Screen::Manual || s.manual_template.empty() || e.max <= 0) return void(ignored = true);
                if (static_cast<int>(s.manual_members.size()) >= e.max) return say(s, "desk.manual_members_full", {}, true);
                s.manual_members.push_back(s.manual_next_slot++);
            },
            [&](const ev::RemoveMember& e) {
                if (at != Screen::Manual) return void(ignored = true);
                auto it = std::find(s.manual_members.begin(), s.manual_members.end(), e.slot);
                if (it == s.manual_members.end()) return void(ignored = true);
                s.manual_members.erase(it);
            },
            [&](const ev::ResolveJob& e) {
                if (at != Screen::Queue) return void(ignored = true);
                out.push_back(cmd::ResolveJob{e.job, e.printed});
            },
            [&](const ev::CardNeeded&) {
                if (at != Screen::Print || !s.app) return void(ignored = true);
                // Confirming (and a reprint request) came first; only the card is missing.
                if (s.app->state == store::State::Submitted) s.app->state = store::State::Confirmed;
                s.print.busy = false;
                s.print.needs_card = true;
                s.print.status = store::PrintStatus::Pending;
            },
            [&](const ev::CardPrint& e) {
                if (at != Screen::Print || !s.app || s.print.busy || !s.print.needs_card) return void(ignored = true);
                if (e.pin.size() != 4 || e.pin.find_first_not_of("0123456789") != std::string::npos)
                    return say(s, "desk.card_pin_digits", {}, true);
                s.print.busy = true;
                out.push_back(cmd::Print{s.app->id, s.print.printer, false, {}, e.pin});
            },
            [&](const ev::PrintGuide& e) {
                if (at != Screen::Queue || s.staff.empty() || e.number <= 0) return void(ignored = true);
                out.push_back(cmd::PrintGuide{e.day, e.number, default_printer(s)});
            },
            [&](const ev::GuidePrinted& e) {
                if (s.staff.empty()) return void(ignored = true);
                say(s, e.ok ? "desk.guide_printed" : "desk.guide_failed", e.detail, !e.ok);
                s.message_arg = std::to_string(e.number);
            },
        },
        event);
    return Transition{std::move(s), std::move(out), ignored};
}

std::vector<std::string> unnamed_members(const forms::Template& t, const store::Application& a) {
    std::vector<std::string> out;
    for (const auto& name : a.fields) {
        const auto ref = forms::member_field(t, name.id);
        if (!ref || ref->field->source != forms::Source::Member || ref->field->source_key != "name" || !blank(name.value))
            continue;
        const std::string row = ref->group->id + "." + std::to_string(ref->row) + ".";
        const bool others = std::any_of(a.fields.begin(), a.fields.end(), [&](const store::FieldValue& f) {
            return f.id != name.id && f.id.compare(0, row.size(), row) == 0 && !blank(f.value);
        });
        if (others) out.push_back(name.id);
    }
    return out;
}

int manual_member_limit(const forms::Template& t) {
    if (t.groups.empty()) return 0;
    const forms::Group& g = t.groups.front();
    return std::max(0, g.max - (g.holder ? 1 : 0));
}

std::string authenticity_key(const store::Application& a) {
    if (!a.card_read) return {};
    if (a.authenticity == "verified") return "desk.auth_verified";
    if (a.authenticity == "consistent") return "desk.auth_consistent";
    return "desk.auth_none";
}

}  // namespace kakanai::kiosk::staff
