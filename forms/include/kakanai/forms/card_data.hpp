#pragma once
// The card facts a form can be bound to. forms does not depend on cardreader:
// the kiosk copies a CardInfo into this plain struct.
#include <string>

namespace kakanai::forms {

struct CardData {
    std::string name;
    std::string address;
    std::string birth_date;  // YYYY-MM-DD
    std::string sex;         // "male" / "female" / "other" / "unknown"
    bool read_from_card = true;  // false for manual entry by staff

    void wipe() noexcept;
};

}  // namespace kakanai::forms
