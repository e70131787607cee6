// bench_pdf_render: one filled form (juminhyo, invented resident) rendered to
// PDF by kakanai (libharu + hb-subset) and by ReportLab (python3-reportlab,
// same font, same fields) in the same run. Prints pages/s, KB per page, the
// ratios and the targets (>= 3x ReportLab's speed, <= ReportLab's size and <= 40 KB).
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "kakanai/forms/prefill.hpp"
#include "kakanai/printing/pdf.hpp"
#include "test_support.hpp"

using namespace kakanai;

int main() {
    const auto t = forms::load_template(test::forms_dir() / "juminhyo.toml");
    const forms::CardData card{"髙橋 花子", "東京都千代田区霞が関2丁目1番2号 霞が関ハイツ301号室", "1980-02-17",
                               "female", true};
    const auto form = forms::prefill(t, card, {{"applicant_phone", "03-1234-5678"}}, "2026-11-23");
    printing::PdfOptions options;
    options.application_id = "A-BENCH-0001";

    constexpr int runs = 50;
    std::vector<std::uint8_t> pdf = printing::render_pdf(t, form, options);  // warm-up (maps the font file)
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < runs; ++i) pdf = printing::render_pdf(t, form, options);
    const double ours = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() / runs;
    printing::RenderReport report;
    pdf = printing::render_pdf(t, form, options, &report);

    // The same page for ReportLab: every box with its label and value, the title and the footer.
    nlohmann::json spec;
    spec["font"] = options.mincho_font.string();
    spec["title"] = t.title.ja;
    spec["footer"] = t.id + " v" + std::to_string(t.version) + "   " + options.application_id + "   1/1";
    for (const auto& item : t.layout) {
        nlohmann::json it{{"x", item.x}, {"y", item.y}, {"w", item.w}, {"h", item.h}, {"size", item.size},
                          {"align", item.align == forms::Align::Right    ? "right"
                                    : item.align == forms::Align::Center ? "center"
                                                                         : "left"}};
        it["kind"] = item.kind == "field" ? "box" : item.kind;
        if (item.kind == "label") it["value"] = item.text.ja;
        if (const forms::Field* f = t.field(item.field)) {
            it["label"] = f->label.ja;
            if (const auto* v = form.find(f->id)) it["value"] = v->display;
        }
        spec["items"].push_back(it);
    }
    test::TempDir dir;
    std::ofstream(dir / "form.json") << spec.dump();
    const auto rl = test::run("/usr/bin/python3 " + test::shell_quote((test::source_dir() / "bench/pdf_render_reportlab.py").string()) +
                              " " + test::shell_quote((dir / "form.json").string()) + " 20 " +
                              test::shell_quote((dir / "reportlab.pdf").string()));
    double theirs = 0;
    unsigned long theirs_bytes = 0;
    if (rl.exit_code != 0 || std::sscanf(rl.output.c_str(), "%lf %lu", &theirs, &theirs_bytes) != 2) {
        std::cerr << "ReportLab baseline failed (install python3-reportlab: scripts/install-deps)\n" << rl.output;
        return 1;
    }

    const double ours_kb = static_cast<double>(pdf.size()) / 1024.0;
    const double theirs_kb = static_cast<double>(theirs_bytes) / 1024.0;
    std::printf("kakanai   : %7.1f pages/s  %6.1f KB/page  (%.2f ms/page)\n", 1.0 / ours, ours_kb, ours * 1e3);
    std::printf("ReportLab : %7.1f pages/s  %6.1f KB/page  (%.2f ms/page)\n", 1.0 / theirs, theirs_kb, theirs * 1e3);
    for (const auto& f : report.fonts)
        std::printf("font      : %s %.0f KB -> subset %.1f KB (%zu characters)\n", f.file.filename().c_str(),
                    static_cast<double>(f.file_bytes) / 1024.0, static_cast<double>(f.subset_bytes) / 1024.0,
                    f.characters);
    const double speed = theirs / ours, size = ours_kb / theirs_kb;
    std::printf("speed ratio: %.2fx ReportLab (target >= 3x) %s\n", speed, speed >= 3 ? "OK" : "MISSED");
    std::printf("size ratio : %.2f of ReportLab (target <= 1, and <= 40 KB) %s\n", size,
                size <= 1 && ours_kb <= 40 ? "OK" : "MISSED");
    std::printf("RESULT pdf_render vs ReportLab: speed, one filled 住民票|%.1f pages/s|%.1f pages/s|%.2fx|>= 3x|%s\n",
                1.0 / ours, 1.0 / theirs, speed, speed >= 3 ? "met" : "missed");
    std::printf("RESULT pdf_render vs ReportLab: size|%.1f KB|%.1f KB|%.2fx|<= 1x and <= 40 KB|%s\n", ours_kb,
                theirs_kb, size, size <= 1 && ours_kb <= 40 ? "met" : "missed");
    return 0;
}
