#include "kakanai/forms/texts.hpp"

#include <toml++/toml.h>

#include <stdexcept>

#include "kakanai/base/toml_file.hpp"
#include "kakanai/forms/ruby.hpp"

namespace kakanai::forms {

const std::vector<std::string>& text_languages() {
    static const std::vector<std::string> languages{"ja", "en", "ja-easy"};
    return languages;
}

TextTable load_texts(const std::filesystem::path& dir, const std::filesystem::path& town_dir) {
    TextTable out;
    for (const auto& lang : text_languages()) {
        // The town's file (optional) changes single keys of the shipped one.
        for (const auto& base : {dir, town_dir}) {
            const auto file = base / (lang + ".toml");
            if (base.empty() || (base == town_dir && !std::filesystem::exists(file))) continue;
            const toml::table t = base::parse_toml_file(file);  // TomlFileError: "FILE:LINE: ..."
            auto& m = out[lang];
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
                if (has_ruby(text) && lang != "ja-easy")
                    throw std::runtime_error(file.string() + ":" + std::to_string(v.source().begin.line) + ": key \"" +
                                             key + "\": ruby {base|reading} is for ja-easy only");
                m[key] = std::move(text);
            }
        }
    }
    return out;
}

}  // namespace kakanai::forms
