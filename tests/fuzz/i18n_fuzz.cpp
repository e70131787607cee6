// Screen text files (assets/i18n/*.toml) as a translator might write them.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

#include "i18n.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const std::filesystem::path dir = "/tmp/kakanai-fuzz-i18n-" + std::to_string(getpid());
    std::filesystem::create_directories(dir);
    for (const char* lang : {"ja", "en", "ja-easy"}) {
        std::ofstream out(dir / (std::string(lang) + ".toml"), std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    }
    try {
        kakanai::kiosk::Strings s(dir);
        s.set_language("en");
        (void)s.get("welcome.title", "3");
        (void)s.all_text();
    } catch (const std::runtime_error&) {
    }
    return 0;
}
