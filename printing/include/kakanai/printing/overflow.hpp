#pragma once
// Which boxes of a template a filled form overflows, measured by rendering it
// exactly as it prints (render_pdf: the same fonts, shrink-to-fit and wrapping),
// so the layout editor marks precisely the boxes printing would refuse.
#include <cstdint>
#include <string>
#include <vector>

#include "kakanai/printing/pdf.hpp"

namespace kakanai::printing {

struct Overflow {
    int group = -1;         // -1: an item of [page]; else the index of the [[group]]
    int item = 0;           // index into layout (or the group's items)
    std::string field_id;   // as printing names it ("persons.2.name" for a row); empty for a label
    std::string message;    // printing's message (names the field, never its value)
};

struct OverflowCheck {
    std::vector<Overflow> overflows;
    // The page(s) rendered without the overflowing items, for showing the rest.
    std::vector<std::uint8_t> pdf;
};

// Renders the form; each time a value does not fit, finds the item(s) that
// refuse it, sets them aside and renders again. Throws PrintError for any
// other failure (a missing font or image, a character no font has).
OverflowCheck check_overflows(const forms::Template& t, const forms::FilledForm& form, const PdfOptions& options = {});

}  // namespace kakanai::printing
