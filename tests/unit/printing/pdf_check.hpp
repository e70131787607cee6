#pragma once
// Reading back what a PDF shows: pdftotext -bbox words in mm, and ink in a
// rectangle of the page rendered by pdftoppm (grey PNG read with libpng).
#include <png.h>

#include <regex>
#include <string>
#include <vector>

#include "test_support.hpp"

namespace kakanai::test {

struct Word {
    std::string text;
    double x0, y0, x1, y1;  // mm from the top-left
};

inline std::vector<Word> pdf_words(const std::filesystem::path& pdf) {
    const std::string html = run("pdftotext -bbox " + shell_quote(pdf.string()) + " -").output;
    static const std::regex word(
        "<word xMin=\"([0-9.]+)\" yMin=\"([0-9.]+)\" xMax=\"([0-9.]+)\" yMax=\"([0-9.]+)\">([^<]*)</word>");
    std::vector<Word> out;
    constexpr double mm = 25.4 / 72.0;
    for (auto it = std::sregex_iterator(html.begin(), html.end(), word); it != std::sregex_iterator(); ++it) {
        const auto& m = *it;
        out.push_back({m[5], std::stod(m[1]) * mm, std::stod(m[2]) * mm, std::stod(m[3]) * mm, std::stod(m[4]) * mm});
    }
    return out;
}

inline const Word* find_word(const std::vector<Word>& words, const std::string& text) {
    for (const auto& w : words)
        if (w.text == text) return &w;
    return nullptr;
}

// A grey image of page 1.
struct Raster {
    int width = 0, height = 0;
    double dpi = 0;
    std::vector<unsigned char> pixels;
    // Share of pixels darker than `level` (mid-grey) in a rectangle given in mm.
    double ink(double x, double y, double w, double h, int level = 128) const {
        const double k = dpi / 25.4;
        int dark = 0, all = 0;
        for (int r = static_cast<int>(y * k); r < static_cast<int>((y + h) * k) && r < height; ++r)
            for (int c = static_cast<int>(x * k); c < static_cast<int>((x + w) * k) && c < width; ++c) {
                ++all;
                dark += pixels[static_cast<std::size_t>(r * width + c)] < level;
            }
        return all ? static_cast<double>(dark) / all : 0;
    }
};

inline Raster read_png(const std::filesystem::path& png) {
    png_image image{};
    image.version = PNG_IMAGE_VERSION;
    Raster r;
    if (!png_image_begin_read_from_file(&image, png.c_str())) return r;
    image.format = PNG_FORMAT_GRAY;
    r.width = static_cast<int>(image.width);
    r.height = static_cast<int>(image.height);
    r.pixels.resize(PNG_IMAGE_SIZE(image));
    if (!png_image_finish_read(&image, nullptr, r.pixels.data(), 0, nullptr)) r = {};
    return r;
}

inline Raster rasterise(const std::filesystem::path& pdf, int dpi) {
    const auto base = pdf.parent_path() / (pdf.stem().string() + "-page");
    run("pdftoppm -r " + std::to_string(dpi) + " -gray -png -singlefile " + shell_quote(pdf.string()) + " " +
        shell_quote(base.string()));
    Raster r = read_png(base.string() + ".png");
    r.dpi = dpi;
    return r;
}

}  // namespace kakanai::test
