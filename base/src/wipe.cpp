#include "kakanai/base/wipe.hpp"

#include <string.h>  // explicit_bzero (glibc)

namespace kakanai::base {

void secure_zero(void* p, std::size_t n) noexcept {
    if (p != nullptr && n > 0) explicit_bzero(p, n);
}

void wipe_string(std::string& s) noexcept {
    secure_zero(s.data(), s.size());
    s.clear();
    s.shrink_to_fit();
}

}  // namespace kakanai::base
