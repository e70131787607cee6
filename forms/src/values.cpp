// Checking typed values against their field type.
#include <unicode/uchar.h>
#include <unicode/uniset.h>
#include <unicode/unistr.h>

#include <regex>

#include "kakanai/base/my_number.hpp"
#include "kakanai/forms/template.hpp"
#include "kakanai/forms/wareki.hpp"

namespace kakanai::forms {
namespace {

Text msg(std::string ja, std::string en, std::string easy) { return Text{std::move(ja), std::move(en), std::move(easy)}; }

bool all_ascii_digits(const std::string& s) {
    if (s.empty()) return false;
    for (char c : s)
        if (c < '0' || c > '9') return false;
    return true;
}

// Full-width digits and the hyphen look-alikes residents type become ASCII.
std::string ascii_digits(const std::string& value) {
    icu::UnicodeString u = icu::UnicodeString::fromUTF8(value);
    icu::UnicodeString out;
    for (int32_t i = 0; i < u.length();) {
        const UChar32 c = u.char32At(i);
        i += U16_LENGTH(c);
        if (c >= 0xFF10 && c <= 0xFF19) out.append(static_cast<UChar32>(c - 0xFF10 + '0'));
        else if (c == 0xFF0D || c == 0x2212 || c == 0x2010 || c == 0x2011 || c == 0x2013 || c == 0x30FC || c == 0xFF70)
            out.append(static_cast<UChar32>('-'));
        else out.append(c);
    }
    std::string s;
    out.toUTF8String(s);
    return s;
}

bool is_kana(const std::string& value) {
    // Unicode script properties through ICU: hiragana, katakana (with ー and ・), spaces.
    static const icu::UnicodeSet kana = [] {
        UErrorCode err = U_ZERO_ERROR;
        icu::UnicodeSet set(icu::UnicodeString::fromUTF8("[[:Hiragana:][:Katakana:]\\u30FC\\u30FB\\u0020\\u3000]"), err);
        set.freeze();
        return set;
    }();
    const icu::UnicodeString u = icu::UnicodeString::fromUTF8(value);
    return !u.isBogus() && kana.containsAll(u);
}

bool has_control_char(const std::string& value) {
    for (unsigned char c : value)
        if (c < 0x20 || c == 0x7F) return true;
    return false;
}

}  // namespace

std::string normalize_value(const Field& f, const std::string& value) {
    switch (f.type) {
        case FieldType::PostalCode: {
            std::string s = ascii_digits(value);
            if (s.size() == 7 && all_ascii_digits(s)) s.insert(3, "-");
            return s;
        }
        case FieldType::Phone:
        case FieldType::Number:
        case FieldType::MyNumber: return ascii_digits(value);
        default: return value;
    }
}

std::optional<Text> check_value(const Field& f, const std::string& raw) {
    const std::string v = normalize_value(f, raw);
    if (v.empty()) {
        if (f.required && f.type != FieldType::Signature)
            return msg("「" + f.label.ja + "」を入力してください", "\"" + f.label.en + "\" is required",
                       "「" + f.label.ja + "」を かいて ください");
        return std::nullopt;
    }
    if (has_control_char(v)) return msg("使えない文字が含まれています", "contains a control character", "つかえない もじが あります");
    switch (f.type) {
        case FieldType::Text:
        case FieldType::Address:
        case FieldType::Signature: return std::nullopt;
        case FieldType::Kana:
            if (!is_kana(v)) return msg("カタカナかひらがなで入力してください", "use katakana or hiragana only",
                                        "カタカナ か ひらがな で かいて ください");
            return std::nullopt;
        case FieldType::Date:
            try {
                format_date(v, DateStyle::Seireki);
            } catch (const DateError& e) {
                return msg("日付が正しくありません（例: 2024-04-01）", std::string("not a valid date: ") + e.what(),
                           "ひづけが ちがいます");
            }
            return std::nullopt;
        case FieldType::Choice:
            for (const auto& c : f.choices)
                if (c.value == v) return std::nullopt;
            return msg("選択肢から選んでください", "\"" + v + "\" is not one of the choices", "えらんで ください");
        case FieldType::Checkbox:
            if (v == "true" || v == "false") return std::nullopt;
            return msg("はい・いいえで答えてください", "a checkbox is \"true\" or \"false\"", "はい か いいえ で こたえて ください");
        case FieldType::Number: {
            static const std::regex re("-?[0-9]{1,15}");
            if (!std::regex_match(v, re))
                return msg("数字で入力してください", "\"" + v + "\" is not a whole number", "すうじで かいて ください");
            const long long n = std::stoll(v);
            if (f.kind == "fiscal_year" && (n < 1873 || n > 9999))
                return msg("年度が正しくありません（例: 2026）", "\"" + v + "\" is not a fiscal year such as 2026",
                           "ねんどが ちがいます");
            if ((f.min && n < *f.min) || (f.max && n > *f.max)) {
                const std::string range = (f.min ? std::to_string(*f.min) : "") + "〜" + (f.max ? std::to_string(*f.max) : "");
                return msg(range + "の数を入力してください", "must be in the range " + range, range + " の かずを かいて ください");
            }
            return std::nullopt;
        }
        case FieldType::PostalCode: {
            static const std::regex re("[0-9]{3}-[0-9]{4}");
            if (!std::regex_match(v, re))
                return msg("郵便番号は7桁の数字です（例: 100-0013）", "a postal code has 7 digits, e.g. 100-0013",
                           "ゆうびんばんごうは 7けたの すうじ です");
            return std::nullopt;
        }
        case FieldType::Phone: {
            // Japanese numbers: 10 or 11 digits starting with 0, hyphens anywhere between digits.
            static const std::regex shape("0[0-9]*(-[0-9]+)*");
            std::string digits;
            for (char c : v)
                if (c != '-') digits += c;
            if (!std::regex_match(v, shape) || digits.size() < 10 || digits.size() > 11)
                return msg("電話番号は0で始まる10桁か11桁の数字です", "a phone number has 10 or 11 digits and starts with 0",
                           "でんわばんごうは 0から はじまる 10けた か 11けた です");
            return std::nullopt;
        }
        case FieldType::MyNumber:
            // Never echo the number itself: it must not reach a log.
            if (!base::my_number_is_valid(v))
                return msg("個人番号が正しくありません（12桁）", "not a valid 12-digit individual number (check digit)",
                           "マイナンバーの すうじが ちがいます");
            return std::nullopt;
    }
    return std::nullopt;
}

}  // namespace kakanai::forms
