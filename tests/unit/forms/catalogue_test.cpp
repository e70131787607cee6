#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>

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
    // broken.toml, then field x: unknown type, no label.ja, no question.ja, question not in 3 languages
    ASSERT_EQ(c.problems().size(), 5u);
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
    Catalogue c = Catalogue::load(dir.path(), "2027-03-31");
    EXPECT_EQ(c.find("juminhyo")->version, 1);
    c.set_today("2027-04-01");
    EXPECT_EQ(c.find("juminhyo")->version, 2);
}

namespace {

const char* kProcedures[] = {"juminhyo", "inkan",       "tennyu",         "tenshutsu",    "tenkyo", "koseki",
                             "jidou_teate", "kodomo_iryo", "kokuho_shutoku", "kaigo_nintei", "risai",  "shotoku"};

}  // namespace

TEST(Catalogue, HasTheTwelveProceduresAndTheLifeEvents) {
    const Catalogue c = Catalogue::load(kakanai::test::forms_dir(), "2026-11-23");
    for (const char* id : kProcedures) {
        const Template* t = c.find(id);
        ASSERT_NE(t, nullptr) << id;
        EXPECT_FALSE(t->title.en.empty()) << id;
        EXPECT_FALSE(t->title.easy.empty()) << id;
        EXPECT_FALSE(t->department.empty()) << id;
    }
    std::set<std::string> titles;
    for (const auto& e : c.events()) titles.insert(e.title.ja.substr(0, std::string("引っ越し").size()));
    for (const char* want : {"引っ越し", "出生", "おくやみ", "介護", "災害", "証明書"}) EXPECT_TRUE(titles.count(want)) << want;
}

// Text-bearing boxes must not overlap, and must leave the title (top) and the
// footer (bottom) that the renderer draws free.
TEST(Catalogue, LayoutsFitA4WithoutOverlaps) {
    const Catalogue c = Catalogue::load(kakanai::test::forms_dir(), "2026-11-23");
    for (const Template* t : c.templates()) {
        std::vector<const LayoutItem*> boxes;
        for (const auto& li : t->layout)
            if (li.kind == "field" || li.kind == "grid" || li.kind == "label") boxes.push_back(&li);
        for (const LayoutItem* a : boxes) {
            EXPECT_GE(a->y, 25.0) << t->id << " line " << a->line;
            EXPECT_LE(a->y + a->h, 282.0) << t->id << " line " << a->line;
            EXPECT_LE(a->x + a->w, 200.0) << t->id << " line " << a->line;
            EXPECT_GE(a->x, 10.0) << t->id << " line " << a->line;
            for (const LayoutItem* b : boxes) {
                if (a >= b) continue;
                const bool apart = a->x + a->w <= b->x || b->x + b->w <= a->x || a->y + a->h <= b->y || b->y + b->h <= a->y;
                EXPECT_TRUE(apart) << t->id << ": lines " << a->line << " and " << b->line << " overlap";
            }
        }
        // every field is printed somewhere
        for (const auto& f : t->fields) {
            bool placed = false;
            for (const auto& li : t->layout) placed = placed || li.field == f.id;
            EXPECT_TRUE(placed) << t->id << ": field " << f.id << " is not on the page";
        }
    }
}

// 個人番号 only where the real form asks for it.
TEST(Catalogue, MyNumberOnlyOnFormsThatAskForIt) {
    const Catalogue c = Catalogue::load(kakanai::test::forms_dir(), "2026-11-23");
    std::set<std::string> with;
    for (const Template* t : c.templates())
        for (const auto& f : t->fields)
            if (f.type == FieldType::MyNumber) with.insert(t->id);
    EXPECT_EQ(with, (std::set<std::string>{"jidou_teate", "kaigo_nintei", "kokuho_shutoku"}));
}

TEST(Catalogue, AnErrandAsksASharedQuestionOnce) {
    const Catalogue c = Catalogue::load(kakanai::test::forms_dir(), "2026-11-23");
    for (const auto& e : c.events()) {
        std::vector<const Template*> ts;
        for (const auto& id : e.template_ids) ts.push_back(c.find(id));
        std::set<std::string> ids;
        for (const Field* q : questions_for(ts)) EXPECT_TRUE(ids.insert(q->id).second) << e.id << ": " << q->id;
    }
    const LifeEvent* birth = nullptr;
    for (const auto& e : c.events())
        if (e.id == "birth") birth = &e;
    ASSERT_NE(birth, nullptr);
    EXPECT_EQ(birth->template_ids, (std::vector<std::string>{"shussei", "kokuho_shutoku", "jidou_teate", "kodomo_iryo"}));
    std::vector<const Template*> ts;
    for (const auto& id : birth->template_ids) ts.push_back(c.find(id));
    std::size_t total = 0;
    for (const Template* t : ts)
        for (const auto& f : t->fields) total += f.source == Source::Question;
    const auto asked = questions_for(ts);
    EXPECT_LT(asked.size(), total);  // child and bank questions are shared
    std::size_t child_name = 0;
    for (const Field* q : asked) child_name += q->id == "child_name";
    EXPECT_EQ(child_name, 1u);
}

TEST(Catalogue, EventNamingAnUnknownFormIsReported) {
    kakanai::test::TempDir dir;
    std::filesystem::copy(kakanai::test::forms_dir() / "juminhyo.toml", dir / "juminhyo.toml");
    std::ofstream(dir / "events.toml") << "[[events]]\nid = \"x\"\ntitle = { ja = \"証明書\" }\nforms = [\"juminhyo\", \"nosuch\"]\n";
    const Catalogue c = Catalogue::load(dir.path(), "2026-11-23");
    ASSERT_EQ(c.problems().size(), 1u);
    EXPECT_EQ(c.problems()[0].to_string(), (dir / "events.toml").string() + ":1: x: names an unknown form `nosuch`");
    ASSERT_EQ(c.events().size(), 1u);
    EXPECT_EQ(c.events()[0].template_ids, std::vector<std::string>{"juminhyo"});
}

TEST(Catalogue, SharedQuestionWithOtherChoicesIsReported) {
    kakanai::test::TempDir dir;
    std::filesystem::copy(kakanai::test::forms_dir() / "juminhyo.toml", dir / "juminhyo.toml");
    std::ifstream in(kakanai::test::forms_dir() / "shotoku.toml");
    std::string text((std::istreambuf_iterator<char>(in)), {});
    // shotoku's certificate choice under the id juminhyo uses for `scope`
    const std::string from = "\"tax_certificate_kind\"";
    for (auto at = text.find(from); at != std::string::npos; at = text.find(from)) text.replace(at, from.size(), "\"scope\"");
    std::ofstream(dir / "shotoku.toml") << text;
    const Catalogue c = Catalogue::load(dir.path(), "2026-11-23");
    ASSERT_EQ(c.problems().size(), 1u);
    EXPECT_EQ(c.problems()[0].file, dir / "shotoku.toml");
    EXPECT_EQ(c.problems()[0].field, "scope");
    EXPECT_NE(c.problems()[0].message.find("also asked by juminhyo"), std::string::npos);
    EXPECT_NE(c.find("shotoku"), nullptr);  // reported, still served
}

namespace {

std::string read_text(const std::filesystem::path& p) {
    std::ifstream in(p);
    return std::string((std::istreambuf_iterator<char>(in)), {});
}

void touch_later(const std::filesystem::path& p) {
    std::filesystem::last_write_time(p, std::filesystem::file_time_type::clock::now() + std::chrono::seconds(5));
}

}  // namespace

// The town's folder over the shipped catalogue: a changed form, a form taken
// off, a form of the town's own and a changed event; the shipped folder is only read.
TEST(Catalogue, TownFolderOverridesDisablesAndAdds) {
    const auto shipped = kakanai::test::forms_dir();
    kakanai::test::TempDir town;
    std::string juminhyo = read_text(shipped / "juminhyo.toml");
    const std::string title = "title = { ja = \"住民票の写し等交付請求書";
    const auto title_at = juminhyo.find(title);
    ASSERT_NE(title_at, std::string::npos);
    juminhyo.replace(title_at, title.size(), title + "（本町様式）");
    std::ofstream(town / "juminhyo.toml") << juminhyo;
    std::ofstream(town / "koseki.toml") << "id = \"koseki\"\ndisabled = true\n";
    std::string own = read_text(shipped / "inkan.toml");
    own.replace(own.find("id = \"inkan\""), 12, "id = \"town_inkan\"");
    std::ofstream(town / "town_inkan.toml") << own;
    std::ofstream(town / "events.toml") << "[[events]]\nid = \"certificates\"\nicon = \"certificate\"\n"
                                           "title = { ja = \"町の証明書\", en = \"Town certificates\", easy = \"しょうめいしょ\" }\n"
                                           "forms = [\"juminhyo\", \"town_inkan\", \"koseki\"]\n"
                                           "[[events]]\nid = \"care\"\ndisabled = true\n";

    Catalogue c = Catalogue::load(shipped, "2026-11-23", town.path());
    for (const auto& p : c.problems()) ADD_FAILURE() << p.to_string();
    ASSERT_NE(c.find("juminhyo"), nullptr);
    EXPECT_EQ(c.find("juminhyo")->file, town / "juminhyo.toml");
    EXPECT_NE(c.find("juminhyo")->title.ja.find("本町様式"), std::string::npos);
    EXPECT_EQ(c.origin("juminhyo"), FormOrigin::Overridden);
    EXPECT_EQ(c.find("koseki"), nullptr);
    ASSERT_EQ(c.disabled().count("koseki"), 1u);
    ASSERT_NE(c.find("town_inkan"), nullptr);
    EXPECT_EQ(c.origin("town_inkan"), FormOrigin::Town);
    EXPECT_EQ(c.origin("inkan"), FormOrigin::Shipped);
    EXPECT_STREQ(to_string(FormOrigin::Overridden), "overridden");
    const Catalogue plain = Catalogue::load(shipped, "2026-11-23");
    EXPECT_EQ(c.templates().size(), plain.templates().size());  // one off, one added

    std::map<std::string, const LifeEvent*> events;
    for (const auto& e : c.events()) events[e.id] = &e;
    EXPECT_EQ(events.count("care"), 0u);
    ASSERT_EQ(events.count("certificates"), 1u);
    EXPECT_EQ(events["certificates"]->title.ja, "町の証明書");
    EXPECT_EQ(events["certificates"]->template_ids, (std::vector<std::string>{"juminhyo", "town_inkan"}));
    ASSERT_EQ(events.count("bereavement"), 1u);  // shipped, with the disabled koseki left out
    for (const auto& id : events["bereavement"]->template_ids) EXPECT_NE(id, "koseki");
    EXPECT_EQ(c.events().size(), plain.events().size() - 1);

    // The kiosk's hot reload sees the town's folder: the town takes its juminhyo back out.
    EXPECT_FALSE(c.reload_if_changed());
    std::filesystem::remove(town / "juminhyo.toml");
    std::ofstream(town / "town_inkan.toml", std::ios::app) << "\n";
    touch_later(town / "town_inkan.toml");
    EXPECT_TRUE(c.reload_if_changed());
    EXPECT_EQ(c.find("juminhyo")->file, shipped / "juminhyo.toml");
    EXPECT_EQ(c.origin("juminhyo"), FormOrigin::Shipped);
}

TEST(Catalogue, TownFileDisablingAnUnknownFormIsReported) {
    kakanai::test::TempDir town;
    std::ofstream(town / "nosuch.toml") << "id = \"nosuch\"\ndisabled = true\n";
    const Catalogue c = Catalogue::load(kakanai::test::forms_dir(), "2026-11-23", town.path());
    ASSERT_EQ(c.problems().size(), 1u);
    EXPECT_NE(c.problems()[0].message.find("not a shipped form"), std::string::npos);
    EXPECT_NE(c.find("juminhyo"), nullptr);
}
