#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <iterator>

#include "kakanai/store/store.hpp"
#include "test_support.hpp"

using namespace kakanai::store;

namespace {
Application sample() {
    Application a;
    a.template_id = "juminhyo";
    a.template_version = 1;
    a.station = "kiosk-1";
    a.fields = {{"applicant_name", "番号 花子", "card"}, {"applicant_address", "東京都千代田区霞が関", "card"}};
    return a;
}

std::string slurp(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}
}  // namespace

TEST(SqliteStore, SubmitGetQueueAndAudit) {
    kakanai::test::TempDir dir;
    auto store = open_sqlite(dir / "s.db", dir / "s.key");
    const std::string id = store->submit(sample());
    EXPECT_EQ(id.size(), 11u);
    const auto got = store->get(id);
    ASSERT_TRUE(got.has_value());
    EXPECT_EQ(got->state, State::Submitted);
    ASSERT_EQ(got->fields.size(), 2u);
    EXPECT_EQ(got->fields[0].value, "番号 花子");
    EXPECT_EQ(store->queue().size(), 1u);
    store->set_state(id, State::Confirmed, "staff-07");
    EXPECT_TRUE(store->queue().empty());
    const auto audit = store->audit_lines(id);
    ASSERT_EQ(audit.size(), 2u);
    EXPECT_NE(audit[1].find("staff-07 confirmed juminhyo"), std::string::npos);
    EXPECT_FALSE(store->get("A-NOPE-NOPE").has_value());
}

TEST(SqliteStore, PersonalFieldsAreNotStoredInPlaintext) {
    kakanai::test::TempDir dir;
    {
        auto store = open_sqlite(dir / "s.db", dir / "s.key");
        store->submit(sample());
    }
    for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
        const std::string bytes = slurp(entry.path());
        EXPECT_EQ(bytes.find("番号 花子"), std::string::npos) << entry.path();
        EXPECT_EQ(bytes.find("霞が関"), std::string::npos) << entry.path();
    }
    struct stat st{};
    ASSERT_EQ(stat((dir / "s.key").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST(SqliteStore, SurvivesReopenAndRefusesAnotherKey) {
    kakanai::test::TempDir dir;
    std::string id;
    {
        auto store = open_sqlite(dir / "s.db", dir / "s.key");
        id = store->submit(sample());
    }
    auto again = open_sqlite(dir / "s.db", dir / "s.key");
    EXPECT_EQ(again->get(id)->fields[1].value, "東京都千代田区霞が関");
    auto other = open_sqlite(dir / "s.db", dir / "other.key");
    EXPECT_THROW(other->get(id), StoreError);
}

TEST(SqliteStore, KeyFileReadableByOthersIsRefused) {
    kakanai::test::TempDir dir;
    { open_sqlite(dir / "s.db", dir / "s.key"); }
    chmod((dir / "s.key").c_str(), 0644);
    try {
        open_sqlite(dir / "s.db", dir / "s.key");
        FAIL();
    } catch (const StoreError& e) {
        EXPECT_NE(std::string(e.what()).find("chmod 600"), std::string::npos);
    }
}
