#pragma once
// Command-line options of kakanai-kiosk.
#include <filesystem>
#include <optional>
#include <string>

namespace kakanai::kiosk {

struct Options {
    std::filesystem::path assets;        // assets/ (forms, i18n)
    std::filesystem::path output_dir;    // PDFs
    std::filesystem::path data_dir;      // store
    std::filesystem::path font = "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf";
    std::string reader_filter;
    std::string language = "ja";
    bool windowed = false;
    int width = 1920, height = 1080;
    std::optional<std::filesystem::path> screenshot;   // render once, save, exit
    std::optional<std::filesystem::path> script;       // scripted run
    std::filesystem::path screenshots_dir = ".";
    std::optional<std::filesystem::path> virtual_card;  // in-process card, inserted at start
    bool in_process = false;                            // no pcscd: cards come from the script
    bool force_pcsc = false;                            // scripts use the real pcscd too
};

// Exits with usage on bad arguments.
Options parse_options(int argc, char** argv);

}  // namespace kakanai::kiosk
