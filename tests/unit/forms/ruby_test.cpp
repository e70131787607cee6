// Ruby (furigana) markup {漢字|かんじ} for やさしい日本語 (kakanai/forms/ruby.hpp):
// the parser and its checks, and the text forms made from a parsed text.
#include "kakanai/forms/ruby.hpp"

#include <gtest/gtest.h>

using namespace kakanai::forms;

namespace {

std::string group(const std::string& base, const std::string& reading) {
    return std::string(kRubyOpen) + base + std::string(kRubySep) + reading + std::string(kRubyClose);
}

// The message parse_ruby() throws for `markup`, or "" when it parses.
std::string mistake(const std::string& markup) {
    try {
        parse_ruby(markup);
        return "";
    } catch (const RubyError& e) {
        return e.what();
    }
}

}  // namespace

TEST(Ruby, GroupsBecomeAnnotationsAndPlaceholdersStay) {
    EXPECT_EQ(parse_ruby("{住民票|じゅうみんひょう}を {n}まい"), group("住民票", "じゅうみんひょう") + "を {n}まい");
    EXPECT_EQ(parse_ruby("{写|うつ}し"), group("写", "うつ") + "し");
    EXPECT_EQ(parse_ruby("マイナンバーカード"), "マイナンバーカード");
    EXPECT_EQ(parse_ruby("{受付番号|ウケツケバンゴウ}"), group("受付番号", "ウケツケバンゴウ"));  // katakana reading
}

TEST(Ruby, MalformedMarkupIsRefusedWithWhatIsWrong) {
    EXPECT_EQ(mistake("{住{民|みん}票|じゅうみんひょう}"), "a ruby group inside a ruby group");
    EXPECT_EQ(mistake("{住民票|じゅう{みん|みん}ひょう}"), "a ruby group inside a ruby group");
    EXPECT_EQ(mistake("{住民票|じゅうみんひょう"), "'{' is never closed");
    EXPECT_EQ(mistake("{住民票"), "'{' is never closed");
    EXPECT_EQ(mistake("住民票}"), "'}' without its '{'");
    EXPECT_EQ(mistake("住民票|じゅうみんひょう"), "'|' outside a ruby group {base|reading}");
    EXPECT_EQ(mistake("{|じゅうみんひょう}"), "a ruby group with no base text before '|'");
    EXPECT_EQ(mistake("{住民票|}"), "a ruby group with no reading after '|'");
    EXPECT_EQ(mistake("{住民票|じゅう|みんひょう}"), "a second '|' in one ruby group");
    EXPECT_EQ(mistake("{住民票|juminhyo}"), "the reading 'juminhyo' of '住民票' is not kana");
    EXPECT_EQ(mistake("{住民票|住民}"), "the reading '住民' of '住民票' is not kana");
    EXPECT_EQ(mistake("{2 copies}"), "'{2 copies}' is neither a ruby group {base|reading} nor a placeholder such as {n}");
    EXPECT_NE(mistake("a" + group("住民票", "じゅうみんひょう")), "");  // the annotation characters themselves
    try {
        parse_ruby("あいう}");
        FAIL();
    } catch (const RubyError& e) {
        EXPECT_EQ(e.offset(), 9u);  // bytes: three kana of 3 bytes each
    }
}

TEST(Ruby, BaseReadingsAndMarkupOfAText) {
    const std::string t = parse_ruby("{住民票|じゅうみんひょう}の{写|うつ}しを 1{枚|まい}");
    EXPECT_TRUE(has_ruby(t));
    EXPECT_EQ(ruby_base(t), "住民票の写しを 1枚");
    EXPECT_EQ(ruby_readings(t), "じゅうみんひょううつまい");
    EXPECT_EQ(ruby_markup(t), "{住民票|じゅうみんひょう}の{写|うつ}しを 1{枚|まい}");
    EXPECT_EQ(ruby_base("ふつうの ぶん"), "ふつうの ぶん");
    EXPECT_FALSE(has_ruby("ふつうの ぶん"));
}

TEST(Ruby, PiecesArePlainRunsAndGroupsInOrder) {
    const std::string t = parse_ruby("1{枚|まい}の {写|うつ}し");
    const auto p = ruby_pieces(t);
    ASSERT_EQ(p.size(), 5u);
    EXPECT_FALSE(p[0].group);
    EXPECT_EQ(p[0].base, "1");
    EXPECT_TRUE(p[1].group);
    EXPECT_EQ(p[1].base, "枚");
    EXPECT_EQ(p[1].reading, "まい");
    EXPECT_EQ(p[2].base, "の ");
    EXPECT_EQ(p[3].base, "写");
    EXPECT_EQ(p[3].reading, "うつ");
    EXPECT_FALSE(p[4].group);
    EXPECT_EQ(p[4].base, "し");
    EXPECT_TRUE(ruby_pieces("").empty());
}

// Paper has no room above a line: the reading follows its base in brackets.
TEST(Ruby, PaperPutsTheReadingInBracketsAfterItsBase) {
    EXPECT_EQ(ruby_bracketed(parse_ruby("{引|ひ}っ{越|こ}した {日|ひ}から")), "引（ひ）っ越（こ）した 日（ひ）から");
    EXPECT_EQ(ruby_bracketed(parse_ruby("{n}まい")), "{n}まい");
    EXPECT_EQ(ruby_bracketed("English"), "English");
}

TEST(Ruby, MarkupThatDoesNotParseIsKeptAsItIs) {
    EXPECT_EQ(parse_ruby_or_keep("{写|うつ}し"), group("写", "うつ") + "し");
    EXPECT_EQ(parse_ruby_or_keep("{broken"), "{broken");
    EXPECT_EQ(parse_ruby_or_keep("{住民票|juminhyo}"), "{住民票|juminhyo}");
    EXPECT_EQ(parse_ruby_or_keep("plain"), "plain");
}
