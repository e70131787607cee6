// The PDF renderer, in the order a rendering runs:
//   units, text measuring, line breaking and fitting (fit)
//   PageWriter: glyph runs, boxes, lines, check marks, circles, QR codes
//   first pass (collect_text): every character, so fonts are chosen and subset
//   second pass (FormPainter): background, title, each layout item, footer
//   render_pdf: the two passes, then the bytes
#include "kakanai/printing/pdf.hpp"

#include <hpdf.h>
#include <qrencode.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <optional>

#include "fonts.hpp"
#include "kakanai/printing/calibration.hpp"

namespace kakanai::printing {
namespace {

using detail::FontSet;
using detail::Glyph;

constexpr double kMm = 72.0 / 25.4;
constexpr double kPageWidthMm = 210.0;
constexpr double kPageHeightMm = 297.0;
constexpr double kPadMm = 1.5;          // text inset from a box's sides
constexpr double kLabelSize = 7.5;      // pt, a field's label at the box's top-left
constexpr double kEnglishSize = 6.0;    // pt, the optional English line under a label
constexpr double kLineHeight = 1.2;     // of the font size, for wrapped text
constexpr double kAscent = 0.88;        // IPAex ascender, of the font size

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
    void check(const std::string& what) const {
        if (errors_.first != HPDF_OK) {
            char b[96];
            std::snprintf(b, sizeof b, " (libharu error 0x%04X, detail %u)", static_cast<unsigned>(errors_.first),
                          static_cast<unsigned>(errors_.detail));
            throw PrintError(what + " failed" + b);
        }
    }

private:
    HpdfErrors errors_;
    HPDF_Doc doc_;
};

double pt(double mm) { return mm * kMm; }
double y_pt(double mm_from_top) { return (kPageHeightMm - mm_from_top) * kMm; }
float F(double v) { return static_cast<float>(v); }
double mm(double points) { return points / kMm; }

double width_em(const std::vector<Glyph>& g, std::size_t from, std::size_t to) {
    double w = 0;
    for (std::size_t i = from; i < to; ++i) w += g[i].advance;
    return w / 1000.0;
}

bool is_space(char32_t c) { return c == U' ' || c == U'\u3000'; }
// Characters that must not begin a line (Japanese line-breaking rules, kinsoku).
bool no_line_start(char32_t c) {
    return std::u32string_view(U"、。，．・：；？！）」』】〕ーぁぃぅぇぉっゃゅょァィゥェォッャュョ").find(c) !=
           std::u32string_view::npos;
}

using Lines = std::vector<std::pair<std::size_t, std::size_t>>;

// Greedy line breaking: after a space when there is one, else between any two
// characters (Japanese), never putting a closing mark at a line start.
Lines break_lines(const std::vector<Glyph>& g, double max_em) {
    Lines lines;
    std::size_t start = 0;
    while (start < g.size()) {
        while (start < g.size() && is_space(g[start].cp)) ++start;
        if (start == g.size()) break;
        std::size_t end = start;
        double w = 0;
        while (end < g.size() && w + g[end].advance / 1000.0 <= max_em) w += g[end++].advance / 1000.0;
        if (end == start) ++end;  // a single glyph wider than the box: the caller sees it does not fit
        if (end < g.size()) {
            std::size_t space = end;
            while (space > start && !is_space(g[space - 1].cp)) --space;
            if (space > start + 1) end = space;
            else if (end > start + 1 && no_line_start(g[end].cp)) --end;
        }
        std::size_t trimmed = end;
        while (trimmed > start && is_space(g[trimmed - 1].cp)) --trimmed;
        lines.emplace_back(start, trimmed);
        start = end;
    }
    return lines;
}

struct Fitted {
    double size = 0;
    Lines lines;
};

// The largest size (down to min_size) at which the text fits the box on one
// line, or wrapped onto several lines; nullopt when it does not fit at all.
std::optional<Fitted> fit(const std::vector<Glyph>& g, double w_pt, double h_pt, double size, double min_size) {
    if (g.empty()) return Fitted{size, {}};
    for (double s = size; s >= min_size - 1e-9; s -= 0.5) {
        if (width_em(g, 0, g.size()) * s <= w_pt && s <= h_pt) return Fitted{s, {{0, g.size()}}};
        Lines lines = break_lines(g, w_pt / s);
        const double block = s * (kLineHeight * static_cast<double>(lines.size()) - (kLineHeight - 1.0));
        bool widths_ok = true;
        for (const auto& [a, b] : lines) widths_ok = widths_ok && width_em(g, a, b) * s <= w_pt;
        if (widths_ok && block <= h_pt) return Fitted{s, std::move(lines)};
    }
    return std::nullopt;
}

std::string format_mm(double v) {
    char b[32];
    std::snprintf(b, sizeof b, "%g", std::round(v * 10) / 10);
    return b;
}

bool truthy(const std::string& v) { return v == "true" || v == "1" || v == "yes" || v == "on"; }

std::string grid_chars(const std::string& display) {
    std::string out;
    for (char32_t cp : detail::decode_utf8(display))
        if (cp != U'-' && cp != U' ' && cp != U'－' && cp != U'ー' && cp != U'\u3000') out += detail::encode_utf8(cp);
    return out;
}

class PageWriter {
public:
    PageWriter(HPDF_Page page, const FontSet& fonts) : page_(page), fonts_(fonts) {}

    double width(const std::vector<Glyph>& g, double size) const { return width_em(g, 0, g.size()) * size; }

    // Draws glyphs [from, to) with the baseline's left end at (x, y) in points.
    void draw(const std::vector<Glyph>& g, std::size_t from, std::size_t to, double x, double y, double size) {
        fonts_.draw_glyphs(page_, g, from, to, x, y, size);
    }

    void draw(const std::string& s, double x, double y, double size) {
        const auto g = fonts_.shape(s);
        draw(g, 0, g.size(), x, y, size);
    }

    // Fitted lines, aligned, the block centred vertically in [top, top + h] (mm).
    void draw_fitted(const std::vector<Glyph>& g, const Fitted& f, double x, double top, double w, double h,
                     forms::Align align) {
        const double lh = f.size * kLineHeight;
        const double block = f.size * (kLineHeight * static_cast<double>(f.lines.size()) - (kLineHeight - 1.0));
        double baseline_from_top = pt(top) + (pt(h) - block) / 2 + f.size * kAscent;
        for (const auto& [a, b] : f.lines) {
            const double tw = width_em(g, a, b) * f.size;
            double left = pt(x + kPadMm);
            if (align == forms::Align::Center) left = pt(x) + (pt(w) - tw) / 2;
            if (align == forms::Align::Right) left = pt(x + w - kPadMm) - tw;
            draw(g, a, b, left, pt(kPageHeightMm) - baseline_from_top,
                 f.size);
            baseline_from_top += lh;
        }
    }

    void box(double x, double y_top, double w, double h, float line_width = 0.6f) {
        HPDF_Page_SetLineWidth(page_, line_width);
        HPDF_Page_Rectangle(page_, F(pt(x)), F(y_pt(y_top + h)), F(pt(w)), F(pt(h)));
        HPDF_Page_Stroke(page_);
    }

    void line(double x, double y_top, double w, double h, float line_width = 0.6f) {
        HPDF_Page_SetLineWidth(page_, line_width);
        HPDF_Page_MoveTo(page_, F(pt(x)), F(y_pt(y_top)));
        HPDF_Page_LineTo(page_, F(pt(x + w)), F(y_pt(y_top + h)));
        HPDF_Page_Stroke(page_);
    }

    void check_mark(double x, double y_top, double w, double h) {
        HPDF_Page_SetLineWidth(page_, static_cast<float>(std::max(0.8, std::min(w, h) * 0.35)));
        HPDF_Page_SetLineCap(page_, HPDF_ROUND_END);
        HPDF_Page_SetLineJoin(page_, HPDF_ROUND_JOIN);
        HPDF_Page_MoveTo(page_, F(pt(x + w * 0.2)), F(y_pt(y_top + h * 0.55)));
        HPDF_Page_LineTo(page_, F(pt(x + w * 0.42)), F(y_pt(y_top + h * 0.8)));
        HPDF_Page_LineTo(page_, F(pt(x + w * 0.82)), F(y_pt(y_top + h * 0.2)));
        HPDF_Page_Stroke(page_);
        HPDF_Page_SetLineCap(page_, HPDF_BUTT_END);
        HPDF_Page_SetLineJoin(page_, HPDF_MITER_JOIN);
    }

    void ellipse_around(double x, double y_top, double w, double h) {
        HPDF_Page_SetLineWidth(page_, 0.9f);
        HPDF_Page_Ellipse(page_, F(pt(x + w / 2)), F(y_pt(y_top + h / 2)), F(pt(w / 2 + 1.0)), F(pt(h / 2 + 0.8)));
        HPDF_Page_Stroke(page_);
    }

    void qr(const std::string& payload, double x, double y_top, double w, double h) {
        QRcode* code = QRcode_encodeString(payload.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1);
        if (!code) throw PrintError("libqrencode could not encode the QR code (" + std::to_string(payload.size()) +
                                    " bytes)");
        const double side = std::min(w, h);
        const double module = side / (code->width + 2);  // one module of white margin inside the square
        for (int r = 0; r < code->width; ++r) {
            int c = 0;
            while (c < code->width) {
                if (!(code->data[r * code->width + c] & 1)) {
                    ++c;
                    continue;
                }
                int end = c;
                while (end < code->width && (code->data[r * code->width + end] & 1)) ++end;
                HPDF_Page_Rectangle(page_, F(pt(x + module * (c + 1))), F(y_pt(y_top + module * (r + 2))), F(pt(module * (end - c))), F(pt(module)));
                c = end;
            }
        }
        HPDF_Page_Fill(page_);
        QRcode_free(code);
    }

    HPDF_Page page() const { return page_; }

private:
    HPDF_Page page_;
    const FontSet& fonts_;
};

HPDF_Image load_image(HPDF_Doc doc, const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    unsigned char magic[4] = {};
    in.read(reinterpret_cast<char*>(magic), 4);
    if (!in) throw PrintError("image file missing or unreadable: " + file.string() + " (check the template's `image`)");
    if (magic[0] == 0x89 && magic[1] == 'P' && magic[2] == 'N' && magic[3] == 'G')
        return HPDF_LoadPngImageFromFile(doc, file.c_str());
    if (magic[0] == 0xFF && magic[1] == 0xD8) return HPDF_LoadJpegImageFromFile(doc, file.c_str());
    throw PrintError("image " + file.string() + " is neither PNG nor JPEG");
}

std::string field_label(const forms::Template& t, const std::string& id) {
    const forms::Field* f = t.field(id);
    return f ? f->label.ja : id;
}

bool has_item(const forms::Template& t, const char* kind) {
    return std::any_of(t.layout.begin(), t.layout.end(), [&](const forms::LayoutItem& i) { return i.kind == kind; });
}

std::string choice_label(const forms::Field& f, const std::string& option) {
    for (const auto& c : f.choices)
        if (c.value == option) return c.label.ja;
    return option;
}

// A template's layout is one page; members of a [[group]] beyond its rows go
// onto continuation pages, `max` more on each.
int pages_for(const forms::Template& t, const forms::FilledForm& form) {
    int pages = 1;
    for (const auto& g : t.groups) {
        const int rows = forms::member_rows(form, g.id);
        if (g.max > 0) pages = std::max(pages, (rows + g.max - 1) / g.max);
    }
    return pages;
}

// The page's header, repeated on a continuation page: every item above the
// first group's rows (the background picture is the whole form: not repeated).
bool in_header(const forms::Template& t, const forms::LayoutItem& item) {
    if (item.kind == "image") return false;
    double top = kPageHeightMm;
    for (const auto& g : t.groups) top = std::min(top, g.top);
    return item.y + item.h <= top + 1e-9;
}

// A group's row item placed in row `slot` (0-based on its page), showing member `row`.
forms::LayoutItem row_item(const forms::Group& g, const forms::LayoutItem& item, int slot, int row) {
    forms::LayoutItem li = item;
    li.y += g.pitch * slot;
    if (!li.field.empty()) li.field = forms::member_field_id(g.id, row, item.field);
    return li;
}

std::string continuation_mark(int page, int pages) {
    return "続紙 " + std::to_string(page) + "/" + std::to_string(pages);
}

// What one rendering works from.
struct Job {
    const forms::Template& t;
    const forms::FilledForm& form;
    const PdfOptions& options;
    RenderReport* report;
    bool has_background = has_item(t, "image");
    bool has_qr = has_item(t, "qr");
    // print = "full": our own drawn form; "overlay": only the values (pdf.hpp).
    bool furniture = t.print == forms::PrintMode::Full;
    int pages = pages_for(t, form);

    std::string footer(int page) const {
        return t.id + " v" + std::to_string(t.version) +
               (options.application_id.empty() ? "" : "   " + options.application_id) + "   " +
               std::to_string(page) + "/" + std::to_string(pages);
    }
};

void check_form_matches(const forms::Template& t, const forms::FilledForm& form) {
    if (form.template_id != t.id || form.template_version != t.version)
        throw PrintError("the filled form is for " + form.template_id + " v" + std::to_string(form.template_version) +
                         " but the template is " + t.id + " v" + std::to_string(t.version));
}

// What one layout item will draw (first pass).
void collect_item_text(const Job& job, const forms::LayoutItem& item, FontSet& fonts) {
    const bool english = job.options.english_labels;
    if (item.kind == "label") {
        if (!job.furniture) return;
        fonts.add_text(item.text.ja, "");
        if (english) fonts.add_text(item.text.en, "");
        return;
    }
    const forms::Field* f = job.t.field(item.field);
    if (!f) return;
    if (item.kind == "field" && item.show_label && job.furniture) {
        fonts.add_text(f->label.ja, f->id);
        if (english) fonts.add_text(f->label.en, f->id);
    }
    if (item.kind == "circle" && !job.has_background && job.furniture) fonts.add_text(choice_label(*f, item.option), f->id);
    if (const forms::FilledField* v = job.form.find(item.field)) {
        if (item.kind == "field") fonts.add_text(v->display, f->id);
        if (item.kind == "grid") fonts.add_text(grid_chars(v->display), f->id);
    }
}

// First pass: every character that will be drawn, so fonts can be chosen
// per character, subset, and a missing one refused before anything is drawn.
void collect_text(const Job& job, FontSet& fonts) {
    if (job.furniture) {
        fonts.add_text(job.t.title.ja, "");
        if (job.options.english_labels) fonts.add_text(job.t.title.en, "");
        for (int p = 1; p <= job.pages; ++p) fonts.add_text(job.footer(p), "");
        for (const auto& g : job.t.groups) fonts.add_text(g.label.ja, g.id);
    }
    for (int p = 1; p <= job.pages; ++p) fonts.add_text(continuation_mark(p, job.pages), "");
    fonts.add_text(job.options.mark, "");
    for (const auto& item : job.t.layout) collect_item_text(job, item, fonts);
    for (const auto& g : job.t.groups)
        for (int p = 0; p < job.pages; ++p)
            for (int slot = 0; slot < g.max; ++slot)
                for (const auto& item : g.items) collect_item_text(job, row_item(g, item, slot, p * g.max + slot + 1), fonts);
}

void start_document(const Job& job, const Document& doc, FontSet& fonts) {
    HPDF_UseUTFEncodings(doc.get());
    HPDF_SetCompressionMode(doc.get(), HPDF_COMP_ALL);
    fonts.load_into(doc.get(), job.report);
    doc.check("loading the fonts");
    HPDF_SetInfoAttr(doc.get(), HPDF_INFO_TITLE, job.t.title.ja.c_str());
    HPDF_SetInfoAttr(doc.get(), HPDF_INFO_CREATOR, "kakanai");
}

HPDF_Page add_a4_page(const Document& doc) {
    HPDF_Page page = HPDF_AddPage(doc.get());
    HPDF_Page_SetSize(page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
    return page;
}

std::vector<std::uint8_t> save_pdf(const Document& doc) {
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

// Second pass: draws the page, item by item, in the template's order.
class FormPainter {
public:
    FormPainter(const Job& job, const Document& doc, const FontSet& fonts, HPDF_Page page, int page_no = 1)
        : job_(job), t_(job.t), doc_(doc), fonts_(fonts), w_(page, fonts), page_(page_no) {}

    // Page 1 is the whole form; a continuation page repeats its header and
    // holds the next members of each group in the same rows.
    void paint() {
        if (job_.options.draw_background) draw_paper();
        // The printer's offset moves everything printed, in page space (mm right, down).
        HPDF_Page_GSave(w_.page());
        HPDF_Page_Concat(w_.page(), 1, 0, 0, 1, F(pt(job_.options.offset_x_mm)), F(-pt(job_.options.offset_y_mm)));
        if (furniture_) {
            if (page_ == 1) draw_background();
            draw_title();
        }
        for (const auto& item : t_.layout)
            if (page_ == 1 || in_header(t_, item)) draw_item(item);
        for (const auto& g : t_.groups) {
            if (furniture_) draw_group_heading(g);
            for (int slot = 0; slot < g.max; ++slot)
                for (const auto& item : g.items) draw_item(row_item(g, item, slot, (page_ - 1) * g.max + slot + 1));
        }
        if (page_ > 1) w_.draw(continuation_mark(page_, job_.pages), pt(15), y_pt(12), 10);
        if (furniture_) bind_to_application();
        draw_mark();
        HPDF_Page_GRestore(w_.page());
        doc_.check("drawing the page");
    }

private:
    // The town's own form (`background`), under everything and never moved by
    // the printer's offset: previews only (PdfOptions::draw_background).
    void draw_paper() {
        if (t_.background.empty()) return;
        HPDF_Image img = load_image(doc_.get(), t_.background);
        doc_.check("loading the background " + t_.background.string());
        HPDF_Page_DrawImage(w_.page(), img, 0, 0, F(pt(kPageWidthMm)), F(pt(kPageHeightMm)));
    }

    // PdfOptions::mark, where `kakanai-forms preview` always put its mark.
    void draw_mark() {
        if (job_.options.mark.empty()) return;
        forms::LayoutItem mark;
        mark.kind = "label";
        mark.text.ja = job_.options.mark;
        mark.x = 150;
        mark.y = 8;
        mark.w = 45;
        mark.h = 8;
        mark.size = 12;
        mark.align = forms::Align::Right;
        draw_label(mark);
    }

    // The group's label just above its first row (left edge of its leftmost box).
    void draw_group_heading(const forms::Group& g) {
        if (g.label.ja.empty() || g.top < 30) return;
        double x = kPageWidthMm;
        for (const auto& item : g.items) x = std::min(x, item.x);
        w_.draw(g.label.ja, pt(x), y_pt(g.top - 1.2), 9);
    }

    // The official form's picture goes under everything else.
    void draw_background() {
        for (const auto& item : t_.layout) {
            if (item.kind != "image") continue;
            const auto file = t_.file.empty() ? std::filesystem::path(item.image) : t_.file.parent_path() / item.image;
            HPDF_Image img = load_image(doc_.get(), file);
            doc_.check("loading the image " + file.string());
            const double iw = item.w > 0 ? item.w : kPageWidthMm, ih = item.h > 0 ? item.h : kPageHeightMm;
            HPDF_Page_DrawImage(w_.page(), img, F(pt(item.x)), F(y_pt(item.y + ih)), F(pt(iw)), F(pt(ih)));
        }
    }

    void draw_title() {
        const auto g = fonts_.shape(t_.title.ja);
        w_.draw(g, 0, g.size(), (pt(kPageWidthMm) - w_.width(g, 18)) / 2, y_pt(18), 18);
        if (job_.options.english_labels && !t_.title.en.empty()) {
            const auto e = fonts_.shape(t_.title.en);
            w_.draw(e, 0, e.size(), (pt(kPageWidthMm) - w_.width(e, 9)) / 2, y_pt(23), 9);
        }
    }

    void draw_item(const forms::LayoutItem& item) {
        if (item.kind == "image") return;
        if (!furniture_ && (item.kind == "box" || item.kind == "line" || item.kind == "label")) return;
        if (item.kind == "box") return w_.box(item.x, item.y, item.w, item.h);
        if (item.kind == "line") return w_.line(item.x, item.y, item.w, item.h);
        if (item.kind == "qr")
            return w_.qr(qr_payload(t_, job_.options.application_id), item.x, item.y, item.w, item.h);
        if (item.kind == "label") return draw_label(item);
        const forms::Field* f = t_.field(item.field);
        if (!f)
            throw PrintError("template " + t_.id + " line " + std::to_string(item.line) + ": unknown field `" +
                             item.field + "`");
        const forms::FilledField* v = job_.form.find(item.field);
        if (item.kind == "field") draw_field(item, *f, v);
        else if (item.kind == "grid") draw_grid(item, *f, v);
        else if (item.kind == "check") draw_check(item, v);
        else if (item.kind == "circle") draw_circle(item, *f, v);
    }

    // Fixed text, with its optional English line at the box's bottom.
    void draw_label(const forms::LayoutItem& item) {
        const auto g = fonts_.shape(item.text.ja);
        double en_h = 0;
        std::vector<Glyph> e;
        if (job_.options.english_labels && !item.text.en.empty()) {
            e = fonts_.shape(item.text.en);
            en_h = kEnglishSize * 1.1;
        }
        const auto f = fit(g, pt(item.w - 2 * kPadMm), pt(item.h) - en_h, item.size, job_.options.min_font_size);
        if (!f) throw too_long(item, "", "the fixed text 「" + item.text.ja + "」");
        w_.draw_fitted(g, *f, item.x, item.y, item.w, item.h - mm(en_h), item.align);
        if (e.empty()) return;
        const auto fe = fit(e, pt(item.w - 2 * kPadMm), en_h, kEnglishSize, std::min(5.0, kEnglishSize));
        if (fe) w_.draw_fitted(e, *fe, item.x, item.y + item.h - mm(en_h), item.w, mm(en_h), item.align);
    }

    // A boxed value, shrunk then wrapped to fit under the field's label.
    void draw_field(const forms::LayoutItem& item, const forms::Field& f, const forms::FilledField* v) {
        if (furniture_) w_.box(item.x, item.y, item.w, item.h);
        const double top = item.show_label ? draw_field_label(item, f) : item.y;
        if (!v || v->display.empty()) return;
        const auto g = fonts_.shape(v->display);
        const double area_h = item.y + item.h - 0.6 - top;
        const auto fitted = fit(g, pt(item.w - 2 * kPadMm), pt(area_h), item.size, job_.options.min_font_size);
        if (!fitted) throw too_long(item, f.id, f.label.ja + " (" + f.id + ")");
        if (fitted->lines.size() > 1 && job_.report) job_.report->wrapped.push_back(f.id);
        w_.draw_fitted(g, *fitted, item.x, top, item.w, area_h, item.align);
    }

    // The label at the box's top-left (and its English line); returns where the value area starts (mm).
    // In overlay the paper holds the label: the value keeps its place under it.
    double draw_field_label(const forms::LayoutItem& item, const forms::Field& f) {
        double top = item.y + 1.0;
        if (furniture_) w_.draw(f.label.ja, pt(item.x + kPadMm), y_pt(top) - kLabelSize * kAscent, kLabelSize);
        top += mm(kLabelSize * 1.05);
        if (job_.options.english_labels && !f.label.en.empty()) {
            if (furniture_)
                w_.draw(f.label.en, pt(item.x + kPadMm), y_pt(top) - kEnglishSize * kAscent, kEnglishSize);
            top += mm(kEnglishSize * 1.1);
        }
        return top;
    }

    // One character per cell (e.g. 12 digits), separators dropped.
    void draw_grid(const forms::LayoutItem& item, const forms::Field& f, const forms::FilledField* v) {
        const double cell = item.w / item.cells;
        if (furniture_) {
            w_.box(item.x, item.y, item.w, item.h);
            for (int c = 1; c < item.cells; ++c) w_.line(item.x + cell * c, item.y, 0, item.h, 0.3f);
        }
        if (!v) return;
        const auto g = fonts_.shape(grid_chars(v->display));
        if (g.size() > static_cast<std::size_t>(item.cells))
            throw TextDoesNotFitError(f.id, f.label.ja,
                                      f.label.ja + " (" + f.id + ") has " + std::to_string(g.size()) +
                                          " characters but its grid has " + std::to_string(item.cells) +
                                          " cells (template " + t_.id + " line " + std::to_string(item.line) +
                                          "); check the value");
        // A shorter value starts at the first cell, or ends at the last one unless aligned left.
        const std::size_t offset = item.align == forms::Align::Left ? 0 : item.cells - g.size();
        for (std::size_t i = 0; i < g.size(); ++i) draw_grid_cell(item, g, i, cell, i + offset);
    }

    // Glyph i centred in cell `at`, shrunk when wider than the cell.
    void draw_grid_cell(const forms::LayoutItem& item, const std::vector<Glyph>& g, std::size_t i, double cell,
                        std::size_t at) {
        double s = std::min(item.size, pt(item.h) * 0.8);
        const double gw = g[i].advance / 1000.0;
        if (gw * s > pt(cell) * 0.9) s = pt(cell) * 0.9 / gw;
        const double cx = item.x + cell * static_cast<double>(at);
        const double left = pt(cx) + (pt(cell) - gw * s) / 2;
        const double base = y_pt(item.y + item.h / 2) - s * 0.35;
        w_.draw(g, i, i + 1, left, base, s);
    }

    // A box, ticked when the value is true (or equals the item's option).
    void draw_check(const forms::LayoutItem& item, const forms::FilledField* v) {
        if (furniture_) w_.box(item.x, item.y, item.w, item.h);
        const bool on = v && (item.option.empty() ? truthy(v->value) : v->value == item.option);
        if (on) w_.check_mark(item.x, item.y, item.w, item.h);
    }

    // A choice's label (unless the background prints it), circled when chosen.
    void draw_circle(const forms::LayoutItem& item, const forms::Field& f, const forms::FilledField* v) {
        if (!job_.has_background && furniture_) {
            const auto g = fonts_.shape(choice_label(f, item.option));
            const auto fitted = fit(g, pt(item.w), pt(item.h), item.size, job_.options.min_font_size);
            if (!fitted) throw too_long(item, f.id, "the choice 「" + choice_label(f, item.option) + "」");
            w_.draw_fitted(g, *fitted, item.x - kPadMm, item.y, item.w + 2 * kPadMm, item.h, forms::Align::Center);
        }
        if (v && v->value == item.option) w_.ellipse_around(item.x, item.y, item.w, item.h);
    }

    // Every page is bound to its application: a QR code (unless the template places one) and the footer.
    void bind_to_application() {
        if (!job_.has_qr && !job_.options.application_id.empty())
            w_.qr(qr_payload(t_, job_.options.application_id), 186, 276, 16, 16);
        w_.draw(job_.footer(page_), pt(20), y_pt(287), 8);
    }

    TextDoesNotFitError too_long(const forms::LayoutItem& item, const std::string& id, const std::string& what) const {
        return TextDoesNotFitError(
            id, field_label(t_, id),
            what + " does not fit its box (" + format_mm(item.w) + " x " + format_mm(item.h) + " mm) even at " +
                format_mm(job_.options.min_font_size) + " pt on several lines; shorten it, or enlarge the box in " +
                "template " + t_.id + " v" + std::to_string(t_.version) + " (line " + std::to_string(item.line) + ")");
    }

    const Job& job_;
    const forms::Template& t_;
    const Document& doc_;
    const FontSet& fonts_;
    PageWriter w_;
    int page_ = 1;
    bool furniture_ = job_.furniture;
};

}  // namespace

std::string qr_payload(const forms::Template& t, const std::string& application_id) {
    return (application_id.empty() ? std::string("-") : application_id) + " " + t.id + "@" +
           std::to_string(t.version);
}

std::vector<std::uint8_t> render_pdf(const forms::Template& t, const forms::FilledForm& form,
                                     const PdfOptions& options, RenderReport* report) {
    check_form_matches(t, form);
    const Job job{t, form, options, report};
    FontSet fonts(options.mincho_font, options.fallback_fonts);
    collect_text(job, fonts);
    Document doc;
    start_document(job, doc, fonts);
    for (int p = 1; p <= job.pages; ++p) FormPainter(job, doc, fonts, add_a4_page(doc), p).paint();
    if (report) report->pages = static_cast<std::size_t>(job.pages);
    return save_pdf(doc);
}

std::vector<std::uint8_t> render_calibration_pdf(const std::string& printer, const PdfOptions& options) {
    const auto marks = calibration_marks();
    const CalibrationMark centre = marks[2];
    char c[96];
    std::snprintf(c, sizeof c, "X %.1f mm, Y %.1f mm", centre.x_mm, centre.y_mm);
    const std::string at = c;
    std::snprintf(c, sizeof c, "DX = %.1f − X,  DY = %.1f − Y  (mm)", centre.x_mm, centre.y_mm);
    const std::string formula = c;
    const std::vector<std::pair<std::string, double>> lines{
        {"プリンターの位置合わせ / Printer calibration", 16},
        {"プリンター / printer: " + printer, 11},
        {"", 10},
        {"1. 中央の十字の中心（" + at + "）を、用紙の左端（X）と上端（Y）から定規で測ります。", 9},
        {"   Measure the centre of the middle cross from the paper's left edge (X) and top edge (Y).", 9},
        {"2. " + formula, 9},
        {"   例 / e.g. X = 106.2, Y = 147.9  →  DX = −1.2, DY = 0.6", 9},
        {"3. kakanai-print calibrate " + printer + " --offset DX DY", 9},
        {"   重ね印刷（print = \"overlay\"）の申請書は、すべてこの分だけ動かして印刷されます。", 9},
        {"   Every overlay form sent to this printer is moved by this much.", 9},
        {"4. 四隅の十字も同じ値か確かめます。違うときはプリンターの「用紙に合わせる」を切ります。", 9},
        {"   Check the corner crosses give the same; if not, turn off the printer's fit-to-page scaling.", 9},
        {"このページは補正なしで印刷されています。 / This page is printed without any offset.", 8},
    };
    FontSet fonts(options.mincho_font, options.fallback_fonts);
    std::vector<std::string> labels;
    for (const auto& m : marks) {
        std::snprintf(c, sizeof c, "%.1f / %.1f", m.x_mm, m.y_mm);
        labels.push_back(c);
    }
    for (const auto& [text, size] : lines) fonts.add_text(text, "");
    for (const auto& l : labels) fonts.add_text(l, "");
    Document doc;
    HPDF_UseUTFEncodings(doc.get());
    HPDF_SetCompressionMode(doc.get(), HPDF_COMP_ALL);
    fonts.load_into(doc.get(), nullptr);
    doc.check("loading the fonts");
    HPDF_SetInfoAttr(doc.get(), HPDF_INFO_TITLE, "kakanai printer calibration");
    HPDF_SetInfoAttr(doc.get(), HPDF_INFO_CREATOR, "kakanai");
    HPDF_Page page = add_a4_page(doc);
    PageWriter w(page, fonts);
    for (std::size_t i = 0; i < marks.size(); ++i) {
        const auto& m = marks[i];
        w.line(m.x_mm - 8, m.y_mm, 16, 0, 0.25f);
        w.line(m.x_mm, m.y_mm - 8, 0, 16, 0.25f);
        HPDF_Page_SetLineWidth(page, 0.25f);
        HPDF_Page_Circle(page, F(pt(m.x_mm)), F(y_pt(m.y_mm)), F(pt(3)));
        HPDF_Page_Stroke(page);
        // The position beside the cross, inside the page.
        const double lx = m.x_mm > 150 ? m.x_mm - 30 : m.x_mm + 4;
        const double ly = m.y_mm > 250 ? m.y_mm - 5 : m.y_mm + 8;
        w.draw(labels[i] + "", pt(lx), y_pt(ly), 7);
    }
    double y = 45;
    for (const auto& [text, size] : lines) {
        if (!text.empty()) w.draw(text, pt(20), y_pt(y), size);
        y += size * 0.55 + 2.5;
    }
    doc.check("drawing the calibration page");
    return save_pdf(doc);
}

}  // namespace kakanai::printing
