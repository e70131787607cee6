// Households on paper: every template with a [[group]] prints each member in
// its own row (pdftotext -bbox), and members beyond the rows go onto a
// continuation page with the same header, nothing clipped.
// Failure messages name fields and rows only, never values.
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <regex>

#include "kakanai/forms/catalogue.hpp"
#include "kakanai/forms/prefill.hpp"
#include "kakanai/printing/pdf.hpp"
#include "pdf_check.hpp"
#include "test_support.hpp"

using namespace kakanai;

namespace {

const std::string kToday = "2026-11-23";

forms::CardData card() { return {"架空 縫子", "東京都千代田区霞が関2丁目1番2号", "1980-02-17", "female", true}; }

// The errand's answers every group needs: the holder joins 国保, is the head.
forms::Answers answers() {
    return {{"applicant_kana", "カクウ ヌイコ"}, {"relationship", "head"}, {"employer_insurance", "no"}};
}

forms::Member child(const std::string& name, const std::string& kana, const std::string& birth) {
    forms::Member m;
    m.name = name;
    m.kana = kana;
    m.birth_date = birth;
    m.sex = "male";
    m.relationship = "child";
    m.answers = {{"employer_insurance", "no"}, {"lives_with", "together"}};
    return m;
}

std::string no_spaces(const std::string& s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == ' ') continue;
        if (s.compare(i, 3, "\u3000") == 0) {
            i += 2;
            continue;
        }
        out += s[i];
    }
    return out;
}

// pdftotext -bbox words of each page, in mm; read from memory (memfd).
std::vector<std::vector<test::Word>> pages_of(const std::vector<std::uint8_t>& pdf) {
    const int fd = memfd_create("form", 0);
    std::size_t off = 0;
    while (fd >= 0 && off < pdf.size()) {
        const ssize_t n = ::write(fd, pdf.data() + off, pdf.size() - off);
        if (n <= 0) break;
        off += static_cast<std::size_t>(n);
    }
    const std::string html = test::run("pdftotext -bbox /dev/fd/" + std::to_string(fd) + " -").output;
    if (fd >= 0) ::close(fd);
    static const std::regex word(
        "<word xMin=\"([0-9.]+)\" yMin=\"([0-9.]+)\" xMax=\"([0-9.]+)\" yMax=\"([0-9.]+)\">([^<]*)</word>");
    constexpr double mm = 25.4 / 72.0;
    std::vector<std::vector<test::Word>> pages;
    std::size_t at = html.find("<page ");
    while (at != std::string::npos) {
        const std::size_t next = html.find("<page ", at + 1);
        const std::string page = html.substr(at, next == std::string::npos ? std::string::npos : next - at);
        pages.emplace_back();
        for (auto it = std::sregex_iterator(page.begin(), page.end(), word); it != std::sregex_iterator(); ++it)
            pages.back().push_back({(*it)[5], std::stod((*it)[1]) * mm, std::stod((*it)[2]) * mm,
                                    std::stod((*it)[3]) * mm, std::stod((*it)[4]) * mm});
        at = next;
    }
    return pages;
}

// The words whose centre lies in the box, in reading order, spaces removed;
// `clipped` is set when such a word sticks out of the box.
std::string text_in(const std::vector<test::Word>& words, double x, double y, double w, double h, bool* clipped = nullptr) {
    std::vector<const test::Word*> in;
    for (const auto& wd : words) {
        const double cx = (wd.x0 + wd.x1) / 2, cy = (wd.y0 + wd.y1) / 2;
        if (cx < x || cx > x + w || cy < y || cy > y + h) continue;
        in.push_back(&wd);
        if (clipped && (wd.x0 < x - 0.2 || wd.x1 > x + w + 0.2 || wd.y0 < y - 0.2 || wd.y1 > y + h + 0.2)) *clipped = true;
    }
    std::sort(in.begin(), in.end(), [](const test::Word* a, const test::Word* b) {
        return std::abs(a->y0 - b->y0) > 1.0 ? a->y0 < b->y0 : a->x0 < b->x0;
    });
    std::string s;
    for (const auto* wd : in) s += wd->text;
    return no_spaces(s);
}

// A row box's text without the field's caption.
std::string value_in(const std::vector<test::Word>& words, const forms::Group& g, const forms::LayoutItem& item, int slot,
                     bool* clipped = nullptr) {
    std::string s = text_in(words, item.x, item.y + g.pitch * slot, item.w, item.h, clipped);
    const forms::Field* f = g.field(item.field);
    const std::string label = f ? no_spaces(f->label.ja) : "";
    if (item.show_label && s.rfind(label, 0) == 0) s.erase(0, label.size());
    return s;
}

// What a member's row shows for a group field, worked out from the template alone.
std::string expected(const forms::Field& f, const forms::Member& m) {
    if (f.source == forms::Source::Member) {
        const std::string& k = f.source_key;
        const std::string raw = k == "name" ? m.name : k == "kana" ? m.kana : k == "birth_date" ? m.birth_date
                              : k == "sex" ? m.sex : m.relationship;
        return no_spaces(forms::display_value(f, raw));
    }
    if (f.source == forms::Source::Question) {
        auto it = m.answers.find(f.id);
        return it == m.answers.end() ? "" : no_spaces(forms::display_value(f, it->second));
    }
    if (f.source == forms::Source::Fixed) return no_spaces(forms::display_value(f, f.source_key));
    return "";
}

std::vector<std::string> group_ids() {
    std::vector<std::string> ids;
    const auto catalogue = forms::Catalogue::load(test::forms_dir(), kToday);
    for (const auto* t : catalogue.templates())
        if (!t->groups.empty()) ids.push_back(t->id);
    return ids;
}

class TwoPersonHousehold : public ::testing::TestWithParam<std::string> {};

}  // namespace

TEST(HouseholdCatalogue, TheHouseholdFormsHaveGroups) {
    const auto ids = group_ids();
    for (const char* id : {"tennyu", "tenkyo", "tenshutsu", "setai_henkou", "kokuho_shutoku", "kokuho_soushitsu", "jidou_teate"})
        EXPECT_NE(std::find(ids.begin(), ids.end(), id), ids.end()) << id << " has no [[group]]";
}

// The card holder and one child: each member's values in the boxes of their own row.
TEST_P(TwoPersonHousehold, EachMemberInItsOwnRow) {
    const auto catalogue = forms::Catalogue::load(test::forms_dir(), kToday);
    const forms::Template* t = catalogue.find(GetParam());
    ASSERT_NE(t, nullptr);
    forms::Household h{child("架空 楓太", "カクウ フウタ", "2018-05-05")};
    forms::FilledForm form = forms::prefill(*t, card(), answers(), kToday, {}, h);
    printing::PdfOptions o;
    o.application_id = "A-0000-0002";
    printing::RenderReport report;
    const auto pages = pages_of(printing::render_pdf(*t, form, o, &report));
    form.wipe();
    EXPECT_EQ(report.pages, 1u);
    ASSERT_EQ(pages.size(), 1u);
    const auto& words = pages[0];
    for (const auto& g : t->groups) {
        // The holder as a member: the card's facts and the holder's answers.
        forms::Member holder;
        holder.name = card().name;
        holder.birth_date = card().birth_date;
        holder.sex = card().sex;
        // フリガナ and 続柄 come from the form's own questions (`holder = "field.…"`):
        // the official forms list the holder's 続柄 in the first row like everyone's.
        if (g.holder) {
            holder.kana = "カクウ ヌイコ";
            holder.relationship = "head";
        }
        holder.answers = answers();
        std::vector<const forms::Member*> rows;
        if (g.holder) rows.push_back(&holder);
        rows.push_back(&h[0]);  // the child belongs to every group shipped
        for (int slot = 0; slot < g.max; ++slot)
            for (const auto& item : g.items) {
                if (item.kind != "field") continue;
                const forms::Field* f = g.field(item.field);
                ASSERT_NE(f, nullptr);
                bool clipped = false;
                const std::string shown = value_in(words, g, item, slot, &clipped);
                const std::string want = slot < static_cast<int>(rows.size()) ? expected(*f, *rows[static_cast<std::size_t>(slot)]) : "";
                EXPECT_TRUE(shown == want) << t->id << ": row " << slot + 1 << " box " << g.id << "." << f->id
                                           << " does not hold exactly its member's value";
                EXPECT_FALSE(clipped) << t->id << ": row " << slot + 1 << " box " << g.id << "." << f->id << " is clipped";
                if (slot == 0 && g.holder && f->source == forms::Source::Member) {
                    EXPECT_FALSE(shown.empty()) << t->id << ": the card holder's box " << g.id << "." << f->id
                                                << " in row 1 is blank";
                }
            }
    }
    // The child's name is on the page exactly once (in its row).
    std::string page;
    for (const auto& w : words) page += w.text;
    page = no_spaces(page);
    EXPECT_EQ(page.find("架空楓太"), page.rfind("架空楓太")) << t->id;
    EXPECT_NE(page.find("架空楓太"), std::string::npos) << t->id;
}

INSTANTIATE_TEST_SUITE_P(Catalogue, TwoPersonHousehold, ::testing::ValuesIn(group_ids()),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

namespace {

// DATA.json for `kakanai-forms preview --data` (docs/templates.md, "Preview data
// with a household"), written from the same card, answers and members as above.
std::string quoted(const std::string& s) { return "\"" + s + "\""; }

std::string object_of(const forms::Answers& a) {
    std::string s;
    for (const auto& [k, v] : a) s += (s.empty() ? "" : ", ") + quoted(k) + ": " + quoted(v);
    return "{" + s + "}";
}

std::string data_json(const forms::CardData& c, const forms::Answers& a, const forms::Household& h) {
    std::string members;
    for (const auto& m : h)
        members += (members.empty() ? "" : ", ") + std::string("{\"name\": ") + quoted(m.name) + ", \"kana\": " + quoted(m.kana) +
                   ", \"birth_date\": " + quoted(m.birth_date) + ", \"sex\": " + quoted(m.sex) +
                   ", \"relationship\": " + quoted(m.relationship) + ", \"answers\": " + object_of(m.answers) + "}";
    return "{\"card\": {\"name\": " + quoted(c.name) + ", \"address\": " + quoted(c.address) + ", \"birth_date\": " +
           quoted(c.birth_date) + ", \"sex\": " + quoted(c.sex) + "},\n \"members\": [" + members +
           "],\n \"answers\": " + object_of(a) + "}\n";
}

std::vector<std::uint8_t> bytes_of(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

class TwoPersonPreview : public ::testing::TestWithParam<std::string> {};

}  // namespace

// The administrator's preview of every form with a group, for the card holder
// and one child given as DATA.json: each person's name lies inside the name box
// of their own row (the holder first where the form lists them), the next row empty.
TEST_P(TwoPersonPreview, EachNameLiesInItsOwnRowBox) {
    const auto catalogue = forms::Catalogue::load(test::forms_dir(), kToday);
    const forms::Template* t = catalogue.find(GetParam());
    ASSERT_NE(t, nullptr);
    test::TempDir dir;
    const forms::Household h{child("架空 楓太", "カクウ フウタ", "2018-05-05")};
    std::ofstream(dir / "data.json") << data_json(card(), answers(), h);
    const auto pdf = dir / "preview.pdf";
    const auto r = test::run(test::shell_quote((test::binary_dir() / "tools/kakanai-forms").string()) + " --forms " +
                             test::shell_quote(test::forms_dir().string()) + " preview " + t->id + " --data " +
                             test::shell_quote((dir / "data.json").string()) + " --out " +
                             test::shell_quote(pdf.string()) + " 2>&1");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    const auto pages = pages_of(bytes_of(pdf));
    ASSERT_EQ(pages.size(), 1u) << t->id;
    for (const auto& g : t->groups) {
        const forms::LayoutItem* name_box = nullptr;
        for (const auto& item : g.items)
            if (item.field == "name") name_box = &item;
        ASSERT_NE(name_box, nullptr) << t->id;
        std::vector<std::string> names;
        if (g.holder) names.push_back(card().name);
        names.push_back(h[0].name);
        for (std::size_t slot = 0; slot <= names.size(); ++slot) {
            bool clipped = false;
            const std::string shown = value_in(pages[0], g, *name_box, static_cast<int>(slot), &clipped);
            EXPECT_EQ(shown, slot < names.size() ? no_spaces(names[slot]) : "")
                << t->id << ": row " << slot + 1 << " of " << g.id << " does not hold its person's name";
            EXPECT_FALSE(clipped) << t->id << ": row " << slot + 1 << " of " << g.id;
        }
    }
}

INSTANTIATE_TEST_SUITE_P(Catalogue, TwoPersonPreview, ::testing::ValuesIn(group_ids()),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

// Seven persons on a four-row 転入届: persons 5 to 7 on a continuation page
// under the same header; every name once, each inside its own box.
TEST(HouseholdContinuation, SevenPersonsOnFourRowsContinueOnPageTwo) {
    const auto catalogue = forms::Catalogue::load(test::forms_dir(), kToday);
    const forms::Template* t = catalogue.find("tennyu");
    ASSERT_NE(t, nullptr);
    ASSERT_EQ(t->groups.size(), 1u);
    const forms::Group& g = t->groups[0];
    ASSERT_EQ(g.max, 4);
    const auto m = static_cast<std::size_t>(g.max);
    const std::vector<std::string> names = {"架空 縫子", "架空 一郎", "架空 二葉", "架空 三郎", "架空 四季", "架空 五月", "架空 六花"};
    forms::Household h;
    for (std::size_t i = 1; i < names.size(); ++i) h.push_back(child(names[i], "カクウ", "2010-0" + std::to_string(i) + "-01"));
    forms::FilledForm form = forms::prefill(*t, card(), answers(), kToday, {}, h);
    EXPECT_EQ(forms::member_rows(form, g.id), 7);
    printing::RenderReport report;
    printing::PdfOptions o;
    o.application_id = "A-0000-0007";
    const auto pdf = printing::render_pdf(*t, form, o, &report);
    form.wipe();
    EXPECT_EQ(report.pages, 2u);
    const auto pages = pages_of(pdf);
    ASSERT_EQ(pages.size(), 2u);

    const forms::LayoutItem* name_box = nullptr;
    for (const auto& item : g.items)
        if (item.field == "name") name_box = &item;
    ASSERT_NE(name_box, nullptr);
    for (std::size_t i = 0; i < names.size(); ++i) {
        const auto& words = pages[i / m];
        bool clipped = false;
        EXPECT_EQ(value_in(words, g, *name_box, static_cast<int>(i % m), &clipped), no_spaces(names[i]))
            << "person " << i + 1 << " is not in row " << i % m + 1 << " of page " << i / m + 1;
        EXPECT_FALSE(clipped) << "person " << i + 1;
    }
    for (int slot = 3; slot < g.max; ++slot)
        EXPECT_EQ(value_in(pages[1], g, *name_box, slot), "") << "row " << slot + 1 << " of page 2 is not empty";

    // Every name once in the whole document.
    std::string all;
    for (const auto& p : pages)
        for (const auto& w : p) all += w.text;
    all = no_spaces(all);
    for (std::size_t i = 1; i < names.size(); ++i) {  // the holder is also the form's 氏名
        const std::string n = names[i];
        const auto first = all.find(no_spaces(n));
        EXPECT_NE(first, std::string::npos);
        EXPECT_EQ(first, all.rfind(no_spaces(n))) << "a person is printed twice";
    }
    // Page 2 repeats the header: the title, the new address box, the continuation mark.
    std::string p2;
    for (const auto& w : pages[1]) p2 += w.text;
    p2 = no_spaces(p2);
    EXPECT_NE(p2.find(no_spaces(t->title.ja)), std::string::npos);
    EXPECT_NE(p2.find("新住所"), std::string::npos);
    EXPECT_NE(p2.find("続紙2/2"), std::string::npos);
    EXPECT_NE(p2.find("A-0000-0007"), std::string::npos);
    EXPECT_NE(p2.find(no_spaces(card().address)), std::string::npos);  // 前住所 from the card, in the header

}
