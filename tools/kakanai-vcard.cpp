// kakanai-vcard PROFILE.toml: a virtual My Number card behind pcscd's vpcd driver.
// It connects to vpcd as the card of reader "Virtual PCD 00 00" (port 35963)
// and answers APDUs until stopped. Test and demo use only: vpcd listens on all
// interfaces, so it has no place on a production kiosk.
#include <csignal>
#include <cstdio>
#include <cstring>
#include <cstdint>
#include <string>
#include <thread>

#include <unistd.h>

#include "cli.hpp"
#include "kakanai/virtualcard/virtual_card.hpp"

namespace {
std::atomic<bool> g_stop{false};
void on_signal(int) { g_stop = true; }
}  // namespace

int main(int argc, char** argv) {
    using namespace kakanai::cardreader;
    using namespace kakanai::virtualcard;
    std::string profile_path, host = "127.0.0.1";
    std::uint16_t port = kVpcdFirstPort;
    bool once = false;
    CLI::App app("kakanai-vcard: a virtual My Number card for vsmartcard's vpcd (tests and demo only). It connects "
                 "to vpcd (default 127.0.0.1:35963, reader \"Virtual PCD 00 00\") as the card described by "
                 "PROFILE.toml and answers until stopped; it exits when the program that started it ends, so a "
                 "crashed test leaves no card behind.",
                 "kakanai-vcard");
    app.footer("exit codes: 0 stopped, 2 bad arguments or profile, 3 vpcd not reachable (is pcscd running with vpcd?)");
    app.add_option("profile", profile_path, "the card profile (tests/cards/*.toml)")->required()->type_name("PROFILE.toml");
    app.add_option("--host", host, "vpcd's host")->type_name("HOST");
    app.add_option("--port", port, "vpcd's port")->type_name("PORT");
    app.add_flag("--once", once, "exit when the reader closes the connection instead of reconnecting");
    kakanai::tools::parse_or_exit(app, argc, argv);
    CardProfile profile;
    try {
        profile = CardProfile::load(profile_path);
        VirtualCard probe(profile);  // its test keys load now, not on the first connection
    } catch (const std::exception& e) {
        std::fprintf(stderr, "kakanai-vcard: %s\n", e.what());
        return 2;
    }
    std::signal(SIGINT, on_signal);
    std::signal(SIGTERM, on_signal);
    // A card left in the shared reader by a crashed test would be read by the
    // next one: follow the parent out.
    const pid_t parent = getppid();
    std::thread watch_parent([parent] {
        while (!g_stop) {
            if (getppid() != parent) g_stop = true;
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
        }
    });
    bool ever_connected = false;
    int failures = 0;
    while (!g_stop) {
        // A fresh card each time: a re-inserted card starts unselected, like a real one.
        VirtualCard card(profile);
        if (serve_vpcd(card, host, port, g_stop)) {
            ever_connected = true;
            failures = 0;
            if (once || card.removed()) break;
        } else {
            if (!ever_connected && ++failures > 50) {
                std::fprintf(stderr, "kakanai-vcard: cannot reach vpcd at %s:%u; start pcscd with the vpcd driver "
                                     "(Debian package vsmartcard-vpcd)\n", host.c_str(), unsigned{port});
                g_stop = true;
                watch_parent.join();
                return 3;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
    }
    g_stop = true;
    watch_parent.join();
    return 0;
}
