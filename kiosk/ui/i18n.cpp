#include "i18n.hpp"

#include <toml++/toml.h>

#include <stdexcept>

#include "kakanai/forms/wareki.hpp"
#include "ruby.hpp"

namespace kakanai::kiosk {

Strings::Strings(const std::filesystem::path& dir, const std::filesystem::path& town_dir, Ruby ruby) {
    for (const char* lang : {"ja", "en", "ja-easy"}) {
        // The town's file (optional) changes single keys of the shipped one.
        for (const auto& base : {dir, town_dir}) {
            const auto file = base / (std::string(lang) + ".toml");
            if (base.empty() || (base == town_dir && !std::filesystem::exists(file))) continue;
            toml::table t;
            try {
                t = toml::parse_file(file.string());
            } catch (const toml::parse_error& e) {
                throw std::runtime_error(file.string() + ":" + std::to_string(e.source().begin.line) + ": " +
                                         std::string(e.description()));
            }
            auto& m = by_lang_[lang];
            for (const auto& [k, v] : t) {
                auto s = v.value<std::string>();
                if (!s) continue;
                const std::string key(k.str());
                std::string text;
                try {
                    text = parse_ruby(*s);
                } catch (const RubyError& e) {
                    throw std::runtime_error(file.string() + ":" + std::to_string(v.source().begin.line) + ": key \"" +
                                             key + "\": " + e.what() + " (at byte " + std::to_string(e.offset()) +
                                             " of \"" + *s + "\")");
                }
                if (has_ruby(text) && std::string_view(lang) != "ja-easy")
                    throw std::runtime_error(file.string() + ":" + std::to_string(v.source().begin.line) + ": key \"" +
                                             key + "\": ruby {base|reading} is for ja-easy only");
                m[key] = ruby == Ruby::Keep ? std::move(text) : ruby_base(text);
            }
        }
    }
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

std::vector<std::string> Strings::languages() const { return {"ja", "en", "ja-easy"}; }

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
