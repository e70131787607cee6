// Printing onto the town's pre-printed paper (print = "overlay"): only the
// values reach the PDF, at the places the full form puts them; a printer's
// calibrated offset moves every one of them; the background of the official
// form is in previews only. Read back with pdftotext -bbox, qpdf and pdfimages.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <sstream>

#include "kakanai/forms/prefill.hpp"
#include "kakanai/printing/calibration.hpp"
#include "kakanai/printing/pdf.hpp"
#include "pdf_check.hpp"
#include "test_support.hpp"

using namespace kakanai;
using test::run;
using test::shell_quote;

namespace {

std::filesystem::path overlay_dir() { return test::source_dir() / "tests/unit/printing/data/overlay"; }

const forms::Template& overlay_form() {
    static const forms::Template t = forms::load_template(overlay_dir() / "inkan_overlay.toml");
    return t;
}

// The same form drawn whole on blank paper.
forms::Template full_form() {
    forms::Template t = overlay_form();
    t.print = forms::PrintMode::Full;
    return t;
}

forms::FilledForm filled() {
    const forms::CardData card{"番号 花子", "東京都千代田区霞が関2丁目1番2号", "1980-02-17", "female", true};
    return forms::prefill(overlay_form(), card,
                          {{"inkan_method", "guarantor"},
                           {"applicant_kana", "バンゴウ ハナコ"},
                           {"applicant_phone", "090-1234-5678"},
                           {"card_lost", "true"}},
                          "2026-11-23");
}

std::filesystem::path write(const test::TempDir& dir, const std::string& name, const forms::Template& t,
                            printing::PdfOptions o = {}) {
    o.application_id = "A-OVERLAY-0001";
    const auto file = dir / name;
    printing::write_file_atomic(file, printing::render_pdf(t, filled(), o));
    return file;
}

// To look at the pages: KAKANAI_KEEP_OVERLAY=DIR keeps a copy of each PDF.
void keep(const std::filesystem::path& pdf, const std::string& as) {
    if (const char* dir = std::getenv("KAKANAI_KEEP_OVERLAY"))
        std::filesystem::copy_file(pdf, std::filesystem::path(dir) / as, std::filesystem::copy_options::overwrite_existing);
}

std::string slurp(const std::filesystem::path& f) {
    std::ifstream in(f, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Page 1's content stream, uncompressed by qpdf's QDF mode.
std::string page_content(const std::filesystem::path& pdf) {
    const auto qdf = pdf.string() + ".qdf";
    run("qpdf --qdf --object-streams=disable " + shell_quote(pdf.string()) + " " + shell_quote(qdf));
    const std::string text = slurp(qdf);
    const auto at = text.find("%% Contents for page 1");
    if (at == std::string::npos) return {};
    const auto start = text.find("stream\n", at);
    const auto end = text.find("\nendstream", start);
    return text.substr(start + 7, end - start - 7);
}

// How often each path operator appears in a content stream.
std::map<std::string, int> path_operators(const std::string& content) {
    static const std::set<std::string> ops{"m", "l", "c", "v", "y", "re", "h", "S", "s", "f", "F", "f*", "B", "B*", "b", "b*"};
    std::map<std::string, int> out;
    std::istringstream in(content);
    for (std::string tok; in >> tok;)
        if (ops.count(tok)) ++out[tok];
    return out;
}

std::string all_text(const std::vector<test::Word>& words) {
    std::string s;
    for (const auto& w : words) s += w.text + "\n";
    return s;
}

// The form's own text: title, fixed labels, field labels, choice texts, footer.
const std::vector<std::string> kFurniture{"印鑑登録申請書", "（あて先）町長", "住民課", "■", "登録の方法", "申請者",
                                          "電話番号",       "以前の登録証を紛失した", "登録する印鑑を窓口で押印します",
                                          "申請日",         "住所",           "フリガナ", "生年月日", "氏名",
                                          "署名",           "顔写真付き本人確認書類（即日登録）", "保証人", "文書照会",
                                          "inkan_overlay",  "A-OVERLAY-0001"};

}  // namespace

// The background is our own blank full print of the form, as a town's scan of
// its paper would be: regenerated with KAKANAI_UPDATE_OVERLAY_BACKGROUND=1.
TEST(Overlay, TheBackgroundIsTheBlankFullForm) {
    const auto png = overlay_dir() / "inkan_overlay_bg.png";
    if (std::getenv("KAKANAI_UPDATE_OVERLAY_BACKGROUND")) {
        test::TempDir dir;
        forms::FilledForm blank;
        blank.template_id = overlay_form().id;
        blank.template_version = overlay_form().version;
        const auto pdf = dir / "blank.pdf";
        printing::write_file_atomic(pdf, printing::render_pdf(full_form(), blank));
        run("pdftoppm -r 60 -gray -png -singlefile " + shell_quote(pdf.string()) + " " +
            shell_quote((dir / "bg").string()));
        std::filesystem::copy_file(dir / "bg.png", png, std::filesystem::copy_options::overwrite_existing);
    }
    const auto bg = test::read_png(png);
    EXPECT_EQ(bg.width, 497);
    EXPECT_EQ(bg.height, 702);
    EXPECT_EQ(overlay_form().background, png);
    EXPECT_EQ(overlay_form().print, forms::PrintMode::Overlay);
}

TEST(Overlay, ThePdfHoldsOnlyTheValuesWhereTheFullFormPutsThem) {
    test::TempDir dir;
    const auto full = write(dir, "full.pdf", full_form());
    const auto overlay = write(dir, "overlay.pdf", overlay_form());
    keep(full, "full.pdf");
    keep(overlay, "overlay.pdf");
    const auto fw = test::pdf_words(full), ow = test::pdf_words(overlay);
    const std::string full_text = all_text(fw), text = all_text(ow);

    // Every label of the form is on the full print and on no overlay.
    for (const auto& label : kFurniture) {
        EXPECT_NE(full_text.find(label), std::string::npos) << label << " missing from the full print\n" << full_text;
        EXPECT_EQ(text.find(label), std::string::npos) << label << " printed onto the pre-printed paper\n" << text;
    }
    // The values: text, the date and the birth date in their boxes, the phone number's digits in their cells.
    for (const std::string v : {"番号", "花子", "東京都千代田区霞が関2丁目1番2号", "バンゴウ", "ハナコ", "0"})
        EXPECT_NE(test::find_word(ow, v), nullptr) << v << "\n" << text;
    EXPECT_NE(text.find("令和8年11月23日"), std::string::npos) << text;
    EXPECT_NE(text.find("昭和55年2月17日"), std::string::npos) << text;
    // ... each exactly where the full form prints it (±0.2 mm).
    ASSERT_GE(ow.size(), 15u) << text;
    for (const auto& w : ow) {
        bool same_place = false;
        for (const auto& f : fw)
            same_place = same_place || (f.text == w.text && std::abs(f.x0 - w.x0) <= 0.2 && std::abs(f.y0 - w.y0) <= 0.2 &&
                                        std::abs(f.x1 - w.x1) <= 0.2 && std::abs(f.y1 - w.y1) <= 0.2);
        EXPECT_TRUE(same_place) << w.text << " at " << w.x0 << "," << w.y0 << " is not where the full form has it";
    }

    // No line, box or grid cell: the only paths are the tick of the ticked box
    // (m l l S) and the ring round the chosen option (m, 4 c, S).
    const auto full_ops = path_operators(page_content(full));
    EXPECT_GT(full_ops.count("re") ? full_ops.at("re") : 0, 10) << "the full form draws its boxes";
    const auto ops = path_operators(page_content(overlay));
    EXPECT_EQ(ops, (std::map<std::string, int>{{"m", 2}, {"l", 2}, {"c", 4}, {"S", 2}}));
    // And no picture: the background is never printed.
    EXPECT_EQ(run("pdfimages -list " + shell_quote(overlay.string()) + " | tail -n +3 | wc -l").output, "0\n");

    // The tick and the ring are where the full form draws them.
    const auto fr = test::rasterise(full, 60);
    const auto orr = test::rasterise(overlay, 60);
    EXPECT_GT(orr.ink(105.5, 121, 5, 5), 0.05) << "the tick of card_lost";
    EXPECT_GT(orr.ink(98.5, 59, 2, 10), 0.02) << "the ring round 保証人";
    EXPECT_LT(orr.ink(19, 59, 72, 10), 0.005) << "an option not chosen leaves its place blank";
    EXPECT_GT(fr.ink(19, 59, 72, 10), 0.005) << "the full form prints the option's text";
}

TEST(Overlay, ThePrintersOffsetMovesEveryValue) {
    test::TempDir dir;
    const auto offsets = dir / "printer-offsets.toml";
    printing::store_printer_offset(offsets, "counter-1", {2.5, -1.5});
    printing::store_printer_offset(offsets, "counter-2", {-0.7, 0.4});
    EXPECT_NE(slurp(offsets).find("[printer.counter-1]"), std::string::npos) << slurp(offsets);
    const auto o = printing::printer_offset(offsets, "counter-1");
    ASSERT_TRUE(o);
    EXPECT_DOUBLE_EQ(o->x_mm, 2.5);
    EXPECT_DOUBLE_EQ(o->y_mm, -1.5);
    EXPECT_FALSE(printing::printer_offset(offsets, "counter-3"));

    // An overlay job to counter-1 gets its offset; a full job is never moved.
    const auto opts = printing::options_for_printer(overlay_form(), "counter-1", {}, offsets);
    EXPECT_DOUBLE_EQ(opts.offset_x_mm, 2.5);
    EXPECT_DOUBLE_EQ(opts.offset_y_mm, -1.5);
    const auto full_opts = printing::options_for_printer(full_form(), "counter-1", {}, offsets);
    EXPECT_DOUBLE_EQ(full_opts.offset_x_mm, 0);
    EXPECT_DOUBLE_EQ(full_opts.offset_y_mm, 0);
    EXPECT_DOUBLE_EQ(printing::options_for_printer(overlay_form(), "counter-3", {}, offsets).offset_x_mm, 0);

    for (const printing::PrinterOffset off : {printing::PrinterOffset{2.5, -1.5}, printing::PrinterOffset{-0.7, 0.4}}) {
        printing::PdfOptions shifted;
        shifted.offset_x_mm = off.x_mm;
        shifted.offset_y_mm = off.y_mm;
        const auto a = test::pdf_words(write(dir, "a.pdf", overlay_form()));
        const auto b = test::pdf_words(write(dir, "b.pdf", overlay_form(), shifted));
        ASSERT_EQ(a.size(), b.size());
        ASSERT_GE(a.size(), 15u);
        for (std::size_t i = 0; i < a.size(); ++i) {
            EXPECT_EQ(a[i].text, b[i].text);
            EXPECT_NEAR(b[i].x0 - a[i].x0, off.x_mm, 0.2) << a[i].text;
            EXPECT_NEAR(b[i].y0 - a[i].y0, off.y_mm, 0.2) << a[i].text;
        }
    }
    // The tick moves with the values.
    printing::PdfOptions right;
    right.offset_x_mm = 6;
    const auto page = test::rasterise(write(dir, "c.pdf", overlay_form(), right), 60);
    EXPECT_GT(page.ink(111.5, 121, 5, 5), 0.05);
    EXPECT_LT(page.ink(104, 119, 6.5, 8), 0.01);
}

TEST(Overlay, OffsetsFileMistakesAreNamed) {
    test::TempDir dir;
    const auto offsets = dir / "printer-offsets.toml";
    EXPECT_TRUE(printing::load_printer_offsets(offsets).empty()) << "no file: no offsets";
    std::ofstream(offsets) << "[printer.counter-1]\nx_mm = \"left\"\ny_mm = 1\n";
    try {
        printing::load_printer_offsets(offsets);
        FAIL();
    } catch (const printing::PrintError& e) {
        EXPECT_NE(std::string(e.what()).find("printer \"counter-1\" needs x_mm and y_mm"), std::string::npos)
            << e.what();
    }
}

TEST(Overlay, PreviewsShowTheBackgroundAndPrintJobsNever) {
    test::TempDir dir;
    printing::PdfOptions preview;
    preview.draw_background = true;
    auto images = [](const std::filesystem::path& pdf) {
        return run("pdfimages -list " + shell_quote(pdf.string()) + " | tail -n +3").output;
    };
    const auto with = images(write(dir, "preview.pdf", overlay_form(), preview));
    keep(dir / "preview.pdf", "preview.pdf");
    // One image, the 60 dpi scan of the official form (497 x 702 px).
    EXPECT_EQ(std::count(with.begin(), with.end(), '\n'), 1) << with;
    EXPECT_NE(with.find("497   702"), std::string::npos) << with;
    // A print job's options leave it out, whatever the printer's offset.
    EXPECT_EQ(images(write(dir, "job.pdf", overlay_form(),
                           printing::options_for_printer(overlay_form(), "counter-1", {}, dir / "none.toml"))),
              "");
    // The background fills the A4 page under the values: its grey rules show.
    const auto page = test::rasterise(dir / "preview.pdf", 60);
    EXPECT_GT(page.ink(14, 78, 182, 14, 200), 0.02) << "the official form's box round the address";

    // kakanai-forms preview, as the administrator runs it: the background is there too.
    const auto out = dir / "cli.pdf";
    const auto r = run(shell_quote((test::binary_dir() / "tools/kakanai-forms").string()) + " --forms " +
                       shell_quote(overlay_dir().string()) + " --date 2026-12-02 preview inkan_overlay --out " +
                       shell_quote(out.string()) + " 2>&1");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    const auto listed = images(out);
    EXPECT_EQ(std::count(listed.begin(), listed.end(), '\n'), 1) << listed;
    EXPECT_NE(run("pdftotext " + shell_quote(out.string()) + " -").output.find("見本"), std::string::npos)
        << "a preview is marked as one";
}

TEST(Calibration, ThePageShowsItsCrossesAndHowToMeasure) {
    test::TempDir dir;
    const auto pdf = dir / "calibrate.pdf";
    printing::write_file_atomic(pdf, printing::render_calibration_pdf("counter-1"));
    keep(pdf, "calibration.pdf");
    const std::string text = run("pdftotext " + shell_quote(pdf.string()) + " -").output;
    for (const char* s : {"プリンターの位置合わせ", "counter-1", "X 105.0 mm, Y 148.5 mm", "DX = 105.0 − X",
                          "kakanai-print calibrate counter-1 --offset DX DY", "fit-to-page"})
        EXPECT_NE(text.find(s), std::string::npos) << s << "\n" << text;
    // A cross at every mark: ink on its lines, none in the quarter between them.
    const auto page = test::rasterise(pdf, 150);
    for (const auto& m : printing::calibration_marks()) {
        EXPECT_GT(page.ink(m.x_mm - 6, m.y_mm - 0.3, 2, 0.6), 0.3) << m.x_mm << "," << m.y_mm;
        EXPECT_GT(page.ink(m.x_mm - 0.3, m.y_mm + 4, 0.6, 2), 0.3) << m.x_mm << "," << m.y_mm;
        EXPECT_LT(page.ink(m.x_mm + 0.7, m.y_mm - 1.7, 0.8, 0.8), 0.01) << m.x_mm << "," << m.y_mm;
    }
}

TEST(Calibration, TheCommandLineShowsAndRefusesWhatIsNotAnOffset) {
    test::TempDir dir;
    const std::string tool = "KAKANAI_PRINTER_OFFSETS=" + shell_quote((dir / "offsets.toml").string()) + " " +
                             shell_quote((test::binary_dir() / "tools/kakanai-print").string());
    const auto none = run(tool + " calibrate counter-1 --show");
    EXPECT_EQ(none.exit_code, 0);
    EXPECT_EQ(none.output, "counter-1: 補正なし / no offset stored (" + (dir / "offsets.toml").string() + ")\n");
    printing::store_printer_offset(dir / "offsets.toml", "counter-1", {-1.2, 0.6});
    const auto shown = run(tool + " calibrate counter-1 --show");
    EXPECT_EQ(shown.output, "counter-1: x -1.2 mm, y +0.6 mm (" + (dir / "offsets.toml").string() + ")\n");

    const auto bad = run(tool + " calibrate counter-1 --offset 1,5 0.6 2>&1");
    EXPECT_EQ(bad.exit_code, 2);
    EXPECT_EQ(bad.output,
              "kakanai-print: 補正は mm の数値で指定します / --offset takes two numbers of mm within ±20 (DX right, DY "
              "down), e.g. --offset -1.2 0.6: got \"1,5\"\n");
    const auto far = run(tool + " calibrate counter-1 --offset 0 -35 2>&1");
    EXPECT_EQ(far.exit_code, 2);
    EXPECT_NE(far.output.find("got \"-35\""), std::string::npos) << far.output;
    const auto one = run(tool + " calibrate counter-1 --offset 1 2>&1");
    EXPECT_EQ(one.exit_code, 2) << one.output;
    // Nothing was stored by the refused ones.
    EXPECT_EQ(run(tool + " calibrate counter-1 --show").output, shown.output);
}
