#include "kakanai/base/toml_file.hpp"

#include <fstream>
#include <sstream>
#include <string>

namespace kakanai::base {

toml::table parse_toml_file(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw TomlFileError(file.string() + ": cannot read the file (check that it exists and is readable)");
    std::ostringstream text;
    text << in.rdbuf();
    return parse_toml_text(text.str(), file);
}

toml::table parse_toml_text(std::string_view text, const std::filesystem::path& file) {
    try {
        return toml::parse(text, file.string());
    } catch (const toml::parse_error& e) {
        throw TomlFileError(file.string() + ":" + std::to_string(e.source().begin.line) + ": " +
                            std::string(e.description()));
    }
}

}  // namespace kakanai::base
