// Which key seals and which keys open, checked against the store's store_keys
// table so a key never changes silently (docs/store.md, "Keys").
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <thread>

#include "sql_store.hpp"

namespace kakanai::store {
namespace {

constexpr char kSee[] = " (docs/store.md, \"Keys\")";

bool file_exists(const std::filesystem::path& f) {
    std::error_code ec;
    return std::filesystem::exists(f, ec);
}

// A pair another process created at the same moment may still be half written.
template <class F>
auto load_retrying(F&& load) {
    for (int i = 0;; ++i) {
        try {
            return load();
        } catch (const StoreError&) {
            if (i >= 20) throw;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    }
}

}  // namespace

void SqlStore::setup_keys(const StoreConfig& cfg, bool kiosk_only) {
    const std::filesystem::path own = kiosk_only ? cfg.public_key_file : cfg.private_key_file;
    if (own.empty())
        throw StoreError(StoreErrorKind::Config, std::string("no ") + (kiosk_only ? "public_key_file" : "private_key_file") +
                                                     " is set in [store] of kakanai.toml" + kSee);
    std::lock_guard lk(m_);
    bool created = false;
    tx([&] {
        db_->lock_schema();
        const auto known = db_->query("SELECT COUNT(*) AS n FROM store_keys", {});
        const bool fresh = known.at(0).integer("n") == 0;
        if (!file_exists(own)) {
            if (!fresh)
                throw StoreError(StoreErrorKind::KeyMissing,
                                 "store " + db_->where() + " holds sealed applications but key file " + own.string() +
                                     " does not exist: restore it from the backup; a new key is never made for a "
                                     "store with rows" + kSee);
            // An empty store (development runs, tests): its first key pair.
            if (cfg.private_key_file.empty() || cfg.public_key_file.empty())
                throw StoreError(StoreErrorKind::Config, "a new store needs both public_key_file and private_key_file" +
                                                             std::string(kSee));
            try {
                create_key_pair_files(cfg.private_key_file, cfg.public_key_file);
                created = true;
            } catch (const StoreError& e) {
                if (e.kind() != StoreErrorKind::Conflict) throw;  // another station made it first
            }
        }
        if (kiosk_only) {
            seal_key_ = load_retrying([&] { return load_public_key(cfg.public_key_file); });
        } else {
            keys_.push_back(load_retrying([&] { return load_private_key(cfg.private_key_file); }));
            seal_key_ = keys_.front().pub;
            for (const auto& f : cfg.previous_private_key_files) {
                PrivateKey k = load_private_key(f);
                if (k.pub.id != seal_key_.id) keys_.push_back(std::move(k));
            }
        }
        const auto current = db_->query("SELECT key_id FROM store_keys WHERE state = 'current'", {});
        const std::string registered = current.empty() ? "" : current[0].text("key_id");
        const auto register_current = [&] {
            db_->query("UPDATE store_keys SET state = 'previous' WHERE state = 'current'", {});
            db_->query("INSERT INTO store_keys(key_id, public_key, state, created_at) VALUES(?,?,?,?)",
                       {seal_key_.id, Blob{{seal_key_.raw.begin(), seal_key_.raw.end()}}, std::string("current"), now()});
        };
        if (registered.empty()) {
            register_current();  // the store's first key, or the first after an earlier version's shared key
        } else if (registered != seal_key_.id) {
            const bool known_key = !db_->query("SELECT key_id FROM store_keys WHERE key_id = ? AND state = 'previous'",
                                               {seal_key_.id})
                                        .empty();
            const bool rotating = !kiosk_only && std::any_of(keys_.begin() + 1, keys_.end(), [&](const PrivateKey& k) {
                return k.pub.id == registered;
            });
            if (rotating) {
                register_current();  // the administrator listed the old key as previous: a rotation
            } else if (kiosk_only && known_key) {
                // Sealed for a key the staff side still holds (during a rotation): allowed, and said.
                std::fprintf(stderr, "kakanai: public key %s is %s, not the store's current key %s: copy the new public "
                             "key to this kiosk (docs/store.md, \"Rotation\")\n",
                             seal_key_.id.c_str(), own.c_str(), registered.c_str());
            } else {
                throw StoreError(StoreErrorKind::KeyMissing,
                                 "key file " + own.string() + " holds key " + seal_key_.id + " but store " +
                                     db_->where() + " is sealed for key " + registered +
                                     ": this is not the store's key; restore the right file from the backup" + kSee);
            }
        }
    });
    if (created)
        std::fprintf(stderr, "kakanai: new store: created key pair %s (%s, %s)\n", seal_key_.id.c_str(),
                     cfg.private_key_file.c_str(), cfg.public_key_file.c_str());
    for (const auto& f : cfg.legacy_key_files)
        if (!kiosk_only && file_exists(f)) legacy_.push_back(load_legacy_key(f));
}

std::string SqlStore::open_fields(const std::string& key_id, const std::vector<std::uint8_t>& blob,
                                  const std::string& id) {
    if (keys_.empty())
        throw StoreError(StoreErrorKind::KeyMissing,
                         "application " + id + " cannot be opened here: this station holds only the public key, "
                         "which seals applications for the staff side and never opens them" + std::string(kSee));
    for (const auto& k : keys_)
        if (k.pub.id == key_id) return open_sealed(k, blob, id);
    for (const auto& k : legacy_)
        if (k.id == key_id) return open_legacy(k, blob, id);
    if (key_id.rfind("x25519-", 0) != 0)
        throw StoreError(StoreErrorKind::KeyMissing,
                         "application " + id + " was sealed by an earlier kakanai with its shared key " + key_id +
                             ": re-seal such rows once with kakanai-report keys migrate --legacy-key FILE "
                             "(docs/store.md, \"Migrating from the shared key\")");
    throw StoreError(StoreErrorKind::KeyMissing,
                     "application " + id + " was sealed for key " + key_id +
                         ", whose private key is not loaded: list its file in previous_private_key_files of "
                         "kakanai.toml" + std::string(kSee));
}

}  // namespace kakanai::store
