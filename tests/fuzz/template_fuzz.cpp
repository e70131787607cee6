// Template files as an administrator might write them.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <string>

#include "kakanai/forms/template.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const std::string path = "/tmp/kakanai-fuzz-template-" + std::to_string(getpid()) + ".toml";
    {
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    }
    try {
        kakanai::forms::load_template(path);
    } catch (const kakanai::forms::TemplateError&) {
    }
    return 0;
}
