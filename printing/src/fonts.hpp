#pragma once
// Fonts for the PDF renderer: which font draws each character, HarfBuzz
// subsets loaded into libharu, FreeType outlines for characters outside the BMP.
#include <hpdf.h>

#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "kakanai/base/utf8.hpp"
#include "kakanai/printing/pdf.hpp"

namespace kakanai::printing::detail {

// One character as the renderer draws it.
struct Glyph {
    char32_t cp = 0;
    int font = 0;         // index into FontSet's fonts
    bool outline = false; // drawn as a path (outside the BMP)
    std::string utf8;
    double advance = 0;   // in 1/1000 em
};

class FontSet {
public:
    FontSet(const std::filesystem::path& main, const std::vector<std::filesystem::path>& fallbacks);
    ~FontSet();
    FontSet(const FontSet&) = delete;
    FontSet& operator=(const FontSet&) = delete;

    // First pass: every string that will be drawn. Throws UnprintableCharacterError.
    void add_text(const std::string& utf8, const std::string& field_id);
    // Subsets the fonts in use and loads them into the document.
    void load_into(HPDF_Doc doc, RenderReport* report);

    // Second pass (after load_into): the glyphs of a string.
    std::vector<Glyph> shape(const std::string& utf8) const;
    HPDF_Font pdf_font(int font) const;
    // Fills the outline of an outline glyph with its origin at (x, y), size in pt.
    void draw_outline(HPDF_Page page, const Glyph& g, float x, float y, double size) const;
    // Draws glyphs [from, to) of `g` with the baseline's left end at (x, y) in
    // points: each run of one font as one text object, outline glyphs as paths.
    void draw_glyphs(HPDF_Page page, const std::vector<Glyph>& g, std::size_t from, std::size_t to, double x, double y,
                     double size) const;

private:
    struct Font;
    int font_for(char32_t cp) const;  // -1 when no font has it
    Font& open(int index) const;
    std::vector<std::filesystem::path> paths_;
    mutable std::vector<std::unique_ptr<Font>> fonts_;
    std::map<int, std::set<char32_t>> used_;  // BMP characters per font
    std::size_t outlines_ = 0;
};

// UTF-8 <-> code points (invalid bytes become U+FFFD): base's, through ICU.
using base::decode_utf8;
using base::encode_utf8;

}  // namespace kakanai::printing::detail
