#include "options.hpp"

#include <toml++/toml.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <set>
#include <string>

#ifndef KAKANAI_ASSETS_DIR
#define KAKANAI_ASSETS_DIR "assets"
#endif

namespace kakanai::kiosk {
namespace {

[[noreturn]] void usage(int code) {
    std::fputs(
        "usage: kakanai-kiosk [options]\n"
        "  --config FILE         settings (default: ./kakanai.toml when it exists; see docs/configuration.md)\n"
        "  --assets DIR          forms and texts (default: the source tree's assets/)\n"
        "  --output DIR          where application PDFs are written (paths.output)\n"
        "  --data DIR            where the store keeps its database and key (paths.store)\n"
        "  --reader TEXT         use only readers whose name contains TEXT (reader.filter)\n"
        "  --lang ja|en|ja-easy  starting language (languages.default)\n"
        "  --windowed            a window instead of full screen (display.fullscreen = false)\n"
        "  --size WxH            window size (display.width, display.height)\n"
        "  --font FILE           screen font (fonts.ui)\n"
        "  --renderer NAME       auto, software, opengl or opengles2 (display.renderer)\n"
        "  --screenshot FILE     draw the first screen once, save it as PNG, and exit\n"
        "  --script FILE         run a scripted session (see tests/ui/scripts/*.script)\n"
        "  --screenshots DIR     where a script's `shot NAME` saves NAME.png\n"
        "  --virtual-card FILE   use an in-process virtual card with this profile instead of pcscd\n"
        "  --pcsc                with --script: read cards through pcscd instead of in-process\n"
        "  --bench-report FILE   measure first frame, frame times, idle CPU and RSS; write JSON; exit\n"
        "  --bench-baseline      with --bench-report: measure the bare ImGui example loop instead\n"
        "  --staff               the counter staff station instead of the resident's kiosk ([staff])\n",
        stderr);
    std::exit(code);
}

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

}  // namespace

void load_config(const std::filesystem::path& file, Options& o) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw ConfigError(file.string() + ": cannot read the settings file (check that it exists and is readable)");
    std::ostringstream text;
    text << in.rdbuf();
    load_config_text(text.str(), file, o);
}

void load_config_text(std::string_view text, const std::filesystem::path& file, Options& o) {
    toml::table root;
    try {
        root = toml::parse(text, file.string());
    } catch (const toml::parse_error& e) {
        throw ConfigError(file.string() + ":" + std::to_string(e.source().begin.line) + ": " +
                          std::string(e.description()));
    }
    // [store] and [report] belong to the store library (docs/store.md); the kiosk
    // hands the file to it when [store] is there.
    static const std::set<std::string> known_tables{"station", "timeouts", "languages", "printer", "paths",
                                                    "reader",  "display",  "fonts",     "store",   "report",
                                                    "staff"};
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
    // Ratings went to a CSV once; they are in the store now. An old file still starts.
    if (r.node("paths.kpi"))
        std::fprintf(stderr, "kakanai-kiosk: %s: paths.kpi: ignored, ratings are kept in the store (kakanai-report)\n",
                     file.c_str());
    r.str("reader.filter", o.reader_filter);
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

Options parse_options(int argc, char** argv) {
    Options o;
    o.assets = KAKANAI_ASSETS_DIR;
    if (const char* env = std::getenv("KAKANAI_ASSETS")) o.assets = env;
    for (int i = 1; i + 1 < argc; ++i)
        if (std::string(argv[i]) == "--config") o.config = argv[i + 1];
    if (!o.config && std::filesystem::is_regular_file("kakanai.toml")) o.config = "kakanai.toml";
    if (o.config) load_config(*o.config, o);
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) usage(2);
            return argv[++i];
        };
        if (a == "--config") value();
        else if (a == "--assets") o.assets = value();
        else if (a == "--output") o.output_dir = value();
        else if (a == "--data") o.data_dir = value();
        else if (a == "--reader") o.reader_filter = value();
        else if (a == "--lang") {
            o.language = value();
            if (!kLanguages.count(o.language)) usage(2);
        } else if (a == "--windowed") o.fullscreen = false;
        else if (a == "--font") o.font = value();
        else if (a == "--renderer") {
            o.renderer = value();
            if (!kRenderers.count(o.renderer)) usage(2);
        }
        else if (a == "--screenshot") o.screenshot = value();
        else if (a == "--script") o.script = value();
        else if (a == "--screenshots") o.screenshots_dir = value();
        else if (a == "--virtual-card") { o.virtual_card = value(); o.in_process = true; }
        else if (a == "--pcsc") o.force_pcsc = true;
        else if (a == "--bench-report") o.bench_report = value();
        else if (a == "--bench-baseline") o.bench_baseline = true;
        else if (a == "--staff") o.staff = true;
        else if (a == "--size") {
            const std::string v = value();
            if (std::sscanf(v.c_str(), "%dx%d", &o.width, &o.height) != 2 || o.width < 320 || o.height < 240) usage(2);
        } else if (a == "-h" || a == "--help") usage(0);
        else usage(2);
    }
    return o;
}

}  // namespace kakanai::kiosk
