#pragma once
// Where each printer puts the page: a per-printer offset, measured once by the
// administrator on a printed cross-hair page (kakanai-print calibrate) and
// applied to every overlay job (print = "overlay") sent to that printer, so
// the values land in the boxes of the town's pre-printed paper.
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "kakanai/forms/template.hpp"
#include "kakanai/printing/pdf.hpp"

namespace kakanai::printing {

// How far to move what is printed, in mm: right (x) and down (y); negative
// moves left or up.
struct PrinterOffset {
    double x_mm = 0, y_mm = 0;
};

// The largest offset accepted (mm): anything more is a measuring mistake.
inline constexpr double kMaxOffsetMm = 20.0;

// The offsets file: $KAKANAI_PRINTER_OFFSETS, else
// /etc/kakanai/printer-offsets.toml (administrator's settings, kept by
// package upgrades). A TOML table per printer: [printer."NAME"] x_mm, y_mm.
std::filesystem::path printer_offsets_file();

// Every stored offset; an empty map when the file does not exist. Throws
// PrintError naming the file and line when it cannot be read.
std::map<std::string, PrinterOffset> load_printer_offsets(const std::filesystem::path& file);

// The printer's stored offset, nullopt when it has none.
std::optional<PrinterOffset> printer_offset(const std::filesystem::path& file, const std::string& printer);

// Stores (replaces) one printer's offset, keeping the others; written
// atomically, 0644 (the staff station reads it). Throws PrintError.
void store_printer_offset(const std::filesystem::path& file, const std::string& printer, PrinterOffset offset);

// The options of a job of template t on printer: the stored offset applied
// when the template prints overlay; a full job (our whole form on blank paper)
// is never moved.
PdfOptions options_for_printer(const forms::Template& t, const std::string& printer, PdfOptions options,
                               const std::filesystem::path& offsets_file = printer_offsets_file());

// Where the calibration page puts its crosses (mm from the page's left and top edges).
struct CalibrationMark {
    double x_mm = 0, y_mm = 0;
};
std::vector<CalibrationMark> calibration_marks();

// The cross-hair page: a cross at every calibration mark with its position
// written beside it, and how to measure and store the offset, in Japanese and
// English. Printed without any offset. Throws PrintError.
std::vector<std::uint8_t> render_calibration_pdf(const std::string& printer, const PdfOptions& fonts = {});

}  // namespace kakanai::printing
