// Runs the kiosk under the X display (Xvfb in make test) with a scripted
// session and checks the screenshots show something.
#include <gtest/gtest.h>
#include <stb/stb_image.h>

#include <cstdlib>
#include <fstream>
#include <set>

#include "test_support.hpp"

using namespace kakanai;

namespace {

struct Shot {
    int w = 0, h = 0;
    double non_white = 0;  // share of pixels that are not the white background
    std::size_t colours = 0;
};

Shot analyse(const std::filesystem::path& png) {
    Shot s;
    int n = 0;
    unsigned char* px = stbi_load(png.c_str(), &s.w, &s.h, &n, 3);
    if (!px) return s;
    std::set<unsigned> colours;
    std::size_t non_white = 0;
    const std::size_t total = static_cast<std::size_t>(s.w) * static_cast<std::size_t>(s.h);
    for (std::size_t i = 0; i < total; ++i) {
        const unsigned c = unsigned{px[3 * i]} << 16 | unsigned{px[3 * i + 1]} << 8 | px[3 * i + 2];
        if (c != 0xFFFFFF) ++non_white;
        if (colours.size() < 1000) colours.insert(c);
    }
    stbi_image_free(px);
    s.non_white = static_cast<double>(non_white) / static_cast<double>(total);
    s.colours = colours.size();
    return s;
}

std::string kiosk() { return (test::binary_dir() / "kiosk/kakanai-kiosk").string(); }

}  // namespace

TEST(Ui, FirstScreenScreenshotIsNotBlank) {
    ASSERT_NE(std::getenv("DISPLAY"), nullptr) << "run through scripts/with-services (make test)";
    test::TempDir dir;
    const auto png = dir / "welcome.png";
    const auto r = test::run(kiosk() + " --size 1280x800 --output " + (dir / "out").string() + " --data " +
                             (dir / "data").string() + " --screenshot " + png.string() + " --virtual-card " +
                             test::card_profile("typical").string() + " 2>&1");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    const Shot s = analyse(png);
    EXPECT_EQ(s.w, 1280);
    EXPECT_EQ(s.h, 800);
    EXPECT_GT(s.non_white, 0.02);
    EXPECT_GT(s.colours, 10u);
}

TEST(Ui, ScriptedHappyPathSavesEveryScreenAndMakesThePdf) {
    ASSERT_NE(std::getenv("DISPLAY"), nullptr) << "run through scripts/with-services (make test)";
    test::TempDir dir;
    const auto script = dir / "happy.script";
    std::ofstream(script) << "shot welcome\ncard " << test::card_profile("typical").string()
                          << "\nexpect pin\nshot pin\npin 1234\nexpect confirm\nshot confirm\n"
                             "tap make_pdf\nexpect done\nshot done\n";
    const auto r = test::run(kiosk() + " --script " + script.string() + " --screenshots " + (dir / "shots").string() +
                             " --output " + (dir / "out").string() + " --data " + (dir / "data").string() + " 2>&1");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    for (const char* name : {"welcome", "pin", "confirm", "done"}) {
        const Shot s = analyse(dir / "shots" / (std::string(name) + ".png"));
        EXPECT_GT(s.non_white, 0.02) << name;
        EXPECT_GT(s.colours, 10u) << name;
    }
    std::size_t pdfs = 0;
    for (const auto& e : std::filesystem::directory_iterator(dir / "out")) {
        ++pdfs;
        const std::string text = test::pdf_text(e.path());
        EXPECT_NE(text.find("番号 花子"), std::string::npos);
    }
    EXPECT_EQ(pdfs, 1u);
    // The run's output names the application, never the PIN.
    EXPECT_EQ(r.output.find("1234"), std::string::npos);
}

TEST(Ui, MissingFontIsAClearMessage) {
    test::TempDir dir;
    const auto r = test::run(kiosk() + " --font /nonexistent/font.ttf --screenshot " + (dir / "x.png").string() +
                             " --output " + (dir / "out").string() + " --data " + (dir / "data").string() + " 2>&1");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.output.find("font file missing: /nonexistent/font.ttf"), std::string::npos) << r.output;
}
