// Table tests of the counter staff station's flow: every screen x every event,
// then the paths a clerk takes.
#include <gtest/gtest.h>

#include "i18n.hpp"
#include "staff_flow.hpp"
#include "test_support.hpp"

using namespace kakanai::kiosk::staff;
namespace st = kakanai::store;

namespace {

Settings settings() {
    Settings s;
    s.staff_ids = {"tanaka", "suzuki"};
    s.lock_after_s = 120;
    s.printers = {"counter-1", "counter-2"};
    return s;
}

st::Application application(st::State state = st::State::Submitted) {
    st::Application a;
    a.id = "A-0001";
    a.template_id = "juminhyo";
    a.template_version = 1;
    a.state = state;
    a.taken_by = "tanaka";
    a.fields = {{"name", "番号 花子", "card"}, {"copies", "1", "answer"}};
    return a;
}

st::PrintJob job(std::int64_t id, st::PrintStatus status, std::string printer = "counter-1") {
    st::PrintJob j;
    j.id = id;
    j.application_id = "A-0001";
    j.printer = std::move(printer);
    j.status = status;
    return j;
}

State logged_in() {
    State s;
    s.settings = settings();
    s.staff = "tanaka";
    s.screen = Screen::Queue;
    return s;
}

State reviewing(st::State state = st::State::Submitted) {
    State s = logged_in();
    s = next(s, ev::Opened{application(state), {}, {}}).state;
    return s;
}

template <class C>
const C* find(const Transition& t) {
    for (const auto& c : t.commands)
        if (const auto* p = std::get_if<C>(&c)) return p;
    return nullptr;
}

std::vector<Event> every_event() {
    return {ev::LoginSubmit{"tanaka", "9876"},
            ev::LoginResult{"tanaka", true},
            ev::Logout{},
            ev::Idle{500},
            ev::Tick{},
            ev::QueueLoaded{{}, {}},
            ev::Open{"A-0001"},
            ev::Opened{application(), {}, {}},
            ev::Failed{"desk.store_failed", ""},
            ev::Back{},
            ev::EditField{"name"},
            ev::SaveCorrection{"番号 花子", "misread"},
            ev::ConfirmPrint{},
            ev::PrintUpdate{job(1, st::PrintStatus::Sent), ""},
            ev::Retry{"counter-2"},
            ev::StartCancel{},
            ev::CancelSubmit{"withdrawn"},
            ev::StartReprint{},
            ev::ReprintSubmit{"torn"},
            ev::Closed{"desk.cancelled"},
            ev::StartManual{},
            ev::ChooseTemplate{"juminhyo"},
            ev::ManualSubmit{{{"name", "x"}, {"address", "y"}, {"birth_date", "1980-01-01"}, {"sex", "female"}}},
            ev::ResolveJob{1, false},
            ev::CardNeeded{},
            ev::CardPrint{"5678"},
            ev::StationStatus{true},
            ev::CallsLoaded{{st::StaffCall{7, "kiosk-1", "no_card", 1000, 0, ""}}},
            ev::AcknowledgeCalls{{7}},
            ev::PrintGuide{"2026-12-02", 105},
            ev::GuidePrinted{105, true, ""},
            ev::AddMember{3},
            ev::RemoveMember{1}};
}

State on(Screen screen) {
    State s = screen == Screen::Login ? State{} : reviewing();
    s.settings = settings();
    s.screen = screen;
    if (screen == Screen::Print) s.print = PrintView{1, st::PrintStatus::Failed, "counter-1", "jam", false, false};
    if (screen == Screen::Queue) s.app.reset();
    return s;
}

}  // namespace

// No combination throws, leaves a personal value on the login screen, or
// leaves the station logged out anywhere but the login screen.
TEST(StaffFlow, EveryScreenTimesEveryEvent) {
    for (int i = 0; i < kScreenCount; ++i) {
        const auto screen = static_cast<Screen>(i);
        for (const auto& e : every_event()) {
            Transition t;
            ASSERT_NO_THROW(t = next(on(screen), e)) << to_string(screen) << " " << event_name(e);
            if (t.state.screen == Screen::Login) {
                EXPECT_FALSE(t.state.holds_personal_data()) << to_string(screen) << " " << event_name(e);
            } else {
                EXPECT_FALSE(t.state.staff.empty()) << to_string(screen) << " " << event_name(e);
            }
            // Nothing personal but the entered values leaves through a command when logged out.
            if (t.state.staff.empty()) {
                for (const auto& c : t.commands) {
                    // Calls and the lease's heartbeat carry nothing personal either.
                    EXPECT_TRUE(std::holds_alternative<cmd::CheckLogin>(c) || std::holds_alternative<cmd::Release>(c) ||
                                std::holds_alternative<cmd::Heartbeat>(c) ||
                                std::holds_alternative<cmd::AcknowledgeCalls>(c))
                        << to_string(screen) << " " << event_name(e);
                }
            }
        }
    }
}

TEST(StaffFlow, LoginChecksTheCodeAndShowsAFailure) {
    State s;
    s.settings = settings();
    auto t = next(s, ev::LoginSubmit{"nobody", "1"});
    EXPECT_TRUE(t.commands.empty());
    EXPECT_EQ(t.state.message_key, "desk.login_choose");
    t = next(s, ev::LoginSubmit{"tanaka", ""});
    EXPECT_EQ(t.state.message_key, "desk.login_code_required");
    t = next(s, ev::LoginSubmit{"tanaka", "9876"});
    const auto* check = find<cmd::CheckLogin>(t);
    ASSERT_NE(check, nullptr);
    EXPECT_EQ(check->staff, "tanaka");
    EXPECT_TRUE(t.state.checking);
    st::LoginOutcome wrong;
    wrong.tries_left = 3;
    auto failed = next(t.state, ev::LoginResult{"tanaka", false, wrong, 0});
    EXPECT_EQ(failed.state.screen, Screen::Login);
    EXPECT_EQ(failed.state.message_key, "desk.login_failed_left");
    EXPECT_EQ(failed.state.message_arg, "3");
    EXPECT_TRUE(failed.state.message_is_error);
    EXPECT_TRUE(failed.state.staff.empty());
    auto ok = next(t.state, ev::LoginResult{"tanaka", true});
    EXPECT_EQ(ok.state.screen, Screen::Queue);
    EXPECT_EQ(ok.state.staff, "tanaka");
    EXPECT_NE(find<cmd::LoadQueue>(ok), nullptr);
}

TEST(StaffFlow, LockedIdAndLockedStationAreShown) {
    State s;
    s.settings.staff_ids = {"tanaka", "suzuki"};
    auto t = next(s, ev::LoginSubmit{"tanaka", "987654"});
    st::LoginOutcome locked;
    locked.result = st::LoginOutcome::Result::StaffLocked;
    locked.locked_until = 1'000'000 + 4 * 60 + 1;
    auto r = next(t.state, ev::LoginResult{"tanaka", false, locked, 1'000'000});
    EXPECT_EQ(r.state.screen, Screen::Login);
    EXPECT_EQ(r.state.message_key, "desk.login_locked");
    EXPECT_EQ(r.state.message_arg, "5");  // minutes left, rounded up
    EXPECT_FALSE(r.state.station_locked);
    // The station locked: the login screen becomes its unlock screen until someone logs in.
    st::LoginOutcome station;
    station.result = st::LoginOutcome::Result::StationLocked;
    station.station_locked = true;
    r = next(t.state, ev::LoginResult{"tanaka", false, station, 1'000'000});
    EXPECT_EQ(r.state.message_key, "desk.station_locked");
    EXPECT_TRUE(r.state.station_locked);
    t = next(r.state, ev::LoginSubmit{"suzuki", "123456"});
    ASSERT_NE(find<cmd::CheckLogin>(t), nullptr);
    r = next(t.state, ev::LoginResult{"suzuki", true});
    EXPECT_EQ(r.state.screen, Screen::Queue);
    EXPECT_FALSE(r.state.station_locked);
    // After a restart the station asks the store.
    auto restarted = next(State{}, ev::StationStatus{true});
    EXPECT_TRUE(restarted.state.station_locked);
    EXPECT_EQ(restarted.state.message_key, "desk.station_locked");
}

TEST(StaffFlow, IdleLocksAndGivesTheApplicationBack) {
    State s = reviewing();
    auto t = next(s, ev::Idle{119});
    EXPECT_TRUE(t.ignored);
    EXPECT_EQ(t.state.screen, Screen::Review);
    t = next(s, ev::Idle{120});
    EXPECT_EQ(t.state.screen, Screen::Login);
    EXPECT_FALSE(t.state.holds_personal_data());
    EXPECT_TRUE(t.state.staff.empty());
    EXPECT_EQ(t.state.message_key, "desk.locked_idle");
    const auto* release = find<cmd::Release>(t);
    ASSERT_NE(release, nullptr);
    EXPECT_EQ(release->id, "A-0001");
    // A confirmed one is not held by anyone: nothing to release.
    t = next(reviewing(st::State::Confirmed), ev::Idle{600});
    EXPECT_EQ(find<cmd::Release>(t), nullptr);
    EXPECT_EQ(t.state.screen, Screen::Login);
}

TEST(StaffFlow, QueueOpensAndBackReleases) {
    State s = logged_in();
    auto t = next(s, ev::Open{""});
    ASSERT_NE(find<cmd::Take>(t), nullptr);
    EXPECT_TRUE(find<cmd::Take>(t)->id.empty());
    EXPECT_TRUE(next(t.state, ev::Open{"A-0002"}).ignored);  // one at a time
    t = next(t.state, ev::Opened{application(), {"kana"}, {}});
    EXPECT_EQ(t.state.screen, Screen::Review);
    EXPECT_FALSE(t.state.checking);
    EXPECT_FALSE(t.state.can_confirm());  // a field still needs staff
    t = next(t.state, ev::Back{});
    EXPECT_EQ(t.state.screen, Screen::Queue);
    EXPECT_FALSE(t.state.holds_personal_data());
    EXPECT_NE(find<cmd::Release>(t), nullptr);
    EXPECT_NE(find<cmd::LoadQueue>(t), nullptr);
    // The queue refreshes on the clock only on the queue screen.
    EXPECT_NE(find<cmd::LoadQueue>(next(t.state, ev::Tick{})), nullptr);
    EXPECT_EQ(find<cmd::LoadQueue>(next(reviewing(), ev::Tick{})), nullptr);
}

TEST(StaffFlow, CorrectionNeedsAReason) {
    State s = next(reviewing(), ev::EditField{"name"}).state;
    EXPECT_EQ(s.screen, Screen::Correct);
    EXPECT_EQ(s.field, "name");
    auto t = next(s, ev::SaveCorrection{"番号 華子", "  "});
    EXPECT_TRUE(t.commands.empty());
    EXPECT_EQ(t.state.message_key, "desk.reason_required");
    // A reason is a code; free text is not one.
    t = next(s, ev::SaveCorrection{"番号 華子", "card misread"});
    EXPECT_TRUE(t.commands.empty());
    EXPECT_EQ(t.state.message_key, "desk.reason_required");
    // A note holding the old or the new value is refused before it reaches the store.
    for (const char* note : {"was 番号 花子", "now 番号 華子", "華子に訂正"}) {
        t = next(s, ev::SaveCorrection{"番号 華子", "misread", note});
        EXPECT_TRUE(t.commands.empty()) << note;
        EXPECT_EQ(t.state.message_key, "desk.note_refused") << note;
    }
    t = next(s, ev::SaveCorrection{"番号 華子", "misread", "ICで再読取"});
    const auto* c = find<cmd::Correct>(t);
    ASSERT_NE(c, nullptr);
    EXPECT_EQ(c->field, "name");
    EXPECT_EQ(c->reason.code, "misread");
    EXPECT_EQ(c->reason.note, "ICで再読取");
    t = next(t.state, ev::Opened{application(), {}, {}});
    EXPECT_EQ(t.state.screen, Screen::Review);
    EXPECT_EQ(t.state.message_key, "desk.corrected");
    // A confirmed application is not corrected any more.
    t = next(reviewing(st::State::Confirmed), ev::EditField{"name"});
    EXPECT_EQ(t.state.screen, Screen::Review);
    EXPECT_EQ(t.state.message_key, "desk.correct_only_submitted");
}

TEST(StaffFlow, PrintFailureShowsTheReasonAndCanBeRetriedElsewhere) {
    auto t = next(reviewing(), ev::ConfirmPrint{});
    EXPECT_EQ(t.state.screen, Screen::Print);
    const auto* p = find<cmd::Print>(t);
    ASSERT_NE(p, nullptr);
    EXPECT_TRUE(p->confirm);
    EXPECT_EQ(p->printer, "counter-1");
    EXPECT_TRUE(t.state.print.busy);
    EXPECT_TRUE(next(t.state, ev::Back{}).ignored);  // not while it is being sent
    t = next(t.state, ev::PrintUpdate{job(7, st::PrintStatus::Sent), ""});
    EXPECT_EQ(t.state.app->state, st::State::Confirmed);
    EXPECT_NE(find<cmd::PollPrint>(next(t.state, ev::Tick{})), nullptr);
    auto leave = next(t.state, ev::Back{});  // a slow printer does not hold the next resident
    EXPECT_EQ(leave.state.screen, Screen::Queue);
    EXPECT_EQ(leave.state.message_key, "desk.print_followed");
    EXPECT_FALSE(leave.state.holds_personal_data());
    t = next(t.state, ev::PrintUpdate{job(7, st::PrintStatus::Failed), "Paper jam"});
    EXPECT_EQ(t.state.print.status, st::PrintStatus::Failed);
    EXPECT_EQ(t.state.print.reason, "Paper jam");
    EXPECT_EQ(find<cmd::PollPrint>(next(t.state, ev::Tick{})), nullptr);
    auto back = next(t.state, ev::Back{});  // the application stays open and confirmed
    EXPECT_EQ(back.state.screen, Screen::Review);
    EXPECT_TRUE(back.state.can_confirm());
    EXPECT_FALSE(back.state.can_reprint());
    auto retry = next(t.state, ev::Retry{"counter-2"});
    p = find<cmd::Print>(retry);
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(p->printer, "counter-2");
    EXPECT_FALSE(p->confirm);
    retry = next(retry.state, ev::PrintUpdate{job(8, st::PrintStatus::Done, "counter-2"), ""});
    EXPECT_EQ(retry.state.app->state, st::State::Printed);
    EXPECT_TRUE(retry.state.can_reprint());
    EXPECT_FALSE(retry.state.can_confirm());
    auto done = next(retry.state, ev::Back{});
    EXPECT_EQ(done.state.screen, Screen::Queue);
    EXPECT_FALSE(done.state.holds_personal_data());
    EXPECT_EQ(find<cmd::Release>(done), nullptr);
}

TEST(StaffFlow, ReprintAndCancelNeedAReason) {
    State printed = logged_in();
    printed = next(printed, ev::Opened{application(st::State::Printed), {}, {job(3, st::PrintStatus::Done)}}).state;
    EXPECT_TRUE(next(printed, ev::ConfirmPrint{}).commands.empty());
    auto t = next(printed, ev::StartReprint{});
    EXPECT_EQ(t.state.screen, Screen::Reprint);
    EXPECT_TRUE(next(t.state, ev::ReprintSubmit{""}).commands.empty());
    EXPECT_TRUE(next(t.state, ev::ReprintSubmit{"torn in the tray"}).commands.empty());  // not a code
    EXPECT_TRUE(next(t.state, ev::ReprintSubmit{"withdrawn"}).commands.empty());         // a cancel code
    t = next(t.state, ev::ReprintSubmit{"torn", "  "});
    const auto* p = find<cmd::Print>(t);
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(p->reprint.code, "torn");
    EXPECT_EQ(p->reprint.note, "");  // a blank note is none
    EXPECT_TRUE(t.state.print.reprint);
    EXPECT_EQ(next(printed, ev::StartCancel{}).state.message_key, "desk.cannot_cancel");

    t = next(reviewing(), ev::StartCancel{});
    EXPECT_EQ(t.state.screen, Screen::Cancel);
    EXPECT_EQ(next(t.state, ev::CancelSubmit{""}).state.message_key, "desk.reason_required");
    EXPECT_EQ(next(t.state, ev::CancelSubmit{"番号 花子 (1980-02-17) asked to cancel"}).state.message_key,
              "desk.reason_required");
    EXPECT_EQ(next(t.state, ev::CancelSubmit{"withdrawn", "花子さんが取り下げ"}).state.message_key, "desk.note_refused");
    t = next(t.state, ev::CancelSubmit{"withdrawn", "後日来庁"});
    ASSERT_NE(find<cmd::Cancel>(t), nullptr);
    EXPECT_EQ(find<cmd::Cancel>(t)->reason.code, "withdrawn");
    EXPECT_EQ(find<cmd::Cancel>(t)->reason.note, "後日来庁");
    t = next(t.state, ev::Closed{"desk.cancelled"});
    EXPECT_EQ(t.state.screen, Screen::Queue);
    EXPECT_EQ(t.state.message_key, "desk.cancelled");
    EXPECT_FALSE(t.state.holds_personal_data());
}

TEST(StaffFlow, ManualEntryNeedsAFormAndTheFourFacts) {
    auto t = next(logged_in(), ev::StartManual{});
    EXPECT_EQ(t.state.screen, Screen::Manual);
    std::map<std::string, std::string> v{{"name", "手入 力"}, {"address", "東京都"}, {"birth_date", "1950-04-01"}};
    EXPECT_EQ(next(t.state, ev::ManualSubmit{v}).state.message_key, "desk.manual_choose_form");
    t = next(t.state, ev::ChooseTemplate{"juminhyo"});
    EXPECT_EQ(next(t.state, ev::ManualSubmit{v}).state.message_key, "desk.manual_missing");
    v["sex"] = "female";
    auto sent = next(t.state, ev::ManualSubmit{v});
    const auto* m = find<cmd::SubmitManual>(sent);
    ASSERT_NE(m, nullptr);
    EXPECT_EQ(m->template_id, "juminhyo");
    EXPECT_EQ(m->values.at("name"), "手入 力");
    auto back = next(t.state, ev::Back{});
    EXPECT_EQ(back.state.screen, Screen::Queue);
}

TEST(StaffFlow, UnfinishedJobsAreShownAndResolvedByStaff) {
    auto t = next(logged_in(), ev::QueueLoaded{{}, {job(5, st::PrintStatus::Sent)}});
    ASSERT_EQ(t.state.unfinished.size(), 1u);
    t = next(t.state, ev::ResolveJob{5, true});
    const auto* r = find<cmd::ResolveJob>(t);
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(r->job, 5);
    EXPECT_TRUE(r->printed);
}

// A form that prints the 個人番号: the card is asked for at print time, the
// PIN travels only in the command, and a bad PIN shape is refused here.
TEST(StaffFlow, MyNumberFormAsksForTheCardAtPrintTime) {
    auto t = next(reviewing(), ev::ConfirmPrint{});
    t = next(t.state, ev::CardNeeded{});
    EXPECT_TRUE(t.state.print.needs_card);
    EXPECT_FALSE(t.state.print.busy);
    EXPECT_EQ(t.state.app->state, st::State::Confirmed);
    EXPECT_EQ(next(t.state, ev::CardPrint{"12a4"}).state.message_key, "desk.card_pin_digits");
    auto read = next(t.state, ev::CardPrint{"5678"});
    const auto* p = find<cmd::Print>(read);
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(p->pin, "5678");
    EXPECT_FALSE(p->confirm);
    EXPECT_TRUE(read.state.print.busy);
    auto back = next(t.state, ev::Back{});  // no card at hand: the application stays confirmed
    EXPECT_EQ(back.state.screen, Screen::Review);
    EXPECT_TRUE(back.state.can_confirm());
}

TEST(StaffFlow, WaitingTime) {
    EXPECT_EQ(waiting_text(0), "0:00");
    EXPECT_EQ(waiting_text(187), "3:07");
    EXPECT_EQ(waiting_text(3599), "59:59");
    EXPECT_EQ(waiting_text(3600 + 3 * 60 + 7), "1:03:07");
    EXPECT_EQ(waiting_text(-5), "0:00");
}

// The review says in plain words how far the card's data was checked: verified
// (the issuing CA checked) and consistent (not) are different lines, typed
// applications have none, and an unknown result is never shown as verified.
TEST(StaffFlow, ReviewNamesTheCardsAuthenticityInPlainWords) {
    st::Application a = application();
    a.card_read = true;
    a.authenticity = "verified";
    EXPECT_EQ(authenticity_key(a), "desk.auth_verified");
    a.authenticity = "consistent";
    EXPECT_EQ(authenticity_key(a), "desk.auth_consistent");
    for (const char* other : {"", "hash_mismatch", "not_checked"}) {
        a.authenticity = other;
        EXPECT_EQ(authenticity_key(a), "desk.auth_none") << other;
    }
    a.card_read = false;
    a.authenticity.clear();
    EXPECT_EQ(authenticity_key(a), "");
}

// Calls from the kiosks reach the station on every screen, the locked one too;
// every tick asks the desk for them (and renews the held application's lease).
TEST(StaffFlow, CallsAndTheHeartbeatRunOnEveryScreenLockedOrNot) {
    for (const State& s : {State{}, logged_in(), reviewing()}) {
        auto t = next(s, ev::Tick{});
        EXPECT_NE(find<cmd::Heartbeat>(t), nullptr) << to_string(s.screen);
        EXPECT_FALSE(t.ignored);
        t = next(s, ev::CallsLoaded{{st::StaffCall{9, "kiosk-2", "help", 1005, 0, ""},
                                     st::StaffCall{7, "kiosk-1", "no_card", 1000, 0, ""}}});
        ASSERT_EQ(t.state.calls.size(), 2u);
        EXPECT_EQ(t.state.screen, s.screen);
        t = next(t.state, ev::AcknowledgeCalls{{7}});
        const auto* ack = find<cmd::AcknowledgeCalls>(t);
        ASSERT_NE(ack, nullptr);
        EXPECT_EQ(ack->ids, std::vector<std::int64_t>{7});
        ASSERT_EQ(t.state.calls.size(), 1u);  // gone from the screen at once
        EXPECT_EQ(t.state.calls[0].kiosk, "kiosk-2");
        EXPECT_EQ(t.state.screen, s.screen);
        EXPECT_TRUE(next(t.state, ev::AcknowledgeCalls{{}}).ignored);
    }
}

// ---- Households (issue 17): a member entered at a kiosk without a card has 続柄,
// 生年月日 and 性別 but no name; staff type it at the counter before confirming.

namespace {

namespace fm = kakanai::forms;

fm::Field member_field_of(const std::string& id, const std::string& key) {
    fm::Field f;
    f.id = id;
    f.source = fm::Source::Member;
    f.source_key = key;
    return f;
}

fm::Template household_template(int max = 4, bool holder = true) {
    fm::Template t;
    t.id = "tennyu";
    fm::Group g;
    g.id = "persons";
    g.max = max;
    g.holder = holder;
    g.fields = {member_field_of("name", "name"), member_field_of("kana", "kana"),
                member_field_of("birth_date", "birth_date"), member_field_of("relationship", "relationship")};
    t.groups.push_back(g);
    return t;
}

st::Application household_application() {
    st::Application a = application();
    a.template_id = "tennyu";
    a.fields = {{"applicant_name", "番号 花子", "card"},
                {"persons.1.name", "番号 花子", "card"},       {"persons.1.relationship", "head", "answer"},
                {"persons.2.name", "番号 太郎", "card"},       {"persons.2.relationship", "spouse", "answer"},
                {"persons.3.name", "", "empty"},               {"persons.3.kana", "", "empty"},
                {"persons.3.birth_date", "2018-05-05", "answer"}, {"persons.3.relationship", "child", "answer"},
                {"persons.4.name", "\xE3\x80\x80", "answer"},   {"persons.4.relationship", "child", "answer"},
                {"persons.5.name", "", "empty"},               {"persons.5.kana", "", "empty"}};
    return a;
}

}  // namespace

// A row with 続柄 or 生年月日 but no name (an ideographic space is no name) is a
// member without a card; a row with nothing at all is not, nor any form field.
TEST(StaffFlow, MembersWithoutACardAreTheRowsWithFactsButNoName) {
    EXPECT_EQ(unnamed_members(household_template(), household_application()),
              (std::vector<std::string>{"persons.3.name", "persons.4.name"}));
    st::Application named = household_application();
    for (auto& f : named.fields)
        if (f.id == "persons.3.name" || f.id == "persons.4.name") f.value = "番号 一郎";
    EXPECT_TRUE(unnamed_members(household_template(), named).empty());
    EXPECT_TRUE(unnamed_members(fm::Template{}, household_application()).empty());  // a form without a group
}

// Confirming is refused, with its own words, while such a row has no name; once
// staff typed it (a correction, which opens the application again) it prints.
TEST(StaffFlow, ConfirmWaitsForTheNameOfAMemberWithoutACard) {
    const st::Application a = household_application();
    State s = next(logged_in(), ev::Opened{a, {"persons.3.name"}, {}, unnamed_members(household_template(), a)}).state;
    ASSERT_EQ(s.unnamed.size(), 2u);
    auto t = next(s, ev::ConfirmPrint{});
    EXPECT_TRUE(t.commands.empty());
    EXPECT_EQ(t.state.screen, Screen::Review);
    EXPECT_EQ(t.state.message_key, "desk.member_name_missing");
    EXPECT_TRUE(t.state.message_is_error);
    kakanai::kiosk::Strings text(kakanai::test::source_dir() / "assets/i18n");
    EXPECT_EQ(text.get_in("ja", t.state.message_key),
              "カードのない家族のお名前が未入力のため確認できません。氏名とフリガナを入力してください");
    EXPECT_EQ(text.get_in("ja", "desk.member_no_card"), "カードのない家族: 窓口でお名前を入力してください");

    // The name is typed like any correction: with a reason code, origin "staff".
    t = next(t.state, ev::EditField{"persons.3.name"});
    ASSERT_EQ(t.state.screen, Screen::Correct);
    t = next(t.state, ev::SaveCorrection{"番号 一郎", "missing"});
    const auto* c = find<cmd::Correct>(t);
    ASSERT_NE(c, nullptr);
    EXPECT_EQ(c->field, "persons.3.name");
    EXPECT_EQ(c->reason.code, "missing");

    st::Application named = a;
    for (auto& f : named.fields)
        if (f.id == "persons.3.name" || f.id == "persons.4.name") f = {f.id, "番号 一郎", "staff"};
    t = next(t.state, ev::Opened{named, {}, {}, unnamed_members(household_template(), named)});
    EXPECT_TRUE(t.state.unnamed.empty());
    t = next(t.state, ev::ConfirmPrint{});
    const auto* p = find<cmd::Print>(t);
    ASSERT_NE(p, nullptr);
    EXPECT_TRUE(p->confirm);
    // Leaving the application forgets its rows.
    EXPECT_TRUE(next(s, ev::Back{}).state.unnamed.empty());
}

// Manual entry: family members are added up to the rows the form has beside the
// resident's own, removed by their slot, and each needs a name and a birth date.
TEST(StaffFlow, ManualEntryAddsFamilyMembersUpToTheGroupsRows) {
    EXPECT_EQ(manual_member_limit(household_template(4, true)), 3);
    EXPECT_EQ(manual_member_limit(household_template(4, false)), 4);
    EXPECT_EQ(manual_member_limit(fm::Template{}), 0);

    State s = next(logged_in(), ev::StartManual{}).state;
    EXPECT_TRUE(next(s, ev::AddMember{3}).ignored);  // no form chosen yet
    s = next(s, ev::ChooseTemplate{"tennyu"}).state;
    for (int i = 0; i < 3; ++i) s = next(s, ev::AddMember{3}).state;
    EXPECT_EQ(s.manual_members, (std::vector<int>{1, 2, 3}));
    auto t = next(s, ev::AddMember{3});
    EXPECT_EQ(t.state.manual_members.size(), 3u);
    EXPECT_EQ(t.state.message_key, "desk.manual_members_full");
    s = next(t.state, ev::RemoveMember{2}).state;
    EXPECT_EQ(s.manual_members, (std::vector<int>{1, 3}));
    EXPECT_TRUE(next(s, ev::RemoveMember{2}).ignored);
    s = next(s, ev::AddMember{3}).state;
    EXPECT_EQ(s.manual_members, (std::vector<int>{1, 3, 4}));  // a new slot: no old drafts reappear

    std::map<std::string, std::string> values{{"name", "手書 太郎"}, {"address", "東京都"}, {"birth_date", "1950-04-01"},
                                              {"sex", "male"}};
    for (int n = 1; n <= 3; ++n) {
        values["member." + std::to_string(n) + ".name"] = "手書 " + std::to_string(n);
        values["member." + std::to_string(n) + ".birth_date"] = "2010-01-01";
    }
    values["member.2.name"] = " ";
    t = next(s, ev::ManualSubmit{values});
    EXPECT_TRUE(t.commands.empty());
    EXPECT_EQ(t.state.message_key, "desk.manual_member_missing");
    values["member.2.name"] = "手書 二郎";
    t = next(s, ev::ManualSubmit{values});
    const auto* m = find<cmd::SubmitManual>(t);
    ASSERT_NE(m, nullptr);
    EXPECT_EQ(m->values.at("member.2.name"), "手書 二郎");

    // Another form has other rows; leaving forgets them.
    EXPECT_TRUE(next(s, ev::ChooseTemplate{"kokuho_shutoku"}).state.manual_members.empty());
    EXPECT_EQ(next(s, ev::ChooseTemplate{"tennyu"}).state.manual_members.size(), 3u);
    EXPECT_TRUE(next(s, ev::Back{}).state.manual_members.empty());
}
