// The [retention] table of kakanai.toml.
#include "kakanai/store/retention.hpp"

#include "kakanai/base/toml_file.hpp"

namespace kakanai::store {

std::chrono::seconds PurgePolicy::age_of(State s) const {
    switch (s) {
        case State::Draft: return stale_draft;
        case State::Submitted: return submitted;
        case State::Confirmed: return confirmed;
        case State::Printed: return printed;
        case State::Cancelled: return cancelled;
        case State::Purged: break;
    }
    return std::chrono::seconds::max();
}

namespace {

PurgePolicy retention_of(const toml::table& root, const std::filesystem::path& toml_file) {
    PurgePolicy p;
    const toml::node* table = root.get("retention");
    if (!table) return p;
    const std::string file = toml_file.string();
    if (!table->is_table())
        throw StoreError(StoreErrorKind::Config, file + ": retention must be a table ([retention])");
    struct Key {
        const char* name;
        std::chrono::seconds* age;
        int min_hours;  // a live draft or an unseen application is never purged at once
    };
    const Key keys[] = {{"draft_hours", &p.stale_draft, 1},
                        {"submitted_hours", &p.submitted, 1},
                        {"confirmed_hours", &p.confirmed, 1},
                        {"printed_hours", &p.printed, 0},
                        {"cancelled_hours", &p.cancelled, 0}};
    for (const auto& [k, v] : *table->as_table()) {
        bool known = false;
        for (const auto& key : keys) known = known || k.str() == key.name;
        if (!known)
            throw StoreError(StoreErrorKind::Config, file + ": retention." + std::string(k.str()) +
                                                         ": unknown setting (see docs/configuration.md)");
    }
    for (const auto& key : keys) {
        const toml::node* n = table->as_table()->get(key.name);
        if (!n) continue;
        const std::string where = file + ": retention." + key.name;
        if (!n->is_integer() || n->as_integer()->get() < key.min_hours || n->as_integer()->get() > kMaxRetentionHours)
            throw StoreError(StoreErrorKind::Config, where + ": must be a whole number of hours from " +
                                                         std::to_string(key.min_hours) + " to " +
                                                         std::to_string(kMaxRetentionHours));
        *key.age = std::chrono::hours(n->as_integer()->get());
    }
    return p;
}

}  // namespace

PurgePolicy load_retention(const std::filesystem::path& toml_file) {
    try {
        return retention_of(base::parse_toml_file(toml_file), toml_file);
    } catch (const base::TomlFileError& e) {
        throw StoreError(StoreErrorKind::Config, e.what());
    }
}

PurgePolicy parse_retention(std::string_view text, const std::filesystem::path& toml_file) {
    try {
        return retention_of(base::parse_toml_text(text, toml_file), toml_file);
    } catch (const base::TomlFileError& e) {
        throw StoreError(StoreErrorKind::Config, e.what());
    }
}

}  // namespace kakanai::store
