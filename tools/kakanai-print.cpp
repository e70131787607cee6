// kakanai-print: print an application's PDF through CUPS, or list printers.
//   kakanai-print printers
//   kakanai-print FILE.pdf [--printer NAME] [--print-to DIR] [--application ID] [--wait SECONDS]
//   kakanai-print calibrate PRINTER [--offset DX DY | --show]
// The application id (the job's title) defaults to the file name without
// ".pdf", as the kiosk names its PDFs. Without CUPS, or with --print-to, the
// PDF is copied into a folder (0700, file 0600) instead.
#include <sys/stat.h>

#include <charconv>
#include <cmath>
#include <optional>
#include <vector>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>

#include "kakanai/printing/calibration.hpp"
#include "kakanai/printing/cups.hpp"
#include "kakanai/printing/pdf.hpp"
#include "cli.hpp"

namespace {

namespace pr = kakanai::printing;

std::filesystem::path fallback_folder() {
    if (const char* d = std::getenv("KAKANAI_PRINT_DIR"); d && *d) return d;
    const char* home = std::getenv("HOME");
    return std::filesystem::path(home && *home ? home : "/tmp") / "kakanai-printed";
}

int list() {
    const auto printers = pr::list_printers();
    if (printers.empty()) {
        std::cout << "プリンターがありません / no printers are set up in CUPS\n";
        return 1;
    }
    for (const auto& p : printers) {
        std::cout << (p.is_default ? "* " : "  ") << p.name << "  " << p.state;
        if (const std::string why = p.problem(); !why.empty()) std::cout << "  (" << why << ")";
        else if (!p.reasons.empty() && p.reasons != "none") std::cout << "  (" << p.reasons << ")";
        std::cout << "\n";
    }
    return 0;
}

int wait(int job, const std::string& printer, int wait_seconds);

int print(const std::filesystem::path& pdf, std::string printer, const std::filesystem::path& folder,
          std::string application_id, int wait_seconds) {
    if (application_id.empty()) application_id = pdf.stem().string();
    if (!folder.empty() || !pr::cups_available()) {
        const auto target = folder.empty() ? fallback_folder() : folder;
        if (folder.empty())
            std::cerr << "CUPSに接続できません。フォルダに保存します / CUPS is not available; saving to a folder\n";
        const auto written = pr::print_to_folder(pdf, target, application_id);
        std::cout << "保存しました / saved: " << written.string() << "\n";
        return 0;
    }
    if (printer.empty()) {
        for (const auto& p : pr::list_printers())
            if (p.is_default) printer = p.name;
        if (printer.empty()) {
            std::cerr << "既定のプリンターがありません / no default printer: give --printer NAME "
                         "(see `kakanai-print printers`)\n";
            return 2;
        }
    }
    if (const std::string why = pr::printer_info(printer).problem(); !why.empty()) {
        std::cerr << "印刷できません / cannot print: " << why << "\n"
                  << "別のプリンターを選んでください / choose another printer (kakanai-print printers)\n";
        return 1;
    }
    const int job = pr::submit_pdf(printer, pdf, application_id);
    std::cout << "job " << job << " on " << printer << " (application " << application_id << ")\n";
    return wait(job, printer, wait_seconds);
}

int wait(int job, const std::string& printer, int wait_seconds) {
    const auto s = pr::wait_for_job(job, std::chrono::seconds(wait_seconds));
    if (s.done()) {
        std::cout << "印刷しました / printed: job " << job << " completed\n";
        return 0;
    }
    if (s.failed()) {
        std::cerr << "印刷に失敗しました / printing failed: job " << job << " " << pr::to_string(s.state)
                  << (s.printer_state == "stopped" ? " (printer stopped)" : "") << ": " << s.reason << "\n"
                  << "もう一度印刷するか、別のプリンターを選んでください / retry, or print with --printer OTHER\n";
        return 1;
    }
    std::cerr << "まだ印刷中です / still " << pr::to_string(s.state) << " after " << wait_seconds
              << " s: job " << job << " on " << printer << "\n";
    return 3;
}

// A number of millimetres as typed ("-1.2", "0.6"); nullopt for anything else.
std::optional<double> parse_mm(const std::string& text) {
    double v = 0;
    const char* end = text.data() + text.size();
    const auto [p, ec] = std::from_chars(text.data(), end, v);
    if (ec != std::errc() || p != end || !std::isfinite(v)) return std::nullopt;
    return v;
}

std::string mm_text(double v) {
    char b[32];
    std::snprintf(b, sizeof b, "%+.1f mm", v);
    return b;
}

// The calibration page through CUPS, or the offset stored or shown.
int calibrate(const std::string& printer, const std::vector<std::string>& offset, bool show, int wait_seconds) {
    const auto file = pr::printer_offsets_file();
    if (show) {
        if (const auto o = pr::printer_offset(file, printer))
            std::cout << printer << ": x " << mm_text(o->x_mm) << ", y " << mm_text(o->y_mm) << " (" << file.string()
                      << ")\n";
        else
            std::cout << printer << ": 補正なし / no offset stored (" << file.string() << ")\n";
        return 0;
    }
    // Numbers first: a typing mistake is named before CUPS is asked anything.
    pr::PrinterOffset o;
    for (std::size_t i = 0; i < offset.size() && i < 2; ++i) {
        const auto v = parse_mm(offset[i]);
        if (!v || std::abs(*v) > pr::kMaxOffsetMm) {
            std::cerr << "kakanai-print: 補正は mm の数値で指定します / --offset takes two numbers of mm within "
                         "±20 (DX right, DY down), e.g. --offset -1.2 0.6: got \""
                      << offset[i] << "\"\n";
            return 2;
        }
        (i == 0 ? o.x_mm : o.y_mm) = *v;
    }
    // A printer CUPS does not know is a typing mistake too: nothing is stored or printed for it.
    if (!pr::cups_available()) {
        std::cerr << "kakanai-print: CUPSに接続できません / CUPS is not available: the printer " << printer
                  << " cannot be checked\n";
        return 1;
    }
    bool known = false;
    for (const auto& p : pr::list_printers()) known = known || p.name == printer;
    if (!known) {
        std::cerr << "kakanai-print: プリンター「" << printer << "」はありません / no printer named \"" << printer
                  << "\" in CUPS (see `kakanai-print printers`)\n";
        return 2;
    }
    if (!offset.empty()) {
        pr::store_printer_offset(file, printer, o);
        std::cout << "保存しました / stored: " << printer << " x " << mm_text(o.x_mm) << ", y " << mm_text(o.y_mm)
                  << " (" << file.string() << "); overlay forms to " << printer << " are moved by it\n";
        return 0;
    }
    if (const std::string why = pr::printer_info(printer).problem(); !why.empty()) {
        std::cerr << "印刷できません / cannot print: " << why << "\n";
        return 1;
    }
    const int job = pr::stream_pdf(printer, pr::render_calibration_pdf(printer), "calibration");
    std::cout << "job " << job << " on " << printer << ": 位置合わせのページ / calibration page\n"
              << "測ったら / when measured: kakanai-print calibrate " << printer << " --offset DX DY\n";
    return wait(job, printer, wait_seconds);
}

}  // namespace

int main(int argc, char** argv) {
    ::umask(077);  // PDFs written into a folder are ours alone
    std::string pdf, printer, application;
    std::filesystem::path folder;
    int wait_seconds = 120;
    CLI::App app("kakanai-print: print an application's PDF through CUPS (or into a folder without CUPS), or list "
                 "printers",
                 "kakanai-print");
    CLI::App* printers = app.add_subcommand("printers", "CUPS printers with their state and reason");
    app.add_option("pdf", pdf, "the application's PDF")->type_name("FILE.pdf");
    app.add_option("--printer", printer, "the CUPS queue (default: the default printer)")->type_name("NAME");
    app.add_option("--print-to", folder, "copy into this folder (0700, file 0600) instead of printing")
        ->type_name("DIR");
    app.add_option("--application", application, "the application id, the job's title (default: the file name)")
        ->type_name("ID");
    app.add_option("--wait", wait_seconds, "how long to wait for the job's result")->type_name("SECONDS");
    std::string cal_printer;
    std::vector<std::string> offset;
    bool show = false;
    CLI::App* cal = app.add_subcommand(
        "calibrate", "print a cross-hair page to measure the printer's offset, then store it with --offset");
    cal->add_option("printer", cal_printer, "the CUPS queue")->required()->type_name("PRINTER");
    auto* off = cal->add_option("--offset", offset, "the measured offset in mm: right, down (negative: left, up)")
                    ->expected(2)
                    ->type_name("DX DY");
    cal->add_flag("--show", show, "show the stored offset")->excludes(off);
    cal->add_option("--wait", wait_seconds, "how long to wait for the page's job")->type_name("SECONDS");
    kakanai::tools::parse_or_exit(app, argc, argv);
    if (*printers && !pdf.empty()) kakanai::tools::usage_error(app, "give either printers or FILE.pdf");
    if (!*printers && !*cal && pdf.empty()) kakanai::tools::usage_error(app, "give printers, calibrate or FILE.pdf");
    try {
        if (*cal) return calibrate(cal_printer, offset, show, wait_seconds);
        if (*printers) return list();
        return print(pdf, printer, folder, application, wait_seconds);
    } catch (const pr::PrintError& e) {
        std::cerr << "kakanai-print: " << e.what() << "\n";
        return 1;
    }
}
