#pragma once
// The one conversion between a filled form and a stored application, for the
// resident's kiosk (submit), the staff station (manual entry, review, print)
// and the station's scripted runs. The department comes from the template, so
// the back-office export (kakanai-report export --department) finds the row.
#include <string>

#include "kakanai/forms/prefill.hpp"
#include "kakanai/forms/template.hpp"
#include "kakanai/store/store.hpp"

namespace kakanai::kiosk {

// How the values came in: read from a card at a kiosk, or typed by staff at the counter.
enum class Entry { Card, Staff };

// The application to submit for `form` (filled from template `t`). With
// Entry::Staff, what staff typed (card data and answers) has origin "staff";
// dates and fixed texts stay computed. With Entry::Card, `authenticity` is the
// card check's result and must be "verified" or "consistent" (card data that
// failed the check is never stored: std::invalid_argument); Entry::Staff has none.
store::Application to_application(const forms::Template& t, const forms::FilledForm& form, const std::string& station,
                                  Entry entry, const std::string& authenticity = {});

// A stored application's values as a filled form of `t` (display texts for the
// preview, the form check and the PDF). The caller wipes it.
forms::FilledForm to_filled_form(const forms::Template& t, const store::Application& app);

}  // namespace kakanai::kiosk
