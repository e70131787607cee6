#pragma once
// Sample values for the editor's "filled" view: typical ones, and the longest
// plausible ones a box must hold (a 60-character address, a 20-character name
// with 𠮷, every group row filled), to find every box that would overflow.
#include <string>

#include "kakanai/forms/prefill.hpp"

namespace kakanai::kiosk::editor {

enum class SampleSet { Typical, Longest };
const char* to_string(SampleSet s);

// The longest plausible card values (their lengths are tested).
inline constexpr const char* kLongestName = "勘解由小路　𠮷左衛門之助麻呂太郎兵衛二郎";  // 20 characters
inline constexpr const char* kLongestAddress =
    "北海道虻田郡倶知安町字山田一丁目二十三番地の四十五　羊蹄山麓コーポラティブハウス第一期分譲棟東側Ａ棟二〇〇一号室（管理）";  // 60
inline constexpr const char* kLongestKana = "カデノコウジ　キチザエモンノスケマロタロウベエジロウ";

// The form filled with the set: card values, an answer to every question,
// and a household filling every row of each group. Invented values only.
forms::FilledForm sample_form(const forms::Template& t, SampleSet set, const std::string& today_iso);

}  // namespace kakanai::kiosk::editor
