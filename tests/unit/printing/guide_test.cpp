// The resident's guide slip (受付案内): its PDF read back with pdftotext -bbox,
// in Japanese and English: the visit number (very large), each procedure with
// its counter, the fees and their total, what to bring, the deadline.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>

#include "kakanai/forms/guide.hpp"
#include "kakanai/printing/guide.hpp"
#include "test_support.hpp"

using namespace kakanai;

namespace {

struct Word {
    std::string text;
    double height = 0;
};

// Every word of the PDF with its height in points (pdftotext -bbox).
std::vector<Word> words_of(const std::vector<std::uint8_t>& pdf, const test::TempDir& dir, const std::string& name) {
    const auto file = dir / (name + ".pdf");
    std::ofstream(file, std::ios::binary).write(reinterpret_cast<const char*>(pdf.data()),
                                                 static_cast<std::streamsize>(pdf.size()));
    const auto r = test::run("pdftotext -bbox " + file.string() + " -");
    EXPECT_EQ(r.exit_code, 0) << r.output;
    std::vector<Word> out;
    static const std::regex word(R"re(<word xMin="([0-9.]+)" yMin="([0-9.]+)" xMax="([0-9.]+)" yMax="([0-9.]+)">([^<]*)</word>)re");
    for (auto it = std::sregex_iterator(r.output.begin(), r.output.end(), word); it != std::sregex_iterator(); ++it)
        out.push_back({(*it)[5].str(), std::stod((*it)[4].str()) - std::stod((*it)[2].str())});
    return out;
}

std::string all_text(const std::vector<Word>& words) {
    std::string s;
    for (const auto& w : words) s += w.text + " ";
    // pdftotext escapes & < > in -bbox output
    for (const auto& [from, to] : {std::pair<std::string, std::string>{"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}})
        for (auto p = s.find(from); p != std::string::npos; p = s.find(from, p + 1)) s.replace(p, from.size(), to);
    return s;
}

class GuideSlip : public ::testing::Test {
protected:
    void SetUp() override {
        for (const char* id : {"juminhyo", "tennyu", "kokuho_soushitsu", "jidou_teate"})
            templates_.push_back(forms::load_template(test::forms_dir() / (std::string(id) + ".toml")));
    }
    forms::GuideSlip slip() const {
        // As chosen at the kiosk: the certificate first; the slip orders by [guide] order.
        return forms::make_guide_slip("105", {{&templates_[0], 2}, {&templates_[1], 1}, {&templates_[2], 1},
                                              {&templates_[3], 1}});
    }
    // The slip's words, as the station loads them (assets/i18n).
    std::vector<std::uint8_t> render(const std::string& language) const {
        return printing::render_guide_pdf(slip(), "2026-12-02", language, texts_.in(language));
    }
    std::vector<forms::Template> templates_;
    printing::GuideTexts texts_{test::source_dir() / "assets/i18n"};
    test::TempDir dir_;
};

}  // namespace

TEST_F(GuideSlip, OrdersProceduresAndAddsTheFees) {
    const forms::GuideSlip s = slip();
    ASSERT_EQ(s.steps.size(), 4u);
    EXPECT_EQ(s.steps[0].template_id, "tennyu");  // 転入届 before 国保, 児童手当 and the certificate
    EXPECT_EQ(s.steps[1].template_id, "kokuho_soushitsu");
    EXPECT_EQ(s.steps[2].template_id, "jidou_teate");
    EXPECT_EQ(s.steps[3].template_id, "juminhyo");
    EXPECT_EQ(s.steps[3].fee_total(), 600);
    EXPECT_EQ(s.total_yen(), 600);
    EXPECT_EQ(s.steps[0].deadline_days, 14);
    EXPECT_EQ(s.steps[2].deadline_days, 15);
    // The town's counter names win; a template without [guide] falls back to its department.
    forms::GuideCounters town;
    town.by_key["juminhyo"] = forms::Text{"1番窓口", "Counter 1", ""};
    town.by_key["保険年金課"] = forms::Text{"3番窓口 保険年金課", "", ""};
    const auto t = forms::make_guide_slip("7", {{&templates_[0], 1}, {&templates_[2], 1}}, town);
    EXPECT_EQ(t.steps[0].counter.ja, "3番窓口 保険年金課");
    EXPECT_EQ(t.steps[1].counter.in("en"), "Counter 1");
    forms::Template bare = templates_[0];
    bare.guide.reset();
    bare.department.clear();
    EXPECT_EQ(forms::make_guide_slip("8", {{&bare, 1}}).steps[0].counter.ja, forms::default_counter().ja);
}

TEST_F(GuideSlip, JapanesePdfHasTheNumberFeesProceduresAndWhatToBring) {
    const auto words = words_of(render("ja"), dir_, "ja");
    const std::string text = all_text(words);
    bool big_number = false;
    for (const auto& w : words) big_number = big_number || (w.text == "105" && w.height > 40);
    EXPECT_TRUE(big_number) << "the visit number is not printed very large:\n" << text;
    for (const char* want : {"受付案内", "受付番号", "2026-12-02", "1.", "転入届", "2.", "国民健康保険", "3.", "児童手当",
                             "4.", "住民票", "300円 × 2通 = 600円", "手数料の合計:", "通帳", "保険証", "転出証明書",
                             "14日以内", "15日以内", "住民課（届出の窓口）"})
        EXPECT_NE(text.find(want), std::string::npos) << want << "\n" << text;
    EXPECT_NE(text.find("合計: 600円"), std::string::npos) << text;
}

TEST_F(GuideSlip, EnglishPdfTranslatesAndKeepsTheOfficialNames) {
    const auto words = words_of(render("en"), dir_, "en");
    const std::string text = all_text(words);
    bool big_number = false;
    for (const auto& w : words) big_number = big_number || (w.text == "105" && w.height > 40);
    EXPECT_TRUE(big_number) << text;
    for (const char* want : {"Your number", "Total fees: ¥600", "¥300 × 2 = ¥600", "Bank book", "within 14 days",
                             "Counter: Resident Affairs", "（住民票の写し等交付請求書）", "No fee"})
        EXPECT_NE(text.find(want), std::string::npos) << want << "\n" << text;
    // やさしい日本語 as well, from the same slip.
    const std::string easy = all_text(words_of(render("ja-easy"), dir_, "easy"));
    for (const char* want : {"あなたの ばんごう", "600えん", "つうちょう"})
        EXPECT_NE(easy.find(want), std::string::npos) << want << "\n" << easy;
}

// Nothing personal: the slip is built from the number and the procedures only.
TEST_F(GuideSlip, QrCodeHoldsTheVisitOnly) {
    EXPECT_EQ(printing::visit_qr_payload("2026-12-02", "105"), "kakanai-visit 2026-12-02 105");
}

// To look at the slips (or compare two builds): KAKANAI_KEEP_GUIDE=DIR keeps
// the slip in every language there.
TEST_F(GuideSlip, EveryLanguageRendersAndCanBeKept) {
    for (const char* lang : {"ja", "en", "ja-easy"}) {
        const auto pdf = render(lang);
        EXPECT_GT(pdf.size(), 1000u) << lang;
        if (const char* keep = std::getenv("KAKANAI_KEEP_GUIDE"))
            std::ofstream(std::filesystem::path(keep) / ("guide-" + std::string(lang) + ".pdf"), std::ios::binary)
                .write(reinterpret_cast<const char*>(pdf.data()), static_cast<std::streamsize>(pdf.size()));
    }
}

// The slip's words are the i18n files' guide.* keys: a town's file changes one,
// a reading in ruby markup is printed in brackets after its kanji, and a key a
// language lacks is read in Japanese.
TEST_F(GuideSlip, WordsComeFromTheTextFilesWithTheTownsOverThem) {
    const printing::GuideWords& ja = texts_.in("ja");
    EXPECT_EQ(ja.number, "受付番号");
    EXPECT_EQ(texts_.in("en").number, "Your number");
    EXPECT_EQ(texts_.in("easy").number, "あなたの ばんごう");
    EXPECT_EQ(&texts_.in("ja-easy"), &texts_.in("easy"));
    EXPECT_EQ(&texts_.in("xx"), &ja);  // unknown: Japanese
    test::TempDir town;
    std::ofstream(town / "ja.toml") << "\"guide.number\" = \"お呼び出し番号\"\n";
    std::ofstream(town / "ja-easy.toml") << "\"guide.title\" = \"{受付|うけつけ}の あんない\"\n"
                                            "\"guide.call\" = \"{番号|ばんごう}を よびます\"\n";
    std::ofstream(town / "en.toml") << "\"language_name\" = \"English\"\n";
    const printing::GuideTexts changed(test::source_dir() / "assets/i18n", town.path());
    EXPECT_EQ(changed.in("ja").number, "お呼び出し番号");
    EXPECT_EQ(changed.in("ja").fee, "手数料");
    EXPECT_EQ(changed.in("easy").title, "受付（うけつけ）の あんない");
    const std::string text = all_text(words_of(printing::render_guide_pdf(slip(), "2026-12-02", "ja-easy",
                                                                          changed.in("ja-easy")),
                                               dir_, "town-easy"));
    EXPECT_NE(text.find("受付（うけつけ）の"), std::string::npos) << text;
    EXPECT_NE(text.find("番号（ばんごう）を"), std::string::npos) << text;
    // The kiosk's screen reads the same keys through its own texts.
    const auto from = printing::GuideWords::from([](const std::string& key) { return "<" + key + ">"; });
    EXPECT_EQ(from.deadline_line, "<guide.deadline_line>");
    EXPECT_EQ(from.title, "<guide.title>");
}
