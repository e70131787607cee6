#pragma once
// Renders a filled form to an A4 PDF with libharu, Japanese fonts embedded as
// subsets (HarfBuzz hb-subset), rare kanji from a fallback font, characters
// outside the BMP drawn as glyph outlines (FreeType), since libharu drops them.
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

// A value does not fit its box even at the minimum size and wrapped. The
// message names the field (never its value) and how to fix the template.
class TextDoesNotFitError : public PrintError {
public:
    TextDoesNotFitError(std::string field_id, std::string label, const std::string& message)
        : PrintError(message), field_id_(std::move(field_id)), label_(std::move(label)) {}
    const std::string& field_id() const noexcept { return field_id_; }
    const std::string& label() const noexcept { return label_; }  // the field's Japanese label

private:
    std::string field_id_, label_;
};

// No installed font has a character: printing is refused rather than showing
// "?" or a box. The message names the character and its code point.
class UnprintableCharacterError : public PrintError {
public:
    UnprintableCharacterError(char32_t code_point, std::string field_id, const std::string& message)
        : PrintError(message), code_point_(code_point), field_id_(std::move(field_id)) {}
    char32_t code_point() const noexcept { return code_point_; }
    const std::string& field_id() const noexcept { return field_id_; }

private:
    char32_t code_point_;
    std::string field_id_;
};

struct PdfOptions {
    std::filesystem::path mincho_font = "/usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf";
    // Tried in order, per character, for what the main font lacks (rare kanji).
    std::vector<std::filesystem::path> fallback_fonts = {
        "/usr/share/fonts/truetype/ipamj/ipamjm.ttf",
        "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf",
    };
    std::string application_id;   // printed in the footer and the QR code
    bool english_labels = false;  // an English line under each label
    double min_font_size = 7.0;   // shrink-to-fit stops here, then wraps
    // Everything on the page moved right and down by this much (mm): the
    // printer's calibrated offset (printer_offsets.hpp), for overlay jobs.
    double offset_x_mm = 0, offset_y_mm = 0;
    // A preview, never a print job: the template's `background` (the town's
    // own form) is drawn under the page, scaled to A4. Print jobs leave it false.
    bool draw_background = false;
    // Text at the top right of every page in either print mode, e.g. "見本 PREVIEW".
    std::string mark;
};

// What a rendering embedded, for tests and benchmarks.
struct FontUse {
    std::filesystem::path file;
    std::uintmax_t file_bytes = 0;    // the whole font file
    std::uintmax_t subset_bytes = 0;  // what hb-subset kept
    std::size_t characters = 0;       // distinct characters drawn as text
};
struct RenderReport {
    std::vector<FontUse> fonts;
    std::size_t outline_glyphs = 0;       // non-BMP characters drawn as outlines
    std::vector<std::string> wrapped;     // field ids whose value was wrapped
    std::size_t pages = 0;
};

// A template with print = "full" (the default) is drawn whole: title, boxes,
// lines, labels and values. With print = "overlay" only what is particular to
// the application is drawn, at the same positions, for the town's pre-printed
// paper: the values of fields, the characters in grid cells, the tick of a
// ticked check box, the ring of a chosen circle option, a QR code the
// template places itself and the continuation mark of a second page; no
// title, box, line, grid cell, label, choice text, picture or footer.
//
// The PDF bytes, rendered in memory. Throws PrintError with a clear message
// (missing font or image file, libharu failure), TextDoesNotFitError or
// UnprintableCharacterError.
std::vector<std::uint8_t> render_pdf(const forms::Template& t, const forms::FilledForm& form,
                                     const PdfOptions& options = {}, RenderReport* report = nullptr);

// What a folder print of a form holding a 個人番号 shows instead of it.
inline constexpr const char* kMyNumberMask = "************";

// True when the template has a 個人番号 field (type my_number: the one bound
// to card.my_number and any other, e.g. a spouse's): such a form is printed
// by streaming (stream_pdf in cups.hpp), never from a file.
bool holds_my_number(const forms::Template& t);

// Replaces the value of every my_number field that holds one with
// kMyNumberMask (wiping the number). Returns true when something was masked,
// so the station can say so on screen.
bool mask_my_number(const forms::Template& t, forms::FilledForm& form);

// A print to a folder (no CUPS, or chosen by staff): the form rendered with
// every 個人番号 masked, written as <options.application_id>.pdf (0600 in a
// 0700 folder). `my_number_masked` tells the caller to show that the number
// was left out.
struct FolderPrint {
    std::filesystem::path file;
    bool my_number_masked = false;
};
FolderPrint print_form_to_folder(const forms::Template& t, const forms::FilledForm& form, const PdfOptions& options,
                                 const std::filesystem::path& folder);

// What the QR code of a form holds: "<application id> <template id>@<version>".
std::string qr_payload(const forms::Template& t, const std::string& application_id);

// Writes atomically: a temp file in the same folder, then rename; the temp
// file is removed on any error. The folder is created 0700, the file is 0600.
// Throws PrintError naming the folder.
void write_file_atomic(const std::filesystem::path& file, const std::vector<std::uint8_t>& bytes);

// Where the PDF of an application goes in an output folder. Throws PrintError
// when the id could escape the folder (a slash, "..", empty).
std::filesystem::path application_pdf_path(const std::filesystem::path& dir, const std::string& application_id);

// Removes every PDF of an application from an output folder (the PDF and its
// reprints "<id>.pdf", "<id>-N.pdf"), for purge. Returns how many were removed.
std::size_t delete_application_pdfs(const std::filesystem::path& dir, const std::string& application_id);

}  // namespace kakanai::printing
