#include "application_maker.hpp"

#include <sys/stat.h>

#include "kakanai/forms/prefill.hpp"
#include "kakanai/forms/wareki.hpp"
#include "kakanai/printing/pdf.hpp"

namespace kakanai::kiosk {

ApplicationMaker::ApplicationMaker(MakerConfig config)
    : config_(std::move(config)), template_(forms::load_template(config_.forms_dir / (config_.template_id + ".toml"))) {
    std::error_code ec;
    std::filesystem::create_directories(config_.data_dir, ec);
    if (ec) throw std::runtime_error("cannot create data folder " + config_.data_dir.string() + ": " + ec.message());
    ::chmod(config_.data_dir.c_str(), 0700);
    store_ = store::open_sqlite(config_.data_dir / "store.db", config_.data_dir / "store.key");
}

MadeApplication ApplicationMaker::make(const cardreader::CardInfo& card) {
    forms::CardData data{card.name, card.address, card.birth_date, cardreader::to_string(card.sex), true};
    forms::FilledForm filled = forms::prefill(template_, data, {}, forms::today_iso());
    data.wipe();

    store::Application app;
    app.template_id = template_.id;
    app.template_version = template_.version;
    app.station = config_.station;
    app.card_read = true;
    for (const auto& f : filled.fields) app.fields.push_back({f.id, f.value, forms::to_string(f.origin)});
    MadeApplication made;
    made.id = store_->submit(std::move(app));

    printing::PdfOptions opts;
    opts.application_id = made.id;
    const auto bytes = printing::render_pdf(template_, filled, opts);
    filled.wipe();
    made.pdf = config_.output_dir / (made.id + ".pdf");
    printing::write_file_atomic(made.pdf, bytes);
    return made;
}

}  // namespace kakanai::kiosk
