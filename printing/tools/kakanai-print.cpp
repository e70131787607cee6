// kakanai-print: print an application's PDF through CUPS, or list printers.
//   kakanai-print printers
//   kakanai-print FILE.pdf [--printer NAME] [--print-to DIR] [--application ID] [--wait SECONDS]
// The application id (the job's title) defaults to the file name without
// ".pdf", as the kiosk names its PDFs. Without CUPS, or with --print-to, the
// PDF is copied into a folder (0700, file 0600) instead.
#include <cstdlib>
#include <iostream>
#include <string>

#include "kakanai/printing/cups.hpp"
#include "kakanai/printing/pdf.hpp"

namespace {

namespace pr = kakanai::printing;

int usage() {
    std::cerr << "使い方 / usage:\n"
                 "  kakanai-print printers\n"
                 "  kakanai-print FILE.pdf [--printer NAME] [--print-to DIR] [--application ID] [--wait SECONDS]\n";
    return 2;
}

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
    if (argc < 2) return usage();
    const std::string first = argv[1];
    try {
        if (first == "printers") return argc == 2 ? list() : usage();
        if (first == "-h" || first == "--help") {
            usage();
            return 0;
        }
        std::string printer, application;
        std::filesystem::path folder;
        int wait_seconds = 120;
        for (int i = 2; i < argc; ++i) {
            const std::string a = argv[i];
            if (i + 1 >= argc) return usage();
            if (a == "--printer") printer = argv[++i];
            else if (a == "--print-to") folder = argv[++i];
            else if (a == "--application") application = argv[++i];
            else if (a == "--wait") wait_seconds = std::atoi(argv[++i]);
            else return usage();
        }
        return print(first, printer, folder, application, wait_seconds);
    } catch (const pr::PrintError& e) {
        std::cerr << "kakanai-print: " << e.what() << "\n";
        return 1;
    }
}
