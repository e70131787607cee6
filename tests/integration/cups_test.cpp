// Through a real cupsd started by scripts/with-services: a raw queue on our
// capture backend (byte-exact), a cups-pdf queue (a real PDF printer: its output
// goes through Ghostscript, so no text is asserted on it), a queue whose
// backend jams (printer-error-policy=abort-job) and a stopped queue.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <thread>

#include "kakanai/forms/prefill.hpp"
#include "kakanai/printing/cups.hpp"
#include "kakanai/printing/pdf.hpp"
#include "test_support.hpp"

using namespace kakanai;

namespace {

std::string env(const char* name) {
    const char* p = std::getenv(name);
    return p ? p : "";
}

#define REQUIRE_SERVICES() \
    ASSERT_FALSE(env("KAKANAI_TEST_CAPTURE_PRINTER").empty()) << "run through scripts/with-services (make test)"

std::vector<char> bytes_of(const std::filesystem::path& f) {
    std::ifstream in(f, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// A rendered form on disk, as the kiosk leaves it.
std::filesystem::path make_pdf(const test::TempDir& dir, const std::string& application_id) {
    const auto t = forms::load_template(test::forms_dir() / "juminhyo.toml");
    const forms::CardData card{"髙橋 𠮷子", "東京都千代田区霞が関2丁目1番2号", "1980-02-17", "female", true};
    printing::PdfOptions o;
    o.application_id = application_id;
    const auto file = printing::application_pdf_path(dir.path(), application_id);
    printing::write_file_atomic(file, printing::render_pdf(t, forms::prefill(t, card, {}, "2026-11-23"), o));
    return file;
}

std::filesystem::path captured(int job) {
    return std::filesystem::path(env("KAKANAI_TEST_CAPTURE_DIR")) / ("job-" + std::to_string(job) + ".pdf");
}

// A queue of its own for a test that changes a queue's state, removed afterwards.
class OwnQueue {
public:
    explicit OwnQueue(const std::string& device) : name_("kakanai-test-own-" + std::to_string(::getpid())) {
        const auto r = test::run("lpadmin -p " + name_ + " -E -v " + test::shell_quote(device) +
                                 " -o printer-error-policy=abort-job 2>&1");
        if (r.exit_code != 0) throw std::runtime_error("lpadmin failed: " + r.output);
    }
    ~OwnQueue() { test::run("lpadmin -x " + name_ + " 2>&1"); }
    OwnQueue(const OwnQueue&) = delete;
    OwnQueue& operator=(const OwnQueue&) = delete;
    const std::string& name() const { return name_; }

private:
    std::string name_;
};

}  // namespace

TEST(Cups, ListsTheTestQueuesWithTheirState) {
    REQUIRE_SERVICES();
    ASSERT_TRUE(printing::cups_available());
    bool pdf = false, capture = false;
    for (const auto& p : printing::list_printers()) {
        pdf = pdf || p.name == env("KAKANAI_TEST_PRINTER");
        if (p.name == env("KAKANAI_TEST_CAPTURE_PRINTER")) {
            capture = true;
            EXPECT_NE(p.state, "stopped");
            EXPECT_TRUE(p.accepting);
            EXPECT_EQ(p.problem(), "");
        }
    }
    EXPECT_TRUE(pdf);
    EXPECT_TRUE(capture);
}

TEST(Cups, TheCapturedJobIsByteIdenticalToThePdfSent) {
    REQUIRE_SERVICES();
    test::TempDir dir;
    const auto pdf = make_pdf(dir, "A-TEST-0101");
    const int job = printing::submit_pdf(env("KAKANAI_TEST_CAPTURE_PRINTER"), pdf, "A-TEST-0101");
    const auto s = printing::wait_for_job(job, std::chrono::seconds(60));
    ASSERT_EQ(s.state, printing::JobState::Completed) << to_string(s.state) << " " << s.reason;
    EXPECT_EQ(s.application_id, "A-TEST-0101");
    EXPECT_EQ(s.printer, env("KAKANAI_TEST_CAPTURE_PRINTER"));
    ASSERT_TRUE(std::filesystem::exists(captured(job)));
    EXPECT_TRUE(bytes_of(captured(job)) == bytes_of(pdf)) << "the printer got other bytes than the PDF sent";
}

TEST(Cups, ARealPdfPrinterCompletesTheJob) {
    REQUIRE_SERVICES();
    test::TempDir dir;
    const auto pdf = make_pdf(dir, "A-TEST-0102");
    const int job = printing::submit_pdf(env("KAKANAI_TEST_PRINTER"), pdf, "A-TEST-0102");
    const auto s = printing::wait_for_job(job, std::chrono::seconds(60));
    EXPECT_EQ(s.state, printing::JobState::Completed) << to_string(s.state) << " " << s.reason;
}

TEST(Cups, AJammedPrinterAbortsTheJobWithItsReasonAndAnotherPrinterTakesIt) {
    REQUIRE_SERVICES();
    test::TempDir dir;
    const auto pdf = make_pdf(dir, "A-TEST-0103");
    const auto before = bytes_of(pdf);
    const int job = printing::submit_pdf(env("KAKANAI_TEST_JAM_PRINTER"), pdf, "A-TEST-0103");
    const auto s = printing::wait_for_job(job, std::chrono::seconds(60));
    EXPECT_EQ(s.state, printing::JobState::Aborted) << to_string(s.state);
    EXPECT_TRUE(s.failed());
    EXPECT_NE(s.reason.find("Paper jam in tray 1"), std::string::npos) << s.reason;
    EXPECT_NE(s.reason.find("media-jam-error"), std::string::npos) << s.reason;
    // Nothing is lost: the PDF is still there, and goes to another printer on request.
    ASSERT_TRUE(bytes_of(pdf) == before);
    const int again = printing::resubmit(s, env("KAKANAI_TEST_CAPTURE_PRINTER"), pdf, "A-TEST-0103");
    const auto s2 = printing::wait_for_job(again, std::chrono::seconds(60));
    ASSERT_EQ(s2.state, printing::JobState::Completed) << s2.reason;
    EXPECT_TRUE(bytes_of(captured(again)) == before);
}

TEST(Cups, AStoppedQueueIsReportedAndTheJobMovesWithoutPrintingTwice) {
    REQUIRE_SERVICES();
    test::TempDir dir;
    OwnQueue queue("kakanai-capture:" + dir.path().string());
    ASSERT_EQ(test::run("cupsdisable -r 'Out of toner (test)' " + queue.name()).exit_code, 0);
    EXPECT_NE(printing::printer_info(queue.name()).problem().find("Out of toner"), std::string::npos);
    const auto pdf = make_pdf(dir, "A-TEST-0104");
    const int job = printing::submit_pdf(queue.name(), pdf, "A-TEST-0104");
    const auto s = printing::wait_for_job(job, std::chrono::seconds(30));
    EXPECT_EQ(s.state, printing::JobState::Pending);
    EXPECT_EQ(s.printer_state, "stopped");
    EXPECT_TRUE(s.failed());
    EXPECT_NE(s.reason.find("Out of toner (test)"), std::string::npos) << s.reason;

    const int moved = printing::resubmit(s, env("KAKANAI_TEST_CAPTURE_PRINTER"), pdf, "A-TEST-0104");
    EXPECT_EQ(printing::job_status(job).state, printing::JobState::Cancelled);
    EXPECT_EQ(printing::wait_for_job(moved, std::chrono::seconds(60)).state, printing::JobState::Completed);
    // Re-enabling the stopped queue prints nothing: its job was cancelled.
    ASSERT_EQ(test::run("cupsenable " + queue.name()).exit_code, 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    EXPECT_FALSE(std::filesystem::exists(dir / ("job-" + std::to_string(job) + ".pdf")));
}

TEST(Cups, AReprintOfAnotherApplicationsJobIsRefused) {
    REQUIRE_SERVICES();
    test::TempDir dir;
    const auto pdf = make_pdf(dir, "A-TEST-0105");
    const int job = printing::submit_pdf(env("KAKANAI_TEST_CAPTURE_PRINTER"), pdf, "A-TEST-0105");
    const auto s = printing::wait_for_job(job, std::chrono::seconds(60));
    const auto other = make_pdf(dir, "A-TEST-0106");
    EXPECT_THROW(printing::resubmit(s, env("KAKANAI_TEST_CAPTURE_PRINTER"), other, "A-TEST-0106"),
                 printing::PrintError);
}

TEST(Cups, UnknownPrinterAndNonPdfAreClearErrors) {
    REQUIRE_SERVICES();
    test::TempDir dir;
    const auto pdf = make_pdf(dir, "A-TEST-0107");
    try {
        printing::submit_pdf("no-such-printer", pdf, "A-TEST-0107");
        FAIL();
    } catch (const printing::PrintError& e) {
        EXPECT_NE(std::string(e.what()).find("no-such-printer"), std::string::npos) << e.what();
    }
    try {
        printing::submit_pdf(env("KAKANAI_TEST_CAPTURE_PRINTER"), "/etc/hostname", "A-TEST-0107");
        FAIL();
    } catch (const printing::PrintError& e) {
        EXPECT_NE(std::string(e.what()).find("not a readable PDF"), std::string::npos) << e.what();
    }
}

TEST(Cups, TheCommandLinePrintsListsAndFallsBackToAFolder) {
    REQUIRE_SERVICES();
    test::TempDir dir;
    const auto pdf = make_pdf(dir, "A-TEST-0108");
    const std::string tool = (test::binary_dir() / "tools/kakanai-print").string();
    const auto list = test::run(tool + " printers");
    EXPECT_EQ(list.exit_code, 0);
    EXPECT_NE(list.output.find(env("KAKANAI_TEST_CAPTURE_PRINTER")), std::string::npos) << list.output;

    const auto ok = test::run(tool + " " + test::shell_quote(pdf.string()) + " --printer " +
                              env("KAKANAI_TEST_CAPTURE_PRINTER"));
    EXPECT_EQ(ok.exit_code, 0) << ok.output;
    EXPECT_NE(ok.output.find("application A-TEST-0108"), std::string::npos) << ok.output;
    EXPECT_NE(ok.output.find("completed"), std::string::npos) << ok.output;

    const auto jam = test::run(tool + " " + test::shell_quote(pdf.string()) + " --printer " +
                               env("KAKANAI_TEST_JAM_PRINTER") + " 2>&1");
    EXPECT_EQ(jam.exit_code, 1) << jam.output;
    EXPECT_NE(jam.output.find("Paper jam"), std::string::npos) << jam.output;

    // A stopped printer is refused up front with its reason; the job is not queued.
    {
        OwnQueue stopped("kakanai-capture:" + dir.path().string());
        ASSERT_EQ(test::run("cupsdisable -r 'Cover open (test)' " + stopped.name()).exit_code, 0);
        const auto refused = test::run(tool + " " + test::shell_quote(pdf.string()) + " --printer " +
                                       stopped.name() + " 2>&1");
        EXPECT_EQ(refused.exit_code, 1) << refused.output;
        EXPECT_NE(refused.output.find("Cover open (test)"), std::string::npos) << refused.output;
    }

    // No CUPS: the PDF goes to a private folder instead.
    const auto out = dir / "fallback";
    const auto none = test::run("CUPS_SERVER=" + test::shell_quote((dir / "no-cups.sock").string()) +
                                " KAKANAI_PRINT_DIR=" + test::shell_quote(out.string()) + " " + tool + " " +
                                test::shell_quote(pdf.string()) + " 2>&1");
    EXPECT_EQ(none.exit_code, 0) << none.output;
    EXPECT_TRUE(bytes_of(out / "A-TEST-0108.pdf") == bytes_of(pdf)) << none.output;
    EXPECT_EQ(std::filesystem::status(out).permissions() & std::filesystem::perms::all,
              std::filesystem::perms::owner_all);
}
