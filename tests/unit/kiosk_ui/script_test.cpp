#include <gtest/gtest.h>

#include "script.hpp"
#include "test_support.hpp"

using namespace kakanai::kiosk;

TEST(Script, EveryShippedScriptParses) {
    int n = 0;
    for (const auto& dir : {kakanai::test::source_dir() / "tests/ui/scripts", kakanai::test::source_dir() / "assets/demo"})
        for (const auto& e : std::filesystem::directory_iterator(dir))
            // staff_*.script drive the staff station (--staff), whose steps differ.
            if (e.path().extension() == ".script" && e.path().filename().string().rfind("staff_", 0) != 0) {
                EXPECT_NO_THROW(Script::load(e.path())) << e.path();
                ++n;
            }
    EXPECT_GT(n, 10);
}

TEST(Script, StepsAndNumbers) {
    const Script s = Script::parse("# c\n\ncard ../x.toml\r\npin 12\nlang en\ntime 70\ntaps 15\ntaps reset\n", "/a/b.script");
    ASSERT_EQ(s.steps.size(), 8u);
    EXPECT_EQ(s.dir, "/a");
    EXPECT_EQ(s.steps[0].verb, "card");
    EXPECT_EQ(s.steps[0].arg, "../x.toml");
    EXPECT_EQ(s.steps[0].line, 3u);
    EXPECT_EQ(s.steps[1].arg, "pin.1");
    EXPECT_EQ(s.steps[3].arg, "pin.ok");
    EXPECT_EQ(s.steps[4].arg, "lang.en");
    EXPECT_EQ(s.steps[5].number, 70);
    EXPECT_EQ(s.steps[6].number, 15);
    EXPECT_EQ(s.steps[7].arg, "reset");
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
