#pragma once
// A household member who does a procedure together with the card holder
// (異動届: a person moving with them; 国保 取得: a person joining; 児童手当: a
// child). Read from the member's own card after their own PIN, or entered by
// staff at the counter (children under 15 often have no card with a PIN).
// A template's [[group]] places members in rows (see template.hpp, Group).
#include <string>
#include <vector>

#include "kakanai/forms/condition.hpp"

namespace kakanai::forms {

struct Member {
    std::string name;
    std::string kana;          // フリガナ
    std::string birth_date;    // YYYY-MM-DD
    std::string sex;           // male / female / other / unknown
    // 続柄 to the head of household, as the templates' choice values:
    // head, spouse, child, parent, other.
    std::string relationship;
    bool read_from_card = false;  // false: entered by staff at the counter
    Answers answers;              // the member's answers to per-member questions (group field id -> value)

    void wipe() noexcept;
};

// The members besides the card holder, in the order they were added.
using Household = std::vector<Member>;
void wipe(Household& household) noexcept;

// The facts a condition sees for one member (a group's `when`, see Facts):
// `merged` receives the errand's answers with the member's own over them.
Facts member_facts(const Member& m, const Answers& errand, const std::string& today, Answers& merged);

}  // namespace kakanai::forms
