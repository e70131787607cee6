#include <gtest/gtest.h>

#include <fstream>

#include "kakanai/forms/catalogue.hpp"
#include "test_support.hpp"

using namespace kakanai::forms;

TEST(Catalogue, ShippedFolderLoadsWithoutProblems) {
    const Catalogue c = Catalogue::load(kakanai::test::forms_dir(), "2026-11-23");
    for (const auto& p : c.problems()) ADD_FAILURE() << p.to_string();
    ASSERT_NE(c.find("juminhyo"), nullptr);
    ASSERT_FALSE(c.events().empty());
}

TEST(Catalogue, BrokenTemplateIsReportedAndOthersServeAndLastGoodIsKept) {
    kakanai::test::TempDir dir;
    std::filesystem::copy(kakanai::test::forms_dir() / "juminhyo.toml", dir / "juminhyo.toml");
    std::ofstream(dir / "broken.toml") << "id = \"broken\"\nversion = = 1\n";
    Catalogue c = Catalogue::load(dir.path(), "2026-11-23");
    ASSERT_EQ(c.problems().size(), 1u);
    EXPECT_EQ(c.problems()[0].line, 2);
    EXPECT_NE(c.find("juminhyo"), nullptr);

    // juminhyo becomes invalid: its last good version keeps serving.
    std::ofstream(dir / "juminhyo.toml", std::ios::app) << "\n[[fields]]\nid = \"x\"\ntype = \"nonsense\"\n";
    std::filesystem::last_write_time(dir / "juminhyo.toml", std::filesystem::file_time_type::clock::now() +
                                                               std::chrono::seconds(5));
    EXPECT_TRUE(c.reload_if_changed());
    EXPECT_NE(c.find("juminhyo"), nullptr);
    // broken.toml, then field x: unknown type, no label.ja, no question.ja
    ASSERT_EQ(c.problems().size(), 4u);
    EXPECT_NE(c.problems()[1].message.find("nonsense"), std::string::npos);
    EXPECT_EQ(c.problems()[1].field, "x");
    EXPECT_FALSE(c.reload_if_changed());
}

TEST(Catalogue, PicksTheNewestVersionValidToday) {
    kakanai::test::TempDir dir;
    std::ifstream in(kakanai::test::forms_dir() / "juminhyo.toml");
    std::string text((std::istreambuf_iterator<char>(in)), {});
    std::ofstream(dir / "v1.toml") << text;
    std::string v2 = text;
    v2.replace(v2.find("version = 1"), 11, "version = 2");
    v2.replace(v2.find("valid_from = 2024-04-01"), 23, "valid_from = 2027-04-01");
    std::ofstream(dir / "v2.toml") << v2;
    EXPECT_EQ(Catalogue::load(dir.path(), "2026-11-23").find("juminhyo")->version, 1);
    EXPECT_EQ(Catalogue::load(dir.path(), "2027-04-01").find("juminhyo")->version, 2);
}
