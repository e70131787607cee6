#pragma once
// The counter staff station as a pure function: next(State, Event) -> (State, Commands),
// like flow.hpp for residents. No ImGui, no SDL, no I/O: staff_main.cpp carries
// out the Commands against the store and the printing library and answers with Events.
//
// login -> queue -> review (page preview, fields with their origin, card data)
//   review -> correct (field, new value, reason code, note) -> review
//   review -> print (job status; retry, other printer) -> queue
//   review -> cancel (reason code, note) -> queue;  review -> reprint (reason code, note) -> print
// Reasons are codes from store/reasons.hpp; an optional short note is refused
// here already when it repeats a value of the application (the store checks again).
// Login: five wrong codes lock the id, twenty lock the station (store/desk_store.hpp);
// a locked station shows its unlock screen (the login screen, station_locked).
//   queue -> manual entry (template, 氏名・住所・生年月日・性別 and the form's fields) -> review
//   (a form with a [[group]]: staff add household members, up to the group's rows)
// A household member entered at a kiosk without a card has 続柄・生年月日・性別 but
// no name: staff type it here (a correction); confirming waits for it.
// After `lock_after_s` without input the station locks: the taken application
// goes back to the queue and everything personal is wiped.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "kakanai/forms/template.hpp"
#include "kakanai/store/store.hpp"

namespace kakanai::kiosk::staff {

enum class Screen { Login, Queue, Review, Correct, Print, Cancel, Reprint, Manual };
inline constexpr int kScreenCount = 8;
const char* to_string(Screen s);

struct Settings {
    std::vector<std::string> staff_ids;  // [staff] ids: who may log in here
    int lock_after_s = 120;              // [staff] lock_after_s
    std::vector<std::string> printers;   // [staff] printers (first: the default); "folder" writes PDFs only
};

// Where a print stands, as the print screen shows it.
struct PrintView {
    std::int64_t job = 0;  // the store's job number; 0 before begin_print
    store::PrintStatus status = store::PrintStatus::Pending;
    std::string printer;
    std::string reason;    // the printer's or print system's words on a failure (never personal)
    bool reprint = false;
    bool busy = false;     // a command is under way: buttons wait
    bool needs_card = false;  // the form prints the 個人番号: the resident's card is read for this print
    std::string reason_key = {};  // instead of `reason`: the i18n key of a store or card problem
};

struct State {
    Screen screen = Screen::Login;
    Settings settings;
    std::string staff;           // logged in; empty while locked
    std::string login_staff;     // chosen on the login screen
    bool checking = false;       // a store command is under way
    std::string message_key;     // i18n key of the notice or error line
    std::string message_detail;  // non-personal detail (printer reason, application number)
    std::string message_arg;     // fills {n} of the message (minutes of a lock)
    bool message_is_error = false;
    bool station_locked = false;  // twenty wrong codes: only another staff member's login unlocks

    std::vector<store::QueueEntry> queue;
    std::vector<store::StaffCall> calls;      // calls from kiosks nobody answered yet, newest first (never personal)
    std::vector<store::PrintJob> unfinished;  // jobs whose result is unknown (the station stopped mid-print)

    std::optional<store::Application> app;  // the open application, with values (personal)
    std::vector<std::string> issues;        // field ids the form check rejects (empty, wrong shape)
    std::vector<store::PrintJob> jobs;      // the open application's print jobs
    std::string field;                      // Correct: the field being corrected
    std::string printer;                    // chosen for the next print
    PrintView print;
    std::string manual_template;            // Manual: the form being typed
    // Manual: the household members added (家族を追加), each a slot number that
    // keys its drafts; in row order after the resident typed above.
    std::vector<int> manual_members;
    int manual_next_slot = 1;
    // Review: the name fields of members entered without a card whose name staff
    // still owe (see unnamed_members); confirming is refused until they are typed.
    std::vector<std::string> unnamed;

    bool holds_personal_data() const { return app.has_value(); }
    bool can_confirm() const;  // review: every field acceptable, not yet printed or cancelled
    bool can_reprint() const;  // printed (or confirmed with a job) and no print in flight
};

namespace ev {
struct LoginSubmit { std::string staff; std::string code; };  // the code only travels to the check
// `outcome`: why a login failed (a wrong code, a locked id or station); `now`: unix seconds of the answer.
struct LoginResult { std::string staff; bool ok; store::LoginOutcome outcome = {}; std::int64_t now = 0; };
struct StationStatus { bool locked; };       // asked at start: the station may still be locked
struct Logout {};
struct Idle { int seconds; };                 // seconds since the last key or click
struct Tick {};                               // every few seconds while logged in
struct QueueLoaded { std::vector<store::QueueEntry> queue; std::vector<store::PrintJob> unfinished; };
struct Open { std::string id; };              // empty: the oldest free one
// `unnamed`: the application's members without a card and without a name yet (unnamed_members).
struct Opened {
    store::Application app;
    std::vector<std::string> issues;
    std::vector<store::PrintJob> jobs;
    std::vector<std::string> unnamed = {};
};
struct Failed { std::string key; std::string detail; };  // a command failed; detail is never personal
struct Back {};
struct EditField { std::string field; };
// `reason`: a code of store::kCorrectReasons (kCancelReasons, kReprintReasons below); `note`: optional.
struct SaveCorrection { std::string value; std::string reason; std::string note = {}; };
struct ConfirmPrint {};                       // confirm (when submitted) and print
// `reason`: the printer's own words; `reason_key`: an i18n key (a store or card problem) instead.
struct PrintUpdate { store::PrintJob job; std::string reason; std::string reason_key = {}; };
struct Retry { std::string printer; };        // same or another printer after a failure
struct StartCancel {};
struct CancelSubmit { std::string reason; std::string note = {}; };
struct StartReprint {};
struct ReprintSubmit { std::string reason; std::string note = {}; };
struct Closed { std::string key; };           // the application left the desk (cancelled, printed): back to the queue
struct StartManual {};
struct ChooseTemplate { std::string template_id; };
// "name", "address", "birth_date", "sex", field ids, and per added member n (1, 2, ... in
// row order) "member.<n>.name", ".kana", ".birth_date", ".sex", ".relationship".
struct ManualSubmit { std::map<std::string, std::string> values; };
struct AddMember { int max = 0; };   // 家族を追加; `max`: members the form's group has rows for
struct RemoveMember { int slot = 0; };
struct ResolveJob { std::int64_t job; bool printed; };  // staff looked at the printer after a restart
struct CardNeeded {};                         // the form prints the 個人番号: ask for the card and PIN
struct CardPrint { std::string pin; };        // PIN typed with the card on the reader: read it and print
struct CallsLoaded { std::vector<store::StaffCall> calls; };  // the open calls, newest first
struct AcknowledgeCalls { std::vector<std::int64_t> ids; };  // 対応する: a clerk goes to that kiosk
// The resident's guide slip (受付案内) of a visit in the queue, on the chosen printer.
struct PrintGuide { std::string day; int number = 0; };
struct GuidePrinted { int number = 0; bool ok = false; std::string detail; };  // detail: never personal
}  // namespace ev

using Event = std::variant<ev::LoginSubmit, ev::LoginResult, ev::Logout, ev::Idle, ev::Tick, ev::QueueLoaded, ev::Open,
                           ev::Opened, ev::Failed, ev::Back, ev::EditField, ev::SaveCorrection, ev::ConfirmPrint,
                           ev::PrintUpdate, ev::Retry, ev::StartCancel, ev::CancelSubmit, ev::StartReprint,
                           ev::ReprintSubmit, ev::Closed, ev::StartManual, ev::ChooseTemplate, ev::ManualSubmit,
                           ev::ResolveJob, ev::CardNeeded, ev::CardPrint, ev::StationStatus, ev::CallsLoaded,
                           ev::AcknowledgeCalls, ev::PrintGuide, ev::GuidePrinted, ev::AddMember, ev::RemoveMember>;
const char* event_name(const Event& e);

namespace cmd {
struct CheckLogin { std::string staff; std::string code; };  // -> LoginResult; the caller wipes the code
struct CheckStation {};                                       // -> StationStatus
struct LoadQueue {};                                          // -> QueueLoaded
struct Take { std::string id; };                              // -> Opened / Failed (empty id: take_next)
struct Release { std::string id; };
struct Correct { std::string id, field, value; store::Reason reason; };  // -> Opened / Failed
// Confirms first when `confirm`, then begin_print, render, send -> PrintUpdate (Sent, Done or Failed).
// `pin`: the card on the reader is read (with the 個人番号) for this print only; the caller wipes it.
// `reprint`: a reprint request goes first when its code is set.
struct Print { std::string id; std::string printer; bool confirm = false; store::Reason reprint = {}; std::string pin; };
struct PollPrint { std::int64_t job; };                       // -> PrintUpdate when it changed
struct Cancel { std::string id; store::Reason reason; };       // -> Closed / Failed
struct SubmitManual { std::string template_id; std::map<std::string, std::string> values; };  // -> Opened / Failed
struct ResolveJob { std::int64_t job; bool printed; };        // -> QueueLoaded
// Every tick, logged in or not: renews the lease of the application this station
// holds, and loads the open calls -> CallsLoaded.
struct Heartbeat {};
// The clerk logged in (else the station's name) answers these calls -> CallsLoaded.
struct AcknowledgeCalls { std::vector<std::int64_t> ids; };
struct PrintGuide { std::string day; int number; std::string printer; };  // -> GuidePrinted
}  // namespace cmd
using Command = std::variant<cmd::CheckLogin, cmd::CheckStation, cmd::LoadQueue, cmd::Take, cmd::Release, cmd::Correct, cmd::Print,
                             cmd::PollPrint, cmd::Cancel, cmd::SubmitManual, cmd::ResolveJob, cmd::Heartbeat,
                             cmd::AcknowledgeCalls, cmd::PrintGuide>;

struct Transition {
    State state;
    std::vector<Command> commands;
    bool ignored = false;  // the event does not apply on this screen
};

Transition next(State state, const Event& event);

// Locks the station: forgets the staff member and every personal value.
void lock(State& s) noexcept;

// The review's line on the card's authenticity check, as an i18n key:
// desk.auth_verified (signature and the issuing CA checked), desk.auth_consistent
// (data matches its signature, CA not checked), desk.auth_none (card-read, no
// result kept); empty for an application typed by staff.
std::string authenticity_key(const store::Application& a);

// The household members of `a` entered at a kiosk without a card whose name
// staff still have to type: a row of a [[group]] whose member.name field is
// empty while another value of the row (続柄, 生年月日, 性別) is filled. The ids
// of those name fields ("persons.3.name"), in the order stored.
std::vector<std::string> unnamed_members(const forms::Template& t, const store::Application& a);

// How many members staff may add at manual entry for `t`'s first group (its rows,
// less the resident's own row when the group holds the card holder); 0 without a group.
int manual_member_limit(const forms::Template& t);

// Waiting time as the queue shows it: "m:ss" under an hour, "h:mm:ss" above.
std::string waiting_text(std::int64_t seconds);

}  // namespace kakanai::kiosk::staff
