#pragma once
// The resident's guide slip (受付案内) as a one-page A4 PDF: the visit number
// very large with its QR code, each procedure in order with its counter, fee,
// what to bring and the deadline, and the fees' total. Written in the
// resident's language (ja, en, easy), official procedure names in Japanese
// beside a translation. Holds nothing personal.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "kakanai/forms/guide.hpp"
#include "kakanai/printing/pdf.hpp"

namespace kakanai::printing {

// The slip's own words in one language: the i18n files' guide.* keys
// (assets/i18n/{ja,en,ja-easy}.toml).
struct GuideWords {
    std::string title, number, date, steps, counter, fee, no_fee, bring, deadline, total, call;
    // "{fee}円 × {n}通 = {total}円", "{from}{n}日以内"
    std::string fee_line, deadline_line;
    // Every word through `text`: a key's text in the language (the kiosk's screen texts).
    static GuideWords from(const std::function<std::string(const std::string& key)>& text);
};

// The words of every language for paper, from the i18n folder with the town's
// folder over it (empty: none); a reading in ruby markup printed in brackets
// after its kanji. Throws std::runtime_error naming the file.
class GuideTexts {
public:
    explicit GuideTexts(const std::filesystem::path& i18n_dir, const std::filesystem::path& town_i18n_dir = {});
    // "ja", "en", "easy" or "ja-easy"; unknown: ja.
    const GuideWords& in(const std::string& language) const;

private:
    std::map<std::string, GuideWords> by_lang_;
};

// The characters the slip writes besides its words and the procedures' texts
// (digits, signs, the currency): a screen's font atlas needs them.
std::string guide_extra_chars();

// "300円 × 2通 = 600円" / "¥300 × 2 = ¥600" / "無料"
std::string guide_fee_text(const forms::GuideStep& s, const GuideWords& words);
// "引っ越した日から14日以内" / "within 14 days from the day you moved in"; empty without a deadline.
std::string guide_deadline_text(const forms::GuideStep& s, const std::string& language, const GuideWords& words);

// What the slip's QR code holds: "kakanai-visit <day> <number>".
std::string visit_qr_payload(const std::string& day, const std::string& number);

// `day`: the visit's day (YYYY-MM-DD), printed and in the QR code; `words`:
// the slip's words in `language` (GuideTexts::in). Uses the fonts of `options`
// (application_id and english_labels are not used). Throws PrintError.
std::vector<std::uint8_t> render_guide_pdf(const forms::GuideSlip& slip, const std::string& day,
                                           const std::string& language, const GuideWords& words,
                                           const PdfOptions& options = {});

}  // namespace kakanai::printing
