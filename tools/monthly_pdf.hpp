#pragma once
// The monthly KPI report's pages (kakanai-report monthly): charts and tables
// in Japanese on A4, drawn with the printing library's report pages.
#include <cstdint>
#include <vector>

#include "kakanai/store/monthly.hpp"

namespace kakanai::tools {

std::vector<std::uint8_t> monthly_pdf(const store::MonthlyReport& r);

}  // namespace kakanai::tools
