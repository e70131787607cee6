#include "pads.hpp"

#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include <map>

namespace kakanai::kiosk {
namespace {

// One 行 of the 50音 table: five slots (a i u e o), empty where the 行 has no kana.
struct Gyo {
    const char* kana[5];
    const char* romaji[5];
};

const Gyo kGyo[10] = {
    {{"ア", "イ", "ウ", "エ", "オ"}, {"a", "i", "u", "e", "o"}},
    {{"カ", "キ", "ク", "ケ", "コ"}, {"ka", "ki", "ku", "ke", "ko"}},
    {{"サ", "シ", "ス", "セ", "ソ"}, {"sa", "shi", "su", "se", "so"}},
    {{"タ", "チ", "ツ", "テ", "ト"}, {"ta", "chi", "tsu", "te", "to"}},
    {{"ナ", "ニ", "ヌ", "ネ", "ノ"}, {"na", "ni", "nu", "ne", "no"}},
    {{"ハ", "ヒ", "フ", "ヘ", "ホ"}, {"ha", "hi", "fu", "he", "ho"}},
    {{"マ", "ミ", "ム", "メ", "モ"}, {"ma", "mi", "mu", "me", "mo"}},
    {{"ヤ", nullptr, "ユ", nullptr, "ヨ"}, {"ya", nullptr, "yu", nullptr, "yo"}},
    {{"ラ", "リ", "ル", "レ", "ロ"}, {"ra", "ri", "ru", "re", "ro"}},
    {{"ワ", nullptr, "ヲ", nullptr, "ン"}, {"wa", nullptr, "wo", nullptr, "n"}},
};

// The function keys; labels of the word keys are i18n keys.
struct Fn {
    const char* id;
    const char* label;
    bool word;
};
const Fn kFunctions[5] = {{"kana.dakuten", "゛゜", false},
                          {"kana.small", "小", false},
                          {"kana.long", "ー", false},
                          {"kana.space", "kana.space", true},
                          {"kana.back", "question.clear", true}};

const std::map<std::string, std::string>& kana_of_id() {
    static const std::map<std::string, std::string> m = [] {
        std::map<std::string, std::string> out;
        for (const auto& g : kGyo)
            for (int v = 0; v < 5; ++v)
                if (g.kana[v]) out[std::string("kana.") + g.romaji[v]] = g.kana[v];
        return out;
    }();
    return m;
}

// Small and full forms of the katakana that have both (no canonical mapping exists).
const std::map<std::string, std::string>& small_pairs() {
    static const std::map<std::string, std::string> m = [] {
        const char* pairs[][2] = {{"ア", "ァ"}, {"イ", "ィ"}, {"ウ", "ゥ"}, {"エ", "ェ"}, {"オ", "ォ"}, {"ツ", "ッ"},
                                  {"ヤ", "ャ"}, {"ユ", "ュ"}, {"ヨ", "ョ"}, {"ワ", "ヮ"}, {"カ", "ヵ"}, {"ケ", "ヶ"}};
        std::map<std::string, std::string> out;
        for (const auto& p : pairs) {
            out[p[0]] = p[1];
            out[p[1]] = p[0];
        }
        return out;
    }();
    return m;
}

std::size_t last_char_start(const std::string& s) {
    if (s.empty()) return 0;
    std::size_t i = s.size() - 1;
    while (i > 0 && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) --i;
    return i;
}

std::string utf8(const icu::UnicodeString& u) {
    std::string s;
    u.toUTF8String(s);
    return s;
}

}  // namespace

PadLayout digit_pad() {
    PadLayout p;
    p.rows = 4;
    p.cols = 3;
    for (int i = 1; i <= 9; ++i) p.keys.push_back({"digit." + std::to_string(i), std::to_string(i), (i - 1) / 3, (i - 1) % 3});
    p.keys.push_back({"digit.clear", "question.clear", 3, 0, 1, true});
    p.keys.push_back({"digit.0", "0", 3, 1});
    return p;
}

void press_digit(std::string& draft, const std::string& key_id, std::size_t max_len) {
    if (key_id == "digit.clear") {
        if (!draft.empty()) draft.pop_back();
        return;
    }
    if (key_id.size() == 7 && key_id.rfind("digit.", 0) == 0 && key_id[6] >= '0' && key_id[6] <= '9' &&
        draft.size() < max_len)
        draft += key_id[6];
}

PadLayout kana_pad(int columns) {
    PadLayout p;
    const bool table = columns >= 11;
    for (int g = 0; g < 10; ++g)
        for (int v = 0; v < 5; ++v) {
            if (!kGyo[g].kana[v]) continue;
            PadKey k{std::string("kana.") + kGyo[g].romaji[v], kGyo[g].kana[v], v, g};
            if (!table && g >= 8) {
                // ラ行 then ワ ヲ ン in one row under the table.
                k.row = 5;
                k.col = g == 8 ? v : 5 + v / 2;
            }
            p.keys.push_back(k);
        }
    for (int i = 0; i < 5; ++i) {
        const Fn& f = kFunctions[i];
        if (table) {
            p.keys.push_back({f.id, f.label, i, 10, 1, f.word});
            continue;
        }
        // Portrait: 小 and ー in the ヤ column's free cells; ゛゜, 空白 and 消す two
        // cells wide (a word in every language), the row's last two cells left to
        // the screen (次へ).
        if (i == 1) p.keys.push_back({f.id, f.label, 3, 7, 1, f.word});
        else if (i == 2) p.keys.push_back({f.id, f.label, 1, 7, 1, f.word});
        else p.keys.push_back({f.id, f.label, 6, i == 0 ? 0 : i == 3 ? 2 : 4, 2, f.word});
    }
    p.rows = table ? 5 : 7;
    p.cols = table ? 11 : 8;
    return p;
}

std::string drop_last_char(const std::string& text) { return text.substr(0, last_char_start(text)); }

std::string cycle_dakuten(const std::string& text) {
    if (text.empty()) return text;
    const std::size_t at = last_char_start(text);
    UErrorCode err = U_ZERO_ERROR;
    const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(err);
    const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(err);
    if (U_FAILURE(err)) return text;
    const icu::UnicodeString last = icu::UnicodeString::fromUTF8(text.substr(at));
    icu::UnicodeString split = nfd->normalize(last, err);
    if (U_FAILURE(err) || split.isEmpty()) return text;
    // The base kana and which mark it carries now: none, ゛ (U+3099) or ゜ (U+309A).
    int mark = 0;
    if (split.char32At(split.length() - 1) == 0x3099) mark = 1;
    else if (split.char32At(split.length() - 1) == 0x309A) mark = 2;
    const icu::UnicodeString base = mark ? icu::UnicodeString(split, 0, split.length() - 1) : split;
    // The next mark that composes into one character; none when neither does.
    for (int step = 1; step <= 2; ++step) {
        const int want = (mark + step) % 3;
        if (want == 0) return text.substr(0, at) + utf8(base);
        icu::UnicodeString marked(base);
        marked.append(static_cast<UChar32>(want == 1 ? 0x3099 : 0x309A));
        const icu::UnicodeString composed = nfc->normalize(marked, err);
        if (U_SUCCESS(err) && composed.countChar32() == 1) return text.substr(0, at) + utf8(composed);
    }
    return text;
}

std::string toggle_small(const std::string& text) {
    if (text.empty()) return text;
    const std::size_t at = last_char_start(text);
    const auto it = small_pairs().find(text.substr(at));
    return it == small_pairs().end() ? text : text.substr(0, at) + it->second;
}

std::string pad_text() {
    icu::UnicodeString u;
    for (UChar32 c = 0x3041; c <= 0x3096; ++c) u.append(c);  // hiragana (やさしい日本語 labels)
    for (UChar32 c = 0x30A1; c <= 0x30FC; ++c) u.append(c);  // katakana with ヴ ヵ ヶ ー
    std::string s = utf8(u);
    s += "゛゜小年月日度元明治大正昭和平成令和（）〜所得–()FYJanDec:0123456789";
    return s;
}

void press_kana(std::string& draft, const std::string& key_id) {
    constexpr std::size_t kMaxBytes = 40 * 3;  // 40 katakana: longer than any name box
    if (key_id == "kana.back") draft = drop_last_char(draft);
    else if (key_id == "kana.dakuten") draft = cycle_dakuten(draft);
    else if (key_id == "kana.small") draft = toggle_small(draft);
    else if (draft.size() >= kMaxBytes) return;
    else if (key_id == "kana.long") {
        if (!draft.empty() && draft.back() != ' ') draft += "ー";
    } else if (key_id == "kana.space") {
        // One space between family and given name; never first, never two.
        if (!draft.empty() && draft.back() != ' ') draft += ' ';
    } else if (const auto it = kana_of_id().find(key_id); it != kana_of_id().end()) {
        draft += it->second;
    }
}

}  // namespace kakanai::kiosk
