#include "i18n.hpp"

#include <stdexcept>

#include "kakanai/forms/texts.hpp"
#include "kakanai/forms/wareki.hpp"
#include "ruby.hpp"

namespace kakanai::kiosk {

Strings::Strings(const std::filesystem::path& dir, const std::filesystem::path& town_dir, Ruby ruby) {
    by_lang_ = forms::load_texts(dir, town_dir);
    if (ruby == Ruby::Strip)
        for (auto& [lang, m] : by_lang_)
            for (auto& [key, text] : m) text = ruby_base(text);
}

void Strings::set_language(const std::string& lang) {
    if (by_lang_.count(lang)) lang_ = lang;
}

const std::string& Strings::get(const std::string& key) const { return get_in(lang_, key); }

const std::string& Strings::get_in(const std::string& lang, const std::string& key) const {
    const auto& cur = by_lang_.count(lang) ? by_lang_.at(lang) : by_lang_.at("ja");
    if (auto it = cur.find(key); it != cur.end()) return it->second;
    const auto& ja = by_lang_.at("ja");
    if (auto it = ja.find(key); it != ja.end()) return it->second;
    static const std::string missing = "?";
    return missing;
}

std::string Strings::get(const std::string& key, const std::string& n) const {
    // One of a thing: the singular, where the language has one ("1 form", not "1 forms").
    const auto& cur = by_lang_.count(lang_) ? by_lang_.at(lang_) : by_lang_.at("ja");
    const auto one = n == "1" ? cur.find(key + ".one") : cur.end();
    std::string s = one != cur.end() ? one->second : get(key);
    if (auto p = s.find("{n}"); p != std::string::npos) s.replace(p, 3, n);
    return s;
}

std::vector<std::string> Strings::languages() const { return forms::text_languages(); }

std::string Strings::all_text(std::string_view skip_prefix) const {
    std::string all;
    for (const auto& [lang, m] : by_lang_)
        for (const auto& [k, v] : m)
            if (skip_prefix.empty() || k.rfind(skip_prefix, 0) != 0) all += ruby_base(v) + ruby_readings(v);
    return all;
}

std::string date_in_english(const std::string& iso) {
    forms::format_date(iso, forms::DateStyle::Seireki);  // checks the date
    const forms::EraYear era = forms::era_year(iso);
    static const std::map<std::string, std::string> eras{
        {"明治", "Meiji"}, {"大正", "Taishō"}, {"昭和", "Shōwa"}, {"平成", "Heisei"}, {"令和", "Reiwa"}};
    static const char* const months[] = {"January", "February", "March",     "April",   "May",      "June",
                                         "July",    "August",   "September", "October", "November", "December"};
    const int y = std::stoi(iso.substr(0, 4)), m = std::stoi(iso.substr(5, 2)), d = std::stoi(iso.substr(8, 2));
    const auto e = eras.find(era.era);
    return std::to_string(d) + " " + months[m - 1] + " " + std::to_string(y) + " (" +
           (e != eras.end() ? e->second : era.era) + " " + std::to_string(era.year) + ")";
}

}  // namespace kakanai::kiosk
