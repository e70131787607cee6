#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>

#include "application_maker.hpp"
#include "test_support.hpp"

using namespace kakanai;
namespace test = kakanai::test;

namespace {

// The applications kakanai-report exports for `department`, as its JSON file says.
nlohmann::json exported(const test::TempDir& dir, const std::string& department) {
    const auto out = dir / ("export-" + std::to_string(std::hash<std::string>{}(department)));
    std::filesystem::create_directories(out);
    const std::string tool = (test::binary_dir() / "tools/kakanai-report").string();
    // export --staff takes only a configured staff id.
    std::ofstream(dir / "report.toml") << "[store]\npath = \"" << (dir / "data/store.db").string() << "\"\nprivate_key_file = \""
                                       << (dir / "data/seal.key").string() << "\"\n[staff]\nids = [\"staff-9\"]\n";
    const auto r = test::run(tool + " --config " + test::shell_quote((dir / "report.toml").string()) + " export --department " +
                             test::shell_quote(department) + " --staff staff-9 --format json --out " +
                             test::shell_quote(out.string()) + " --forms " +
                             test::shell_quote(test::forms_dir().string()) + " 2>&1");
    EXPECT_EQ(r.exit_code, 0) << r.output;
    for (const auto& e : std::filesystem::directory_iterator(out)) {
        std::ifstream in(e.path());
        return nlohmann::json::parse(in);
    }
    ADD_FAILURE() << "no export file for " << department;
    return nlohmann::json::array();
}

}  // namespace

// An errand of two departments' forms (引っ越し: 転入届 for 住民課, 国民健康保険
// for 保険年金課), submitted the way the kiosk does: each department's export
// finds its own application, labelled with its department (it used to be empty,
// left for kakanai-report to guess from the template files).
TEST(ApplicationMaker, EachDepartmentsExportFindsWhatTheKioskSubmitted) {
    test::TempDir dir;
    kiosk::ApplicationMaker maker({test::forms_dir(), dir / "data", "kiosk-1", std::nullopt});
    cardreader::CardInfo card;
    card.name = "部署 花子";
    card.address = "東京都千代田区霞が関1丁目1番1号";
    card.birth_date = "1980-04-01";
    card.sex = cardreader::Sex::Female;
    auto filled = maker.fill({"tennyu", "kokuho_shutoku"}, card, {{"employer_insurance", "no"}});
    ASSERT_EQ(filled.size(), 2u);
    const auto ids = maker.submit(filled, cardreader::Authenticity::Verified);
    for (auto& f : filled) f.wipe();
    ASSERT_EQ(ids.size(), 2u);
    // Staff confirm both at the counter: the export takes confirmed and printed ones.
    auto staff = store::open_sqlite(dir / "data/store.db", dir / "data/seal.key");
    for (const auto& id : ids) staff->confirm(id, "staff-1");

    const std::pair<const char*, std::string> expected[] = {{"住民課", ids[0]}, {"保険年金課", ids[1]}};
    for (const auto& [department, id] : expected) {
        const nlohmann::json apps = exported(dir, department);
        ASSERT_EQ(apps.size(), 1u) << department << ": " << apps.dump();
        EXPECT_EQ(apps[0]["application_id"], id) << department;
        EXPECT_EQ(apps[0]["department"], std::string(department));
        EXPECT_EQ(apps[0]["card_read"], true);
    }
}

// Each application keeps the card check's result; card data that failed the
// check is never stored and never rendered.
TEST(ApplicationMaker, KeepsTheAuthenticityAndRefusesCardDataThatFailedIt) {
    test::TempDir dir;
    kiosk::ApplicationMaker maker({test::forms_dir(), dir / "data", "kiosk-1", std::nullopt});
    cardreader::CardInfo card;
    card.name = "真正 花子";
    card.address = "東京都千代田区霞が関1丁目1番1号";
    card.birth_date = "1980-04-01";
    card.sex = cardreader::Sex::Female;
    auto filled = maker.fill({"juminhyo"}, card, {});
    for (const auto a : {cardreader::Authenticity::HashMismatch, cardreader::Authenticity::SignatureInvalid,
                         cardreader::Authenticity::NotChecked})
        EXPECT_THROW(maker.submit(filled, a), kiosk::MakeError) << cardreader::to_string(a);
    {
        auto staff = store::open_sqlite(dir / "data/store.db", dir / "data/seal.key");
        EXPECT_TRUE(staff->queue().empty());
    }
    const auto ids = maker.submit(filled, cardreader::Authenticity::Consistent);
    for (auto& f : filled) f.wipe();
    ASSERT_EQ(ids.size(), 1u);
    auto staff = store::open_sqlite(dir / "data/store.db", dir / "data/seal.key");
    const auto stored = staff->get(ids[0]);
    ASSERT_TRUE(stored.has_value());
    EXPECT_EQ(stored->authenticity, "consistent");
    EXPECT_TRUE(stored->card_read);
}

// A moving-in household of three: the card holder (employer insurance), the
// spouse read from her own card (no employer insurance) and a child entered at
// the counter. 転入届 lists all three; 国保 取得 applies because the spouse and
// the child join, and lists only them; 児童手当 lists the child. Stored and
// read back by the staff side with the member rows intact.
TEST(ApplicationMaker, AHouseholdFillsEachFormsRowsAndIsStored) {
    test::TempDir dir;
    kiosk::ApplicationMaker maker({test::forms_dir(), dir / "data", "kiosk-1", std::nullopt});
    cardreader::CardInfo card;
    card.name = "世帯 一郎";
    card.address = "東京都千代田区霞が関1丁目1番1号";
    card.birth_date = "1980-04-01";
    card.sex = cardreader::Sex::Male;
    forms::Household household(2);
    household[0].name = "世帯 花子";
    household[0].kana = "セタイ ハナコ";
    household[0].birth_date = "1982-06-01";
    household[0].sex = "female";
    household[0].relationship = "spouse";
    household[0].read_from_card = true;
    household[0].answers = {{"employer_insurance", "no"}};
    household[1].name = "世帯 小太郎";
    household[1].birth_date = "2017-09-09";
    household[1].sex = "male";
    household[1].relationship = "child";
    household[1].answers = {{"employer_insurance", "no"}, {"lives_with", "together"}};
    auto filled = maker.fill({"tennyu", "kokuho_shutoku", "jidou_teate"}, card,
                             {{"employer_insurance", "yes"}, {"relationship", "head"}, {"has_children", "yes"}}, household);
    forms::wipe(household);
    ASSERT_EQ(filled.size(), 3u);
    const auto rows = [&](const std::string& id, const std::string& group) {
        for (const auto& f : filled)
            if (f.template_id == id) return forms::member_rows(f, group);
        return -1;
    };
    EXPECT_EQ(rows("tennyu", "persons"), 3);
    EXPECT_EQ(rows("kokuho_shutoku", "persons"), 2);
    EXPECT_EQ(rows("jidou_teate", "children"), 1);
    EXPECT_EQ(filled[1].find("persons.1.name")->value, "世帯 花子");
    EXPECT_EQ(filled[1].find("persons.2.name")->value, "世帯 小太郎");
    EXPECT_EQ(filled[2].find("children.1.name")->value, "世帯 小太郎");
    const auto ids = maker.submit(filled, cardreader::Authenticity::Verified);
    for (auto& f : filled) f.wipe();
    ASSERT_EQ(ids.size(), 3u);
    auto staff = store::open_sqlite(dir / "data/store.db", dir / "data/seal.key");
    const auto app = staff->open(ids[0], "staff-1");
    ASSERT_TRUE(app.has_value());
    const auto it = std::find_if(app->fields.begin(), app->fields.end(),
                                 [](const store::FieldValue& f) { return f.id == "persons.3.name"; });
    ASSERT_NE(it, app->fields.end());
    EXPECT_EQ(it->value, "世帯 小太郎");
}

// 何通 per certificate: an answer kept for one form ("copies@inkan") is that form's
// answer alone; the other forms keep theirs.
TEST(ApplicationMaker, AnAnswerForOneFormFillsThatFormOnly) {
    test::TempDir dir;
    kiosk::ApplicationMaker maker({test::forms_dir(), dir / "data", "kiosk-1", std::nullopt});
    cardreader::CardInfo card;
    card.name = "通数 花子";
    card.address = "東京都千代田区霞が関1丁目1番1号";
    card.birth_date = "1980-04-01";
    auto filled = maker.fill({"juminhyo", "inkan"}, card, {{"copies@juminhyo", "2"}, {"copies@inkan", "3"}});
    ASSERT_EQ(filled.size(), 2u);
    ASSERT_NE(filled[0].find("copies"), nullptr);
    ASSERT_NE(filled[1].find("copies"), nullptr);
    EXPECT_EQ(filled[0].find("copies")->value, "2");
    EXPECT_EQ(filled[1].find("copies")->value, "3");
    for (auto& f : filled) f.wipe();
}
