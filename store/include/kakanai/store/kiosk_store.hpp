#pragma once
// What a resident's kiosk may do with the store: write, never read back an
// application (only the state of its own calls for staff).
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "kakanai/store/calls.hpp"
#include "kakanai/store/config.hpp"
#include "kakanai/store/types.hpp"

namespace kakanai::store {

class KioskStore {
public:
    virtual ~KioskStore() = default;

    // Saves a new application as submitted; returns its id once it is durable.
    virtual std::string submit(Application app) = 0;
    // Saves every form of one visit as submitted and gives the visit its number,
    // in one transaction: either all are stored under the number or none is.
    // The number is the next of the day (the town's time zone) across all
    // stations. `language`: what the resident used (for the guide slip).
    virtual Visit submit_visit(std::vector<Application> apps, const std::string& language) = 0;
    // A kiosk session in progress; submit_draft makes it a submitted application.
    virtual std::string save_draft(Application app) = 0;
    virtual void submit_draft(const std::string& id, const std::string& actor) = 0;
    // The resident walked away: the draft and its values are deleted now.
    virtual void abandon_draft(const std::string& id, const std::string& actor) = 0;
    virtual void record_session(const KioskSession& s) = 0;
    virtual void record_rating(const Rating& r) = 0;  // throws unless score is 1..5

    // Calls staff to this kiosk (calls.hpp); audited. Returns the call's id.
    // Refused unless `reason` is one of kCallReasons.
    virtual std::int64_t raise_call(const std::string& kiosk, const std::string& reason) = 0;
    // A call this kiosk raised, to see whether a clerk acknowledged it.
    virtual std::optional<StaffCall> call(std::int64_t id) = 0;
};

// Needs only config.public_key_file (and config.private_key_file as the place
// for a new pair when the store is empty and has no key yet).
std::unique_ptr<KioskStore> open_kiosk_store(const StoreConfig& config);

}  // namespace kakanai::store
