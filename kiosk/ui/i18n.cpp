#include "i18n.hpp"

#include <toml++/toml.h>

#include <stdexcept>

namespace kakanai::kiosk {

Strings::Strings(const std::filesystem::path& dir, const std::filesystem::path& town_dir) {
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
            for (const auto& [k, v] : t)
                if (auto s = v.value<std::string>()) m[std::string(k.str())] = *s;
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
    std::string s = get(key);
    if (auto p = s.find("{n}"); p != std::string::npos) s.replace(p, 3, n);
    return s;
}

std::vector<std::string> Strings::languages() const { return {"ja", "en", "ja-easy"}; }

std::string Strings::all_text(std::string_view skip_prefix) const {
    std::string all;
    for (const auto& [lang, m] : by_lang_)
        for (const auto& [k, v] : m)
            if (skip_prefix.empty() || k.rfind(skip_prefix, 0) != 0) all += v;
    return all;
}

}  // namespace kakanai::kiosk
