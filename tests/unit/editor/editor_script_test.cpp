// The layout editor's script steps (kiosk/ui/script.hpp, ScriptFor::Editor).
#include <gtest/gtest.h>

#include "script.hpp"
#include "test_support.hpp"

using namespace kakanai::kiosk;

TEST(EditorScript, EveryEditorScriptParses) {
    int n = 0;
    for (const auto& e : std::filesystem::directory_iterator(kakanai::test::source_dir() / "tests/editor")) {
        if (e.path().extension() != ".script") continue;
        EXPECT_NO_THROW(Script::load(e.path(), ScriptFor::Editor)) << e.path();
        ++n;
    }
    EXPECT_GE(n, 3);
}

TEST(EditorScript, StepsAndNumbers) {
    const Script s = Script::parse("select persons.name field\ndrag 10 -2.5\nkey shift+left\nzoom 150\nexpect-overflow 3\nsave\n",
                                   "/e.script", ScriptFor::Editor);
    ASSERT_EQ(s.steps.size(), 6u);
    EXPECT_EQ(s.steps[0].args, (std::vector<std::string>{"persons.name", "field"}));
    EXPECT_EQ(s.steps[1].args, (std::vector<std::string>{"10", "-2.5"}));
    EXPECT_EQ(s.steps[3].number, 150);
    EXPECT_EQ(s.steps[4].number, 3);
}

TEST(EditorScript, BadStepsAreRefusedWithTheirLine) {
    const std::pair<const char*, const char*> cases[] = {
        {"drag 10\n", "/e.script:1: drag needs two numbers in mm"},
        {"save\ndrag ten 0\n", "/e.script:2: drag takes millimetres from -300 to 300, not \"ten\""},
        {"key space\n", "key takes [shift+]left, right, up or down"},
        {"sample biggest\n", "sample takes off, typical or longest"},
        {"zoom 1000\n", "zoom needs a whole number from 25 to 600"},
        {"save now\n", "save takes no argument"},
        {"pin 1234\n", "unknown step \"pin\" for kakanai-forms-editor"},
        {"seed a.toml juminhyo 5\n", "unknown step \"seed\" for kakanai-forms-editor"},
    };
    for (const auto& [text, want] : cases) {
        try {
            Script::parse(text, "/e.script", ScriptFor::Editor);
            ADD_FAILURE() << "accepted: " << text;
        } catch (const ScriptError& e) {
            EXPECT_NE(std::string(e.what()).find(want), std::string::npos) << e.what();
        }
    }
    EXPECT_THROW(Script::parse("drag 1 1\n", "/k.script", ScriptFor::Kiosk), ScriptError);
}
