// kakanai-report: the town's KPIs, the back-office export, retention purge
// and key rotation, on the store named by kakanai.toml or the command line.
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <ctime>
#include <cstdio>
#include <iostream>
#include <map>

#include "cli.hpp"
#include "monthly_pdf.hpp"
#include "kakanai/forms/catalogue.hpp"
#include "kakanai/store/monthly.hpp"
#include "kakanai/base/toml_file.hpp"
#include "kakanai/base/wipe.hpp"
#include "kakanai/forms/template.hpp"
#include "kakanai/printing/pdf.hpp"
#include "kakanai/store/pg_setup.hpp"
#include "kakanai/store/keys.hpp"
#include "kakanai/store/report.hpp"
#include "kakanai/store/retention.hpp"
#include "kakanai/store/store.hpp"

namespace ks = kakanai::store;

namespace {

struct Args {
    std::string command = "report";
    std::string config, db, pg, key, from, to, department, staff, out, format = "both", forms, new_key, pdf_dir;
    std::string name, by = "kakanai-report";  // staff-code
    std::string private_key, public_key, legacy_key;  // keys
    std::string month, csv_out, town;                 // monthly
    bool csv = false;
    double minutes_per_form = -1;
    double hours = -1;  // purge: overrides retention.printed_hours and cancelled_hours
};

[[noreturn]] void usage_error(const std::string& msg) {
    std::cerr << "kakanai-report: " << msg << " (see kakanai-report --help)\n";
    std::exit(kakanai::tools::kUsageExit);
}

Args parse(int argc, char** argv) {
    Args a;
    CLI::App app("kakanai-report: the town's KPIs, the back-office export, retention purge, key rotation and staff "
                 "codes on a store",
                 "kakanai-report");
    app.footer("The store comes from --config FILE (a kakanai.toml with a [store] table, and [report] "
               "minutes_per_form), --db FILE --key FILE (SQLite) or --pg CONNINFO --key FILE (PostgreSQL), --key being "
               "the store's private key (its public key: the same name ending in .pub). Without a "
               "command: the KPIs from --from to --to (local days, --to inclusive).");
    app.fallthrough();  // the store options also after the command
    app.require_subcommand(0, 1);
    app.add_option("--config", a.config, "kakanai.toml with a [store] table")->type_name("FILE");
    auto* db = app.add_option("--db", a.db, "a SQLite store")->type_name("FILE");
    auto* pg = app.add_option("--pg", a.pg, "a PostgreSQL store (libpq connection string)")->type_name("CONNINFO");
    db->excludes(pg);
    app.add_option("--key", a.key, "the store's private key file (docs/store.md, \"Keys\")")->type_name("FILE");
    app.add_option("--from", a.from, "first day of the KPIs")->type_name("YYYY-MM-DD");
    app.add_option("--to", a.to, "last day of the KPIs (inclusive)")->type_name("YYYY-MM-DD");
    app.add_flag("--csv", a.csv, "the KPIs as CSV");
    app.add_option("--minutes-per-form", a.minutes_per_form, "staff minutes a handwritten form costs (default 5)")
        ->type_name("N");
    CLI::App* exp = app.add_subcommand("export", "the department's applications as JSON and/or CSV (0600, audited)");
    exp->add_option("--department", a.department, "as in the templates' department = ...")->type_name("NAME");
    exp->add_option("--staff", a.staff, "who exports: one of [staff] ids of --config")->type_name("ID");
    exp->add_option("--out", a.out, "the folder to write into")->type_name("DIR");
    exp->add_option("--format", a.format, "json, csv or both")
        ->type_name("FORMAT")
        ->check(CLI::IsMember({"json", "csv", "both"}));
    exp->add_option("--forms", a.forms, "the templates folder (default: the installed forms)")->type_name("DIR");
    CLI::App* monthly = app.add_subcommand(
        "monthly", "the monthly KPI report for the council: charts and tables in Japanese (A4 PDF) and the same "
                   "figures as CSV; no personal data");
    monthly->add_option("--month", a.month, "the calendar month (local time)")->required()->type_name("YYYY-MM");
    monthly->add_option("--out", a.out, "the PDF to write (0600, never over an existing file)")
        ->required()
        ->type_name("FILE.pdf");
    monthly->add_option("--csv", a.csv_out, "also write the figures as CSV (section,item,metric,value)")
        ->type_name("FILE.csv");
    monthly->add_option("--forms", a.forms, "the shipped forms folder (default: the installed forms)")->type_name("DIR");
    monthly->add_option("--town", a.town, "the town's forms folder (default: /etc/kakanai/forms in the package)")
        ->type_name("DIR");
    CLI::App* purge = app.add_subcommand("purge", "deletes applications past their retention, and their PDFs");
    purge->add_option("--hours", a.hours,
                      "age of a printed or cancelled application to purge (default: [retention] of --config, else 24)")
        ->type_name("N")
        ->check(CLI::Range(0.0, static_cast<double>(ks::kMaxRetentionHours)));
    purge->add_option("--pdf-dir", a.pdf_dir, "the folder of application PDFs (default: paths.output of --config)")
        ->type_name("DIR");
    CLI::App* rotate = app.add_subcommand("rotate-key", "re-seals every application under a new key");
    rotate->add_option("--new-key", a.new_key, "the new private key file (made by keys create)")->type_name("FILE");
    CLI::App* keys = app.add_subcommand("keys", "the store's sealing key pair (docs/store.md, \"Keys\")");
    keys->require_subcommand(1);
    CLI::App* create = keys->add_subcommand("create", "creates a new key pair: the private key 0600 (staff side), the "
                                                      "public key 0600 (copy it to the kiosks); never overwrites a file");
    create->add_option("--private", a.private_key, "the private key file (default: private_key_file of --config)")
        ->type_name("FILE");
    create->add_option("--public", a.public_key, "the public key file (default: public_key_file of --config)")
        ->type_name("FILE");
    CLI::App* migrate = keys->add_subcommand("migrate", "re-seals the rows an earlier kakanai sealed with its shared "
                                                        "symmetric key under the store's key pair");
    migrate->add_option("--legacy-key", a.legacy_key, "the earlier shared key file (store.key)")
        ->required()
        ->type_name("FILE");
    CLI::App* code = app.add_subcommand("staff-code", "sets a staff member's login code, read from stdin (never an "
                                                      "argument)");
    code->add_option("name", a.name, "the staff member")->required()->type_name("NAME");
    code->add_option("--by", a.by, "who sets it (audited)")->type_name("ID");
    CLI::App* pg_setup = app.add_subcommand(
        "pg-setup", "PostgreSQL, once per database and after each update, with the owner's or a superuser's "
                    "connection (--pg or --config): creates the roles kakanai_kiosk and kakanai_staff, migrates "
                    "the schema and grants each role its rights (docs/store.md)");
    kakanai::tools::parse_or_exit(app, argc, argv);
    if (*exp) a.command = "export";
    else if (*monthly) a.command = "monthly";
    else if (*purge) a.command = "purge";
    else if (*rotate) a.command = "rotate-key";
    else if (*code) a.command = "staff-code";
    else if (*pg_setup) a.command = "pg-setup";
    else if (*create) a.command = "keys-create";
    else if (*migrate) a.command = "keys-migrate";
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
        if (!a.key.empty()) c.private_key_file = a.key;
        if (a.minutes_per_form < 0) {
            const auto t = kakanai::base::parse_toml_file(a.config);
            a.minutes_per_form = t["report"]["minutes_per_form"].value_or(5.0);
        }
        return c;
    }
    if (a.key.empty()) usage_error("give --config FILE, or --db/--pg with --key FILE");
    ks::StoreConfig c;
    c.private_key_file = a.key;
    c.public_key_file = std::filesystem::path(a.key).replace_extension(".pub");
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

// Who exports is audited, so it must be a staff member the town configured:
// an id listed in [staff] ids of the kakanai.toml given with --config.
void require_configured_staff(const Args& a) {
    if (a.config.empty())
        usage_error("export --staff " + a.staff + " needs --config FILE: the id must be one of [staff] ids there");
    const auto t = kakanai::base::parse_toml_file(a.config);
    std::vector<std::string> ids;
    if (const auto* list = t["staff"]["ids"].as_array())
        for (const auto& v : *list)
            if (const auto* s = v.as_string()) ids.push_back(s->get());
    if (std::find(ids.begin(), ids.end(), a.staff) == ids.end()) {
        std::cerr << "kakanai-report: export --staff " << a.staff << ": not a staff id of " << a.config
                  << " ([staff] ids";
        for (std::size_t i = 0; i < ids.size(); ++i) std::cerr << (i ? ", " : " = ") << ids[i];
        std::cerr << "); give your own staff id\n";
        std::exit(kakanai::tools::kUsageExit);
    }
}

#ifndef KAKANAI_TOWN_DIR
#define KAKANAI_TOWN_DIR ""
#endif

// kakanai-report monthly: the procedures the catalogue serves, the month's
// figures, the PDF and optionally the CSV.
int run_monthly(const Args& a, ks::ReportStore& store) {
    int year = 0, month = 0;
    try {
        ks::parse_month(a.month, year, month);
    } catch (const std::invalid_argument& e) {
        usage_error(e.what());
    }
    const std::string forms = a.forms.empty() ? std::string(KAKANAI_ASSETS_DIR) + "/forms" : a.forms;
    std::string town = a.town;
    if (town.empty() && !std::string(KAKANAI_TOWN_DIR).empty()) town = std::string(KAKANAI_TOWN_DIR) + "/forms";
    char last_day[16];
    std::snprintf(last_day, sizeof last_day, "%04d-%02d-28", year, month);  // the versions served that month
    const auto catalogue = kakanai::forms::Catalogue::load(forms, last_day, town);
    std::map<std::string, std::string> procedures;
    for (const auto* t : catalogue.templates()) procedures[t->id] = t->title.ja;
    const double minutes = a.minutes_per_form < 0 ? 5.0 : a.minutes_per_form;
    const auto report = ks::compute_monthly(store, year, month, procedures, minutes);
    const auto pdf = kakanai::tools::monthly_pdf(report);
    ks::write_private_file(a.out, std::string(pdf.begin(), pdf.end()));
    std::cout << "wrote " << a.out << " (" << report.visits << " visits, " << report.forms << " forms, "
              << report.procedures_used << " of " << report.procedures_on_system << " procedures used)\n";
    if (!a.csv_out.empty()) {
        ks::write_private_file(a.csv_out, ks::monthly_csv(report));
        std::cout << "wrote " << a.csv_out << "\n";
    }
    return 0;
}

int run(Args a) {
    if (a.command == "pg-setup") {
        // No store key needed: only the schema and the roles are touched.
        ks::StoreConfig c;
        if (!a.config.empty()) c = ks::load_store_config(a.config);
        else c.conninfo = a.pg;
        if (!a.pg.empty()) c.conninfo = a.pg;
        if (c.conninfo.empty()) usage_error("pg-setup needs --pg CONNINFO or --config FILE with a PostgreSQL [store]");
        const auto r = ks::setup_postgres(c.conninfo, c.passfile);
        for (const auto& role : r.created_roles) std::cout << "created role " << role << " (LOGIN, no password)\n";
        std::cout << "schema version " << r.schema_version_before << " -> " << r.schema_version << "; granted "
                  << ks::kPgKioskRole << " (insert only) and " << ks::kPgStaffRole << " (rows, no DDL)\n";
        return 0;
    }
    if (a.command == "staff-code") {
        std::string code = read_code();
        try {
            ks::require_staff_code_shape(code);
        } catch (const ks::StoreError& e) {
            kakanai::base::wipe_string(code);
            std::cerr << "kakanai-report: " << e.what() << " (or the two entries differed)\n";
            return 2;
        }
        auto store = ks::open_store(store_config(a));
        store->set_staff_code(a.name, code, a.by);
        kakanai::base::wipe_string(code);
        std::cout << "staff code of " << a.name << " set (kept only as a scrypt hash); list " << a.name
                  << " in [staff] ids of the station's kakanai.toml\n";
        return 0;
    }
    if (a.command == "keys-create") {
        std::filesystem::path priv = a.private_key, pub = a.public_key;
        if (!a.config.empty()) {
            const ks::StoreConfig c = ks::load_store_config(a.config);
            if (priv.empty()) priv = c.private_key_file;
            if (pub.empty()) pub = c.public_key_file;
        }
        if (priv.empty() || pub.empty()) usage_error("keys create needs --private FILE and --public FILE, or --config FILE");
        const std::string id = ks::create_key_pair(priv, pub);
        std::cout << "created key pair " << id << "\n  private key " << priv.string()
                  << " (0600): only the staff stations and kakanai-report; back it up offline now, without it no "
                     "application sealed for it can ever be opened\n  public key  "
                  << pub.string() << " (0600): copy it to every kiosk (public_key_file)\n";
        return 0;
    }
    if (a.command == "keys-migrate") {
        ks::StoreConfig c = store_config(a);
        c.legacy_key_files = {a.legacy_key};
        auto store = ks::open_store(c);
        const int n = store->rotate_keys();
        std::cout << "re-sealed " << n << " applications under key " << store->current_key_id() << "\n";
        if (store->keys_in_use().size() > 1) {
            std::cout << "some rows still use other keys: list their private key files in previous_private_key_files "
                         "and run again\n";
            return 1;
        }
        std::cout << "no row needs the shared key any more: remove " << a.legacy_key
                  << " and key_file from kakanai.toml on every station\n";
        return 0;
    }
    if (a.command == "rotate-key") {
        if (a.new_key.empty()) usage_error("rotate-key needs --new-key FILE (a private key made by keys create)");
        if (!std::filesystem::exists(a.new_key))
            usage_error("rotate-key: " + a.new_key + " does not exist: make the pair first with kakanai-report keys "
                        "create --private " + a.new_key + " --public NEW.pub");
        ks::StoreConfig c = store_config(a);
        c.previous_private_key_files.insert(c.previous_private_key_files.begin(), c.private_key_file);
        c.private_key_file = a.new_key;
        auto store = ks::open_store(c);
        const int n = store->rotate_keys();
        const auto keys = store->keys_in_use();
        std::cout << "re-sealed " << n << " applications under key " << store->current_key_id() << "\n";
        if (keys.size() <= 1) {
            std::cout << "every application uses the new key: set private_key_file = \"" << a.new_key
                      << "\" on the staff side and give every kiosk the new public key; keep the old private key "
                         "listed in previous_private_key_files until rotate-key reports no older key\n";
        } else {
            std::cout << "some rows still use older keys: keep the old key files and run again\n";
            return 1;
        }
        return 0;
    }
    auto store = ks::open_store(store_config(a));
    if (a.command == "purge") {
        // Every state's maximum age from [retention] (docs/configuration.md).
        ks::PurgePolicy policy = a.config.empty() ? ks::PurgePolicy{} : ks::load_retention(a.config);
        if (a.hours >= 0) policy.printed = policy.cancelled = std::chrono::seconds(static_cast<std::int64_t>(a.hours * 3600));
        std::string pdf_dir = a.pdf_dir;
        if (pdf_dir.empty() && !a.config.empty())
            pdf_dir = kakanai::base::parse_toml_file(a.config)["paths"]["output"].value_or(std::string());
        const auto result = store->purge(policy, [&](const std::string& id) {
            if (!pdf_dir.empty()) kakanai::printing::delete_application_pdfs(pdf_dir, id);  // throws on failure
        });
        std::cout << "purged " << result.purged << " applications\n";
        for (const auto& id : result.kept) std::cerr << "kept " << id << ": its PDF could not be deleted (retried next time)\n";
        // PDFs whose application another station purged (a shared PostgreSQL store):
        // none can be older than the longest life of an application after its PDF.
        std::size_t orphans = 0;
        if (!pdf_dir.empty() && std::filesystem::is_directory(pdf_dir)) {
            const auto longest = policy.stale_draft + policy.submitted + policy.confirmed +
                                 std::max(policy.printed, policy.cancelled);
            const auto cutoff = std::filesystem::file_time_type::clock::now() - longest;
            for (const auto& e : std::filesystem::directory_iterator(pdf_dir)) {
                std::error_code ec;
                if (e.path().extension() != ".pdf" || !e.is_regular_file(ec) || e.last_write_time(ec) >= cutoff || ec)
                    continue;
                if (std::filesystem::remove(e.path(), ec)) ++orphans;
            }
        }
        if (orphans > 0) std::cout << "removed " << orphans << " PDFs older than any application may live\n";
        return result.kept.empty() ? 0 : 1;
    }
    if (a.command == "export") {
        if (a.department.empty() || a.staff.empty() || a.out.empty())
            usage_error("export needs --department NAME, --staff ID (who exports) and --out DIR");
        require_configured_staff(a);
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
            for (auto& f : app.fields) kakanai::base::wipe_string(f.value);
        store->record_export(ids, a.staff, a.department, base.filename().string());
        for (const auto& w : written) std::cout << "wrote " << apps.size() << " applications to " << w << "\n";
        return 0;
    }
    if (a.command == "monthly") return run_monthly(a, *store);
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
    ::umask(077);  // exports, keys and a new store are ours alone
    try {
        return run(parse(argc, argv));
    } catch (const std::exception& e) {
        std::cerr << "kakanai-report: " << e.what() << "\n";
        return 1;
    }
}
