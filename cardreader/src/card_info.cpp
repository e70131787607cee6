#include "kakanai/cardreader/card_info.hpp"

#include <ostream>
#include <stdexcept>

#include "kakanai/cardreader/bytes.hpp"
#include "kakanai/cardreader/errors.hpp"

namespace kakanai::cardreader {

const char* to_string(Sex s) {
    switch (s) {
        case Sex::Male: return "male";
        case Sex::Female: return "female";
        case Sex::Other: return "other";
        case Sex::Unknown: return "unknown";
    }
    return "unknown";
}

Sex sex_from_card_code(std::string_view code) {
    if (code == "1") return Sex::Male;
    if (code == "2") return Sex::Female;
    if (code == "9") return Sex::Other;  // 適用不能 (UNC on cards)
    return Sex::Unknown;                 // "3" and anything else (UNC)
}

const char* to_string(Authenticity a) {
    switch (a) {
        case Authenticity::NotChecked: return "not_checked";
        case Authenticity::Consistent: return "consistent";
        case Authenticity::Verified: return "verified";
        case Authenticity::HashMismatch: return "hash_mismatch";
        case Authenticity::SignatureInvalid: return "signature_invalid";
    }
    return "not_checked";
}

MyNumber::MyNumber(std::string_view twelve_digits) {
    if (twelve_digits.size() != digits_.size())
        throw std::invalid_argument("個人番号 must have 12 digits");
    for (std::size_t i = 0; i < digits_.size(); ++i) {
        if (twelve_digits[i] < '0' || twelve_digits[i] > '9') {
            clear();
            throw std::invalid_argument("個人番号 must be digits only");
        }
        digits_[i] = twelve_digits[i];
    }
    set_ = true;
}

MyNumber::MyNumber(const MyNumber& other) : digits_(other.digits_), set_(other.set_) {}

MyNumber& MyNumber::operator=(const MyNumber& other) {
    if (this != &other) {
        digits_ = other.digits_;
        set_ = other.set_;
    }
    return *this;
}

MyNumber::~MyNumber() { clear(); }

void MyNumber::clear() noexcept {
    base::secure_zero(digits_.data(), digits_.size());
    set_ = false;
}


void CardInfo::wipe() noexcept {
    base::wipe_string(name);
    base::wipe_string(address);
    base::wipe_string(birth_date);
    sex = Sex::Unknown;
    if (my_number) my_number->clear();
    my_number.reset();
    authenticity = Authenticity::NotChecked;
}

std::ostream& operator<<(std::ostream& os, const CardInfo& info) {
    return os << "CardInfo{name=" << info.name << ", birth_date=" << info.birth_date
              << ", sex=" << to_string(info.sex) << ", my_number="
              << (info.my_number ? "<held>" : "<none>") << "}";
}

}  // namespace kakanai::cardreader
