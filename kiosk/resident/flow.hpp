#pragma once
// The resident's flow as a pure function: next(State, Event) -> (State, Commands).
// No ImGui, no SDL, no I/O here: the UI draws State and turns taps, timers and
// card events into Events; main.cpp carries out the Commands.
//
// welcome -> errand -> place_card -> pin -> reading -> confirm -> needs? -> question* ->
// review (-> preview) -> done (number, QR, optional rating) -> welcome.
// needs: "what do you need", the certificate questions together with their
// defaults chosen, accepted with one tap or changed in place.
// Side paths: staff (no card, "not me", last PIN try, call staff), error
// (locked, card removed, read error, store/printer failure), card_refused (the
// card's data failed its authenticity check: nothing prefilled, staff called).
#include <array>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "kakanai/cardreader/card_info.hpp"
#include "kakanai/cardreader/errors.hpp"
#include "kakanai/forms/condition.hpp"
#include "kakanai/forms/prefill.hpp"

namespace kakanai::kiosk {

enum class Screen { Welcome, Errand, PlaceCard, Pin, Reading, Confirm, Question, Review, Preview, Done, Staff, Error,
                    CardRefused, Needs, Household, MemberCard, Member };
inline constexpr int kScreenCount = 17;
const char* to_string(Screen s);

// What a question needs for the flow: the UI looks up its texts in the catalogue.
struct QuestionSpec {
    std::string id;
    std::string kind;  // choice, number, digits (phone, postal code), yes_no, staff (asked at the counter),
                       // number_pad, date, fiscal_year, kana (the input pads: kiosk/ui/pads.hpp)
    std::vector<std::string> choices;
    std::string default_value;
    bool required = false;
    // On the "what do you need" screen with its default chosen, not on a screen of its own.
    bool grouped = false;
    std::string form = {};  // the form it is shown under in review (the first that asks it)
    bool per_form = false;  // the answer belongs to `form` alone (e.g. 何通 per certificate)
    // Household members: a question a form's [[group]] asks per member (国保 取得:
    // 勤務先の健康保険) is asked again for each member after the card holder's answer.
    bool per_member = false;
    bool holder_asks = true;  // false: only a group asks it; the card holder is not asked
    int member = 0;           // 0: the card holder's; k: the copy for the member with key k
};

// Where a question's answer is kept in State::answers: its id, or "id@form"
// when each form has its own answer; a member's copy adds "#key" ("employer_insurance#2").
std::string answer_key(const QuestionSpec& q);

// A question's `when` conditions (see forms::question_applies): its own and
// that of each form of the errand that asks it.
struct QuestionWhen {
    forms::Condition own;
    std::vector<forms::Condition> forms;
    std::vector<forms::Condition> groups = {};  // per-member questions: the `when` of each group asking it
};

struct Errand {
    std::string id;  // life event id or "form:<template id>"
    std::vector<std::string> template_ids;
    std::vector<QuestionSpec> questions;
    std::vector<QuestionWhen> when;  // same index as questions; none: always asked
    int member_max = 0;  // the largest [[group]] max of its forms: members the household step takes (0: no step)
};

// A household member added at the kiosk (personal: wiped with the session).
// `key` stays with the member while others are removed; their answers are "id#key".
struct HouseholdEntry {
    forms::Member member;
    int key = 0;
};

// Settings that survive a wipe (they hold nothing personal).
struct Timeouts {
    int ask_after_s = 60;   // "still there?"
    int wipe_after_s = 90;  // back to welcome, everything wiped
};

// A call for staff as the resident sees it: raised (職員に連絡しました), a clerk
// acknowledged it at a station (職員が向かっています), or it could not be raised.
enum class CallStatus { None, Raised, Coming, Failed };
// One procedure of a submitted visit, for the guide slip (nothing personal).
struct VisitProcedure {
    std::string template_id;
    int copies = 1;
    bool operator==(const VisitProcedure&) const = default;
};

struct State {
    Screen screen = Screen::Welcome;
    Timeouts timeouts;
    std::string default_language = "ja";

    // The resident's choices of presentation, reset by wipe().
    std::string language = "ja";
    bool large_text = false;
    bool high_contrast = false;
    bool still_there = false;  // the "still there?" prompt is up
    int idle_s = 0;            // seconds without a touch, as of the last Idle (for the countdown)
    bool staff_called = false;
    CallStatus call = CallStatus::None;  // the session's call for staff; a wipe ends its display

    bool reader_ready = false;
    bool card_present = false;
    std::string reader;          // reader holding the card
    Errand errand;
    bool errand_forms = false;   // the errand screen shows single forms
    std::array<char, 4> pin{};   // digits typed so far, zeroed on wipe
    int pin_length = 0;
    int tries_left = -1;         // unknown until the card says
    bool last_try_warning = false;  // 1 try left: warned, resident may still go on
    bool allow_last_try = false;
    cardreader::CardInfo card;   // personal data: wiped on every exit
    forms::Answers answers;      // personal data
    std::size_t question = 0;    // index into errand.questions
    bool revising = false;       // 変更 from review: back to review once answered
    std::vector<forms::FilledForm> forms;  // pre-filled forms for review (personal)
    std::size_t preview = 0;     // which form the preview shows
    std::vector<std::string> application_ids;  // saved before a failure (error screen): not personal
    // The visit's one short number (done screen, with its QR code and guide);
    // it stays until 終わる or the idle timeout.
    int visit_number = 0;
    std::string visit_day;  // YYYY-MM-DD, the store's
    std::vector<VisitProcedure> visit_procedures;
    int rating = 0;              // 1..5 once given
    std::string error_key;       // i18n key of the message on Screen::Error / Pin
    std::string staff_key;       // i18n key of the reason on Screen::Staff

    // Household members doing the procedure with the card holder (personal data).
    std::vector<HouseholdEntry> household;
    int next_member_key = 1;
    bool household_done = false;   // the household screen was passed
    bool adding_member = false;    // the PIN pad and the read are for a member's own card
    bool card_released = false;    // the holder's card left for a member's: a removal no longer ends the session
    forms::Member member_draft;    // the member being added (Screen::Member)
    int member_step = 0;           // Screen::Member: 0 続柄, 1 生年月日, 2 性別
    std::string notice_key;        // i18n key shown on the household screens (same person, locked card, ...)

    bool holds_personal_data() const;
};

namespace ev {
struct ReaderReady { bool ready; };
struct Start {};                             // tap on the welcome screen
struct ChooseErrand { Errand errand; };
struct CardInserted { std::string reader; };
struct CardRemoved {};
struct PinDigit { char digit; };
struct PinClear {};
struct PinSubmit {};
struct TryLastPin {};                        // the resident accepts the last-try risk
struct ReadOk { cardreader::CardInfo card; };
struct ReadFailed { cardreader::CardErrorKind kind; int tries_left; };
struct ConfirmYes {};
struct ConfirmNo {};                         // "this is not me" -> staff
struct Answer { std::string value; };
struct FormsFilled { std::vector<forms::FilledForm> forms; };
struct ShowPreview { std::size_t index; };
struct Submit {};
struct Submitted {
    std::vector<std::string> application_ids;  // internal: never shown to the resident
    int visit_number = 0;
    std::string visit_day;
    std::vector<VisitProcedure> procedures;
};
struct SubmitFailed { std::string error_key; std::vector<std::string> saved_ids; };  // error.store_failed / error.print_failed
struct Rate { int faces; };                   // 1..5
struct Finish {};                             // "done" on the last screen
struct NoCard {};                             // no card / forgot PIN: manual entry by staff
struct CallStaff {};
struct Back {};
struct Cancel {};                             // start over
struct SetLanguage { std::string language; };
struct ToggleLargeText {};
struct ToggleHighContrast {};
struct Idle { int seconds; };                 // seconds since the last touch
struct StillHere {};
struct ShowForms { bool show; };              // the errand screen lists single forms instead of life events
// The card was read but its data failed the authenticity check (hash_mismatch,
// signature_invalid, not_checked): the worker wiped it; only the result travels.
struct CardRefused { cardreader::Authenticity result; };
// The store answered about this session's call (raised, acknowledged, or failed).
// `session`: the call worker's session number, so an answer for a wiped session is dropped.
struct CallUpdate { CallStatus status; std::uint64_t session = 0; };
struct ChangeAnswer { std::size_t question; std::string value; };  // in place, on the needs screen
struct AcceptNeeds {};                        // the needs screen's choices as they stand
struct Revise { std::size_t question; };      // 変更 on review: that question, then back to review
struct AddMember { bool card; };              // カードで追加 / カードのない家族を追加
struct RemoveMember { std::size_t index; };   // × on the household screen, 削除 on review
struct HouseholdDone {};                      // 次へ / 追加しない
}  // namespace ev

using Event = std::variant<ev::ReaderReady, ev::Start, ev::ChooseErrand, ev::CardInserted, ev::CardRemoved,
                           ev::PinDigit, ev::PinClear, ev::PinSubmit, ev::TryLastPin, ev::ReadOk, ev::ReadFailed,
                           ev::ConfirmYes, ev::ConfirmNo, ev::Answer, ev::FormsFilled, ev::ShowPreview, ev::Submit,
                           ev::Submitted, ev::SubmitFailed, ev::Rate, ev::Finish, ev::NoCard, ev::CallStaff,
                           ev::Back, ev::Cancel, ev::SetLanguage, ev::ToggleLargeText, ev::ToggleHighContrast,
                           ev::Idle, ev::StillHere, ev::ShowForms, ev::CardRefused, ev::CallUpdate,
                           ev::ChangeAnswer, ev::AcceptNeeds, ev::Revise, ev::AddMember, ev::RemoveMember,
                           ev::HouseholdDone>;
const char* event_name(const Event& e);

namespace cmd {
// Read the card with this PIN. The digits travel in a fixed array the worker zeroes.
struct ReadCard { std::string reader; std::array<char, 4> pin; bool allow_last_try = false; };
struct FillForms {};        // prefill the errand's forms from State::card and answers -> FormsFilled
struct SubmitForms {};      // store and render State::forms -> Submitted / SubmitFailed
struct RecordRating { int faces; };  // the KPI: a number 1..5 and nothing else
// Raise a call at the staff stations; `reason_key` names the path (staff.help,
// staff.no_card, staff.forgot_pin, staff.last_try, staff.not_me, staff.card_refused,
// error.store_failed, error.print_failed) -> CallUpdate.
struct NotifyStaff { std::string reason_key; };
}  // namespace cmd
using Command = std::variant<cmd::ReadCard, cmd::FillForms, cmd::SubmitForms, cmd::RecordRating, cmd::NotifyStaff>;

struct Transition {
    State state;
    std::vector<Command> commands;
    bool ignored = false;  // the event does not apply to this screen; the caller logs it
};

Transition next(State state, const Event& event);

// Whether question `i` of the errand applies to this resident and these answers (`when`).
bool applies(const State& s, std::size_t i);

// The household for the forms: each member with their own answers ("id#key"
// answers moved under "id"); the errand's answers without members' copies.
// The caller wipes both.
forms::Household household_of(const State& s);
forms::Answers errand_answers(const State& s);
// The index in State::household of the member with this key (size() when gone).
std::size_t member_index(const State& s, int key);

// Where the resident is, for the step indicator (カード → 確認 → 質問 3/5 → 確認 → 番号).
enum class Step { None, Card, Confirm, Questions, Review, Number };
struct Progress {
    Step step = Step::None;
    int question = 0;  // 1-based position among the question screens (needs counts as one)
    int questions = 0; // how many question screens this errand shows now (0: the step is left out)
};
Progress progress(const State& s);

// Seconds until the idle wipe, for the "still there?" countdown.
int seconds_left(const State& s);

// What survives a wipe besides the reader's state (reader_ready, card_present,
// reader: facts about the device, never personal, so every wipe keeps them).
struct Keep {
    bool presentation = false;  // language, large text, high contrast: the resident keeps reading as chosen
};

// The one cleanup every way out of a session goes through: zeroes personal
// data, resets what `keep` does not name, returns to welcome.
void wipe(State& s, Keep keep = {}) noexcept;
// The personal data an event carried (ReadOk's card, FormsFilled's forms, an
// answer): next() copies what it keeps, so the caller wipes the event after it.
void wipe(Event& e) noexcept;

}  // namespace kakanai::kiosk
