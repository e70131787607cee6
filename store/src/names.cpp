// The names of states, print statuses and error kinds: one table each.
#include <cerrno>

#include "kakanai/store/errors.hpp"
#include "kakanai/store/types.hpp"

namespace kakanai::store {
namespace {

template <class E, std::size_t N>
const char* name_in(const std::array<Named<E>, N>& table, E value) {
    for (const auto& n : table)
        if (n.value == value) return n.name;
    return table[0].name;
}

template <class E, std::size_t N>
E value_in(const std::array<Named<E>, N>& table, const std::string& name, const char* what) {
    for (const auto& n : table)
        if (name == n.name) return n.value;
    throw StoreError(StoreErrorKind::Damaged, std::string("unknown ") + what + " in the store: " + name);
}

struct KindName {
    StoreErrorKind kind;
    const char* name;
    const char* key;
};
constexpr KindName kKindNames[] = {
    {StoreErrorKind::Unavailable, "unavailable", "store.unavailable"},
    {StoreErrorKind::ReadOnly, "read_only", "store.read_only"},
    {StoreErrorKind::DiskFull, "disk_full", "store.disk_full"},
    {StoreErrorKind::Damaged, "damaged", "store.damaged"},
    {StoreErrorKind::Busy, "busy", "store.busy"},
    {StoreErrorKind::Io, "io", "store.io"},
    {StoreErrorKind::NotFound, "not_found", "store.not_found"},
    {StoreErrorKind::Taken, "taken", "store.taken"},
    {StoreErrorKind::WrongState, "wrong_state", "store.wrong_state"},
    {StoreErrorKind::AlreadyPrinted, "already_printed", "store.already_printed"},
    {StoreErrorKind::Conflict, "conflict", "store.conflict"},
    {StoreErrorKind::Refused, "refused", "store.refused"},
    {StoreErrorKind::KeyMissing, "key_missing", "store.key_missing"},
    {StoreErrorKind::NewerSchema, "newer_schema", "store.newer_schema"},
    {StoreErrorKind::Config, "config", "store.config"},
    {StoreErrorKind::Internal, "internal", "store.internal"},
};
static_assert(std::size(kKindNames) == kStoreErrorKinds.size());

const KindName& kind_name(StoreErrorKind kind) {
    for (const auto& k : kKindNames)
        if (k.kind == kind) return k;
    return kKindNames[std::size(kKindNames) - 1];
}

}  // namespace

const char* to_string(State s) { return name_in(kStateNames, s); }
State state_from_string(const std::string& s) { return value_in(kStateNames, s, "application state"); }
const char* to_string(PrintStatus s) { return name_in(kPrintStatusNames, s); }
PrintStatus print_status_from_string(const std::string& s) {
    return value_in(kPrintStatusNames, s, "print job status");
}

const char* to_string(StoreErrorKind kind) { return kind_name(kind).name; }
const char* i18n_key(StoreErrorKind kind) { return kind_name(kind).key; }

StoreErrorKind kind_from_errno(int err) {
    switch (err) {
        case EROFS:
        case EACCES:
        case EPERM: return StoreErrorKind::ReadOnly;
        case ENOSPC:
        case EDQUOT: return StoreErrorKind::DiskFull;
        case ENOENT:
        case ENOTDIR: return StoreErrorKind::Unavailable;
        case EEXIST: return StoreErrorKind::Conflict;
        default: return StoreErrorKind::Io;
    }
}

}  // namespace kakanai::store
