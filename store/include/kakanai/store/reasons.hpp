#pragma once
// Why staff corrected, cancelled or reprinted an application: one code from a
// fixed list per action (shown translated as "desk.reason_<code>"), plus an
// optional short note. The audit log keeps the code and the note, never a
// value, so a note that repeats the application's name, address, birth date,
// any other of its values or a 12-digit number is refused.
#include <array>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "kakanai/store/types.hpp"

namespace kakanai::store {

enum class ReasonFor { Correct, Cancel, Reprint };

inline constexpr std::array<std::string_view, 4> kCorrectReasons{"misread", "resident", "missing", "typo"};
inline constexpr std::array<std::string_view, 4> kCancelReasons{"withdrawn", "duplicate", "wrong_form",
                                                                "other_office"};
inline constexpr std::array<std::string_view, 4> kReprintReasons{"torn", "lost", "second_copy", "not_printed"};

std::span<const std::string_view> reason_codes(ReasonFor action);
const char* to_string(ReasonFor action);  // correct, cancel, reprint
bool is_reason_code(ReasonFor action, std::string_view code);

struct Reason {
    std::string code = {};  // one of reason_codes(action)
    std::string note = {};  // optional, at most kNoteMaxChars characters
};

inline constexpr std::size_t kNoteMaxChars = 40;

// The refusal of a note that holds a value of its application (what() of the StoreError).
inline constexpr const char* kNotePersonalMessage =
    "the note must not hold the resident's name, address, birth date or another value of the application, nor a "
    "12-digit number: the audit log keeps no personal data";

// True when `text` repeats a value of the application (its name or a part of
// it, four characters in a row of its address, its birth date written any
// common way, a number it holds) or holds any run of 12 digits.
bool holds_personal_data(std::string_view text, const std::vector<FieldValue>& values);

// Empty when `note` may be kept in the audit log next to an application with
// these values; otherwise the reason it is refused (kNotePersonalMessage, or
// a note too long or holding a line break).
std::string note_problem(std::string_view note, const std::vector<FieldValue>& values);

// Throws StoreError (Refused) when the code is not one of `action`'s or the
// note has a problem; returns the audit detail "reason=CODE[ note=NOTE]".
std::string checked_reason(ReasonFor action, const Reason& reason, const std::vector<FieldValue>& values);

}  // namespace kakanai::store
