// Every value only in its own box, for every template of the catalogue: the
// form is rendered with a card and a distinct answer for every question, and
// pdftotext -bbox shows each value inside the box of the field whose `from`
// names it, and in no other box. The expected value of each field is worked
// out here from the template alone (never from prefill's output), so a value
// that lands in the wrong field fails.
//
// Failure messages name fields only: the card's values and the 個人番号 never
// reach the test's output.
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <functional>
#include <map>
#include <set>

#include "kakanai/base/my_number.hpp"
#include "kakanai/forms/address.hpp"
#include "kakanai/forms/catalogue.hpp"
#include "kakanai/forms/prefill.hpp"
#include "kakanai/printing/pdf.hpp"
#include "pdf_check.hpp"
#include "test_support.hpp"

using namespace kakanai;

namespace {

const std::string kToday = "2026-11-23";

// Eleven digits and the 個人番号 check digit (the ordinance's weights).
std::string with_check_digit(const std::string& d) { return d + base::my_number_check_digit(d).value(); }

forms::CardData card() { return {"架空 縫子", "東京都千代田区霞が関2丁目1番2号", "1980-02-17", "female", true}; }
const std::string kMyNumber = with_check_digit("40392817465");
const std::string kOtherNumber = with_check_digit("71528394061");

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

std::size_t code_points(const std::string& s) {
    return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

std::size_t count_of(const std::string& hay, const std::string& needle) {
    if (needle.empty()) return 0;
    std::size_t n = 0;
    for (auto p = hay.find(needle); p != std::string::npos; p = hay.find(needle, p + needle.size())) ++n;
    return n;
}

std::string iso_plus_days(int days) {
    using namespace std::chrono;
    const year_month_day d{sys_days{year{1990} / January / 10} + std::chrono::days{days}};
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(d.year()), static_cast<unsigned>(d.month()),
                  static_cast<unsigned>(d.day()));
    return buf;
}

const std::vector<std::string> kPool = {"縫", "鷺", "楓", "榊", "柊", "椿", "萩", "葵", "澪", "凪",
                                        "汐", "颯", "蓮", "樹", "翠", "雫", "茜", "霞", "梓", "梢"};
const std::vector<std::string> kKana = {"ア", "イ", "ウ", "エ", "オ", "カ", "キ", "ク", "ケ", "コ",
                                        "サ", "シ", "ス", "セ", "ソ", "タ", "チ", "ツ", "テ", "ト"};

// One answer per question field, each different from every other value.
struct Case {
    forms::Answers answers;
    std::map<std::string, std::string> expected;  // field id -> display as printed
};

Case make_case(const forms::Template& t) {
    Case c;
    std::set<std::string> used;
    int i = 0;
    for (const auto& f : t.fields) {
        if (f.source != forms::Source::Question) continue;
        const std::string token = kPool[static_cast<std::size_t>(i / 20 % 20)] + kPool[static_cast<std::size_t>(i % 20)];
        const std::string kana = kKana[static_cast<std::size_t>(i / 20 % 20)] + kKana[static_cast<std::size_t>(i % 20)];
        const std::string digits = std::to_string(1000 + (i * 7) % 9000);
        std::string v;
        switch (f.type) {
            case forms::FieldType::Text: v = "値" + token; break;
            case forms::FieldType::Kana: v = "カナ" + kana; break;
            case forms::FieldType::Address: v = "架空県試験市" + token + "町"; break;
            case forms::FieldType::Date: v = iso_plus_days(i * 397 + 3); break;
            case forms::FieldType::Checkbox: v = "true"; break;
            case forms::FieldType::Number:
                if (f.max && *f.max - f.min.value_or(0) < 1000)
                    v = std::to_string(f.min.value_or(0) + (i % (*f.max - f.min.value_or(0) + 1)));
                else
                    v = "9" + digits;
                break;
            case forms::FieldType::PostalCode: v = digits.substr(0, 3) + "-" + digits; break;
            case forms::FieldType::Phone: v = "090-" + digits + "-" + std::to_string(2000 + i); break;
            case forms::FieldType::MyNumber: v = kOtherNumber; break;
            case forms::FieldType::Choice: {
                // A label no other field shows yet.
                v = f.choices.empty() ? "" : f.choices[static_cast<std::size_t>(i) % f.choices.size()].value;
                for (std::size_t k = 0; k < f.choices.size(); ++k) {
                    const auto& ch = f.choices[(static_cast<std::size_t>(i) + k) % f.choices.size()];
                    if (!used.count(ch.label.ja)) {
                        v = ch.value;
                        break;
                    }
                }
                break;
            }
            case forms::FieldType::Signature: break;
        }
        ++i;
        if (v.empty()) continue;
        c.answers[f.id] = v;
        used.insert(forms::display_value(f, v));
    }
    // What each field must show, from the template's `from` alone.
    const forms::CardData cd = card();
    std::map<std::string, std::string> raw;
    std::function<std::string(const forms::Field&, int)> raw_of = [&](const forms::Field& f, int depth) -> std::string {
        switch (f.source) {
            case forms::Source::Card:
                if (f.source_key == "name") return cd.name;
                if (f.source_key == "address") return cd.address;
                if (f.source_key == "birth_date") return cd.birth_date;
                if (f.source_key == "sex") return cd.sex;
                if (f.source_key == "my_number") return kMyNumber;
                if (f.source_key == "card_read") return cd.read_from_card ? "true" : "false";
                return "";
            case forms::Source::Question: {
                // A question whose `when` is false is not asked: its box stays empty.
                const forms::Facts facts{cd.birth_date, cd.sex, cd.read_from_card, kToday, &c.answers};
                if (!f.when.holds(facts)) return "";
                auto it = c.answers.find(f.id);
                return it != c.answers.end() ? it->second : f.default_value;
            }
            case forms::Source::Field: {
                const forms::Field* src = t.field(f.source_key);
                return src && depth < 8 ? raw_of(*src, depth + 1) : "";
            }
            case forms::Source::Today: return kToday;
            case forms::Source::Fixed: return f.source_key;
            case forms::Source::None:
            case forms::Source::Member: return "";
        }
        return "";
    };
    // An override (see forms::Override) replaces the value when its condition holds.
    const auto bound_raw = [&](const forms::Field& f) {
        if (f.override_by) {
            const auto& o = *f.override_by;
            const forms::Field* w = o.when.empty() ? nullptr : t.field(o.when);
            if (o.when.empty() || (w && raw_of(*w, 0) == o.is && raw_of(f, 0).empty())) {
                if (!o.field.empty()) {
                    if (const forms::Field* src = t.field(o.field)) return raw_of(*src, 0);
                } else if (auto it = c.answers.find(o.answer); it != c.answers.end() && !it->second.empty()) {
                    return it->second;
                }
            }
        }
        return raw_of(f, 0);
    };
    for (const auto& f : t.fields) {
        std::string v = bound_raw(f);
        if (f.type == forms::FieldType::Address && f.part != forms::AddressPart::Whole) {
            const auto p = forms::split_address(v);
            switch (f.part) {
                case forms::AddressPart::Prefecture: v = p.prefecture; break;
                case forms::AddressPart::City: v = p.city; break;
                case forms::AddressPart::Town: v = p.town; break;
                case forms::AddressPart::Building: v = p.building; break;
                case forms::AddressPart::Whole: break;
            }
        }
        c.expected[f.id] = forms::display_value(f, v);
    }
    return c;
}

// The PDF is read from memory (memfd): the 個人番号 on it never lands in a file.
std::vector<test::Word> words_of(const std::vector<std::uint8_t>& pdf) {
    const int fd = memfd_create("form", 0);
    if (fd < 0) return {};
    std::size_t off = 0;
    while (off < pdf.size()) {
        const ssize_t n = ::write(fd, pdf.data() + off, pdf.size() - off);
        if (n <= 0) break;
        off += static_cast<std::size_t>(n);
    }
    auto words = test::pdf_words("/dev/fd/" + std::to_string(fd));
    ::close(fd);
    return words;
}

struct Box {
    const forms::LayoutItem* item;
    std::string text;  // the words inside, in reading order, label and spaces removed
};

std::vector<std::string> catalogue_ids() {
    std::vector<std::string> ids;
    const auto catalogue = forms::Catalogue::load(test::forms_dir(), kToday);
    for (const auto* t : catalogue.templates()) ids.push_back(t->id);
    return ids;
}

class FieldBoxes : public ::testing::TestWithParam<std::string> {};

}  // namespace

TEST_P(FieldBoxes, EveryValueOnlyInItsOwnBox) {
    const auto catalogue = forms::Catalogue::load(test::forms_dir(), kToday);
    const forms::Template* t = catalogue.find(GetParam());
    ASSERT_NE(t, nullptr);
    const Case c = make_case(*t);
    forms::FilledForm form = forms::prefill(*t, card(), c.answers, kToday, kMyNumber);
    printing::PdfOptions o;
    o.application_id = "A-0000-0001";
    const auto words = words_of(printing::render_pdf(*t, form, o));
    form.wipe();
    ASSERT_FALSE(words.empty()) << "pdftotext read nothing";

    // Words by box: a word belongs to the box holding its centre.
    std::vector<Box> boxes;
    std::vector<bool> placed(words.size(), false);
    for (const auto& item : t->layout) {
        if (item.kind != "field" && item.kind != "grid") continue;
        std::vector<std::size_t> inside;
        for (std::size_t k = 0; k < words.size(); ++k) {
            const double cx = (words[k].x0 + words[k].x1) / 2, cy = (words[k].y0 + words[k].y1) / 2;
            if (cx >= item.x && cx <= item.x + item.w && cy >= item.y && cy <= item.y + item.h) inside.push_back(k);
        }
        std::sort(inside.begin(), inside.end(), [&](std::size_t a, std::size_t b) {
            return std::abs(words[a].y0 - words[b].y0) > 1.0 ? words[a].y0 < words[b].y0 : words[a].x0 < words[b].x0;
        });
        std::string text;
        for (auto k : inside) {
            text += words[k].text;
            placed[k] = true;
        }
        text = no_spaces(text);
        const forms::Field* f = t->field(item.field);
        ASSERT_NE(f, nullptr) << item.field;
        const std::string label = no_spaces(f->label.ja);
        if (item.kind == "field" && item.show_label && text.rfind(label, 0) == 0) text.erase(0, label.size());
        boxes.push_back({&item, text});
    }
    // The rows of a [[group]] (the card holder's row copies the form's values)
    // are checked by the household tests.
    for (const auto& g : t->groups)
        for (int slot = 0; slot < g.max; ++slot)
            for (const auto& item : g.items)
                for (std::size_t k = 0; k < words.size(); ++k) {
                    const double cx = (words[k].x0 + words[k].x1) / 2, cy = (words[k].y0 + words[k].y1) / 2;
                    const double top = item.y + g.pitch * slot;
                    if (cx >= item.x && cx <= item.x + item.w && cy >= top - 5 && cy <= top + item.h) placed[k] = true;
                }
    std::string outside;
    for (std::size_t k = 0; k < words.size(); ++k)
        if (!placed[k]) outside += words[k].text;
    outside = no_spaces(outside);

    // Fixed text of the page: a value equal to a piece of it cannot be told apart there.
    std::vector<std::string> fixed = {no_spaces(t->title.ja), t->department};
    for (const auto& item : t->layout)
        if (item.kind == "label") fixed.push_back(no_spaces(item.text.ja));
    for (const auto& f : t->fields) fixed.push_back(no_spaces(f.label.ja));
    const auto distinctive = [&](const std::string& v) {
        if (code_points(v) < 3) return false;
        return std::none_of(fixed.begin(), fixed.end(), [&](const std::string& s) { return s.find(v) != std::string::npos; });
    };

    for (const auto& f : t->fields) {
        const std::string expected = no_spaces(c.expected.at(f.id));
        const std::string shown = f.type == forms::FieldType::Signature ? "" : expected;
        for (const auto& b : boxes) {
            if (b.item->field != f.id) continue;
            if (b.item->kind == "grid") {
                std::string cells;
                for (char ch : shown)
                    if (ch != '-') cells += ch;
                EXPECT_TRUE(b.text == cells) << t->id << ": grid of " << f.id << " does not hold exactly its own value";
            } else if (shown.empty()) {
                EXPECT_TRUE(b.text.empty()) << t->id << ": " << f.id << " names no value but its box is not empty";
            } else {
                EXPECT_EQ(count_of(b.text, shown), 1u) << t->id << ": " << f.id << " does not show its value once";
                EXPECT_TRUE(b.text == shown) << t->id << ": " << f.id << " holds something besides its value";
            }
        }
        if (shown.empty() || !distinctive(shown)) continue;
        // Nowhere else: not in the box of a field it is not bound to, not outside the boxes.
        for (const auto& b : boxes) {
            if (b.item->field == f.id) continue;
            const std::string other = no_spaces(c.expected.at(b.item->field));
            std::string other_cells;
            for (char ch : other)
                if (b.item->kind != "grid" || ch != '-') other_cells += ch;
            std::string mine = shown;
            if (b.item->kind == "grid") mine.erase(std::remove(mine.begin(), mine.end(), '-'), mine.end());
            if (other_cells.find(mine) != std::string::npos) continue;  // bound there too (a copy, the whole address)
            EXPECT_EQ(b.text.find(mine), std::string::npos)
                << t->id << ": the value of " << f.id << " appears in the box of " << b.item->field;
        }
        EXPECT_EQ(outside.find(shown), std::string::npos) << t->id << ": the value of " << f.id << " appears outside its box";
    }
    // The card's 個人番号 is in the boxes bound to card.my_number and nowhere else.
    const auto bound = forms::fields_bound_to(*t, "card.my_number");
    std::size_t number_boxes = 0, number_seen = 0;
    for (const auto& b : boxes) {
        const bool is_bound = std::any_of(bound.begin(), bound.end(), [&](const forms::Field* f) { return f->id == b.item->field; });
        number_boxes += is_bound;
        number_seen += count_of(b.text, kMyNumber);
        if (!is_bound) {
            EXPECT_EQ(b.text.find(kMyNumber), std::string::npos) << t->id << ": 個人番号 in " << b.item->field;
        }
    }
    EXPECT_EQ(number_seen, number_boxes) << t->id;
    EXPECT_EQ(outside.find(kMyNumber), std::string::npos) << t->id;
}

INSTANTIATE_TEST_SUITE_P(Catalogue, FieldBoxes, ::testing::ValuesIn(catalogue_ids()),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

// The binding the staff station uses to place the 個人番号 read at print time.
TEST(FieldsBoundTo, NamesOnlyTheFieldsWhoseFromNamesTheValue) {
    const auto t = forms::load_template(test::forms_dir() / "jidou_teate.toml");
    const auto number = forms::fields_bound_to(t, "card.my_number");
    ASSERT_EQ(number.size(), 1u);
    EXPECT_EQ(number[0]->id, "applicant_my_number");  // never spouse_my_number, also of type my_number
    const auto name = forms::fields_bound_to(t, "card.name");
    ASSERT_EQ(name.size(), 1u);
    EXPECT_EQ(name[0]->id, "applicant_name");
    EXPECT_TRUE(forms::fields_bound_to(t, "card.nothing").empty());
    EXPECT_TRUE(forms::fields_bound_to(t, "my_number").empty());
    const auto none = forms::load_template(test::forms_dir() / "juminhyo.toml");
    EXPECT_TRUE(forms::fields_bound_to(none, "card.my_number").empty());
}

// The suite above prints field ids only: run it and look for the card's values
// (and the 個人番号) in everything it wrote.
TEST(FieldBoxesOutput, CarriesNoCardValue) {
    const auto binary = test::binary_dir() / "tests" / "printing_unit_tests";
    const auto r = test::run(test::shell_quote(binary.string()) + " --gtest_filter='Catalogue/FieldBoxes.*' 2>&1");
    EXPECT_NE(r.output.find("EveryValueOnlyInItsOwnBox/jidou_teate"), std::string::npos);
    const forms::CardData c = card();
    for (const std::string& v : {c.name, c.address, kMyNumber, kOtherNumber, std::string("昭和55年2月17日")})
        EXPECT_EQ(r.output.find(v), std::string::npos) << "a card value reached the test output";
    std::string spaced;
    for (char ch : kMyNumber) spaced += std::string(1, ch) + " ";
    EXPECT_EQ(r.output.find(spaced.substr(0, 12)), std::string::npos);
}
