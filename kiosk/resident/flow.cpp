#include "flow.hpp"

#include <algorithm>
#include <ctime>
#include <optional>

#include "kakanai/base/wipe.hpp"
#include "overloaded.hpp"

namespace kakanai::kiosk {
namespace {

using base::wipe_string;

void clear_pin(State& s) noexcept {
    base::secure_zero(s.pin.data(), s.pin.size());
    s.pin_length = 0;
}

void clear_answers(State& s) noexcept {
    for (auto& [id, value] : s.answers) wipe_string(value);
    s.answers.clear();
}

void clear_forms(State& s) noexcept {
    for (auto& f : s.forms) f.wipe();
    s.forms.clear();
    s.preview = 0;
}

bool card_gone(cardreader::CardErrorKind k) {
    using K = cardreader::CardErrorKind;
    return k == K::CardRemoved || k == K::NoCard || k == K::CardReset;
}

std::string error_key_for(cardreader::CardErrorKind k) {
    using K = cardreader::CardErrorKind;
    if (card_gone(k)) return "error.card_removed";
    switch (k) {
        case K::PinLocked: return "error.locked";
        case K::ServiceNotRunning:
        case K::NoReader: return "error.no_service";
        case K::NotMyNumberCard: return "error.not_my_number_card";
        default: return "error.read_failed";
    }
}

// Ends the session and shows why; keeps only what is not personal.
void fail_to(State& s, Screen screen, const std::string& key) {
    // The resident keeps reading in the language and size they chose.
    wipe(s, Keep{.presentation = true});
    s.screen = screen;
    (screen == Screen::Staff ? s.staff_key : s.error_key) = key;
}

// Every way to staff raises a call; the screen says so until the session is wiped.
void call_staff(State& s, std::vector<Command>& out, const std::string& reason_key) {
    s.staff_called = true;
    if (s.call != CallStatus::Raised) s.call = CallStatus::Raised;
    out.push_back(cmd::NotifyStaff{reason_key});
}

// The card's data failed its authenticity check: nothing of it is kept, staff are called.
void refuse_card(State& s, std::vector<Command>& out) {
    wipe(s, Keep{.presentation = true});
    s.screen = Screen::CardRefused;
    call_staff(s, out, "staff.card_refused");
}

bool in_session_with_card(Screen s) {
    return s == Screen::Pin || s == Screen::Reading || s == Screen::Confirm || s == Screen::Question ||
           s == Screen::Needs || s == Screen::Review || s == Screen::Preview;
}

// Asked on a screen of its own (not on the needs screen) and applies.
bool asked(const State& s, std::size_t i) {
    return i < s.errand.questions.size() && !s.errand.questions[i].grouped && applies(s, i);
}

std::string today_of(const State& s) {
    if (s.card.read_at == std::chrono::system_clock::time_point{}) return {};
    const std::time_t t = std::chrono::system_clock::to_time_t(s.card.read_at);
    std::tm tm{};
    localtime_r(&t, &tm);
    char b[16];
    std::strftime(b, sizeof b, "%Y-%m-%d", &tm);
    return b;
}

// ---- Households (docs/templates.md, "Groups").

const std::string kMemberSuffix = "#";

std::string member_suffix(int key) { return kMemberSuffix + std::to_string(key); }

void clear_member_draft(State& s) noexcept {
    s.member_draft.wipe();
    s.member_draft.read_from_card = false;
    s.member_step = 0;
}

void clear_household(State& s) noexcept {
    for (auto& h : s.household) h.member.wipe();
    s.household.clear();
    clear_member_draft(s);
    s.next_member_key = 1;
    s.household_done = false;
    s.adding_member = false;
    s.card_released = false;
    s.notice_key.clear();
}

// The errand's questions again with one copy of each per-member question for
// every member, right after the card holder's (called when the household changes).
void expand_members(State& s) {
    std::vector<QuestionSpec> questions;
    std::vector<QuestionWhen> when;
    for (std::size_t i = 0; i < s.errand.questions.size(); ++i) {
        const QuestionSpec& q = s.errand.questions[i];
        if (q.member != 0) continue;
        questions.push_back(q);
        if (i < s.errand.when.size()) when.push_back(s.errand.when[i]);
        if (!q.per_member) continue;
        for (const auto& h : s.household) {
            QuestionSpec copy = q;
            copy.member = h.key;
            copy.grouped = false;
            questions.push_back(std::move(copy));
            if (i < s.errand.when.size()) when.push_back(s.errand.when[i]);
        }
    }
    s.errand.questions = std::move(questions);
    s.errand.when = std::move(when);
}

// Forgets a member and their answers.
void remove_member(State& s, std::size_t index) {
    const std::string suffix = member_suffix(s.household[index].key);
    for (auto it = s.answers.begin(); it != s.answers.end();) {
        if (it->first.size() > suffix.size() &&
            it->first.compare(it->first.size() - suffix.size(), suffix.size(), suffix) == 0) {
            wipe_string(it->second);
            it = s.answers.erase(it);
        } else {
            ++it;
        }
    }
    // Copies of the others, then every old entry wiped in place: erase() would
    // move names along and leave their bytes in the vector's spare room.
    std::vector<HouseholdEntry> kept;
    kept.reserve(static_cast<std::size_t>(std::max(s.errand.member_max, 1)));
    for (std::size_t i = 0; i < s.household.size(); ++i)
        if (i != index) kept.push_back(s.household[i]);
    for (auto& h : s.household) h.member.wipe();
    s.household = std::move(kept);
    expand_members(s);
}

bool same_person(const forms::Member& a, const std::string& name, const std::string& birth_date) {
    return !a.name.empty() && a.name == name && a.birth_date == birth_date;
}

void finish_member(State& s) {
    s.household.push_back({s.member_draft, s.next_member_key++});
    clear_member_draft(s);
    s.adding_member = false;
    s.notice_key.clear();
    s.screen = Screen::Household;
    expand_members(s);
}

// Back to the household screen without the member being added; `notice`: why.
void stop_adding(State& s, const std::string& notice) {
    clear_pin(s);
    clear_member_draft(s);
    s.adding_member = false;
    s.tries_left = -1;
    s.last_try_warning = false;
    s.allow_last_try = false;
    s.error_key.clear();
    s.notice_key = notice;
    s.screen = Screen::Household;
}

// The screen before the errand's first question: the household step when the errand has one.
Screen before_questions(const State& s) { return s.errand.member_max > 0 ? Screen::Household : Screen::Confirm; }

bool valid_relationship(const std::string& v) {
    return v == "head" || v == "spouse" || v == "child" || v == "parent" || v == "other";
}

bool valid_iso_date(const std::string& v) {
    if (v.size() != 10 || v[4] != '-' || v[7] != '-') return false;
    for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u})
        if (v[i] < '0' || v[i] > '9') return false;
    return true;
}

}  // namespace

std::size_t member_index(const State& s, int key) {
    for (std::size_t i = 0; i < s.household.size(); ++i)
        if (s.household[i].key == key) return i;
    return s.household.size();
}

forms::Household household_of(const State& s) {
    forms::Household out;
    for (const auto& h : s.household) {
        forms::Member m = h.member;
        const std::string suffix = member_suffix(h.key);
        for (const auto& [k, v] : s.answers)
            if (k.size() > suffix.size() && k.compare(k.size() - suffix.size(), suffix.size(), suffix) == 0)
                m.answers[k.substr(0, k.size() - suffix.size())] = v;
        out.push_back(std::move(m));
    }
    return out;
}

forms::Answers errand_answers(const State& s) {
    forms::Answers out;
    for (const auto& [k, v] : s.answers)
        if (k.find(kMemberSuffix) == std::string::npos) out[k] = v;
    return out;
}

// `when` conditions: a question is skipped when its own condition, or every
// form that asks it, does not apply to this resident and these answers.
bool applies(const State& s, std::size_t i) {
    const QuestionSpec* q = i < s.errand.questions.size() ? &s.errand.questions[i] : nullptr;
    if (q && q->member == 0 && !q->holder_asks) return false;  // only a group asks it: members only
    if (i >= s.errand.when.size()) return true;
    const QuestionWhen& w = s.errand.when[i];
    const std::string today = today_of(s);
    if (q && q->member != 0) {
        // A member's copy: the member's facts and answers (a group's `when` is evaluated per member).
        const std::size_t m = member_index(s, q->member);
        if (m >= s.household.size()) return false;
        forms::Household one = household_of(s);
        forms::Answers merged;
        forms::Answers errand = errand_answers(s);
        if (auto it = errand.find(q->id); it != errand.end()) {
            wipe_string(it->second);  // the member answers for themselves, not as the holder did
            errand.erase(it);
        }
        const forms::Facts facts = forms::member_facts(one[m], errand, today, merged);
        bool in_group = w.groups.empty();
        for (const auto& g : w.groups) in_group = in_group || forms::may_apply(g, facts);
        const bool yes = in_group && forms::question_applies(w.own, w.forms, facts);
        forms::wipe(one);
        for (auto& [k, v] : merged) wipe_string(v);
        for (auto& [k, v] : errand) wipe_string(v);
        return yes;
    }
    const forms::Facts facts{s.card.birth_date, cardreader::to_string(s.card.sex), true, today, &s.answers};
    return forms::question_applies(w.own, w.forms, facts);
}

std::string answer_key(const QuestionSpec& q) {
    std::string key = q.per_form ? q.id + "@" + q.form : q.id;
    if (q.member != 0) key += member_suffix(q.member);
    return key;
}

namespace {

// The needs screen's answers follow its choices: a grouped question that now
// applies starts at its default, one that no longer applies loses its answer
// (in order, so a later condition sees the earlier answers).
void fit_needs(State& s) {
    for (std::size_t i = 0; i < s.errand.questions.size(); ++i) {
        const QuestionSpec& q = s.errand.questions[i];
        if (!q.grouped) continue;
        const std::string key = answer_key(q);
        if (!applies(s, i)) {
            if (auto it = s.answers.find(key); it != s.answers.end()) {
                wipe_string(it->second);
                s.answers.erase(it);
            }
        } else if (!s.answers.count(key)) {
            s.answers[key] = q.default_value;
        }
    }
}

bool has_needs(const State& s) {
    for (std::size_t i = 0; i < s.errand.questions.size(); ++i)
        if (s.errand.questions[i].grouped && applies(s, i)) return true;
    return false;
}

bool valid_answer(const QuestionSpec& q, const std::string& value) {
    // フリガナ may be left to staff at the counter, as before the kana pad.
    if (q.required && value.empty() && q.kind != "staff" && q.kind != "kana") return false;
    if (q.kind == "choice" && !value.empty()) {
        bool known = false;
        for (const auto& c : q.choices) known = known || c == value;
        return known;
    }
    if (q.kind == "yes_no" && !value.empty()) return value == "true" || value == "false";
    if (q.kind == "number" && !value.empty()) {
        if (value.size() > 3 || value.find_first_not_of("0123456789") != std::string::npos) return false;
        return std::stoi(value) >= 1;
    }
    return true;
}

// The first question at or after `from` that is asked (size() when none is).
std::size_t next_asked(const State& s, std::size_t from) {
    while (from < s.errand.questions.size() && !asked(s, from)) ++from;
    return from;
}

// The last question before `before` that is asked, or nothing.
std::optional<std::size_t> previous_asked(const State& s, std::size_t before) {
    while (before > 0)
        if (asked(s, --before)) return before;
    return std::nullopt;
}

void after_questions(State& s, std::vector<Command>& out) {
    s.screen = Screen::Review;
    s.revising = false;
    clear_forms(s);
    out.push_back(cmd::FillForms{});
}

// The first question on a screen of its own that applies and has no answer yet.
std::size_t first_unanswered(const State& s) {
    std::size_t i = next_asked(s, 0);
    while (i < s.errand.questions.size() && s.answers.count(answer_key(s.errand.questions[i]))) i = next_asked(s, i + 1);
    return i;
}

// After the needs screen (or a question changed from review): the next question, or review.
void go_on(State& s, std::vector<Command>& out, std::size_t from) {
    s.question = s.revising ? first_unanswered(s) : next_asked(s, from);
    if (s.question >= s.errand.questions.size()) return after_questions(s, out);
    s.screen = Screen::Question;
}

// PIN entry ends at the 4th digit: the read starts without a 決定 tap.
void submit_pin(State& s, std::vector<Command>& out) {
    out.push_back(cmd::ReadCard{s.reader, s.pin, s.allow_last_try});
    clear_pin(s);
    s.error_key.clear();
    s.screen = Screen::Reading;
}

}  // namespace

Progress progress(const State& s) {
    Progress p;
    switch (s.screen) {
        case Screen::PlaceCard:
        case Screen::Pin:
        case Screen::Reading: p.step = Step::Card; break;
        case Screen::Confirm:
        case Screen::Household:
        case Screen::MemberCard:
        case Screen::Member: p.step = Step::Confirm; break;
        case Screen::Needs:
        case Screen::Question: p.step = Step::Questions; break;
        case Screen::Review:
        case Screen::Preview: p.step = Step::Review; break;
        case Screen::Done: p.step = Step::Number; break;
        default: return p;
    }
    if (p.step == Step::Number) return p;  // the errand's questions are gone with the session
    const bool needs = has_needs(s);
    p.questions = needs ? 1 : 0;
    for (std::size_t i = 0; i < s.errand.questions.size(); ++i)
        if (asked(s, i)) {
            ++p.questions;
            if (s.screen == Screen::Question && i <= s.question) ++p.question;
        }
    if (s.screen == Screen::Needs) p.question = 1;
    else if (s.screen == Screen::Question && needs) ++p.question;
    return p;
}

int seconds_left(const State& s) { return std::max(0, s.timeouts.wipe_after_s - s.idle_s); }

const char* to_string(Screen s) {
    switch (s) {
        case Screen::Welcome: return "welcome";
        case Screen::Errand: return "errand";
        case Screen::PlaceCard: return "place_card";
        case Screen::Pin: return "pin";
        case Screen::Reading: return "reading";
        case Screen::Confirm: return "confirm";
        case Screen::Question: return "question";
        case Screen::Review: return "review";
        case Screen::Preview: return "preview";
        case Screen::Done: return "done";
        case Screen::Staff: return "staff";
        case Screen::Error: return "error";
        case Screen::CardRefused: return "card_refused";
        case Screen::Needs: return "needs";
        case Screen::Household: return "household";
        case Screen::MemberCard: return "member_card";
        case Screen::Member: return "member";
    }
    return "?";
}

const char* event_name(const Event& e) {
    static const char* names[] = {
        "ReaderReady", "Start",     "ChooseErrand", "CardInserted", "CardRemoved",   "PinDigit",
        "PinClear",    "PinSubmit", "TryLastPin",   "ReadOk",       "ReadFailed",    "ConfirmYes",
        "ConfirmNo",   "Answer",    "FormsFilled",  "ShowPreview",  "Submit",        "Submitted",
        "SubmitFailed", "Rate",     "Finish",       "NoCard",       "CallStaff",     "Back",
        "Cancel",      "SetLanguage", "ToggleLargeText", "ToggleHighContrast", "Idle", "StillHere", "ShowForms",
        "CardRefused", "CallUpdate", "ChangeAnswer", "AcceptNeeds", "Revise", "AddMember", "RemoveMember",
        "HouseholdDone"};
    static_assert(std::size(names) == std::variant_size_v<Event>);
    return names[e.index()];
}

bool State::holds_personal_data() const {
    bool answers_empty = answers.empty();
    return pin_length != 0 || pin != std::array<char, 4>{} || !card.name.empty() || !card.address.empty() ||
           !card.birth_date.empty() || card.my_number.has_value() || !answers_empty || !forms.empty() ||
           !household.empty() || !member_draft.name.empty() || !member_draft.birth_date.empty() ||
           !member_draft.relationship.empty();
}

void wipe(State& s, Keep keep) noexcept {
    clear_pin(s);
    s.card.wipe();
    clear_answers(s);
    clear_forms(s);
    clear_household(s);  // members' names, birth dates and answers in the same one wipe
    s.application_ids.clear();
    s.visit_number = 0;
    s.visit_day.clear();
    s.visit_procedures.clear();
    s.errand = Errand{};
    s.errand_forms = false;
    s.question = 0;
    s.revising = false;
    s.idle_s = 0;
    s.tries_left = -1;
    s.last_try_warning = false;
    s.allow_last_try = false;
    s.rating = 0;
    s.error_key.clear();
    s.staff_key.clear();
    s.still_there = false;
    s.staff_called = false;
    s.call = CallStatus::None;
    if (!keep.presentation) {
        s.language = s.default_language;
        s.large_text = false;
        s.high_contrast = false;
    }
    s.screen = Screen::Welcome;
}

void wipe(Event& e) noexcept {
    if (auto* r = std::get_if<ev::ReadOk>(&e)) r->card.wipe();
    if (auto* f = std::get_if<ev::FormsFilled>(&e))
        for (auto& form : f->forms) form.wipe();
    if (auto* a = std::get_if<ev::Answer>(&e)) wipe_string(a->value);
    if (auto* c = std::get_if<ev::ChangeAnswer>(&e)) wipe_string(c->value);
}

Transition next(State s, const Event& event) {
    std::vector<Command> out;
    bool ignored = false;
    auto ignore = [&] { ignored = true; };
    const Screen at = s.screen;
    std::visit(
        overloaded{
            [&](const ev::ReaderReady& e) { s.reader_ready = e.ready; },
            [&](const ev::Start&) {
                if (at == Screen::Welcome) s.screen = Screen::Errand;
                else ignore();
            },
            [&](const ev::ChooseErrand& e) {
                if (at != Screen::Errand || e.errand.template_ids.empty()) return ignore();
                s.errand = e.errand;
                s.screen = s.card_present ? Screen::Pin : Screen::PlaceCard;
            },
            [&](const ev::CardInserted& e) {
                s.card_present = true;
                s.reader = e.reader;
                if (at == Screen::PlaceCard) s.screen = Screen::Pin;
                else if (at == Screen::MemberCard) {
                    s.screen = Screen::Pin;  // the member's own card and their own PIN
                    s.tries_left = -1;
                    s.last_try_warning = false;
                    s.allow_last_try = false;
                    s.error_key.clear();
                } else if (at == Screen::Error) {
                    // Placing the card again starts over, in the language already chosen.
                    fail_to(s, Screen::Errand, "");
                } else if (at != Screen::Welcome && at != Screen::Errand) ignore();
            },
            [&](const ev::CardRemoved&) {
                s.card_present = false;
                s.reader.clear();
                if (at == Screen::Household || at == Screen::MemberCard || at == Screen::Member) {
                    // Expected: the holder's card makes way for a member's.
                    s.card_released = true;
                } else if (s.adding_member && (at == Screen::Pin || at == Screen::Reading)) {
                    // The member's card left before it was read: place it again.
                    clear_pin(s);
                    s.error_key.clear();
                    s.notice_key = "household.card_removed";
                    s.screen = Screen::MemberCard;
                } else if (s.card_released && in_session_with_card(at)) {
                    // Every card was read already; a member's card is taken away.
                } else if (in_session_with_card(at)) fail_to(s, Screen::Error, "error.card_removed");
                else if (at == Screen::Welcome || at == Screen::Errand || at == Screen::Done ||
                         at == Screen::CardRefused) {
                    // Nothing personal on these screens; taking the card on done is expected.
                } else ignore();
            },
            [&](const ev::PinDigit& e) {
                if (at != Screen::Pin || s.pin_length >= 4 || e.digit < '0' || e.digit > '9') return ignore();
                if (s.last_try_warning && !s.allow_last_try) return ignore();  // the pad is not shown: choose first
                s.pin[static_cast<std::size_t>(s.pin_length++)] = e.digit;
                if (s.pin_length == 4) submit_pin(s, out);
            },
            [&](const ev::PinClear&) {
                if (at != Screen::Pin) return ignore();
                clear_pin(s);
            },
            [&](const ev::PinSubmit&) {
                if (at != Screen::Pin || s.pin_length != 4) return ignore();
                if (s.last_try_warning && !s.allow_last_try) return ignore();  // must choose first
                submit_pin(s, out);
            },
            [&](const ev::TryLastPin&) {
                if (at != Screen::Pin || !s.last_try_warning) return ignore();
                s.allow_last_try = true;
            },
            [&](const ev::ReadOk& e) {
                if (at != Screen::Reading) return ignore();
                if (!cardreader::accepted(e.card.authenticity)) return refuse_card(s, out);  // never prefilled
                if (s.adding_member) {
                    s.tries_left = -1;
                    s.last_try_warning = false;
                    s.allow_last_try = false;
                    // The same person twice (the holder's card again, a member's again) is refused.
                    bool twice = s.card.name == e.card.name && s.card.birth_date == e.card.birth_date;
                    for (const auto& h : s.household) twice = twice || same_person(h.member, e.card.name, e.card.birth_date);
                    if (twice) {
                        s.notice_key = "household.same_person";
                        s.screen = Screen::MemberCard;
                        return;
                    }
                    // Only what the forms' rows need: name, birth date, sex (the address is not kept).
                    clear_member_draft(s);
                    s.member_draft.name = e.card.name;
                    s.member_draft.birth_date = e.card.birth_date;
                    s.member_draft.sex = cardreader::to_string(e.card.sex);
                    s.member_draft.read_from_card = true;
                    s.notice_key.clear();
                    s.screen = Screen::Member;
                    return;
                }
                s.card = e.card;
                s.tries_left = -1;
                s.last_try_warning = false;
                s.allow_last_try = false;
                s.screen = Screen::Confirm;
            },
            [&](const ev::ReadFailed& e) {
                if (at != Screen::Reading) return ignore();
                using K = cardreader::CardErrorKind;
                if (e.kind == K::WrongPin || e.kind == K::LastTryNeedsConfirmation) {
                    s.tries_left = e.kind == K::LastTryNeedsConfirmation ? 1 : e.tries_left;
                    s.screen = Screen::Pin;
                    s.error_key = e.kind == K::WrongPin ? "error.wrong_pin" : "";
                    s.last_try_warning = s.tries_left == 1;
                    s.allow_last_try = false;
                    if (e.tries_left == 0) {
                        if (s.adding_member) return stop_adding(s, "error.locked");  // the member's card only
                        fail_to(s, Screen::Error, "error.locked");
                    }
                    return;
                }
                if (s.adding_member) return stop_adding(s, error_key_for(e.kind));
                fail_to(s, Screen::Error, error_key_for(e.kind));
            },
            [&](const ev::ConfirmYes&) {
                if (at != Screen::Confirm) return ignore();
                if (s.errand.member_max > 0 && !s.household_done) {
                    s.screen = Screen::Household;  // 一緒に手続きする家族を追加
                    return;
                }
                fit_needs(s);
                if (has_needs(s)) {
                    s.screen = Screen::Needs;
                    return;
                }
                go_on(s, out, 0);
            },
            [&](const ev::ConfirmNo&) {
                if (at != Screen::Confirm) return ignore();
                fail_to(s, Screen::Staff, "staff.not_me");
                call_staff(s, out, "staff.not_me");
            },
            [&](const ev::Answer& e) {
                if (at == Screen::Member) {
                    // 続柄, then for a member without a card 生年月日 and 性別.
                    if (s.member_step == 0) {
                        if (!valid_relationship(e.value)) return ignore();
                        s.member_draft.relationship = e.value;
                        if (s.member_draft.read_from_card) return finish_member(s);
                        s.member_step = 1;
                    } else if (s.member_step == 1) {
                        if (!valid_iso_date(e.value)) return ignore();
                        s.member_draft.birth_date = e.value;
                        s.member_step = 2;
                    } else {
                        if (e.value != "male" && e.value != "female") return ignore();
                        s.member_draft.sex = e.value;
                        finish_member(s);
                    }
                    return;
                }
                if (at != Screen::Question || s.question >= s.errand.questions.size()) return ignore();
                const QuestionSpec& q = s.errand.questions[s.question];
                if (!valid_answer(q, e.value)) return ignore();
                s.answers[answer_key(q)] = e.value;
                go_on(s, out, s.question + 1);
            },
            [&](const ev::ChangeAnswer& e) {
                if (at != Screen::Needs || e.question >= s.errand.questions.size()) return ignore();
                const QuestionSpec& q = s.errand.questions[e.question];
                if (!q.grouped || !applies(s, e.question) || !valid_answer(q, e.value)) return ignore();
                s.answers[answer_key(q)] = e.value;
                fit_needs(s);
            },
            [&](const ev::AcceptNeeds&) {
                if (at != Screen::Needs) return ignore();
                fit_needs(s);
                go_on(s, out, 0);
            },
            [&](const ev::Revise& e) {
                if (at != Screen::Review || s.forms.empty() || e.question >= s.errand.questions.size() ||
                    !applies(s, e.question))
                    return ignore();
                s.revising = true;
                if (s.errand.questions[e.question].grouped) {
                    s.screen = Screen::Needs;
                } else {
                    s.question = e.question;
                    s.screen = Screen::Question;
                }
            },
            [&](const ev::FormsFilled& e) {
                if (at != Screen::Review || !s.forms.empty()) return ignore();
                // The answers ruled out every form (e.g. 国保 取得 with employer
                // insurance): say so instead of waiting on an empty review.
                if (e.forms.empty()) return fail_to(s, Screen::Error, "error.not_needed");
                s.forms = e.forms;
            },
            [&](const ev::ShowPreview& e) {
                if ((at != Screen::Review && at != Screen::Preview) || e.index >= s.forms.size()) return ignore();
                s.preview = e.index;
                s.screen = Screen::Preview;
            },
            [&](const ev::Submit&) {
                if (at != Screen::Review || s.forms.empty()) return ignore();
                out.push_back(cmd::SubmitForms{});
            },
            [&](const ev::Submitted& e) {
                if (at != Screen::Review) return ignore();
                // The resident's part ends here: keep only the visit's number and its procedures.
                wipe(s, Keep{.presentation = true});
                s.visit_number = e.visit_number;
                s.visit_day = e.visit_day;
                s.visit_procedures = e.procedures;
                s.screen = Screen::Done;
            },
            [&](const ev::SubmitFailed& e) {
                if (at != Screen::Review) return ignore();
                fail_to(s, Screen::Error, e.error_key.empty() ? "error.store_failed" : e.error_key);
                s.application_ids = e.saved_ids;  // what was saved stays findable by its number
                call_staff(s, out, s.error_key);
            },
            [&](const ev::Rate& e) {
                if (at != Screen::Done || s.rating != 0 || e.faces < 1 || e.faces > 5) return ignore();
                s.rating = e.faces;
                out.push_back(cmd::RecordRating{e.faces});
            },
            [&](const ev::Finish&) {
                if (at != Screen::Done && at != Screen::Staff && at != Screen::Error && at != Screen::CardRefused)
                    return ignore();
                wipe(s);
            },
            [&](const ev::NoCard&) {
                if (at != Screen::Welcome && at != Screen::Errand && at != Screen::PlaceCard && at != Screen::Pin)
                    return ignore();
                // A member who does not know their PIN is added without the card.
                if (at == Screen::Pin && s.adding_member) return stop_adding(s, "household.no_pin");
                const std::string key = at == Screen::Pin ? "staff.forgot_pin" : "staff.no_card";
                // At one try left the resident chose staff over the last try (the screen
                // says what it says for a forgotten PIN; staff see the reason).
                const bool last_try = at == Screen::Pin && s.last_try_warning;
                fail_to(s, Screen::Staff, key);
                call_staff(s, out, last_try ? "staff.last_try" : key);
            },
            [&](const ev::CallStaff&) { call_staff(s, out, "staff.help"); },
            [&](const ev::CallUpdate& e) {
                if (s.call == CallStatus::None || e.status == CallStatus::None) return ignore();  // the session was wiped
                s.call = e.status;
            },
            [&](const ev::Back&) {
                switch (at) {
                    case Screen::Welcome:
                    case Screen::Reading: return ignore();  // nothing before; a read cannot be interrupted
                    case Screen::Errand:
                        if (s.errand_forms) {
                            s.errand_forms = false;  // from the list of forms back to the life events
                            return;
                        }
                        wipe(s);
                        return;
                    case Screen::Done: return ignore();  // the number stays until 終わる or the idle timeout
                    case Screen::Staff:
                    case Screen::Error:
                    case Screen::CardRefused: wipe(s); return;
                    case Screen::PlaceCard: s.screen = Screen::Errand; return;
                    case Screen::Pin:
                        if (s.adding_member) return stop_adding(s, "");
                        clear_pin(s);
                        s.error_key.clear();
                        s.screen = Screen::Errand;
                        return;
                    case Screen::Household: s.screen = Screen::Confirm; return;
                    case Screen::MemberCard: return stop_adding(s, "");
                    case Screen::Member:
                        if (s.member_step > 0) {
                            --s.member_step;
                            return;
                        }
                        return stop_adding(s, "");
                    case Screen::Confirm:
                        // Not this card after all: forget what was read, choose again.
                        s.card.wipe();
                        clear_answers(s);
                        clear_forms(s);
                        clear_household(s);
                        s.screen = Screen::Errand;
                        return;
                    case Screen::Needs:
                        if (s.revising) return after_questions(s, out);  // the change is not made: review again
                        s.screen = before_questions(s);
                        return;
                    case Screen::Question:
                        if (s.revising) return after_questions(s, out);
                        if (auto p = previous_asked(s, s.question)) s.question = *p;
                        else s.screen = has_needs(s) ? Screen::Needs : before_questions(s);
                        return;
                    case Screen::Review:
                        clear_forms(s);
                        if (auto p = previous_asked(s, s.errand.questions.size())) {
                            s.question = *p;
                            s.screen = Screen::Question;
                        } else {
                            s.screen = has_needs(s) ? Screen::Needs : before_questions(s);
                        }
                        return;
                    case Screen::Preview: s.screen = Screen::Review; return;
                }
            },
            [&](const ev::Cancel&) {
                if (at == Screen::Done) return ignore();  // as Back: only 終わる or the timeout end it
                wipe(s);
            },
            [&](const ev::SetLanguage& e) {
                if (e.language.empty()) return ignore();
                s.language = e.language;
            },
            [&](const ev::ToggleLargeText&) { s.large_text = !s.large_text; },
            [&](const ev::ToggleHighContrast&) { s.high_contrast = !s.high_contrast; },
            [&](const ev::Idle& e) {
                s.idle_s = e.seconds;
                // A call shown on welcome ends with the timeout too (the stations keep it).
                const bool customised = s.language != s.default_language || s.large_text || s.high_contrast ||
                                        s.call != CallStatus::None;
                if (at == Screen::Welcome && !customised) return ignore();
                if (at == Screen::Reading) return ignore();  // the card is busy, not the resident
                if (e.seconds >= s.timeouts.wipe_after_s) {
                    wipe(s);
                } else if (e.seconds >= s.timeouts.ask_after_s && at != Screen::Welcome) {
                    s.still_there = true;
                } else {
                    ignore();
                }
            },
            [&](const ev::StillHere&) {
                if (!s.still_there) return ignore();
                s.still_there = false;
                s.idle_s = 0;
            },
            [&](const ev::ShowForms& e) {
                if (at != Screen::Errand || s.errand_forms == e.show) return ignore();
                s.errand_forms = e.show;
            },
            [&](const ev::CardRefused&) {
                if (at != Screen::Reading) return ignore();
                refuse_card(s, out);  // a member's card too: the same rule, the whole session
            },
            [&](const ev::AddMember& e) {
                if (at != Screen::Household || static_cast<int>(s.household.size()) >= s.errand.member_max)
                    return ignore();
                clear_member_draft(s);
                s.notice_key.clear();
                // Room for every member at once: growing would move names and leave copies behind.
                if (s.household.empty()) s.household.reserve(static_cast<std::size_t>(s.errand.member_max));
                if (e.card) {
                    s.adding_member = true;
                    s.screen = Screen::MemberCard;  // the holder's card must leave first
                } else {
                    s.screen = Screen::Member;
                }
            },
            [&](const ev::RemoveMember& e) {
                if ((at != Screen::Household && at != Screen::Review) || e.index >= s.household.size()) return ignore();
                remove_member(s, e.index);
                if (at == Screen::Review) after_questions(s, out);  // the forms again, without them
            },
            [&](const ev::HouseholdDone&) {
                if (at != Screen::Household) return ignore();
                s.household_done = true;
                s.notice_key.clear();
                expand_members(s);
                fit_needs(s);
                if (has_needs(s)) {
                    s.screen = Screen::Needs;
                    return;
                }
                go_on(s, out, 0);
            },
        },
        event);
    return {std::move(s), std::move(out), ignored};
}

}  // namespace kakanai::kiosk
