#pragma once
// UI text from assets/i18n/{ja,en,ja-easy}.toml. A key missing in a language
// falls back to Japanese. やさしい日本語 may mark ruby as {漢字|かんじ} (ruby.hpp),
// checked when the files load.
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace kakanai::kiosk {

class Strings {
public:
    // Ruby::Keep: the resident's kiosk draws the readings (texts hold ruby as
    // ruby.hpp's annotation characters). Ruby::Strip: every other user gets
    // the text without readings.
    enum class Ruby { Strip, Keep };
    // Loads every language file in `dir`; throws std::runtime_error naming the
    // file (and the key, for a mistake in ruby markup). `town_dir`: the town's
    // changed texts (same file names, only the keys it changes); empty: none.
    explicit Strings(const std::filesystem::path& dir, const std::filesystem::path& town_dir = {},
                     Ruby ruby = Ruby::Strip);
    void set_language(const std::string& lang);  // "ja", "en", "ja-easy"
    const std::string& language() const { return lang_; }
    const std::string& get(const std::string& key) const;
    const std::string& get_in(const std::string& lang, const std::string& key) const;
    // Replaces {n}; with n "1", KEY.one when the language has it (English singulars).
    std::string get(const std::string& key, const std::string& n) const;
    std::vector<std::string> languages() const;
    // Every text of every language, for the font atlas (readings included,
    // the markup left out); keys starting with
    // skip_prefix are left out (the resident's kiosk never shows desk.*).
    std::string all_text(std::string_view skip_prefix = {}) const;

private:
    std::map<std::string, std::map<std::string, std::string>> by_lang_;
    std::string lang_ = "ja";
};

// A date for English screens, 西暦 first with the era year after it:
// "1980-02-17" -> "17 February 1980 (Shōwa 55)". Throws forms::DateError.
std::string date_in_english(const std::string& iso_date);

}  // namespace kakanai::kiosk
