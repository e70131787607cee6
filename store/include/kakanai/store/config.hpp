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
    // Sealing keys (docs/store.md, "Keys"). The kiosk needs only the public
    // key; the staff station and kakanai-report the private key, whose public
    // half seals. A key pair is created only for a store with no sealed rows.
    std::filesystem::path public_key_file;   // kiosk
    std::filesystem::path private_key_file;  // staff station, kakanai-report
    std::vector<std::filesystem::path> previous_private_key_files;  // read-only, for rotation
    // The shared symmetric key files of earlier versions ([store] key_file,
    // previous_key_files): read only by `kakanai-report keys migrate`.
    std::vector<std::filesystem::path> legacy_key_files;
    std::chrono::seconds take_lease = std::chrono::minutes(30);
    std::function<std::int64_t()> clock;  // unix seconds; system clock when empty
};

// The credential systemd hands the staff units (LoadCredential=kakanai-seal.key:...).
inline constexpr const char* kSealCredential = "kakanai-seal.key";

// Reads the [store] table of kakanai.toml:
//   backend = "sqlite" | "postgresql", path = "...", conninfo = "...",
//   public_key_file = "..." (default <paths.store>/seal.pub),
//   private_key_file = "..." (default $CREDENTIALS_DIRECTORY/kakanai-seal.key
//   when that file exists, else <paths.store>/seal.key),
//   previous_private_key_files = [...], take_lease_minutes = 30
// Relative paths are taken from the file's folder; <paths.store> is [paths] store
// of the same file, or the file's folder.
// A setting of the wrong type or out of range throws StoreError (Config) naming the file.
StoreConfig load_store_config(const std::filesystem::path& toml_file);
// The same for the file's text; `toml_file` names it and anchors relative paths.
StoreConfig parse_store_config(std::string_view text, const std::filesystem::path& toml_file);

// The SQLite store of a program run without a [store] table: data_dir/store.db,
// data_dir/seal.pub and the private key as above (credential, else data_dir/seal.key).
StoreConfig sqlite_store_config(const std::filesystem::path& data_dir);
// $CREDENTIALS_DIRECTORY/kakanai-seal.key when it exists, else `fallback`.
std::filesystem::path private_key_file_or_credential(const std::filesystem::path& fallback);

}  // namespace kakanai::store
