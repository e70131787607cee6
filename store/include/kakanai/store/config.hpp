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
    std::string conninfo;               // postgres: a libpq connection string, never with a password
    std::filesystem::path passfile;     // postgres: a .pgpass-format file; empty: see postgres_passfile()
    // Sealing keys (docs/store.md, "Keys"). The kiosk needs only the public
    // key; the staff station and kakanai-report the private key, whose public
    // half seals. A key pair is created only for a store with no sealed rows.
    std::filesystem::path public_key_file;   // kiosk
    std::filesystem::path private_key_file;  // staff station, kakanai-report
    std::vector<std::filesystem::path> previous_private_key_files;  // read-only, for rotation
    // The shared symmetric key files of earlier versions ([store] key_file,
    // previous_key_files): read only by `kakanai-report keys migrate`.
    std::vector<std::filesystem::path> legacy_key_files;
    // How long a station's claim on an application lasts without renewal: the
    // station renews it every few seconds while it runs, so this is how long
    // an application waits after its station died. [store] lease_seconds.
    std::chrono::seconds take_lease = std::chrono::minutes(2);
    std::function<std::int64_t()> clock;  // unix seconds; system clock when empty
    // The town's time zone: a visit's number restarts at its local midnight.
    std::string time_zone = "Asia/Tokyo";
};

// The credential systemd hands the staff units (LoadCredential=kakanai-seal.key:...).
inline constexpr const char* kSealCredential = "kakanai-seal.key";

// Reads the [store] table of kakanai.toml:
//   backend = "sqlite" | "postgresql", path = "...", conninfo = "...", passfile = "...",
//   public_key_file = "..." (default <paths.store>/seal.pub),
//   private_key_file = "..." (default <paths.store>/seal.key; either way
//   $CREDENTIALS_DIRECTORY/kakanai-seal.key wins when that file exists),
//   previous_private_key_files = [...], lease_seconds = 120 (5..86400; the older
//   take_lease_minutes = N is still read as N minutes),
//   time_zone = "Asia/Tokyo" (an IANA name; the day of a visit's number)
// Relative paths are taken from the file's folder; <paths.store> is [paths] store
// of the same file, or the file's folder.
// A setting of the wrong type or out of range throws StoreError (Config) naming the file.
StoreConfig load_store_config(const std::filesystem::path& toml_file);
// The same for the file's text; `toml_file` names it and anchors relative paths.
StoreConfig parse_store_config(std::string_view text, const std::filesystem::path& toml_file);

// PostgreSQL: throws StoreError (Config) naming `setting` (e.g. "[store] conninfo")
// when the connection string carries a password (password=, a URI's user:pw@, or
// PGPASSWORD in the environment), names a service file, or reaches a host that is
// not local (a Unix socket folder, localhost, 127.0.0.1, ::1) without
// sslmode=verify-full.
void check_postgres_conninfo(const std::string& conninfo, const std::string& setting = "[store] conninfo");

// The systemd credential a PostgreSQL password file may come from
// (LoadCredential=kakanai-pgpass:/etc/kakanai/pgpass).
inline constexpr const char* kPgPassCredential = "kakanai-pgpass";
// The .pgpass-format file a PostgreSQL store reads its password from: `configured`
// when set, else $CREDENTIALS_DIRECTORY/kakanai-pgpass when it exists, else empty
// (libpq then reads PGPASSFILE or ~/.pgpass).
std::filesystem::path postgres_passfile(const std::filesystem::path& configured);

// The SQLite store of a program run without a [store] table: data_dir/store.db,
// data_dir/seal.pub and the private key as above (credential, else data_dir/seal.key).
StoreConfig sqlite_store_config(const std::filesystem::path& data_dir);
// $CREDENTIALS_DIRECTORY/kakanai-seal.key when it exists, else `fallback`.
std::filesystem::path private_key_file_or_credential(const std::filesystem::path& fallback);

}  // namespace kakanai::store
