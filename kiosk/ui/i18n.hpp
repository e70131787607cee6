#pragma once
// UI text from assets/i18n/{ja,en,ja-easy}.toml. A key missing in a language
// falls back to Japanese.
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace kakanai::kiosk {

class Strings {
public:
    // Loads every language file in `dir`; throws std::runtime_error naming the file.
    // `town_dir`: the town's changed texts (same file names, only the keys it changes); empty: none.
    explicit Strings(const std::filesystem::path& dir, const std::filesystem::path& town_dir = {});
    void set_language(const std::string& lang);  // "ja", "en", "ja-easy"
    const std::string& language() const { return lang_; }
    const std::string& get(const std::string& key) const;
    const std::string& get_in(const std::string& lang, const std::string& key) const;
    std::string get(const std::string& key, const std::string& n) const;  // replaces {n}
    std::vector<std::string> languages() const;
    // Every string in every language, for building the font's glyph ranges.
    // Every text of every language, for the font atlas; keys starting with
    // skip_prefix are left out (the resident's kiosk never shows desk.*).
    std::string all_text(std::string_view skip_prefix = {}) const;

private:
    std::map<std::string, std::map<std::string, std::string>> by_lang_;
    std::string lang_ = "ja";
};

}  // namespace kakanai::kiosk
