#pragma once
// `kakanai-kiosk --bench-report FILE --bench-baseline`: the baseline bench/kiosk compares against.
#include <chrono>

#include "options.hpp"

namespace kakanai::kiosk {
int run_bench_baseline(const Options& opt, std::chrono::steady_clock::time_point started);
}
