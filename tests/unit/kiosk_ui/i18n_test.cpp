#include <gtest/gtest.h>
#include <toml++/toml.h>

#include <fstream>
#include <set>

#include "i18n.hpp"
#include "kakanai/store/reasons.hpp"
#include "test_support.hpp"

// Every key of the Japanese file exists in English and やさしい日本語, and no
// language has keys Japanese lacks.
TEST(I18n, AllLanguagesHaveTheSameKeys) {
    const auto dir = kakanai::test::source_dir() / "assets/i18n";
    std::map<std::string, std::set<std::string>> keys;
    for (const char* lang : {"ja", "en", "ja-easy"}) {
        const auto t = toml::parse_file((dir / (std::string(lang) + ".toml")).string());
        for (const auto& [k, v] : t) keys[lang].insert(std::string(k.str()));
    }
    for (const char* lang : {"en", "ja-easy"}) {
        for (const auto& k : keys["ja"]) EXPECT_TRUE(keys[lang].count(k)) << lang << " lacks " << k;
        for (const auto& k : keys[lang]) EXPECT_TRUE(keys["ja"].count(k)) << lang << " has extra " << k;
    }
}

TEST(I18n, FallsBackToJapaneseAndFillsCounts) {
    kakanai::kiosk::Strings s(kakanai::test::source_dir() / "assets/i18n");
    s.set_language("en");
    EXPECT_EQ(s.get("pin.tries_left", "2"), "2 tries left");
    EXPECT_EQ(s.get_in("ja", "welcome.title"), "ようこそ");
}

// The town's changed texts (/etc/kakanai/i18n) replace single keys; the rest stay shipped.
TEST(I18n, TownTextsOverrideSingleKeys) {
    kakanai::test::TempDir town;
    std::ofstream(town / "ja.toml") << "\"welcome.title\" = \"本町の書かない窓口へようこそ\"\n";
    kakanai::kiosk::Strings s(kakanai::test::source_dir() / "assets/i18n", town.path());
    EXPECT_EQ(s.get_in("ja", "welcome.title"), "本町の書かない窓口へようこそ");
    EXPECT_EQ(s.get_in("ja", "welcome.start"), "手続きをはじめる");
    s.set_language("en");
    EXPECT_EQ(s.get("pin.tries_left", "2"), "2 tries left");  // no town en.toml: all shipped
}

// Every "area.name" key the kiosk's code asks for exists in ja.toml, so no
// screen shows a raw key. Keys are found as string literals in the sources.
TEST(I18n, EveryKeyUsedInTheCodeExists) {
    const auto dir = kakanai::test::source_dir();
    const auto ja = toml::parse_file((dir / "assets/i18n/ja.toml").string());
    std::set<std::string> known;
    for (const auto& [k, v] : ja) known.insert(std::string(k.str()));
    const std::set<std::string> areas{"welcome", "errand", "place", "pin", "reading", "confirm", "question", "review",
                                      "preview", "done", "staff", "error", "still", "button", "app",
                                      "desk", "refused"};
    int found = 0;
    for (const char* file : {"kiosk/resident/ui.cpp", "kiosk/resident/flow.cpp", "kiosk/staff/staff_ui.cpp",
                             "kiosk/staff/staff_flow.cpp", "kiosk/staff/staff_main.cpp",
                             "kiosk/staff/staff_desk.cpp"}) {
        std::ifstream in(dir / file);
        const std::string src((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        for (std::size_t q = src.find('"'); q != std::string::npos; q = src.find('"', q + 1)) {
            const std::size_t end = src.find('"', q + 1);
            if (end == std::string::npos) break;
            const std::string lit = src.substr(q + 1, end - q - 1);
            q = end;
            const auto dot = lit.find('.');
            if (dot == std::string::npos || !areas.count(lit.substr(0, dot))) continue;
            if (lit.back() == '.' || lit.back() == '_') continue;  // a prefix such as "rating." + n
            ++found;
            EXPECT_TRUE(known.count(lit)) << file << " uses " << lit << ", missing in ja.toml";
        }
    }
    EXPECT_GT(found, 40);
    for (int i = 1; i <= 5; ++i) EXPECT_TRUE(known.count("rating." + std::to_string(i)));
    // The staff station's keys made from a value: origins, states, print statuses, sexes.
    for (const char* k : {"card", "answer", "computed", "staff", "empty"}) EXPECT_TRUE(known.count(std::string("desk.origin_") + k)) << k;
    for (const char* k : {"draft", "submitted", "confirmed", "printed", "cancelled", "purged"})
        EXPECT_TRUE(known.count(std::string("desk.state_") + k)) << k;
    for (const char* k : {"pending", "sent", "done", "failed"}) EXPECT_TRUE(known.count(std::string("desk.print_") + k)) << k;
    for (const char* k : {"male", "female", "other"}) EXPECT_TRUE(known.count(std::string("desk.sex_") + k)) << k;
    // Every reason code the store accepts is shown translated.
    for (auto action : {kakanai::store::ReasonFor::Correct, kakanai::store::ReasonFor::Cancel, kakanai::store::ReasonFor::Reprint})
        for (auto code : kakanai::store::reason_codes(action))
            EXPECT_TRUE(known.count("desk.reason_" + std::string(code))) << code;
}
