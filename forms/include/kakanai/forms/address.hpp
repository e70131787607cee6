#pragma once
// Splitting a Japanese address into the boxes many forms have:
// 都道府県・市区町村・町名番地・方書. The rule is in docs/templates.md
// ("Address splitting"); when it is unsure it says so and the caller keeps
// the whole address in one box.
#include <string>

namespace kakanai::forms {

struct AddressParts {
    std::string prefecture;  // 都道府県, e.g. 北海道
    std::string city;        // 市区町村 with 郡 or the ward of a 政令指定都市, e.g. 札幌市中央区, 虻田郡倶知安町
    std::string town;        // 町名・番地, e.g. 北一条西2丁目1番地
    std::string building;    // 方書 (building, room), after the first space
    bool sure = false;       // false: the address did not fit the rule; the parts are empty
};

AddressParts split_address(const std::string& address);

}  // namespace kakanai::forms
