#include <gtest/gtest.h>

#include "script.hpp"
#include "test_support.hpp"

using namespace kakanai::kiosk;

// Every script shipped, each checked with the steps of the program that runs it
// (staff_*.script: kakanai-staff).
TEST(Script, EveryShippedScriptParses) {
    int kiosk = 0, staff = 0;
    for (const auto& dir : {kakanai::test::source_dir() / "tests/ui/scripts", kakanai::test::source_dir() / "assets/demo"})
        for (const auto& e : std::filesystem::directory_iterator(dir)) {
            if (e.path().extension() != ".script") continue;
            const bool for_staff = e.path().filename().string().rfind("staff_", 0) == 0;
            EXPECT_NO_THROW(Script::load(e.path(), for_staff ? ScriptFor::Staff : ScriptFor::Kiosk)) << e.path();
            ++(for_staff ? staff : kiosk);
        }
    EXPECT_GT(kiosk, 10);
    EXPECT_GE(staff, 8);
}

TEST(Script, StaffSteps) {
    const Script s = Script::parse(
        "staff-code tanaka 482193\nseed ../c/typical.toml juminhyo 300 applicant_kana=バンゴウ_ハナコ manual\n"
        "type correct.value バンゴウ  ハナコ \ninterrupt-last jam\nexpect-print failed\ntime 130\n",
        "/a/staff_x.script", ScriptFor::Staff);
    ASSERT_EQ(s.steps.size(), 6u);
    EXPECT_EQ(s.steps[0].args, (std::vector<std::string>{"tanaka", "482193"}));
    EXPECT_EQ(s.steps[1].number, 300);
    EXPECT_EQ(s.steps[1].args.size(), 5u);
    EXPECT_EQ(s.path(s.steps[1].args[0]), "/a/../c/typical.toml");
    // The typed text is the rest of the line, inner spaces kept.
    EXPECT_EQ(s.steps[2].args, (std::vector<std::string>{"correct.value", "バンゴウ  ハナコ"}));
    EXPECT_EQ(s.steps[5].number, 130);
}

// Each program refuses the other's steps and a staff step with wrong arguments, with the line.
TEST(Script, BadStaffStepsAreRefusedWithTheirLine) {
    const std::pair<const char*, const char*> cases[] = {
        {"seed a.toml juminhyo\n", "/s.script:1: seed needs a card profile, a form and an age"},
        {"tap a\nseed a.toml juminhyo old\n", "/s.script:2: seed needs a whole number"},
        {"seed a.toml juminhyo 5 kana\n", "seed takes field=value pairs"},
        {"staff-code tanaka\n", "staff-code needs a name and a code"},
        {"type login.code\n", "type needs an input id and the text"},
        {"expect-print maybe\n", "expect-print takes pending, sent, done or failed"},
        {"interrupt-last\n", "interrupt-last needs a printer"},
        {"pin 1234\n", "unknown step \"pin\" for kakanai-staff"},
        {"answer-all\n", "unknown step \"answer-all\" for kakanai-staff"},
    };
    for (const auto& [text, want] : cases) {
        try {
            Script::parse(text, "/s.script", ScriptFor::Staff);
            ADD_FAILURE() << "accepted: " << text;
        } catch (const ScriptError& e) {
            EXPECT_NE(std::string(e.what()).find(want), std::string::npos) << e.what();
        }
    }
    for (const char* staff_only : {"seed a.toml juminhyo 5\n", "type a b\n", "expect-print done\n"})
        EXPECT_THROW(Script::parse(staff_only, "/s.script", ScriptFor::Kiosk), ScriptError) << staff_only;
}

TEST(Script, StepsAndNumbers) {
    const Script s = Script::parse("# c\n\ncard ../x.toml\r\npin 12\nlang en\ntime 70\ntaps 15\ntaps reset\n", "/a/b.script");
    ASSERT_EQ(s.steps.size(), 7u);
    EXPECT_EQ(s.dir, "/a");
    EXPECT_EQ(s.steps[0].verb, "card");
    EXPECT_EQ(s.steps[0].arg, "../x.toml");
    EXPECT_EQ(s.steps[0].line, 3u);
    EXPECT_EQ(s.steps[1].arg, "pin.1");
    EXPECT_EQ(s.steps[2].arg, "pin.2");  // no pin.ok: the kiosk sends the PIN at its 4th digit
    EXPECT_EQ(s.steps[3].arg, "lang.en");
    EXPECT_EQ(s.steps[4].number, 70);
    EXPECT_EQ(s.steps[5].number, 15);
    EXPECT_EQ(s.steps[6].arg, "reset");
}

// Before, `time x` or `wait 99999999999` reached std::stoi in the middle of the
// run, which ended with the bare message "stoi", and `wait 2000000000` slept for
// weeks; now the file is refused before the run, with its line.
TEST(Script, BadStepsAreRefusedWithTheirLine) {
    const std::pair<const char*, const char*> cases[] = {
        {"time x\n", "/s.script:1: time needs a whole number"},
        {"tap a\nwait 99999999999\n", "/s.script:2: wait needs a whole number from 0 to 60000"},
        {"time -5\n", "time needs a whole number"},
        {"taps many\n", "taps needs a whole number"},
        {"pin 12a\n", "pin needs digits"},
        {"tap\n", "tap needs an argument"},
        {"remove now\n", "remove takes no argument"},
        {"shot ../x\n", "shot takes a plain name"},
        {"fly away\n", "unknown step \"fly\""},
        {"tap a\x01\n", "control characters"},
    };
    for (const auto& [text, want] : cases) {
        try {
            Script::parse(text, "/s.script");
            ADD_FAILURE() << "accepted: " << text;
        } catch (const ScriptError& e) {
            EXPECT_NE(std::string(e.what()).find(want), std::string::npos) << e.what();
        }
    }
}
