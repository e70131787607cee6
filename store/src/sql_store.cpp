// The store's shared machinery over Db: opening, sealing and opening field
// values, row locks, state moves, history and audit lines. Every state change
// is one transaction holding the application's row lock (BEGIN IMMEDIATE on
// SQLite, SELECT ... FOR UPDATE on PostgreSQL). The role methods are in
// sql_kiosk.cpp, sql_desk.cpp, sql_print.cpp and sql_report.cpp.
#include "sql_store.hpp"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <nlohmann/json.hpp>

#include "kakanai/base/my_number.hpp"
#include "kakanai/base/utf8.hpp"
#include "kakanai/base/wipe.hpp"

namespace kakanai::store {

SqlStore::SqlStore(std::unique_ptr<Db> db, const StoreConfig& cfg, bool kiosk_only)
    : db_(std::move(db)), lease_(cfg.take_lease.count()), time_zone_(cfg.time_zone), clock_(cfg.clock) {
    migrate();
    setup_keys(cfg, kiosk_only);
}

std::int64_t SqlStore::now() const {
    if (clock_) return clock_();
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

void SqlStore::check_insertable(const Application& app) {
    require(!app.template_id.empty(), StoreErrorKind::Refused, "an application needs a template id");
    require_actor(app.station);
    for (const auto& f : app.fields)
        require(!is_my_number_field(f), StoreErrorKind::Refused,
                "field " + f.id + " holds or would hold a 個人番号, which is never stored: leave it out; the "
                "staff station asks for the card again when a form needs it");
    // A card whose data failed its authenticity check never reaches the store.
    require(app.authenticity.empty() || app.authenticity == "verified" || app.authenticity == "consistent",
            StoreErrorKind::Refused, "card data with authenticity \"" + app.authenticity + "\" is never stored");
}

void SqlStore::insert_row(const Application& app, State state, const std::vector<std::uint8_t>& sealed) {
    db_->query(
        "INSERT INTO applications(id, template_id, template_version, department, station, card_read, state, "
        "created_at, updated_at, key_id, fields, prints_allowed, authenticity, visit_day, visit_number) "
        "VALUES(?,?,?,?,?,?,?,?,?,?,?,0,?,?,?)",
        {app.id, app.template_id, std::int64_t{app.template_version}, app.department, app.station,
         std::int64_t{app.card_read}, std::string(to_string(state)), app.created_at, app.created_at, seal_key_.id,
         Blob{sealed}, app.authenticity, app.visit_day, std::int64_t{app.visit_number}});
    if (state == State::Submitted) {
        history_add(app.id, app.station, State::Draft, State::Submitted);
        audit_add(app.station, "submit", app.id, app.template_ref(), app.card_read ? "card" : "manual");
    }
}

std::string SqlStore::insert(Application app, State state) {
    check_insertable(app);
    app.id = new_id();
    app.state = state;
    app.created_at = now();
    app.visit_day.clear();
    app.visit_number = 0;
    const auto sealed = seal_fields(app.fields, app.id);
    wipe(app.fields);
    tx([&] { insert_row(app, state, sealed); });
    return app.id;
}

namespace {

// A JSON string into `out`, whose capacity the caller reserved: no reallocation
// leaves a copy of a personal value behind in freed memory.
void append_json_string(std::string& out, const std::string& s) {
    static const char* hex = "0123456789abcdef";
    out += '"';
    for (const char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (u < 0x20) {
            out += "\\u00";
            out += hex[u >> 4];
            out += hex[u & 0xF];
        } else {
            out += c;
        }
    }
    out += '"';
}

// Zeroes every string of a parsed JSON document before it is freed.
void wipe_json(nlohmann::json& j) {
    if (j.is_string()) {
        auto& s = j.get_ref<std::string&>();
        base::secure_zero(s.data(), s.size());
    } else if (j.is_structured()) {
        for (auto& e : j) wipe_json(e);
    }
}

}  // namespace

std::vector<std::uint8_t> SqlStore::seal_fields(const std::vector<FieldValue>& fields, const std::string& id) {
    // The plaintext is written once into a buffer of its final size, then zeroed.
    std::size_t size = 2;
    for (const auto& f : fields) size += 6 * (f.id.size() + f.value.size() + f.origin.size()) + 40;
    std::string plain;
    plain.reserve(size);
    plain += '[';
    for (const auto& f : fields) {
        if (plain.size() > 1) plain += ',';
        plain += "{\"id\":";
        append_json_string(plain, f.id);
        plain += ",\"value\":";
        append_json_string(plain, f.value);
        plain += ",\"origin\":";
        append_json_string(plain, f.origin);
        plain += '}';
    }
    plain += ']';
    auto sealed = seal(seal_key_, plain, id);
    base::secure_zero(plain.data(), plain.size());
    return sealed;
}

void SqlStore::wipe(std::vector<FieldValue>& fields) {
    for (auto& f : fields) base::secure_zero(f.value.data(), f.value.size());
}

Application SqlStore::decoded(const Row& r) {
    Application a = app_from(r);
    std::string plain = open_fields(r.text("key_id"), r.blob("fields"), a.id);
    nlohmann::json j = nlohmann::json::parse(plain);
    base::secure_zero(plain.data(), plain.size());
    for (const auto& f : j)
        a.fields.push_back({f.at("id").get<std::string>(), f.at("value").get<std::string>(),
                            f.at("origin").get<std::string>(), ""});
    wipe_json(j);
    return a;
}

std::vector<Row> SqlStore::select_app(const std::string& id, bool lock) {
    return db_->query(std::string("SELECT ") + kAppCols + " FROM applications WHERE id = ?" + (lock ? for_update() : ""),
                      {id});
}

Application SqlStore::lock_app(const std::string& id) {
    const auto rows = select_app(id, true);
    require(!rows.empty(), StoreErrorKind::NotFound,
            "no application " + id + " in the store (already purged, or a typo in the number)");
    return app_from(rows[0]);
}

PrintJob SqlStore::lock_job(std::int64_t job) {
    const auto rows =
        db_->query(std::string("SELECT ") + kJobCols + " FROM print_jobs WHERE id = ?" + for_update(), {job});
    require(!rows.empty(), StoreErrorKind::NotFound, "no print job " + std::to_string(job) + " in the store");
    return job_from(rows[0]);
}

void SqlStore::check_not_taken_by_other(const std::string& id, const std::string& staff) {
    const auto rows = db_->query("SELECT taken_by, taken_at FROM applications WHERE id = ?", {id});
    if (rows.empty() || rows[0].null("taken_by")) return;
    const std::string holder = rows[0].text("taken_by");
    if (holder != staff && rows[0].integer("taken_at") >= now() - lease_)
        throw StoreError(StoreErrorKind::Taken, "application " + id + " is open at " + holder +
                                                    "'s station: ask them, or wait until it is released");
}

void SqlStore::move_state(const Application& a, std::initializer_list<State> from, State to, const std::string& actor,
                          const std::string& action, const std::string& detail) {
    require(std::find(from.begin(), from.end(), a.state) != from.end(), StoreErrorKind::WrongState,
            "application " + a.id + " is " + to_string(a.state) + " and cannot become " + to_string(to));
    db_->query("UPDATE applications SET state = ?, updated_at = ? WHERE id = ?",
               {std::string(to_string(to)), now(), a.id});
    history_add(a.id, actor, a.state, to);
    audit_add(actor, action, a.id, a.template_ref(), detail);
}

void SqlStore::history_add(const std::string& id, const std::string& actor, State from, State to) {
    db_->query("INSERT INTO state_history(application_id, at, actor, from_state, to_state) VALUES(?,?,?,?,?)",
               {id, now(), actor, std::string(to_string(from)), std::string(to_string(to))});
}

void SqlStore::audit_add(const std::string& actor, const std::string& action, const std::string& id,
                         const std::string& ref, const std::string& detail) {
    db_->query("INSERT INTO audit(at, actor, action, application_id, template_id, detail) VALUES(?,?,?,?,?,?)",
               {now(), actor, action, id, ref, detail});
}

void SqlStore::delete_rows(const std::string& id) {
    db_->query("DELETE FROM print_jobs WHERE application_id = ?", {id});
    db_->query("DELETE FROM state_history WHERE application_id = ?", {id});
    db_->query("DELETE FROM applications WHERE id = ?", {id});
}

std::vector<AuditEntry> SqlStore::audit_where(const std::string& where, const std::vector<Param>& params) {
    std::vector<AuditEntry> out;
    for (const auto& r : db_->query("SELECT seq, at, actor, action, application_id, template_id, detail FROM audit "
                                    "WHERE " + where + " ORDER BY seq",
                                    params))
        out.push_back({r.integer("seq"), r.integer("at"), r.text("actor"), r.text("action"), r.text("application_id"),
                       r.text("template_id"), r.text("detail")});
    return out;
}

// Short, unguessable ids a resident can read out at the counter: A-XXXX-XXXX.
std::string SqlStore::new_id() {
    static const char* alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";  // no 0/O, 1/I
    std::uint8_t r[8];
    if (RAND_bytes(r, sizeof r) != 1) throw StoreError(StoreErrorKind::Internal, "no randomness for an application id");
    std::string id = "A-";
    for (int i = 0; i < 8; ++i) {
        if (i == 4) id += '-';
        id += alphabet[r[i] % 32];
    }
    return id;
}

std::string AuditEntry::to_string() const {
    std::string s = std::to_string(at) + " " + actor + " " + action + " " + template_ref;
    if (!detail.empty()) s += " " + detail;
    return s;
}

namespace {
// 12 digits whose last is the 個人番号 check digit (行政手続における特定の個人を識別するための番号の利用等に関する法律施行令 8条).
// Separators (space, hyphen, their full-width forms) are skipped; full-width
// digits count as digits. Returns false for anything else.
bool digits_only(const std::string& value, std::string& digits) {
    for (std::size_t i = 0; i < value.size();) {
        const char32_t c = base::next_code_point(value, i);
        if (c >= U'0' && c <= U'9') digits += static_cast<char>('0' + (c - U'0'));
        else if (c >= U'\uFF10' && c <= U'\uFF19') digits += static_cast<char>('0' + (c - U'\uFF10'));  // 全角数字
        else if (c != U' ' && c != U'-' && c != U'\u3000' && c != U'\uFF0D') return false;  // 全角スペース・ハイフン
    }
    return true;
}

bool has_digit(const std::string& value) {
    std::string digits;
    for (std::size_t i = 0; i < value.size(); ++i) {
        const std::size_t n = value[i] & 0x80 ? std::min<std::size_t>(3, value.size() - i) : 1;
        digits.clear();
        if (digits_only(value.substr(i, n), digits) && !digits.empty()) return true;
    }
    return false;
}

bool looks_like_my_number(const std::string& value) {
    std::string digits;
    if (!digits_only(value, digits)) return false;
    return base::my_number_is_valid(digits);
}
}  // namespace

bool is_my_number_field(const FieldValue& f) {
    std::string id = f.id, type = f.type;
    for (auto* s : {&id, &type})
        for (auto& c : *s) c = (c == '-') ? '_' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (looks_like_my_number(f.value) || type == "my_number" || type == "mynumber" || id == "my_number" ||
        id == "mynumber" || id == "kojin_bango" || id == "個人番号")
        return true;
    // Without the type, an id that ends in the number's name (spouse_my_number)
    // holds a 個人番号 as soon as it holds a digit; a question about the number
    // (include_my_number: print it on the 住民票 or not) answers yes/no and passes.
    const auto ends_with = [&](std::string_view tail) {
        return id.size() >= tail.size() && id.compare(id.size() - tail.size(), tail.size(), tail) == 0;
    };
    const bool named = ends_with("_my_number") || ends_with("_mynumber") || ends_with("_kojin_bango") ||
                       ends_with("個人番号");
    return named && (type.empty() || type == "text" || type == "number") && has_digit(f.value);
}

std::unique_ptr<Store> open_store(const StoreConfig& config) {
    std::unique_ptr<Db> db;
    if (config.backend == StoreConfig::Backend::Postgres) {
        if (config.conninfo.empty())
            throw StoreError(StoreErrorKind::Config,
                             "backend is postgresql but no conninfo is set: add conninfo = \"host=... dbname=...\" "
                             "to [store] in kakanai.toml");
        db = open_postgres_db(config.conninfo, config.passfile);
    } else {
        db = open_sqlite_db(config.sqlite_path.string());
    }
    return std::make_unique<SqlStore>(std::move(db), config, false);
}

std::unique_ptr<KioskStore> open_kiosk_store(const StoreConfig& config) {
    std::unique_ptr<Db> db;
    if (config.backend == StoreConfig::Backend::Postgres) {
        if (config.conninfo.empty())
            throw StoreError(StoreErrorKind::Config, "backend is postgresql but no conninfo is set");
        db = open_postgres_db(config.conninfo);
    } else {
        db = open_sqlite_db(config.sqlite_path.string());
    }
    return std::make_unique<SqlStore>(std::move(db), config, true);
}

std::unique_ptr<DeskStore> open_desk_store(const StoreConfig& config) { return open_store(config); }
std::unique_ptr<ReportStore> open_report_store(const StoreConfig& config) { return open_store(config); }

std::unique_ptr<Store> open_sqlite(const std::filesystem::path& db, const std::filesystem::path& private_key_file) {
    StoreConfig c;
    c.sqlite_path = db;
    c.private_key_file = private_key_file;
    c.public_key_file = std::filesystem::path(private_key_file).replace_extension(".pub");
    return open_store(c);
}

std::unique_ptr<Store> open_postgres(const std::string& conninfo, const std::filesystem::path& private_key_file) {
    StoreConfig c;
    c.backend = StoreConfig::Backend::Postgres;
    c.conninfo = conninfo;
    c.private_key_file = private_key_file;
    c.public_key_file = std::filesystem::path(private_key_file).replace_extension(".pub");
    return open_store(c);
}

}  // namespace kakanai::store
