// [guide] at the end of a template: the guide slip's counter, what to bring and
// the deadline; each mistake named with file and line.
#include <gtest/gtest.h>

#include <fstream>

#include "kakanai/forms/catalogue.hpp"
#include "kakanai/forms/guide.hpp"
#include "kakanai/forms/template.hpp"
#include "template_fixtures.hpp"
#include "test_support.hpp"

using namespace kakanai::forms;

namespace {

// Line numbers below refer to this text: [guide] is line 21, its first key line 22.
const std::string kBase = kakanai::test::kNameTemplate + "[guide]\n";

struct Loaded {
    std::optional<Template> t;
    std::vector<std::string> problems;
};

Loaded load(const kakanai::test::TempDir& dir, const std::string& guide) {
    const auto file = dir / "t.toml";
    std::ofstream(file) << kBase << guide;
    Loaded out;
    try {
        out.t = load_template(file);
    } catch (const TemplateError& e) {
        for (const auto& p : e.problems()) out.problems.push_back(p.to_string());
    }
    return out;
}

}  // namespace

TEST(GuideTable, ParsesCounterBringDeadlineAndOrder) {
    kakanai::test::TempDir dir;
    const auto r = load(dir, "counter = { ja = \"1番窓口\", en = \"Counter 1\" }\n"
                             "bring = [\"印鑑\", { ja = \"通帳\", en = \"Bank book\", easy = \"つうちょう\" }]\n"
                             "deadline_days = 14\ndeadline_from = { ja = \"引っ越した日から\", en = \"from the move\" }\n"
                             "order = 5\n");
    ASSERT_TRUE(r.t.has_value()) << (r.problems.empty() ? "" : r.problems[0]);
    ASSERT_TRUE(r.t->guide.has_value());
    EXPECT_EQ(r.t->guide->counter.en, "Counter 1");
    ASSERT_EQ(r.t->guide->bring.size(), 2u);
    EXPECT_EQ(r.t->guide->bring[1].easy, "つうちょう");
    EXPECT_EQ(r.t->guide->deadline_days, 14);
    EXPECT_EQ(r.t->guide->order, 5);
    // A bring item without English loads, and validate reports it.
    ASSERT_FALSE(r.t->warnings.empty());
    EXPECT_NE(r.t->warnings[0].to_string().find(":23: -: `guide.bring` item 「印鑑」 has no en text"), std::string::npos)
        << r.t->warnings[0].to_string();
}

TEST(GuideTable, MistakesAreNamedWithFileAndLine) {
    kakanai::test::TempDir dir;
    const std::string file = (dir / "t.toml").string();
    auto one = [&](const std::string& guide) {
        const auto r = load(dir, guide);
        EXPECT_FALSE(r.t.has_value()) << guide;
        return r.problems.empty() ? std::string() : r.problems[0];
    };
    EXPECT_EQ(one("bring = \"通帳\"\n"), file + ":22: -: `guide.bring` is a list: bring = [\"通帳\", …]");
    EXPECT_EQ(one("deadline_days = 0\n"), file + ":22: -: `guide.deadline_days` is a whole number of days from 1 to 366");
    EXPECT_EQ(one("counter = \"窓口\"\nwhere = \"x\"\n"), file + ":23: -: unknown key `where`");
    EXPECT_EQ(one("deadline_from = \"から\"\n"), file + ":22: -: `guide.deadline_from` needs `guide.deadline_days`");
    EXPECT_EQ(one("counter = 3\n"),
              file + ":22: -: `guide.counter` is a text: \"…\" or { ja = \"…\", en = \"…\", easy = \"…\" }");
}

// Every shipped template's [guide] is valid (kakanai-forms validate loads them the same way).
TEST(GuideTable, ShippedTemplatesWithAGuideLoad) {
    int with_guide = 0;
    for (const char* id : {"juminhyo", "tennyu", "tenkyo", "tenshutsu", "kokuho_shutoku", "kokuho_soushitsu",
                           "jidou_teate", "kodomo_iryo", "inkan", "koseki", "shotoku", "kaigo_nintei", "risai"}) {
        const Template t = load_template(kakanai::test::forms_dir() / (std::string(id) + ".toml"));
        with_guide += t.guide.has_value();
        for (const auto& w : t.warnings) EXPECT_EQ(w.message.find("guide"), std::string::npos) << w.to_string();
    }
    EXPECT_EQ(with_guide, 13);
}

TEST(GuideCounters, TownConfigNamesCounters) {
    kakanai::test::TempDir dir;
    std::ofstream(dir / "kakanai.toml") << "[guide.counters]\njuminhyo = \"1番窓口\"\n"
                                           "\"保険年金課\" = { ja = \"3番窓口\", en = \"Counter 3\" }\n";
    const GuideCounters c = load_guide_counters(dir / "kakanai.toml");
    EXPECT_EQ(c.by_key.at("juminhyo").ja, "1番窓口");
    EXPECT_EQ(c.by_key.at("保険年金課").en, "Counter 3");
    EXPECT_TRUE(load_guide_counters(dir / "missing.toml").by_key.empty());
    std::ofstream(dir / "bad.toml") << "[guide.counters]\njuminhyo = 1\n";
    try {
        load_guide_counters(dir / "bad.toml");
        FAIL();
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("bad.toml:2: [guide.counters] juminhyo needs a name"), std::string::npos)
            << e.what();
    }
}
