#pragma once
// One way for every tool to read its command line (CLI11): --help prints the
// usage and exits 0; a usage error is one line on stderr and exit code 2.
#include <CLI/CLI.hpp>

#include <cstdlib>
#include <iostream>
#include <string>

namespace kakanai::tools {

inline constexpr int kUsageExit = 2;

// Exits on --help (0) and on a usage error (2).
inline void parse_or_exit(CLI::App& app, int argc, char** argv) {
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp&) {
        std::cout << app.help();
        std::exit(0);
    } catch (const CLI::ParseError& e) {
        std::cerr << app.get_name() << ": " << e.what() << " (see " << app.get_name() << " --help)\n";
        std::exit(kUsageExit);
    }
}

// A usage error found after parsing: one line, exit 2.
[[noreturn]] inline void usage_error(const CLI::App& app, const std::string& why) {
    std::cerr << app.get_name() << ": " << why << " (see " << app.get_name() << " --help)\n";
    std::exit(kUsageExit);
}

}  // namespace kakanai::tools
