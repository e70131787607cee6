// Through a real cupsd (started by scripts/with-services) and a cups-pdf queue.
#include <gtest/gtest.h>

#include <cstdlib>

#include "kakanai/forms/prefill.hpp"
#include "kakanai/printing/cups.hpp"
#include "kakanai/printing/pdf.hpp"
#include "test_support.hpp"

using namespace kakanai;

namespace {
std::string test_printer() {
    const char* p = std::getenv("KAKANAI_TEST_PRINTER");
    return p ? p : "";
}
}  // namespace

TEST(Cups, ListsTheTestQueue) {
    ASSERT_FALSE(test_printer().empty()) << "run through scripts/with-services (make test)";
    bool found = false;
    for (const auto& p : printing::list_printers()) found = found || p.name == test_printer();
    EXPECT_TRUE(found);
}

TEST(Cups, PrintsAFormToCompletion) {
    ASSERT_FALSE(test_printer().empty()) << "run through scripts/with-services (make test)";
    const auto t = forms::load_template(test::forms_dir() / "juminhyo.toml");
    const forms::CardData card{"番号 花子", "東京都千代田区", "1980-02-17", "female", true};
    test::TempDir dir;
    printing::write_file_atomic(dir / "a.pdf", printing::render_pdf(t, forms::prefill(t, card, {}, "2026-11-23")));
    const int job = printing::submit_pdf(test_printer(), dir / "a.pdf", "A-TEST-0001");
    EXPECT_GT(job, 0);
    const auto status = printing::wait_for_job(test_printer(), job, std::chrono::seconds(60));
    EXPECT_EQ(status.state, printing::JobState::Completed) << to_string(status.state) << " " << status.reason;
}

TEST(Cups, UnknownPrinterIsAClearError) {
    test::TempDir dir;
    try {
        printing::submit_pdf("no-such-printer", "/etc/hostname", "A-TEST-0002");
        FAIL();
    } catch (const printing::PrintError& e) {
        EXPECT_NE(std::string(e.what()).find("no-such-printer"), std::string::npos);
    }
}
