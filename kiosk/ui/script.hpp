#pragma once
// A scripted run (--script FILE) of either program: one step per line, checked
// when the file is read so a typo fails at once with its line number.
// Both programs:
//   card PROFILE     place an in-process virtual card with this profile
//   tap ID           press the button with this id (it must be on screen)
//   time SECONDS     let this many seconds pass without a touch (idle timer)
//   wait MS          real time passes (e.g. for a read to start)
//   shot NAME        save NAME.png in --screenshots
//   expect SCREEN    wait until this screen is shown
// The resident's kiosk (kakanai-kiosk):
//   remove           take the card away
//   pin DIGITS       tap pin.D for each digit (the 4th sends the PIN)
//   lang CODE        tap lang.CODE
//   taps reset | taps N   count taps from here / check the count
//   answer-all       answer every remaining question with the first offer
//   expect-call STATUS    wait until the session's call for staff is none, raised, coming or failed
//   expect-text KEY  wait until a notice with this i18n key is drawn (e.g. household.same_person)
// The staff station (kakanai-staff):
//   staff-code NAME CODE        set a login code (what `kakanai-report staff-code` does)
//   seed PROFILE FORM AGE [k=v ...] [manual]
//                               submit an application read from a virtual-card profile AGE
//                               seconds ago ("_" in a value is a space; manual: typed by staff)
//   seed-visit PROFILE AGE LANGUAGE FORM... [member:card|nocard:NAME:KANA:BIRTH:SEX:RELATIONSHIP ...]
//                               one visit's forms under one number, with the household's members
//   interrupt-last PRINTER      the last seeded one: confirmed, sent to PRINTER, and the station "died"
//   type ID TEXT                fill an input (TEXT is the rest of the line; "@last": the last seeded number)
//   expect-print STATUS         wait until the print screen shows pending, sent, done or failed
//   expect-text KEY             wait until a notice with this i18n key is drawn (e.g. desk.auth_verified)
//   expect-calls N              wait until N calls from kiosks wait for an answer
// The layout editor (kakanai-forms-editor):
//   select FIELD [KIND]   select the first box showing FIELD ("group.field" in a group row)
//   click X_MM Y_MM       a mouse click on the page at this point (selects what is there)
//   drag DX_MM DY_MM      drag the selected box by the mouse (snaps to 0.5 mm)
//   resize DX_MM DY_MM    drag its bottom-right handle
//   key [shift+]left|right|up|down   an arrow key (0.1 mm; with shift 1 mm)
//   sample off|typical|longest       show the page filled with sample values
//   zoom PERCENT          100: true scale
//   save                  save the template (validated; the previous version kept)
//   expect-overflow N     the longest (or typical) samples overflow exactly N boxes
//   expect-box X Y W H    the selected box is there (mm)
//   expect-saved          the last save worked and nothing is left unsaved
// Blank lines and lines starting with # are skipped.
#include <cstddef>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace kakanai::kiosk {

// Which program runs the script: each knows its own steps.
enum class ScriptFor { Kiosk, Staff, Editor };

struct ScriptStep {
    std::string verb;
    std::string arg;                // everything after the verb
    int number = 0;                 // time, wait, taps N, seed AGE
    std::size_t line = 0;
    std::vector<std::string> args;  // arg split at spaces (type: ID and the rest of the line)
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

    static Script load(const std::filesystem::path& file, ScriptFor program = ScriptFor::Kiosk);
    // `file` names the script in messages and gives `dir`.
    static Script parse(std::string_view text, const std::filesystem::path& file,
                        ScriptFor program = ScriptFor::Kiosk);
    bool done() const { return at >= steps.size(); }
    // The line of the step taken last (0 before the first).
    std::size_t line() const { return at > 0 && at <= steps.size() ? steps[at - 1].line : 0; }
    // The path of a profile named in a step, relative to the script's folder.
    std::filesystem::path path(const std::string& p) const;
};

}  // namespace kakanai::kiosk
