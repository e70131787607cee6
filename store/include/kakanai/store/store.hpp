#pragma once
// Applications waiting for counter staff, their state history and the audit
// log. SQLite is the embedded default; personal field values are encrypted
// at rest with AES-256-GCM under a key file created 0600.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace kakanai::store {

class StoreError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

enum class State { Draft, Submitted, Confirmed, Printed, Cancelled, Purged };
const char* to_string(State s);

struct FieldValue {
    std::string id;
    std::string value;
    std::string origin;  // card / answer / computed / empty
};

struct Application {
    std::string id;  // assigned by submit()
    std::string template_id;
    int template_version = 0;
    std::string station;
    bool card_read = true;
    State state = State::Draft;
    std::int64_t created_at = 0;  // unix seconds
    std::vector<FieldValue> fields;
};

class Store {
public:
    virtual ~Store() = default;
    // Saves a new application as submitted; returns its id once it is durable.
    virtual std::string submit(Application app) = 0;
    virtual std::optional<Application> get(const std::string& id) = 0;
    virtual std::vector<Application> queue() = 0;  // submitted, oldest first; fields not decrypted
    virtual void set_state(const std::string& id, State to, const std::string& actor) = 0;
    virtual std::vector<std::string> audit_lines(const std::string& id) = 0;
};

// Opens (creating when needed) a SQLite store. The key file is created with
// 32 random bytes and mode 0600 when it does not exist.
std::unique_ptr<Store> open_sqlite(const std::filesystem::path& db, const std::filesystem::path& key_file);

}  // namespace kakanai::store
