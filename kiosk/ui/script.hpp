#pragma once
// A scripted kiosk run (--script FILE): one step per line, checked when the
// file is read so a typo fails at once with its line number.
//   card PROFILE     place an in-process virtual card with this profile
//   remove           take the card away
//   tap ID           press the button with this id (it must be on screen)
//   pin DIGITS       tap pin.D for each digit, then pin.ok
//   lang CODE        tap lang.CODE
//   time SECONDS     let this many seconds pass without a touch (idle timer)
//   wait MS          real time passes (e.g. for a read to start)
//   shot NAME        save NAME.png in --screenshots
//   expect SCREEN    wait until this screen is shown
//   taps reset | taps N   count taps from here / check the count
//   answer-all       answer every remaining question with the first offer
// Blank lines and lines starting with # are skipped.
#include <cstddef>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace kakanai::kiosk {

struct ScriptStep {
    std::string verb;  // card, remove, tap, time, wait, shot, expect, taps, answer-all
    std::string arg;
    int number = 0;    // time, wait, taps N
    std::size_t line = 0;
};

// The message names the file, the line and what is wrong.
class ScriptError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct Script {
    std::vector<ScriptStep> steps;
    std::size_t at = 0;
    std::filesystem::path dir;  // card profiles are relative to the script's folder

    static Script load(const std::filesystem::path& file);
    // `file` names the script in messages and gives `dir`.
    static Script parse(std::string_view text, const std::filesystem::path& file);
    bool done() const { return at >= steps.size(); }
};

}  // namespace kakanai::kiosk
