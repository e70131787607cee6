// cupsd stopped in the middle of printing, through the kiosk's application
// maker: a clear error, the application stays saved with its PDF, and once
// cupsd is back the job is sent again and prints. Only the cupsd that
// scripts/with-services started is stopped, by its PID.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iterator>

#include "application_maker.hpp"
#include "application_record.hpp"
#include "kakanai/printing/pdf.hpp"
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

using CupsdControl = test::ServiceControl;

// A queue of its own, paused so its job stays pending while cupsd goes away.
class PausedQueue {
public:
    PausedQueue() : name_("kakanai-test-fault-" + std::to_string(::getpid())) {
        const auto r = test::run("lpadmin -p " + name_ + " -E -v " +
                                 test::shell_quote("kakanai-capture:" + env("KAKANAI_TEST_CAPTURE_DIR")) +
                                 " -o printer-error-policy=abort-job 2>&1 && cupsdisable " + name_ + " 2>&1");
        if (r.exit_code != 0) throw std::runtime_error("lpadmin failed: " + r.output);
    }
    ~PausedQueue() { test::run("lpadmin -x " + name_ + " 2>&1"); }
    PausedQueue(const PausedQueue&) = delete;
    PausedQueue& operator=(const PausedQueue&) = delete;
    const std::string& name() const { return name_; }
    void resume() { test::run("cupsenable " + name_ + " 2>&1"); }

private:
    std::string name_;
};

cardreader::CardInfo a_card() {
    cardreader::CardInfo card;
    card.name = "番号 花子";
    card.address = "東京都千代田区霞が関2丁目1番2号";
    card.birth_date = "1980-02-17";
    card.sex = cardreader::Sex::Female;
    return card;
}

// The page as the staff station renders it from the store (the kiosk writes none).
std::filesystem::path staff_pdf(const std::filesystem::path& tmp, const kiosk::ApplicationMaker& maker,
                                const std::string& id) {
    auto s = store::open_sqlite(tmp / "data" / "store.db", tmp / "data" / "seal.key");
    const auto app = s->get(id).value();
    const forms::Template* t = maker.catalogue().find(app.template_id);
    auto form = kiosk::to_filled_form(*t, app);
    printing::PdfOptions opts;
    opts.application_id = id;
    std::filesystem::create_directories(tmp / "out");
    const auto pdf = tmp / "out" / (id + ".pdf");
    printing::write_file_atomic(pdf, printing::render_pdf(*t, form, opts));
    form.wipe();
    return pdf;
}

}  // namespace

TEST(CupsFaults, CupsdStoppedMidJobThenTheApplicationIsPrintedAgain) {
    ASSERT_FALSE(env("KAKANAI_TEST_CUPSD_CTL").empty()) << "run through scripts/with-services (make test)";
    PausedQueue queue;
    CupsdControl cupsd("KAKANAI_TEST_CUPSD_CTL");  // destroyed first: cupsd runs again before the queue is removed
    test::TempDir tmp;
    const auto card = a_card();

    // An application saved and its job queued; cupsd stops while the job waits.
    kiosk::ApplicationMaker saver({test::forms_dir(), tmp / "data", "kiosk-1", std::nullopt});
    const auto first = saver.submit(saver.fill({"juminhyo"}, card, {}), cardreader::Authenticity::Consistent);
    ASSERT_EQ(first.size(), 1u);
    const auto first_pdf = staff_pdf(tmp.path(), saver, first[0]);
    const int job = printing::submit_pdf(queue.name(), first_pdf, first[0]);
    ASSERT_EQ(printing::job_status(job).state, printing::JobState::Pending);
    ASSERT_TRUE(cupsd.stop());
    const printing::JobStatus while_down = printing::job_status(job);
    EXPECT_TRUE(while_down.failed());
    EXPECT_NE(while_down.reason.find("CUPS does not answer"), std::string::npos) << while_down.reason;
    EXPECT_NE(while_down.reason.find("systemctl start cups"), std::string::npos) << while_down.reason;

    // The next application while cupsd is down: the kiosk saves it (it never
    // prints), and sending it to the printer gives a clear error.
    const auto saved = saver.submit(saver.fill({"juminhyo"}, card, {}), cardreader::Authenticity::Consistent);
    EXPECT_FALSE(std::filesystem::exists(tmp / "out" / (saved.at(0) + ".pdf"))) << "the kiosk wrote a PDF";
    const auto pdf = staff_pdf(tmp.path(), saver, saved.at(0));
    try {
        printing::submit_pdf(queue.name(), pdf, saved.at(0));
        ADD_FAILURE() << "printing without cupsd succeeded";
    } catch (const std::exception& e) {
        const std::string what = e.what();
        // Before, this said "check the printer name": the printer was fine, CUPS was not running.
        EXPECT_NE(what.find("CUPS does not answer"), std::string::npos) << what;
        EXPECT_NE(what.find("systemctl start cups"), std::string::npos) << what;
        EXPECT_EQ(what.find("check the printer name"), std::string::npos) << what;
    }
    ASSERT_EQ(saved.size(), 1u);
    {
        auto s = store::open_sqlite(tmp / "data" / "store.db", tmp / "data" / "seal.key");
        EXPECT_TRUE(s->get(saved[0]).has_value());
        EXPECT_TRUE(s->get(first[0]).has_value());
    }

    // cupsd back: the waiting job is still known; sending it again from the status
    // taken while cupsd was down (no application id in it) cancels it first,
    // so the form prints once. Before, that resubmit was refused.
    ASSERT_TRUE(cupsd.start());
    const printing::JobStatus back = printing::job_status(job);
    EXPECT_EQ(back.application_id, first[0]);
    const int again = printing::resubmit(while_down, queue.name(), first_pdf, first[0]);
    const int second = printing::submit_pdf(queue.name(), pdf, saved[0]);
    queue.resume();
    for (const auto& [id, file] : {std::pair{again, first_pdf}, std::pair{second, pdf}}) {
        const auto done = printing::wait_for_job(id, 20s);
        EXPECT_TRUE(done.done()) << printing::to_string(done.state) << ": " << done.reason;
        const auto captured = std::filesystem::path(env("KAKANAI_TEST_CAPTURE_DIR")) / ("job-" + std::to_string(id) + ".pdf");
        EXPECT_EQ(bytes_of(captured), bytes_of(file));
    }
    EXPECT_EQ(printing::job_status(job).state, printing::JobState::Cancelled);
}
