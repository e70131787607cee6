#include "monthly_pdf.hpp"

#include <algorithm>
#include <string>

#include "kakanai/base/utf8.hpp"
#include "kakanai/printing/report_pdf.hpp"

namespace kakanai::tools {
namespace {

using printing::format_number;
using printing::Rgb;

constexpr double kLeft = 18, kWidth = 174;
const Rgb kBlue{0.16, 0.38, 0.70}, kOrange{0.88, 0.45, 0.10}, kGreen{0.20, 0.55, 0.45}, kGrey{0.35, 0.35, 0.35};

std::string month_ja(const store::MonthlyReport& r) {
    return std::to_string(r.year) + "年" + std::to_string(r.month) + "月";
}

std::string percent(double share) { return format_number(share * 100, 1) + "%"; }

// A procedure title cut to `max` characters for a chart's label.
std::string shorten(const std::string& s, std::size_t max) {
    const auto cps = base::decode_utf8(s);
    if (cps.size() <= max) return s;
    std::string out;
    for (std::size_t i = 0; i + 1 < max; ++i) out += base::encode_utf8(cps[i]);
    return out + "…";
}

std::string week_label(const store::MonthlyReport& r, const store::WeekUse& w) {
    const std::string m = std::to_string(r.month) + "/";
    return w.first_day == w.last_day ? m + std::to_string(w.first_day)
                                     : m + std::to_string(w.first_day) + "–" + std::to_string(w.last_day);
}

void footer(printing::ReportPdf& pdf, const store::MonthlyReport& r, int page, int pages) {
    pdf.line(kLeft, 282, kLeft + kWidth, 282, 0.4, {0.6, 0.6, 0.6});
    pdf.text(kLeft, 284, "書かない窓口 月次報告 " + month_ja(r) + "（個人情報は含みません）", 8, printing::TextAlign::Left,
             kGrey);
    pdf.text(kLeft + kWidth, 284, std::to_string(page) + " / " + std::to_string(pages) + " ページ", 8,
             printing::TextAlign::Right, kGrey);
}

}  // namespace

std::vector<std::uint8_t> monthly_pdf(const store::MonthlyReport& r) {
    constexpr int kPages = 3;
    printing::ReportPdf pdf;
    pdf.set_title("書かない窓口 月次報告 " + month_ja(r));

    // Page 1: the headline figures and the month's weeks.
    pdf.new_page();
    pdf.text(kLeft, 16, "書かない窓口 月次報告　" + month_ja(r), 18);
    const std::string last = std::to_string(r.weeks.empty() ? 1 : r.weeks.back().last_day);
    pdf.text(kLeft, 26, "対象期間 " + std::to_string(r.year) + "年" + std::to_string(r.month) + "月1日〜" +
                            std::to_string(r.month) + "月" + last + "日 ・ すべてのキオスクの記録から集計",
             9, printing::TextAlign::Left, kGrey);
    pdf.text(kLeft, 36, "主な数値", 12);
    int calls = 0;
    for (const auto& [reason, n] : r.staff_calls) calls += n;
    const double hours = r.staff_minutes_saved / 60.0;
    double y = pdf.table(kLeft, 43, {112, 62},
                         {{"指標", "今月"},
                          {r.visits_numbered ? "利用件数（受付番号の数）" : "利用件数（キオスクでの手続き）",
                           format_number(r.visits) + " 件"},
                          {"キオスクでの手続き（途中でやめたものを含む）", format_number(r.kiosk_sessions) + " 件"},
                          {"完了した手続き", format_number(r.completed) + " 件"},
                          {"職員の手助けなしで完了した割合",
                           percent(r.without_help_share) + "（" + format_number(r.completed_without_help) + " 件）"},
                          {"作成した申請書", format_number(r.forms) + " 枚"},
                          {"システムで扱える手続き（うち今月利用）",
                           format_number(r.procedures_on_system) + "（" + format_number(r.procedures_used) + "）"},
                          {"削減できた職員の時間（推計）",
                           format_number(r.staff_minutes_saved, 0) + " 分（" + format_number(hours, 1) + " 時間）"},
                          {"満足度の平均（5段階、回答 " + format_number(r.rated) + " 件）", format_number(r.mean_rating, 2)},
                          {"職員の呼び出し", format_number(calls) + " 件"}},
                         10);
    pdf.text(kLeft, y + 2,
             "削減時間 = （作成した申請書 − 取消 " + format_number(r.cancelled) + " 枚）× 手書き1枚あたり " +
                 format_number(r.minutes_per_form) + " 分",
             8, printing::TextAlign::Left, kGrey);
    std::vector<std::string> weeks;
    std::vector<double> visits, forms;
    for (const auto& w : r.weeks) {
        weeks.push_back(week_label(r, w));
        visits.push_back(w.visits);
        forms.push_back(w.forms);
    }
    pdf.line_chart({kLeft, y + 12, kWidth, 78}, "週ごとの利用件数と申請書の枚数", weeks,
                   {{"利用件数", visits, kBlue}, {"申請書", forms, kOrange}}, "件・枚");
    y += 98;
    pdf.text(kLeft, y, "1件あたりの操作回数と時間（完了した " + format_number(r.taps.n) + " 件）", 12);
    pdf.table(kLeft, y + 7, {80, 47, 47},
              {{"指標", "中央値", "90パーセンタイル"},
               {"タップ数", format_number(r.taps.median, 1), format_number(r.taps.p90, 1)},
               {"所要時間（分）", format_number(r.minutes.median, 1), format_number(r.minutes.p90, 1)}},
              10);
    footer(pdf, r, 1, kPages);

    // Page 2: procedures.
    pdf.new_page();
    std::vector<std::string> names;
    std::vector<double> counts;
    for (const auto& p : r.procedures) {
        if (p.forms == 0 || names.size() == 15) break;
        names.push_back(shorten(p.title, 16));
        counts.push_back(p.forms);
    }
    const double chart_h = 14 + 7.5 * static_cast<double>(std::max<std::size_t>(names.size(), 3));
    pdf.hbar_chart({kLeft, 14, kWidth, chart_h}, "手続きごとの申請書の枚数（上位 " + std::to_string(names.size()) + "）",
                   names, counts, " 枚", kGreen);
    y = 14 + chart_h + 10;
    pdf.text(kLeft, y, "手続きごとの利用件数と申請書（週別）", 12);
    std::vector<std::string> header{"手続き", "利用", "申請書"};
    std::vector<double> widths{60, 14, 14};
    const double week_w = (kWidth - 88) / static_cast<double>(std::max<std::size_t>(r.weeks.size(), 1));
    for (const auto& w : r.weeks) {
        header.push_back(std::to_string(r.month) + "/" + std::to_string(w.first_day) + "〜");
        widths.push_back(week_w);
    }
    std::vector<std::vector<std::string>> rows{header};
    int unused = 0;
    for (const auto& p : r.procedures) {
        if (p.visits == 0 && p.forms == 0) {
            ++unused;
            continue;
        }
        if (rows.size() > 22) continue;
        std::vector<std::string> row{shorten(p.title, 18), format_number(p.visits), format_number(p.forms)};
        for (int n : p.forms_per_week) row.push_back(format_number(n));
        rows.push_back(std::move(row));
    }
    y = pdf.table(kLeft, y + 7, widths, rows, 8);
    pdf.text(kLeft, y + 2,
             "利用 = その手続きを選んだ利用件数、申請書 = 完了して作成した枚数。ほか " + std::to_string(unused) +
                 " 手続きは今月の利用なし。",
             8, printing::TextAlign::Left, kGrey);
    footer(pdf, r, 2, kPages);

    // Page 3: the residents' rating and the calls to staff.
    pdf.new_page();
    std::vector<double> faces;
    for (int n : r.ratings) faces.push_back(n);
    pdf.bar_chart({kLeft, 14, kWidth, 95}, "満足度（5段階）の分布", {"1 むずかしい", "2", "3", "4", "5 かんたん"}, faces, "件",
                  kBlue);
    pdf.text(kLeft, 113,
             "回答 " + format_number(r.rated) + " 件、平均 " + format_number(r.mean_rating, 2) +
                 "（手続きの終わりに5つの顔から選ぶ任意の評価）",
             8, printing::TextAlign::Left, kGrey);
    std::vector<std::string> reasons;
    std::vector<double> call_counts;
    for (const auto& [reason, n] : r.staff_calls) {
        reasons.push_back(store::staff_call_reason_ja(reason));
        call_counts.push_back(n);
    }
    if (reasons.empty()) {
        reasons.push_back("なし");
        call_counts.push_back(0);
    }
    pdf.bar_chart({kLeft, 128, kWidth, 95}, "職員の呼び出し（理由別）", reasons, call_counts, "件", kOrange);
    pdf.text(kLeft, 227,
             r.calls_recorded ? "キオスクが記録した呼び出しの件数。"
                              : "※呼び出しの記録がない期間のため、カードの読み取り状況から推計した件数。",
             8, printing::TextAlign::Left, kGrey);
    footer(pdf, r, 3, kPages);
    return pdf.finish();
}

}  // namespace kakanai::tools
