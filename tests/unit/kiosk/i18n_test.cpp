#include <gtest/gtest.h>
#include <toml++/toml.h>

#include <set>

#include "i18n.hpp"
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
