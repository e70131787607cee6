// The [store] table of kakanai.toml.
#include <toml++/toml.h>

#include "kakanai/store/store.hpp"

namespace kakanai::store {

StoreConfig load_store_config(const std::filesystem::path& toml_file) {
    toml::table root;
    try {
        root = toml::parse_file(toml_file.string());
    } catch (const toml::parse_error& e) {
        throw StoreError(toml_file.string() + ":" + std::to_string(e.source().begin.line) + ": " +
                         std::string(e.description()));
    }
    const auto base = toml_file.parent_path();
    const auto path_of = [&](const std::string& p) {
        const std::filesystem::path f(p);
        return f.is_absolute() ? f : base / f;
    };
    StoreConfig c;
    const toml::table* t = root["store"].as_table();
    if (!t) throw StoreError(toml_file.string() + ": no [store] table: add one with backend, path or conninfo, key_file");
    const std::string backend = (*t)["backend"].value_or(std::string("sqlite"));
    if (backend == "postgresql" || backend == "postgres") {
        c.backend = StoreConfig::Backend::Postgres;
        c.conninfo = (*t)["conninfo"].value_or(std::string());
        if (c.conninfo.empty())
            throw StoreError(toml_file.string() + ": [store] backend = \"postgresql\" needs conninfo, for example "
                             "conninfo = \"host=/run/postgresql dbname=kakanai\"");
    } else if (backend == "sqlite") {
        c.sqlite_path = path_of((*t)["path"].value_or(std::string("store.db")));
    } else {
        throw StoreError(toml_file.string() + ": [store] backend is \"" + backend +
                         "\": use \"sqlite\" or \"postgresql\"");
    }
    c.key_file = path_of((*t)["key_file"].value_or(std::string("store.key")));
    if (const auto* prev = (*t)["previous_key_files"].as_array())
        for (const auto& e : *prev)
            if (auto s = e.value<std::string>()) c.previous_key_files.push_back(path_of(*s));
    c.take_lease = std::chrono::minutes((*t)["take_lease_minutes"].value_or(std::int64_t{30}));
    return c;
}

}  // namespace kakanai::store
