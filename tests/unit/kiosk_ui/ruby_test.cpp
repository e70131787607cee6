// Ruby (furigana) for やさしい日本語: the markup {漢字|かんじ} (ruby.hpp), its
// checks when texts load (i18n.hpp), and its layout: readings drawn above their
// base inside the text's rectangle, a group never split across lines (kit.hpp).
#include <gtest/gtest.h>
#include <imgui.h>
#include <toml++/toml.h>

#include <algorithm>
#include <cfloat>
#include <fstream>
#include <set>

#include "i18n.hpp"
#include "kakanai/forms/catalogue.hpp"
#include "kit.hpp"
#include "layout_check.hpp"
#include "ruby.hpp"
#include "test_support.hpp"

using namespace kakanai::kiosk;

namespace {

std::string group(const std::string& base, const std::string& reading) {
    return std::string(kRubyOpen) + base + std::string(kRubySep) + reading + std::string(kRubyClose);
}

void write(const std::filesystem::path& p, const std::string& s) { std::ofstream(p) << s; }

// A language folder with one key, `easy` as its やさしい日本語 value.
void i18n_dir(const std::filesystem::path& dir, const std::string& easy, const std::string& ja = "住民票") {
    write(dir / "ja.toml", "\"a.key\" = \"" + ja + "\"\n");
    write(dir / "en.toml", "\"a.key\" = \"Certificate of residence\"\n");
    write(dir / "ja-easy.toml", "# easy\n\"a.key\" = \"" + easy + "\"\n");
}

std::string load_error(const std::filesystem::path& dir) {
    try {
        Strings s(dir);
        return "";
    } catch (const std::runtime_error& e) {
        return e.what();
    }
}

}  // namespace

// The parser itself is the forms library's (tests/unit/forms/ruby_test.cpp);
// the kiosk parses each text once.
TEST(Ruby, TheKioskParsesEachTextOnceAndShowsBrokenMarkupAsItIs) {
    EXPECT_EQ(ruby_cached("{写|うつ}し"), group("写", "うつ") + "し");
    EXPECT_EQ(&ruby_cached("{写|うつ}し"), &ruby_cached("{写|うつ}し"));
    EXPECT_EQ(ruby_cached("{broken"), "{broken");  // not markup: shown as it is
}

// A mistake in a language file stops the load with the file, the line and the key.
TEST(I18n, ARubyMistakeNamesTheFileAndTheKey) {
    kakanai::test::TempDir dir;
    i18n_dir(dir.path(), "{住{民|みん}票|じゅうみんひょう}");
    const std::string e = load_error(dir.path());
    EXPECT_NE(e.find((dir.path() / "ja-easy.toml").string() + ":2: key \"a.key\": a ruby group inside a ruby group"),
              std::string::npos)
        << e;
    i18n_dir(dir.path(), "{住民票|じゅうみんひょう");
    EXPECT_NE(load_error(dir.path()).find("key \"a.key\": '{' is never closed"), std::string::npos);
    // Ruby belongs to やさしい日本語 only.
    i18n_dir(dir.path(), "{住民票|じゅうみんひょう}", "{住民票|じゅうみんひょう}");
    EXPECT_NE(load_error(dir.path()).find("ja.toml:1: key \"a.key\": ruby {base|reading} is for ja-easy only"),
              std::string::npos);
    i18n_dir(dir.path(), "{住民票|じゅうみんひょう}");
    EXPECT_EQ(load_error(dir.path()), "");
}

// The kiosk keeps the readings; every other user of the texts gets them stripped.
TEST(I18n, TheKioskKeepsRubyEveryoneElseGetsPlainText) {
    kakanai::test::TempDir dir;
    i18n_dir(dir.path(), "{住民票|じゅうみんひょう}を {n}まい");
    Strings kiosk(dir.path(), {}, Strings::Ruby::Keep), plain(dir.path());
    kiosk.set_language("ja-easy");
    plain.set_language("ja-easy");
    EXPECT_EQ(kiosk.get("a.key", "2"), group("住民票", "じゅうみんひょう") + "を 2まい");
    EXPECT_EQ(plain.get("a.key", "2"), "住民票を 2まい");
    const std::string all = kiosk.all_text();
    EXPECT_NE(all.find("住民票"), std::string::npos);
    EXPECT_NE(all.find("じゅうみんひょう"), std::string::npos);
    EXPECT_EQ(all.find(kRubyOpen), std::string::npos);
}

// The real files: every やさしい日本語 text parses, uses ruby for its kanji, and
// every key of ja.toml exists in ja-easy.toml and en.toml (and none other).
TEST(I18n, EveryEasyTextParsesAndEveryKeyExistsInEveryLanguage) {
    const auto dir = kakanai::test::source_dir() / "assets/i18n";
    ASSERT_NO_THROW(Strings(dir, {}, Strings::Ruby::Keep));
    std::map<std::string, std::map<std::string, std::string>> files;
    for (const char* lang : {"ja", "en", "ja-easy"})
        for (const auto& [k, v] : toml::parse_file((dir / (std::string(lang) + ".toml")).string()))
            files[lang][std::string(k.str())] = v.value_or(std::string());
    for (const char* lang : {"en", "ja-easy"}) {
        for (const auto& [k, v] : files["ja"]) EXPECT_TRUE(files[lang].count(k)) << lang << " lacks " << k;
        for (const auto& [k, v] : files[lang]) EXPECT_TRUE(files["ja"].count(k)) << lang << " has extra " << k;
    }
    int with_ruby = 0;
    for (const auto& [k, v] : files["ja-easy"]) {
        std::string parsed;
        ASSERT_NO_THROW(parsed = parse_ruby(v)) << k;
        if (has_ruby(parsed)) ++with_ruby;
        // The resident's texts: no kanji without its reading (the staff's desk.* and store.* are for staff).
        if (k.rfind("desk.", 0) == 0 || k.rfind("store.", 0) == 0) continue;
        const std::string bare = [&] {
            std::string s;
            for (const auto& p : ruby_pieces(parsed))
                if (!p.group) s += p.base;
            return s;
        }();
        for (std::size_t i = 0; i + 2 < bare.size(); ++i) {
            const auto c = static_cast<unsigned char>(bare[i]);
            if (c != 0xE4 && !(c >= 0xE5 && c <= 0xE9)) continue;  // U+4E00..U+9FFF start with E4..E9
            ADD_FAILURE() << "ja-easy " << k << ": kanji without ruby in \"" << v << "\"";
            break;
        }
    }
    EXPECT_GT(with_ruby, 30);
}

// Catalogue texts in やさしい日本語 may carry ruby too: every one that does parses.
TEST(I18n, EveryCatalogueEasyTextWithRubyParses) {
    const auto cat = kakanai::forms::Catalogue::load(kakanai::test::forms_dir(), "2026-04-01");
    int with_ruby = 0;
    auto check = [&](const kakanai::forms::Text& t, const std::string& where) {
        if (t.easy.find('{') == std::string::npos) return;
        std::string parsed;
        EXPECT_NO_THROW(parsed = parse_ruby(t.easy)) << where << ": " << t.easy;
        if (has_ruby(parsed)) ++with_ruby;
    };
    for (const auto& e : cat.events()) check(e.title, "event " + e.id);
    for (const auto* t : cat.templates()) {
        check(t->title, t->id);
        for (const auto& f : t->fields) {
            check(f.label, t->id + "." + f.id);
            check(f.question, t->id + "." + f.id);
            check(f.help, t->id + "." + f.id);
            for (const auto& c : f.choices) check(c.label, t->id + "." + f.id + "." + c.value);
        }
    }
    EXPECT_GT(with_ruby, 0);
}

// ---- Layout.

namespace {

// Every character one unit wide; a ruby group as wide as the wider of its base
// and half its reading (readings at half size).
float chars(std::string_view s) {
    float n = 0;
    for (unsigned char ch : s)
        if ((ch & 0xC0) != 0x80) n += 1;
    return n;
}
float ruby_chars(std::string_view s) {
    return place_ruby(s, chars, [](std::string_view r) { return chars(r) / 2; }).w;
}

// True when every group of the line is whole (each open has its close).
bool groups_whole(const std::string& line) {
    std::size_t opens = 0, closes = 0;
    for (std::size_t p = line.find(kRubyOpen); p != std::string::npos; p = line.find(kRubyOpen, p + 1)) ++opens;
    for (std::size_t p = line.find(kRubyClose); p != std::string::npos; p = line.find(kRubyClose, p + 1)) ++closes;
    return opens == closes && line.find(kRubyClose) >= line.find(kRubyOpen);
}

}  // namespace

TEST(RubyLayout, AGroupIsNeverSplitAcrossLines) {
    const std::string t = parse_ruby("{住民票記載事項証明書|じゅうみんひょうきさいじこうしょうめいしょ}を {窓口|まどぐち}で {受|う}け{取|と}ります");
    for (float width = 1; width <= 30; width += 1) {
        bool broken = false;
        const auto lines = wrap_lines(t, width, ruby_chars, &broken);
        std::string joined;
        for (const auto& l : lines) {
            EXPECT_TRUE(groups_whole(l)) << "at width " << width << ": " << ruby_markup(l);
            joined += l;
        }
        EXPECT_EQ(joined, t);
    }
    // Wider than its line, the long group stays whole (reported as a broken word, not cut).
    bool broken = false;
    const auto lines = wrap_lines(t, 6, ruby_chars, &broken);
    EXPECT_EQ(ruby_markup(lines[0]), "{住民票記載事項証明書|じゅうみんひょうきさいじこうしょうめいしょ}");
    // A line may end before or after a group, never inside one; nor before the particle after it.
    const std::size_t inside = t.find(kRubySep);
    EXPECT_FALSE(breakable(t, inside));
    EXPECT_FALSE(breakable(t, t.find(kRubyOpen) + kRubyOpen.size() + 3));
    EXPECT_FALSE(breakable(t, t.find(kRubyClose) + kRubyClose.size()));  // before を
    EXPECT_TRUE(breakable(t, t.find("を ") + 4));                        // after the space
}

TEST(RubyLayout, TheCheckReportsALineBrokenInsideAGroup) {
    // 受付|番号 are two words: between them a line may end, unless they are one group.
    const std::string plain = "受付番号を";
    EXPECT_TRUE(breakable(plain, 6));
    const std::string t = parse_ruby("{受付番号|うけつけばんごう}を");
    for (const std::size_t cut : {kRubyOpen.size() + 6, t.find(kRubySep)}) {
        LayoutCheck c;
        c.begin_frame("question", 1920, 1080);
        c.text({t.substr(0, cut), t.substr(cut)}, Box{0, 200, 400, 300}, Box{0, 0, 1920, 1080});
        ASSERT_EQ(c.problems().size(), 1u) << cut;
        EXPECT_NE(c.problems()[0].find("is broken inside a word"), std::string::npos) << c.problems()[0];
    }
}

TEST(RubyLayout, AReadingIsCentredOverItsBase) {
    const std::string t = parse_ruby("{受付|うけつけ}の{日本|にほん}");
    const RubyLine l = place_ruby(t, chars, [](std::string_view r) { return chars(r) / 2; });
    ASSERT_EQ(l.runs.size(), 5u);
    EXPECT_EQ(std::string(l.runs[0].text), "受付");
    EXPECT_FLOAT_EQ(l.runs[0].x, 0);
    EXPECT_EQ(std::string(l.runs[1].text), "うけつけ");
    EXPECT_TRUE(l.runs[1].reading);
    EXPECT_FLOAT_EQ(l.runs[1].x + l.runs[1].w / 2, l.runs[0].x + l.runs[0].w / 2);
    EXPECT_EQ(std::string(l.runs[2].text), "の");
    EXPECT_FLOAT_EQ(l.runs[2].x, 2);
    EXPECT_EQ(std::string(l.runs[4].text), "にほん");  // narrower than 日本: centred over it
    EXPECT_FLOAT_EQ(l.runs[4].x + l.runs[4].w / 2, l.runs[3].x + l.runs[3].w / 2);
    EXPECT_FLOAT_EQ(l.runs[4].x, 3.25f);
    EXPECT_FLOAT_EQ(l.w, 5);
    // A reading wider than its base reaches over the kana after it (not over the line's start):
    // 職員 (2) under しょくいん (2.5) leaves no gap before を.
    const RubyLine o = place_ruby(parse_ruby("{職員|しょくいん}を"), chars, [](std::string_view r) { return chars(r) / 2; }, 0.5f);
    ASSERT_EQ(o.runs.size(), 3u);
    EXPECT_FLOAT_EQ(o.runs[1].x, 0);     // the reading from the line's start
    EXPECT_FLOAT_EQ(o.runs[0].x, 0.25f);  // the base centred under it
    EXPECT_FLOAT_EQ(o.runs[2].x, 2.25f);  // を right after the base
    EXPECT_FLOAT_EQ(o.w, 3.25f);
    // Never over a piece too narrow for the groups on both its sides.
    EXPECT_FLOAT_EQ(place_ruby(parse_ruby("{職員|しょくいん} {係|かかり}"), chars, [](std::string_view r) { return chars(r) / 2; }, 0.6f).w, 5.0f);
}

// Drawn through the kit with the kiosk's font: every reading glyph lies above
// every base glyph, inside the rectangle the layout check is given, centred on
// its base; a narrow box wraps between groups only.
TEST(RubyLayout, TheReadingLineSitsAboveItsBaseInsideTheTextsRectangle) {
    const std::string font = "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf";
    if (!std::filesystem::exists(font)) GTEST_SKIP() << font << " is not installed";
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = ImVec2(1920, 1080);
    io.IniFilename = nullptr;
    const std::string text = "{住民票|じゅうみんひょう}の{写|うつ}し";
    ImFontGlyphRangesBuilder rb;
    rb.AddText((ruby_base(parse_ruby(text)) + ruby_readings(parse_ruby(text))).c_str());
    ImVector<ImWchar> ranges;
    rb.BuildRanges(&ranges);
    ImFont* body = io.Fonts->AddFontFromFileTTF(font.c_str(), 40, nullptr, ranges.Data);
    ImFont* small = io.Fonts->AddFontFromFileTTF(font.c_str(), 20, nullptr, ranges.Data);
    unsigned char* px = nullptr;
    int w = 0, h = 0;
    io.Fonts->GetTexDataAsAlpha8(&px, &w, &h);
    set_ruby_font(small);
    LayoutCheck check;
    check.begin_frame("question", 1920, 1080);
    set_layout_check(&check);
    ImGui::NewFrame();
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(io.DisplaySize);
    ImGui::Begin("w", nullptr, ImGuiWindowFlags_NoDecoration);
    ImDrawList* dl = ImGui::GetWindowDrawList();

    const TextBlock one = layout_text(body, 40, text, 0);
    ASSERT_EQ(one.lines.size(), 1u);
    EXPECT_FLOAT_EQ(one.band, 40 * kRubyBand);
    EXPECT_FLOAT_EQ(one.h, 40 + 40 * kRubyBand);
    const int from = dl->VtxBuffer.Size;
    const Box box{100, 100, 700, 400};
    draw_text(dl, body, 40, 100, 200, IM_COL32(0, 0, 0, 255), one, 0, &box);
    // Glyph quads (4 vertices each): readings are the short ones.
    float reading_bottom = 0, base_top = FLT_MAX, reading_l = FLT_MAX, reading_r = 0, base_l = FLT_MAX, base_r = 0;
    int readings = 0, bases = 0;
    for (int i = from; i + 3 < dl->VtxBuffer.Size; i += 4) {
        float x0 = FLT_MAX, y0 = FLT_MAX, x1 = 0, y1 = 0;
        for (int k = 0; k < 4; ++k) {
            const ImVec2 p = dl->VtxBuffer[i + k].pos;
            x0 = std::min(x0, p.x), y0 = std::min(y0, p.y), x1 = std::max(x1, p.x), y1 = std::max(y1, p.y);
        }
        // Inside the text's rectangle (the one the layout check is given).
        EXPECT_GE(x0, 100 - 0.5f);
        EXPECT_LE(x1, 100 + one.w + 0.5f);
        EXPECT_GE(y0, 200 - 0.5f);
        EXPECT_LE(y1, 200 + one.h + 0.5f);
        if (y1 - y0 < 24) {
            ++readings;
            reading_bottom = std::max(reading_bottom, y1);
            if (readings <= 8) reading_l = std::min(reading_l, x0), reading_r = std::max(reading_r, x1);  // じゅうみんひょう
        } else {
            ++bases;
            base_top = std::min(base_top, y0);
            if (bases <= 3) base_l = std::min(base_l, x0), base_r = std::max(base_r, x1);  // 住民票
        }
    }
    EXPECT_EQ(readings, 8 + 2);  // じゅうみんひょう, うつ
    EXPECT_EQ(bases, 3 + 1 + 1 + 1);  // 住民票, の, 写, し
    EXPECT_LE(reading_bottom, base_top + 0.5f);
    EXPECT_NEAR((reading_l + reading_r) / 2, (base_l + base_r) / 2, 3.0f);
    EXPECT_TRUE(check.ok()) << check.problems()[0];

    // Too narrow for one line: it wraps between groups, and the check agrees.
    const TextBlock two = layout_text(body, 40, text, one.w - 10);
    ASSERT_EQ(two.lines.size(), 2u);
    EXPECT_EQ(ruby_markup(two.lines[0]), "{住民票|じゅうみんひょう}の");
    EXPECT_EQ(ruby_markup(two.lines[1]), "{写|うつ}し");
    EXPECT_FLOAT_EQ(two.h, 2 * (40 + 40 * kRubyBand));
    draw_text(dl, body, 40, 100, 200, IM_COL32(0, 0, 0, 255), two, 0, &box);
    EXPECT_TRUE(check.ok()) << check.problems()[0];
    // A box too small for the readings: clipped, reported.
    const Box low{100, 215, 700, 400};
    draw_text(dl, body, 40, 100, 200, IM_COL32(0, 0, 0, 255), one, 0, &low);
    EXPECT_EQ(check.problems().size(), 1u);

    ImGui::End();
    ImGui::Render();
    set_layout_check(nullptr);
    set_ruby_font(nullptr);
    ImGui::DestroyContext();
}

// English counts: "1 form", "2 forms", never "form(s)".
TEST(I18n, EnglishCountsHaveASingular) {
    Strings s(kakanai::test::source_dir() / "assets/i18n");
    s.set_language("en");
    EXPECT_EQ(s.get("errand.forms", "1"), "1 form");
    EXPECT_EQ(s.get("errand.forms", "3"), "3 forms");
    EXPECT_EQ(s.get("pin.tries_left", "1"), "1 try left");
    EXPECT_EQ(s.get("pin.tries_left", "2"), "2 tries left");
    s.set_language("ja");
    EXPECT_EQ(s.get("errand.forms", "1"), "書類 1 通");
    for (const char* lang : {"en", "ja", "ja-easy"})
        for (const auto& [k, v] : toml::parse_file((kakanai::test::source_dir() / "assets/i18n" / (std::string(lang) + ".toml")).string()))
            EXPECT_EQ(v.value_or(std::string()).find("(s)"), std::string::npos) << lang << " " << k;
}

TEST(I18n, EnglishDatesPutTheWesternYearFirst) {
    EXPECT_EQ(date_in_english("1980-02-17"), "17 February 1980 (Shōwa 55)");
    EXPECT_EQ(date_in_english("2019-05-01"), "1 May 2019 (Reiwa 1)");
    EXPECT_EQ(date_in_english("1989-01-07"), "7 January 1989 (Shōwa 64)");
    EXPECT_THROW(date_in_english("1980-02-30"), std::exception);
}
