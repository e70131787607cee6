#include "fonts.hpp"

#include <fcntl.h>
#include <ft2build.h>
#include <hb-subset.h>
#include <hb.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include FT_FREETYPE_H
#include FT_OUTLINE_H

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <mutex>

namespace kakanai::printing::detail {
namespace {

// Font files are mapped once per process and shared (blobs are immutable).
hb_blob_t* font_blob(const std::filesystem::path& path) {
    // Process-wide and never freed: a render on another thread may still use a
    // blob while the process exits, and a map destroyed at exit would leave the
    // blobs unreachable (a leak to LeakSanitizer and valgrind).
    static std::mutex mutex;
    static auto* const blobs = new std::map<std::string, hb_blob_t*>;
    std::lock_guard lock(mutex);
    auto it = blobs->find(path.string());
    if (it != blobs->end()) return it->second;
    hb_blob_t* blob = hb_blob_create_from_file_or_fail(path.c_str());
    if (!blob) return nullptr;
    blobs->emplace(path.string(), blob);
    return blob;
}

std::string hex(char32_t cp) {
    char b[16];
    std::snprintf(b, sizeof b, "U+%04X", static_cast<unsigned>(cp));
    return b;
}

bool is_control(char32_t cp) { return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0); }

// Characters that read as a space when they reach a form (line breaks in an address).
char32_t normalise(char32_t cp) { return (cp == '\n' || cp == '\r' || cp == '\t') ? U' ' : cp; }

// One font subset as a file libharu can open (libharu 2.3 loads TrueType
// fonts only by file name, and keeps the file open until the document is
// freed). Preferably an anonymous in-memory file (memfd, never on disk);
// otherwise a private 0700 folder, removed as soon as libharu has opened it.
class SubsetFile {
public:
    explicit SubsetFile(hb_blob_t* data) {
        unsigned int len = 0;
        const char* bytes = hb_blob_get_data(data, &len);
        fd_ = ::memfd_create("kakanai-font-subset", MFD_CLOEXEC);
        if (fd_ >= 0) {
            path_ = "/proc/self/fd/" + std::to_string(fd_);
        } else {
            std::string tmpl = (std::filesystem::temp_directory_path() / "kakanai-font-XXXXXX").string();
            if (!::mkdtemp(tmpl.data()))
                throw PrintError("cannot create a private folder for a font subset in " +
                                 std::filesystem::temp_directory_path().string() + ": " + std::strerror(errno));
            dir_ = tmpl;
            path_ = dir_ / "subset.ttf";
            fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        }
        bool ok = fd_ >= 0;
        std::size_t done = 0;
        while (ok && done < len) {
            const ssize_t n = ::write(fd_, bytes + done, len - done);
            if (n <= 0) ok = false;
            else done += static_cast<std::size_t>(n);
        }
        if (!ok) {
            const int e = errno;
            remove();
            throw PrintError(std::string("cannot write a font subset: ") + std::strerror(e));
        }
    }
    ~SubsetFile() { remove(); }
    SubsetFile(const SubsetFile&) = delete;
    SubsetFile& operator=(const SubsetFile&) = delete;
    const std::filesystem::path& path() const { return path_; }

private:
    void remove() {
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
        if (dir_.empty()) return;
        ::unlink(path_.c_str());
        ::rmdir(dir_.c_str());
        dir_.clear();
    }
    int fd_ = -1;
    std::filesystem::path dir_, path_;
};

struct OutlineSink {
    HPDF_Page page;
    float x, y, scale;
    float last_x = 0, last_y = 0;
    bool open = false;
    float px(const FT_Vector* v) const { return x + static_cast<float>(v->x) * scale; }
    float py(const FT_Vector* v) const { return y + static_cast<float>(v->y) * scale; }
};

int move_to(const FT_Vector* to, void* user) {
    auto* s = static_cast<OutlineSink*>(user);
    if (s->open) HPDF_Page_ClosePath(s->page);
    s->last_x = s->px(to);
    s->last_y = s->py(to);
    HPDF_Page_MoveTo(s->page, s->last_x, s->last_y);
    s->open = true;
    return 0;
}
int line_to(const FT_Vector* to, void* user) {
    auto* s = static_cast<OutlineSink*>(user);
    s->last_x = s->px(to);
    s->last_y = s->py(to);
    HPDF_Page_LineTo(s->page, s->last_x, s->last_y);
    return 0;
}
int conic_to(const FT_Vector* control, const FT_Vector* to, void* user) {
    // A quadratic Bézier as the equivalent cubic.
    auto* s = static_cast<OutlineSink*>(user);
    const float cx = s->px(control), cy = s->py(control), tx = s->px(to), ty = s->py(to);
    constexpr float k = 2.0f / 3.0f;
    HPDF_Page_CurveTo(s->page, s->last_x + k * (cx - s->last_x), s->last_y + k * (cy - s->last_y),
                      tx + k * (cx - tx), ty + k * (cy - ty), tx, ty);
    s->last_x = tx;
    s->last_y = ty;
    return 0;
}
int cubic_to(const FT_Vector* c1, const FT_Vector* c2, const FT_Vector* to, void* user) {
    auto* s = static_cast<OutlineSink*>(user);
    s->last_x = s->px(to);
    s->last_y = s->py(to);
    HPDF_Page_CurveTo(s->page, s->px(c1), s->py(c1), s->px(c2), s->py(c2), s->last_x, s->last_y);
    return 0;
}

}  // namespace

struct FontSet::Font {
    std::filesystem::path path;
    hb_blob_t* blob = nullptr;  // owned by the process-wide cache
    FT_Library library = nullptr;
    FT_Face face = nullptr;
    HPDF_Font pdf = nullptr;
    ~Font() {
        if (face) FT_Done_Face(face);
        if (library) FT_Done_FreeType(library);
    }
};

FontSet::FontSet(const std::filesystem::path& main, const std::vector<std::filesystem::path>& fallbacks) {
    paths_.push_back(main);
    for (const auto& f : fallbacks) paths_.push_back(f);
    fonts_.resize(paths_.size());
    open(0);  // the main font must exist; fallbacks are opened only when needed
}

FontSet::~FontSet() = default;

FontSet::Font& FontSet::open(int index) const {
    auto& slot = fonts_[static_cast<std::size_t>(index)];
    if (slot) return *slot;
    auto f = std::make_unique<Font>();
    f->path = paths_[static_cast<std::size_t>(index)];
    f->blob = std::filesystem::is_regular_file(f->path) ? font_blob(f->path) : nullptr;
    if (f->blob) {
        unsigned int len = 0;
        const char* data = hb_blob_get_data(f->blob, &len);
        if (FT_Init_FreeType(&f->library) != 0 ||
            FT_New_Memory_Face(f->library, reinterpret_cast<const FT_Byte*>(data), static_cast<FT_Long>(len), 0,
                               &f->face) != 0)
            f->face = nullptr;
    }
    if (!f->face && index == 0) {
        std::string pkg = f->path.string().find("ipaex") != std::string::npos ? " (install the Debian package "
                                                                                  "fonts-ipaexfont-mincho)"
                                                                                : "";
        throw PrintError("font file missing: " + f->path.string() + pkg);
    }
    slot = std::move(f);
    return *slot;
}

int FontSet::font_for(char32_t cp) const {
    if (cp == 0xFFFD) return -1;  // never print a replacement character
    for (std::size_t i = 0; i < paths_.size(); ++i) {
        const Font& f = open(static_cast<int>(i));
        if (f.face && FT_Get_Char_Index(f.face, cp) != 0) return static_cast<int>(i);
    }
    return -1;
}

void FontSet::add_text(const std::string& utf8, const std::string& field_id) {
    for (char32_t cp : decode_utf8(utf8)) {
        cp = normalise(cp);
        if (is_control(cp)) continue;
        const int f = font_for(cp);
        if (f < 0) {
            std::string tried;
            for (const auto& p : paths_) tried += (tried.empty() ? "" : ", ") + p.filename().string();
            const std::string shown = cp == 0xFFFD ? "(invalid UTF-8)" : "「" + encode_utf8(cp) + "」";
            throw UnprintableCharacterError(
                cp, field_id,
                "cannot print " + shown + " " + hex(cp) + (field_id.empty() ? "" : " in field " + field_id) +
                    ": no installed font has it (tried " + tried +
                    "); install a font with this character (e.g. fonts-ipamj-mincho) or correct the text");
        }
        if (cp > 0xFFFF) ++outlines_;
        else used_[f].insert(cp);
    }
}

void FontSet::load_into(HPDF_Doc doc, RenderReport* report) {
    used_[0];  // the main font is always loaded (titles, footer)
    for (auto& [index, chars] : used_) {
        Font& f = open(index);
        hb_face_t* face = hb_face_create(f.blob, 0);
        hb_subset_input_t* input = hb_subset_input_create_or_fail();
        if (!input) {
            hb_face_destroy(face);
            throw PrintError("HarfBuzz could not start a font subset (out of memory?)");
        }
        hb_set_t* unicodes = hb_subset_input_unicode_set(input);
        for (char32_t cp : chars) hb_set_add(unicodes, cp);
        hb_set_add(unicodes, ' ');
        // libharu writes only the TrueType tables it needs; hinting is useless on paper.
        hb_subset_input_set_flags(input, HB_SUBSET_FLAGS_NO_HINTING);
        hb_set_t* drop = hb_subset_input_set(input, HB_SUBSET_SETS_DROP_TABLE_TAG);
        for (const char* tag : {"GSUB", "GPOS", "GDEF", "vhea", "vmtx", "VORG", "BASE", "JSTF", "DSIG"})
            hb_set_add(drop, hb_tag_from_string(tag, 4));
        hb_face_t* subset = hb_subset_or_fail(face, input);
        hb_subset_input_destroy(input);
        hb_face_destroy(face);
        if (!subset) throw PrintError("HarfBuzz could not subset the font " + f.path.string());
        hb_blob_t* bytes = hb_face_reference_blob(subset);
        hb_face_destroy(subset);
        const unsigned int subset_len = hb_blob_get_length(bytes);
        {
            SubsetFile file(bytes);
            hb_blob_destroy(bytes);
            const char* name = HPDF_LoadTTFontFromFile(doc, file.path().c_str(), HPDF_TRUE);
            if (!name) throw PrintError("libharu could not load the subset of " + f.path.string());
            f.pdf = HPDF_GetFont(doc, name, "UTF-8");
            if (!f.pdf) throw PrintError("libharu could not select the font " + f.path.string() + " as UTF-8");
        }
        if (report) {
            std::error_code ec;
            report->fonts.push_back({f.path, std::filesystem::file_size(f.path, ec), subset_len, chars.size()});
        }
    }
    if (report) report->outline_glyphs = outlines_;
}

std::vector<Glyph> FontSet::shape(const std::string& utf8) const {
    std::vector<Glyph> out;
    for (char32_t cp : decode_utf8(utf8)) {
        cp = normalise(cp);
        if (is_control(cp)) continue;
        Glyph g;
        g.cp = cp;
        g.font = font_for(cp);
        if (g.font < 0) throw PrintError("internal: character " + hex(cp) + " was not checked before drawing");
        g.outline = cp > 0xFFFF;
        g.utf8 = encode_utf8(cp);
        const Font& f = open(g.font);
        if (g.outline) {
            if (FT_Load_Glyph(f.face, FT_Get_Char_Index(f.face, cp), FT_LOAD_NO_SCALE) == 0)
                g.advance = static_cast<double>(f.face->glyph->metrics.horiAdvance) * 1000.0 / f.face->units_per_EM;
        } else {
            g.advance = HPDF_Font_GetUnicodeWidth(f.pdf, static_cast<HPDF_UNICODE>(cp));
        }
        out.push_back(std::move(g));
    }
    return out;
}

HPDF_Font FontSet::pdf_font(int font) const { return open(font).pdf; }

void FontSet::draw_outline(HPDF_Page page, const Glyph& g, float x, float y, double size) const {
    const Font& f = open(g.font);
    if (FT_Load_Glyph(f.face, FT_Get_Char_Index(f.face, g.cp), FT_LOAD_NO_SCALE | FT_LOAD_NO_HINTING |
                                                                     FT_LOAD_NO_BITMAP) != 0)
        throw PrintError("FreeType could not load the outline of " + hex(g.cp) + " from " + f.path.string());
    if (f.face->glyph->format != FT_GLYPH_FORMAT_OUTLINE || f.face->glyph->outline.n_contours == 0) return;
    OutlineSink sink{page, x, y, static_cast<float>(size / f.face->units_per_EM)};
    FT_Outline_Funcs funcs{};
    funcs.move_to = move_to;
    funcs.line_to = line_to;
    funcs.conic_to = conic_to;
    funcs.cubic_to = cubic_to;
    FT_Outline_Decompose(&f.face->glyph->outline, &funcs, &sink);
    if (sink.open) HPDF_Page_ClosePath(page);
    HPDF_Page_Fill(page);
}

void FontSet::draw_glyphs(HPDF_Page page, const std::vector<Glyph>& g, std::size_t from, std::size_t to, double x,
                          double y, double size) const {
    const auto f = [](double v) { return static_cast<float>(v); };
    std::size_t i = from;
    while (i < to) {
        if (g[i].outline) {
            draw_outline(page, g[i], f(x), f(y), size);
            x += g[i].advance / 1000.0 * size;
            ++i;
            continue;
        }
        std::string run;
        double run_w = 0;
        const int font = g[i].font;
        while (i < to && !g[i].outline && g[i].font == font) {
            run += g[i].utf8;
            run_w += g[i].advance;
            ++i;
        }
        HPDF_Page_BeginText(page);
        HPDF_Page_SetFontAndSize(page, pdf_font(font), f(size));
        HPDF_Page_TextOut(page, f(x), f(y), run.c_str());
        HPDF_Page_EndText(page);
        x += run_w / 1000.0 * size;
    }
}

}  // namespace kakanai::printing::detail
