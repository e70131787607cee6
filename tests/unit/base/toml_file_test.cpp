// Reading kakanai.toml: a syntax error names the file and its line.
#include <gtest/gtest.h>

#include <string>

#include "kakanai/base/toml_file.hpp"

using namespace kakanai::base;

TEST(TomlFile, ParsesText) {
    const auto t = parse_toml_text("station = \"kiosk-2\"\n[store]\npath = \"x.db\"\n", "k.toml");
    EXPECT_EQ(t["station"].value_or(std::string()), "kiosk-2");
    EXPECT_EQ(t["store"]["path"].value_or(std::string()), "x.db");
}

TEST(TomlFile, SyntaxErrorIsOneLineWithFileAndLine) {
    try {
        parse_toml_text("station = \"a\"\n\n[display\nwidth = 3\n", "/etc/kakanai/kakanai.toml");
        FAIL() << "no error";
    } catch (const TomlFileError& e) {
        const std::string m = e.what();
        EXPECT_EQ(m.rfind("/etc/kakanai/kakanai.toml:3: ", 0), 0u) << m;
        EXPECT_EQ(m.find('\n'), std::string::npos) << m;
    }
}

TEST(TomlFile, MissingFileIsNamed) {
    try {
        parse_toml_file("/nonexistent/kakanai.toml");
        FAIL() << "no error";
    } catch (const TomlFileError& e) {
        EXPECT_EQ(std::string(e.what()).rfind("/nonexistent/kakanai.toml: cannot read", 0), 0u) << e.what();
    }
}
