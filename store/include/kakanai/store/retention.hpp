#pragma once
// The [retention] table of kakanai.toml: the maximum age of an application in
// each state, applied by `kakanai-report purge` (kakanai-purge.timer, daily).
#include <filesystem>
#include <string_view>

#include "kakanai/store/errors.hpp"
#include "kakanai/store/types.hpp"

namespace kakanai::store {

//   [retention]
//   draft_hours = 1          a draft left by a kiosk that stopped
//   submitted_hours = 168    submitted but never confirmed
//   confirmed_hours = 168    confirmed but never printed
//   printed_hours = 24
//   cancelled_hours = 24
// Each is a whole number of hours since the application's last change; a
// missing key keeps its default (PurgePolicy), a missing table all of them.
// A wrong type or a value out of range throws StoreError (Config) naming the
// file and the key.
PurgePolicy load_retention(const std::filesystem::path& toml_file);
PurgePolicy parse_retention(std::string_view text, const std::filesystem::path& toml_file);

// The longest retention a setting accepts: nothing personal stays for years by a typo.
inline constexpr int kMaxRetentionHours = 366 * 24;

}  // namespace kakanai::store
