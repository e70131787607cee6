// Through the real pcscd and vsmartcard's vpcd driver: a virtual card program
// (kakanai-vcard) is the card; the reader is "Virtual PCD 00 00".
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "kakanai/cardreader/errors.hpp"
#include "kakanai/cardreader/mynumber.hpp"
#include "kakanai/cardreader/pcsc.hpp"
#include "kakanai/forms/prefill.hpp"
#include "kakanai/printing/pdf.hpp"
#include "kakanai/store/store.hpp"
#include "pcsc_support.hpp"

using namespace kakanai;
using test::kVirtualReader;
using test::VirtualCardInReader;

TEST(Pcsc, ListsTheVirtualReaders) {
    cardreader::PcscContext ctx;
    const auto readers = ctx.list_readers();
    bool found = false;
    for (const auto& r : readers) found = found || r.find(kVirtualReader) != std::string::npos;
    EXPECT_TRUE(found) << "pcscd does not list \"" << kVirtualReader
                       << "\": is vsmartcard-vpcd installed and pcscd started after it?";
}

// Card -> CardInfo -> form -> PDF, and pdftotext finds the card's name and address.
TEST(Pcsc, EndToEndCardToPdf) {
    VirtualCardInReader card("typical");
    ASSERT_TRUE(card.present());
    cardreader::PcscContext ctx;
    cardreader::PcscCard conn(ctx, test::virtual_reader_name());
    cardreader::CardInfo info;
    {
        cardreader::PcscCard::Transaction tx(conn);
        info = cardreader::read_card(conn, cardreader::Pin("1234"));
    }
    EXPECT_EQ(info.name, "番号 花子");
    EXPECT_EQ(info.reader, test::virtual_reader_name());

    const auto t = forms::load_template(test::forms_dir() / "juminhyo.toml");
    const forms::CardData data{info.name, info.address, info.birth_date, to_string(info.sex), true};
    const auto filled = forms::prefill(t, data, {}, "2026-11-23");
    test::TempDir dir;
    printing::write_file_atomic(dir / "a.pdf", printing::render_pdf(t, filled));
    const std::string text = test::pdf_text(dir / "a.pdf");
    EXPECT_NE(text.find("番号 花子"), std::string::npos) << text;
    EXPECT_NE(text.find("東京都千代田区霞が関2丁目1番2号 霞ヶ関コーポ101"), std::string::npos) << text;
}

// The CLI's JSON keys and the most verbose APDU log of a full read (with
// 個人番号 and authenticity): the log names every step and holds no secret.
TEST(Pcsc, CliJsonAndItsApduLogHoldNoSecret) {
    VirtualCardInReader card("typical");
    ASSERT_TRUE(card.present());
    test::TempDir dir;
    const auto r = test::run("echo 1234 | " + test::card_cli() + " read --pin-stdin --with-my-number --log-apdus --json" +
                             " --ca-key " + test::test_key("test-ca-public.pem") + " --reader '" + kVirtualReader +
                             "' 2>" + (dir / "log").string());
    std::ifstream in(dir / "log");
    std::stringstream log;
    log << in.rdbuf();
    ASSERT_EQ(r.exit_code, 0) << log.str();
    const auto j = nlohmann::json::parse(r.output);
    EXPECT_EQ(j["name"], "番号 花子");
    EXPECT_EQ(j["address"], "東京都千代田区霞が関2丁目1番2号 霞ヶ関コーポ101");
    EXPECT_EQ(j["birth_date"], "1980-02-17");
    EXPECT_EQ(j["sex"], "female");
    EXPECT_EQ(j["authenticity"], "verified");
    EXPECT_EQ(j["pin_tries_left"], 3);
    EXPECT_EQ(j["my_number"], "123456789018");  // asked for with --with-my-number
    EXPECT_EQ(j["apdus"]["data"], 9);           // 7 + SELECT EF 0001 + one READ BINARY
    EXPECT_EQ(j["apdus"]["authenticity"], 9);
    const std::string l = log.str();
    EXPECT_NE(l.find("00 A4 04 0C | D3 92 10 00 31 00 01 01 04 08"), std::string::npos) << "no APDU log";
    EXPECT_NE(l.find("<4 bytes redacted>"), std::string::npos);
    for (const char* secret : {"1234", "31 32 33 34", "123456789018", "31 32 33 34 35 36 37 38 39 30 31 38"})
        EXPECT_EQ(l.find(secret), std::string::npos) << "a secret reached the APDU log";
}

TEST(Pcsc, CliWrongPinExitCodeAndJsonError) {
    VirtualCardInReader card("typical");
    ASSERT_TRUE(card.present());
    const auto r = test::run("echo 9999 | " + test::card_cli() + " read --pin-stdin --json --reader '" +
                             kVirtualReader + "' 2>/dev/null");
    EXPECT_EQ(r.exit_code, 6);
    const auto j = nlohmann::json::parse(r.output);
    EXPECT_EQ(j["error"], "wrong_pin");
    EXPECT_EQ(j["pin_tries_left"], 2);
    EXPECT_EQ(r.output.find("9999"), std::string::npos);
}

TEST(Pcsc, CliNoCardExitCode) {
    const auto r = test::run("echo 1234 | " + test::card_cli() + " read --pin-stdin --reader '" + kVirtualReader +
                             "' 2>&1");
    EXPECT_EQ(r.exit_code, 4) << r.output;
    EXPECT_NE(r.output.find("カード"), std::string::npos) << r.output;
}

TEST(Pcsc, CliHelpDocumentsExitCodes) {
    const auto r = test::run(test::card_cli() + " --help");
    EXPECT_EQ(r.exit_code, 0);
    for (const char* s : {"6 wrong PIN", "7 PIN locked", "4 no card", "5 card removed", "9 malformed",
                          "--code-b-stdin", "pin_tries_left"})
        EXPECT_NE(r.output.find(s), std::string::npos) << s;
}

// make demo's headless session: the kiosk reads the demo card through pcscd
// (not in-process) and walks to the application number; the staff side finds the name.
TEST(Pcsc, DemoSessionThroughPcscdMakesTheApplication) {
    ASSERT_NE(std::getenv("DISPLAY"), nullptr) << "run through scripts/with-services (make test)";
    VirtualCardInReader card("demo");
    ASSERT_TRUE(card.present());
    test::TempDir dir;
    const auto r = test::run((test::binary_dir() / "kiosk/kakanai-kiosk").string() + " --pcsc --reader '" +
                             kVirtualReader + "' --script " +
                             (test::source_dir() / "assets/demo/headless.script").string() + " --screenshots " +
                             (dir / "shots").string() + " --output " + (dir / "out").string() + " --data " +
                             (dir / "data").string() + " 2>&1");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_TRUE(std::filesystem::exists(dir / "shots/08-done.png"));
    // The kiosk writes no page; the staff side opens the application with the card's name.
    EXPECT_FALSE(std::filesystem::exists(dir / "out") && !std::filesystem::is_empty(dir / "out"));
    auto staff = store::open_sqlite(dir / "data" / "store.db", dir / "data" / "seal.key");
    const auto queue = staff->queue();
    ASSERT_EQ(queue.size(), 1u);
    bool named = false;
    const auto app = staff->get(queue[0].app.id);
    ASSERT_TRUE(app.has_value());
    for (const auto& f : app->fields) named = named || f.value == "番号 花子";
    EXPECT_TRUE(named);
    EXPECT_EQ(r.output.find("1234"), std::string::npos);
}
