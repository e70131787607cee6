#pragma once
// The texts people read, from assets/i18n/{ja,en,ja-easy}.toml: one table of
// key -> text per language, the town's files (same names, only the keys it
// changes) over the shipped ones. Ruby markup {漢字|かんじ} (ruby.hpp) is
// checked and parsed as the files load; only ja-easy may carry it. The kiosk's
// screens (kiosk/ui/i18n.hpp) and the guide slip's words (printing) read these.
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace kakanai::forms {

// The languages of the text files, Japanese (the reference) first.
const std::vector<std::string>& text_languages();

// language -> key -> text, ruby parsed into ruby.hpp's annotation characters.
using TextTable = std::map<std::string, std::map<std::string, std::string>>;

// Loads every language file in `dir`, then the town's from `town_dir` (empty:
// none; a missing file: none). Throws std::runtime_error naming the file and
// line (and the key, for a mistake in ruby markup).
TextTable load_texts(const std::filesystem::path& dir, const std::filesystem::path& town_dir = {});

}  // namespace kakanai::forms
