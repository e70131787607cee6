#pragma once
// The sealing key pair of a store (docs/store.md, "Keys"): the kiosk holds the
// public key only, the staff station and kakanai-report the private key.
#include <filesystem>
#include <string>

namespace kakanai::store {

// Creates a new X25519 key pair as PEM files: the private key 0600, the public
// key 0644, missing folders 0700. Refuses (StoreError Conflict) to overwrite
// either file. Returns the key id ("x25519-" and 16 hex digits).
std::string create_key_pair(const std::filesystem::path& private_file, const std::filesystem::path& public_file);

// The id of the key in a public or private key file (throws StoreError KeyMissing).
std::string public_key_id(const std::filesystem::path& public_file);
std::string private_key_id(const std::filesystem::path& private_file);

}  // namespace kakanai::store
