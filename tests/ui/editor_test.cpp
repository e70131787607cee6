// The layout editor (kakanai-forms-editor) in scripted runs with SDL's dummy
// video driver: a box dragged 10 mm to the right lands 10 mm to the right in
// the rendered PDF; the longest sample values mark exactly the overflowing boxes.
#include <gtest/gtest.h>
#include <png.h>

#include <cmath>
#include <cstring>
#include <fstream>
#include <regex>
#include <sstream>

#include "test_support.hpp"

using namespace kakanai;

namespace {

std::string editor() { return (test::binary_dir() / "kiosk/editor/kakanai-forms-editor").string(); }
std::string forms_cli() { return (test::binary_dir() / "tools/kakanai-forms").string(); }

// A background as a scan would give it: A4 at 50 dpi, a 10 mm grid in grey.
void write_background(const std::filesystem::path& file) {
    const int w = 413, h = 585;
    std::vector<std::uint8_t> px(static_cast<std::size_t>(w) * h * 3, 255);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            const double mx = x * 25.4 / 50, my = y * 25.4 / 50;
            if (std::fmod(mx, 10.0) < 0.5 || std::fmod(my, 10.0) < 0.5)
                for (int c = 0; c < 3; ++c) px[(static_cast<std::size_t>(y) * w + x) * 3 + c] = 200;
        }
    png_image img;
    std::memset(&img, 0, sizeof img);
    img.version = PNG_IMAGE_VERSION;
    img.width = w;
    img.height = h;
    img.format = PNG_FORMAT_RGB;
    ASSERT_TRUE(png_image_write_to_file(&img, file.c_str(), 0, px.data(), 0, nullptr)) << img.message;
}

std::string read(const std::filesystem::path& f) {
    std::ifstream in(f);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// xMin (pt) of the first word `word` in pdftotext -bbox output; NaN when absent.
double word_x(const std::filesystem::path& pdf, const std::string& word) {
    const std::string html = test::run("pdftotext -bbox " + test::shell_quote(pdf.string()) + " -").output;
    const std::regex re("<word xMin=\"([0-9.]+)\" yMin=\"[0-9.]+\" xMax=\"[0-9.]+\" yMax=\"[0-9.]+\">" + word + "</word>");
    std::smatch m;
    if (!std::regex_search(html, m, re)) return std::nan("");
    return std::stod(m[1]);
}

struct EditorRun {
    int exit_code;
    std::string log;
};

EditorRun run_editor(const test::TempDir& dir, const std::filesystem::path& tmpl, const std::string& script,
               const std::string& size = "1600x1000") {
    const auto log = dir / ("editor-" + size + ".log");
    const auto r = test::run("SDL_VIDEODRIVER=dummy " + editor() + " --renderer software --size " + size + " --script " +
                             test::shell_quote((test::source_dir() / "tests/editor" / script).string()) + " --screenshots " +
                             test::shell_quote((dir / "shots").string()) + " " + test::shell_quote(tmpl.string()) + " 2> " +
                             test::shell_quote(log.string()));
    return {r.exit_code, read(log)};
}

TEST(Editor, DraggedBoxMovesTenMillimetresInThePrintedPdf) {
    test::TempDir dir;
    const auto forms = dir / "forms";
    std::filesystem::create_directories(forms);
    std::filesystem::copy_file(test::source_dir() / "tests/editor/editor_move.toml", forms / "editor_move.toml");
    write_background(forms / "editor_move_bg.png");

    const auto before = dir / "before.pdf", after = dir / "after.pdf";
    const std::string preview = forms_cli() + " preview editor_move --forms " + test::shell_quote(forms.string()) + " --out ";
    ASSERT_EQ(test::run(preview + test::shell_quote(before.string())).exit_code, 0);

    const EditorRun r = run_editor(dir, forms / "editor_move.toml", "move.script");
    ASSERT_EQ(r.exit_code, 0) << r.log;

    // The saved file validates, its version went up, the old one is in backup/, comments stayed.
    const auto v = test::run(forms_cli() + " validate " + test::shell_quote((forms / "editor_move.toml").string()));
    EXPECT_EQ(v.exit_code, 0) << v.output;
    const std::string saved = read(forms / "editor_move.toml");
    EXPECT_NE(saved.find("version = 2"), std::string::npos) << saved;
    EXPECT_NE(saved.find("{ field = \"town_name\", x = 30, y = 40, w = 60, h = 12 }"), std::string::npos) << saved;
    EXPECT_NE(saved.find("# the town's name: the test moves this box 10 mm to the right"), std::string::npos);
    EXPECT_NE(saved.find("# This comment and the one in the layout must survive a save."), std::string::npos);
    EXPECT_EQ(read(forms / "backup/editor_move.v1.toml"), read(test::source_dir() / "tests/editor/editor_move.toml"));
    EXPECT_TRUE(std::filesystem::exists(dir / "shots/editor-move.png"));

    ASSERT_EQ(test::run(preview + test::shell_quote(after.string())).exit_code, 0);
    const double x0 = word_x(before, "MIHONCHO"), x1 = word_x(after, "MIHONCHO");
    ASSERT_FALSE(std::isnan(x0));
    ASSERT_FALSE(std::isnan(x1));
    const double moved_mm = (x1 - x0) * 25.4 / 72.0;
    EXPECT_NEAR(moved_mm, 10.0, 0.5) << "before " << x0 << " pt, after " << x1 << " pt";
}

TEST(Editor, LongestSamplesMarkExactlyTheOverflowingBoxes) {
    test::TempDir dir;
    const auto tmpl = dir / "editor_overflow.toml";
    std::filesystem::copy_file(test::source_dir() / "tests/editor/editor_overflow.toml", tmpl);
    for (const char* size : {"1920x1080", "1280x800", "1080x1920"}) {
        const EditorRun r = run_editor(dir, tmpl, "overflow.script", size);
        ASSERT_EQ(r.exit_code, 0) << size << "\n" << r.log;
        // The three boxes, by name, and no other.
        for (const char* box : {"name_small (field)", "address_small (field)", "postal_code (grid)"})
            EXPECT_NE(r.log.find(std::string("overflow: ") + box), std::string::npos) << size << "\n" << r.log;
        EXPECT_EQ(r.log.find("overflow: applicant_"), std::string::npos) << r.log;
    }
}

TEST(Editor, ARefusedScriptStepFailsTheRun) {
    test::TempDir dir;
    const auto tmpl = dir / "editor_overflow.toml";
    std::filesystem::copy_file(test::source_dir() / "tests/editor/editor_overflow.toml", tmpl);
    std::ofstream(dir / "bad.script") << "sample longest\nexpect-overflow 2\n";
    const auto r = test::run("SDL_VIDEODRIVER=dummy " + editor() + " --renderer software --script " +
                             test::shell_quote((dir / "bad.script").string()) + " " + test::shell_quote(tmpl.string()) +
                             " 2>&1");
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.output.find("expected 2 overflowing boxes, found 3"), std::string::npos) << r.output;
}

}  // namespace
