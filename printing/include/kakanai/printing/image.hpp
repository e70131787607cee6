#pragma once
// PNG and JPEG pictures decoded to 8-bit RGBA (libpng, libjpeg), e.g. a
// template's background scan for the layout editor's screen.
#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace kakanai::printing {

struct RgbaImage {
    int width = 0, height = 0;
    std::vector<std::uint8_t> pixels;  // width * height * 4 bytes, rows top to bottom, R G B A
};

// A file that is missing, not PNG or JPEG, truncated or damaged. The message
// names the file and what is wrong with it.
class ImageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Pictures larger than this many pixels on a side are refused (a page
// scanned at 1200 dpi is about 10,000 pixels tall).
inline constexpr int kMaxImageSide = 20000;

// Decodes by content (PNG or JPEG signature), whatever the file's extension.
RgbaImage decode_image(const std::filesystem::path& file);
// The same from bytes in memory; `name` appears in messages.
RgbaImage decode_image(const std::vector<std::uint8_t>& bytes, const std::string& name);

}  // namespace kakanai::printing
