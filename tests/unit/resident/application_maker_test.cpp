#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

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
