// The back-office CSV from kakanai-report: a value a spreadsheet would run as
// a formula (a card name "=HYPERLINK(...)") reaches the file as text.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "kakanai/forms/template.hpp"
#include "kakanai/store/store.hpp"
#include "test_support.hpp"

using namespace kakanai::store;
using kakanai::test::run;
using kakanai::test::shell_quote;
using kakanai::test::TempDir;

TEST(ReportCli, CsvExportDefusesFormulas) {
    TempDir dir;
    const auto db = dir / "s.db", key = dir / "s.key";
    const std::string department = kakanai::forms::load_template(kakanai::test::forms_dir() / "juminhyo.toml").department;
    const std::string formula = "=HYPERLINK(\"http://x.invalid\";\"x\")";
    {
        auto store = open_sqlite(db, key);
        Application a;
        a.template_id = "juminhyo";
        a.template_version = 1;
        a.department = department;
        a.station = "kiosk-1";
        a.fields = {{"applicant_name", formula, "card", ""}, {"purpose", "@SUM(1)", "answer", ""}};
        store->confirm(store->submit(a), "staff-1");
    }
    std::filesystem::create_directories(dir / "out");
    const std::string tool = (kakanai::test::binary_dir() / "tools/kakanai-report").string();
    std::ofstream(dir / "kakanai.toml") << "[store]\npath = \"" << db.string() << "\"\nprivate_key_file = \"" << key.string()
                                        << "\"\npublic_key_file = \"" << std::filesystem::path(key).replace_extension(".pub").string()
                                        << "\"\n[staff]\nids = [\"staff-9\"]\n";
    const auto r = run(tool + " --config " + shell_quote((dir / "kakanai.toml").string()) +
                       " export --department " + shell_quote(department) + " --staff staff-9 --out " +
                       shell_quote((dir / "out").string()) + " --forms " +
                       shell_quote(kakanai::test::forms_dir().string()) + " 2>&1");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    int csv_files = 0, json_files = 0;
    for (const auto& e : std::filesystem::directory_iterator(dir / "out")) {
        std::ifstream in(e.path(), std::ios::binary);
        const std::string body((std::istreambuf_iterator<char>(in)), {});
        if (e.path().extension() == ".csv") {
            ++csv_files;
            EXPECT_NE(body.find(",\"'=HYPERLINK(\"\"http://x.invalid\"\";\"\"x\"\")\",card,"), std::string::npos) << body;
            EXPECT_NE(body.find(",'@SUM(1),answer"), std::string::npos) << body;
            EXPECT_EQ(body.find(",\"=HYPERLINK"), std::string::npos);
            EXPECT_EQ(body.find(",=HYPERLINK"), std::string::npos);
        } else if (e.path().extension() == ".json") {
            ++json_files;
            EXPECT_NE(body.find("\"=HYPERLINK(\\\"http://x.invalid\\\";\\\"x\\\")\""), std::string::npos) << body;
        }
    }
    EXPECT_EQ(csv_files, 1);
    EXPECT_EQ(json_files, 1);
}
