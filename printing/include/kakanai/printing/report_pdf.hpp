#pragma once
// A4 report pages with libharu: text, tables, bar and line charts, in
// Japanese through the same font subsetting as the forms. Drawing is recorded
// first and rendered in finish(), once every character is known.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace kakanai::printing {

struct Rgb {
    double r = 0, g = 0, b = 0;  // 0..1
};

struct ChartBox {
    double x = 0, y = 0, w = 0, h = 0;  // mm from the page's top-left, title included
};

struct Series {
    std::string name;
    std::vector<double> values;  // one per x label
    Rgb color;
};

enum class TextAlign { Left, Center, Right };

class ReportPdf {
public:
    explicit ReportPdf(std::filesystem::path main_font = "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf",
                       std::vector<std::filesystem::path> fallback_fonts = {
                           "/usr/share/fonts/truetype/ipamj/ipamjm.ttf",
                           "/usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf"});
    ~ReportPdf();
    ReportPdf(const ReportPdf&) = delete;
    ReportPdf& operator=(const ReportPdf&) = delete;

    void new_page();  // A4 portrait; drawing before the first call starts one
    std::size_t pages() const;
    void set_title(std::string title) { title_ = std::move(title); }

    // Positions in mm from the page's top-left; y is the text's top.
    void text(double x, double y, const std::string& s, double size_pt, TextAlign align = TextAlign::Left,
              Rgb color = {});
    void line(double x1, double y1, double x2, double y2, double width_pt, Rgb color = {});
    void rect(double x, double y, double w, double h, Rgb fill);
    // Rows of cells; the first row is the header (shaded). Cells after the first column are
    // right-aligned (figures). Returns the y below the table.
    double table(double x, double y, const std::vector<double>& widths_mm,
                 const std::vector<std::vector<std::string>>& rows, double size_pt = 9);
    // Vertical bars with their value above each bar and the labels below; the title on top.
    void bar_chart(const ChartBox& box, const std::string& title, const std::vector<std::string>& labels,
                   const std::vector<double>& values, const std::string& unit, Rgb color = {0.20, 0.40, 0.70});
    // Horizontal bars (for long labels such as procedure names), values at the bars' ends.
    void hbar_chart(const ChartBox& box, const std::string& title, const std::vector<std::string>& labels,
                    const std::vector<double>& values, const std::string& unit, Rgb color = {0.20, 0.55, 0.45});
    // Lines with a dot and its value at each point, a legend under the title.
    void line_chart(const ChartBox& box, const std::string& title, const std::vector<std::string>& x_labels,
                    const std::vector<Series>& series, const std::string& unit);

    // The PDF bytes. Throws PrintError (or UnprintableCharacterError) as render_pdf does.
    std::vector<std::uint8_t> finish();

    struct Op;

private:
    // The value axis of a vertical chart: four grid lines from 0 to a round
    // maximum at or above max_v, their figures, and the unit. Returns that maximum.
    double value_axis(const ChartBox& box, double top, double bottom, double left, double right, double max_v,
                      const std::string& unit);

    std::filesystem::path main_font_;
    std::vector<std::filesystem::path> fallback_fonts_;
    std::string title_;
    std::vector<std::vector<Op>> pages_;
};

// A round, readable figure for charts and tables: 12, 3.5, 1,234.
std::string format_number(double v, int decimals = -1);

}  // namespace kakanai::printing
