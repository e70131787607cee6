// Reading a town's PDF form with poppler-cpp: the page as a grey picture, its
// text lines, and the boxes drawn on it.
//
// Sections: opening the PDF · text lines · box detection · PNG output.
//
// Poppler's C++ API gives the picture and the text but not the drawing
// operators, so boxes are found on the picture (find_boxes): the text is
// blanked, dark horizontal and vertical runs are joined into line segments,
// and segments that meet at four corners make a box.
#include "kakanai/printing/pdf_form.hpp"

#include <poppler-document.h>
#include <poppler-global.h>
#include <poppler-image.h>
#include <poppler-page-renderer.h>
#include <poppler-page.h>
#include <png.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <memory>
#include <optional>

namespace kakanai::printing {
namespace {

constexpr double kPtPerMm = 72.0 / 25.4;

// ---- Opening the PDF --------------------------------------------------------

// Poppler reports parse problems on stderr by default; the caller gets one
// clear message instead.
void quiet_poppler() {
    poppler::set_debug_error_function([](const std::string&, void*) {}, nullptr);
}

std::string read_head(const std::filesystem::path& file, std::size_t n) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw PdfFormError(file.string() + ": cannot be read (no such file, or no permission)");
    std::string head(n, '\0');
    in.read(head.data(), static_cast<std::streamsize>(n));
    head.resize(static_cast<std::size_t>(in.gcount()));
    return head;
}

std::unique_ptr<poppler::document> open_pdf(const std::filesystem::path& file) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec))
        throw PdfFormError(file.string() + ": no such file");
    // A PDF starts with %PDF- within its first 1024 bytes.
    if (read_head(file, 1024).find("%PDF-") == std::string::npos)
        throw PdfFormError(file.string() + ": not a PDF file (it does not start with %PDF-); give the town's form as a PDF");
    quiet_poppler();
    std::unique_ptr<poppler::document> doc(poppler::document::load_from_file(file.string()));
    if (!doc) {
        // Poppler also refuses a file it cannot decrypt without the password.
        if (read_head(file, 1 << 20).find("/Encrypt") != std::string::npos)
            throw PdfFormError(file.string() + ": the PDF is protected by a password; save an unprotected copy "
                                               "(open it and print it to a new PDF) and try again");
        throw PdfFormError(file.string() + ": the PDF is damaged and cannot be read; save it again from the "
                                           "program that made it, or ask the town for a new copy");
    }
    if (doc->is_locked())
        throw PdfFormError(file.string() + ": the PDF is protected by a password; save an unprotected copy "
                                           "(open it and print it to a new PDF) and try again");
    if (doc->pages() < 1) throw PdfFormError(file.string() + ": the PDF has no pages");
    return doc;
}

GrayImage render(const poppler::page& page, double dpi, bool antialias) {
    poppler::page_renderer r;
    r.set_image_format(poppler::image::format_gray8);
    r.set_render_hint(poppler::page_renderer::antialiasing, antialias);
    r.set_render_hint(poppler::page_renderer::text_antialiasing, antialias);
    r.set_paper_color(0xffffffff);
    const poppler::image img = r.render_page(&page, dpi, dpi);
    if (!img.is_valid() || img.format() != poppler::image::format_gray8)
        throw PdfFormError("the page cannot be drawn as a picture");
    GrayImage out;
    out.width = img.width();
    out.height = img.height();
    out.dpi = dpi;
    out.pixels.resize(static_cast<std::size_t>(out.width) * static_cast<std::size_t>(out.height));
    for (int y = 0; y < out.height; ++y) {
        const auto* row = reinterpret_cast<const std::uint8_t*>(img.const_data()) +
                          static_cast<std::ptrdiff_t>(y) * img.bytes_per_row();
        std::copy(row, row + out.width, out.pixels.begin() + static_cast<std::ptrdiff_t>(y) * out.width);
    }
    return out;
}

// ---- Text lines -------------------------------------------------------------

bool is_ascii_word(const std::string& s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

std::vector<PdfText> words_of(const poppler::page& page, std::vector<bool>& space_after) {
    std::vector<PdfText> words;
    for (const poppler::text_box& b : page.text_list()) {
        const poppler::byte_array utf8 = b.text().to_utf8();
        std::string s(utf8.begin(), utf8.end());
        if (s.find_first_not_of(" \t\r\n") == std::string::npos) continue;
        const poppler::rectf r = b.bbox();
        words.push_back({s, r.x() / kPtPerMm, r.y() / kPtPerMm, r.width() / kPtPerMm, r.height() / kPtPerMm});
        space_after.push_back(b.has_space_after());
    }
    return words;
}

// Poppler gives words (a Japanese run is often one word per character);
// words on one baseline with a small gap make one line, unless a box's side
// runs between them (two cells' texts stay apart).
std::vector<PdfText> text_lines(const std::vector<PdfText>& words, const std::vector<bool>& spaces,
                                const std::vector<PdfBox>& boxes) {
    std::vector<std::size_t> order(words.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return words[a].x < words[b].x; });
    auto side_between = [&](double left, double right, double y) {
        return std::any_of(boxes.begin(), boxes.end(), [&](const PdfBox& b) {
            if (y < b.y || y > b.y + b.h) return false;
            for (double x : {b.x, b.x + b.w})
                if (x > left - 0.1 && x < right + 0.1) return true;
            return false;
        });
    };
    std::vector<PdfText> lines;
    std::vector<bool> space_after;
    for (std::size_t k : order) {
        const PdfText& w = words[k];
        const double cy = w.y + w.h / 2;
        std::size_t at = lines.size();
        for (std::size_t i = 0; i < lines.size(); ++i) {
            const PdfText& l = lines[i];
            const double h = std::min(l.h, w.h);
            const double gap = w.x - (l.x + l.w);
            if (std::abs(cy - (l.y + l.h / 2)) < 0.35 * h && gap > -0.3 * h && gap < 0.9 * h &&
                std::max(l.h, w.h) < 1.6 * h && !side_between(l.x + l.w, w.x, cy)) {
                at = i;
                break;
            }
        }
        if (at == lines.size()) {
            lines.push_back(w);
            space_after.push_back(spaces[k]);
            continue;
        }
        PdfText& into = lines[at];
        const double gap = w.x - (into.x + into.w);
        const std::string last = into.text.substr(into.text.size() - 1);
        if (space_after[at] || (gap > 0.25 * w.h && is_ascii_word(last) && is_ascii_word(w.text))) into.text += ' ';
        into.text += w.text;
        const double right = std::max(into.x + into.w, w.x + w.w);
        const double bottom = std::max(into.y + into.h, w.y + w.h);
        into.y = std::min(into.y, w.y);
        into.w = right - into.x;
        into.h = bottom - into.y;
        space_after[at] = spaces[k];
    }
    std::stable_sort(lines.begin(), lines.end(), [](const PdfText& a, const PdfText& b) {
        return std::round(a.y) != std::round(b.y) ? a.y < b.y : a.x < b.x;
    });
    return lines;
}

// ---- Box detection ----------------------------------------------------------

// A straight dark stroke: horizontal (at = y, from..to = x) or vertical (at = x, from..to = y), in pixels.
struct Segment {
    double at = 0, from = 0, to = 0;
    int first = 0, last = 0;  // the rows (columns) it spans across its thickness
};

// Runs at least `min_len` long along one axis, joined across neighbouring rows into strokes.
// dark(i, j): pixel j along row i.
template <typename Dark>
std::vector<Segment> strokes(int rows, int cols, int min_len, int max_thick, int slack, Dark dark) {
    std::vector<Segment> open, done;
    for (int i = 0; i < rows; ++i) {
        std::vector<Segment> next;
        for (int j = 0; j < cols;) {
            if (!dark(i, j)) {
                ++j;
                continue;
            }
            int k = j;
            while (k < cols && dark(i, k)) ++k;
            if (k - j >= min_len) {
                auto same = std::find_if(open.begin(), open.end(), [&](const Segment& s) {
                    return std::abs(s.from - j) <= slack && std::abs(s.to - (k - 1)) <= slack;
                });
                if (same != open.end()) {
                    Segment s = *same;
                    open.erase(same);
                    s.from = std::min(s.from, double(j));
                    s.to = std::max(s.to, double(k - 1));
                    s.last = i;
                    next.push_back(s);
                } else {
                    next.push_back({0, double(j), double(k - 1), i, i});
                }
            }
            j = k;
        }
        for (auto& s : open) done.push_back(s);
        open = std::move(next);
    }
    for (auto& s : open) done.push_back(s);
    std::vector<Segment> out;
    for (auto& s : done) {
        if (s.last - s.first + 1 > max_thick) continue;  // a filled area, not a line
        s.at = (s.first + s.last) / 2.0;
        out.push_back(s);
    }
    return out;
}

struct Rect {
    double x0, y0, x1, y1;  // pixels
};

}  // namespace

std::vector<PdfBox> find_boxes(const GrayImage& img, const std::vector<PdfText>& erase, std::vector<PdfBox>* rules) {
    const double px = img.dpi / 25.4;  // pixels per mm
    const int W = img.width, H = img.height;
    std::vector<std::uint8_t> dark(img.pixels.size());
    for (std::size_t i = 0; i < dark.size(); ++i) dark[i] = img.pixels[i] < 160;
    // Blank the text (a little inside its box, so a line it touches stays).
    for (const PdfText& t : erase) {
        const int x0 = std::max(0, int(std::ceil((t.x + 0.2) * px))), x1 = std::min(W, int((t.x + t.w - 0.2) * px));
        const int y0 = std::max(0, int(std::ceil((t.y + 0.2) * px))), y1 = std::min(H, int((t.y + t.h - 0.2) * px));
        for (int y = y0; y < y1; ++y)
            for (int x = x0; x < x1; ++x) dark[static_cast<std::size_t>(y) * W + x] = 0;
    }
    auto at = [&](int x, int y) { return dark[static_cast<std::size_t>(y) * W + x] != 0; };
    const int min_len = int(2.5 * px), max_thick = std::max(2, int(1.0 * px)), slack = 2;
    const auto hs = strokes(H, W, min_len, max_thick, slack, [&](int y, int x) { return at(x, y); });
    const auto vs = strokes(W, H, min_len, max_thick, slack, [&](int x, int y) { return at(x, y); });

    const double t = 1.0 * px;  // corners meet within 1 mm
    const double min_side = 2.5 * px;
    // h runs from x0 to x1 at y: does vertical v touch it?
    auto crosses = [&](const Segment& h, const Segment& v) {
        return v.at >= h.from - t && v.at <= h.to + t && h.at >= v.from - t && h.at <= v.to + t;
    };
    std::vector<Segment> hsorted = hs;
    std::sort(hsorted.begin(), hsorted.end(), [](const Segment& a, const Segment& b) { return a.at < b.at; });
    std::vector<Segment> vsorted = vs;
    std::sort(vsorted.begin(), vsorted.end(), [](const Segment& a, const Segment& b) { return a.at < b.at; });

    // From each top-left corner: the nearest right side that closes with a
    // bottom side; the smallest such box is a cell of the form.
    std::vector<Rect> cells;
    for (const Segment& top : hsorted)
        for (const Segment& left : vsorted) {
            if (!crosses(top, left) || left.to < top.at + min_side || left.from > top.at + t) continue;
            if (top.from > left.at + t) continue;
            bool closed = false;
            for (const Segment& right : vsorted) {
                if (closed) break;
                if (right.at < left.at + min_side || !crosses(top, right) || right.to < top.at + min_side ||
                    right.from > top.at + t)
                    continue;
                for (const Segment& bottom : hsorted) {
                    if (bottom.at < top.at + min_side) continue;
                    if (bottom.at > std::min(left.to, right.to) + t) break;
                    if (crosses(bottom, left) && crosses(bottom, right)) {
                        cells.push_back({left.at, top.at, right.at, bottom.at});
                        closed = true;
                        break;
                    }
                }
            }
        }
    // The same box found from two corners; a box full of dark pixels (a QR code, a picture) is no form box.
    // A double line makes two boxes within 1.5 mm of each other: the inner one is kept.
    std::vector<Rect> boxes;
    const double twin = 1.5 * px;
    for (const Rect& r : cells) {
        auto same = std::find_if(boxes.begin(), boxes.end(), [&](const Rect& b) {
            return std::abs(b.x0 - r.x0) <= twin && std::abs(b.x1 - r.x1) <= twin && std::abs(b.y0 - r.y0) <= twin &&
                   std::abs(b.y1 - r.y1) <= twin;
        });
        if (same != boxes.end()) {
            if ((r.x1 - r.x0) * (r.y1 - r.y0) < (same->x1 - same->x0) * (same->y1 - same->y0)) *same = r;
            continue;
        }
        const int inset = int(0.8 * px);
        const int x0 = int(r.x0) + inset, x1 = int(r.x1) - inset, y0 = int(r.y0) + inset, y1 = int(r.y1) - inset;
        long inside = 0, filled = 0;
        for (int y = std::max(0, y0); y < std::min(H, y1); ++y)
            for (int x = std::max(0, x0); x < std::min(W, x1); ++x) {
                ++inside;
                filled += at(x, y);
            }
        if (inside > 0 && filled * 4 > inside) continue;
        boxes.push_back(r);
    }
    std::sort(boxes.begin(), boxes.end(), [&](const Rect& a, const Rect& b) {
        return std::abs(a.y0 - b.y0) > t ? a.y0 < b.y0 : a.x0 < b.x0;
    });
    if (rules)
        for (const Segment& h : hsorted) {
            if (h.to - h.from < 15 * px) continue;
            const bool side = std::any_of(cells.begin(), cells.end(), [&](const Rect& r) {
                return (std::abs(h.at - r.y0) <= t || std::abs(h.at - r.y1) <= t) && h.from < r.x1 && h.to > r.x0;
            });
            if (!side) rules->push_back({h.from / px, h.at / px, (h.to - h.from) / px, 0});
        }

    // Equal small cells side by side (at least 3, each at most 15 mm wide) are one grid.
    std::vector<PdfBox> out;
    std::vector<bool> used(boxes.size(), false);
    for (std::size_t i = 0; i < boxes.size(); ++i) {
        if (used[i]) continue;
        const Rect& a = boxes[i];
        const double cw = a.x1 - a.x0;
        std::vector<std::size_t> row{i};
        if (cw <= 15 * px) {
            Rect last = a;
            for (bool grew = true; grew;) {
                grew = false;
                for (std::size_t j = 0; j < boxes.size(); ++j) {
                    const Rect& b = boxes[j];
                    if (used[j] || std::find(row.begin(), row.end(), j) != row.end()) continue;
                    if (std::abs(b.x0 - last.x1) <= t && std::abs(b.y0 - a.y0) <= t && std::abs(b.y1 - a.y1) <= t &&
                        std::abs((b.x1 - b.x0) - cw) <= 1.0 * px) {
                        row.push_back(j);
                        last = b;
                        grew = true;
                        break;
                    }
                }
            }
        }
        if (row.size() < 3) row.resize(1);
        for (std::size_t j : row) used[j] = true;
        const Rect& end = boxes[row.back()];
        out.push_back({a.x0 / px, a.y0 / px, (end.x1 - a.x0) / px, (a.y1 - a.y0) / px, int(row.size())});
    }
    return out;
}

PdfFormPage read_pdf_form(const std::filesystem::path& pdf, int page_no, double dpi) {
    const auto doc = open_pdf(pdf);
    if (page_no < 0 || page_no >= doc->pages())
        throw PdfFormError(pdf.string() + ": has no page " + std::to_string(page_no + 1));
    std::unique_ptr<poppler::page> page(doc->create_page(page_no));
    if (!page) throw PdfFormError(pdf.string() + ": page " + std::to_string(page_no + 1) + " cannot be read");
    PdfFormPage out;
    out.pages = doc->pages();
    const poppler::rectf size = page->page_rect();
    out.width_mm = size.width() / kPtPerMm;
    out.height_mm = size.height() / kPtPerMm;
    out.picture = render(*page, dpi, true);
    // The words are blanked before the lines are looked for; lines of text
    // are then joined within the boxes found.
    std::vector<bool> spaces;
    const std::vector<PdfText> words = words_of(*page, spaces);
    out.boxes = find_boxes(render(*page, dpi, false), words, &out.rules);
    out.texts = text_lines(words, spaces, out.boxes);
    return out;
}

// ---- PNG output -------------------------------------------------------------

void write_png(const std::filesystem::path& file, const GrayImage& img) {
    png_image png{};
    png.version = PNG_IMAGE_VERSION;
    png.width = static_cast<png_uint_32>(img.width);
    png.height = static_cast<png_uint_32>(img.height);
    png.format = PNG_FORMAT_GRAY;
    // Written beside the target and renamed, so a half-written picture never stands under the final name.
    const std::filesystem::path tmp = file.string() + ".part";
    if (!png_image_write_to_file(&png, tmp.c_str(), 0, img.pixels.data(), img.width, nullptr)) {
        const std::string why = png.message;
        std::error_code ec;
        std::filesystem::remove(tmp, ec);
        throw PdfFormError(file.string() + ": cannot write the picture (" + why + ")");
    }
    std::error_code ec;
    std::filesystem::rename(tmp, file, ec);
    if (ec) {
        std::filesystem::remove(tmp, ec);
        throw PdfFormError(file.string() + ": cannot write the picture (" + ec.message() + ")");
    }
}

}  // namespace kakanai::printing
