// The real PDF, read back with poppler (pdftotext, pdffonts, pdftoppm) and qpdf.
#include <gtest/gtest.h>
#include <qrencode.h>

#include <fstream>

#include "kakanai/forms/prefill.hpp"
#include "kakanai/printing/cups.hpp"
#include "kakanai/printing/pdf.hpp"
#include "pdf_check.hpp"
#include "test_support.hpp"

using namespace kakanai;

namespace {

std::filesystem::path data_dir() { return test::source_dir() / "tests/unit/printing/data"; }

const forms::Template& all_kinds() {
    static const forms::Template t = forms::load_template(data_dir() / "all_kinds.toml");
    return t;
}

forms::FilledForm fill(const std::string& name, const std::string& address = "東京都千代田区霞が関2丁目1番2号",
                       forms::Answers answers = {{"postal", "100-8914"}, {"copies", "2"}, {"consent", "true"},
                                                 {"mail", "false"}}) {
    const forms::CardData card{name, address, "1980-02-17", "female", true};
    return forms::prefill(all_kinds(), card, answers, "2026-11-23");
}

struct Rendered {
    test::TempDir dir;
    std::filesystem::path file;
    printing::RenderReport report;
};

std::unique_ptr<Rendered> render(const forms::Template& t, const forms::FilledForm& form,
                                 printing::PdfOptions options = {}) {
    auto r = std::make_unique<Rendered>();
    if (options.application_id.empty()) options.application_id = "A-TEST-0001";
    r->file = r->dir / "form.pdf";
    printing::write_file_atomic(r->file, printing::render_pdf(t, form, options, &r->report));
    return r;
}

std::string joined(const std::string& s) {
    std::string o;
    for (char c : s)
        if (c != '\n' && c != ' ') o += c;
    return o;
}

}  // namespace

TEST(PdfRender, FontSubsetsNeverTouchTheDisk) {
    const auto before = test::run("ls /tmp | grep -c kakanai-font-").output;
    auto r = render(all_kinds(), fill("髙橋 \u9FC6"));
    EXPECT_EQ(r->report.fonts.size(), 2u);
    EXPECT_EQ(test::run("ls /tmp | grep -c kakanai-font-").output, before);
}

TEST(PdfRender, ValuesSitInTheirBoxes) {
    auto r = render(all_kinds(), fill("番号 花子"));
    const auto words = test::pdf_words(r->file);
    // Left-aligned name: starts 1.5 mm inside its box (x = 20), within 1 mm, under the label.
    const auto* name = test::find_word(words, "番号");
    ASSERT_NE(name, nullptr);
    EXPECT_NEAR(name->x0, 21.5, 1.0);
    EXPECT_GT(name->y0, 45.0 + 3.0);
    EXPECT_LT(name->y1, 45.0 + 16.0);
    // Right-aligned copies: ends 1.5 mm inside the right side (135 + 55).
    const auto* copies = test::find_word(words, "2");
    ASSERT_NE(copies, nullptr);
    EXPECT_NEAR(copies->x1, 188.5, 1.0);
    // Centred date in the box 135..190.
    const auto* birth = test::find_word(words, "昭和55年2月17日");
    ASSERT_NE(birth, nullptr);
    EXPECT_NEAR((birth->x0 + birth->x1) / 2, 162.5, 1.0);
    // The label of a field at the box's top-left.
    const auto* label = test::find_word(words, "住所");
    ASSERT_NE(label, nullptr);
    EXPECT_NEAR(label->x0, 21.5, 1.0);
    EXPECT_NEAR(label->y0, 66.0, 1.0);
}

TEST(PdfRender, FooterAndQrCodeBindThePageToItsApplication) {
    auto r = render(all_kinds(), fill("番号 花子"));
    const std::string text = test::pdf_text(r->file);
    EXPECT_NE(text.find("print_test v3 A-TEST-0001 1/1"), std::string::npos) << text;
    EXPECT_EQ(r->report.pages, 1u);
    // The QR code drawn in its 30 mm square matches libqrencode's modules for the payload.
    const std::string payload = printing::qr_payload(all_kinds(), "A-TEST-0001");
    EXPECT_EQ(payload, "A-TEST-0001 print_test@3");
    QRcode* code = QRcode_encodeString(payload.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    ASSERT_NE(code, nullptr);
    const auto page = test::rasterise(r->file, 200);
    const double module = 30.0 / (code->width + 2);
    int wrong = 0;
    for (int y = 0; y < code->width; ++y)
        for (int x = 0; x < code->width; ++x) {
            const bool dark = code->data[y * code->width + x] & 1;
            const double ink = page.ink(160 + module * (x + 1.3), 150 + module * (y + 1.3), module * 0.4, module * 0.4);
            wrong += dark != (ink > 0.5);
        }
    QRcode_free(code);
    EXPECT_EQ(wrong, 0);
}

TEST(PdfRender, FontsAreEmbeddedSubsetsAndTheFileIsSmall) {
    auto r = render(all_kinds(), fill("番号 花子"));
    const std::string fonts = test::run("pdffonts " + test::shell_quote(r->file.string())).output;
    int font_lines = 0;
    std::istringstream in(fonts);
    std::string line;
    for (int i = 0; std::getline(in, line); ++i) {
        if (i < 2) continue;  // header
        ++font_lines;
        EXPECT_NE(line.find("yes yes"), std::string::npos) << "not an embedded subset: " << line;
    }
    EXPECT_GE(font_lines, 1) << fonts;
    ASSERT_FALSE(r->report.fonts.empty());
    const auto& main = r->report.fonts.front();
    EXPECT_GT(main.file_bytes, 5'000'000u);
    EXPECT_LT(main.subset_bytes, 60'000u);
    EXPECT_LE(std::filesystem::file_size(r->file), 40u * 1024) << "a one-page form should stay under 40 KB";
}

TEST(PdfRender, QpdfFindsNoProblem) {
    auto r = render(all_kinds(), fill("髙橋 𠮷子", std::string(60, 'x')));
    const auto check = test::run("qpdf --check " + test::shell_quote(r->file.string()) + " 2>&1");
    EXPECT_EQ(check.exit_code, 0) << check.output;
    EXPECT_NE(check.output.find("No syntax or stream encoding errors"), std::string::npos) << check.output;
}

TEST(PdfRender, RareKanjiInTheBmpRoundTripThroughAFallbackFont) {
    // 﨑 and 髙 are in IPAex; 鿆 (U+9FC6) is only in IPAmj Mincho.
    auto r = render(all_kinds(), fill("髙橋 﨑子 \u9FC6"));
    const std::string text = test::pdf_text(r->file);
    EXPECT_NE(text.find("髙橋 﨑子 \u9FC6"), std::string::npos) << text;
    bool fallback_used = false;
    for (const auto& f : r->report.fonts) fallback_used = fallback_used || f.file.filename() == "ipamjm.ttf";
    EXPECT_TRUE(fallback_used);
}

TEST(PdfRender, CharactersOutsideTheBmpAreDrawnAsOutlinesAndNeverReplaced) {
    auto r = render(all_kinds(), fill("𠮷田 太郎"));
    EXPECT_EQ(r->report.outline_glyphs, 1u);
    const std::string text = test::pdf_text(r->file);
    // Every other character is text; nothing stands in for 𠮷 (no 吉, no ?, no replacement character).
    EXPECT_NE(text.find("田 太郎"), std::string::npos) << text;
    EXPECT_EQ(text.find("吉"), std::string::npos) << text;
    EXPECT_EQ(text.find("?"), std::string::npos) << text;
    EXPECT_EQ(text.find("\xEF\xBF\xBD"), std::string::npos) << text;
    // The glyph is on the page: ink where the first 16 pt character of the name sits, left of 田.
    const auto words = test::pdf_words(r->file);
    const auto* rest = test::find_word(words, "田");
    ASSERT_NE(rest, nullptr);
    const auto page = test::rasterise(r->file, 150);
    EXPECT_NEAR(rest->x0, 21.5 + 16 * 25.4 / 72, 0.5) << "田 should follow a full-width glyph";
    EXPECT_GT(page.ink(21.5, rest->y0, rest->x0 - 21.5, rest->y1 - rest->y0), 0.08);
}

TEST(PdfRender, ACharacterNoFontHasIsRefusedByName) {
    try {
        printing::render_pdf(all_kinds(), fill("山田 \U0001F600"));
        FAIL() << "rendered a character no font has";
    } catch (const printing::UnprintableCharacterError& e) {
        EXPECT_EQ(e.code_point(), U'\U0001F600');
        EXPECT_EQ(e.field_id(), "name");
        EXPECT_NE(std::string(e.what()).find("U+1F600"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("name"), std::string::npos) << e.what();
    }
    EXPECT_THROW(printing::render_pdf(all_kinds(), fill("山田 \xFF")), printing::UnprintableCharacterError);
}

TEST(PdfRender, ALongAddressShrinksThenWrapsInsideItsBox) {
    const std::string address =
        "北海道札幌市中央区北一条西二丁目一番地 札幌市役所本庁舎 十八階 市民課 窓口 気付 様方 番号 花子";
    auto r = render(all_kinds(), fill("番号 花子", address));
    ASSERT_EQ(r->report.wrapped, std::vector<std::string>{"address"});
    const std::string text = test::pdf_text(r->file);
    EXPECT_NE(joined(text).find(joined(address)), std::string::npos) << text;
    for (const auto& w : test::pdf_words(r->file)) {
        if (w.y0 < 65 || w.y1 > 83 || w.x0 > 130) continue;  // the address box: 20..130 x 65..83
        EXPECT_GE(w.x0, 20.0) << w.text;
        EXPECT_LE(w.x1, 130.0) << w.text;
    }
}

// The longest address of the test cards (tests/cards/long_address.toml) on the
// 住民票 request: every word inside the 住所 box, and the whole address there.
TEST(PdfRender, TheLongestCardAddressFitsTheJuminhyoAddressBox) {
    std::ifstream profile(test::card_profile("long_address"));
    std::string line, address;
    while (std::getline(profile, line))
        if (line.rfind("address = \"", 0) == 0) address = line.substr(11, line.size() - 12);
    ASSERT_GT(address.size(), 60u);
    const forms::Template t = forms::load_template(test::forms_dir() / "juminhyo.toml");
    const forms::LayoutItem* box = nullptr;
    for (const auto& item : t.layout)
        if (item.field == "applicant_address") box = &item;
    ASSERT_NE(box, nullptr);
    const forms::CardData card{"長住 所子", address, "1962-07-21", "female", true};
    auto r = render(t, forms::prefill(t, card, {{"applicant_kana", "ナガスミ ショコ"}}, "2026-11-23"));
    std::string inside;
    for (const auto& w : test::pdf_words(r->file)) {
        const double cx = (w.x0 + w.x1) / 2, cy = (w.y0 + w.y1) / 2;
        if (cx < box->x || cx > box->x + box->w || cy < box->y || cy > box->y + box->h) continue;
        EXPECT_GE(w.x0, box->x - 0.2) << "a word sticks out of the 住所 box on the left";
        EXPECT_LE(w.x1, box->x + box->w + 0.2) << "a word sticks out of the 住所 box on the right";
        EXPECT_GE(w.y0, box->y - 0.2) << "a word sticks out of the 住所 box at the top";
        EXPECT_LE(w.y1, box->y + box->h + 0.2) << "a word sticks out of the 住所 box at the bottom";
        inside += w.text;
    }
    EXPECT_EQ(joined(inside), "住所" + joined(address)) << "the 住所 box does not hold exactly the whole address";
}

TEST(PdfRender, AnAddressThatCannotFitIsReportedNotClipped) {
    std::string address;
    for (int i = 0; i < 30; ++i) address += "東京都千代田区霞が関";
    try {
        printing::render_pdf(all_kinds(), fill("番号 花子", address));
        FAIL() << "an address of " << address.size() << " bytes was drawn into a 110 x 18 mm box";
    } catch (const printing::TextDoesNotFitError& e) {
        EXPECT_EQ(e.field_id(), "address");
        EXPECT_EQ(e.label(), "住所");
        const std::string what = e.what();
        EXPECT_NE(what.find("does not fit"), std::string::npos) << what;
        EXPECT_EQ(what.find("霞が関"), std::string::npos) << "the message must not carry the resident's data";
    }
}

TEST(PdfRender, GridHasOneCharacterPerCell) {
    auto r = render(all_kinds(), fill("番号 花子"));
    const auto words = test::pdf_words(r->file);
    const std::string digits = "1008914";
    int found = 0;
    for (const auto& w : words) {
        if (w.y0 < 95 || w.y1 > 104 || w.x1 > 76) continue;  // the grid: 20..76 x 95..104
        ASSERT_EQ(w.text.size(), 1u) << "more than one character in a cell: " << w.text;
        const int cell = static_cast<int>((w.x0 - 20) / 8);
        EXPECT_LE(w.x1, 20 + 8.0 * (cell + 1)) << w.text;
        EXPECT_EQ(w.text[0], digits[static_cast<std::size_t>(cell)]);
        ++found;
    }
    EXPECT_EQ(found, 7);
    try {
        printing::render_pdf(all_kinds(), fill("番号 花子", "東京都", {{"postal", "100891412"}}));
        FAIL();
    } catch (const printing::TextDoesNotFitError& e) {
        EXPECT_EQ(e.field_id(), "postal");
    }
}

TEST(PdfRender, ChecksAndCirclesMarkOnlyTheChosenOptions) {
    auto r = render(all_kinds(), fill("番号 花子"));
    const auto page = test::rasterise(r->file, 150);
    // consent is true (140,95 6x6), mail false (160,95): compare the inside of the boxes.
    EXPECT_GT(page.ink(141, 96, 4, 4), 0.10);
    EXPECT_LT(page.ink(161, 96, 4, 4), 0.01);
    // female is chosen (115,95 8x8): the ring runs just outside the box, left and right.
    EXPECT_GT(page.ink(113.6, 97, 1.2, 4), 0.10);
    EXPECT_LT(page.ink(98.6, 97, 1.2, 4), 0.01);
    const std::string text = test::pdf_text(r->file);
    EXPECT_NE(text.find("男"), std::string::npos);
    EXPECT_NE(text.find("女"), std::string::npos);
}

TEST(PdfRender, EnglishLinesUnderLabelsOnlyWhenAsked) {
    auto plain = render(all_kinds(), fill("番号 花子"));
    EXPECT_EQ(test::pdf_text(plain->file).find("Date of birth"), std::string::npos);
    printing::PdfOptions o;
    o.english_labels = true;
    auto english = render(all_kinds(), fill("番号 花子"), o);
    const auto words = test::pdf_words(english->file);
    const auto* ja = test::find_word(words, "生年月日");
    const auto* en = test::find_word(words, "Date");
    ASSERT_NE(ja, nullptr);
    ASSERT_NE(en, nullptr);
    EXPECT_NEAR(en->x0, ja->x0, 0.5);
    EXPECT_GT(en->y0, ja->y1 - 0.3) << "the English line goes under the label";
    EXPECT_NE(test::pdf_text(english->file).find("To the Mayor"), std::string::npos);
}

TEST(PdfRender, BackgroundImagesPngAndJpeg) {
    const auto t = forms::load_template(data_dir() / "background.toml");
    const forms::CardData card{"番号 花子", "東京都", "1980-02-17", "female", true};
    auto r = render(t, forms::prefill(t, card, {}, "2026-11-23"));
    const auto list = test::run("pdfimages -list " + test::shell_quote(r->file.string())).output;
    EXPECT_NE(list.find("420   594  gray"), std::string::npos) << list;
    EXPECT_NE(list.find("80   112  rgb"), std::string::npos) << list;
    EXPECT_EQ(test::run("qpdf --check " + test::shell_quote(r->file.string()) + " >/dev/null").exit_code, 0);
    // The official form's grey rule (drawn at 30 px of 420, i.e. 15 mm) shows through.
    const auto page = test::rasterise(r->file, 100);
    EXPECT_GT(page.ink(14, 100, 2, 50, 200), 0.1) << "the background is not drawn";

    forms::Template broken = t;
    broken.layout[0].image = "missing.png";
    try {
        printing::render_pdf(broken, forms::prefill(t, card, {}, "2026-11-23"));
        FAIL();
    } catch (const printing::PrintError& e) {
        EXPECT_NE(std::string(e.what()).find("missing.png"), std::string::npos) << e.what();
    }
}

TEST(PdfRender, MatchesTheReviewedReferenceImage) {
    auto r = render(all_kinds(), fill("𠮷田 花子"));
    const auto page = test::rasterise(r->file, 40);
    const auto reference = data_dir() / "all_kinds.ref.png";
    if (std::getenv("KAKANAI_UPDATE_REFERENCE")) {  // after reviewing the new page by eye
        std::filesystem::copy_file(r->dir / "form-page.png", reference,
                                   std::filesystem::copy_options::overwrite_existing);
        std::filesystem::copy_file(r->file, std::string(std::getenv("KAKANAI_UPDATE_REFERENCE")) + ".pdf",
                                   std::filesystem::copy_options::overwrite_existing);
    }
    const auto ref = test::read_png(reference);
    ASSERT_EQ(page.width, ref.width);
    ASSERT_EQ(page.height, ref.height);
    double diff = 0;
    for (std::size_t i = 0; i < page.pixels.size(); ++i)
        diff += std::abs(static_cast<int>(page.pixels[i]) - static_cast<int>(ref.pixels[i]));
    diff /= static_cast<double>(page.pixels.size()) * 255.0;
    EXPECT_LT(diff, 0.002) << "mean difference to the reference " << diff
                          << "; if the change is intended, review the page and replace all_kinds.ref.png";
}

TEST(PdfFiles, PurgeRemovesEveryPdfOfTheApplicationAndNothingElse) {
    test::TempDir dir;
    for (const char* n : {"A-1.pdf", "A-1-1.pdf", "A-1-2.pdf", "A-10.pdf", "A-1-x.pdf", "A-1.txt"})
        std::ofstream(dir / n) << "x";
    EXPECT_EQ(printing::delete_application_pdfs(dir.path(), "A-1"), 3u);
    for (const char* n : {"A-1.pdf", "A-1-1.pdf", "A-1-2.pdf"}) EXPECT_FALSE(std::filesystem::exists(dir / n)) << n;
    for (const char* n : {"A-10.pdf", "A-1-x.pdf", "A-1.txt"}) EXPECT_TRUE(std::filesystem::exists(dir / n)) << n;
    EXPECT_EQ(printing::application_pdf_path(dir.path(), "A-1"), dir / "A-1.pdf");
    EXPECT_THROW(printing::delete_application_pdfs(dir.path(), "../A-1"), printing::PrintError);
    EXPECT_THROW(printing::application_pdf_path(dir.path(), ".."), printing::PrintError);
}

TEST(PdfFiles, AFailedWriteLeavesNoTemporaryFile) {
    test::TempDir dir;
    std::filesystem::create_directory(dir / "taken.pdf");  // rename onto a folder fails
    EXPECT_THROW(printing::write_file_atomic(dir / "taken.pdf", {1, 2, 3}), printing::PrintError);
    int files = 0;
    for (const auto& e : std::filesystem::directory_iterator(dir.path())) files += e.is_regular_file();
    EXPECT_EQ(files, 0);
}

TEST(PdfFiles, PrintToAFolderCopiesThePdfPrivately) {
    test::TempDir dir;
    auto r = render(all_kinds(), fill("番号 花子"));
    const auto out = printing::print_to_folder(r->file, dir / "printed", "A-TEST-0009");
    EXPECT_EQ(out, dir / "printed/A-TEST-0009.pdf");
    EXPECT_EQ(std::filesystem::file_size(out), std::filesystem::file_size(r->file));
    EXPECT_EQ(std::filesystem::status(out).permissions() & std::filesystem::perms::all,
              std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    EXPECT_EQ(std::filesystem::status(dir / "printed").permissions() & std::filesystem::perms::all,
              std::filesystem::perms::owner_all);
}
