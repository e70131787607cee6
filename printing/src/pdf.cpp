#include "kakanai/printing/pdf.hpp"

#include <fcntl.h>
#include <hpdf.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

namespace kakanai::printing {
namespace {

constexpr double kMm = 72.0 / 25.4;
constexpr double kPageHeightMm = 297.0;

struct HpdfErrors {
    HPDF_STATUS first = HPDF_OK;
    HPDF_STATUS detail = 0;
};

void on_hpdf_error(HPDF_STATUS error, HPDF_STATUS detail, void* user) {
    auto* e = static_cast<HpdfErrors*>(user);
    if (e->first == HPDF_OK) {
        e->first = error;
        e->detail = detail;
    }
}

class Document {
public:
    Document() : doc_(HPDF_New(on_hpdf_error, &errors_)) {
        if (!doc_) throw PrintError("libharu could not create a PDF document (out of memory?)");
    }
    ~Document() { HPDF_Free(doc_); }
    Document(const Document&) = delete;
    Document& operator=(const Document&) = delete;
    HPDF_Doc get() const { return doc_; }
    void check(const char* what) const {
        if (errors_.first != HPDF_OK) {
            char b[96];
            std::snprintf(b, sizeof b, " (libharu error 0x%04X, detail %u)", static_cast<unsigned>(errors_.first),
                          static_cast<unsigned>(errors_.detail));
            throw PrintError(std::string(what) + " failed" + b);
        }
    }

private:
    HpdfErrors errors_;
    HPDF_Doc doc_;
};

float pt(double mm) { return static_cast<float>(mm * kMm); }
float y_pt(double mm_from_top) { return static_cast<float>((kPageHeightMm - mm_from_top) * kMm); }

class PageWriter {
public:
    PageWriter(HPDF_Page page, HPDF_Font font) : page_(page), font_(font) {}

    float width(const std::string& s, double size) const {
        HPDF_Page_SetFontAndSize(page_, font_, static_cast<float>(size));
        return HPDF_Page_TextWidth(page_, s.c_str());
    }

    // Text inside a box: aligned, shrunk to fit the width down to a minimum size.
    void text_in_box(const std::string& s, double x, double y_top, double w, double h, double size,
                     forms::Align align) {
        if (s.empty()) return;
        double fit = size;
        while (fit > 6.0 && width(s, fit) > pt(w) - 4) fit -= 0.5;
        const float tw = width(s, fit);
        float left = pt(x) + 2;
        if (align == forms::Align::Center) left = pt(x) + (pt(w) - tw) / 2;
        if (align == forms::Align::Right) left = pt(x) + pt(w) - tw - 2;
        // Baseline near the bottom of the box, leaving room for the label above.
        const float base = y_pt(y_top + h) + static_cast<float>(h * kMm * 0.25);
        draw(s, left, base, fit);
    }

    void draw(const std::string& s, float x, float y, double size) {
        HPDF_Page_BeginText(page_);
        HPDF_Page_SetFontAndSize(page_, font_, static_cast<float>(size));
        HPDF_Page_TextOut(page_, x, y, s.c_str());
        HPDF_Page_EndText(page_);
    }

    void box(double x, double y_top, double w, double h) {
        HPDF_Page_SetLineWidth(page_, 0.6f);
        HPDF_Page_Rectangle(page_, pt(x), y_pt(y_top + h), pt(w), pt(h));
        HPDF_Page_Stroke(page_);
    }

    void line(double x, double y_top, double w, double h) {
        HPDF_Page_SetLineWidth(page_, 0.6f);
        HPDF_Page_MoveTo(page_, pt(x), y_pt(y_top));
        HPDF_Page_LineTo(page_, pt(x + w), y_pt(y_top + h));
        HPDF_Page_Stroke(page_);
    }

private:
    HPDF_Page page_;
    HPDF_Font font_;
};

}  // namespace

std::vector<std::uint8_t> render_pdf(const forms::Template& t, const forms::FilledForm& form,
                                     const PdfOptions& options) {
    if (!std::filesystem::is_regular_file(options.mincho_font))
        throw PrintError("font file missing: " + options.mincho_font.string() +
                         " (install the Debian package fonts-ipaexfont-mincho)");
    Document doc;
    HPDF_UseUTFEncodings(doc.get());
    HPDF_SetCompressionMode(doc.get(), HPDF_COMP_ALL);
    const char* font_name = HPDF_LoadTTFontFromFile(doc.get(), options.mincho_font.c_str(), HPDF_TRUE);
    doc.check(("loading font " + options.mincho_font.string()).c_str());
    HPDF_Font font = HPDF_GetFont(doc.get(), font_name, "UTF-8");
    doc.check("selecting the UTF-8 font");
    HPDF_SetInfoAttr(doc.get(), HPDF_INFO_TITLE, t.title.ja.c_str());
    HPDF_SetInfoAttr(doc.get(), HPDF_INFO_CREATOR, "kakanai");

    HPDF_Page page = HPDF_AddPage(doc.get());
    HPDF_Page_SetSize(page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
    PageWriter w(page, font);

    // Title, centred.
    const float title_w = w.width(t.title.ja, 18);
    w.draw(t.title.ja, (pt(210) - title_w) / 2, y_pt(18), 18);

    for (const auto& item : t.layout) {
        if (item.kind == "label") {
            w.text_in_box(item.text.ja, item.x, item.y, item.w, item.h, item.size, item.align);
        } else if (item.kind == "box") {
            w.box(item.x, item.y, item.w, item.h);
        } else if (item.kind == "line") {
            w.line(item.x, item.y, item.w, item.h);
        } else if (const forms::Field* f = t.field(item.field)) {
            w.box(item.x, item.y, item.w, item.h);
            if (item.show_label) {
                std::string label = f->label.ja;
                if (options.english_labels && !f->label.en.empty()) label += "  " + f->label.en;
                w.draw(label, pt(item.x) + 2, y_pt(item.y) - 9, 7.5);
            }
            if (const forms::FilledField* v = form.find(f->id))
                w.text_in_box(v->display, item.x, item.y, item.w, item.h, item.size, item.align);
        }
    }

    const std::string footer = t.id + " v" + std::to_string(t.version) +
                               (options.application_id.empty() ? "" : "  " + options.application_id) + "  1/1";
    w.draw(footer, pt(20), y_pt(287), 8);
    doc.check("drawing the page");

    if (HPDF_SaveToStream(doc.get()) != HPDF_OK) doc.check("saving the PDF");
    HPDF_UINT32 size = HPDF_GetStreamSize(doc.get());
    std::vector<std::uint8_t> bytes(size);
    HPDF_ResetStream(doc.get());
    HPDF_UINT32 got = size;
    HPDF_ReadFromStream(doc.get(), bytes.data(), &got);
    bytes.resize(got);
    doc.check("reading the PDF from memory");
    return bytes;
}

void write_file_atomic(const std::filesystem::path& file, const std::vector<std::uint8_t>& bytes) {
    const auto dir = file.parent_path().empty() ? std::filesystem::path(".") : file.parent_path();
    std::error_code ec;
    if (!std::filesystem::exists(dir, ec)) {
        std::filesystem::create_directories(dir, ec);
        if (ec) throw PrintError("cannot create output folder " + dir.string() + ": " + ec.message());
        ::chmod(dir.c_str(), 0700);
    }
    std::string tmpl = (dir / ".kakanai-XXXXXX").string();
    const int fd = ::mkstemp(tmpl.data());
    if (fd < 0)
        throw PrintError("cannot write to output folder " + dir.string() + ": " + std::strerror(errno) +
                         " (check that it exists and is writable)");
    ::fchmod(fd, 0600);
    std::size_t done = 0;
    bool ok = true;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n <= 0) {
            ok = false;
            break;
        }
        done += static_cast<std::size_t>(n);
    }
    const int saved_errno = errno;
    ok = ok && ::fsync(fd) == 0;
    ::close(fd);
    if (!ok || ::rename(tmpl.c_str(), file.c_str()) != 0) {
        ::unlink(tmpl.c_str());
        throw PrintError("cannot write " + file.string() + ": " + std::strerror(ok ? errno : saved_errno));
    }
}

}  // namespace kakanai::printing
