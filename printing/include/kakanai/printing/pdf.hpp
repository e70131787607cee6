#pragma once
// Renders a filled form to an A4 PDF with libharu, Japanese fonts embedded.
#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "kakanai/forms/prefill.hpp"
#include "kakanai/forms/template.hpp"

namespace kakanai::printing {

class PrintError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct PdfOptions {
    std::filesystem::path mincho_font = "/usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf";
    std::string application_id;  // printed in the footer
    bool english_labels = false;  // an English line under each label
};

// The PDF bytes, rendered in memory. Throws PrintError with a clear message
// (missing font file, libharu failure).
std::vector<std::uint8_t> render_pdf(const forms::Template& t, const forms::FilledForm& form,
                                     const PdfOptions& options = {});

// Writes atomically: a temp file in the same folder, then rename. The folder
// is created 0700, the file is 0600. Throws PrintError naming the folder.
void write_file_atomic(const std::filesystem::path& file, const std::vector<std::uint8_t>& bytes);

}  // namespace kakanai::printing
