#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "kakanai/forms/prefill.hpp"
#include "kakanai/printing/pdf.hpp"
#include "test_support.hpp"

using namespace kakanai;

namespace {
forms::FilledForm sample(const forms::Template& t) {
    const forms::CardData card{"番号 花子", "東京都千代田区霞が関2丁目1番2号", "1980-02-17", "female", true};
    return forms::prefill(t, card, {}, "2026-11-23");
}
}  // namespace

TEST(Pdf, RendersJapaneseTextThatPdftotextReadsBack) {
    const auto t = forms::load_template(test::forms_dir() / "juminhyo.toml");
    test::TempDir dir;
    const auto file = dir / "out/a.pdf";
    printing::write_file_atomic(file, printing::render_pdf(t, sample(t), {}));
    const std::string text = test::pdf_text(file);
    EXPECT_NE(text.find("住民票の写し等交付請求書"), std::string::npos) << text;
    EXPECT_NE(text.find("番号 花子"), std::string::npos) << text;
    EXPECT_NE(text.find("東京都千代田区霞が関2丁目1番2号"), std::string::npos) << text;
    EXPECT_NE(text.find("昭和55年2月17日"), std::string::npos) << text;
    struct stat st{};
    ASSERT_EQ(stat(file.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    ASSERT_EQ(stat(file.parent_path().c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0700u);
}

TEST(Pdf, MissingFontIsAClearError) {
    const auto t = forms::load_template(test::forms_dir() / "juminhyo.toml");
    printing::PdfOptions o;
    o.mincho_font = "/nonexistent/ipaexm.ttf";
    try {
        printing::render_pdf(t, sample(t), o);
        FAIL();
    } catch (const printing::PrintError& e) {
        EXPECT_NE(std::string(e.what()).find("font file missing: /nonexistent/ipaexm.ttf"), std::string::npos);
    }
}

TEST(Pdf, WriteIntoAFileInsteadOfAFolderFailsCleanly) {
    test::TempDir dir;
    std::ofstream(dir / "file") << "x";
    try {
        printing::write_file_atomic(dir / "file/a.pdf", {1, 2, 3});
        FAIL();
    } catch (const printing::PrintError& e) {
        EXPECT_NE(std::string(e.what()).find("output folder"), std::string::npos) << e.what();
    }
}
