// cupsd stopped in the middle of printing, through the kiosk's application
// maker: a clear error, the application stays saved with its PDF, and once
// cupsd is back the job is sent again and prints. Only the cupsd that
// scripts/with-services started is stopped, by its PID.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <iterator>

#include "application_maker.hpp"
#include "kakanai/printing/cups.hpp"
#include "test_support.hpp"

using namespace kakanai;
using namespace std::chrono_literals;

namespace {

std::string env(const char* name) {
    const char* p = std::getenv(name);
    return p ? p : "";
}

std::string bytes_of(const std::filesystem::path& f) {
    std::ifstream in(f, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

class CupsdControl {
public:
    CupsdControl() : ctl_(env("KAKANAI_TEST_CUPSD_CTL")) {}
    ~CupsdControl() {
        if (stopped_) start();  // the next tests find cupsd running
    }
    bool available() const { return !ctl_.empty(); }
    bool stop() {
        stopped_ = test::run(test::shell_quote(ctl_) + " stop").exit_code == 0;
        return stopped_;
    }
    bool start() {
        const bool ok = test::run(test::shell_quote(ctl_) + " start").exit_code == 0;
        if (ok) stopped_ = false;
        return ok;
    }

private:
    std::string ctl_;
    bool stopped_ = false;
};

}  // namespace

TEST(CupsFaults, CupsdStoppedMidJobThenTheApplicationIsPrintedAgain) {
    CupsdControl cupsd;
    ASSERT_TRUE(cupsd.available()) << "run through scripts/with-services (make test)";
    const std::string printer = env("KAKANAI_TEST_CAPTURE_PRINTER");
    test::TempDir tmp;
    kiosk::ApplicationMaker maker({test::forms_dir(), tmp / "out", tmp / "data", "kiosk-1", printer, std::nullopt});
    cardreader::CardInfo card;
    card.name = "番号 花子";
    card.address = "東京都千代田区霞が関2丁目1番2号";
    card.birth_date = "1980-02-17";
    card.sex = cardreader::Sex::Female;

    // A job sent, and cupsd stops before anyone learns how it went.
    const auto first = maker.submit(maker.fill({"juminhyo"}, card, {}));
    ASSERT_EQ(first.size(), 1u);
    const auto first_pdf = tmp / "out" / (first[0] + ".pdf");
    ASSERT_TRUE(cupsd.stop());
    const printing::JobStatus lost = printing::job_status(1);
    EXPECT_TRUE(lost.failed());
    EXPECT_NE(lost.reason.find("CUPS does not answer"), std::string::npos) << lost.reason;

    // The next application while cupsd is down: saved, its PDF written, a clear error.
    std::vector<std::string> saved;
    try {
        maker.submit(maker.fill({"juminhyo"}, card, {}));
        ADD_FAILURE() << "printing without cupsd succeeded";
    } catch (const kiosk::MakeError& e) {
        EXPECT_EQ(e.error_key, "error.print_failed");
        const std::string what = e.what();
        EXPECT_NE(what.find("CUPS does not answer"), std::string::npos) << what;
        EXPECT_NE(what.find("systemctl start cups"), std::string::npos) << what;
        saved = e.saved_ids;
    }
    ASSERT_EQ(saved.size(), 1u);
    const auto pdf = tmp / "out" / (saved[0] + ".pdf");
    EXPECT_TRUE(std::filesystem::exists(pdf));
    {
        auto s = store::open_sqlite(tmp / "data" / "store.db", tmp / "data" / "store.key");
        EXPECT_TRUE(s->get(saved[0]).has_value());
        EXPECT_TRUE(s->get(first[0]).has_value());
    }
    const printing::JobStatus while_down{0, printing::JobState::Unknown, "", "", "", ""};

    // cupsd back: both are printed, the unanswered job through resubmit.
    ASSERT_TRUE(cupsd.start());
    const int again = printing::submit_pdf(printer, pdf, saved[0]);
    const auto done = printing::wait_for_job(again, 20s);
    EXPECT_TRUE(done.done()) << printing::to_string(done.state) << ": " << done.reason;
    const auto captured = std::filesystem::path(env("KAKANAI_TEST_CAPTURE_DIR")) / ("job-" + std::to_string(again) + ".pdf");
    EXPECT_EQ(bytes_of(captured), bytes_of(pdf));

    printing::JobStatus earlier = while_down;
    earlier.id = again + 1000;  // a job id CUPS never had: nothing to cancel, nothing to refuse
    const int first_again = printing::resubmit(earlier, printer, first_pdf, first[0]);
    const auto first_done = printing::wait_for_job(first_again, 20s);
    EXPECT_TRUE(first_done.done()) << printing::to_string(first_done.state) << ": " << first_done.reason;
}
