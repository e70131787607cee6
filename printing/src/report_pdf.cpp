// Report pages: every drawing call is recorded as an op; finish() collects
// the text for the font subsets, then replays the ops onto libharu pages.
#include "kakanai/printing/report_pdf.hpp"

#include <hpdf.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <variant>

#include "fonts.hpp"
#include "kakanai/printing/pdf.hpp"

namespace kakanai::printing {

namespace {

constexpr double kMm = 72.0 / 25.4;
constexpr double kPageHeightMm = 297.0;
constexpr double kAscent = 0.88;  // IPAex ascender, of the font size

float F(double v) { return static_cast<float>(v); }
double pt(double mm) { return mm * kMm; }
double y_pt(double mm_from_top) { return (kPageHeightMm - mm_from_top) * kMm; }
double pt_to_mm(double points) { return points / kMm; }

struct TextOp {
    double x, y;
    std::string s;
    double size;
    TextAlign align;
    Rgb color;
};
struct LineOp {
    double x1, y1, x2, y2, width;
    Rgb color;
};
struct RectOp {
    double x, y, w, h;
    Rgb fill;
};

// The top of a chart's scale: four gridline steps of 1, 2 or 5 times a power
// of ten (at least 1: the charts count things), the top at least `v`.
double nice_ceiling(double v) {
    const double step = std::max(1.0, v / 4);
    const double p = std::pow(10.0, std::floor(std::log10(step)));
    for (double m : {1.0, 2.0, 5.0, 10.0})
        if (m * p >= step - 1e-9) return 4 * m * p;
    return 40 * p;
}

struct HpdfErrors {
    HPDF_STATUS first = HPDF_OK;
    HPDF_STATUS detail = 0;
};

void on_error(HPDF_STATUS error, HPDF_STATUS detail, void* user) {
    auto* e = static_cast<HpdfErrors*>(user);
    if (e->first == HPDF_OK) {
        e->first = error;
        e->detail = detail;
    }
}

}  // namespace

struct ReportPdf::Op {
    std::variant<TextOp, LineOp, RectOp> v;
};

std::string format_number(double v, int decimals) {
    if (decimals < 0) decimals = std::fabs(v - std::round(v)) < 1e-9 ? 0 : 1;
    char b[64];
    std::snprintf(b, sizeof b, "%.*f", decimals, v);
    const std::string s = b;
    // Thousands separators on the integer part.
    const std::size_t start = s[0] == '-' ? 1 : 0;
    const std::size_t end = std::min(s.find('.'), s.size());
    std::string out = s.substr(0, start);
    for (std::size_t i = start; i < end; ++i) {
        out += s[i];
        const std::size_t left = end - i - 1;
        if (left > 0 && left % 3 == 0) out += ',';
    }
    out += s.substr(end);
    return out;
}

ReportPdf::ReportPdf(std::filesystem::path main_font, std::vector<std::filesystem::path> fallback_fonts)
    : main_font_(std::move(main_font)), fallback_fonts_(std::move(fallback_fonts)) {}
ReportPdf::~ReportPdf() = default;

void ReportPdf::new_page() { pages_.emplace_back(); }
std::size_t ReportPdf::pages() const { return pages_.size(); }

void ReportPdf::text(double x, double y, const std::string& s, double size_pt, TextAlign align, Rgb color) {
    if (pages_.empty()) new_page();
    if (!s.empty()) pages_.back().push_back({TextOp{x, y, s, size_pt, align, color}});
}

void ReportPdf::line(double x1, double y1, double x2, double y2, double width_pt, Rgb color) {
    if (pages_.empty()) new_page();
    pages_.back().push_back({LineOp{x1, y1, x2, y2, width_pt, color}});
}

void ReportPdf::rect(double x, double y, double w, double h, Rgb fill) {
    if (pages_.empty()) new_page();
    pages_.back().push_back({RectOp{x, y, w, h, fill}});
}

double ReportPdf::table(double x, double y, const std::vector<double>& widths,
                        const std::vector<std::vector<std::string>>& rows, double size) {
    const double row_h = pt_to_mm(size) * 1.7;
    double total_w = 0;
    for (double w : widths) total_w += w;
    const Rgb rule{0.55, 0.55, 0.55};
    for (std::size_t r = 0; r < rows.size(); ++r) {
        if (r == 0) rect(x, y, total_w, row_h, {0.90, 0.92, 0.95});
        double cx = x;
        for (std::size_t c = 0; c < rows[r].size() && c < widths.size(); ++c) {
            const std::string& cell = rows[r][c];
            const double ty = y + (row_h - pt_to_mm(size)) / 2;
            if (c > 0) text(cx + widths[c] - 1.5, ty, cell, size, TextAlign::Right);
            else text(cx + 1.5, ty, cell, size);
            cx += widths[c];
        }
        y += row_h;
        line(x, y, x + total_w, y, r == 0 ? 0.9 : 0.3, rule);
    }
    return y;
}

double ReportPdf::value_axis(const ChartBox& box, double top, double bottom, double left, double right, double max_v,
                             const std::string& unit) {
    const double scale_max = nice_ceiling(max_v);
    const Rgb grid{0.80, 0.80, 0.80};
    for (int i = 0; i <= 4; ++i) {
        const double v = scale_max * i / 4, gy = bottom - (bottom - top) * i / 4;
        line(left, gy, right, gy, i == 0 ? 0.8 : 0.3, i == 0 ? Rgb{} : grid);
        text(left - 1.5, gy - 1.3, format_number(v), 7, TextAlign::Right, {0.3, 0.3, 0.3});
    }
    text(box.x, top - 5, unit, 7, TextAlign::Left, {0.3, 0.3, 0.3});
    return scale_max;
}

void ReportPdf::bar_chart(const ChartBox& box, const std::string& title, const std::vector<std::string>& labels,
                          const std::vector<double>& values, const std::string& unit, Rgb color) {
    text(box.x, box.y, title, 12);
    const double top = box.y + 10, bottom = box.y + box.h - 9, left = box.x + 14, right = box.x + box.w;
    double max_v = 0;
    for (double v : values) max_v = std::max(max_v, v);
    const double scale_max = value_axis(box, top, bottom, left, right, max_v, unit);
    const std::size_t n = std::max<std::size_t>(1, values.size());
    const double slot = (right - left) / static_cast<double>(n), bar_w = slot * 0.6;
    for (std::size_t i = 0; i < values.size(); ++i) {
        const double h = (bottom - top) * values[i] / scale_max;
        const double bx = left + slot * static_cast<double>(i) + (slot - bar_w) / 2;
        if (h > 0) rect(bx, bottom - h, bar_w, h, color);
        text(bx + bar_w / 2, bottom - h - 4.5, format_number(values[i]), 8, TextAlign::Center);
        if (i < labels.size()) text(bx + bar_w / 2, bottom + 1.5, labels[i], 8, TextAlign::Center);
    }
}

void ReportPdf::hbar_chart(const ChartBox& box, const std::string& title, const std::vector<std::string>& labels,
                           const std::vector<double>& values, const std::string& unit, Rgb color) {
    text(box.x, box.y, title, 12);
    const double top = box.y + 9, bottom = box.y + box.h, left = box.x + box.w * 0.42, right = box.x + box.w - 14;
    double max_v = 0;
    for (double v : values) max_v = std::max(max_v, v);
    const double scale_max = nice_ceiling(max_v);
    const std::size_t n = std::max<std::size_t>(1, values.size());
    const double slot = (bottom - top) / static_cast<double>(n), bar_h = std::min(slot * 0.65, 6.0);
    line(left, top, left, bottom, 0.8);
    for (std::size_t i = 0; i < values.size(); ++i) {
        const double w = (right - left) * values[i] / scale_max;
        const double by = top + slot * static_cast<double>(i) + (slot - bar_h) / 2;
        if (w > 0) rect(left, by, w, bar_h, color);
        const double ty = by + (bar_h - pt_to_mm(8)) / 2;
        text(left + w + 1.5, ty, format_number(values[i]) + unit, 8);
        if (i < labels.size()) text(left - 1.5, ty, labels[i], 8, TextAlign::Right);
    }
}

void ReportPdf::line_chart(const ChartBox& box, const std::string& title, const std::vector<std::string>& x_labels,
                           const std::vector<Series>& series, const std::string& unit) {
    text(box.x, box.y, title, 12);
    double lx = box.x;
    for (const auto& s : series) {
        rect(lx, box.y + 7, 6, 1.2, s.color);
        text(lx + 7.5, box.y + 6.3, s.name, 8);
        lx += 12 + pt_to_mm(8) * static_cast<double>(s.name.size()) / 3.0 * 1.0;
    }
    const double top = box.y + 17, bottom = box.y + box.h - 9, left = box.x + 14, right = box.x + box.w - 4;
    double max_v = 0;
    for (const auto& s : series)
        for (double v : s.values) max_v = std::max(max_v, v);
    const double scale_max = value_axis(box, top, bottom, left, right, max_v, unit);
    const std::size_t n = std::max<std::size_t>(1, x_labels.size());
    const double slot = (right - left) / static_cast<double>(n);
    auto px = [&](std::size_t i) { return left + slot * (static_cast<double>(i) + 0.5); };
    for (std::size_t i = 0; i < x_labels.size(); ++i) text(px(i), bottom + 1.5, x_labels[i], 8, TextAlign::Center);
    for (const auto& s : series) {
        for (std::size_t i = 0; i < s.values.size(); ++i) {
            const double py = bottom - (bottom - top) * s.values[i] / scale_max;
            if (i + 1 < s.values.size())
                line(px(i), py, px(i + 1), bottom - (bottom - top) * s.values[i + 1] / scale_max, 1.6, s.color);
            rect(px(i) - 0.9, py - 0.9, 1.8, 1.8, s.color);
            text(px(i), py - 5, format_number(s.values[i]), 7.5, TextAlign::Center, s.color);
        }
    }
}

std::vector<std::uint8_t> ReportPdf::finish() {
    if (pages_.empty()) new_page();
    detail::FontSet fonts(main_font_, fallback_fonts_);
    if (!title_.empty()) fonts.add_text(title_, "");
    for (const auto& page : pages_)
        for (const auto& op : page)
            if (const auto* t = std::get_if<TextOp>(&op.v)) fonts.add_text(t->s, "");

    HpdfErrors errors;
    HPDF_Doc doc = HPDF_New(on_error, &errors);
    if (!doc) throw PrintError("libharu could not create a PDF document (out of memory?)");
    struct Free {
        HPDF_Doc d;
        ~Free() { HPDF_Free(d); }
    } guard{doc};
    auto check = [&](const std::string& what) {
        if (errors.first != HPDF_OK) {
            char b[96];
            std::snprintf(b, sizeof b, " (libharu error 0x%04X, detail %u)", static_cast<unsigned>(errors.first),
                          static_cast<unsigned>(errors.detail));
            throw PrintError(what + " failed" + b);
        }
    };
    HPDF_UseUTFEncodings(doc);
    HPDF_SetCompressionMode(doc, HPDF_COMP_ALL);
    fonts.load_into(doc, nullptr);
    check("loading the fonts");
    if (!title_.empty()) HPDF_SetInfoAttr(doc, HPDF_INFO_TITLE, title_.c_str());
    HPDF_SetInfoAttr(doc, HPDF_INFO_CREATOR, "kakanai");

    for (const auto& ops : pages_) {
        HPDF_Page page = HPDF_AddPage(doc);
        HPDF_Page_SetSize(page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
        for (const auto& op : ops) {
            if (const auto* r = std::get_if<RectOp>(&op.v)) {
                HPDF_Page_SetRGBFill(page, F(r->fill.r), F(r->fill.g), F(r->fill.b));
                HPDF_Page_Rectangle(page, F(pt(r->x)), F(y_pt(r->y + r->h)), F(pt(r->w)), F(pt(r->h)));
                HPDF_Page_Fill(page);
            } else if (const auto* l = std::get_if<LineOp>(&op.v)) {
                HPDF_Page_SetRGBStroke(page, F(l->color.r), F(l->color.g), F(l->color.b));
                HPDF_Page_SetLineWidth(page, F(l->width));
                HPDF_Page_MoveTo(page, F(pt(l->x1)), F(y_pt(l->y1)));
                HPDF_Page_LineTo(page, F(pt(l->x2)), F(y_pt(l->y2)));
                HPDF_Page_Stroke(page);
            } else if (const auto* t = std::get_if<TextOp>(&op.v)) {
                const auto g = fonts.shape(t->s);
                double w = 0;
                for (const auto& gl : g) w += gl.advance;
                w = w / 1000.0 * t->size;
                double x = pt(t->x);
                if (t->align == TextAlign::Center) x -= w / 2;
                if (t->align == TextAlign::Right) x -= w;
                const double y = y_pt(t->y) - t->size * kAscent;
                HPDF_Page_SetRGBFill(page, F(t->color.r), F(t->color.g), F(t->color.b));
                fonts.draw_glyphs(page, g, 0, g.size(), x, y, t->size);
            }
        }
        check("drawing a report page");
    }
    if (HPDF_SaveToStream(doc) != HPDF_OK) check("saving the PDF");
    HPDF_UINT32 size = HPDF_GetStreamSize(doc);
    std::vector<std::uint8_t> bytes(size);
    HPDF_ResetStream(doc);
    HPDF_UINT32 got = size;
    HPDF_ReadFromStream(doc, bytes.data(), &got);
    bytes.resize(got);
    check("reading the PDF from memory");
    return bytes;
}

}  // namespace kakanai::printing
