// kakanai.toml: good files apply, every bad value names its key.
#include <gtest/gtest.h>

#include <fstream>

#include "kakanai/base/build_options.hpp"
#include "options.hpp"
#include "test_support.hpp"

using namespace kakanai::kiosk;

namespace {

std::string error_of(const std::string& toml) {
    kakanai::test::TempDir dir;
    std::ofstream(dir / "kakanai.toml") << toml;
    Options o;
    try {
        load_config(dir / "kakanai.toml", o);
    } catch (const ConfigError& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST(Config, AppliesEverySetting) {
    kakanai::test::TempDir dir;
    std::ofstream(dir / "kakanai.toml") << R"(station = "本庁舎 2番"
[timeouts]
still_there_s = 30
wipe_after_s = 45
[languages]
default = "en"
offered = ["en", "ja"]
[printer]
queue = "counter"
[paths]
output = "/tmp/o"
store = "/tmp/s"
[reader]
filter = "SONY"
[display]
fullscreen = false
width = 1280
height = 800
renderer = "opengles2"
)";
    Options o;
    load_config(dir / "kakanai.toml", o);
    EXPECT_EQ(o.station, "本庁舎 2番");
    EXPECT_EQ(o.still_there_s, 30);
    EXPECT_EQ(o.wipe_after_s, 45);
    EXPECT_EQ(o.language, "en");
    EXPECT_EQ(o.languages, (std::vector<std::string>{"en", "ja"}));
    EXPECT_EQ(o.printer, "counter");
    EXPECT_EQ(o.output_dir, "/tmp/o");
    EXPECT_EQ(o.data_dir, "/tmp/s");
    EXPECT_EQ(o.reader_filter, "SONY");
    EXPECT_FALSE(o.fullscreen);
    EXPECT_EQ(o.width, 1280);
    EXPECT_EQ(o.height, 800);
    EXPECT_EQ(o.renderer, "opengles2");
}

TEST(Config, BadValuesNameTheKey) {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"station = 3\n", "station: must be a string"},
        {"station = \"\"\n", "station: must not be empty"},
        {"[timeouts]\nstill_there_s = \"60\"\n", "timeouts.still_there_s: must be a whole number"},
        {"[timeouts]\nstill_there_s = 1\n", "timeouts.still_there_s: must be between 5 and 3600"},
        {"[timeouts]\nwipe_after_s = 50\n", "timeouts.wipe_after_s: must be longer than timeouts.still_there_s"},
        {"[languages]\ndefault = \"fr\"\n", "languages.default: must be one of"},
        {"[languages]\noffered = [\"ja\", \"de\"]\n", "languages.offered: each entry"},
        {"[languages]\ndefault = \"en\"\noffered = [\"ja\"]\n", "languages.default: \"en\" is not in languages.offered"},
        {"[paths]\noutput = \"\"\n", "paths.output: must not be empty"},
        {"[display]\nfullscreen = \"yes\"\n", "display.fullscreen: must be true or false"},
        {"[display]\nwidth = 10\n", "display.width: must be between"},
        {"[display]\nrenderer = \"vulkan\"\n", "display.renderer: must be one of"},
        {"[display]\nrenderer = 1\n", "display.renderer: must be a string"},
        {"[fonts]\nui = \"/nonexistent.ttf\"\n", "fonts.ui: no such file /nonexistent.ttf"},
        {"[timeout]\nwipe_after_s = 50\n", "timeout: unknown setting"},
        {"station = \n", "kakanai.toml:1:"},
    };
    for (const auto& [toml, expected] : cases) {
        const std::string err = error_of(toml);
        EXPECT_NE(err.find(expected), std::string::npos) << toml << " gave: " << err;
        EXPECT_NE(err.find("kakanai.toml"), std::string::npos) << err;
    }
}

// [store] and [report] are the store library's tables: accepted, and the file is
// handed to the store (PostgreSQL for many stations).
TEST(Config, StoreTableIsHandedToTheStore) {
    kakanai::test::TempDir dir;
    std::ofstream(dir / "kakanai.toml") << "station = \"k\"\n[store]\nbackend = \"sqlite\"\npath = \"s.db\"\n"
                                           "key_file = \"s.key\"\n[report]\nminutes_per_form = 5\n";
    Options o;
    load_config(dir / "kakanai.toml", o);
    ASSERT_TRUE(o.store_config.has_value());
    EXPECT_EQ(*o.store_config, dir / "kakanai.toml");
    Options plain;
    std::ofstream(dir / "plain.toml") << "station = \"k\"\n";
    load_config(dir / "plain.toml", plain);
    EXPECT_FALSE(plain.store_config.has_value());
}

TEST(Config, StaffStation) {
    kakanai::test::TempDir dir;
    std::ofstream(dir / "kakanai.toml") << "[staff]\nids = [\"tanaka\", \"suzuki\"]\nlock_after_s = 300\n"
                                           "printers = [\"counter-1\", \"folder\"]\n";
    Options o;
    load_config(dir / "kakanai.toml", o);
    EXPECT_EQ(o.staff_ids, (std::vector<std::string>{"tanaka", "suzuki"}));
    EXPECT_EQ(o.staff_lock_after_s, 300);
    EXPECT_EQ(o.staff_printers, (std::vector<std::string>{"counter-1", "folder"}));
    EXPECT_NE(error_of("[staff]\nids = \"tanaka\"\n").find("staff.ids: must be a list"), std::string::npos);
    EXPECT_NE(error_of("[staff]\nids = [\"\"]\n").find("staff.ids: each entry must be a non-empty string"), std::string::npos);
    EXPECT_NE(error_of("[staff]\nlock_after_s = 5\n").find("staff.lock_after_s: must be between 10 and 3600"),
              std::string::npos);
    const char* argv[] = {"kakanai-kiosk", "--staff"};
    EXPECT_TRUE(parse_options(2, const_cast<char**>(argv)).staff);
}

// [card] ca_key: the issuing CA's public key for "verified"; a missing file names the key.
TEST(Config, CardCaKey) {
    kakanai::test::TempDir dir;
    const auto pem = kakanai::test::source_dir() / "tests/cards/keys/test-ca-public.pem";
    std::ofstream(dir / "kakanai.toml") << "[card]\nca_key = \"" << pem.string() << "\"\n";
    Options o;
    load_config(dir / "kakanai.toml", o);
    EXPECT_EQ(o.ca_key, pem);
    EXPECT_TRUE(Options{}.ca_key.empty());  // none by default: "consistent" at best
    EXPECT_NE(error_of("[card]\nca_key = \"/nonexistent.pem\"\n").find("card.ca_key: no such file /nonexistent.pem"),
              std::string::npos);
    EXPECT_NE(error_of("[card]\nca_key = \"\"\n").find("card.ca_key: must not be empty"), std::string::npos);
}

// A usage error is one line on stderr and exit code 2.
TEST(Options, UnknownOptionIsOneLineAndExit2) {
    const char* argv[] = {"kakanai-kiosk", "--no-such-option"};
    EXPECT_EXIT(parse_options(2, const_cast<char**>(argv)), ::testing::ExitedWithCode(2),
                "^kakanai-kiosk: [^\n]*--no-such-option[^\n]*\n$");
    const char* size[] = {"kakanai-kiosk", "--size", "12x7"};
    EXPECT_EXIT(parse_options(3, const_cast<char**>(size)), ::testing::ExitedWithCode(2), "^kakanai-kiosk: [^\n]*\n$");
    const char* lang[] = {"kakanai-kiosk", "--lang", "fr"};
    EXPECT_EXIT(parse_options(3, const_cast<char**>(lang)), ::testing::ExitedWithCode(2), "^kakanai-kiosk: [^\n]*\n$");
}

TEST(Options, CommandLineOverridesTheFile) {
    kakanai::test::TempDir dir;
    std::ofstream(dir / "kakanai.toml") << "[display]\nwidth = 800\nheight = 600\n[languages]\ndefault = \"en\"\n";
    const std::string config = (dir / "kakanai.toml").string();
    const char* argv[] = {"kakanai-kiosk", "--config", config.c_str(), "--size", "1280x800", "--windowed"};
    const Options o = parse_options(6, const_cast<char**>(argv));
    EXPECT_EQ(o.width, 1280);
    EXPECT_EQ(o.height, 800);
    EXPECT_FALSE(o.fullscreen);
    EXPECT_EQ(o.language, "en");  // from the file: not given on the command line
}

// The test hooks exist only in builds with KAKANAI_TEST_HOOKS; without them
// they are unknown options like any other.
TEST(Options, TestHooksOnlyWhenCompiledIn) {
    const char* argv[] = {"kakanai-kiosk", "--virtual-card", "x.toml", "--script", "s.script"};
#if KAKANAI_TEST_HOOKS
    const Options o = parse_options(5, const_cast<char**>(argv));
    EXPECT_TRUE(o.in_process);
    EXPECT_EQ(o.virtual_card, std::filesystem::path("x.toml"));
    EXPECT_EQ(o.script, std::filesystem::path("s.script"));
#else
    EXPECT_EXIT(parse_options(5, const_cast<char**>(argv)), ::testing::ExitedWithCode(2), "^kakanai-kiosk: [^\n]*\n$");
#endif
}
