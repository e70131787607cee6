#pragma once
// Template texts and loading helpers shared by the forms tests: a small valid
// template to change one line of, and the problems a text is refused with.
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "kakanai/forms/template.hpp"
#include "test_support.hpp"

namespace kakanai::test {

// Lines 1-13 of a valid template: id "t", its source and title (1-7), then the
// field "name" from the card (9-13). Line numbers in the tests count from here.
inline const std::string kTemplateHead = R"(id = "t"
version = 1
valid_from = 2024-04-01
source = "テスト用の様式"
checked = 2026-12-02
department = "市民課"
title = { ja = "テスト", en = "Test", easy = "てすと" }

[[fields]]
id = "name"
type = "text"
from = "card.name"
label = { ja = "氏名" }
)";

// The field "name" placed on the page (7 lines, the first blank).
inline const std::string kNameItem = R"(
[[page.items]]
field = "name"
x = 20
y = 30
w = 100
h = 10
)";

// The smallest valid template: the head and its one field on the page (20 lines).
inline const std::string kNameTemplate = kTemplateHead + kNameItem;

// The problems `text` is refused with as DIR/t.toml (Problem::to_string); empty when it loads.
inline std::vector<std::string> template_problems(const TempDir& dir, const std::string& text) {
    const auto file = dir / "t.toml";
    std::ofstream(file) << text;
    std::vector<std::string> out;
    try {
        forms::load_template(file);
    } catch (const forms::TemplateError& e) {
        for (const auto& p : e.problems()) out.push_back(p.to_string());
    }
    return out;
}

// `s` with its first `from` replaced by `to`; a test text without `from` is a mistake in the test.
inline std::string replace_first(std::string s, const std::string& from, const std::string& to) {
    const auto at = s.find(from);
    if (at == std::string::npos) throw std::logic_error("test text lacks " + from);
    s.replace(at, from.size(), to);
    return s;
}

}  // namespace kakanai::test
