#pragma once
// Byte buffers for card traffic. Every buffer that may have held a PIN or a
// 個人番号 is zeroed when it is freed, so the allocator does it for all of them.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "kakanai/base/wipe.hpp"

namespace kakanai::cardreader {

template <class T>
struct ZeroingAllocator {
    using value_type = T;
    ZeroingAllocator() noexcept = default;
    template <class U>
    ZeroingAllocator(const ZeroingAllocator<U>&) noexcept {}
    T* allocate(std::size_t n) { return static_cast<T*>(::operator new(n * sizeof(T))); }
    void deallocate(T* p, std::size_t n) noexcept {
        base::secure_zero(p, n * sizeof(T));
        ::operator delete(p);
    }
    template <class U>
    bool operator==(const ZeroingAllocator<U>&) const noexcept { return true; }
};

using byte_vector = std::vector<std::uint8_t, ZeroingAllocator<std::uint8_t>>;

byte_vector from_hex(std::string_view hex);  // "00 A4 04 0C" or "00a4040c"
std::string to_hex(const std::uint8_t* p, std::size_t n);
inline std::string to_hex(const byte_vector& v) { return to_hex(v.data(), v.size()); }

}  // namespace kakanai::cardreader
