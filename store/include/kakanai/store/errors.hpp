#pragma once
// Typed store errors. The kind says what went wrong in words staff can act on
// (an i18n key); what() keeps the detail for the log: the file or server, the
// database's own message and the fix from docs/store.md. Never a personal value.
#include <array>
#include <stdexcept>
#include <string>

namespace kakanai::store {

enum class StoreErrorKind {
    Unavailable,     // the file cannot be opened or the server cannot be reached
    ReadOnly,        // the file, folder or database role does not allow writing
    DiskFull,        // no space left; nothing was saved
    Damaged,         // the file or a row is damaged or not a kakanai store
    Busy,            // another station holds a lock; try again
    Io,              // the disk reported an error
    NotFound,        // no such application or print job (purged, or a typo)
    Taken,           // open at another staff member's station
    WrongState,      // the application's state does not allow this step
    AlreadyPrinted,  // printed, or a print whose result is unknown: request a reprint
    Conflict,        // the same thing was saved at the same time (or a file exists)
    Refused,         // a value the store never accepts (個人番号, missing name or reason, ...)
    KeyMissing,      // the encryption key file is missing, different or unusable
    NewerSchema,     // another station runs a newer kakanai
    Config,          // kakanai.toml's [store] table is wrong
    Internal,        // anything else
};

inline constexpr std::array kStoreErrorKinds{
    StoreErrorKind::Unavailable, StoreErrorKind::ReadOnly,   StoreErrorKind::DiskFull,
    StoreErrorKind::Damaged,     StoreErrorKind::Busy,       StoreErrorKind::Io,
    StoreErrorKind::NotFound,    StoreErrorKind::Taken,      StoreErrorKind::WrongState,
    StoreErrorKind::AlreadyPrinted, StoreErrorKind::Conflict, StoreErrorKind::Refused,
    StoreErrorKind::KeyMissing,  StoreErrorKind::NewerSchema, StoreErrorKind::Config,
    StoreErrorKind::Internal,
};

// Stable snake_case name, e.g. "disk_full" (for logs and JSON).
const char* to_string(StoreErrorKind kind);
// The message key in assets/i18n, e.g. "store.disk_full".
const char* i18n_key(StoreErrorKind kind);
// The kind for a failed system call's errno (EROFS -> ReadOnly, ENOSPC -> DiskFull, ...).
StoreErrorKind kind_from_errno(int err);

class StoreError : public std::runtime_error {
public:
    StoreError(StoreErrorKind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
    StoreErrorKind kind() const noexcept { return kind_; }
    const char* i18n_key() const noexcept { return store::i18n_key(kind_); }

private:
    StoreErrorKind kind_;
};

}  // namespace kakanai::store
