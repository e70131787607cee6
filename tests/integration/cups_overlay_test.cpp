// kakanai-print calibrate and an overlay job through a real cupsd (the capture
// queue keeps each job byte for byte): the cross-hair page reaches the
// printer, the measured offset is stored per printer, and the overlay form
// sent to that printer arrives moved by it, without the background.
#include <gtest/gtest.h>

#include <cstdlib>

#include "kakanai/forms/prefill.hpp"
#include "kakanai/printing/calibration.hpp"
#include "kakanai/printing/cups.hpp"
#include "kakanai/printing/pdf.hpp"
#include "pdf_check.hpp"
#include "test_support.hpp"

using namespace kakanai;
using test::run;
using test::shell_quote;

namespace {

std::string env(const char* name) {
    const char* p = std::getenv(name);
    return p ? p : "";
}

std::filesystem::path captured(int job) {
    return std::filesystem::path(env("KAKANAI_TEST_CAPTURE_DIR")) / ("job-" + std::to_string(job) + ".pdf");
}

}  // namespace

TEST(CupsOverlay, CalibrateThenTheOverlayJobArrivesMoved) {
    const std::string printer = env("KAKANAI_TEST_CAPTURE_PRINTER");
    ASSERT_FALSE(printer.empty()) << "run through scripts/with-services (make test)";
    test::TempDir dir;
    const auto offsets = dir / "printer-offsets.toml";
    const std::string tool = "KAKANAI_PRINTER_OFFSETS=" + shell_quote(offsets.string()) + " " +
                             shell_quote((test::binary_dir() / "tools/kakanai-print").string());

    // A printer CUPS does not know: named, nothing stored.
    const auto unknown = run(tool + " calibrate no-such-printer --offset 1 1 2>&1");
    EXPECT_EQ(unknown.exit_code, 2);
    EXPECT_EQ(unknown.output, "kakanai-print: プリンター「no-such-printer」はありません / no printer named "
                              "\"no-such-printer\" in CUPS (see `kakanai-print printers`)\n");
    EXPECT_FALSE(std::filesystem::exists(offsets));

    // The cross-hair page goes to the printer.
    const auto page = run(tool + " calibrate " + printer + " 2>&1");
    ASSERT_EQ(page.exit_code, 0) << page.output;
    const auto job_at = page.output.find("job ");
    ASSERT_NE(job_at, std::string::npos) << page.output;
    const int page_job = std::stoi(page.output.substr(job_at + 4));
    ASSERT_TRUE(std::filesystem::exists(captured(page_job))) << page.output;
    EXPECT_NE(run("pdftotext " + shell_quote(captured(page_job).string()) + " -").output.find("X 105.0 mm, Y 148.5 mm"),
              std::string::npos);

    // The administrator measured 1.5 mm too far left and 2 mm too low: stored, shown.
    const auto stored = run(tool + " calibrate " + printer + " --offset 1.5 -2 2>&1");
    ASSERT_EQ(stored.exit_code, 0) << stored.output;
    EXPECT_EQ(run(tool + " calibrate " + printer + " --show").output,
              printer + ": x +1.5 mm, y -2.0 mm (" + offsets.string() + ")\n");

    // An overlay application sent to that printer, as the staff station sends it.
    const auto t = forms::load_template(test::source_dir() / "tests/unit/printing/data/overlay/inkan_overlay.toml");
    const forms::CardData card{"番号 花子", "東京都千代田区霞が関2丁目1番2号", "1980-02-17", "female", true};
    const auto form = forms::prefill(t, card, {{"applicant_kana", "バンゴウ ハナコ"}}, "2026-11-23");
    printing::PdfOptions o;
    o.application_id = "A-OVERLAY-0002";
    const auto as_drawn = dir / "as-drawn.pdf";
    printing::write_file_atomic(as_drawn, printing::render_pdf(t, form, o));
    const auto job_opts = printing::options_for_printer(t, printer, o, offsets);
    const int job = printing::stream_pdf(printer, printing::render_pdf(t, form, job_opts), "A-OVERLAY-0002");
    const auto s = printing::wait_for_job(job, std::chrono::seconds(60));
    ASSERT_EQ(s.state, printing::JobState::Completed) << to_string(s.state) << " " << s.reason;
    ASSERT_TRUE(std::filesystem::exists(captured(job)));

    const auto a = test::pdf_words(as_drawn), b = test::pdf_words(captured(job));
    ASSERT_EQ(a.size(), b.size());
    ASSERT_GE(a.size(), 7u);  // date, address, kana (2), birth date, name (2)
    for (std::size_t i = 0; i < a.size(); ++i) {
        EXPECT_EQ(a[i].text, b[i].text);
        EXPECT_NEAR(b[i].x0 - a[i].x0, 1.5, 0.2) << a[i].text;
        EXPECT_NEAR(b[i].y0 - a[i].y0, -2.0, 0.2) << a[i].text;
    }
    EXPECT_EQ(run("pdfimages -list " + shell_quote(captured(job).string()) + " | tail -n +3").output, "")
        << "the background reached the printer";
}
