#pragma once
// The resident's guide slip (受付案内) as a one-page A4 PDF: the visit number
// very large with its QR code, each procedure in order with its counter, fee,
// what to bring and the deadline, and the fees' total. Written in the
// resident's language (ja, en, easy), official procedure names in Japanese
// beside a translation. Holds nothing personal.
#include <cstdint>
#include <string>
#include <vector>

#include "kakanai/forms/guide.hpp"
#include "kakanai/printing/pdf.hpp"

namespace kakanai::printing {

// The slip's own words in each language ("ja", "en", "easy"); unknown: ja.
struct GuideWords {
    std::string title, number, date, steps, counter, fee, no_fee, bring, deadline, total, call;
    // "{fee}円 × {n}通 = {total}円", "{from}{n}日以内"
    std::string fee_line, deadline_line;
};
const GuideWords& guide_words(const std::string& language);

// Every character the slip's own words use, in every language (a screen's font atlas).
std::string guide_all_words();

// "300円 × 2通 = 600円" / "¥300 × 2 = ¥600" / "無料"
std::string guide_fee_text(const forms::GuideStep& s, const std::string& language);
// "引っ越した日から14日以内" / "within 14 days from the day you moved in"; empty without a deadline.
std::string guide_deadline_text(const forms::GuideStep& s, const std::string& language);

// What the slip's QR code holds: "kakanai-visit <day> <number>".
std::string visit_qr_payload(const std::string& day, const std::string& number);

// `day`: the visit's day (YYYY-MM-DD), printed and in the QR code. Uses the
// fonts of `options` (application_id and english_labels are not used).
// Throws PrintError.
std::vector<std::uint8_t> render_guide_pdf(const forms::GuideSlip& slip, const std::string& day,
                                           const std::string& language, const PdfOptions& options = {});

}  // namespace kakanai::printing
