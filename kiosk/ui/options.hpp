#pragma once
// Settings of kakanai-kiosk: kakanai.toml (docs/configuration.md), then the
// command line on top of it.
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace kakanai::kiosk {

struct Options {
    // From kakanai.toml (and overridable on the command line).
    std::string station = "kiosk-1";
    int still_there_s = 60;
    int wipe_after_s = 90;
    std::string language = "ja";                        // languages.default
    std::vector<std::string> languages{"ja", "en", "ja-easy"};  // languages.offered
    std::string printer;                                // printer.queue; empty: PDFs only
    std::filesystem::path output_dir = "kakanai-out";   // paths.output
    std::filesystem::path data_dir = "kakanai-data";    // paths.store
    std::filesystem::path town_dir;                     // paths.town: the town's forms/ and i18n/ over assets (package: /etc/kakanai)
    std::string reader_filter;                          // reader.filter
    std::filesystem::path ca_key;                       // card.ca_key: J-LIS CA public key (PEM); empty: "consistent" at best
    bool fullscreen = true;                             // display.fullscreen
    int width = 1920, height = 1080;                    // display.width / display.height (windowed)
    std::string renderer = "auto";                      // display.renderer: auto, software, opengl, opengles2
    std::filesystem::path font = "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf";  // fonts.ui
    std::filesystem::path rare_font = "/usr/share/fonts/truetype/ipamj/ipamjm.ttf";        // fonts.rare
    // The counter staff station (--staff).
    std::vector<std::string> staff_ids;                 // staff.ids: who may log in
    int staff_lock_after_s = 120;                       // staff.lock_after_s
    std::vector<std::string> staff_printers;            // staff.printers; default: printer.queue, then "folder"

    // Command line only.
    bool staff = false;                                 // --staff: the counter staff station
    std::filesystem::path assets;                       // assets/ (forms, i18n)
    std::optional<std::filesystem::path> config;
    std::optional<std::filesystem::path> store_config;  // the config file, when it has a [store] table
    std::optional<std::filesystem::path> screenshot;    // render once, save, exit
    std::optional<std::filesystem::path> script;        // scripted run
    std::filesystem::path screenshots_dir = ".";
    std::optional<std::filesystem::path> virtual_card;  // in-process card, inserted at start
    bool in_process = false;                            // no pcscd: cards come from the script
    bool force_pcsc = false;                            // scripts use the real pcscd too
    std::optional<std::filesystem::path> bench_report;  // write timings as JSON and exit
    bool bench_baseline = false;                        // measure the bare ImGui loop instead
    bool large_text = false;                            // test hook: every session in large text
};

// The town's forms/ or i18n/ folder, or empty when no town folder is set.
inline std::filesystem::path town_folder(const Options& o, const char* name) {
    return o.town_dir.empty() ? std::filesystem::path() : o.town_dir / name;
}

// A bad setting: the message names the file and the key.
class ConfigError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Applies the settings of a kakanai.toml to `o`. Throws ConfigError.
void load_config(const std::filesystem::path& file, Options& o);
// The same for the file's text; `file` names it in messages.
void load_config_text(std::string_view text, const std::filesystem::path& file, Options& o);

// Exits with usage on bad arguments; throws ConfigError for a bad config file.
Options parse_options(int argc, char** argv);

}  // namespace kakanai::kiosk
