// kakanai-print: print an application's PDF through CUPS, or list printers.
//   kakanai-print printers
//   kakanai-print FILE.pdf [--printer NAME] [--print-to DIR] [--application ID] [--wait SECONDS]
// The application id (the job's title) defaults to the file name without
// ".pdf", as the kiosk names its PDFs. Without CUPS, or with --print-to, the
// PDF is copied into a folder (0700, file 0600) instead.
#include <sys/stat.h>

#include <cstdlib>
#include <iostream>
#include <string>

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
    kakanai::tools::parse_or_exit(app, argc, argv);
    if (*printers && !pdf.empty()) kakanai::tools::usage_error(app, "give either printers or FILE.pdf");
    if (!*printers && pdf.empty()) kakanai::tools::usage_error(app, "give printers or FILE.pdf");
    try {
        if (*printers) return list();
        return print(pdf, printer, folder, application, wait_seconds);
    } catch (const pr::PrintError& e) {
        std::cerr << "kakanai-print: " << e.what() << "\n";
        return 1;
    }
}
