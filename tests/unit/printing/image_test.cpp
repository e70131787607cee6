// PNG and JPEG pictures to RGBA, and a clear refusal of broken files.
#include <gtest/gtest.h>
#include <png.h>
// jpeglib.h needs size_t and FILE first.
#include <cstddef>
#include <cstdio>
#include <jpeglib.h>

#include <cstring>
#include <fstream>

#include "kakanai/printing/image.hpp"
#include "test_support.hpp"

using kakanai::printing::decode_image;
using kakanai::printing::ImageError;

namespace {

std::vector<std::uint8_t> png_bytes(int w, int h, std::uint32_t format, const std::vector<std::uint8_t>& px) {
    png_image img;
    std::memset(&img, 0, sizeof img);
    img.version = PNG_IMAGE_VERSION;
    img.width = static_cast<png_uint_32>(w);
    img.height = static_cast<png_uint_32>(h);
    img.format = format;
    png_alloc_size_t size = 0;
    png_image_write_to_memory(&img, nullptr, &size, 0, px.data(), 0, nullptr);
    std::vector<std::uint8_t> out(size);
    EXPECT_TRUE(png_image_write_to_memory(&img, out.data(), &size, 0, px.data(), 0, nullptr)) << img.message;
    out.resize(size);
    return out;
}

std::vector<std::uint8_t> jpeg_bytes(int w, int h, std::uint8_t r, std::uint8_t g, std::uint8_t b) {
    jpeg_compress_struct c;
    jpeg_error_mgr err;
    c.err = jpeg_std_error(&err);
    jpeg_create_compress(&c);
    unsigned char* mem = nullptr;
    unsigned long size = 0;
    jpeg_mem_dest(&c, &mem, &size);
    c.image_width = static_cast<JDIMENSION>(w);
    c.image_height = static_cast<JDIMENSION>(h);
    c.input_components = 3;
    c.in_color_space = JCS_RGB;
    jpeg_set_defaults(&c);
    jpeg_set_quality(&c, 95, TRUE);
    jpeg_start_compress(&c, TRUE);
    std::vector<std::uint8_t> row(static_cast<std::size_t>(w) * 3);
    for (int x = 0; x < w; ++x) {
        row[static_cast<std::size_t>(x) * 3] = r;
        row[static_cast<std::size_t>(x) * 3 + 1] = g;
        row[static_cast<std::size_t>(x) * 3 + 2] = b;
    }
    while (c.next_scanline < c.image_height) {
        JSAMPROW p = row.data();
        jpeg_write_scanlines(&c, &p, 1);
    }
    jpeg_finish_compress(&c);
    std::vector<std::uint8_t> out(mem, mem + size);
    jpeg_destroy_compress(&c);
    std::free(mem);
    return out;
}

std::string refusal(const std::vector<std::uint8_t>& bytes) {
    try {
        decode_image(bytes, "scan.png");
    } catch (const ImageError& e) {
        return e.what();
    }
    return "(decoded)";
}

}  // namespace

TEST(Image, PngPixelsComeOutAsRgba) {
    const std::vector<std::uint8_t> px{255, 0, 0, 255, 0, 255, 0, 128, 0, 0, 255, 0,
                                       10, 20, 30, 255, 40, 50, 60, 255, 70, 80, 90, 255};
    const auto img = decode_image(png_bytes(3, 2, PNG_FORMAT_RGBA, px), "x.png");
    EXPECT_EQ(img.width, 3);
    EXPECT_EQ(img.height, 2);
    EXPECT_EQ(img.pixels, px);
}

TEST(Image, GreyPngIsExpandedToOpaqueRgba) {
    const auto img = decode_image(png_bytes(2, 1, PNG_FORMAT_GRAY, {0, 200}), "g.png");
    ASSERT_EQ(img.pixels.size(), 8u);
    EXPECT_EQ(img.pixels[4], 200);
    EXPECT_EQ(img.pixels[5], 200);
    EXPECT_EQ(img.pixels[6], 200);
    EXPECT_EQ(img.pixels[7], 255);
}

TEST(Image, JpegIsDecodedByContentWhateverItsName) {
    const auto img = decode_image(jpeg_bytes(16, 8, 200, 100, 50), "scan.png");
    EXPECT_EQ(img.width, 16);
    EXPECT_EQ(img.height, 8);
    EXPECT_NEAR(img.pixels[0], 200, 4);
    EXPECT_NEAR(img.pixels[1], 100, 4);
    EXPECT_NEAR(img.pixels[2], 50, 4);
    EXPECT_EQ(img.pixels[3], 255);
}

TEST(Image, BrokenFilesAreRefusedWithTheReason) {
    EXPECT_EQ(refusal({}), "scan.png: the file is empty");
    const std::string text = "this is not a picture";
    EXPECT_EQ(refusal({text.begin(), text.end()}), "scan.png: neither PNG nor JPEG (save the scan as .png or .jpg)");

    std::vector<std::uint8_t> px(64 * 64 * 4, 77);
    auto png = png_bytes(64, 64, PNG_FORMAT_RGBA, px);
    auto cut = png;
    cut.resize(png.size() / 2);
    EXPECT_NE(refusal(cut).find("scan.png: damaged or truncated PNG"), std::string::npos) << refusal(cut);
    auto bad_header = png;
    bad_header[16] ^= 0xFF;  // the IHDR width, so its CRC no longer matches
    EXPECT_NE(refusal(bad_header).find("scan.png: damaged PNG"), std::string::npos) << refusal(bad_header);

    auto jpg = jpeg_bytes(64, 64, 1, 2, 3);
    auto jcut = jpg;
    jcut.resize(jpg.size() / 2);
    EXPECT_NE(refusal(jcut).find("scan.png: damaged JPEG"), std::string::npos) << refusal(jcut);
    auto jgarbage = jpg;
    for (std::size_t i = 4; i < 40 && i < jgarbage.size(); ++i) jgarbage[i] = 0x00;
    EXPECT_NE(refusal(jgarbage).find("scan.png: damaged JPEG"), std::string::npos) << refusal(jgarbage);
}

TEST(Image, MissingFileNamesThePath) {
    try {
        decode_image(std::filesystem::path("/nonexistent/form.png"));
        FAIL() << "decoded a missing file";
    } catch (const ImageError& e) {
        EXPECT_STREQ(e.what(), "/nonexistent/form.png: cannot read the picture (missing, or no permission)");
    }
}

TEST(Image, PictureLargerThanTheLimitIsRefused) {
    // A PNG header claiming 30000 x 10 pixels (the pixels are never reached).
    std::vector<std::uint8_t> px(30000 * 4, 0);
    const auto png = png_bytes(30000, 1, PNG_FORMAT_RGBA, px);
    EXPECT_NE(refusal(png).find("more than 20000 on a side"), std::string::npos) << refusal(png);
}
