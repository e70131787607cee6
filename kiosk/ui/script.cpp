#include "script.hpp"

#include <charconv>
#include <fstream>
#include <sstream>

namespace kakanai::kiosk {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r'; }

std::string_view trim(std::string_view s) {
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    return s;
}

// Button ids, screen and file names: printable ASCII or UTF-8, no controls.
bool plain(std::string_view s) {
    for (unsigned char c : s)
        if (c < 0x20 || c == 0x7F) return false;
    return true;
}

}  // namespace

Script Script::load(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw ScriptError("cannot read script " + file.string());
    std::ostringstream text;
    text << in.rdbuf();
    return parse(text.str(), file);
}

Script Script::parse(std::string_view text, const std::filesystem::path& file) {
    Script s;
    s.dir = file.parent_path();
    std::size_t line_no = 0;
    while (!text.empty()) {
        const std::size_t nl = text.find('\n');
        const std::string_view raw = text.substr(0, nl);
        text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
        ++line_no;
        const std::string_view line = trim(raw);
        if (line.empty() || line[0] == '#') continue;
        const auto bad = [&](const std::string& why) -> ScriptError {
            return ScriptError(file.string() + ":" + std::to_string(line_no) + ": " + why);
        };
        std::size_t sp = 0;
        while (sp < line.size() && !is_space(line[sp])) ++sp;
        const std::string verb(line.substr(0, sp));
        const std::string arg(trim(line.substr(sp)));
        if (!plain(arg)) throw bad("control characters in the argument of " + verb);
        const auto number = [&](int lo, int hi) {
            int v = 0;
            const auto [end, ec] = std::from_chars(arg.data(), arg.data() + arg.size(), v);
            if (arg.empty() || ec != std::errc() || end != arg.data() + arg.size() || v < lo || v > hi)
                throw bad(verb + " needs a whole number from " + std::to_string(lo) + " to " + std::to_string(hi) +
                          ", not \"" + arg + "\"");
            return v;
        };
        const auto needs_arg = [&] {
            if (arg.empty()) throw bad(verb + " needs an argument");
        };
        const auto no_arg = [&] {
            if (!arg.empty()) throw bad(verb + " takes no argument");
        };
        ScriptStep step{verb, arg, 0, line_no};
        if (verb == "pin") {
            if (arg.empty() || arg.find_first_not_of("0123456789") != std::string::npos)
                throw bad("pin needs digits, not \"" + arg + "\"");
            for (char c : arg) s.steps.push_back({"tap", std::string("pin.") + c, 0, line_no});
            s.steps.push_back({"tap", "pin.ok", 0, line_no});
            continue;
        }
        if (verb == "lang") {
            needs_arg();
            s.steps.push_back({"tap", "lang." + arg, 0, line_no});
            continue;
        }
        if (verb == "time") step.number = number(0, 24 * 3600);
        else if (verb == "wait") step.number = number(0, 60 * 1000);
        else if (verb == "taps") {
            if (arg != "reset") step.number = number(0, 1000000);
        } else if (verb == "card" || verb == "tap" || verb == "shot" || verb == "expect") needs_arg();
        else if (verb == "remove" || verb == "answer-all") no_arg();
        else throw bad("unknown step \"" + verb + "\" (see kiosk/src/script.hpp)");
        if (verb == "shot" && (arg.find('/') != std::string::npos || arg == "." || arg == ".."))
            throw bad("shot takes a plain name, not a path");
        s.steps.push_back(std::move(step));
    }
    return s;
}

}  // namespace kakanai::kiosk
