// PNG through libpng's simplified API, JPEG through libjpeg(-turbo) with its
// error exit turned into a return (a longjmp inside this file only).
#include "kakanai/printing/image.hpp"

#include <png.h>
// jpeglib.h needs size_t and FILE declared first.
#include <cstddef>
#include <cstdio>
#include <jpeglib.h>

#include <csetjmp>
#include <cstring>
#include <fstream>
#include <iterator>

namespace kakanai::printing {
namespace {

void check_size(long long w, long long h, const std::string& name) {
    if (w <= 0 || h <= 0) throw ImageError(name + ": the picture has no pixels (" + std::to_string(w) + " x " +
                                           std::to_string(h) + ")");
    if (w > kMaxImageSide || h > kMaxImageSide)
        throw ImageError(name + ": the picture is " + std::to_string(w) + " x " + std::to_string(h) +
                         " pixels, more than " + std::to_string(kMaxImageSide) +
                         " on a side; scan the page at 200 to 300 dpi");
}

RgbaImage decode_png(const std::vector<std::uint8_t>& bytes, const std::string& name) {
    png_image image;
    std::memset(&image, 0, sizeof image);
    image.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_memory(&image, bytes.data(), bytes.size()))
        throw ImageError(name + ": damaged PNG (" + image.message + ")");
    check_size(image.width, image.height, name);
    image.format = PNG_FORMAT_RGBA;
    RgbaImage out;
    out.width = static_cast<int>(image.width);
    out.height = static_cast<int>(image.height);
    out.pixels.resize(PNG_IMAGE_SIZE(image));
    if (!png_image_finish_read(&image, nullptr, out.pixels.data(), 0, nullptr)) {
        const std::string why = image.message;
        png_image_free(&image);
        throw ImageError(name + ": damaged or truncated PNG (" + why + ")");
    }
    return out;
}

struct JpegErrors {
    jpeg_error_mgr mgr;
    std::jmp_buf back;
    char message[JMSG_LENGTH_MAX];
};

void jpeg_error_exit(j_common_ptr cinfo) {
    auto* e = reinterpret_cast<JpegErrors*>(cinfo->err);
    (*cinfo->err->format_message)(cinfo, e->message);
    std::longjmp(e->back, 1);
}

void jpeg_quiet(j_common_ptr, int) {}  // warnings (a few missing bytes) would go to stderr

// Decodes into `out`; returns an empty string or libjpeg's message. Only plain C
// objects live between setjmp and longjmp here.
std::string decode_jpeg_into(const std::vector<std::uint8_t>& bytes, RgbaImage& out, std::uint8_t* (*grow)(RgbaImage&, int, int)) {
    jpeg_decompress_struct cinfo;
    JpegErrors errors;
    cinfo.err = jpeg_std_error(&errors.mgr);
    errors.mgr.error_exit = jpeg_error_exit;
    errors.mgr.emit_message = jpeg_quiet;
    errors.message[0] = 0;
    if (setjmp(errors.back)) {
        jpeg_destroy_decompress(&cinfo);
        return errors.message[0] ? errors.message : "unknown libjpeg error";
    }
    jpeg_create_decompress(&cinfo);
    jpeg_mem_src(&cinfo, bytes.data(), static_cast<unsigned long>(bytes.size()));
    jpeg_read_header(&cinfo, TRUE);
    if (cinfo.jpeg_color_space == JCS_CMYK || cinfo.jpeg_color_space == JCS_YCCK) {
        jpeg_destroy_decompress(&cinfo);
        return "a CMYK JPEG; save the scan as RGB or greyscale";
    }
    cinfo.out_color_space = JCS_EXT_RGBA;
    jpeg_start_decompress(&cinfo);
    std::uint8_t* pixels = grow(out, static_cast<int>(cinfo.output_width), static_cast<int>(cinfo.output_height));
    if (!pixels) {
        jpeg_destroy_decompress(&cinfo);
        return "size";
    }
    const std::size_t row = static_cast<std::size_t>(cinfo.output_width) * 4;
    while (cinfo.output_scanline < cinfo.output_height) {
        JSAMPROW r = pixels + row * cinfo.output_scanline;
        jpeg_read_scanlines(&cinfo, &r, 1);
    }
    // A file cut short decodes with grey rows and a warning: refuse it instead.
    const bool truncated = cinfo.err->num_warnings > 0;
    jpeg_finish_decompress(&cinfo);
    jpeg_destroy_decompress(&cinfo);
    return truncated ? "truncated or damaged data" : "";
}

RgbaImage decode_jpeg(const std::vector<std::uint8_t>& bytes, const std::string& name) {
    RgbaImage out;
    const std::string why = decode_jpeg_into(bytes, out, [](RgbaImage& img, int w, int h) -> std::uint8_t* {
        if (w <= 0 || h <= 0 || w > kMaxImageSide || h > kMaxImageSide) {
            img.width = w;
            img.height = h;
            return nullptr;
        }
        img.width = w;
        img.height = h;
        img.pixels.assign(static_cast<std::size_t>(w) * static_cast<std::size_t>(h) * 4, 0);
        return img.pixels.data();
    });
    if (why == "size") check_size(out.width, out.height, name);
    if (!why.empty()) throw ImageError(name + ": damaged JPEG (" + why + ")");
    return out;
}

}  // namespace

RgbaImage decode_image(const std::vector<std::uint8_t>& bytes, const std::string& name) {
    if (bytes.size() >= 8 && png_sig_cmp(bytes.data(), 0, 8) == 0) return decode_png(bytes, name);
    if (bytes.size() >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF) return decode_jpeg(bytes, name);
    if (bytes.empty()) throw ImageError(name + ": the file is empty");
    throw ImageError(name + ": neither PNG nor JPEG (save the scan as .png or .jpg)");
}

RgbaImage decode_image(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw ImageError(file.string() + ": cannot read the picture (missing, or no permission)");
    std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return decode_image(bytes, file.string());
}

}  // namespace kakanai::printing
