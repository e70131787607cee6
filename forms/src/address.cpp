#include "kakanai/forms/address.hpp"

#include <algorithm>
#include <array>
#include <vector>
#include <string_view>

#include "kakanai/base/utf8.hpp"

namespace kakanai::forms {
namespace {

constexpr std::array<std::string_view, 47> kPrefectures{
    "北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県", "茨城県", "栃木県", "群馬県",
    "埼玉県", "千葉県", "東京都", "神奈川県", "新潟県", "富山県", "石川県", "福井県", "山梨県", "長野県",
    "岐阜県", "静岡県", "愛知県", "三重県", "滋賀県", "京都府", "大阪府", "兵庫県", "奈良県", "和歌山県",
    "鳥取県", "島根県", "岡山県", "広島県", "山口県", "徳島県", "香川県", "愛媛県", "高知県", "福岡県",
    "佐賀県", "長崎県", "熊本県", "大分県", "宮崎県", "鹿児島県", "沖縄県"};

constexpr std::array<std::string_view, 23> kTokyoWards{
    "千代田区", "中央区", "港区",   "新宿区", "文京区", "台東区", "墨田区", "江東区", "品川区", "目黒区", "大田区", "世田谷区",
    "渋谷区",   "中野区", "杉並区", "豊島区", "北区",   "荒川区", "板橋区", "練馬区", "足立区", "葛飾区", "江戸川区"};

// 政令指定都市: their addresses name a ward (区) after the city.
constexpr std::array<std::string_view, 20> kDesignatedCities{
    "札幌市", "仙台市", "さいたま市", "千葉市", "横浜市", "川崎市", "相模原市", "新潟市", "静岡市", "浜松市",
    "名古屋市", "京都市", "大阪市", "堺市", "神戸市", "岡山市", "広島市", "北九州市", "福岡市", "熊本市"};

// Municipalities and counties whose names contain 市・町・村・郡 before their
// own suffix, which the generic rule (cut at the first suffix) would split wrongly.
constexpr std::array<std::string_view, 22> kTrickyNames{
    "四日市市", "廿日市市", "野々市市", "十日町市", "大町市", "東村山市", "武蔵村山市", "大村市",
    "田村市",   "羽村市",   "郡山市",   "大和郡山市", "郡上市", "大町町", "西村山郡", "北村山郡",
    "東村山郡", "田村郡",   "高市郡",   "余市郡",     "市川三郷町", "上市町"};

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

// UTF-8 code points of s.
std::vector<std::string_view> chars(std::string_view s) { return base::utf8_characters(s); }

// Byte length of the shortest prefix of `s` that ends in one of `suffixes`
// and has at least one character before it; 0 when there is none.
// `max_chars` bounds where the suffix may sit.
std::size_t cut_at_suffix(std::string_view s, std::initializer_list<std::string_view> suffixes, std::size_t max_chars) {
    const auto cs = chars(s);
    std::size_t bytes = 0;
    for (std::size_t i = 0; i < cs.size() && i < max_chars; ++i) {
        bytes += cs[i].size();
        if (i == 0) continue;
        for (auto suf : suffixes)
            if (cs[i] == suf) return bytes;
    }
    return 0;
}

std::string_view trim(std::string_view s) {
    const std::string_view spaces[] = {" ", "\t", "\u3000"};
    bool again = true;
    while (again && !s.empty()) {
        again = false;
        for (auto sp : spaces) {
            if (starts_with(s, sp)) s.remove_prefix(sp.size()), again = true;
            if (s.size() >= sp.size() && s.substr(s.size() - sp.size()) == sp) s.remove_suffix(sp.size()), again = true;
        }
    }
    return s;
}

// Length of a 市区町村 at the start of `rest` (after the prefecture), 0 if
// unsure. `listed` tells whether it came from a list rather than the generic cut.
std::size_t municipality_length(std::string_view pref, std::string_view rest, bool& listed) {
    listed = true;
    if (pref == "東京都")
        for (auto w : kTokyoWards)
            if (starts_with(rest, w)) return w.size();
    for (auto c : kDesignatedCities)
        if (starts_with(rest, c)) {
            const std::size_t ward = cut_at_suffix(rest.substr(c.size()), {"区"}, 5);
            return ward ? c.size() + ward : 0;
        }
    listed = false;
    std::size_t county = 0;
    for (auto t : kTrickyNames)
        if (starts_with(rest, t)) {
            listed = true;
            if (t.substr(t.size() - 3) != "郡") return t.size();
            county = t.size();
        }
    if (!county) {
        // A county (郡) name has 2 to 5 characters before 郡.
        const std::size_t c = cut_at_suffix(rest, {"郡"}, 6);
        if (c && chars(rest.substr(0, c)).size() >= 3) county = c;
        listed = false;
    }
    if (county) {
        const std::string_view after = rest.substr(county);
        for (auto t : kTrickyNames)
            if (starts_with(after, t) && t.substr(t.size() - 3) != "郡") {
                listed = true;
                return county + t.size();
            }
        listed = false;
        const std::size_t town = cut_at_suffix(after, {"町", "村"}, 6);
        return town ? county + town : 0;
    }
    return cut_at_suffix(rest, {"市", "町", "村"}, 7);
}

}  // namespace

AddressParts split_address(const std::string& address) {
    AddressParts p;
    std::string_view s = trim(address);
    // 方書 (building, room) is what follows the first space.
    std::string_view building;
    const std::size_t at = std::min(s.find(' '), s.find("\u3000"));
    if (at != std::string_view::npos) {
        building = trim(s.substr(at));
        s = trim(s.substr(0, at));
    }
    std::string_view pref;
    for (auto candidate : kPrefectures)
        if (starts_with(s, candidate)) pref = candidate;
    if (pref.empty()) return p;
    const std::string_view rest = s.substr(pref.size());
    bool listed = false;
    const std::size_t city = municipality_length(pref, rest, listed);
    if (city == 0) return p;
    const std::string_view town = rest.substr(city);
    // After a generic cut, a remainder that starts like another municipality
    // suffix means the cut was in the middle of a name.
    if (!listed)
        for (std::string_view bad : {"市", "区", "町", "村", "郡"})
            if (starts_with(town, bad)) return p;
    p.prefecture = pref;
    p.city = rest.substr(0, city);
    p.town = town;
    p.building = building;
    p.sure = true;
    return p;
}

}  // namespace kakanai::forms
