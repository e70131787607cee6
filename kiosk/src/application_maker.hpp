#pragma once
// Turns a card read into a stored application and its PDF: prefill the form,
// submit it to the store, render and write the PDF.
#include <filesystem>
#include <memory>
#include <string>

#include "kakanai/cardreader/card_info.hpp"
#include "kakanai/forms/template.hpp"
#include "kakanai/store/store.hpp"

namespace kakanai::kiosk {

struct MakerConfig {
    std::filesystem::path forms_dir;
    std::filesystem::path output_dir;
    std::filesystem::path data_dir;  // store.db and store.key
    std::string station = "kiosk-1";
    std::string template_id = "juminhyo";
};

struct MadeApplication {
    std::string id;
    std::filesystem::path pdf;
};

class ApplicationMaker {
public:
    explicit ApplicationMaker(MakerConfig config);  // throws with a clear message
    MadeApplication make(const cardreader::CardInfo& card);
    const MakerConfig& config() const { return config_; }

private:
    MakerConfig config_;
    forms::Template template_;
    std::unique_ptr<store::Store> store_;
};

}  // namespace kakanai::kiosk
