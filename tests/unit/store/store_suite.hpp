#pragma once
// The store test suite runs unchanged on every backend; each test binary
// provides the backend through store_target().
#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

#include "kakanai/store/store.hpp"

namespace kakanai::store {
// Test failures name the kind ("taken"), not its bytes.
inline void PrintTo(StoreErrorKind kind, std::ostream* os) { *os << to_string(kind); }
}  // namespace kakanai::store

namespace kakanai::test {

class StoreTarget {
public:
    virtual ~StoreTarget() = default;
    virtual const char* name() const = 0;
    // A fresh, empty store location; `dir` is the test's temp folder.
    virtual store::StoreConfig fresh(const std::filesystem::path& dir) = 0;
    // Files where the backend keeps the store's data, to search for plaintext.
    virtual std::vector<std::filesystem::path> data_paths(const store::StoreConfig& c) = 0;
    // Pretends a newer program migrated the store.
    virtual void set_schema_version(const store::StoreConfig& c, int version) = 0;
    // How many kill -9 points the crash loop tries (PostgreSQL is slower to reopen).
    virtual int crash_iterations() const = 0;
};

StoreTarget& store_target();

}  // namespace kakanai::test
