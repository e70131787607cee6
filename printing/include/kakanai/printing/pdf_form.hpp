#pragma once
// Reading a town's own PDF form (poppler-cpp) to start a template from it:
// the page as a picture, its text lines and the boxes drawn on it, and a
// proposed starter template (`kakanai-forms new --from-pdf`, docs/admin.md).
// Built as its own library, CMake target `pdf_form`, so that only the
// programs that read PDFs link poppler.
#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace kakanai::printing {

// A PDF that cannot be used as a form: not a PDF, damaged, protected by a
// password, without pages. what() is the message for the administrator.
class PdfFormError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// One line of text on the page; x, y, w, h in mm from the page's top-left.
struct PdfText {
    std::string text;  // UTF-8
    double x = 0, y = 0, w = 0, h = 0;
};

// A closed rectangle drawn on the page (mm from the top-left). cells > 1: a
// row of equal cells found side by side (a character grid such as 12 digits).
struct PdfBox {
    double x = 0, y = 0, w = 0, h = 0;
    int cells = 1;
};

// An 8-bit grey picture of a page, row by row (0 black, 255 white).
struct GrayImage {
    int width = 0, height = 0;
    double dpi = 0;
    std::vector<std::uint8_t> pixels;
};

struct PdfFormPage {
    int pages = 1;  // pages in the document (one is read)
    double width_mm = 0, height_mm = 0;
    GrayImage picture;           // antialiased, for the background
    std::vector<PdfText> texts;  // lines of text, top to bottom
    std::vector<PdfBox> boxes;   // closed rectangles and grids, top to bottom
    std::vector<PdfBox> rules;   // lines at least 15 mm long on no box's side (h = 0): lines to write on
};

// Reads page `page` (0-based) of `pdf` at `dpi`. Throws PdfFormError.
PdfFormPage read_pdf_form(const std::filesystem::path& pdf, int page = 0, double dpi = 150);

// The closed boxes drawn on a picture: dark horizontal and vertical runs
// (after blanking `erase`, the text, in mm) joined into rectangles; equal
// small cells side by side become one box with `cells`. `rules`, when given,
// receives the horizontal lines at least 15 mm long that are no box's side.
std::vector<PdfBox> find_boxes(const GrayImage& img, const std::vector<PdfText>& erase,
                               std::vector<PdfBox>* rules = nullptr);

// Writes the picture as a PNG (grey, with its resolution). Throws PdfFormError.
void write_png(const std::filesystem::path& file, const GrayImage& img);

// ---- A starter template proposed from a page --------------------------------

// One proposed field: a box and the label nearest to it.
struct ProposedField {
    std::string id;       // a-z 0-9 _: a known label's meaning (name, address...) or field_NN
    std::string label;    // the label's text (label.ja), or 項目NN when none is near
    std::string kind;     // field, grid or check
    std::string suggest;  // a binding that label usually has (card.name...), or empty
    PdfBox box;
    bool label_inside = false;  // the label is printed inside the box (the field shows it)
};

struct ProposedTemplate {
    std::string title;                  // the largest text near the top, or empty
    std::vector<ProposedField> fields;  // top to bottom, left to right
    std::vector<PdfText> labels;        // every other text on the page, kept as fixed labels
};

// A field for every box and above every line to write on, named after its
// nearest label; texts that are not a field's own caption stay as labels. A
// page with neither gets one example field.
ProposedTemplate propose_template(const PdfFormPage& page);

// The template file (format 1, docs/templates.md) for a proposal: every field
// `from = "none"`, marked for the administrator to bind; `background` names
// the page's picture. It validates as it is.
std::string starter_toml(const ProposedTemplate& p, const std::string& id, const std::string& background,
                         const std::string& source_pdf, const std::string& today);

}  // namespace kakanai::printing
