// Reason codes per action and the check of the optional note: the audit log
// outlives every application (the retention purge keeps it), so nothing the
// application holds may reach it through a note.
#include "kakanai/store/reasons.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>

#include "kakanai/base/utf8.hpp"

namespace kakanai::store {

std::span<const std::string_view> reason_codes(ReasonFor action) {
    switch (action) {
        case ReasonFor::Correct: return kCorrectReasons;
        case ReasonFor::Cancel: return kCancelReasons;
        case ReasonFor::Reprint: return kReprintReasons;
    }
    return {};
}

const char* to_string(ReasonFor action) {
    switch (action) {
        case ReasonFor::Correct: return "correct";
        case ReasonFor::Cancel: return "cancel";
        case ReasonFor::Reprint: return "reprint";
    }
    return "?";
}

bool is_reason_code(ReasonFor action, std::string_view code) {
    const auto codes = reason_codes(action);
    return std::find(codes.begin(), codes.end(), code) != codes.end();
}

namespace {

bool is_space(char32_t c) { return c == U' ' || c == U'\t' || c == U'\u3000' || c == U'\u30FB'; }  // ・ too
bool is_separator(char32_t c) {
    return is_space(c) || c == U'-' || c == U'\uFF0D' || c == U'\u2010' || c == U'\u2212' || c == U'\u30FC' ||
           c == U'.' || c == U'/' || c == U'\uFF0F' || c == U'\uFF0E';
}

// Full-width ASCII to ASCII, ASCII to lower case, hiragana to katakana: the
// same name written another way still matches.
char32_t fold(char32_t c) {
    if (c >= U'\uFF01' && c <= U'\uFF5E') c = static_cast<char32_t>(c - 0xFEE0);  // ！ -> !
    if (c >= U'A' && c <= U'Z') c = static_cast<char32_t>(c + 0x20);
    if (c >= U'\u3041' && c <= U'\u3096') c = static_cast<char32_t>(c + 0x60);   // ぁ -> ァ
    return c;
}

std::u32string folded(std::string_view s, bool keep_spaces = false) {
    std::u32string out;
    for (char32_t c : base::decode_utf8(s)) {
        c = fold(c);
        if (keep_spaces || !is_space(c)) out += c;
    }
    return out;
}

bool is_digit(char32_t c) { return c >= U'0' && c <= U'9'; }

// Runs of digits with separators (space, hyphen, slash, dot) taken out:
// "1234 5678 9012" is one run of 12.
std::vector<std::string> joined_digit_runs(const std::u32string& s) {
    std::vector<std::string> runs(1);
    for (char32_t c : s) {
        if (is_digit(c)) runs.back() += static_cast<char>(c);
        else if (!is_separator(c) && !runs.back().empty()) runs.emplace_back();
    }
    return runs;
}

// The numbers of the text in order ("昭和55年2月17日" -> 55, 2, 17; 元年 -> 1).
std::vector<long> numbers(const std::u32string& s) {
    std::vector<long> out;
    std::string run;
    auto flush = [&] {
        if (!run.empty()) out.push_back(std::stol(run.substr(0, 9)));
        run.clear();
    };
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (is_digit(s[i])) {
            run += static_cast<char>(s[i]);
            continue;
        }
        flush();
        if (s[i] == U'元' && i + 1 < s.size() && s[i + 1] == U'年') out.push_back(1);
    }
    flush();
    return out;
}

bool iso_date(std::string_view v, int& y, int& m, int& d) {
    if (v.size() != 10 || v[4] != '-' || v[7] != '-') return false;
    for (std::size_t i = 0; i < v.size(); ++i)
        if (i != 4 && i != 7 && (v[i] < '0' || v[i] > '9')) return false;
    y = std::stoi(std::string(v.substr(0, 4)));
    m = std::stoi(std::string(v.substr(5, 2)));
    d = std::stoi(std::string(v.substr(8, 2)));
    return true;
}

bool contains(const std::u32string& hay, const std::u32string& needle) {
    return !needle.empty() && hay.find(needle) != std::u32string::npos;
}

// A choice's stored value (yes, male, head_of_household): not personal by itself.
bool is_code_word(std::string_view v) {
    return v.size() <= 24 && std::all_of(v.begin(), v.end(), [](char c) {
               return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
           });
}

bool holds_date(const std::u32string& note, int y, int m, int d) {
    const auto n = numbers(note);
    for (std::size_t i = 0; i + 1 < n.size(); ++i) {
        if (n[i] == m && n[i + 1] == d) return true;  // 1980-02-17, 昭和55年2月17日, 2/17
        if (i + 2 < n.size() && n[i] == d && n[i + 1] == m && (n[i + 2] == y || n[i + 2] == y % 100)) return true;
    }
    char compact[16];
    std::snprintf(compact, sizeof compact, "%04d%02d%02d", y, m, d);
    for (const auto& run : joined_digit_runs(note))
        if (run.find(compact) != std::string::npos) return true;
    return false;
}

bool holds_text(const std::u32string& note, std::string_view value) {
    const std::u32string whole = folded(value);
    if (whole.size() >= 2 && contains(note, whole)) return true;
    // Each part of a name or address on its own (番号 花子: 花子).
    std::u32string part;
    for (char32_t c : folded(value, true) + U' ') {
        if (!is_space(c)) {
            part += c;
            continue;
        }
        if (part.size() >= 2 && contains(note, part)) return true;
        part.clear();
    }
    // Four characters in a row of a longer value (an address cut short).
    if (whole.size() >= 5)
        for (std::size_t i = 0; i + 4 <= whole.size(); ++i)
            if (contains(note, whole.substr(i, 4))) return true;
    return false;
}

bool holds_number(const std::u32string& note, std::string_view value) {
    std::string digits;
    for (char32_t c : folded(value)) {
        if (is_digit(c)) digits += static_cast<char>(c);
        else if (!is_separator(c)) return false;  // not a number-like value
    }
    if (digits.size() < 4) return false;
    for (const auto& run : joined_digit_runs(note))
        if (run.find(digits) != std::string::npos) return true;
    return false;
}

}  // namespace

bool holds_personal_data(std::string_view text, const std::vector<FieldValue>& values) {
    const std::u32string all = folded(text, true);
    const std::u32string n = folded(text);
    for (const auto& run : joined_digit_runs(all))
        if (run.size() >= 12) return true;
    for (const auto& f : values) {
        int y = 0, m = 0, d = 0;
        const bool personal = iso_date(f.value, y, m, d) ? holds_date(all, y, m, d)
                              : is_code_word(f.value)     ? false
                                                          : holds_number(all, f.value) || holds_text(n, f.value);
        if (personal) return true;
    }
    return false;
}

std::string note_problem(std::string_view note, const std::vector<FieldValue>& values) {
    const std::u32string all = folded(note, true);
    if (all.size() > kNoteMaxChars)
        return "a note has at most " + std::to_string(kNoteMaxChars) + " characters: the reason itself is the code";
    for (char32_t c : all)
        if (c < 0x20 || c == 0x7F || c == U'\u2028' || c == U'\u2029') return "a note is one line of text";
    if (holds_personal_data(note, values)) return kNotePersonalMessage;
    return {};
}

std::string checked_reason(ReasonFor action, const Reason& reason, const std::vector<FieldValue>& values) {
    if (!is_reason_code(action, reason.code)) {
        std::string list;
        for (auto c : reason_codes(action)) list += (list.empty() ? "" : ", ") + std::string(c);
        // The unknown code is not repeated: it may be free text.
        throw StoreError(StoreErrorKind::Refused,
                         std::string("not a ") + to_string(action) + " reason code: give one of " + list);
    }
    std::string detail = "reason=" + reason.code;
    std::string note = reason.note;
    while (!note.empty() && (note.back() == ' ' || note.back() == '\t')) note.pop_back();
    while (!note.empty() && (note.front() == ' ' || note.front() == '\t')) note.erase(0, 1);
    if (note.empty()) return detail;
    const std::string problem = note_problem(note, values);
    if (!problem.empty()) throw StoreError(StoreErrorKind::Refused, problem);
    return detail + " note=" + note;
}

}  // namespace kakanai::store
