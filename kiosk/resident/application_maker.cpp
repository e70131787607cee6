#include "application_maker.hpp"

#include "application_record.hpp"

#include <sys/stat.h>

#include "kakanai/base/wipe.hpp"
#include "kakanai/forms/wareki.hpp"

namespace kakanai::kiosk {

ApplicationMaker::ApplicationMaker(MakerConfig config)
    : config_(std::move(config)), catalogue_(forms::Catalogue::load(config_.forms_dir, forms::today_iso(), config_.town_forms_dir)) {
    if (catalogue_.templates().empty())
        throw std::runtime_error("no usable form template in " + config_.forms_dir.string() +
                                 " (check the files there with kakanai-forms)");
    std::error_code ec;
    std::filesystem::create_directories(config_.data_dir, ec);
    if (ec) throw std::runtime_error("cannot create data folder " + config_.data_dir.string() + ": " + ec.message());
    ::chmod(config_.data_dir.c_str(), 0700);
    store_ = store::open_kiosk_store(config_.store_config ? store::load_store_config(*config_.store_config)
                                                          : store::sqlite_store_config(config_.data_dir));
}

std::vector<forms::FilledForm> ApplicationMaker::fill(const std::vector<std::string>& template_ids,
                                                      const cardreader::CardInfo& card,
                                                      const forms::Answers& answers,
                                                      const forms::Household& household) const {
    forms::CardData data{card.name, card.address, card.birth_date, cardreader::to_string(card.sex), true};
    std::vector<forms::FilledForm> out;
    const std::string today = forms::today_iso();
    for (const auto& id : template_ids)
        if (const forms::Template* t = catalogue_.find(id);
            t && forms::form_applies(*t, data, answers, today, household)) {  // `when`: not every form applies
            // An answer given for this form alone ("copies@juminhyo") is its answer to "copies".
            forms::Answers own = answers;
            const std::string suffix = "@" + id;
            for (const auto& [key, value] : answers)
                if (key.size() > suffix.size() && key.compare(key.size() - suffix.size(), suffix.size(), suffix) == 0)
                    own[key.substr(0, key.size() - suffix.size())] = value;
            out.push_back(forms::prefill(*t, data, own, today, {}, household));
            for (auto& [key, value] : own) base::wipe_string(value);
        }
    data.wipe();
    return out;
}

std::vector<std::string> ApplicationMaker::submit(const std::vector<forms::FilledForm>& filled,
                                                  cardreader::Authenticity authenticity) {
    std::vector<std::string> ids;
    if (!cardreader::accepted(authenticity))
        throw MakeError("error.store_failed",
                        std::string("card data with authenticity ") + cardreader::to_string(authenticity) + " is never stored", {});
    // What was saved before a failure stays saved and is named: staff find it in the queue.
    try {
        for (const auto& form : filled) {
            const forms::Template* t = catalogue_.find(form.template_id);
            if (!t) throw std::runtime_error("template " + form.template_id + " is gone");
            ids.push_back(store_->submit(to_application(*t, form, config_.station, Entry::Card,
                                                        cardreader::to_string(authenticity))));
        }
    } catch (const std::exception& e) {
        throw MakeError("error.store_failed", std::string("store: ") + e.what(), ids);
    }
    return ids;
}

store::Visit ApplicationMaker::submit_visit(const std::vector<forms::FilledForm>& filled,
                                           cardreader::Authenticity authenticity, const std::string& language) {
    if (!cardreader::accepted(authenticity))
        throw MakeError("error.store_failed",
                        std::string("card data with authenticity ") + cardreader::to_string(authenticity) + " is never stored", {});
    std::vector<store::Application> apps;
    try {
        for (const auto& form : filled) {
            const forms::Template* t = catalogue_.find(form.template_id);
            if (!t) throw std::runtime_error("template " + form.template_id + " is gone");
            apps.push_back(to_application(*t, form, config_.station, Entry::Card, cardreader::to_string(authenticity)));
        }
        return store_->submit_visit(std::move(apps), language);
    } catch (const std::exception& e) {
        for (auto& a : apps)
            for (auto& f : a.fields) base::wipe_string(f.value);
        throw MakeError("error.store_failed", std::string("store: ") + e.what(), {});  // one transaction: nothing saved
    }
}

}  // namespace kakanai::kiosk
