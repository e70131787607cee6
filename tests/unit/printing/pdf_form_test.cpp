// `kakanai-forms new --from-pdf`: a starter template from a PDF form. The PDF
// forms are our own templates printed in full, so every box they hold is known.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <iostream>

#include "kakanai/forms/template.hpp"
#include "kakanai/printing/pdf.hpp"
#include "kakanai/printing/pdf_form.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using kakanai::test::run;
using kakanai::test::shell_quote;
using namespace kakanai;

namespace {

std::string cli() { return shell_quote((test::binary_dir() / "tools/kakanai-forms").string()); }
std::string q(const fs::path& p) { return shell_quote(p.string()); }

// A box the printed form draws: the template's field, grid, check and box
// items, and every row of its groups.
struct Known {
    double x, y, w, h;
    std::string label;  // the caption printed inside it (a field's label), or empty
};

std::vector<Known> known_boxes(const forms::Template& t) {
    std::vector<Known> out;
    auto add = [&](const forms::LayoutItem& i, double dy, const forms::Field* f) {
        if (i.kind != "field" && i.kind != "grid" && i.kind != "check" && i.kind != "box") return;
        out.push_back({i.x, i.y + dy, i.w, i.h, i.kind == "field" && i.show_label && f ? f->label.ja : ""});
    };
    for (const auto& i : t.layout) add(i, 0, t.field(i.field));
    for (const auto& g : t.groups)
        for (int row = 0; row < g.max; ++row)
            for (const auto& i : g.items) add(i, row * g.pitch, g.field(i.field));
    return out;
}

bool within(double a, double b, double mm) { return std::abs(a - b) <= mm; }

// Found: a proposed item whose four sides lie within 2 mm of the known box's.
// A field's item before a plain frame.
const forms::LayoutItem* found(const forms::Template& starter, const Known& k) {
    const forms::LayoutItem* frame = nullptr;
    for (const auto& i : starter.layout)
        if (i.kind != "label" && within(i.x, k.x, 2) && within(i.y, k.y, 2) && within(i.x + i.w, k.x + k.w, 2) &&
            within(i.y + i.h, k.y + k.h, 2)) {
            if (i.kind != "box") return &i;
            frame = &i;
        }
    return frame;
}

struct Rates {
    std::size_t boxes = 0, found = 0, labelled = 0, named = 0;
    std::string misses;  // what was not found or not named, for the log
    double found_rate() const { return boxes ? double(found) / double(boxes) : 0; }
    double named_rate() const { return labelled ? double(named) / double(labelled) : 0; }
};

Rates measure(const forms::Template& original, const forms::Template& starter) {
    Rates r;
    for (const Known& k : known_boxes(original)) {
        ++r.boxes;
        const forms::LayoutItem* i = found(starter, k);
        const std::string where = "(" + std::to_string(k.x) + ", " + std::to_string(k.y) + ", " +
                                  std::to_string(k.w) + " x " + std::to_string(k.h) + ")";
        if (!i) {
            r.misses += "  not found: " + where + " " + k.label + "\n";
            continue;
        }
        ++r.found;
        if (k.label.empty()) continue;
        ++r.labelled;
        const forms::Field* f = starter.field(i->field);
        if (f && f->label.ja == k.label) ++r.named;
        else r.misses += "  named " + (f ? f->label.ja : "-") + " instead of " + k.label + " " + where + "\n";
    }
    return r;
}

std::string read(const fs::path& p) {
    std::ifstream in(p);
    return {std::istreambuf_iterator<char>(in), {}};
}

// The form with nothing filled in, as a town's PDF form is.
forms::FilledForm blank(const forms::Template& t) {
    forms::FilledForm f;
    f.template_id = t.id;
    f.template_version = t.version;
    return f;
}

class FromPdf : public ::testing::TestWithParam<std::string> {};

}  // namespace

// The administrator's path: preview our form as a PDF, start a template from
// it, and find its boxes again, each named after its caption.
TEST_P(FromPdf, FindsTheBoxesOfOurOwnFormAndNamesThem) {
    const std::string id = GetParam();
    test::TempDir dir;
    const fs::path pdf = dir / (id + ".pdf");
    ASSERT_EQ(run(cli() + " preview " + id + " --out " + q(pdf)).exit_code, 0);
    const auto r = run(cli() + " new --from-pdf " + q(pdf) + " --id town_" + id + " --out " + q(dir / "out") + " 2>&1");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("wrote " + (dir / "out" / ("town_" + id + ".toml")).string() + ": "), std::string::npos)
        << r.output;

    const forms::Template original = forms::load_template(test::forms_dir() / (id + ".toml"));
    const forms::Template starter = forms::load_template(dir / "out" / ("town_" + id + ".toml"));
    const Rates rates = measure(original, starter);
    std::cout << id << ": " << rates.found << " of " << rates.boxes << " boxes found within 2 mm ("
              << std::lround(100 * rates.found_rate()) << " %); " << rates.named << " of " << rates.labelled
              << " captioned boxes named after their caption (" << std::lround(100 * rates.named_rate()) << " %)\n"
              << rates.misses;
    RecordProperty("found_percent", int(std::lround(100 * rates.found_rate())));
    RecordProperty("named_percent", int(std::lround(100 * rates.named_rate())));
    EXPECT_GE(rates.found_rate(), 0.8);
    EXPECT_GE(rates.named_rate(), 0.8);

    // The picture of the page is the starter's background; every field waits for its binding.
    EXPECT_EQ(starter.background, dir / "out" / ("town_" + id + ".png"));
    ASSERT_FALSE(starter.fields.empty());
    for (const auto& f : starter.fields) EXPECT_EQ(f.source, forms::Source::None) << f.id;
    EXPECT_NE(read(dir / "out" / ("town_" + id + ".toml")).find("from = \"none\"   # TO BIND (placeholder)"),
              std::string::npos);

    // It validates as it is, and previews.
    const auto v = run(cli() + " validate " + q(dir / "out" / ("town_" + id + ".toml")));
    EXPECT_EQ(v.exit_code, 0) << v.output;
    EXPECT_EQ(v.output, "ok: 1 template(s) valid\n");
    const auto p = run(cli() + " --forms " + q(dir / "out") + " preview town_" + id + " --out " + q(dir / "p.pdf") +
                       " 2>&1");
    EXPECT_EQ(p.exit_code, 0) << p.output;
}

INSTANTIATE_TEST_SUITE_P(OurForms, FromPdf, ::testing::Values("inkan_touroku", "juminhyo", "tenkyo"));

// The blank form (as a town's PDF is: no values in the boxes), read through the library.
TEST(FromPdfLibrary, BlankFormsOfTheCatalogue) {
    test::TempDir dir;
    Rates all;
    for (const char* id : {"inkan_touroku", "juminhyo", "tenkyo", "kokuho_shutoku", "jidou_teate"}) {
        const forms::Template t = forms::load_template(test::forms_dir() / (std::string(id) + ".toml"));
        const fs::path pdf = dir / (std::string(id) + ".pdf");
        printing::write_file_atomic(pdf, printing::render_pdf(t, blank(t)));
        const printing::PdfFormPage page = printing::read_pdf_form(pdf);
        EXPECT_NEAR(page.width_mm, 210, 0.5);
        EXPECT_NEAR(page.height_mm, 297, 0.5);
        EXPECT_EQ(page.picture.width, 1240);  // A4 at 150 dpi
        const printing::ProposedTemplate p = printing::propose_template(page);
        // The title is the page's largest text, and no label repeats it.
        EXPECT_EQ(p.title, t.title.ja) << id;
        for (const auto& l : p.labels) EXPECT_NE(l.text, t.title.ja) << id;
        const std::string town = std::string("town_") + id;
        printing::write_png(dir / (town + ".png"), page.picture);
        std::ofstream(dir / (town + ".toml")) << printing::starter_toml(p, town, town + ".png", pdf.filename().string(),
                                                                        "2026-12-02");
        const forms::Template starter = forms::load_template(dir / (town + ".toml"));
        const Rates r = measure(t, starter);
        std::cout << id << " (blank): " << r.found << " of " << r.boxes << " boxes found, " << r.named << " of "
                  << r.labelled << " named\n" << r.misses;
        EXPECT_GE(r.found_rate(), 0.8) << id;
        EXPECT_GE(r.named_rate(), 0.8) << id;
        all.boxes += r.boxes;
        all.found += r.found;
        all.labelled += r.labelled;
        all.named += r.named;
    }
    std::cout << "blank forms: " << all.found << " of " << all.boxes << " boxes found, " << all.named << " of "
              << all.labelled << " named\n";
}

// Ids come from the labels' meaning where it is known, else field_NN; repeats are numbered.
TEST(FromPdfLibrary, FieldIdsFollowTheirLabels) {
    printing::PdfFormPage page;
    page.width_mm = 210;
    page.height_mm = 297;
    page.texts = {{"氏名", 16.5, 40, 5.3, 2.6}, {"氏名", 106.5, 40, 5.3, 2.6}, {"生年月日", 16.5, 60, 10.6, 2.6},
                  {"Phone number", 16.5, 80, 20, 2.6}, {"ご意見", 16.5, 100, 10, 2.6}};
    page.boxes = {{15, 39, 90, 12}, {105, 39, 90, 12}, {15, 59, 90, 12}, {15, 79, 90, 12}, {15, 99, 90, 12},
                  {40, 120, 48, 10, 8}};
    const auto p = printing::propose_template(page);
    ASSERT_EQ(p.fields.size(), 6u);
    EXPECT_EQ(p.fields[0].id, "name");
    EXPECT_EQ(p.fields[0].suggest, "card.name");
    EXPECT_EQ(p.fields[1].id, "name_2");
    EXPECT_EQ(p.fields[2].id, "birth_date");
    EXPECT_EQ(p.fields[3].id, "phone_number");
    EXPECT_EQ(p.fields[4].id, "field_05");
    EXPECT_EQ(p.fields[4].label, "ご意見");
    EXPECT_EQ(p.fields[5].id, "field_06");  // a grid with nothing near it
    EXPECT_EQ(p.fields[5].label, "項目06");
    EXPECT_EQ(p.fields[5].kind, "grid");
    EXPECT_TRUE(p.labels.empty());
}

// A town's table: a cell holding only 氏名 names the empty cell beside it; a
// check box takes the text on its right; a frame around boxes stays a frame.
TEST(FromPdfLibrary, CaptionCellsNameTheirNeighbours) {
    printing::PdfFormPage page;
    page.width_mm = 210;
    page.height_mm = 297;
    page.texts = {{"氏名", 24, 43.5, 7, 3}, {"住所", 24, 53.5, 7, 3}, {"本人", 60, 71, 7, 3},
                  {"記入上の注意", 15, 90, 20, 3}};
    page.boxes = {{15, 40, 25, 10}, {40, 40, 100, 10}, {15, 50, 25, 10}, {40, 50, 100, 10},
                  {52, 70, 5, 5}, {10, 35, 140, 45}};
    const auto p = printing::propose_template(page);
    std::vector<std::string> got;
    for (const auto& f : p.fields) got.push_back(f.kind + ":" + f.id + ":" + f.label);
    EXPECT_EQ(got, (std::vector<std::string>{"field:name:氏名", "field:address:住所", "check:field_03:本人",
                                             "box::"}))
        << ::testing::PrintToString(got);
    for (const auto& f : p.fields) EXPECT_FALSE(f.label_inside) << f.id;
    // The captions stay on the page as labels, beside the notes.
    ASSERT_EQ(p.labels.size(), 4u);
    EXPECT_EQ(p.labels[0].text, "氏名");
}

// The line detection written for this: boxes, a grid of equal cells, and no box in a QR-like blot or in text.
TEST(FromPdfLibrary, FindsBoxesOnAPicture) {
    printing::GrayImage img;
    img.dpi = 150;
    img.width = 1240;
    img.height = 600;
    img.pixels.assign(std::size_t(img.width) * img.height, 255);
    const double px = 150 / 25.4;
    auto dark = [&](double x0, double y0, double x1, double y1) {  // mm
        for (int y = int(y0 * px); y <= int(y1 * px); ++y)
            for (int x = int(x0 * px); x <= int(x1 * px); ++x) img.pixels[std::size_t(y) * img.width + x] = 0;
    };
    auto rect = [&](double x, double y, double w, double h) {
        dark(x, y, x + w, y + 0.2);
        dark(x, y + h, x + w, y + h + 0.2);
        dark(x, y, x + 0.2, y + h);
        dark(x + w, y, x + w + 0.2, y + h);
    };
    rect(15, 20, 90, 12);
    rect(105, 20, 90, 12);  // shares its left side with the first
    for (int c = 0; c < 8; ++c) rect(15 + 6 * c, 40, 6, 10);  // a grid of 8 cells
    rect(120, 40, 6, 6);                                     // a check box
    dark(150, 40, 170, 60);                                  // a filled square: no box
    rect(15, 60, 40, 12);                                    // a box hidden under text
    const auto boxes = printing::find_boxes(img, {{"text", 14, 59, 43, 15}});
    ASSERT_EQ(boxes.size(), 4u);
    auto near = [](const printing::PdfBox& b, double x, double y, double w, double h) {
        return std::abs(b.x - x) < 0.5 && std::abs(b.y - y) < 0.5 && std::abs(b.w - w) < 0.5 && std::abs(b.h - h) < 0.5;
    };
    EXPECT_TRUE(near(boxes[0], 15, 20, 90, 12));
    EXPECT_TRUE(near(boxes[1], 105, 20, 90, 12));
    EXPECT_TRUE(near(boxes[2], 15, 40, 48, 10));
    EXPECT_EQ(boxes[2].cells, 8);
    EXPECT_TRUE(near(boxes[3], 120, 40, 6, 6));
    EXPECT_EQ(boxes[3].cells, 1);
}

// A form written on lines (氏名 ＿＿＿＿) gets a field above each line; a page with nothing to write in, one example field.
TEST(FromPdfLibrary, LinesToWriteOnBecomeFields) {
    test::TempDir dir;
    std::ofstream(dir / "lined.toml") << R"(format = 1
id = "lined"
version = 1
valid_from = 2024-04-01
department = "住民課"
source = "test"
checked = 2026-12-02
title = { ja = "罫線の届", en = "Lined form", easy = "せんの とどけ" }
[[fields]]
id = "memo"
type = "text"
from = "none"
label = { ja = "メモ" }
[page]
items = [
  { kind = "label", text = { ja = "氏名" }, x = 15, y = 40, w = 20, h = 7 },
  { kind = "line", x = 40, y = 46, w = 100, h = 0 },
  { kind = "label", text = { ja = "住所" }, x = 15, y = 60, w = 20, h = 7 },
  { kind = "line", x = 40, y = 66, w = 150, h = 0 },
]
)";
    const forms::Template t = forms::load_template(dir / "lined.toml");
    printing::write_file_atomic(dir / "lined.pdf", printing::render_pdf(t, blank(t)));
    const auto page = printing::read_pdf_form(dir / "lined.pdf");
    const auto p = printing::propose_template(page);
    ASSERT_EQ(p.fields.size(), 2u);
    EXPECT_EQ(p.fields[0].id, "name");
    EXPECT_EQ(p.fields[0].label, "氏名");
    EXPECT_FALSE(p.fields[0].label_inside);
    EXPECT_NEAR(p.fields[0].box.x, 40, 1);
    EXPECT_NEAR(p.fields[0].box.y + p.fields[0].box.h, 46, 1);
    EXPECT_NEAR(p.fields[0].box.w, 100, 1);
    EXPECT_EQ(p.fields[1].id, "address");
    EXPECT_EQ(p.fields[1].label, "住所");
    EXPECT_EQ(p.title, "罫線の届");

    printing::PdfFormPage empty;
    empty.width_mm = 210;
    empty.height_mm = 297;
    const auto e = printing::propose_template(empty);
    ASSERT_EQ(e.fields.size(), 1u);
    EXPECT_EQ(e.fields[0].id, "field_01");
}

// What the administrator sees for a file that is no usable PDF; nothing is written.
TEST(FromPdfCli, RefusesWhatIsNoUsablePdf) {
    test::TempDir dir;
    const fs::path text = dir / "form.pdf", broken = dir / "broken.pdf", locked = dir / "locked.pdf",
                   plain = dir / "plain.pdf";
    std::ofstream(text) << "申請書\n";
    std::ofstream(broken) << "%PDF-1.4\n1 0 obj << /Type /Catalog >>\nthis is not the rest of a PDF\n";
    forms::Template t = forms::load_template(test::forms_dir() / "inkan_touroku.toml");
    printing::write_file_atomic(plain, printing::render_pdf(t, blank(t)));
    ASSERT_EQ(run("qpdf --encrypt open owner 256 -- " + q(plain) + " " + q(locked)).exit_code, 0);

    const std::string out = " --out " + q(dir / "out") + " 2>&1";
    auto r = run(cli() + " new --from-pdf " + q(text) + out);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.output, "kakanai-forms: " + text.string() +
                            ": not a PDF file (it does not start with %PDF-); give the town's form as a PDF\n");
    r = run(cli() + " new --from-pdf " + q(broken) + out);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.output, "kakanai-forms: " + broken.string() +
                            ": the PDF is damaged and cannot be read; save it again from the program that made it, "
                            "or ask the town for a new copy\n");
    r = run(cli() + " new --from-pdf " + q(locked) + out);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.output, "kakanai-forms: " + locked.string() +
                            ": the PDF is protected by a password; save an unprotected copy (open it and print it "
                            "to a new PDF) and try again\n");
    r = run(cli() + " new --from-pdf " + q(dir / "missing.pdf") + out);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.output, "kakanai-forms: " + (dir / "missing.pdf").string() + ": no such file\n");
    EXPECT_FALSE(fs::exists(dir / "out"));

    // A good one, then the same again: the files already there are kept.
    r = run(cli() + " new --from-pdf " + q(plain) + out);
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_TRUE(fs::exists(dir / "out" / "plain.toml"));
    EXPECT_TRUE(fs::exists(dir / "out" / "plain.png"));
    r = run(cli() + " new --from-pdf " + q(plain) + out);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.output, "kakanai-forms: " + (dir / "out" / "plain.toml").string() +
                            " already exists; choose another --id or --out\n");
    r = run(cli() + " new --from-pdf " + q(plain) + " --id 印鑑" + out);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(run(cli() + " new 2>&1").exit_code, 2);
}
