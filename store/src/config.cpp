// The [store] table of kakanai.toml.
#include <cstdlib>

#include "kakanai/base/toml_file.hpp"
#include "kakanai/store/config.hpp"

namespace kakanai::store {
namespace {

// A [store] setting of the wrong type is an error, never a silent default.
std::string string_setting(const toml::table& t, const std::string& file, const char* key, const char* fallback) {
    const toml::node* n = t.get(key);
    if (!n) return fallback;
    if (!n->is_string()) throw StoreError(StoreErrorKind::Config, file + ": [store] " + key + " must be a string in quotes");
    return n->as_string()->get();
}

}  // namespace

namespace {
StoreConfig store_config_of(const toml::table& root, const std::filesystem::path& toml_file);
}  // namespace

std::filesystem::path private_key_file_or_credential(const std::filesystem::path& fallback) {
    if (const char* dir = std::getenv("CREDENTIALS_DIRECTORY"); dir && *dir) {
        const std::filesystem::path f = std::filesystem::path(dir) / kSealCredential;
        std::error_code ec;
        if (std::filesystem::exists(f, ec)) return f;
    }
    return fallback;
}

StoreConfig sqlite_store_config(const std::filesystem::path& data_dir) {
    StoreConfig c;
    c.sqlite_path = data_dir / "store.db";
    c.public_key_file = data_dir / "seal.pub";
    c.private_key_file = private_key_file_or_credential(data_dir / "seal.key");
    return c;
}

StoreConfig load_store_config(const std::filesystem::path& toml_file) {
    toml::table root;
    try {
        root = base::parse_toml_file(toml_file);
    } catch (const base::TomlFileError& e) {
        throw StoreError(StoreErrorKind::Config, e.what());
    }
    return store_config_of(root, toml_file);
}

StoreConfig parse_store_config(std::string_view text, const std::filesystem::path& toml_file) {
    toml::table root;
    try {
        root = base::parse_toml_text(text, toml_file);
    } catch (const base::TomlFileError& e) {
        throw StoreError(StoreErrorKind::Config, e.what());
    }
    return store_config_of(root, toml_file);
}

namespace {
StoreConfig store_config_of(const toml::table& root, const std::filesystem::path& toml_file) {
    const std::string file = toml_file.string();
    const auto base = toml_file.parent_path();
    const auto path_of = [&](const std::string& p) {
        if (p.empty()) throw StoreError(StoreErrorKind::Config, file + ": [store] file names must not be empty");
        const std::filesystem::path f(p);
        return f.is_absolute() ? f : base / f;
    };
    StoreConfig c;
    const toml::table* t = root["store"].as_table();
    if (!t) throw StoreError(StoreErrorKind::Config, file + ": no [store] table: add one with backend, path or conninfo, and the key files");
    const std::string backend = string_setting(*t, file, "backend", "sqlite");
    if (backend == "postgresql" || backend == "postgres") {
        c.backend = StoreConfig::Backend::Postgres;
        c.conninfo = string_setting(*t, file, "conninfo", "");
        if (c.conninfo.empty())
            throw StoreError(StoreErrorKind::Config, file + ": [store] backend = \"postgresql\" needs conninfo, for example "
                             "conninfo = \"host=/run/postgresql dbname=kakanai\"");
        try {
            check_postgres_conninfo(c.conninfo);
        } catch (const StoreError& e) {
            throw StoreError(StoreErrorKind::Config, file + ": " + e.what());
        }
        if (t->get("password"))
            throw StoreError(StoreErrorKind::Config, file + ": [store] password is not read: a password never lies in "
                             "kakanai.toml; put it in a .pgpass-format file named by [store] passfile or in the "
                             "systemd credential kakanai-pgpass (docs/store.md)");
        const std::string passfile = string_setting(*t, file, "passfile", "");
        if (!passfile.empty()) c.passfile = path_of(passfile);
    } else if (backend == "sqlite") {
        c.sqlite_path = path_of(string_setting(*t, file, "path", "store.db"));
    } else {
        throw StoreError(StoreErrorKind::Config, file + ": [store] backend is \"" + backend + "\": use \"sqlite\" or \"postgresql\"");
    }
    const auto list_of = [&](const char* key) {
        std::vector<std::filesystem::path> out;
        if (const toml::node* n = t->get(key)) {
            if (!n->is_array())
                throw StoreError(StoreErrorKind::Config, file + ": [store] " + key + " must be a list of file names");
            for (const auto& e : *n->as_array()) {
                if (!e.is_string())
                    throw StoreError(StoreErrorKind::Config, file + ": [store] " + key + " must be a list of file names");
                out.push_back(path_of(e.as_string()->get()));
            }
        }
        return out;
    };
    // Key files default to the data folder ([paths] store), where the kiosk keeps its store.
    std::filesystem::path key_dir = base;
    if (const toml::node* ps = root["paths"]["store"].node()) {
        if (!ps->is_string()) throw StoreError(StoreErrorKind::Config, file + ": [paths] store must be a string in quotes");
        key_dir = path_of(ps->as_string()->get());
    }
    c.public_key_file = t->get("public_key_file") ? path_of(string_setting(*t, file, "public_key_file", ""))
                                                  : key_dir / "seal.pub";
    // A credential systemd hands the unit wins over the file: the staff user cannot read the file itself.
    c.private_key_file = private_key_file_or_credential(
        t->get("private_key_file") ? path_of(string_setting(*t, file, "private_key_file", "")) : key_dir / "seal.key");
    c.previous_private_key_files = list_of("previous_private_key_files");
    // The shared key of earlier versions, kept for `kakanai-report keys migrate`.
    if (t->get("key_file")) c.legacy_key_files.push_back(path_of(string_setting(*t, file, "key_file", "")));
    for (auto& f : list_of("previous_key_files")) c.legacy_key_files.push_back(std::move(f));
    if (const toml::node* lease = t->get("lease_seconds")) {
        // A station renews its claim every 2 seconds: shorter than 5 s would free live claims.
        constexpr std::int64_t kMin = 5, kMax = 24 * 60 * 60;
        if (!lease->is_integer() || lease->as_integer()->get() < kMin || lease->as_integer()->get() > kMax)
            throw StoreError(StoreErrorKind::Config, file + ": [store] lease_seconds must be a whole number from " +
                             std::to_string(kMin) + " to " + std::to_string(kMax));
        c.take_lease = std::chrono::seconds(lease->as_integer()->get());
    } else if (const toml::node* minutes = t->get("take_lease_minutes")) {  // the older setting
        // Bounded: minutes become seconds and unix times, which must not overflow.
        constexpr std::int64_t kMaxLease = 7 * 24 * 60;
        if (!minutes->is_integer() || minutes->as_integer()->get() < 1 || minutes->as_integer()->get() > kMaxLease)
            throw StoreError(StoreErrorKind::Config, file + ": [store] take_lease_minutes must be a whole number from 1 to " +
                             std::to_string(kMaxLease));
        c.take_lease = std::chrono::minutes(minutes->as_integer()->get());
    }
    if (t->get("time_zone")) c.time_zone = string_setting(*t, file, "time_zone", "Asia/Tokyo");
    return c;
}
}  // namespace

}  // namespace kakanai::store
