#include "options.hpp"

#include <cstdio>
#include <cstdlib>
#include <string>

#ifndef KAKANAI_ASSETS_DIR
#define KAKANAI_ASSETS_DIR "assets"
#endif

namespace kakanai::kiosk {
namespace {

[[noreturn]] void usage(int code) {
    std::fputs(
        "usage: kakanai-kiosk [options]\n"
        "  --assets DIR          forms and texts (default: the source tree's assets/)\n"
        "  --output DIR          where application PDFs are written (default: ./kakanai-out)\n"
        "  --data DIR            where the store keeps its database and key (default: ./kakanai-data)\n"
        "  --reader TEXT         use only readers whose name contains TEXT\n"
        "  --lang ja|en|ja-easy  starting language (default ja)\n"
        "  --windowed            a window instead of full screen\n"
        "  --size WxH            window size (default 1920x1080)\n"
        "  --font FILE           screen font (default IPAex Gothic)\n"
        "  --screenshot FILE     draw the first screen once, save it as PNG, and exit\n"
        "  --script FILE         run a scripted session (see tests/ui/*.script)\n"
        "  --screenshots DIR     where a script's `shot NAME` saves NAME.png\n"
        "  --virtual-card FILE   use an in-process virtual card with this profile instead of pcscd\n"
        "  --pcsc                with --script: read cards through pcscd instead of in-process\n",
        stderr);
    std::exit(code);
}

}  // namespace

Options parse_options(int argc, char** argv) {
    Options o;
    o.assets = KAKANAI_ASSETS_DIR;
    o.output_dir = "kakanai-out";
    o.data_dir = "kakanai-data";
    if (const char* env = std::getenv("KAKANAI_ASSETS")) o.assets = env;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) usage(2);
            return argv[++i];
        };
        if (a == "--assets") o.assets = value();
        else if (a == "--output") o.output_dir = value();
        else if (a == "--data") o.data_dir = value();
        else if (a == "--reader") o.reader_filter = value();
        else if (a == "--lang") o.language = value();
        else if (a == "--windowed") o.windowed = true;
        else if (a == "--font") o.font = value();
        else if (a == "--screenshot") o.screenshot = value();
        else if (a == "--script") o.script = value();
        else if (a == "--screenshots") o.screenshots_dir = value();
        else if (a == "--virtual-card") { o.virtual_card = value(); o.in_process = true; }
        else if (a == "--pcsc") o.force_pcsc = true;
        else if (a == "--size") {
            const std::string v = value();
            if (std::sscanf(v.c_str(), "%dx%d", &o.width, &o.height) != 2 || o.width < 320 || o.height < 240) usage(2);
        } else if (a == "-h" || a == "--help") usage(0);
        else usage(2);
    }
    return o;
}

}  // namespace kakanai::kiosk
