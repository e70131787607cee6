#pragma once
// Turns a card read and the resident's answers into stored applications:
// prefill every form of the errand and submit each to the store, sealed for
// the staff side. The kiosk holds only the store's public key: it writes
// applications and never reads one back. No PDF is written here: pages are
// rendered only at the staff station (review preview, printing after staff
// confirm), never on the resident's kiosk.
#include <filesystem>
#include <optional>
#include <memory>
#include <string>
#include <vector>

#include "kakanai/cardreader/card_info.hpp"
#include "kakanai/forms/catalogue.hpp"
#include "kakanai/forms/prefill.hpp"
#include "kakanai/store/store.hpp"

namespace kakanai::kiosk {

struct MakerConfig {
    std::filesystem::path forms_dir;
    std::filesystem::path data_dir;  // store.db and the public key seal.pub
    std::string station = "kiosk-1";
    // kakanai.toml with a [store] table (e.g. PostgreSQL for many stations);
    // without it the SQLite store in data_dir.
    std::optional<std::filesystem::path> store_config;
    std::filesystem::path town_forms_dir{};  // the town's forms over forms_dir (empty: none)
};

// What went wrong, as the i18n key the resident sees and a message for the log.
struct MakeError : std::runtime_error {
    MakeError(std::string key, const std::string& what, std::vector<std::string> saved)
        : std::runtime_error(what), error_key(std::move(key)), saved_ids(std::move(saved)) {}
    std::string error_key;               // error.store_failed
    std::vector<std::string> saved_ids;  // applications already stored: nothing saved is lost
};

class ApplicationMaker {
public:
    explicit ApplicationMaker(MakerConfig config);  // throws with a clear message
    const forms::Catalogue& catalogue() const { return catalogue_; }
    forms::Catalogue& catalogue() { return catalogue_; }

    // `household`: the members doing the procedure with the card holder (rows of
    // each form's [[group]]); a form applies when it applies to anyone of them.
    std::vector<forms::FilledForm> fill(const std::vector<std::string>& template_ids, const cardreader::CardInfo& card,
                                        const forms::Answers& answers, const forms::Household& household = {}) const;
    // Returns the application ids. `authenticity`: the card check's result, kept
    // with each application; a card that failed it is refused (MakeError). Throws MakeError.
    std::vector<std::string> submit(const std::vector<forms::FilledForm>& forms, cardreader::Authenticity authenticity);
    // The same as one visit: every form stored in one transaction under the
    // visit's short number (nothing is stored when one fails). `language`: the
    // resident's (ja / en / ja-easy), for the guide slip. Throws MakeError.
    store::Visit submit_visit(const std::vector<forms::FilledForm>& forms, cardreader::Authenticity authenticity,
                              const std::string& language);
    // The KPIs (nothing personal) go to the same store as the applications.
    store::KioskStore& store() { return *store_; }

private:
    MakerConfig config_;
    forms::Catalogue catalogue_;
    std::unique_ptr<store::KioskStore> store_;
};

}  // namespace kakanai::kiosk
