// A form holding a 個人番号 never rests in a file of ours: it is rendered in
// memory and streamed to the printer (here the raw capture queue, whose
// backend copies each job into a folder), and a print to a folder shows the
// number masked. The number never reaches the test's output either.
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <iterator>

#include "kakanai/base/my_number.hpp"
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

std::string with_check_digit(const std::string& d) { return d + base::my_number_check_digit(d).value(); }

// Drawn afresh per run, so a hit can only be what this run wrote.
const std::string kMyNumber = [] {
    std::srand(static_cast<unsigned>(std::time(nullptr)) ^ static_cast<unsigned>(::getpid()));
    std::string d;
    for (int i = 0; i < 11; ++i) d += static_cast<char>('0' + std::rand() % 10);
    return with_check_digit(d);
}();

std::string slurp(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

// What a file says: a PDF's extracted text (its text is not plain bytes), else its bytes; no spaces.
std::string readable(const std::filesystem::path& p) {
    std::string s = slurp(p);
    if (s.rfind("%PDF-", 0) == 0) s += test::run("pdftotext -raw " + test::shell_quote(p.string()) + " - 2>/dev/null").output;
    std::string out;
    for (char c : s)
        if (c != ' ' && c != '\n') out += c;
    return out;
}

std::size_t count_of(const std::string& hay, const std::string& needle) {
    std::size_t n = 0;
    for (auto p = hay.find(needle); p != std::string::npos; p = hay.find(needle, p + needle.size())) ++n;
    return n;
}

// Files below `root` that hold the number (paths only).
std::vector<std::string> holding_number(const std::filesystem::path& root, const std::filesystem::path& except = {}) {
    std::vector<std::string> hits;
    std::error_code ec;
    if (!std::filesystem::exists(root, ec)) return hits;
    for (auto it = std::filesystem::recursive_directory_iterator(
             root, std::filesystem::directory_options::skip_permission_denied, ec);
         !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
        std::error_code e;
        if (!it->is_regular_file(e) || it->path() == except || it->file_size(e) > (64u << 20)) continue;
        if (readable(it->path()).find(kMyNumber) != std::string::npos) hits.push_back(it->path().string());
    }
    return hits;
}

forms::FilledForm filled(const forms::Template& t) {
    const forms::CardData card{"架空 縫子", "東京都千代田区霞が関2丁目1番2号", "1980-02-17", "female", true};
    return forms::prefill(t, card, {}, "2026-11-23", kMyNumber);
}

}  // namespace

TEST(CupsStream, AFormWithAMyNumberIsStreamedAndRestsInNoFileOfOurs) {
    ASSERT_FALSE(env("KAKANAI_TEST_CAPTURE_PRINTER").empty()) << "run through scripts/with-services (make test)";
    // A private $TMPDIR for this process (libcups included), searched afterwards.
    test::TempDir tmp;
    ASSERT_EQ(::setenv("TMPDIR", tmp.path().c_str(), 1), 0);
    const auto data = tmp / "data", out = tmp / "out";
    std::filesystem::create_directories(data);
    const auto t = forms::load_template(test::forms_dir() / "jidou_teate.toml");
    ASSERT_TRUE(printing::holds_my_number(t));
    forms::FilledForm form = filled(t);
    printing::PdfOptions o;
    o.application_id = "A-TEST-0201";
    auto pdf = printing::render_pdf(t, form, o);
    const int job = printing::stream_pdf(env("KAKANAI_TEST_CAPTURE_PRINTER"), pdf, o.application_id);
    std::fill(pdf.begin(), pdf.end(), 0);
    const auto s = printing::wait_for_job(job, std::chrono::seconds(60));
    ASSERT_EQ(s.state, printing::JobState::Completed) << to_string(s.state) << " " << s.reason;
    EXPECT_EQ(s.application_id, "A-TEST-0201");  // bound to its application like submit_pdf
    const std::filesystem::path capture_dir = env("KAKANAI_TEST_CAPTURE_DIR");
    const auto captured = capture_dir / ("job-" + std::to_string(job) + ".pdf");
    ASSERT_TRUE(std::filesystem::exists(captured));
    EXPECT_EQ(count_of(readable(captured), kMyNumber), 1u) << "the printed form must hold the number exactly once";

    // The folder print of the same form: the mask, never the number.
    const auto folder = printing::print_form_to_folder(t, form, o, out);
    form.wipe();
    EXPECT_TRUE(folder.my_number_masked);
    EXPECT_EQ(folder.file, printing::application_pdf_path(out, o.application_id));
    const std::string masked = readable(folder.file);
    EXPECT_EQ(count_of(masked, printing::kMyNumberMask), 1u);
    EXPECT_EQ(masked.find(kMyNumber), std::string::npos);

    for (const auto& root : {out, data, tmp.path()})
        for (const auto& hit : holding_number(root)) ADD_FAILURE() << "個人番号 at rest in " << hit;
    for (const auto& hit : holding_number(capture_dir, captured)) ADD_FAILURE() << "個人番号 at rest in " << hit;
    std::filesystem::remove(captured);
    ::unsetenv("TMPDIR");
}

TEST(CupsStream, AStreamedJobIsBoundToOneApplication) {
    ASSERT_FALSE(env("KAKANAI_TEST_CAPTURE_PRINTER").empty()) << "run through scripts/with-services (make test)";
    const auto t = forms::load_template(test::forms_dir() / "jidou_teate.toml");
    forms::FilledForm form = filled(t);
    printing::PdfOptions o;
    o.application_id = "A-TEST-0202";
    const auto pdf = printing::render_pdf(t, form, o);
    form.wipe();
    EXPECT_THROW(printing::stream_pdf(env("KAKANAI_TEST_CAPTURE_PRINTER"), pdf, ""), printing::PrintError);
    EXPECT_THROW(printing::stream_pdf(env("KAKANAI_TEST_CAPTURE_PRINTER"), {'n', 'o'}, "A-TEST-0202"), printing::PrintError);
    EXPECT_THROW(printing::stream_pdf("kakanai-no-such-queue", pdf, "A-TEST-0202"), printing::PrintError);
    const int job = printing::stream_pdf(env("KAKANAI_TEST_CAPTURE_PRINTER"), pdf, "A-TEST-0202");
    const auto s = printing::wait_for_job(job, std::chrono::seconds(60));
    ASSERT_EQ(s.state, printing::JobState::Completed) << s.reason;
    // A reprint for another application is refused.
    EXPECT_THROW(printing::resubmit(s, env("KAKANAI_TEST_CAPTURE_PRINTER"), pdf, "A-TEST-0299"), printing::PrintError);
    const int again = printing::resubmit(s, env("KAKANAI_TEST_CAPTURE_PRINTER"), pdf, "A-TEST-0202");
    ASSERT_EQ(printing::wait_for_job(again, std::chrono::seconds(60)).state, printing::JobState::Completed);
    std::filesystem::remove(std::filesystem::path(env("KAKANAI_TEST_CAPTURE_DIR")) / ("job-" + std::to_string(job) + ".pdf"));
    std::filesystem::remove(std::filesystem::path(env("KAKANAI_TEST_CAPTURE_DIR")) / ("job-" + std::to_string(again) + ".pdf"));
}

// Masking without CUPS: every 個人番号 field (the card's and a spouse's) shows the mask.
TEST(CupsStream, MaskCoversEveryMyNumberField) {
    const auto t = forms::load_template(test::forms_dir() / "jidou_teate.toml");
    const forms::CardData card{"架空 縫子", "東京都千代田区霞が関2丁目1番2号", "1980-02-17", "female", true};
    forms::FilledForm form = forms::prefill(t, card, {{"spouse_my_number", with_check_digit("71528394061")}},
                                            "2026-11-23", kMyNumber);
    EXPECT_TRUE(printing::mask_my_number(t, form));
    EXPECT_EQ(form.find("applicant_my_number")->display, printing::kMyNumberMask);
    EXPECT_EQ(form.find("spouse_my_number")->display, printing::kMyNumberMask);
    EXPECT_EQ(form.find("applicant_name")->display, "架空 縫子");
    const auto juminhyo = forms::load_template(test::forms_dir() / "juminhyo.toml");
    forms::FilledForm plain = forms::prefill(juminhyo, card, {}, "2026-11-23");
    EXPECT_FALSE(printing::holds_my_number(juminhyo));
    EXPECT_FALSE(printing::mask_my_number(juminhyo, plain));
}
