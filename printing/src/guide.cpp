// The guide slip: laid out top to bottom on one A4 page (a second page only
// when a visit has more procedures than fit).
#include "kakanai/printing/guide.hpp"

#include <hpdf.h>
#include <qrencode.h>

#include <cstdio>
#include <memory>
#include <stdexcept>

#include "fonts.hpp"
#include "kakanai/forms/ruby.hpp"
#include "kakanai/forms/texts.hpp"

namespace kakanai::printing {
namespace {

using detail::FontSet;
using detail::Glyph;

constexpr double kMm = 72.0 / 25.4;
constexpr double kPageW = 210.0, kPageH = 297.0, kLeft = 18.0, kRight = 192.0, kBottom = 280.0;

double pt(double mm) { return mm * kMm; }
float F(double v) { return static_cast<float>(v); }

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
    for (auto p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size())) s.replace(p, from.size(), to);
    return s;
}

// やさしい日本語 texts mark furigana as {漢字|かんじ}; on paper the reading follows
// its kanji in brackets (漢字（かんじ）), one of the two ways the guideline gives.
std::string on_paper(const std::string& markup) { return forms::ruby_bracketed(forms::parse_ruby_or_keep(markup)); }

std::string in(const forms::Text& t, const std::string& language) { return on_paper(t.in(language)); }

// One line of the plan: text at a size, indented, drawn from y (mm, top) down.
struct Line {
    std::string text;
    double size = 11;
    double indent = 0;
    double gap_before = 0;  // mm
    bool bold_rule = false; // a rule above (a new procedure)
};

void on_error(HPDF_STATUS, HPDF_STATUS, void* user) { *static_cast<bool*>(user) = true; }

// Greedy wrap to `width` points: at a space when the line has one, else between characters.
std::vector<std::pair<std::size_t, std::size_t>> wrap(const std::vector<Glyph>& g, double size, double width) {
    std::vector<std::pair<std::size_t, std::size_t>> out;
    std::size_t start = 0;
    while (start < g.size()) {
        double w = 0;
        std::size_t end = start;
        while (end < g.size() && w + g[end].advance / 1000.0 * size <= width) w += g[end++].advance / 1000.0 * size;
        if (end == start) ++end;
        if (end < g.size()) {
            std::size_t sp = end;
            while (sp > start && g[sp - 1].cp != U' ') --sp;
            if (sp > start + 1) end = sp;
        }
        out.emplace_back(start, end);
        start = end;
        while (start < g.size() && g[start].cp == U' ') ++start;
    }
    return out;
}

class Writer {
public:
    Writer(HPDF_Doc doc, const FontSet& fonts) : doc_(doc), fonts_(fonts) { page(); }

    void page() {
        page_ = HPDF_AddPage(doc_);
        HPDF_Page_SetSize(page_, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
        y_ = 18;
    }

    void text(const std::string& s, double x_mm, double baseline_mm, double size) {
        const auto g = fonts_.shape(s);
        run(g, 0, g.size(), pt(x_mm), pt(kPageH - baseline_mm), size);
    }

    double width(const std::string& s, double size) const {
        double w = 0;
        for (const auto& g : fonts_.shape(s)) w += g.advance / 1000.0 * size;
        return w;
    }

    // A wrapped paragraph at the cursor; a new page when it would pass the bottom.
    void para(const Line& l) {
        const auto g = fonts_.shape(l.text);
        const auto lines = wrap(g, l.size, pt(kRight - kLeft - l.indent));
        const double lh = l.size * 1.35 / kMm;
        if (y_ + l.gap_before + lh * static_cast<double>(lines.size()) > kBottom) page();
        y_ += l.gap_before;
        if (l.bold_rule) rule(y_ - 1.5);
        for (const auto& [a, b] : lines) {
            y_ += lh;
            run(g, a, b, pt(kLeft + l.indent), pt(kPageH - y_ + l.size * 0.25 / kMm), l.size);
        }
    }

    void rule(double y_mm, float line_width = 0.5f) {
        HPDF_Page_SetLineWidth(page_, line_width);
        HPDF_Page_MoveTo(page_, F(pt(kLeft)), F(pt(kPageH - y_mm)));
        HPDF_Page_LineTo(page_, F(pt(kRight)), F(pt(kPageH - y_mm)));
        HPDF_Page_Stroke(page_);
    }

    void box(double x, double y_top, double w, double h) {
        HPDF_Page_SetLineWidth(page_, 1.2f);
        HPDF_Page_Rectangle(page_, F(pt(x)), F(pt(kPageH - y_top - h)), F(pt(w)), F(pt(h)));
        HPDF_Page_Stroke(page_);
    }

    void qr(const std::string& payload, double x, double y_top, double side) {
        QRcode* code = QRcode_encodeString(payload.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1);
        if (!code) throw PrintError("libqrencode could not encode the visit's QR code");
        const double m = side / (code->width + 2);
        for (int r = 0; r < code->width; ++r)
            for (int c = 0; c < code->width; ++c)
                if (code->data[r * code->width + c] & 1)
                    HPDF_Page_Rectangle(page_, F(pt(x + m * (c + 1))), F(pt(kPageH - y_top - m * (r + 2))), F(pt(m)),
                                        F(pt(m)));
        HPDF_Page_Fill(page_);
        QRcode_free(code);
    }

    double y() const { return y_; }
    void set_y(double y) { y_ = y; }

private:
    void run(const std::vector<Glyph>& g, std::size_t from, std::size_t to, double x, double y, double size) {
        fonts_.draw_glyphs(page_, g, from, to, x, y, size);
    }

    HPDF_Doc doc_;
    const FontSet& fonts_;
    HPDF_Page page_ = nullptr;
    double y_ = 0;
};

}  // namespace

GuideWords GuideWords::from(const std::function<std::string(const std::string& key)>& text) {
    return {text("guide.title"),    text("guide.number"), text("guide.date"),     text("guide.steps"),
            text("guide.counter"),  text("guide.fee"),    text("guide.no_fee"),   text("guide.bring"),
            text("guide.deadline"), text("guide.total"),  text("guide.call"),     text("guide.fee_line"),
            text("guide.deadline_line")};
}

GuideTexts::GuideTexts(const std::filesystem::path& i18n_dir, const std::filesystem::path& town_i18n_dir) {
    const forms::TextTable texts = forms::load_texts(i18n_dir, town_i18n_dir);
    for (const auto& lang : forms::text_languages()) {
        by_lang_[lang] = GuideWords::from([&](const std::string& key) {
            // A key a language lacks is read in Japanese, as on the screens.
            for (const std::string& l : {lang, std::string("ja")}) {
                const auto table = texts.find(l);
                if (table == texts.end()) continue;
                if (const auto it = table->second.find(key); it != table->second.end())
                    return forms::ruby_bracketed(it->second);
            }
            throw std::runtime_error("the guide slip's text \"" + key + "\" is missing in " +
                                     (i18n_dir / "ja.toml").string());
        });
    }
}

const GuideWords& GuideTexts::in(const std::string& language) const {
    const auto it = by_lang_.find(language == "easy" ? "ja-easy" : language);
    return it != by_lang_.end() ? it->second : by_lang_.at("ja");
}

std::string guide_extra_chars() { return "0123456789,¥×=:.（）、円えん"; }

std::string guide_fee_text(const forms::GuideStep& s, const GuideWords& w) {
    if (!s.has_fee || s.fee_yen == 0) return w.no_fee;
    std::string t = replace_all(w.fee_line, "{fee}", forms::yen_digits(s.fee_yen));
    t = replace_all(t, "{n}", std::to_string(s.copies));
    return replace_all(t, "{total}", forms::yen_digits(s.fee_total()));
}

std::string guide_deadline_text(const forms::GuideStep& s, const std::string& language, const GuideWords& w) {
    if (!s.deadline_days) return "";
    const std::string lang = language == "ja-easy" ? "easy" : language;
    std::string t = replace_all(w.deadline_line, "{n}", std::to_string(s.deadline_days));
    t = replace_all(t, "{from}", on_paper(s.deadline_from.in(lang)));
    while (!t.empty() && t.back() == ' ') t.pop_back();
    while (!t.empty() && t.front() == ' ') t.erase(0, 1);
    return t;
}

std::string visit_qr_payload(const std::string& day, const std::string& number) {
    return "kakanai-visit " + day + " " + number;
}

std::vector<std::uint8_t> render_guide_pdf(const forms::GuideSlip& slip, const std::string& day,
                                           const std::string& language_in, const GuideWords& w,
                                           const PdfOptions& options) {
    const std::string language = language_in == "ja-easy" ? "easy" : language_in;
    const bool ja = language != "en" && language != "easy";

    // The plan: every line, so the fonts know every character before drawing.
    std::vector<Line> plan;
    plan.push_back({w.steps, 14, 0, 4, false});
    int n = 0;
    for (const auto& s : slip.steps) {
        const std::string local = in(s.title, language);
        const std::string head = std::to_string(++n) + ". " + local;
        plan.push_back({head, 13, 0, 4, true});
        if (!ja && local != s.title.ja) plan.push_back({"（" + s.title.ja + "）", 9.5, 6, 0, false});
        plan.push_back({w.counter + ": " + in(s.counter, language), 11, 6, 1, false});
        plan.push_back({w.fee + ": " + guide_fee_text(s, w), 11, 6, 0, false});
        if (!s.bring.empty()) {
            std::string b;
            for (const auto& x : s.bring) b += (b.empty() ? "" : (language == "en" ? ", " : "、")) + in(x, language);
            plan.push_back({w.bring + ": " + b, 11, 6, 0, false});
        }
        if (s.deadline_days) plan.push_back({w.deadline + ": " + guide_deadline_text(s, language, w), 11, 6, 0, false});
    }
    if (slip.has_fees())
        plan.push_back({w.total + ": " +
                            (language == "en" ? "¥" + forms::yen_digits(slip.total_yen())
                                              : forms::yen_digits(slip.total_yen()) + (language == "easy" ? "えん" : "円")),
                        14, 0, 6, true});
    plan.push_back({w.call, 10.5, 0, 6, false});

    FontSet fonts(options.mincho_font, options.fallback_fonts);
    const std::string heading = ja ? w.title : w.title + "（受付案内）";
    fonts.add_text(heading, "");
    fonts.add_text(w.number + "0123456789", "");
    fonts.add_text(slip.number, "");
    fonts.add_text(w.date + ": " + day, "");
    for (const auto& l : plan) fonts.add_text(l.text, "");

    bool failed = false;
    const std::unique_ptr<std::remove_pointer_t<HPDF_Doc>, decltype(&HPDF_Free)> doc(HPDF_New(on_error, &failed),
                                                                                     HPDF_Free);
    if (!doc) throw PrintError("libharu could not create a PDF document (out of memory?)");
    HPDF_UseUTFEncodings(doc.get());
    HPDF_SetCompressionMode(doc.get(), HPDF_COMP_ALL);
    fonts.load_into(doc.get(), nullptr);
    HPDF_SetInfoAttr(doc.get(), HPDF_INFO_TITLE, heading.c_str());
    HPDF_SetInfoAttr(doc.get(), HPDF_INFO_CREATOR, "kakanai");
    if (failed) throw PrintError("libharu could not load the fonts for the guide slip");

    Writer wr(doc.get(), fonts);
    wr.text(heading, (kPageW - wr.width(heading, 20) / kMm) / 2, 24, 20);  // width() is in points
    // The number, very large, boxed, with its QR code at the right.
    constexpr double kTop = 32, kBoxH = 44, kQr = 40;
    wr.box(kLeft, kTop, kRight - kLeft, kBoxH);
    wr.text(w.number, kLeft + 5, kTop + 9, 13);
    wr.text(slip.number, kLeft + 8, kTop + 35, 64);
    wr.text(w.date + ": " + day, kLeft + 5, kTop + kBoxH - 3, 9);
    wr.qr(visit_qr_payload(day, slip.number), kRight - kQr - 2, kTop + 2, kQr);
    wr.set_y(kTop + kBoxH + 2);
    for (const auto& l : plan) wr.para(l);
    if (failed) throw PrintError("libharu failed while drawing the guide slip");

    if (HPDF_SaveToStream(doc.get()) != HPDF_OK || failed) throw PrintError("libharu could not save the guide slip");
    HPDF_UINT32 size = HPDF_GetStreamSize(doc.get());
    std::vector<std::uint8_t> bytes(size);
    HPDF_ResetStream(doc.get());
    HPDF_ReadFromStream(doc.get(), bytes.data(), &size);
    bytes.resize(size);
    return bytes;
}

}  // namespace kakanai::printing
