#pragma once
// What the errand screen offers, from the form catalogue: life events first,
// then each form alone ("just one certificate"), each with the questions the
// kiosk asks. Pure: no ImGui, no SDL, no I/O.
#include <vector>

#include "flow.hpp"
#include "kakanai/forms/catalogue.hpp"

namespace kakanai::kiosk {

// A life event whose forms are all missing is left out; so are questions that
// need a keyboard (text, addresses): staff ask them at the counter. Dates,
// フリガナ and numbers have their pads (a certificate leaves an optional フリガナ
// to the counter). A certificate's questions with a usual answer (a form with a
// fee, a field with a default) are grouped on the "what do you need" screen; a
// count asked by several certificates (何通) is asked once per certificate.
std::vector<Errand> build_errands(const forms::Catalogue& catalogue);

// The kiosk's kind of question for a field, or "staff" when the kiosk does not ask it.
std::string question_kind(forms::FieldType type);
// The kind a field is asked with: its type's, or number_pad (a digit pad) for
// numbers other than small counts, fiscal_year for `kind = "fiscal_year"`.
std::string question_kind(const forms::Field& f);

}  // namespace kakanai::kiosk
