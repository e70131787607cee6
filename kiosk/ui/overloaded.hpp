#pragma once
// std::visit over a command or event variant with one lambda per alternative.
namespace kakanai::kiosk {

template <class... Ts>
struct overloaded : Ts... {
    using Ts::operator()...;
};
template <class... Ts>
overloaded(Ts...) -> overloaded<Ts...>;

}  // namespace kakanai::kiosk
