// kakanai-report: the town's KPIs, the back-office export, retention purge
// and key rotation, on the store named by kakanai.toml or the command line.
#include <termios.h>
#include <unistd.h>

#include <ctime>
#include <iostream>
#include <toml++/toml.h>

#include "kakanai/forms/template.hpp"
#include "kakanai/printing/pdf.hpp"
#include "kakanai/store/report.hpp"
#include "kakanai/store/store.hpp"

namespace ks = kakanai::store;

namespace {

const char* kUsage =
    "usage: kakanai-report STORE --from YYYY-MM-DD --to YYYY-MM-DD [--csv] [--minutes-per-form N]\n"
    "       kakanai-report STORE export --department NAME --staff ID --out DIR [--format json|csv|both] [--forms DIR]\n"
    "       kakanai-report STORE purge [--hours N] [--pdf-dir DIR]\n"
    "       kakanai-report STORE rotate-key --new-key FILE\n"
    "       kakanai-report STORE staff-code NAME [--by ID]   (the code is read from stdin, never an argument)\n"
    "STORE is one of:\n"
    "  --config FILE          kakanai.toml with a [store] table (and [report] minutes_per_form)\n"
    "  --db FILE --key FILE   a SQLite store\n"
    "  --pg CONNINFO --key FILE   a PostgreSQL store (libpq connection string)\n"
    "Dates are local days; --to is inclusive.\n";

struct Args {
    std::string command = "report";
    std::string config, db, pg, key, from, to, department, staff, out, format = "both", forms, new_key, pdf_dir;
    std::string name, by = "kakanai-report";  // staff-code
    bool csv = false;
    double minutes_per_form = -1;
    double hours = 24;
};

[[noreturn]] void usage_error(const std::string& msg) {
    std::cerr << "kakanai-report: " << msg << "\n" << kUsage;
    std::exit(2);
}

Args parse(int argc, char** argv) {
    Args a;
    for (int i = 1; i < argc; ++i) {
        const std::string s = argv[i];
        const auto value = [&]() -> std::string {
            if (i + 1 >= argc) usage_error(s + " needs a value");
            return argv[++i];
        };
        const auto number = [&]() {
            const std::string v = value();
            try {
                return std::stod(v);
            } catch (const std::exception&) {
                usage_error(s + " needs a number, got \"" + v + "\"");
            }
        };
        if (s == "export" || s == "purge" || s == "rotate-key") a.command = s;
        else if (s == "staff-code") {
            a.command = s;
            a.name = value();
        } else if (s == "--by") a.by = value();
        else if (s == "--config") a.config = value();
        else if (s == "--db") a.db = value();
        else if (s == "--pg") a.pg = value();
        else if (s == "--key") a.key = value();
        else if (s == "--from") a.from = value();
        else if (s == "--to") a.to = value();
        else if (s == "--csv") a.csv = true;
        else if (s == "--minutes-per-form") a.minutes_per_form = number();
        else if (s == "--department") a.department = value();
        else if (s == "--staff") a.staff = value();
        else if (s == "--out") a.out = value();
        else if (s == "--format") a.format = value();
        else if (s == "--forms") a.forms = value();
        else if (s == "--hours") a.hours = number();
        else if (s == "--pdf-dir") a.pdf_dir = value();
        else if (s == "--new-key") a.new_key = value();
        else if (s == "--help" || s == "-h") {
            std::cout << kUsage;
            std::exit(0);
        } else usage_error("unknown argument " + s);
    }
    return a;
}

// Midnight local time of YYYY-MM-DD.
std::int64_t day_start(const std::string& d, const char* what) {
    std::tm tm{};
    int y = 0, m = 0, day = 0;
    char extra = 0;
    if (std::sscanf(d.c_str(), "%4d-%2d-%2d%c", &y, &m, &day, &extra) != 3 || m < 1 || m > 12 || day < 1 || day > 31)
        usage_error(std::string(what) + " must be a date like 2026-04-01, got \"" + d + "\"");
    tm.tm_year = y - 1900;
    tm.tm_mon = m - 1;
    tm.tm_mday = day;
    tm.tm_isdst = -1;
    return static_cast<std::int64_t>(std::mktime(&tm));
}

ks::StoreConfig store_config(Args& a) {
    if (!a.config.empty()) {
        ks::StoreConfig c = ks::load_store_config(a.config);
        if (!a.key.empty()) c.key_file = a.key;
        if (a.minutes_per_form < 0) {
            const auto t = toml::parse_file(a.config);
            a.minutes_per_form = t["report"]["minutes_per_form"].value_or(5.0);
        }
        return c;
    }
    if (a.key.empty()) usage_error("give --config FILE, or --db/--pg with --key FILE");
    ks::StoreConfig c;
    c.key_file = a.key;
    if (!a.pg.empty()) {
        c.backend = ks::StoreConfig::Backend::Postgres;
        c.conninfo = a.pg;
    } else if (!a.db.empty()) {
        c.sqlite_path = a.db;
    } else {
        usage_error("give --config FILE, --db FILE or --pg CONNINFO");
    }
    return c;
}

std::vector<std::string> templates_of(const std::string& dir, const std::string& department) {
    std::vector<std::string> ids;
    for (const auto& e : std::filesystem::directory_iterator(dir)) {
        if (e.path().extension() != ".toml") continue;
        try {
            const auto t = kakanai::forms::load_template(e.path());
            if (t.department == department) ids.push_back(t.id);
        } catch (const std::exception&) {
            // Not a template (the life-event catalogue) or a broken one the forms tools report.
        }
    }
    return ids;
}

// One line from stdin; on a terminal without echo, asked twice.
std::string read_code() {
    const bool tty = isatty(STDIN_FILENO) != 0;
    termios old{};
    auto line = [&](const char* prompt) {
        std::string s;
        if (tty) std::cerr << prompt << std::flush;
        std::getline(std::cin, s);
        if (tty) std::cerr << "\n";
        while (!s.empty() && (s.back() == '\r' || s.back() == ' ')) s.pop_back();
        return s;
    };
    if (tty && tcgetattr(STDIN_FILENO, &old) == 0) {
        termios quiet = old;
        quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    }
    std::string code = line("staff code: ");
    if (tty) {
        const std::string again = line("again: ");
        tcsetattr(STDIN_FILENO, TCSANOW, &old);
        if (again != code) code.clear();
    }
    return code;
}

int run(Args a) {
    if (a.command == "staff-code") {
        std::string code = read_code();
        if (code.size() < 4) {
            std::cerr << "kakanai-report: a staff code needs at least 4 characters (or the two entries differed)\n";
            return 2;
        }
        auto store = ks::open_store(store_config(a));
        store->set_staff_code(a.name, code, a.by);
        std::fill(code.begin(), code.end(), '\0');
        std::cout << "staff code of " << a.name << " set (kept only as a scrypt hash); list " << a.name
                  << " in [staff] ids of the station's kakanai.toml\n";
        return 0;
    }
    if (a.command == "rotate-key") {
        if (a.new_key.empty()) usage_error("rotate-key needs --new-key FILE (created 0600 when missing)");
        ks::StoreConfig c = store_config(a);
        c.previous_key_files.insert(c.previous_key_files.begin(), c.key_file);
        c.key_file = a.new_key;
        auto store = ks::open_store(c);
        const int n = store->rotate_keys();
        const auto keys = store->keys_in_use();
        std::cout << "re-sealed " << n << " applications under key " << store->current_key_id() << "\n";
        if (keys.size() <= 1) {
            std::cout << "every application uses the new key: set key_file = \"" << a.new_key
                      << "\" in kakanai.toml on every station; the old key file may then be removed\n";
        } else {
            std::cout << "some rows still use older keys: keep the old key files and run again\n";
            return 1;
        }
        return 0;
    }
    auto store = ks::open_store(store_config(a));
    if (a.command == "purge") {
        ks::PurgePolicy policy;
        policy.after_done = std::chrono::seconds(static_cast<std::int64_t>(a.hours * 3600));
        const std::string pdf_dir = a.pdf_dir;
        const auto result = store->purge(policy, [&](const std::string& id) {
            if (!pdf_dir.empty()) kakanai::printing::delete_application_pdfs(pdf_dir, id);  // throws on failure
        });
        std::cout << "purged " << result.purged << " applications\n";
        for (const auto& id : result.kept) std::cerr << "kept " << id << ": its PDF could not be deleted (retried next time)\n";
        return result.kept.empty() ? 0 : 1;
    }
    if (a.command == "export") {
        if (a.department.empty() || a.staff.empty() || a.out.empty())
            usage_error("export needs --department NAME, --staff ID (who exports) and --out DIR");
        if (a.format != "json" && a.format != "csv" && a.format != "both")
            usage_error("--format is json, csv or both");
        const std::string forms = a.forms.empty() ? std::string(KAKANAI_ASSETS_DIR) + "/forms" : a.forms;
        const auto templates = templates_of(forms, a.department);
        if (templates.empty()) {
            std::cerr << "kakanai-report: no template in " << forms << " belongs to department \"" << a.department
                      << "\": check the name (as in the templates' department = ...)\n";
            return 1;
        }
        std::vector<ks::Application> apps;
        for (auto& app : store->exportable(templates))
            if (app.department.empty() || app.department == a.department) apps.push_back(std::move(app));
        std::time_t t = std::time(nullptr);
        char stamp[32];
        std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", std::localtime(&t));
        std::vector<std::string> ids;
        for (const auto& app : apps) ids.push_back(app.id);
        const std::filesystem::path base = std::filesystem::path(a.out) / (a.department + "-" + stamp);
        std::vector<std::string> written;
        if (a.format != "csv") {
            ks::write_private_file(base.string() + ".json", ks::export_json(apps));
            written.push_back(base.string() + ".json");
        }
        if (a.format != "json") {
            ks::write_private_file(base.string() + ".csv", ks::export_csv(apps));
            written.push_back(base.string() + ".csv");
        }
        for (auto& app : apps)
            for (auto& f : app.fields) std::fill(f.value.begin(), f.value.end(), '\0');
        store->record_export(ids, a.staff, a.department, base.filename().string());
        for (const auto& w : written) std::cout << "wrote " << apps.size() << " applications to " << w << "\n";
        return 0;
    }
    if (a.from.empty() || a.to.empty()) usage_error("give --from and --to");
    const std::int64_t from = day_start(a.from, "--from");
    const std::int64_t to = day_start(a.to, "--to") + 86400;  // inclusive day
    if (to <= from) usage_error("--to is before --from");
    const auto k = ks::compute_kpis(*store, from, to, a.minutes_per_form < 0 ? 5.0 : a.minutes_per_form);
    std::cout << (a.csv ? ks::kpis_csv(k) : ks::kpis_text(k));
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        return run(parse(argc, argv));
    } catch (const std::exception& e) {
        std::cerr << "kakanai-report: " << e.what() << "\n";
        return 1;
    }
}
