#pragma once
// Reading a TOML file (kakanai.toml and its kin) with toml++: one message for
// every way it can fail, naming the file and, for a syntax error, the line.
#include <filesystem>
#include <stdexcept>
#include <string_view>
#include <toml++/toml.h>

namespace kakanai::base {

// "FILE:LINE: what is wrong", or "FILE: cannot read ..." when it cannot be read.
class TomlFileError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Parses the file. Throws TomlFileError.
toml::table parse_toml_file(const std::filesystem::path& file);
// Parses `text`; `file` names it in messages. Throws TomlFileError.
toml::table parse_toml_text(std::string_view text, const std::filesystem::path& file);

}  // namespace kakanai::base
