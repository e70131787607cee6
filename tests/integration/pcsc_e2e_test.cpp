// Through the real pcscd and vsmartcard's vpcd driver: a virtual card program
// (kakanai-vcard) is the card; the reader is "Virtual PCD 00 00".
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "kakanai/cardreader/errors.hpp"
#include "kakanai/cardreader/mynumber.hpp"
#include "kakanai/cardreader/pcsc.hpp"
#include "kakanai/forms/prefill.hpp"
#include "kakanai/printing/pdf.hpp"
#include "test_support.hpp"

using namespace kakanai;
using namespace std::chrono_literals;

namespace {

const std::string kReader = "Virtual PCD 00 00";

// Starts the virtual card for one profile and waits until pcscd sees it.
class VirtualCardInReader {
public:
    explicit VirtualCardInReader(const std::string& profile)
        : child_({(test::binary_dir() / "cardreader/kakanai-vcard").string(), test::card_profile(profile).string()}) {
        cardreader::PcscContext ctx;
        present_ = ctx.wait_for_card(5s, kReader).has_value();
    }
    ~VirtualCardInReader() {
        child_.stop();
        // Wait until pcscd has noticed the card is gone, so the next test starts clean.
        try {
            cardreader::PcscContext ctx;
            for (int i = 0; i < 50; ++i) {
                bool present = false;
                for (const auto& r : ctx.reader_states())
                    if (r.name.find(kReader) != std::string::npos) present = r.card_present;
                if (!present) break;
                std::this_thread::sleep_for(100ms);
            }
        } catch (const cardreader::CardError&) {
        }
    }
    bool present() const { return present_; }

private:
    test::ChildProcess child_;
    bool present_ = false;
};

std::string matching_reader() {
    cardreader::PcscContext ctx;
    for (const auto& r : ctx.list_readers())
        if (r.find(kReader) != std::string::npos) return r;
    return {};
}

}  // namespace

TEST(Pcsc, ListsTheVirtualReaders) {
    cardreader::PcscContext ctx;
    const auto readers = ctx.list_readers();
    bool found = false;
    for (const auto& r : readers) found = found || r.find(kReader) != std::string::npos;
    EXPECT_TRUE(found) << "pcscd does not list \"" << kReader
                       << "\": is vsmartcard-vpcd installed and pcscd started after it?";
}

// Card -> CardInfo -> form -> PDF, and pdftotext finds the card's name and address.
TEST(Pcsc, EndToEndCardToPdf) {
    VirtualCardInReader card("typical");
    ASSERT_TRUE(card.present());
    cardreader::PcscContext ctx;
    cardreader::PcscCard conn(ctx, matching_reader());
    cardreader::CardInfo info;
    {
        cardreader::PcscCard::Transaction tx(conn);
        info = cardreader::read_card(conn, cardreader::Pin("1234"));
    }
    EXPECT_EQ(info.name, "番号 花子");
    EXPECT_EQ(info.reader, matching_reader());

    const auto t = forms::load_template(test::forms_dir() / "juminhyo.toml");
    const forms::CardData data{info.name, info.address, info.birth_date, to_string(info.sex), true};
    const auto filled = forms::prefill(t, data, {}, "2026-11-23");
    test::TempDir dir;
    printing::write_file_atomic(dir / "a.pdf", printing::render_pdf(t, filled));
    const std::string text = test::pdf_text(dir / "a.pdf");
    EXPECT_NE(text.find("番号 花子"), std::string::npos) << text;
    EXPECT_NE(text.find("東京都千代田区霞が関2丁目1番2号 霞ヶ関コーポ101"), std::string::npos) << text;
}

TEST(Pcsc, CliReadsJsonWithPinFromStdin) {
    VirtualCardInReader card("rare_kanji");
    ASSERT_TRUE(card.present());
    const auto r = test::run("echo 1234 | " + (test::binary_dir() / "cardreader/kakanai-card").string() +
                             " read --pin-stdin --json --reader '" + kReader + "'");
    ASSERT_EQ(r.exit_code, 0);
    const auto j = nlohmann::json::parse(r.output);
    EXPECT_EQ(j["name"], "髙﨑 𠮷太郎");
    EXPECT_EQ(j["birth_date"], "1957-11-03");
    EXPECT_EQ(j["sex"], "male");
    EXPECT_FALSE(j.contains("my_number"));
    EXPECT_EQ(r.output.find("1234"), std::string::npos);
}

TEST(Pcsc, CliWrongPinExitCode) {
    VirtualCardInReader card("typical");
    ASSERT_TRUE(card.present());
    const auto r = test::run("echo 9999 | " + (test::binary_dir() / "cardreader/kakanai-card").string() +
                             " read --pin-stdin --reader '" + kReader + "' 2>&1");
    EXPECT_EQ(r.exit_code, 6);
    EXPECT_NE(r.output.find("2 tries left"), std::string::npos) << r.output;
}

TEST(Pcsc, CardPulledMidReadIsATypedError) {
    VirtualCardInReader card("pulled_after_5");
    ASSERT_TRUE(card.present());
    cardreader::PcscContext ctx;
    cardreader::PcscCard conn(ctx, matching_reader());
    try {
        cardreader::read_card(conn, cardreader::Pin("1234"));
        FAIL() << "the read succeeded";
    } catch (const cardreader::CardError& e) {
        EXPECT_EQ(e.kind(), cardreader::CardErrorKind::CardRemoved) << e.what();
    }
}
