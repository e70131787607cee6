// The baseline of bench/kiosk: the plain Dear ImGui example loop (poll, new
// frame, draw, render, swap, every frame, never sleeping) with the same font
// file, glyphs and window size as the kiosk, drawing comparable text and the
// same turning arc, on the same SDL renderer. Measured exactly like the
// kiosk's --bench-report run.
#include "bench_baseline.hpp"

#include <SDL.h>
#include <imgui.h>
#include <backends/imgui_impl_sdl.h>
#include <backends/imgui_impl_sdlrenderer.h>
#include <sys/resource.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <vector>

#include "i18n.hpp"
#include "renderer.hpp"

namespace kakanai::kiosk {
namespace {

double cpu_now() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

}  // namespace

int run_bench_baseline(const Options& opt, std::chrono::steady_clock::time_point started) {
    using Clock = std::chrono::steady_clock;
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_TIMER) != 0) return 3;
    Display d;
    if (!open_display("baseline", opt.width, opt.height, 0, opt.renderer, false, &d)) return 3;
    ImGui::CreateContext();
    ImGui::GetIO().IniFilename = nullptr;
    ImGui_ImplSDL2_InitForSDLRenderer(d.window);
    ImGui_ImplSDLRenderer_Init(d.renderer);

    const Strings strings(opt.assets / "i18n");
    ImFontGlyphRangesBuilder b;
    b.AddRanges(ImGui::GetIO().Fonts->GetGlyphRangesDefault());
    b.AddText(strings.all_text("desk.").c_str());
    ImVector<ImWchar> ranges;
    b.BuildRanges(&ranges);
    const float em = static_cast<float>(std::min(opt.width, opt.height * 16 / 9)) / 48.0f;
    ImFontConfig cfg;
    cfg.OversampleH = 1;
    for (float scale : {1.0f, 1.25f, 1.1f, 2.0f, 1.3f, 1.625f, 1.43f, 2.6f})
        ImGui::GetIO().Fonts->AddFontFromFileTTF(opt.font.c_str(), em * scale, &cfg, ranges.Data);

    std::vector<double> ms;
    double first_ms = 0, idle_cpu = 0;
    Clock::time_point idle_start{};
    double cpu_start = -1;
    int frame = 0;
    for (bool run = true; run;) {
        SDL_Event e;
        while (SDL_PollEvent(&e)) {
            ImGui_ImplSDL2_ProcessEvent(&e);
            if (e.type == SDL_QUIT) run = false;
        }
        const auto t0 = Clock::now();
        ImGui_ImplSDLRenderer_NewFrame();
        ImGui_ImplSDL2_NewFrame();
        ImGui::NewFrame();
        ImGui::SetNextWindowPos(ImVec2(0, 0));
        ImGui::SetNextWindowSize(ImGui::GetIO().DisplaySize);
        ImGui::Begin("baseline", nullptr, ImGuiWindowFlags_NoDecoration);
        ImGui::TextUnformatted(strings.get("welcome.place_card").c_str());
        ImGui::Button(strings.get("welcome.start").c_str(), ImVec2(em * 20, em * 3.6f));
        const ImVec2 c(ImGui::GetIO().DisplaySize.x / 2, ImGui::GetIO().DisplaySize.y / 2);
        const float a0 = std::chrono::duration<float>(Clock::now() - started).count() * 4.0f;
        ImGui::GetWindowDrawList()->PathArcTo(c, em * 2, a0, a0 + 4.2f, 48);
        ImGui::GetWindowDrawList()->PathStroke(IM_COL32(0, 51, 128, 255), 0, em * 0.4f);
        ImGui::End();
        ImGui::Render();
        SDL_SetRenderDrawColor(d.renderer, 255, 255, 255, 255);
        SDL_RenderClear(d.renderer);
        ImGui_ImplSDLRenderer_RenderDrawData(ImGui::GetDrawData());
        SDL_RenderPresent(d.renderer);
        ++frame;
        if (frame == 1) {
            first_ms = std::chrono::duration<double, std::milli>(Clock::now() - started).count();
        } else if (ms.size() < 300) {
            ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
            if (ms.size() == 300) idle_start = Clock::now() + std::chrono::milliseconds(500);
        } else if (cpu_start < 0 && Clock::now() >= idle_start) {
            cpu_start = cpu_now();
            idle_start = Clock::now();
        } else if (cpu_start >= 0 && Clock::now() - idle_start >= std::chrono::seconds(10)) {
            const double wall = std::chrono::duration<double>(Clock::now() - idle_start).count();
            idle_cpu = (cpu_now() - cpu_start) / wall * 100.0;
            run = false;
        }
    }
    std::sort(ms.begin(), ms.end());
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    const nlohmann::json report{
        {"first_frame_ms", first_ms},
        {"frame_p50_ms", ms[ms.size() / 2]},
        {"frame_p99_ms", ms[static_cast<std::size_t>(0.99 * static_cast<double>(ms.size() - 1))]},
        {"idle_cpu_percent", idle_cpu},
        {"peak_rss_mb", static_cast<double>(u.ru_maxrss) / 1024.0},
        {"glyphs", 0},
        {"renderer", d.driver}};
    std::ofstream out(*opt.bench_report);
    out << report.dump() << "\n";
    ImGui_ImplSDLRenderer_Shutdown();
    ImGui_ImplSDL2_Shutdown();
    ImGui::DestroyContext();
    close_display(d);
    SDL_Quit();
    return out ? 0 : 1;
}

}  // namespace kakanai::kiosk
