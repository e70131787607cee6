#pragma once
// Applications waiting for counter staff, their state history, print jobs,
// the audit log and kiosk metrics. Each program uses the store through the
// role it needs (KioskStore, DeskStore, ReportStore); Store is all three.
// Two backends: SQLite (the embedded default) and PostgreSQL (several kiosks
// and staff PCs). Personal field values are sealed for the staff side
// (X25519 + HKDF-SHA256 + AES-256-GCM): a kiosk store, opened with the public
// key only, writes and never reads back. Each row names its key id so keys
// can rotate.
// 個人番号 is never stored.
#include <filesystem>
#include <memory>
#include <string>

#include "kakanai/store/config.hpp"
#include "kakanai/store/desk_store.hpp"
#include "kakanai/store/errors.hpp"
#include "kakanai/store/kiosk_store.hpp"
#include "kakanai/store/report_store.hpp"
#include "kakanai/store/types.hpp"

namespace kakanai::store {

class Store : public KioskStore, public DeskStore, public ReportStore {
public:
    ~Store() override = default;
    // Both the station and kakanai-report set staff codes: one function for both roles.
    void set_staff_code(const std::string& staff, const std::string& code, const std::string& actor) override = 0;
};

constexpr int kSchemaVersion = 7;

std::unique_ptr<Store> open_store(const StoreConfig& config);
// Opens (creating when needed) a SQLite store with its private key; the public
// key file is the same name ending in .pub. A store with no sealed row and no
// key gets a new key pair; a store with rows never does (docs/store.md, "Keys").
std::unique_ptr<Store> open_sqlite(const std::filesystem::path& db, const std::filesystem::path& private_key_file);
std::unique_ptr<Store> open_postgres(const std::string& conninfo, const std::filesystem::path& private_key_file);

}  // namespace kakanai::store
