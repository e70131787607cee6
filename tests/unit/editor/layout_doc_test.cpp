// The layout editor's document: moves kept on the page and snapped, a save that
// rewrites only the changed values in place (comments kept), validation before
// writing, the previous version kept in backup/, and the kiosk's hot reload.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "kakanai/base/utf8.hpp"
#include "kakanai/forms/catalogue.hpp"
#include "layout_doc.hpp"
#include "samples.hpp"
#include "test_support.hpp"

using namespace kakanai;
using namespace kakanai::kiosk::editor;

namespace {

std::string read(const std::filesystem::path& f) {
    std::ifstream in(f);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

std::filesystem::path copy_overflow_template(const test::TempDir& dir) {
    const auto file = dir / "editor_overflow.toml";
    std::filesystem::copy_file(test::source_dir() / "tests/editor/editor_overflow.toml", file);
    return file;
}

}  // namespace

TEST(LayoutDoc, SnapRoundsToHalfMillimetres) {
    EXPECT_DOUBLE_EQ(snap(10.26, kSnapMm), 10.5);
    EXPECT_DOUBLE_EQ(snap(10.24, kSnapMm), 10.0);
    EXPECT_DOUBLE_EQ(snap(-0.2, kSnapMm), 0.0);
    EXPECT_DOUBLE_EQ(snap(31.1, kNudgeMm), 31.1);
}

TEST(LayoutDoc, BoxesStayOnThePageAndKeepAMinimumSize) {
    test::TempDir dir;
    LayoutDoc doc = LayoutDoc::open(copy_overflow_template(dir));
    const ItemRef r = *doc.find("applicant_phone");
    doc.set_rect(r, 200, 290, 60, 10);  // pushed past the corner
    EXPECT_DOUBLE_EQ(doc.item(r).x, 150);
    EXPECT_DOUBLE_EQ(doc.item(r).y, 287);
    doc.set_rect(r, 10, 10, 0.3, -4);
    EXPECT_DOUBLE_EQ(doc.item(r).w, kMinBoxMm);
    EXPECT_DOUBLE_EQ(doc.item(r).h, kMinBoxMm);
    doc.nudge(r, 0.1, 0);
    EXPECT_DOUBLE_EQ(doc.item(r).x, 10.1);
    EXPECT_TRUE(doc.dirty());
}

TEST(LayoutDoc, ClickPicksTheSmallestBoxUnderThePointer) {
    test::TempDir dir;
    LayoutDoc doc = LayoutDoc::open(copy_overflow_template(dir));
    EXPECT_EQ(doc.describe(*doc.hit(125, 45)), "name_small (field)");
    EXPECT_EQ(doc.describe(*doc.hit(80, 85)), "postal_code (grid)");
    EXPECT_FALSE(doc.hit(5, 5).has_value());
}

TEST(LayoutDoc, SaveRewritesOnlyTheChangedValuesInPlace) {
    test::TempDir dir;
    const auto file = copy_overflow_template(dir);
    const std::string before = read(file);
    LayoutDoc doc = LayoutDoc::open(file);
    doc.set_rect(*doc.find("address_small"), 20, 80, 60.5, 10);
    doc.set_size(*doc.find("applicant_phone"), 9);  // a key the item did not have
    doc.set_binding("name_small", {forms::Source::Fixed, "固定の \"名前\""});
    const Saved s = doc.save();
    EXPECT_EQ(s.version, 2);
    EXPECT_EQ(s.backup, dir / "backup/editor_overflow.v1.toml");
    EXPECT_EQ(read(s.backup), before);
    // The same text with exactly these edits: every other byte (comments too) as it was.
    std::string expected = before;
    auto edit = [&](const std::string& from, const std::string& to) {
        const auto at = expected.find(from);
        ASSERT_NE(at, std::string::npos) << from;
        expected.replace(at, from.size(), to);
    };
    edit("version = 1", "version = 2");
    edit("id = \"name_small\"\ntype = \"text\"\nfrom = \"field.applicant_name\"\nlabel = { ja = \"氏名\", en = \"Name\", easy = \"なまえ\" }\n",
         "id = \"name_small\"\ntype = \"text\"\nfrom = \"fixed\"\nlabel = { ja = \"氏名\", en = \"Name\", easy = \"なまえ\" }\n"
         "value = \"固定の \\\"名前\\\"\"\n");
    edit("{ field = \"address_small\", x = 20, y = 80, w = 40, h = 10 }", "{ field = \"address_small\", x = 20, y = 80, w = 60.5, h = 10 }");
    edit("{ field = \"applicant_phone\", x = 110, y = 80, w = 60, h = 10 }",
         "{ field = \"applicant_phone\", x = 110, y = 80, w = 60, h = 10, size = 9 }");
    EXPECT_EQ(read(file), expected);
    EXPECT_EQ(doc.tmpl().version, 2);
    EXPECT_FALSE(doc.dirty());
    // A second save keeps version 2 as backup/..v2.toml.
    doc.nudge(*doc.find("address_small"), 1, 0);
    EXPECT_EQ(doc.save().backup, dir / "backup/editor_overflow.v2.toml");
}

TEST(LayoutDoc, TableFormItemsGetNewKeysOnTheirOwnLine) {
    test::TempDir dir;
    const auto file = dir / "t.toml";
    std::string text = read(test::source_dir() / "tests/editor/editor_overflow.toml");
    text = text.substr(0, text.find("[page]")) +
           "[[page.items]]\nfield = \"applicant_name\"   # the name\nx = 20\ny = 40\nw = 90\nh = 14\n\n"
           "[[page.items]]\nkind = \"label\"\ntext = { ja = \"見本\" }\nx = 20\ny = 100\nw = 30\nh = 8\n";
    std::ofstream(file) << text;
    LayoutDoc doc = LayoutDoc::open(file);
    doc.set_rect(*doc.find("applicant_name"), 25.5, 40, 90, 14);
    doc.set_align(*doc.find("applicant_name"), forms::Align::Right);
    doc.save();
    const std::string after = read(file);
    EXPECT_NE(after.find("field = \"applicant_name\"   # the name\nx = 25.5\ny = 40\nw = 90\nh = 14\nalign = \"right\"\n\n"),
              std::string::npos)
        << after;
}

TEST(LayoutDoc, AnInvalidResultIsRefusedAndNothingIsWritten) {
    test::TempDir dir;
    const auto file = copy_overflow_template(dir);
    const std::string before = read(file);
    LayoutDoc doc = LayoutDoc::open(file);
    doc.set_binding("name_small", {forms::Source::Question, ""});  // a question needs its texts
    try {
        doc.save();
        FAIL() << "saved an invalid template";
    } catch (const SaveError& e) {
        ASSERT_FALSE(e.problems().empty());
        EXPECT_EQ(e.problems().front().file, file);
        EXPECT_EQ(e.problems().front().field, "name_small");
    }
    EXPECT_EQ(read(file), before);
    EXPECT_FALSE(std::filesystem::exists(dir / "backup"));
    for (const auto& e : std::filesystem::directory_iterator(dir.path()))
        EXPECT_EQ(e.path().filename(), "editor_overflow.toml");  // no temp file left behind
}

TEST(LayoutDoc, AFileChangedOnDiskMeanwhileIsNotOverwritten) {
    test::TempDir dir;
    const auto file = copy_overflow_template(dir);
    LayoutDoc doc = LayoutDoc::open(file);
    std::ofstream(file, std::ios::app) << "# edited by hand\n";
    doc.nudge(*doc.find("applicant_name"), 1, 0);
    EXPECT_THROW(doc.save(), SaveError);
    EXPECT_NE(read(file).find("# edited by hand"), std::string::npos);
}

TEST(LayoutDoc, TheKiosksHotReloadPicksUpASavedTemplate) {
    test::TempDir dir;
    const auto file = copy_overflow_template(dir);
    forms::Catalogue c = forms::Catalogue::load(dir.path(), "2026-12-02");
    ASSERT_NE(c.find("editor_overflow"), nullptr);
    EXPECT_EQ(c.find("editor_overflow")->version, 1);
    LayoutDoc doc = LayoutDoc::open(file);
    doc.set_rect(*doc.find("address_small"), 30, 80, 40, 10);
    doc.save();
    EXPECT_TRUE(c.reload_if_changed());
    const forms::Template* t = c.find("editor_overflow");
    ASSERT_NE(t, nullptr);
    EXPECT_EQ(t->version, 2);
    EXPECT_DOUBLE_EQ(t->layout[3].x, 30);
    EXPECT_TRUE(c.problems().empty());  // backup/ is not read as a second template
}

TEST(Samples, TheLongestValuesAreAsLongAsPromised) {
    EXPECT_EQ(base::decode_utf8(kLongestName).size(), 20u);
    EXPECT_NE(std::string(kLongestName).find("𠮷"), std::string::npos);
    EXPECT_EQ(base::decode_utf8(kLongestAddress).size(), 60u);
}
