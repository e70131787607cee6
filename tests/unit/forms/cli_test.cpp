// kakanai-forms, run as the administrator runs it.
#include <algorithm>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <map>

#include "kakanai/forms/catalogue.hpp"
#include "kakanai/forms/wareki.hpp"
#include "test_support.hpp"

using kakanai::test::run;
using kakanai::test::shell_quote;

namespace {

std::string cli() { return shell_quote((kakanai::test::binary_dir() / "tools/kakanai-forms").string()); }
std::string forms_dir() { return shell_quote(kakanai::test::forms_dir().string()); }

// What `kakanai-card read --json` prints for the demo card (invented resident).
const char* kData = R"({
  "card": {"name": "番号 花子", "address": "東京都千代田区霞が関2丁目1番2号 霞ヶ関コーポ101",
           "birth_date": "1980-02-17", "sex": "female", "authenticity": "verified", "reader": "Virtual PCD 00 00"},
  "answers": {"applicant_kana": "バンゴウ ハナコ", "applicant_phone": "090-1234-5678", "copies": 2}
})";

std::string without_spaces(std::string s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == ' ' || s[i] == '\n') continue;
        if (s.compare(i, 3, "\u3000") == 0) {
            i += 2;
            continue;
        }
        out += s[i];
    }
    return out;
}

}  // namespace

TEST(FormsCli, ListsOneLinePerTemplate) {
    const auto r = run(cli() + " --forms " + forms_dir() + " list");
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_NE(r.output.find("juminhyo\t1\t2024-04-01\t住民票の写し等交付請求書\tshipped\n"), std::string::npos) << r.output;
    EXPECT_EQ(std::count(r.output.begin(), r.output.end(), '\n'), 58);
}

// Where each form comes from once the town's folder lies over the shipped one.
TEST(FormsCli, ListShowsTheOriginOfEachForm) {
    kakanai::test::TempDir town;
    std::filesystem::copy(kakanai::test::forms_dir() / "juminhyo.toml", town / "juminhyo.toml");
    std::ifstream in(kakanai::test::forms_dir() / "inkan.toml");
    std::string own((std::istreambuf_iterator<char>(in)), {});
    own.replace(own.find("id = \"inkan\""), 12, "id = \"town_inkan\"");
    std::ofstream(town / "town_inkan.toml") << own;
    std::ofstream(town / "koseki.toml") << "id = \"koseki\"\ndisabled = true\n";
    const std::string town_opt = " --town " + shell_quote(town.path().string());
    const auto r = run(cli() + " --forms " + forms_dir() + town_opt + " list");
    ASSERT_EQ(r.exit_code, 0);
    EXPECT_NE(r.output.find("juminhyo\t1\t2024-04-01\t住民票の写し等交付請求書\toverridden\n"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("\ttown\n"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("inkan\t1\t2024-04-01\t"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("koseki\t-\t-\t-\tdisabled\n"), std::string::npos) << r.output;
    EXPECT_EQ(r.output.find("koseki\t1"), std::string::npos) << r.output;
    const auto j = nlohmann::json::parse(run(cli() + " --forms " + forms_dir() + town_opt + " list --json").output);
    std::map<std::string, std::string> origin;
    for (const auto& t : j) origin[t["id"]] = t["origin"];
    EXPECT_EQ(origin["juminhyo"], "overridden");
    EXPECT_EQ(origin["town_inkan"], "town");
    EXPECT_EQ(origin["inkan"], "shipped");
    EXPECT_EQ(origin["koseki"], "disabled");
    EXPECT_EQ(run(cli() + " --forms " + forms_dir() + town_opt + " validate").exit_code, 0);
    EXPECT_EQ(run(cli() + " --forms " + forms_dir() + town_opt + " preview town_inkan --out " +
                  shell_quote((town / "p.pdf").string()))
                  .exit_code,
              0);
}

TEST(FormsCli, ListsAsJson) {
    const auto r = run(cli() + " --forms " + forms_dir() + " list --json");
    ASSERT_EQ(r.exit_code, 0);
    const auto j = nlohmann::json::parse(r.output);
    ASSERT_EQ(j.size(), 58u);
    EXPECT_EQ(j[0]["id"], "fuyou_genkyo");  // sorted by id
    const auto inkan = std::find_if(j.begin(), j.end(), [](const nlohmann::json& t) { return t["id"] == "inkan"; });
    ASSERT_NE(inkan, j.end());
    EXPECT_EQ((*inkan)["title"]["en"], "Request for a Certificate of Seal Registration");
    EXPECT_EQ((*inkan)["valid_from"], "2024-04-01");
    EXPECT_EQ((*inkan)["checked"], "2026-12-02");
    EXPECT_EQ((*inkan)["fee_yen"], 300);
    EXPECT_NE((*inkan)["source"].get<std::string>().find("印鑑"), std::string::npos);
}

TEST(FormsCli, ValidateExitsOneOnAnyProblem) {
    EXPECT_EQ(run(cli() + " --forms " + forms_dir() + " validate").exit_code, 0);
    kakanai::test::TempDir dir;
    std::filesystem::copy(kakanai::test::forms_dir() / "juminhyo.toml", dir / "juminhyo.toml");
    EXPECT_EQ(run(cli() + " validate " + shell_quote((dir / "juminhyo.toml").string())).exit_code, 0);
    std::ofstream(dir / "broken.toml") << "id = \"broken\"\nversion = 1\nvalid_from = 2024-04-01\n";
    const auto r = run(cli() + " validate " + shell_quote(dir.path().string()) + " 2>/dev/null");
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.output.find((dir / "broken.toml").string() + ":1: -: `department` (the 課 that receives the form) is missing"),
              std::string::npos)
        << r.output;
    EXPECT_EQ(run(cli() + " validate /nonexistent/x.toml 2>/dev/null").exit_code, 1);
    // events.toml given as a file is checked as life events, against its folder
    EXPECT_EQ(run(cli() + " validate " + shell_quote((kakanai::test::forms_dir() / "events.toml").string())).exit_code, 0);
    std::ofstream(dir / "events.toml") << "[[events]]\nid = \"x\"\ntitle = { ja = \"証明書\" }\nforms = [\"nosuch\"]\n";
    const auto e = run(cli() + " validate " + shell_quote((dir / "events.toml").string()) + " 2>/dev/null");
    EXPECT_EQ(e.exit_code, 1);
    EXPECT_EQ(e.output, (dir / "events.toml").string() + ":1: x: names an unknown form `nosuch`\n");
}

TEST(FormsCli, NewWritesAStarterThatValidates) {
    kakanai::test::TempDir dir;
    const auto r = run(cli() + " --forms " + shell_quote(dir.path().string()) + " new kosei_shomei");
    ASSERT_EQ(r.exit_code, 0);
    ASSERT_TRUE(std::filesystem::exists(dir / "kosei_shomei.toml"));
    EXPECT_EQ(run(cli() + " validate " + shell_quote((dir / "kosei_shomei.toml").string())).exit_code, 0);
    // never overwrites, and refuses ids that cannot name a file
    EXPECT_EQ(run(cli() + " --forms " + shell_quote(dir.path().string()) + " new kosei_shomei 2>/dev/null").exit_code, 1);
    EXPECT_EQ(run(cli() + " --forms " + shell_quote(dir.path().string()) + " new ../x 2>/dev/null").exit_code, 2);
}

// Each catalogue template previews to a PDF showing the card's name, address
// and birth date (in 和暦) where the form prints them.
TEST(FormsCli, EveryCatalogueTemplatePreviewsWithTheCardData) {
    kakanai::test::TempDir dir;
    std::ofstream(dir / "data.json") << kData;
    const auto c = kakanai::forms::Catalogue::load(kakanai::test::forms_dir(), kakanai::forms::today_iso());
    ASSERT_EQ(c.templates().size(), 58u);
    for (const auto* t : c.templates()) {
        const auto pdf = dir / (t->id + ".pdf");
        const auto r = run(cli() + " --forms " + forms_dir() + " preview " + t->id + " --data " +
                           shell_quote((dir / "data.json").string()) + " --out " + shell_quote(pdf.string()) + " 2>/dev/null");
        ASSERT_EQ(r.exit_code, 0) << t->id;
        const std::string text = without_spaces(kakanai::test::pdf_text(pdf));
        EXPECT_NE(text.find("番号花子"), std::string::npos) << t->id;
        EXPECT_NE(text.find("東京都千代田区霞が関2丁目1番2号霞ヶ関コーポ101"), std::string::npos) << t->id;
        EXPECT_NE(text.find("昭和55年2月17日"), std::string::npos) << t->id;
        EXPECT_NE(text.find("見本"), std::string::npos) << t->id;  // the missing answers are marked
        EXPECT_EQ(text.find("（見本）番号花子"), std::string::npos) << t->id;
    }
}

TEST(FormsCli, PreviewWithoutDataIsAllSample) {
    kakanai::test::TempDir dir;
    const auto pdf = dir / "p.pdf";
    ASSERT_EQ(run(cli() + " --forms " + forms_dir() + " preview kokuho_shutoku --out " + shell_quote(pdf.string())).exit_code, 0);
    const std::string text = without_spaces(kakanai::test::pdf_text(pdf));
    EXPECT_NE(text.find("（見本）見本太郎"), std::string::npos) << text;
    EXPECT_NE(text.find("（見本）昭和35年4月1日"), std::string::npos) << text;
}

TEST(FormsCli, PreviewRejectsBadDataAndUnknownIds) {
    kakanai::test::TempDir dir;
    std::ofstream(dir / "bad.json") << R"({"answers": {"applicant_phone": "12345"}})";
    std::ofstream(dir / "broken.json") << "{\"card\": ";
    const std::string out = " --out " + shell_quote((dir / "p.pdf").string());
    EXPECT_EQ(run(cli() + " --forms " + forms_dir() + " preview juminhyo --data " + shell_quote((dir / "bad.json").string()) + out + " 2>/dev/null").exit_code, 1);
    EXPECT_EQ(run(cli() + " --forms " + forms_dir() + " preview juminhyo --data " + shell_quote((dir / "broken.json").string()) + out + " 2>/dev/null").exit_code, 1);
    EXPECT_EQ(run(cli() + " --forms " + forms_dir() + " preview nosuch" + out + " 2>/dev/null").exit_code, 1);
    EXPECT_EQ(run(cli() + " --forms " + forms_dir() + " preview juminhyo 2>/dev/null").exit_code, 2);  // no --out
    EXPECT_FALSE(std::filesystem::exists(dir / "p.pdf"));
}

// A 個人番号 in the card JSON never reaches the preview.
TEST(FormsCli, PreviewIgnoresARealMyNumber) {
    kakanai::test::TempDir dir;
    std::ofstream(dir / "data.json") << R"({"card": {"name": "番号 花子", "my_number": "234567890121"}})";
    const auto pdf = dir / "p.pdf";
    ASSERT_EQ(run(cli() + " --forms " + forms_dir() + " preview jidou_teate --data " + shell_quote((dir / "data.json").string()) +
                  " --out " + shell_quote(pdf.string()))
                  .exit_code,
              0);
    const std::string text = without_spaces(kakanai::test::pdf_text(pdf));
    EXPECT_EQ(text.find("234567890121"), std::string::npos);
    EXPECT_NE(text.find("123456789018"), std::string::npos);
}

// Usage errors: exit 2 and one line on stderr.
TEST(FormsCli, UsageErrorsAreOneLine) {
    for (const char* args : {"", " frobnicate", " list --nope", " preview juminhyo", " --date 2026-13-40 list"}) {
        const auto r = run(cli() + args + " 2>&1 >/dev/null");
        EXPECT_EQ(r.exit_code, 2) << args << ": " << r.output;
        EXPECT_EQ(r.output.rfind("kakanai-forms: ", 0), 0u) << args << ": " << r.output;
        EXPECT_EQ(r.output.find('\n'), r.output.size() - 1) << args << ": " << r.output;
    }
    EXPECT_EQ(run(cli() + " --help >/dev/null").exit_code, 0);
}

// The household shape of DATA.json (docs/templates.md, "Groups"): each member in
// a row of the 転入届; a member value that does not fit stops the preview.
TEST(FormsCli, PreviewPrintsTheHouseholdInRows) {
    kakanai::test::TempDir dir;
    std::ofstream(dir / "data.json") << R"({
  "card": {"name": "番号 花子", "birth_date": "1980-02-17", "sex": "female"},
  "members": [{"name": "番号 太郎", "kana": "バンゴウ タロウ", "birth_date": "1978-06-01", "sex": "male",
               "relationship": "spouse", "card": true},
              {"name": "番号 一郎", "kana": "バンゴウ イチロウ", "birth_date": "2018-05-05", "sex": "male",
               "relationship": "child"}],
  "answers": {"applicant_kana": "バンゴウ ハナコ", "relationship": "head"}
})";
    std::ofstream(dir / "bad.json") << R"({"members": [{"name": "番号 太郎", "birth_date": "1978-13-01"}, {"kana": "バンゴウ"}]})";
    const auto pdf = dir / "p.pdf";
    const auto r = run(cli() + " --forms " + forms_dir() + " preview tennyu --data " +
                       shell_quote((dir / "data.json").string()) + " --out " + shell_quote(pdf.string()));
    ASSERT_EQ(r.exit_code, 0) << r.output;
    const std::string text = without_spaces(kakanai::test::pdf_text(pdf));
    EXPECT_NE(text.find("番号太郎"), std::string::npos);
    EXPECT_NE(text.find("バンゴウイチロウ"), std::string::npos);
    EXPECT_NE(text.find("平成30年5月5日"), std::string::npos);  // the child's birth date in 和暦
    EXPECT_NE(text.find("妻・夫"), std::string::npos);         // 続柄 as printed
    const auto bad = run(cli() + " --forms " + forms_dir() + " preview tennyu --data " +
                         shell_quote((dir / "bad.json").string()) + " --out " + shell_quote((dir / "q.pdf").string()) + " 2>&1");
    EXPECT_EQ(bad.exit_code, 1);
    EXPECT_NE(bad.output.find("members[0].birth_date: not a valid date"), std::string::npos) << bad.output;
    EXPECT_NE(bad.output.find("members[1]: a member needs a name"), std::string::npos) << bad.output;
    EXPECT_FALSE(std::filesystem::exists(dir / "q.pdf"));
}
