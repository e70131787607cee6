#pragma once
// Zeroing memory that held personal data (PIN, 個人番号, names), in a way the
// compiler may not drop as a dead store.
#include <cstddef>
#include <string>

namespace kakanai::base {

void secure_zero(void* p, std::size_t n) noexcept;
// Zeroes a string's characters, then empties it and gives its buffer back.
void wipe_string(std::string& s) noexcept;

}  // namespace kakanai::base
