#include "options.hpp"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>

#include "kakanai/base/build_options.hpp"
#include "kakanai/base/toml_file.hpp"

#ifndef KAKANAI_ASSETS_DIR
#define KAKANAI_ASSETS_DIR "assets"
#endif
#ifndef KAKANAI_TOWN_DIR
#define KAKANAI_TOWN_DIR ""
#endif

namespace kakanai::kiosk {
namespace {

const std::set<std::string> kLanguages{"ja", "en", "ja-easy"};
const std::set<std::string> kRenderers{"auto", "software", "opengl", "opengles2"};

struct Reader {
    const toml::table& root;
    std::string file;

    [[noreturn]] void bad(const std::string& key, const std::string& why) const {
        throw ConfigError(file + ": " + key + ": " + why);
    }
    const toml::node* node(const std::string& key) const { return root.at_path(key).node(); }
    void str(const std::string& key, std::string& out) const {
        if (const auto* n = node(key)) {
            if (!n->is_string()) bad(key, "must be a string in quotes");
            out = n->as_string()->get();
        }
    }
    void path(const std::string& key, std::filesystem::path& out) const {
        std::string s;
        if (!node(key)) return;
        str(key, s);
        if (s.empty()) bad(key, "must not be empty");
        out = s;
    }
    void integer(const std::string& key, int& out, int lo, int hi) const {
        if (const auto* n = node(key)) {
            if (!n->is_integer()) bad(key, "must be a whole number");
            const auto v = n->as_integer()->get();
            if (v < lo || v > hi) bad(key, "must be between " + std::to_string(lo) + " and " + std::to_string(hi));
            out = static_cast<int>(v);
        }
    }
    void boolean(const std::string& key, bool& out) const {
        if (const auto* n = node(key)) {
            if (!n->is_boolean()) bad(key, "must be true or false");
            out = n->as_boolean()->get();
        }
    }
};

void apply_config(const toml::table& root, const std::filesystem::path& file, Options& o);

}  // namespace

void load_config(const std::filesystem::path& file, Options& o) {
    try {
        apply_config(base::parse_toml_file(file), file, o);
    } catch (const base::TomlFileError& e) {
        throw ConfigError(e.what());
    }
}

void load_config_text(std::string_view text, const std::filesystem::path& file, Options& o) {
    try {
        apply_config(base::parse_toml_text(text, file), file, o);
    } catch (const base::TomlFileError& e) {
        throw ConfigError(e.what());
    }
}

namespace {
void apply_config(const toml::table& root, const std::filesystem::path& file, Options& o) {
    // [store], [report] and [retention] belong to the store library (docs/store.md); the kiosk
    // hands the file to it when [store] is there.
    static const std::set<std::string> known_tables{"station", "timeouts", "languages", "printer", "paths",
                                                    "reader",  "display",  "fonts",     "store",   "report",
                                                    "staff",   "retention", "card",
                                                    "guide"};  // [guide.counters]: forms::load_guide_counters
    if (root.contains("store")) o.store_config = file;
    for (const auto& [k, v] : root)
        if (!known_tables.count(std::string(k.str())))
            throw ConfigError(file.string() + ": " + std::string(k.str()) + ": unknown setting (see docs/configuration.md)");
    const Reader r{root, file.string()};
    r.str("station", o.station);
    if (o.station.empty()) r.bad("station", "must not be empty");
    r.integer("timeouts.still_there_s", o.still_there_s, 5, 3600);
    r.integer("timeouts.wipe_after_s", o.wipe_after_s, 10, 7200);
    if (o.wipe_after_s <= o.still_there_s)
        r.bad("timeouts.wipe_after_s", "must be longer than timeouts.still_there_s (" + std::to_string(o.still_there_s) + ")");
    r.str("languages.default", o.language);
    if (!kLanguages.count(o.language)) r.bad("languages.default", "must be one of ja, en, ja-easy");
    if (const auto* n = r.node("languages.offered")) {
        if (!n->is_array() || n->as_array()->empty()) r.bad("languages.offered", "must be a list such as [\"ja\", \"en\"]");
        o.languages.clear();
        for (const auto& v : *n->as_array()) {
            if (!v.is_string() || !kLanguages.count(v.as_string()->get()))
                r.bad("languages.offered", "each entry must be one of \"ja\", \"en\", \"ja-easy\"");
            o.languages.push_back(v.as_string()->get());
        }
    }
    bool offered = false;
    for (const auto& l : o.languages) offered = offered || l == o.language;
    if (!offered) r.bad("languages.default", "\"" + o.language + "\" is not in languages.offered");
    r.str("printer.queue", o.printer);
    r.path("paths.output", o.output_dir);
    r.path("paths.store", o.data_dir);
    r.path("paths.town", o.town_dir);
    // Ratings went to a CSV once; they are in the store now. An old file still starts.
    if (r.node("paths.kpi"))
        std::fprintf(stderr, "kakanai-kiosk: %s: paths.kpi: ignored, ratings are kept in the store (kakanai-report)\n",
                     file.c_str());
    r.str("reader.filter", o.reader_filter);
    r.path("card.ca_key", o.ca_key);
    if (!o.ca_key.empty() && !std::filesystem::is_regular_file(o.ca_key)) r.bad("card.ca_key", "no such file " + o.ca_key.string());
    r.boolean("display.fullscreen", o.fullscreen);
    r.integer("display.width", o.width, 320, 16384);
    r.integer("display.height", o.height, 240, 16384);
    r.str("display.renderer", o.renderer);
    if (!kRenderers.count(o.renderer))
        r.bad("display.renderer", "must be one of \"auto\", \"software\", \"opengl\", \"opengles2\"");
    r.path("fonts.ui", o.font);
    r.path("fonts.rare", o.rare_font);
    if (!std::filesystem::is_regular_file(o.font)) r.bad("fonts.ui", "no such file " + o.font.string());
    auto names = [&](const std::string& key, std::vector<std::string>& out) {
        const auto* n = r.node(key);
        if (!n) return;
        if (!n->is_array()) r.bad(key, "must be a list such as [\"tanaka\", \"suzuki\"]");
        out.clear();
        for (const auto& v : *n->as_array()) {
            if (!v.is_string() || v.as_string()->get().empty()) r.bad(key, "each entry must be a non-empty string");
            out.push_back(v.as_string()->get());
        }
    };
    names("staff.ids", o.staff_ids);
    r.integer("staff.lock_after_s", o.staff_lock_after_s, 10, 3600);
    names("staff.printers", o.staff_printers);
}

}  // namespace

Options parse_options(int argc, char** argv) {
    Options o;
    o.assets = KAKANAI_ASSETS_DIR;
    if (const char* env = std::getenv("KAKANAI_ASSETS")) o.assets = env;
    o.town_dir = KAKANAI_TOWN_DIR;
    if (const char* env = std::getenv("KAKANAI_TOWN")) o.town_dir = env;

    // What the command line says, applied over kakanai.toml once that is read.
    std::string config, assets, output, data, reader, lang, font, renderer, size;
    bool windowed = false, staff = false;
    // Both programs read these options; each names itself in help and messages.
    const std::string program =
        argc > 0 && argv[0] ? std::filesystem::path(argv[0]).filename().string() : std::string("kakanai-kiosk");
    const bool station = program == "kakanai-staff";
    CLI::App app(station ? "kakanai-staff: the counter staff station of 書かない窓口"
                         : "kakanai-kiosk: the resident's 書かない窓口 kiosk (the counter station is kakanai-staff)",
                 program);
    app.option_defaults()->always_capture_default(false);
    app.add_option("--config", config, "settings (default: ./kakanai.toml when it exists; see docs/configuration.md)")
        ->type_name("FILE");
    app.add_option("--assets", assets, "forms and texts (default: the installed or source assets/)")->type_name("DIR");
    app.add_option("--output", output, "where application PDFs are written (paths.output)")->type_name("DIR");
    app.add_option("--data", data, "where the store keeps its database and key (paths.store)")->type_name("DIR");
    app.add_option("--reader", reader, "use only readers whose name contains TEXT (reader.filter)")->type_name("TEXT");
    app.add_option("--lang", lang, "starting language (languages.default)")
        ->type_name("ja|en|ja-easy")
        ->check(CLI::IsMember(kLanguages));
    app.add_flag("--windowed", windowed, "a window instead of full screen (display.fullscreen = false)");
    app.add_option("--size", size, "window size (display.width, display.height)")
        ->type_name("WxH")
        ->check(
            [](const std::string& v) -> std::string {
                int w = 0, h = 0;
                char extra = 0;
                if (std::sscanf(v.c_str(), "%dx%d%c", &w, &h, &extra) != 2 || w < 320 || h < 240 || w > 16384 ||
                    h > 16384)
                    return "must be WIDTHxHEIGHT, at least 320x240, e.g. 1280x800";
                return {};
            },
            "");
    app.add_option("--font", font, "screen font (fonts.ui)")->type_name("FILE");
    app.add_option("--renderer", renderer, "auto, software, opengl or opengles2 (display.renderer)")
        ->type_name("NAME")
        ->check(CLI::IsMember(kRenderers));
    // Once chose the station inside kakanai-kiosk; kept (hidden) so an old unit gets a clear message.
    app.add_flag("--staff", staff)->group("");
#if KAKANAI_TEST_HOOKS
    // Test hooks: compiled in for development and tests only, never in the package.
    std::string screenshot, script, screenshots, virtual_card, bench_report;
    bool pcsc = false, bench_baseline = false;
    app.add_option("--screenshot", screenshot, "draw the first screen once, save it as PNG, and exit")->type_name("FILE");
    app.add_option("--script", script, "run a scripted session (see tests/ui/scripts/*.script)")->type_name("FILE");
    app.add_option("--screenshots", screenshots, "where a script's `shot NAME` saves NAME.png")->type_name("DIR");
    app.add_option("--virtual-card", virtual_card, "use an in-process virtual card with this profile instead of pcscd")
        ->type_name("FILE");
    app.add_flag("--pcsc", pcsc, "with --script: read cards through pcscd instead of in-process");
    app.add_option("--bench-report", bench_report, "measure first frame, frame times, idle CPU and RSS; write JSON; exit")
        ->type_name("FILE");
    app.add_flag("--bench-baseline", bench_baseline, "with --bench-report: measure the bare ImGui example loop instead");
    bool large_text = false;
    app.add_flag("--large-text", large_text, "every session in large text (the layout check's large-text runs)");
#endif
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp&) {
        std::fputs(app.help().c_str(), stdout);
        std::exit(0);
    } catch (const CLI::ParseError& e) {
        std::fprintf(stderr, "%s: %s (see %s --help)\n", program.c_str(), e.what(), program.c_str());
        std::exit(2);
    }

    if (!config.empty()) o.config = config;
    else if (std::filesystem::is_regular_file("kakanai.toml")) o.config = "kakanai.toml";
    if (o.config) load_config(*o.config, o);
    if (!assets.empty()) o.assets = assets;
    if (!output.empty()) o.output_dir = output;
    if (!data.empty()) o.data_dir = data;
    if (!reader.empty()) o.reader_filter = reader;
    if (!lang.empty()) o.language = lang;
    if (windowed) o.fullscreen = false;
    if (!size.empty()) std::sscanf(size.c_str(), "%dx%d", &o.width, &o.height);
    if (!font.empty()) o.font = font;
    if (!renderer.empty()) o.renderer = renderer;
    o.staff = staff;
#if KAKANAI_TEST_HOOKS
    if (!screenshot.empty()) o.screenshot = screenshot;
    if (!script.empty()) o.script = script;
    if (!screenshots.empty()) o.screenshots_dir = screenshots;
    if (!virtual_card.empty()) {
        o.virtual_card = virtual_card;
        o.in_process = true;
    }
    o.force_pcsc = pcsc;
    if (!bench_report.empty()) o.bench_report = bench_report;
    o.bench_baseline = bench_baseline;
    o.large_text = large_text;
#endif
    return o;
}

}  // namespace kakanai::kiosk
