// kakanai-vcard PROFILE.toml: a virtual My Number card behind pcscd's vpcd driver.
// It connects to vpcd as the card of reader "Virtual PCD 00 00" (port 35963)
// and answers APDUs until stopped. Test and demo use only: vpcd listens on all
// interfaces, so it has no place on a production kiosk.
#include <csignal>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>

#include <unistd.h>

#include "kakanai/cardreader/virtual_card.hpp"

namespace {
std::atomic<bool> g_stop{false};
void on_signal(int) { g_stop = true; }

int usage() {
    std::fputs(
        "usage: kakanai-vcard PROFILE.toml [--host HOST] [--port PORT] [--once]\n"
        "  Connects to vsmartcard's vpcd (default 127.0.0.1:35963, reader \"Virtual PCD 00 00\")\n"
        "  as a My Number card described by PROFILE.toml and answers until stopped.\n"
        "  --once   exit when the reader closes the connection instead of reconnecting\n"
        "  It exits when the program that started it ends, so a crashed test leaves no card behind.\n"
        "exit codes: 0 stopped, 2 bad arguments or profile, 3 vpcd not reachable (is pcscd running with vpcd?)\n",
        stderr);
    return 2;
}
}  // namespace

int main(int argc, char** argv) {
    using namespace kakanai::cardreader;
    std::string profile_path, host = "127.0.0.1";
    std::uint16_t port = kVpcdFirstPort;
    bool once = false;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--host" && i + 1 < argc) host = argv[++i];
        else if (a == "--port" && i + 1 < argc) port = static_cast<std::uint16_t>(std::stoi(argv[++i]));
        else if (a == "--once") once = true;
        else if (a == "-h" || a == "--help") return usage();
        else if (profile_path.empty()) profile_path = a;
        else return usage();
    }
    if (profile_path.empty()) return usage();
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
