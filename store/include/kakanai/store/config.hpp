#pragma once
// Where the store is and which keys open it: the [store] table of kakanai.toml.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "kakanai/store/errors.hpp"

namespace kakanai::store {

struct StoreConfig {
    enum class Backend { Sqlite, Postgres } backend = Backend::Sqlite;
    std::filesystem::path sqlite_path;  // sqlite
    std::string conninfo;               // postgres: a libpq connection string
    std::filesystem::path key_file;     // current key; created 0600 when missing
    std::vector<std::filesystem::path> previous_key_files;  // read-only, for rotation
    std::chrono::seconds take_lease = std::chrono::minutes(30);
    std::function<std::int64_t()> clock;  // unix seconds; system clock when empty
};

// Reads the [store] table of kakanai.toml:
//   backend = "sqlite" | "postgresql", path = "...", conninfo = "...",
//   key_file = "...", previous_key_files = [...], take_lease_minutes = 30
// Relative paths are taken from the file's folder.
// A setting of the wrong type or out of range throws StoreError (Config) naming the file.
StoreConfig load_store_config(const std::filesystem::path& toml_file);
// The same for the file's text; `toml_file` names it and anchors relative paths.
StoreConfig parse_store_config(std::string_view text, const std::filesystem::path& toml_file);

}  // namespace kakanai::store
