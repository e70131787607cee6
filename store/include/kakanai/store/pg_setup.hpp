#pragma once
// Setting up a PostgreSQL store for several stations (kakanai-report pg-setup).
#include <filesystem>
#include <string>
#include <vector>

namespace kakanai::store {

// The roles the setup creates and the stations log in as (or as members of).
inline constexpr const char* kPgKioskRole = "kakanai_kiosk";  // INSERT applications, sessions, ratings; no SELECT of them
inline constexpr const char* kPgStaffRole = "kakanai_staff";  // reads and writes rows; no DDL

struct PgSetupResult {
    std::vector<std::string> created_roles;  // roles that did not exist before
    int schema_version_before = 0;
    int schema_version = 0;
};

// Run with the database owner's or a superuser's connection: creates the two
// roles when missing (LOGIN, no password: set one with \password or use
// per-PC login roles granted membership), migrates the schema as this user,
// grants each role what it needs, and takes CONNECT/TEMP on the database and
// CREATE on its schema away from PUBLIC. Safe to run again (after an update:
// migrations and grants are re-applied). Throws StoreError.
PgSetupResult setup_postgres(const std::string& conninfo, const std::filesystem::path& passfile = {});

}  // namespace kakanai::store
