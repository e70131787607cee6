// The layout check of scripted runs (layout_check.hpp): what it reports, word for
// word, and that the kit's buttons reach it from an ImGui frame.
#include <gtest/gtest.h>
#include <imgui.h>

#include "kit.hpp"
#include "layout_check.hpp"

using namespace kakanai::kiosk;

namespace {

// The resident's kiosk at 1920x1080: header to y=140, footer from y=950, 120 px targets.
LayoutCheck kiosk_frame(const std::string& screen) {
    LayoutCheck c;
    c.begin_frame(screen, 1920, 1080);
    c.set_header(Box{0, 0, 1920, 140});
    c.set_footer(Box{0, 950, 1920, 1080});
    c.set_content(Box{0, 140, 1920, 950});
    c.set_min_target(120);
    return c;
}

// Every character one unit wide: wrapping without a font.
float chars(std::string_view s) {
    float n = 0;
    for (unsigned char ch : s)
        if ((ch & 0xC0) != 0x80) n += 1;
    return n;
}

}  // namespace

TEST(LayoutCheck, AButtonUnderTheFooterFailsWithScreenLabelRectangleAndSize) {
    LayoutCheck c = kiosk_frame("question");
    c.tappable("digit.7", "7", Box{760, 700, 928, 820});
    EXPECT_TRUE(c.ok());
    c.tappable("digit.clear", "消す", Box{760, 900, 928, 1020});
    ASSERT_EQ(c.problems().size(), 1u);
    EXPECT_EQ(c.problems()[0],
              "layout check: screen question at 1920x1080: button \"消す\" (digit.clear) at x=760 y=900 w=168 h=120 "
              "is under the footer (from y=950)");
}

TEST(LayoutCheck, AButtonOffTheScreenOrOverTheHeaderFails) {
    LayoutCheck c = kiosk_frame("review");
    c.tappable("review.submit", "この内容で申し込む", Box{40, 1100, 1880, 1228});
    c.tappable("answer.yes", "はい", Box{40, 100, 400, 260});
    ASSERT_EQ(c.problems().size(), 2u);
    EXPECT_EQ(c.problems()[0],
              "layout check: screen review at 1920x1080: button \"この内容で申し込む\" (review.submit) at x=40 y=1100 "
              "w=1840 h=128 is outside the screen");
    EXPECT_EQ(c.problems()[1],
              "layout check: screen review at 1920x1080: button \"はい\" (answer.yes) at x=40 y=100 w=360 h=160 "
              "overlaps the header (to y=140)");
}

TEST(LayoutCheck, ATooSmallButtonFails) {
    LayoutCheck c = kiosk_frame("question");
    c.tappable("answer.yes", "はい", Box{100, 300, 300, 380});
    ASSERT_EQ(c.problems().size(), 1u);
    EXPECT_EQ(c.problems()[0],
              "layout check: screen question at 1920x1080: button \"はい\" (answer.yes) at x=100 y=300 w=200 h=80 "
              "is smaller than 120 px");
}

TEST(LayoutCheck, FooterButtonsBelongToTheFooter) {
    LayoutCheck c = kiosk_frame("welcome");
    c.set_zone(LayoutCheck::Zone::Footer);
    c.tappable("help", "職員を呼ぶ", Box{1500, 955, 1880, 1075});
    c.set_zone(LayoutCheck::Zone::Header);
    c.tappable("lang.en", "English", Box{1500, 10, 1800, 130});
    EXPECT_TRUE(c.ok()) << c.problems()[0];
}

TEST(LayoutCheck, ItemsOfAScrollingListMayBeScrolledAway) {
    LayoutCheck c = kiosk_frame("review");
    c.begin_scroll(Box{40, 300, 1880, 800});
    c.tappable("review.form.3", "要介護認定申請書", Box{40, 820, 1880, 1000});  // below: scroll to reach it
    c.tappable("review.form.2", "転出届", Box{40, 700, 1880, 880});            // half shown
    EXPECT_TRUE(c.ok()) << c.problems()[0];
    c.tappable("review.form.1", "転入届", Box{0, 400, 1880, 520});
    ASSERT_EQ(c.problems().size(), 1u);
    EXPECT_NE(c.problems()[0].find("reaches past the sides of its list"), std::string::npos) << c.problems()[0];
    c.end_scroll();
    c.tappable("review.submit", "この内容で申し込む", Box{40, 900, 1880, 1020});
    EXPECT_NE(c.problems().back().find("is under the footer"), std::string::npos);
}

TEST(LayoutCheck, ATextBrokenInsideAWordFails) {
    LayoutCheck c = kiosk_frame("pin");
    c.text({"暗証番号を忘", "れた"}, Box{1400, 700, 1640, 780}, Box{1380, 680, 1700, 800});
    ASSERT_EQ(c.problems().size(), 1u);
    EXPECT_EQ(c.problems()[0],
              "layout check: screen pin at 1920x1080: text \"暗証番号を忘|れた\" at x=1400 y=700 w=240 h=80 is broken "
              "inside a word");
    LayoutCheck ok = kiosk_frame("pin");
    ok.text({"暗証番号を", "忘れた"}, Box{1400, 700, 1600, 780}, Box{1380, 680, 1700, 800});
    EXPECT_TRUE(ok.ok()) << ok.problems()[0];
}

TEST(LayoutCheck, AClippedTextFails) {
    LayoutCheck c = kiosk_frame("done");
    c.text({"カードをお取りください"}, Box{100, 900, 540, 960}, Box{40, 140, 1880, 950});
    ASSERT_EQ(c.problems().size(), 1u);
    EXPECT_EQ(c.problems()[0],
              "layout check: screen done at 1920x1080: text \"カードをお取りください\" at x=100 y=900 w=440 h=60 is "
              "clipped by its box x=40 y=140 w=1840 h=810");
}

// Lines end only between words (ICU's line and word boundaries for Japanese), never
// in front of kana that belong to the word before.
TEST(LayoutCheck, WrappingBreaksJapaneseBetweenWords) {
    EXPECT_EQ(wrap_lines("暗証番号を忘れた", 6, chars), (std::vector<std::string>{"暗証番号を", "忘れた"}));
    EXPECT_EQ(wrap_lines("証明書・届出を1つだけ", 8, chars), (std::vector<std::string>{"証明書・届出を", "1つだけ"}));
    EXPECT_EQ(wrap_lines("証明書・届出を1つだけ", 6, chars), (std::vector<std::string>{"証明書・", "届出を", "1つだけ"}));
    EXPECT_EQ(wrap_lines("ばんごうを わすれた", 7, chars), (std::vector<std::string>{"ばんごうを ", "わすれた"}));
    EXPECT_EQ(wrap_lines("Forgot the PIN", 8, chars), (std::vector<std::string>{"Forgot ", "the PIN"}));
    EXPECT_EQ(wrap_lines("一行目\n二行目", 10, chars), (std::vector<std::string>{"一行目\n", "二行目"}));
    EXPECT_FALSE(breakable("けってい", 6));
    EXPECT_FALSE(breakable("とてもかんたん", 15));
    // A number keeps its counter (a date read from the card, a count of copies).
    EXPECT_EQ(wrap_lines("（1978年6月1日）", 7, chars), (std::vector<std::string>{"（1978年", "6月1日）"}));
    EXPECT_FALSE(breakable("6月1日", 5));
    EXPECT_FALSE(breakable("1978年", 4));
    // A word wider than the line is split, and said so.
    bool broken = false;
    EXPECT_EQ(wrap_lines("けってい", 2, chars, &broken), (std::vector<std::string>{"けっ", "てい"}));
    EXPECT_TRUE(broken);
}

// The kit's button path (both programs) hands every button to the check.
TEST(LayoutCheck, TheKitReportsEveryButtonDrawnInAFrame) {
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = ImVec2(1920, 1080);
    io.IniFilename = nullptr;
    unsigned char* px = nullptr;
    int w = 0, h = 0;
    io.Fonts->AddFontDefault();
    io.Fonts->GetTexDataAsRGBA32(&px, &w, &h);
    LayoutCheck c = kiosk_frame("question");
    set_layout_check(&c);
    ImGui::NewFrame();
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(io.DisplaySize);
    ImGui::Begin("w", nullptr, ImGuiWindowFlags_NoDecoration);
    std::set<std::string> drawn;
    std::vector<std::string> taps;
    ImGui::SetCursorScreenPos(ImVec2(760, 900));
    const bool clicked = ImGui::InvisibleButton("clear", ImVec2(168, 120));
    button_pressed("digit.clear", "消す", clicked, true, "", drawn, taps);
    ImGui::End();
    ImGui::Render();
    set_layout_check(nullptr);
    ImGui::DestroyContext();
    EXPECT_EQ(drawn.count("digit.clear"), 1u);
    ASSERT_EQ(c.problems().size(), 1u);
    EXPECT_EQ(c.problems()[0],
              "layout check: screen question at 1920x1080: button \"消す\" (digit.clear) at x=760 y=900 w=168 h=120 "
              "is under the footer (from y=950)");
}
