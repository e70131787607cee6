// Table tests of the resident's flow: every screen x every event.
#include <gtest/gtest.h>

#include <chrono>
#include <map>

#include "flow.hpp"

using namespace kakanai::kiosk;
using kakanai::cardreader::CardErrorKind;
using kakanai::cardreader::CardInfo;

namespace {

CardInfo resident() {
    CardInfo c;
    c.name = "番号 花子";
    c.address = "東京都千代田区";
    c.birth_date = "1980-02-17";
    c.authenticity = kakanai::cardreader::Authenticity::Consistent;
    return c;
}

Errand errand() {
    Errand e;
    e.id = "certificates";
    e.template_ids = {"juminhyo"};
    e.questions = {{"scope", "choice", {"self", "household"}, "self", true},
                   {"copies", "number", {}, "1", true}};
    return e;
}

// 住民票 as errands.cpp builds it: the phone on its own screen, the rest grouped
// with their defaults; the relationship only when the record is not the resident's own.
Errand needs_errand() {
    using kakanai::forms::Condition;
    Errand e;
    e.id = "form:juminhyo";
    e.template_ids = {"juminhyo"};
    auto q = [](std::string id, std::string kind, std::vector<std::string> choices, std::string def, bool grouped) {
        QuestionSpec s{std::move(id), std::move(kind), std::move(choices), std::move(def), true};
        s.grouped = grouped;
        s.form = "juminhyo";
        return s;
    };
    e.questions = {q("applicant_phone", "digits", {}, "", false), q("scope", "choice", {"self", "household", "part"}, "self", true),
                   q("copies", "number", {}, "1", true), q("relation_to_applicant", "choice", {"self", "child"}, "self", true),
                   q("include_honseki", "yes_no", {}, "false", true)};
    e.questions[0].required = false;
    e.when = {{}, {}, {}, {Condition::parse("answers.scope in ['part']"), {}}, {}};
    return e;
}

// 引っ越し（町外から） as errands.cpp builds it for a household: 国保 取得 asks
// 勤務先の健康保険 of the holder and, through its [[group]], of each member.
Errand household_errand() {
    using kakanai::forms::Condition;
    Errand e;
    e.id = "moving_in";
    e.template_ids = {"tennyu", "kokuho_shutoku"};
    QuestionSpec ins{"employer_insurance", "choice", {"yes", "no"}, "", true};
    ins.form = "kokuho_shutoku";
    ins.per_member = true;
    QuestionSpec phone{"applicant_phone", "digits", {}, "", false};
    phone.form = "tennyu";
    e.questions = {ins, phone};
    e.when = {{{}, {Condition::parse("answers.employer_insurance == 'no'")}, {Condition::parse("answers.employer_insurance == 'no'")}},
              {}};
    e.member_max = 5;
    return e;
}

CardInfo spouse() {
    CardInfo c;
    c.name = "番号 太郎";
    c.address = "東京都千代田区";
    c.birth_date = "1978-06-01";
    c.sex = kakanai::cardreader::Sex::Male;
    c.authenticity = kakanai::cardreader::Authenticity::Consistent;
    return c;
}

kakanai::forms::FilledForm filled() {
    kakanai::forms::FilledForm f;
    f.template_id = "juminhyo";
    f.fields = {{"applicant_name", "番号 花子", "番号 花子", kakanai::forms::Origin::Card}};
    return f;
}

struct Steps {
    State state;
    std::vector<Command> commands;
    int ignored = 0;
};

Steps run(State s, const std::vector<Event>& events) {
    Steps r;
    for (const auto& e : events) {
        auto t = next(std::move(s), e);
        s = std::move(t.state);
        r.ignored += t.ignored ? 1 : 0;
        r.commands.insert(r.commands.end(), t.commands.begin(), t.commands.end());
    }
    r.state = std::move(s);
    return r;
}
Steps run(const std::vector<Event>& events) { return run(State{}, events); }

std::vector<Event> path_to(Screen target) {
    std::vector<Event> e = {ev::ReaderReady{true}};
    auto add = [&](std::vector<Event> more) { e.insert(e.end(), more.begin(), more.end()); };
    switch (target) {
        case Screen::Welcome: return e;
        case Screen::Staff: add({ev::NoCard{}}); return e;
        default: break;
    }
    add({ev::Start{}});
    if (target == Screen::Errand) return e;
    add({ev::ChooseErrand{errand()}});
    if (target == Screen::PlaceCard) return e;
    add({ev::CardInserted{"r"}});
    if (target == Screen::Pin) return e;
    add({ev::PinDigit{'1'}, ev::PinDigit{'2'}, ev::PinDigit{'3'}, ev::PinDigit{'4'}});  // the 4th sends it
    if (target == Screen::Reading) return e;
    if (target == Screen::Error) {
        add({ev::ReadFailed{CardErrorKind::Transmit, -1}});
        return e;
    }
    if (target == Screen::CardRefused) {
        add({ev::CardRefused{kakanai::cardreader::Authenticity::HashMismatch}});
        return e;
    }
    add({ev::ReadOk{resident()}});
    if (target == Screen::Confirm) return e;
    if (target == Screen::Household || target == Screen::MemberCard || target == Screen::Member) {
        e[2] = ev::ChooseErrand{household_errand()};
        add({ev::ConfirmYes{}});
        if (target == Screen::MemberCard) add({ev::AddMember{true}});
        if (target == Screen::Member) add({ev::AddMember{false}});
        return e;
    }
    if (target == Screen::Needs) {
        // A certificate errand: its usual choices are grouped on the needs screen.
        e[2] = ev::ChooseErrand{needs_errand()};
        add({ev::ConfirmYes{}});
        return e;
    }
    add({ev::ConfirmYes{}});
    if (target == Screen::Question) return e;
    add({ev::Answer{"household"}, ev::Answer{"2"}, ev::FormsFilled{{filled()}}});
    if (target == Screen::Review) return e;
    if (target == Screen::Preview) {
        add({ev::ShowPreview{0}});
        return e;
    }
    add({ev::Submitted{{"A-0001"}, 105, "2026-12-02", {{"juminhyo", 2}}}});
    return e;  // Done
}

// One sample of every event kind, in the variant's order.
std::vector<Event> every_event() {
    return {ev::ReaderReady{true},
            ev::Start{},
            ev::ChooseErrand{errand()},
            ev::CardInserted{"r"},
            ev::CardRemoved{},
            ev::PinDigit{'7'},
            ev::PinClear{},
            ev::PinSubmit{},
            ev::TryLastPin{},
            ev::ReadOk{resident()},
            ev::ReadFailed{CardErrorKind::Transmit, -1},
            ev::ConfirmYes{},
            ev::ConfirmNo{},
            ev::Answer{"self"},
            ev::FormsFilled{{filled()}},
            ev::ShowPreview{0},
            ev::Submit{},
            ev::Submitted{{"A-0002"}, 0, {}, {}},
            ev::SubmitFailed{"error.print_failed", {}},
            ev::Rate{4},
            ev::Finish{},
            ev::NoCard{},
            ev::CallStaff{},
            ev::Back{},
            ev::Cancel{},
            ev::SetLanguage{"en"},
            ev::ToggleLargeText{},
            ev::ToggleHighContrast{},
            ev::Idle{90},
            ev::StillHere{},
            ev::ShowForms{true},
            ev::CardRefused{kakanai::cardreader::Authenticity::SignatureInvalid},
            ev::CallUpdate{CallStatus::Coming},
            ev::ChangeAnswer{1, "household"},
            ev::AcceptNeeds{},
            ev::Revise{0},
            ev::AddMember{true},
            ev::RemoveMember{0},
            ev::HouseholdDone{}};
}

using S = Screen;
// Accepted (screen, event) pairs and where they lead; every other pair must be
// ignored and leave the screen as it was.
const std::map<S, std::map<std::string, S>> kAccepted = {
    {S::Welcome, {{"Start", S::Errand}, {"CardInserted", S::Welcome}, {"CardRemoved", S::Welcome},
                  {"NoCard", S::Staff}}},
    {S::Errand, {{"ShowForms", S::Errand}, {"ChooseErrand", S::PlaceCard}, {"CardInserted", S::Errand}, {"CardRemoved", S::Errand},
                 {"NoCard", S::Staff}, {"Back", S::Welcome}, {"Idle", S::Welcome}}},
    {S::PlaceCard, {{"CardInserted", S::Pin}, {"NoCard", S::Staff}, {"Back", S::Errand}, {"Idle", S::Welcome}}},
    {S::Needs, {{"CardRemoved", S::Error}, {"ChangeAnswer", S::Needs}, {"AcceptNeeds", S::Question},
                {"Back", S::Confirm}, {"Idle", S::Welcome}}},
    {S::Pin, {{"CardRemoved", S::Error}, {"PinDigit", S::Pin}, {"PinClear", S::Pin}, {"NoCard", S::Staff},
              {"Back", S::Errand}, {"Idle", S::Welcome}}},
    {S::Reading, {{"CardRemoved", S::Error}, {"ReadOk", S::Confirm}, {"ReadFailed", S::Error},
                  {"CardRefused", S::CardRefused}}},
    {S::Confirm, {{"CardRemoved", S::Error}, {"ConfirmYes", S::Question}, {"ConfirmNo", S::Staff},
                  {"Back", S::Errand}, {"Idle", S::Welcome}}},
    {S::Question, {{"CardRemoved", S::Error}, {"Answer", S::Question}, {"Back", S::Confirm}, {"Idle", S::Welcome}}},
    {S::Review, {{"CardRemoved", S::Error}, {"ShowPreview", S::Preview}, {"Submit", S::Review}, {"Revise", S::Question},
                 {"Submitted", S::Done}, {"SubmitFailed", S::Error}, {"Back", S::Question}, {"Idle", S::Welcome}}},
    {S::Preview, {{"CardRemoved", S::Error}, {"ShowPreview", S::Preview}, {"Back", S::Review}, {"Idle", S::Welcome}}},
    {S::Done, {{"CardRemoved", S::Done}, {"Rate", S::Done}, {"Finish", S::Welcome}, {"Idle", S::Welcome}}},
    {S::Staff, {{"Finish", S::Welcome}, {"Back", S::Welcome}, {"Idle", S::Welcome}}},
    {S::Error, {{"CardInserted", S::Errand}, {"Finish", S::Welcome}, {"Back", S::Welcome}, {"Idle", S::Welcome}}},
    {S::CardRefused, {{"CardRemoved", S::CardRefused}, {"Finish", S::Welcome}, {"Back", S::Welcome},
                      {"Idle", S::Welcome}}},
    // Households: the holder's card may leave on these screens (a member's card comes next).
    {S::Household, {{"CardRemoved", S::Household}, {"AddMember", S::MemberCard}, {"HouseholdDone", S::Question},
                    {"Back", S::Confirm}, {"Idle", S::Welcome}}},
    {S::MemberCard, {{"CardRemoved", S::MemberCard}, {"CardInserted", S::Pin}, {"Back", S::Household},
                     {"Idle", S::Welcome}}},
    {S::Member, {{"CardRemoved", S::Member}, {"Back", S::Household}, {"Idle", S::Welcome}}},
};

}  // namespace

TEST(Flow, EveryScreenTimesEveryEvent) {
    for (int si = 0; si < kScreenCount; ++si) {
        const S screen = static_cast<S>(si);
        const State before = run(path_to(screen)).state;
        ASSERT_EQ(before.screen, screen) << to_string(screen);
        const auto& accepted = kAccepted.at(screen);
        for (const auto& e : every_event()) {
            const std::string name = event_name(e);
            const Transition t = next(before, e);
            const std::string where = std::string(to_string(screen)) + " x " + name;
            // These apply on every screen and never change it (Cancel always starts over).
            if (name == "ReaderReady" || name == "CallStaff" || name == "SetLanguage" || name == "ToggleLargeText" ||
                name == "ToggleHighContrast") {
                EXPECT_FALSE(t.ignored) << where;
                EXPECT_EQ(t.state.screen, screen) << where;
                continue;
            }
            if (name == "CallUpdate") {  // only while the session has a call; never moves the screen
                EXPECT_EQ(t.ignored, before.call == CallStatus::None) << where;
                EXPECT_EQ(t.state.screen, screen) << where;
                EXPECT_TRUE(t.commands.empty()) << where;
                continue;
            }
            if (name == "Cancel" && screen == S::Done) {  // the visit's number stays: only 終わる or the timeout
                EXPECT_TRUE(t.ignored) << where;
                EXPECT_EQ(t.state.screen, S::Done) << where;
                continue;
            }
            if (name == "Cancel") {
                EXPECT_EQ(t.state.screen, S::Welcome) << where;
                EXPECT_FALSE(t.state.holds_personal_data()) << where;
                continue;
            }
            const auto it = accepted.find(name);
            if (it == accepted.end()) {
                EXPECT_TRUE(t.ignored) << where << " should be ignored";
                EXPECT_EQ(t.state.screen, screen) << where;
                EXPECT_TRUE(t.commands.empty()) << where;
                EXPECT_EQ(t.state.holds_personal_data(), before.holds_personal_data()) << where;
            } else {
                EXPECT_FALSE(t.ignored) << where;
                EXPECT_EQ(t.state.screen, it->second) << where << " led to " << to_string(t.state.screen);
            }
        }
    }
}

TEST(Flow, HappyPathCommands) {
    const Steps r = run(path_to(S::Done));
    ASSERT_EQ(r.state.screen, S::Done);
    int reads = 0, fills = 0;
    for (const auto& c : r.commands) {
        if (const auto* read = std::get_if<cmd::ReadCard>(&c)) {
            ++reads;
            EXPECT_EQ(std::string(read->pin.data(), 4), "1234");
            EXPECT_FALSE(read->allow_last_try);
        }
        fills += std::holds_alternative<cmd::FillForms>(c) ? 1 : 0;
    }
    EXPECT_EQ(reads, 1);
    EXPECT_EQ(fills, 1);
    EXPECT_EQ(r.ignored, 0);
    // Done keeps the visit's number and procedures, never the internal application ids.
    EXPECT_TRUE(r.state.application_ids.empty());
    EXPECT_EQ(r.state.visit_number, 105);
    EXPECT_EQ(r.state.visit_day, "2026-12-02");
    EXPECT_EQ(r.state.visit_procedures, (std::vector<VisitProcedure>{{"juminhyo", 2}}));
    EXPECT_FALSE(r.state.holds_personal_data());
    // The number stays on 戻る and 最初から; 終わる ends it.
    EXPECT_EQ(next(r.state, ev::Back{}).state.visit_number, 105);
    EXPECT_EQ(next(r.state, ev::Cancel{}).state.visit_number, 105);
    EXPECT_EQ(next(r.state, ev::Finish{}).state.visit_number, 0);
}

TEST(Flow, AnswersAreKeptPerQuestionAndBackGoesOneStep) {
    auto events = path_to(S::Question);
    events.push_back(ev::Answer{"household"});
    Steps r = run(events);
    EXPECT_EQ(r.state.question, 1u);
    r = run(r.state, {ev::Back{}});
    EXPECT_EQ(r.state.question, 0u);
    EXPECT_EQ(r.state.answers.at("scope"), "household");  // kept to show as the current choice
    r = run(r.state, {ev::Answer{"nonsense"}});            // not one of the choices
    EXPECT_EQ(r.ignored, 1);
    EXPECT_EQ(r.state.question, 0u);
}

// A required フリガナ may be left to staff; a required 登録番号 or date may not be empty.
TEST(Flow, RequiredKanaMayBeLeftToStaffOtherPadsMayNot) {
    Errand e = errand();
    e.questions = {{"applicant_kana", "kana", {}, "", true}, {"inkan_card_number", "number_pad", {}, "", true},
                   {"move_date", "date", {}, "", true}};
    Steps r = run({ev::Start{}, ev::CardInserted{"r"}, ev::ChooseErrand{e}, ev::PinDigit{'1'}, ev::PinDigit{'2'},
                   ev::PinDigit{'3'}, ev::PinDigit{'4'}, ev::ReadOk{resident()}, ev::ConfirmYes{},
                   ev::Answer{""}});
    EXPECT_EQ(r.ignored, 0);
    EXPECT_EQ(r.state.question, 1u);
    EXPECT_EQ(r.state.answers.at("applicant_kana"), "");
    r = run(r.state, {ev::Answer{""}});
    EXPECT_EQ(r.ignored, 1);
    r = run(r.state, {ev::Answer{"12345"}, ev::Answer{""}});
    EXPECT_EQ(r.ignored, 1);
    EXPECT_EQ(r.state.question, 2u);
    r = run(r.state, {ev::Answer{"2026-12-01"}});
    EXPECT_EQ(r.state.screen, S::Review);
    EXPECT_EQ(r.state.answers.at("inkan_card_number"), "12345");
}

TEST(Flow, ErrandWithoutQuestionsGoesStraightToReview) {
    Errand e = errand();
    e.questions.clear();
    const Steps r = run({ev::Start{}, ev::CardInserted{"r"}, ev::ChooseErrand{e}, ev::PinDigit{'1'}, ev::PinDigit{'2'},
                       ev::PinDigit{'3'}, ev::PinDigit{'4'}, ev::PinSubmit{}, ev::ReadOk{resident()}, ev::ConfirmYes{}});
    EXPECT_EQ(r.state.screen, S::Review);
    EXPECT_TRUE(std::holds_alternative<cmd::FillForms>(r.commands.back()));
}

TEST(Flow, WrongPinTwiceThenLastTryWarning) {
    auto events = path_to(S::Reading);
    events.push_back(ev::ReadFailed{CardErrorKind::WrongPin, 2});
    Steps r = run(events);
    EXPECT_EQ(r.state.screen, S::Pin);
    EXPECT_EQ(r.state.tries_left, 2);
    EXPECT_EQ(r.state.error_key, "error.wrong_pin");
    EXPECT_FALSE(r.state.last_try_warning);
    r = run(r.state, {ev::PinDigit{'1'}, ev::PinDigit{'1'}, ev::PinDigit{'1'}, ev::PinDigit{'1'}, ev::PinSubmit{},
                      ev::ReadFailed{CardErrorKind::WrongPin, 1}});
    EXPECT_EQ(r.state.tries_left, 1);
    EXPECT_TRUE(r.state.last_try_warning);
    // At one try left the PIN is not sent until the resident chooses to go on
    // (the pad is not shown: digits are ignored).
    r = run(r.state, {ev::PinDigit{'1'}, ev::PinDigit{'2'}, ev::PinDigit{'3'}, ev::PinDigit{'4'}, ev::PinSubmit{}});
    EXPECT_EQ(r.state.screen, S::Pin);
    EXPECT_EQ(r.ignored, 5);
    EXPECT_TRUE(r.commands.empty());
    Steps staff = run(r.state, {ev::NoCard{}});
    EXPECT_EQ(staff.state.screen, S::Staff);
    EXPECT_EQ(staff.state.staff_key, "staff.forgot_pin");
    EXPECT_FALSE(staff.state.holds_personal_data());
    // Chosen: the right PIN's 4th digit sends it with the consent, and the read goes on to 「ご本人ですか」.
    r = run(r.state, {ev::TryLastPin{}, ev::PinDigit{'1'}, ev::PinDigit{'2'}, ev::PinDigit{'3'}, ev::PinDigit{'4'}});
    EXPECT_EQ(r.state.screen, S::Reading);
    EXPECT_EQ(r.ignored, 0);
    ASSERT_EQ(r.commands.size(), 1u);
    EXPECT_TRUE(std::get<cmd::ReadCard>(r.commands.back()).allow_last_try);
    EXPECT_EQ(std::string(std::get<cmd::ReadCard>(r.commands.back()).pin.data(), 4), "1234");
    r = run(r.state, {ev::ReadOk{resident()}});
    EXPECT_EQ(r.state.screen, S::Confirm);
}

// The PIN goes to the card at its 4th digit: no 決定 tap. 消す starts it again.
TEST(Flow, PinIsSentAtTheFourthDigit) {
    Steps r = run(path_to(S::Pin));
    r = run(r.state, {ev::PinDigit{'9'}, ev::PinDigit{'9'}, ev::PinClear{}, ev::PinDigit{'5'}, ev::PinDigit{'6'},
                      ev::PinDigit{'7'}});
    EXPECT_EQ(r.state.screen, S::Pin);
    EXPECT_EQ(r.state.pin_length, 3);
    EXPECT_TRUE(r.commands.empty());
    r = run(r.state, {ev::PinDigit{'8'}});
    EXPECT_EQ(r.state.screen, S::Reading);
    ASSERT_EQ(r.commands.size(), 1u);
    const auto& read = std::get<cmd::ReadCard>(r.commands[0]);
    EXPECT_EQ(std::string(read.pin.data(), 4), "5678");
    EXPECT_FALSE(read.allow_last_try);
    EXPECT_EQ(r.state.pin_length, 0);  // the state keeps no digit once sent
    EXPECT_EQ(r.state.pin, (std::array<char, 4>{}));
}

// 住民票: one "what do you need" screen with the usual choices chosen; one tap
// accepts them, the phone is asked on its own, then review.
TEST(Flow, NeedsScreenHasTheDefaultsChosenAndOneTapAcceptsThem) {
    Steps r = run(path_to(S::Needs));
    ASSERT_EQ(r.state.screen, S::Needs);
    EXPECT_EQ(r.state.answers.at("scope"), "self");
    EXPECT_EQ(r.state.answers.at("copies"), "1");
    EXPECT_EQ(r.state.answers.at("include_honseki"), "false");
    EXPECT_EQ(r.state.answers.count("relation_to_applicant"), 0u);  // 本人のみ: no relationship question
    EXPECT_EQ(r.state.answers.count("applicant_phone"), 0u);      // not grouped: asked on its own screen
    r = run(r.state, {ev::AcceptNeeds{}});
    EXPECT_EQ(r.state.screen, S::Question);
    EXPECT_EQ(r.state.question, 0u);
    r = run(r.state, {ev::Answer{""}});
    EXPECT_EQ(r.state.screen, S::Review);
    EXPECT_EQ(r.ignored, 0);
    EXPECT_TRUE(std::holds_alternative<cmd::FillForms>(r.commands.back()));
    // Back from the phone goes to the needs screen, not past it.
    r = run(path_to(S::Needs));
    r = run(r.state, {ev::AcceptNeeds{}, ev::Back{}});
    EXPECT_EQ(r.state.screen, S::Needs);
    r = run(r.state, {ev::Back{}});
    EXPECT_EQ(r.state.screen, S::Confirm);
}

// Changed in place: a question that now applies starts at its default, one that
// no longer applies loses its answer; wrong values and other screens' questions are refused.
TEST(Flow, NeedsChangedInPlaceFollowTheirConditions) {
    Steps r = run(path_to(S::Needs));
    r = run(r.state, {ev::ChangeAnswer{1, "part"}});
    EXPECT_EQ(r.state.screen, S::Needs);
    EXPECT_EQ(r.state.answers.at("scope"), "part");
    EXPECT_EQ(r.state.answers.at("relation_to_applicant"), "self");  // now asked, at its default
    r = run(r.state, {ev::ChangeAnswer{3, "child"}, ev::ChangeAnswer{2, "3"}});
    EXPECT_EQ(r.state.answers.at("relation_to_applicant"), "child");
    EXPECT_EQ(r.state.answers.at("copies"), "3");
    r = run(r.state, {ev::ChangeAnswer{1, "self"}});
    EXPECT_EQ(r.state.answers.count("relation_to_applicant"), 0u);  // 本人のみ again: not kept, not printed
    r = run(r.state, {ev::ChangeAnswer{1, "nonsense"}, ev::ChangeAnswer{2, "0"}, ev::ChangeAnswer{2, "x"},
                      ev::ChangeAnswer{4, "maybe"}, ev::ChangeAnswer{0, "0312345678"}, ev::ChangeAnswer{3, "child"},
                      ev::ChangeAnswer{9, "self"}});
    EXPECT_EQ(r.ignored, 7);
    EXPECT_EQ(r.state.answers.at("scope"), "self");
    EXPECT_EQ(r.state.answers.at("copies"), "3");
}

// 何通 per certificate: each form of the errand keeps its own count.
TEST(Flow, EachCertificateHasItsOwnCount) {
    QuestionSpec a{"copies", "number", {}, "1", true};
    a.grouped = a.per_form = true;
    a.form = "juminhyo";
    QuestionSpec b = a;
    b.form = "inkan";
    EXPECT_EQ(answer_key(a), "copies@juminhyo");
    EXPECT_EQ(answer_key(b), "copies@inkan");
    QuestionSpec shared = a;
    shared.per_form = false;
    EXPECT_EQ(answer_key(shared), "copies");
    State s = run(path_to(S::Confirm)).state;
    s.errand.template_ids = {"juminhyo", "inkan"};
    s.errand.questions = {a, b};
    s.errand.when.clear();
    Steps r = run(s, {ev::ConfirmYes{}});
    ASSERT_EQ(r.state.screen, S::Needs);
    r = run(r.state, {ev::ChangeAnswer{1, "2"}});
    EXPECT_EQ(r.state.answers.at("copies@juminhyo"), "1");
    EXPECT_EQ(r.state.answers.at("copies@inkan"), "2");
    EXPECT_EQ(r.state.answers.count("copies"), 0u);
    r = run(r.state, {ev::AcceptNeeds{}});
    EXPECT_EQ(r.state.screen, S::Review);  // nothing else to ask
}

// 変更 on review asks that question again and comes back to review.
TEST(Flow, ReviseGoesToTheQuestionAndBackToReview) {
    State s = run(path_to(S::Needs)).state;
    Steps r = run(s, {ev::AcceptNeeds{}, ev::Answer{""}, ev::FormsFilled{{filled()}}});
    ASSERT_EQ(r.state.screen, S::Review);
    // The phone, asked on its own screen.
    r = run(r.state, {ev::Revise{0}});
    EXPECT_EQ(r.state.screen, S::Question);
    EXPECT_EQ(r.state.question, 0u);
    EXPECT_TRUE(r.state.revising);
    r = run(r.state, {ev::Answer{"0312345678"}});
    EXPECT_EQ(r.state.screen, S::Review);
    EXPECT_FALSE(r.state.revising);
    EXPECT_EQ(r.state.answers.at("applicant_phone"), "0312345678");
    EXPECT_TRUE(std::holds_alternative<cmd::FillForms>(r.commands.back()));  // the forms show the change
    r = run(r.state, {ev::FormsFilled{{filled()}}});
    // A grouped one: the needs screen, then review again.
    r = run(r.state, {ev::Revise{2}});
    EXPECT_EQ(r.state.screen, S::Needs);
    r = run(r.state, {ev::ChangeAnswer{2, "2"}, ev::AcceptNeeds{}});
    EXPECT_EQ(r.state.screen, S::Review);
    EXPECT_EQ(r.state.answers.at("copies"), "2");
    r = run(r.state, {ev::FormsFilled{{filled()}}});
    // 戻る while changing: back to review, nothing else asked.
    r = run(r.state, {ev::Revise{0}, ev::Back{}});
    EXPECT_EQ(r.state.screen, S::Review);
    EXPECT_FALSE(r.state.revising);
    // A question that does not apply cannot be revised.
    r = run(r.state, {ev::FormsFilled{{filled()}}, ev::Revise{3}});
    EXPECT_EQ(r.ignored, 1);
    EXPECT_EQ(r.state.screen, S::Review);
}

// The step indicator: カード → 確認 → 質問 n/m → 確認 → 番号.
TEST(Flow, ProgressNamesTheStepAndTheQuestion) {
    EXPECT_EQ(progress(run(path_to(S::Errand)).state).step, Step::None);
    EXPECT_EQ(progress(run(path_to(S::PlaceCard)).state).step, Step::Card);
    EXPECT_EQ(progress(run(path_to(S::Pin)).state).step, Step::Card);
    EXPECT_EQ(progress(run(path_to(S::Reading)).state).step, Step::Card);
    EXPECT_EQ(progress(run(path_to(S::Confirm)).state).step, Step::Confirm);
    Progress p = progress(run(path_to(S::Question)).state);
    EXPECT_EQ(p.step, Step::Questions);
    EXPECT_EQ(p.question, 1);
    EXPECT_EQ(p.questions, 2);
    p = progress(run(run(path_to(S::Question)).state, {ev::Answer{"self"}}).state);
    EXPECT_EQ(p.question, 2);
    EXPECT_EQ(p.questions, 2);
    // The needs screen counts as one question screen; the phone is the second.
    State needs = run(path_to(S::Needs)).state;
    p = progress(needs);
    EXPECT_EQ(p.step, Step::Questions);
    EXPECT_EQ(p.question, 1);
    EXPECT_EQ(p.questions, 2);
    p = progress(run(needs, {ev::AcceptNeeds{}}).state);
    EXPECT_EQ(p.question, 2);
    EXPECT_EQ(p.questions, 2);
    EXPECT_EQ(progress(run(path_to(S::Review)).state).step, Step::Review);
    EXPECT_EQ(progress(run(path_to(S::Preview)).state).step, Step::Review);
    EXPECT_EQ(progress(run(path_to(S::Done)).state).step, Step::Number);
    EXPECT_EQ(progress(run(path_to(S::Staff)).state).step, Step::None);
}

// まだお手続き中ですか counts down to the wipe.
TEST(Flow, StillThereCountsDownTheSecondsLeft) {
    State s = run(path_to(S::Question)).state;
    s.timeouts = {60, 90};
    EXPECT_EQ(seconds_left(s), 90);
    Steps r = run(s, {ev::Idle{60}});
    ASSERT_TRUE(r.state.still_there);
    EXPECT_EQ(seconds_left(r.state), 30);
    r = run(r.state, {ev::Idle{61}});
    EXPECT_EQ(seconds_left(r.state), 29);
    r = run(r.state, {ev::Idle{89}});
    EXPECT_EQ(seconds_left(r.state), 1);
    const Steps here = run(r.state, {ev::StillHere{}});
    EXPECT_EQ(seconds_left(here.state), 90);
    r = run(r.state, {ev::Idle{90}});
    EXPECT_EQ(r.state.screen, S::Welcome);
    EXPECT_EQ(seconds_left(r.state), 90);
}

TEST(Flow, CardRefusingTheLastTryShowsTheWarning) {
    auto events = path_to(S::Reading);
    events.push_back(ev::ReadFailed{CardErrorKind::LastTryNeedsConfirmation, 1});
    const Steps r = run(events);
    EXPECT_EQ(r.state.screen, S::Pin);
    EXPECT_TRUE(r.state.last_try_warning);
}

TEST(Flow, LockedAndReadErrorsGoToErrorWithTheirMessage) {
    const std::vector<std::pair<Event, std::string>> cases = {
        {ev::ReadFailed{CardErrorKind::PinLocked, 0}, "error.locked"},
        {ev::ReadFailed{CardErrorKind::WrongPin, 0}, "error.locked"},
        {ev::ReadFailed{CardErrorKind::CardRemoved, -1}, "error.card_removed"},
        {ev::ReadFailed{CardErrorKind::Malformed, -1}, "error.read_failed"},
        {ev::ReadFailed{CardErrorKind::NotMyNumberCard, -1}, "error.not_my_number_card"},
        {ev::CardRemoved{}, "error.card_removed"},
    };
    for (const auto& [e, key] : cases) {
        auto events = path_to(S::Reading);
        events.push_back(e);
        const Steps r = run(events);
        EXPECT_EQ(r.state.screen, S::Error) << key;
        EXPECT_EQ(r.state.error_key, key);
        EXPECT_FALSE(r.state.holds_personal_data()) << key;
    }
}

TEST(Flow, StoreOrPrinterFailureKeepsTheMessageAndTellsStaff) {
    auto events = path_to(S::Review);
    events.push_back(ev::SubmitFailed{"error.print_failed", {}});
    const Steps r = run(events);
    EXPECT_EQ(r.state.screen, S::Error);
    EXPECT_EQ(r.state.error_key, "error.print_failed");
    EXPECT_TRUE(std::holds_alternative<cmd::NotifyStaff>(r.commands.back()));
    EXPECT_FALSE(r.state.holds_personal_data());
}

TEST(Flow, IdleAsksThenWipes) {
    State s = run(path_to(S::Review)).state;
    s.timeouts = {60, 90};
    Steps r = run(s, {ev::Idle{59}});
    EXPECT_FALSE(r.state.still_there);
    r = run(s, {ev::Idle{60}});
    EXPECT_TRUE(r.state.still_there);
    EXPECT_EQ(r.state.screen, S::Review);
    Steps back = run(r.state, {ev::StillHere{}});
    EXPECT_FALSE(back.state.still_there);
    EXPECT_TRUE(back.state.holds_personal_data());
    r = run(r.state, {ev::Idle{90}});
    EXPECT_EQ(r.state.screen, S::Welcome);
    EXPECT_FALSE(r.state.holds_personal_data());
    // Configurable.
    s.timeouts = {5, 10};
    EXPECT_TRUE(run(s, {ev::Idle{5}}).state.still_there);
    EXPECT_EQ(run(s, {ev::Idle{10}}).state.screen, S::Welcome);
}

TEST(Flow, RatingOnceAndOnlyOnDone) {
    const Steps r = run(path_to(S::Done));
    Steps rated = run(r.state, {ev::Rate{5}, ev::Rate{1}, ev::Rate{0}});
    EXPECT_EQ(rated.state.rating, 5);
    ASSERT_EQ(rated.commands.size(), 1u);
    EXPECT_EQ(std::get<cmd::RecordRating>(rated.commands[0]).faces, 5);
    EXPECT_EQ(rated.ignored, 2);
}

TEST(Flow, LanguageAndDisplayChoicesResetOnWipe) {
    State s;
    s.default_language = "ja";
    Steps r = run(s, {ev::SetLanguage{"en"}, ev::ToggleLargeText{}, ev::ToggleHighContrast{}, ev::Start{}});
    EXPECT_EQ(r.state.language, "en");
    EXPECT_TRUE(r.state.large_text && r.state.high_contrast);
    r = run(r.state, {ev::Cancel{}});
    EXPECT_EQ(r.state.language, "ja");
    EXPECT_FALSE(r.state.large_text || r.state.high_contrast);
}

// Every way out of a session, from the screen holding the most personal data.
TEST(Flow, EveryExitLeavesNoPersonalData) {
    const std::vector<std::pair<const char*, std::vector<Event>>> exits = {
        {"cancel", {ev::Cancel{}}},
        {"idle timeout", {ev::Idle{60}, ev::Idle{90}}},
        {"card removed", {ev::CardRemoved{}}},
        {"done", {ev::Submit{}, ev::Submitted{{"A-9"}, 0, {}, {}}, ev::Rate{3}, ev::Finish{}}},
        {"back to the start", {ev::Back{}, ev::Back{}, ev::Back{}, ev::Back{}, ev::Back{}}},
        {"store failure", {ev::SubmitFailed{"error.store_failed", {}}, ev::Finish{}}},
    };
    for (const auto& [name, events] : exits) {
        State s = run(path_to(S::Review)).state;
        ASSERT_TRUE(s.holds_personal_data());
        s = run(std::move(s), events).state;
        EXPECT_FALSE(s.holds_personal_data()) << name;
        EXPECT_EQ(s.pin, (std::array<char, 4>{})) << name;
        EXPECT_TRUE(s.card.name.empty() && s.card.address.empty() && s.card.birth_date.empty()) << name;
        EXPECT_TRUE(s.answers.empty() && s.forms.empty()) << name;
        // Pulling the card shows why the session ended; the others are back at the start.
        EXPECT_EQ(s.screen, std::string(name) == "card removed" ? S::Error : S::Welcome) << name;
    }
    // Pulling the card while typing the PIN wipes the typed digits.
    const Steps r = run({ev::Start{}, ev::ChooseErrand{errand()}, ev::CardInserted{"r"}, ev::PinDigit{'1'},
                       ev::PinDigit{'2'}, ev::CardRemoved{}});
    EXPECT_FALSE(r.state.holds_personal_data());
    EXPECT_EQ(r.state.screen, S::Error);
}

TEST(Flow, ErrandScreenSwitchesToSingleFormsAndBack) {
    Steps r = run({ev::Start{}, ev::ShowForms{true}});
    EXPECT_TRUE(r.state.errand_forms);
    r = run(r.state, {ev::Back{}});
    EXPECT_EQ(r.state.screen, S::Errand);
    EXPECT_FALSE(r.state.errand_forms);
    r = run(r.state, {ev::Back{}});
    EXPECT_EQ(r.state.screen, S::Welcome);
}

// wipe() keeps what it is told to, and the reader's state always (it is the device's, not the resident's).
TEST(Flow, WipeKeepsOnlyWhatItIsTold) {
    for (const bool presentation : {false, true}) {
        State s;
        s.default_language = "ja";
        s.language = "en";
        s.large_text = true;
        s.high_contrast = true;
        s.reader_ready = true;
        s.card_present = true;
        s.reader = "Virtual PCD 00 00";
        s.card.name = "消去 試験";
        s.answers["copies"] = "2";
        s.pin_length = 2;
        s.pin = {'1', '2', 0, 0};
        s.screen = Screen::Question;
        wipe(s, Keep{.presentation = presentation});
        EXPECT_FALSE(s.holds_personal_data());
        EXPECT_EQ(s.screen, Screen::Welcome);
        EXPECT_EQ(s.language, presentation ? "en" : "ja");
        EXPECT_EQ(s.large_text, presentation);
        EXPECT_EQ(s.high_contrast, presentation);
        EXPECT_TRUE(s.reader_ready);
        EXPECT_TRUE(s.card_present);
        EXPECT_EQ(s.reader, "Virtual PCD 00 00");
    }
}

// Card data that fails the authenticity check is never prefilled: whether the
// worker refused it (CardRefused) or a ReadOk carries a failing result, the
// kiosk shows card_refused, keeps nothing personal and calls staff.
TEST(Flow, CardFailingTheAuthenticityCheckIsRefused) {
    using kakanai::cardreader::Authenticity;
    for (const Authenticity a : {Authenticity::HashMismatch, Authenticity::SignatureInvalid, Authenticity::NotChecked}) {
        const std::string what = kakanai::cardreader::to_string(a);
        CardInfo card = resident();
        card.authenticity = a;
        for (const Event& e : {Event{ev::ReadOk{card}}, Event{ev::CardRefused{a}}}) {
            Steps r = run(path_to(S::Reading));
            r = run(r.state, {ev::SetLanguage{"en"}, e});
            EXPECT_EQ(r.state.screen, S::CardRefused) << what;
            EXPECT_STREQ(to_string(r.state.screen), "card_refused");
            EXPECT_FALSE(r.state.holds_personal_data()) << what;
            EXPECT_TRUE(r.state.card.name.empty() && r.state.card.address.empty()) << what;
            EXPECT_TRUE(r.state.staff_called) << what;
            EXPECT_EQ(r.state.language, "en") << what;  // the resident keeps reading in their language
            ASSERT_EQ(r.commands.size(), 1u) << what;
            EXPECT_EQ(std::get<cmd::NotifyStaff>(r.commands[0]).reason_key, "staff.card_refused");
            // Nothing to fill or submit from here; finishing starts over.
            r = run(r.state, {ev::ConfirmYes{}, ev::Submit{}});
            EXPECT_EQ(r.ignored, 2) << what;
            r = run(r.state, {ev::Finish{}});
            EXPECT_EQ(r.state.screen, S::Welcome) << what;
        }
    }
    for (const Authenticity a : {Authenticity::Consistent, Authenticity::Verified}) {
        CardInfo card = resident();
        card.authenticity = a;
        Steps r = run(path_to(S::Reading));
        r = run(r.state, {ev::ReadOk{card}});
        EXPECT_EQ(r.state.screen, S::Confirm) << kakanai::cardreader::to_string(a);
        EXPECT_EQ(r.state.card.authenticity, a);
    }
}

// `when` conditions: a question that does not apply to this resident (by age
// or by an earlier answer) is skipped forward and back.
TEST(Flow, QuestionsWhoseConditionIsFalseAreSkipped) {
    using kakanai::forms::Condition;
    State s;
    s.screen = Screen::Confirm;
    s.card = resident();  // born 1980-02-17
    s.card.read_at = std::chrono::system_clock::now();
    s.errand = errand();
    s.errand.questions = {{"employed", "choice", {"yes", "no"}, "", true},
                          {"reason", "choice", {"retired", "other"}, "", true},
                          {"care_level", "number", {}, "1", true},
                          {"copies", "number", {}, "1", true}};
    s.errand.when = {{}, {Condition::parse("answers.employed == 'no'"), {}}, {Condition::parse("age >= 65"), {}}, {}};
    auto r = run(s, {ev::ConfirmYes{}, ev::Answer{"yes"}});
    EXPECT_EQ(r.state.screen, Screen::Question);
    EXPECT_EQ(r.state.question, 3u);  // reason (employed) and care_level (under 65) skipped
    r = run(r.state, {ev::Back{}});
    EXPECT_EQ(r.state.question, 0u);  // back over the skipped ones
    r = run(r.state, {ev::Answer{"no"}});
    EXPECT_EQ(r.state.question, 1u);  // now the reason is asked
    r = run(r.state, {ev::Answer{"retired"}, ev::Answer{"2"}});
    EXPECT_EQ(r.state.screen, Screen::Review);
    r = run(r.state, {ev::Back{}});
    EXPECT_EQ(r.state.question, 3u);
    // A form whose condition is decided false takes its only question with it.
    s.errand.questions = {{"employed", "choice", {"yes", "no"}, "", true}, {"kokuho_reason", "choice", {"a", "b"}, "", true}};
    s.errand.when = {{}, {{}, {Condition::parse("answers.employed == 'no'")}}};
    r = run(s, {ev::ConfirmYes{}, ev::Answer{"yes"}});
    EXPECT_EQ(r.state.screen, Screen::Review);
    EXPECT_EQ(r.commands.size(), 1u);  // FillForms
}

// Every way to staff raises a call (with its reason) and shows 職員に連絡しました;
// the station's acknowledgment shows 職員が向かっています; a wipe ends the display.
TEST(Flow, CallsForStaffRaiseShowTheAnswerAndEndWithTheSession) {
    auto reason_of = [](const Transition& t) {
        for (const auto& c : t.commands)
            if (const auto* n = std::get_if<cmd::NotifyStaff>(&c)) return n->reason_key;
        return std::string();
    };
    // 職員を呼ぶ on any screen.
    Transition t = next(run(path_to(S::Question)).state, ev::CallStaff{});
    EXPECT_EQ(reason_of(t), "staff.help");
    EXPECT_EQ(t.state.call, CallStatus::Raised);
    EXPECT_EQ(t.state.screen, S::Question);
    t = next(t.state, ev::CallUpdate{CallStatus::Coming});
    EXPECT_FALSE(t.ignored);
    EXPECT_EQ(t.state.call, CallStatus::Coming);
    // Starting over ends the display; a late answer for it is ignored.
    t = next(t.state, ev::Cancel{});
    EXPECT_EQ(t.state.call, CallStatus::None);
    t = next(t.state, ev::CallUpdate{CallStatus::Coming});
    EXPECT_TRUE(t.ignored);
    EXPECT_EQ(t.state.call, CallStatus::None);
    // The side paths to staff, each with its reason.
    EXPECT_EQ(reason_of(next(run(path_to(S::Welcome)).state, ev::NoCard{})), "staff.no_card");
    EXPECT_EQ(reason_of(next(run(path_to(S::Pin)).state, ev::NoCard{})), "staff.forgot_pin");
    t = next(run(path_to(S::Confirm)).state, ev::ConfirmNo{});
    EXPECT_EQ(reason_of(t), "staff.not_me");
    EXPECT_EQ(t.state.call, CallStatus::Raised);  // the wipe of the card data keeps the call shown
    State last = run(path_to(S::Pin)).state;
    last.screen = S::Reading;
    last = next(last, ev::ReadFailed{CardErrorKind::LastTryNeedsConfirmation, 1}).state;
    ASSERT_TRUE(last.last_try_warning);
    t = next(last, ev::NoCard{});
    EXPECT_EQ(reason_of(t), "staff.last_try");
    EXPECT_EQ(t.state.staff_key, "staff.forgot_pin");
    EXPECT_EQ(t.state.call, CallStatus::Raised);
    // A call the store could not take says so; finishing wipes it.
    t = next(t.state, ev::CallUpdate{CallStatus::Failed});
    EXPECT_EQ(t.state.call, CallStatus::Failed);
    EXPECT_EQ(next(t.state, ev::Finish{}).state.call, CallStatus::None);
    // Called from the welcome screen and left there: the timeout ends the display.
    t = next(State{}, ev::CallStaff{});
    ASSERT_EQ(t.state.call, CallStatus::Raised);
    EXPECT_EQ(next(t.state, ev::Idle{90}).state.call, CallStatus::None);
}

// Answers that rule out every form of the errand end on a message, not on a
// review that waits for forms forever.
TEST(Flow, AnErrandWhoseAnswersRuleOutEveryFormSaysSo) {
    Steps r = run({ev::Start{}, ev::CardInserted{"r"}, ev::ChooseErrand{errand()}, ev::PinDigit{'1'}, ev::PinDigit{'2'},
                   ev::PinDigit{'3'}, ev::PinDigit{'4'}, ev::ReadOk{resident()}, ev::ConfirmYes{}});
    r = run(r.state, {ev::AcceptNeeds{}, ev::Answer{""}, ev::Answer{"household"}, ev::Answer{"2"}});
    ASSERT_EQ(r.state.screen, Screen::Review);
    r = run(r.state, {ev::FormsFilled{{}}});
    EXPECT_EQ(r.state.screen, Screen::Error);
    EXPECT_EQ(r.state.error_key, "error.not_needed");
    EXPECT_FALSE(r.state.holds_personal_data());
}

// ---- Households: a member's own card and PIN, a member without a card, per-member questions.

namespace {
Steps to_household() {
    std::vector<Event> e = {ev::ReaderReady{true}, ev::Start{}, ev::ChooseErrand{household_errand()},
                            ev::CardInserted{"r"}, ev::PinDigit{'1'}, ev::PinDigit{'2'}, ev::PinDigit{'3'},
                            ev::PinDigit{'4'}, ev::ReadOk{resident()}, ev::ConfirmYes{}};
    return run(e);
}
Steps add_spouse(State s) {
    return run(std::move(s), {ev::AddMember{true}, ev::CardRemoved{}, ev::CardInserted{"r"}, ev::PinDigit{'5'},
                              ev::PinDigit{'6'}, ev::PinDigit{'7'}, ev::PinDigit{'8'}, ev::ReadOk{spouse()},
                              ev::Answer{"spouse"}});
}
}  // namespace

TEST(Household, MembersFromTheirOwnCardAndWithoutACard) {
    Steps h = to_household();
    ASSERT_EQ(h.state.screen, Screen::Household);
    // The holder's card stays on the reader: the member card screen waits for it to leave.
    Steps c = run(h.state, {ev::AddMember{true}});
    EXPECT_EQ(c.state.screen, Screen::MemberCard);
    EXPECT_TRUE(c.state.card_present);
    Steps sp = add_spouse(h.state);
    ASSERT_EQ(sp.state.screen, Screen::Household);
    ASSERT_EQ(sp.state.household.size(), 1u);
    const auto& m = sp.state.household[0].member;
    EXPECT_EQ(m.name, "番号 太郎");
    EXPECT_EQ(m.birth_date, "1978-06-01");
    EXPECT_EQ(m.sex, "male");
    EXPECT_EQ(m.relationship, "spouse");
    EXPECT_TRUE(m.read_from_card);
    EXPECT_EQ(sp.state.card.name, "番号 花子");  // the holder's data is kept
    ASSERT_EQ(sp.commands.size(), 1u);        // the member's own PIN went to the card, once
    EXPECT_TRUE(std::holds_alternative<cmd::ReadCard>(sp.commands[0]));
    // Without a card: 続柄, 生年月日, 性別; the name is left to staff.
    Steps ch = run(sp.state, {ev::AddMember{false}, ev::Answer{"child"}, ev::Answer{"2020-04-01"}, ev::Answer{"female"}});
    ASSERT_EQ(ch.state.household.size(), 2u);
    const auto& k = ch.state.household[1].member;
    EXPECT_EQ(k.name, "");
    EXPECT_EQ(k.relationship, "child");
    EXPECT_EQ(k.birth_date, "2020-04-01");
    EXPECT_EQ(k.sex, "female");
    EXPECT_FALSE(k.read_from_card);
    // 勤務先の健康保険 is asked of the holder, then of each member.
    Steps q = run(ch.state, {ev::HouseholdDone{}});
    ASSERT_EQ(q.state.screen, Screen::Question);
    ASSERT_EQ(q.state.errand.questions.size(), 4u);
    EXPECT_EQ(answer_key(q.state.errand.questions[1]), "employer_insurance#1");
    EXPECT_EQ(answer_key(q.state.errand.questions[2]), "employer_insurance#2");
    Steps a = run(q.state, {ev::Answer{"yes"}, ev::Answer{"yes"}, ev::Answer{"no"}});
    // The holder is insured, yet each member is asked for themselves.
    EXPECT_EQ(a.state.answers.at("employer_insurance"), "yes");
    EXPECT_EQ(a.state.answers.at("employer_insurance#1"), "yes");
    EXPECT_EQ(a.state.answers.at("employer_insurance#2"), "no");
    auto household = household_of(a.state);
    ASSERT_EQ(household.size(), 2u);
    EXPECT_EQ(household[0].answers.at("employer_insurance"), "yes");
    EXPECT_EQ(household[1].answers.at("employer_insurance"), "no");
    EXPECT_EQ(errand_answers(a.state).count("employer_insurance#2"), 0u);
    // Removing a member on review takes their answers and fills the forms again.
    Steps r = run(a.state, {ev::Answer{""}, ev::FormsFilled{{filled()}}});
    ASSERT_EQ(r.state.screen, Screen::Review);
    Steps gone = run(r.state, {ev::RemoveMember{0}});
    EXPECT_EQ(gone.state.household.size(), 1u);
    EXPECT_EQ(gone.state.answers.count("employer_insurance#1"), 0u);
    EXPECT_EQ(gone.state.errand.questions.size(), 3u);
    ASSERT_EQ(gone.commands.size(), 1u);
    EXPECT_TRUE(std::holds_alternative<cmd::FillForms>(gone.commands[0]));
    // One wipe at the end of the session takes the members too.
    Steps end = run(gone.state, {ev::Cancel{}});
    EXPECT_TRUE(end.state.household.empty());
    EXPECT_FALSE(end.state.holds_personal_data());
}

TEST(Household, TheSamePersonTwiceIsRefused) {
    Steps sp = add_spouse(to_household().state);
    // The holder's card again, then the spouse's again: neither is added.
    for (const CardInfo& card : {resident(), spouse()}) {
        Steps again = run(sp.state, {ev::AddMember{true}, ev::CardInserted{"r"}, ev::PinDigit{'1'}, ev::PinDigit{'2'},
                                     ev::PinDigit{'3'}, ev::PinDigit{'4'}, ev::ReadOk{card}});
        EXPECT_EQ(again.state.screen, Screen::MemberCard);
        EXPECT_EQ(again.state.notice_key, "household.same_person");
        EXPECT_EQ(again.state.household.size(), 1u);
        EXPECT_TRUE(again.state.member_draft.name.empty());
    }
}

TEST(Household, AMembersCardFollowsTheSameRules) {
    const State h = to_household().state;
    const std::vector<Event> to_pin = {ev::AddMember{true}, ev::CardRemoved{}, ev::CardInserted{"r"}};
    // Wrong PIN: the same message and tries left, on the same pad.
    Steps wrong = run(h, to_pin);
    wrong = run(wrong.state, {ev::PinDigit{'0'}, ev::PinDigit{'0'}, ev::PinDigit{'0'}, ev::PinDigit{'0'},
                              ev::ReadFailed{CardErrorKind::WrongPin, 2}});
    EXPECT_EQ(wrong.state.screen, Screen::Pin);
    EXPECT_EQ(wrong.state.error_key, "error.wrong_pin");
    EXPECT_EQ(wrong.state.tries_left, 2);
    // Locked: the message, and the holder's session goes on without that member.
    Steps locked = run(wrong.state, {ev::PinDigit{'0'}, ev::PinDigit{'0'}, ev::PinDigit{'0'}, ev::PinDigit{'0'},
                                     ev::ReadFailed{CardErrorKind::WrongPin, 0}});
    EXPECT_EQ(locked.state.screen, Screen::Household);
    EXPECT_EQ(locked.state.notice_key, "error.locked");
    EXPECT_EQ(locked.state.card.name, "番号 花子");
    EXPECT_TRUE(locked.state.household.empty());
    // Card data that fails its check is never used: the whole session is refused, staff called.
    Steps refused = run(h, to_pin);
    refused = run(refused.state, {ev::PinDigit{'5'}, ev::PinDigit{'6'}, ev::PinDigit{'7'}, ev::PinDigit{'8'},
                                  ev::CardRefused{kakanai::cardreader::Authenticity::HashMismatch}});
    EXPECT_EQ(refused.state.screen, Screen::CardRefused);
    EXPECT_FALSE(refused.state.holds_personal_data());
    CardInfo bad = spouse();
    bad.authenticity = kakanai::cardreader::Authenticity::SignatureInvalid;
    Steps bad_ok = run(h, to_pin);
    bad_ok = run(bad_ok.state, {ev::PinDigit{'5'}, ev::PinDigit{'6'}, ev::PinDigit{'7'}, ev::PinDigit{'8'}, ev::ReadOk{bad}});
    EXPECT_EQ(bad_ok.state.screen, Screen::CardRefused);
    EXPECT_FALSE(bad_ok.state.holds_personal_data());
    // The member's card pulled before the read: place it again.
    Steps pulled = run(h, to_pin);
    pulled = run(pulled.state, {ev::CardRemoved{}});
    EXPECT_EQ(pulled.state.screen, Screen::MemberCard);
    EXPECT_EQ(pulled.state.notice_key, "household.card_removed");
    // Once the holder's card made way for a member's, taking a card away no longer ends the session.
    Steps on = run(add_spouse(h).state, {ev::HouseholdDone{}, ev::CardRemoved{}});
    EXPECT_EQ(on.state.screen, Screen::Question);
    EXPECT_EQ(on.state.household.size(), 1u);
}

TEST(Household, NoMoreThanTheLargestGroupTakes) {
    State s = to_household().state;
    s.errand.member_max = 1;
    s = add_spouse(std::move(s)).state;
    EXPECT_TRUE(next(s, ev::AddMember{false}).ignored);
}
