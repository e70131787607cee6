// The kiosk's script format (--script FILE) as a tester might mistype it.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "script.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace kakanai::kiosk;
    try {
        const Script s = Script::parse(std::string_view(reinterpret_cast<const char*>(data), size), "/tmp/x.script");
        for (const auto& step : s.steps) {
            // Every step the kiosk runs is one it knows, with a usable argument.
            if (step.line == 0) std::abort();
            if ((step.verb == "time" || step.verb == "wait") && step.number < 0) std::abort();
            if ((step.verb == "tap" || step.verb == "card" || step.verb == "expect" || step.verb == "shot") &&
                step.arg.empty())
                std::abort();
        }
    } catch (const ScriptError&) {
    }
    return 0;
}
