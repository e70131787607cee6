#include "script.hpp"

#include <algorithm>
#include <charconv>
#include <cstdlib>
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

std::vector<std::string> words(std::string_view s) {
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && is_space(s[i])) ++i;
        const std::size_t start = i;
        while (i < s.size() && !is_space(s[i])) ++i;
        if (i > start) out.emplace_back(s.substr(start, i - start));
    }
    return out;
}

// Checks one line's step for `program`; throws the message without file and line.
struct LineChecker {
    ScriptStep& step;
    ScriptFor program;

    [[noreturn]] void bad(const std::string& why) const { throw std::invalid_argument(why); }

    int number(const std::string& text, int lo, int hi) const {
        int v = 0;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
        if (text.empty() || ec != std::errc() || end != text.data() + text.size() || v < lo || v > hi)
            bad(step.verb + " needs a whole number from " + std::to_string(lo) + " to " + std::to_string(hi) +
                ", not \"" + text + "\"");
        return v;
    }
    void count(std::size_t n, const char* what) const {
        if (step.args.size() != n) bad(step.verb + " needs " + what);
    }
    void needs_arg() const {
        if (step.arg.empty()) bad(step.verb + " needs an argument");
    }
    void no_arg() const {
        if (!step.arg.empty()) bad(step.verb + " takes no argument");
    }

    // True when the verb is one both programs know (and it was checked).
    bool common() {
        const std::string& v = step.verb;
        if (v == "time") step.number = number(step.arg, 0, 24 * 3600);
        else if (v == "wait") step.number = number(step.arg, 0, 60 * 1000);
        else if (v == "card" || v == "tap" || v == "expect") needs_arg();
        else if (v == "shot") {
            needs_arg();
            if (step.arg.find('/') != std::string::npos || step.arg == "." || step.arg == "..")
                bad("shot takes a plain name, not a path");
        } else return false;
        return true;
    }

    bool kiosk() {
        const std::string& v = step.verb;
        if (v == "taps") {
            if (step.arg != "reset") step.number = number(step.arg, 0, 1000000);
        } else if (v == "remove" || v == "answer-all") no_arg();
        else if (v == "expect-text") count(1, "an i18n key");
        else if (v == "expect-call") {
            count(1, "a call status");
            const std::string& s = step.args[0];
            if (s != "none" && s != "raised" && s != "coming" && s != "failed")
                bad("expect-call takes none, raised, coming or failed, not \"" + s + "\"");
        } else return false;
        return true;
    }

    bool staff() {
        const std::string& v = step.verb;
        if (v == "staff-code") count(2, "a name and a code");
        else if (v == "interrupt-last") count(1, "a printer");
        else if (v == "type") {
            if (step.args.size() != 2 || step.args[1].empty()) bad("type needs an input id and the text");
        } else if (v == "expect-calls") {
            step.number = number(step.arg, 0, 1000);
        } else if (v == "expect-text") {
            count(1, "an i18n key");
        } else if (v == "expect-print") {
            count(1, "a print status");
            const std::string& s = step.args[0];
            if (s != "pending" && s != "sent" && s != "done" && s != "failed")
                bad("expect-print takes pending, sent, done or failed, not \"" + s + "\"");
        } else if (v == "seed-visit") {
            // seed-visit PROFILE AGE LANGUAGE FORM...: one visit's forms under one number
            if (step.args.size() < 4) bad("seed-visit needs a card profile, an age in seconds, a language and forms");
            step.number = number(step.args[1], 0, 366 * 24 * 3600);
        } else if (v == "seed") {
            if (step.args.size() < 3) bad("seed needs a card profile, a form and an age in seconds");
            step.number = number(step.args[2], 0, 366 * 24 * 3600);
            for (std::size_t i = 3; i < step.args.size(); ++i) {
                const std::string& kv = step.args[i];
                if (kv != "manual" && (kv.find('=') == std::string::npos || kv.front() == '='))
                    bad("seed takes field=value pairs and \"manual\", not \"" + kv + "\"");
            }
        } else return false;
        return true;
    }

    double mm(const std::string& text) const {
        char* end = nullptr;
        const double v = std::strtod(text.c_str(), &end);
        if (text.empty() || end != text.c_str() + text.size() || v < -300 || v > 300)
            bad(step.verb + " takes millimetres from -300 to 300, not \"" + text + "\"");
        return v;
    }

    bool editor() {
        const std::string& v = step.verb;
        if (v == "select") {
            if (step.args.empty() || step.args.size() > 2) bad("select needs a field id and optionally a kind");
        } else if (v == "click" || v == "drag" || v == "resize") {
            count(2, "two numbers in mm");
            mm(step.args[0]);
            mm(step.args[1]);
        } else if (v == "expect-box") {
            count(4, "x y w h in mm");
            for (const auto& a : step.args) mm(a);
        } else if (v == "key") {
            count(1, "a key");
            static const std::vector<std::string> keys{"left", "right", "up", "down", "shift+left", "shift+right",
                                                       "shift+up", "shift+down"};
            if (std::find(keys.begin(), keys.end(), step.args[0]) == keys.end())
                bad("key takes [shift+]left, right, up or down, not \"" + step.args[0] + "\"");
        } else if (v == "sample") {
            count(1, "off, typical or longest");
            if (step.arg != "off" && step.arg != "typical" && step.arg != "longest")
                bad("sample takes off, typical or longest, not \"" + step.arg + "\"");
        } else if (v == "zoom") {
            step.number = number(step.arg, 25, 600);
        } else if (v == "expect-overflow") {
            step.number = number(step.arg, 0, 1000);
        } else if (v == "save" || v == "expect-saved") {
            no_arg();
        } else return false;
        return true;
    }
};

}  // namespace

std::filesystem::path Script::path(const std::string& p) const {
    const std::filesystem::path fp(p);
    return fp.is_absolute() ? fp : dir / fp;
}

Script Script::load(const std::filesystem::path& file, ScriptFor program) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw ScriptError("cannot read script " + file.string());
    std::ostringstream text;
    text << in.rdbuf();
    return parse(text.str(), file, program);
}

Script Script::parse(std::string_view text, const std::filesystem::path& file, ScriptFor program) {
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
        ScriptStep step;
        step.verb = std::string(line.substr(0, sp));
        step.arg = std::string(trim(line.substr(sp)));
        step.line = line_no;
        const std::string& verb = step.verb;
        const std::string& arg = step.arg;
        if (!plain(arg)) throw bad("control characters in the argument of " + verb);
        if (verb == "type") {
            // `type ID TEXT`: the text is the rest of the line, spaces included.
            std::size_t id_end = 0;
            while (id_end < arg.size() && !is_space(arg[id_end])) ++id_end;
            step.args = {arg.substr(0, id_end), std::string(trim(std::string_view(arg).substr(id_end)))};
        } else {
            step.args = words(arg);
        }
        if (program == ScriptFor::Kiosk && verb == "pin") {
            if (arg.empty() || arg.find_first_not_of("0123456789") != std::string::npos)
                throw bad("pin needs digits, not \"" + arg + "\"");
            // The kiosk sends the PIN at its 4th digit: no 決定 key to tap.
            for (char c : arg) s.steps.push_back({"tap", std::string("pin.") + c, 0, line_no, {std::string("pin.") + c}});
            continue;
        }
        if (program == ScriptFor::Kiosk && verb == "lang") {
            if (arg.empty()) throw bad("lang needs an argument");
            s.steps.push_back({"tap", "lang." + arg, 0, line_no, {"lang." + arg}});
            continue;
        }
        LineChecker check{step, program};
        try {
            const bool known = check.common() || (program == ScriptFor::Kiosk    ? check.kiosk()
                                                  : program == ScriptFor::Staff ? check.staff()
                                                                                : check.editor());
            if (!known)
                throw std::invalid_argument("unknown step \"" + verb + "\" for " +
                                            (program == ScriptFor::Kiosk   ? "kakanai-kiosk"
                                             : program == ScriptFor::Staff ? "kakanai-staff"
                                                                           : "kakanai-forms-editor") +
                                            " (see kiosk/ui/script.hpp)");
        } catch (const std::invalid_argument& e) {
            throw bad(e.what());
        }
        s.steps.push_back(std::move(step));
    }
    return s;
}

}  // namespace kakanai::kiosk
