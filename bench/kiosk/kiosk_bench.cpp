// bench/kiosk: the kiosk against the bare Dear ImGui example loop, both at
// 1920x1080 with the same font file and glyphs on the same SDL renderer,
// measured in the same run: time to first frame, frame time p50/p99 while
// animating (the reading screen's turning arc), CPU while idle for 10 s, and
// peak RSS. First with the kiosk's default renderer (display.renderer = "auto"),
// then, for reference, both again on the OpenGL renderer.
// Needs a display (make bench runs it under the services' Xvfb).
#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "test_support.hpp"

namespace {

nlohmann::json measure(const std::string& extra, const kakanai::test::TempDir& dir, const std::string& name) {
    const auto report = dir / (name + ".json");
    const std::string kiosk = std::string(KAKANAI_BINARY_DIR) + "/kiosk/kakanai-kiosk";
    const std::string cmd = kiosk + " --size 1920x1080 --output " + (dir / "out").string() + " --data " +
                            (dir / "data").string() + " --bench-report " + report.string() + " " + extra + " 2>&1";
    const auto r = kakanai::test::run(cmd);
    if (r.exit_code != 0) {
        std::fprintf(stderr, "%s failed (%d): %s\n", name.c_str(), r.exit_code, r.output.c_str());
        std::exit(1);
    }
    std::ifstream in(report);
    if (!in) {
        std::fprintf(stderr, "%s wrote no report %s: %s\n", name.c_str(), report.c_str(), r.output.c_str());
        std::exit(1);
    }
    return nlohmann::json::parse(in);
}

// Prints one table; true when the kiosk meets every target. With `results`,
// also the RESULT lines scripts/run-benchmarks collects.
bool table(const nlohmann::json& ours, const nlohmann::json& base, bool results) {
    struct Row {
        const char* key;
        const char* what;
        double target;
        const char* unit;
    };
    const Row rows[] = {{"first_frame_ms", "time to first frame", 1000, "ms"},
                        {"frame_p50_ms", "frame time p50 (animating)", 16, "ms"},
                        {"frame_p99_ms", "frame time p99 (animating)", 16, "ms"},
                        {"idle_cpu_percent", "CPU while idle 10 s", 1, "%"},
                        {"peak_rss_mb", "peak RSS", 150, "MB"}};
    std::printf("renderer: kiosk %s, baseline %s\n", ours.value("renderer", "?").c_str(),
                base.value("renderer", "?").c_str());
    std::printf("%-28s %10s %10s %8s %10s %s\n", "measure", "kiosk", "baseline", "ratio", "target", "");
    bool all = true;
    for (const auto& r : rows) {
        const double k = ours.at(r.key).get<double>(), b = base.at(r.key).get<double>();
        const bool ok = k <= r.target;
        all = all && ok;
        std::printf("%-28s %8.2f%-2s %8.2f%-2s %8.2f <=%6.0f%-2s %s\n", r.what, k, r.unit, b, r.unit, b > 0 ? k / b : 0.0,
                    r.target, r.unit, ok ? "met" : "MISSED");
        if (results)
            std::printf("RESULT kiosk: %s|%.2f %s|%.2f %s|%.2fx|<= %.0f %s|%s\n", r.what, k, r.unit, b, r.unit,
                        b > 0 ? k / b : 0.0, r.target, r.unit, ok ? "met" : "missed");
    }
    std::printf("glyphs in the kiosk's atlas: %d (normal and large text sets), atlas %s px\n", ours.at("glyphs").get<int>(),
                ours.value("atlas", "?").c_str());
    return all;
}

}  // namespace

int main() {
    if (!std::getenv("DISPLAY")) {
        std::puts("kiosk: skipped, no DISPLAY (run through scripts/with-services)");
        return 0;
    }
    kakanai::test::TempDir dir;
    const auto base = measure("--bench-baseline", dir, "baseline");
    const auto ours = measure("", dir, "kiosk");
    const bool all = table(ours, base, true);
    std::printf("targets: %s\n\n", all ? "all met" : "not all met");
    // Reference only: what the OpenGL renderer costs on this machine (Mesa llvmpipe without a GPU).
    const auto gl_base = measure("--bench-baseline --renderer opengl", dir, "baseline-gl");
    const auto gl_ours = measure("--renderer opengl", dir, "kiosk-gl");
    const bool gl_all = table(gl_ours, gl_base, false);
    std::printf("targets with display.renderer = \"opengl\" (reference): %s\n", gl_all ? "all met" : "not all met");
    return 0;
}
