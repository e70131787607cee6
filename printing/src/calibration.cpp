// Per-printer offsets: a small TOML file the administrator's `kakanai-print
// calibrate` writes and every overlay job reads.
#include "kakanai/printing/calibration.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sstream>

#include "kakanai/base/toml_file.hpp"

namespace kakanai::printing {

std::filesystem::path printer_offsets_file() {
    if (const char* f = std::getenv("KAKANAI_PRINTER_OFFSETS"); f && *f) return f;
    return "/etc/kakanai/printer-offsets.toml";
}

std::map<std::string, PrinterOffset> load_printer_offsets(const std::filesystem::path& file) {
    std::map<std::string, PrinterOffset> out;
    std::error_code ec;
    if (!std::filesystem::exists(file, ec)) return out;
    toml::table root;
    try {
        root = base::parse_toml_file(file);
    } catch (const base::TomlFileError& e) {
        throw PrintError(e.what());
    }
    const toml::table* printers = root["printer"].as_table();
    if (!printers) return out;
    for (const auto& [name, node] : *printers) {
        const toml::table* t = node.as_table();
        const auto x = t ? (*t)["x_mm"].value<double>() : std::nullopt;
        const auto y = t ? (*t)["y_mm"].value<double>() : std::nullopt;
        if (!x || !y || std::abs(*x) > kMaxOffsetMm || std::abs(*y) > kMaxOffsetMm)
            throw PrintError(file.string() + ": printer \"" + std::string(name.str()) +
                             "\" needs x_mm and y_mm, numbers of mm within ±" + std::to_string(int(kMaxOffsetMm)));
        out[std::string(name.str())] = {*x, *y};
    }
    return out;
}

std::optional<PrinterOffset> printer_offset(const std::filesystem::path& file, const std::string& printer) {
    const auto all = load_printer_offsets(file);
    const auto it = all.find(printer);
    if (it == all.end()) return std::nullopt;
    return it->second;
}

void store_printer_offset(const std::filesystem::path& file, const std::string& printer, PrinterOffset offset) {
    auto all = load_printer_offsets(file);
    all[printer] = offset;
    toml::table printers;
    for (const auto& [name, o] : all) {
        // Tenths of a millimetre: what a ruler gives, and no 0.30000000000000004 in the file.
        printers.insert(name, toml::table{{"x_mm", std::round(o.x_mm * 10) / 10}, {"y_mm", std::round(o.y_mm * 10) / 10}});
    }
    std::ostringstream text;
    text << "# Printer offsets in mm (x: right, y: down), applied to every overlay job.\n"
            "# Written by `kakanai-print calibrate PRINTER --offset DX DY`.\n\n"
         << toml::table{{"printer", printers}} << "\n";
    const std::string bytes = text.str();
    const auto dir = file.parent_path().empty() ? std::filesystem::path(".") : file.parent_path();
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    auto tmp = dir / ("." + file.filename().string() + ".XXXXXX");
    std::string name = tmp.string();
    const int fd = ::mkstemp(name.data());
    if (fd < 0) throw PrintError("cannot write " + file.string() + " (no permission? run as the administrator)");
    const bool ok = ::fchmod(fd, 0644) == 0 &&
                    ::write(fd, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size()) && ::fsync(fd) == 0;
    ::close(fd);
    if (!ok || std::rename(name.c_str(), file.c_str()) != 0) {
        std::remove(name.c_str());
        throw PrintError("cannot write " + file.string());
    }
}

PdfOptions options_for_printer(const forms::Template& t, const std::string& printer, PdfOptions options,
                               const std::filesystem::path& offsets_file) {
    if (t.print != forms::PrintMode::Overlay) return options;
    if (const auto o = printer_offset(offsets_file, printer)) {
        options.offset_x_mm = o->x_mm;
        options.offset_y_mm = o->y_mm;
    }
    return options;
}

std::vector<CalibrationMark> calibration_marks() {
    return {{20, 20}, {190, 20}, {105, 148.5}, {20, 277}, {190, 277}};
}

}  // namespace kakanai::printing
