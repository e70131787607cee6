// A visit's short number: every form of one resident's visit is stored in one
// transaction under the next number of the day. The day is the town's local
// day, so the sequence restarts at local midnight; the counter row is updated
// atomically (SQLite: the write lock of BEGIN IMMEDIATE; PostgreSQL: the row
// lock of UPDATE), so stations never give the same number twice.
#include <unicode/timezone.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <ctime>
#include <map>
#include <memory>

#include "sql_store.hpp"

namespace kakanai::store {

std::string SqlStore::local_day(std::int64_t unix_seconds) const {
    const std::unique_ptr<icu::TimeZone> tz(icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(time_zone_)));
    require(tz && *tz != icu::TimeZone::getUnknown(), StoreErrorKind::Config,
            "[store] time_zone \"" + time_zone_ + "\" is not a known time zone (e.g. Asia/Tokyo)");
    std::int32_t raw = 0, dst = 0;
    UErrorCode status = U_ZERO_ERROR;
    tz->getOffset(static_cast<double>(unix_seconds) * 1000.0, false, raw, dst, status);
    require(U_SUCCESS(status), StoreErrorKind::Config, "[store] time_zone \"" + time_zone_ + "\": no UTC offset");
    const std::time_t local = static_cast<std::time_t>(unix_seconds + (raw + dst) / 1000);
    std::tm tm{};
    gmtime_r(&local, &tm);
    char b[16];
    std::strftime(b, sizeof b, "%Y-%m-%d", &tm);
    return b;
}

Visit SqlStore::submit_visit(std::vector<Application> apps, const std::string& language) {
    std::lock_guard lk(m_);
    require(!apps.empty(), StoreErrorKind::Refused, "a visit needs at least one form");
    for (const auto& a : apps) check_insertable(a);
    Visit v;
    v.station = apps.front().station;
    v.language = language;
    v.created_at = now();
    v.day = local_day(v.created_at);
    std::vector<std::vector<std::uint8_t>> sealed;
    for (auto& a : apps) {
        a.id = new_id();
        a.state = State::Submitted;
        a.created_at = v.created_at;
        a.visit_day = v.day;
        sealed.push_back(seal_fields(a.fields, a.id));
        wipe(a.fields);
    }
    tx([&] {
        db_->query("INSERT INTO visit_counters(day, last_number) VALUES(?, 0) ON CONFLICT(day) DO NOTHING", {v.day});
        const auto rows = db_->query(
            "UPDATE visit_counters SET last_number = last_number + 1 WHERE day = ? RETURNING last_number", {v.day});
        require(!rows.empty(), StoreErrorKind::Internal, "the visit counter of " + v.day + " is missing");
        v.number = static_cast<int>(rows[0].integer("last_number"));
        db_->query("INSERT INTO visits(day, number, station, language, created_at) VALUES(?,?,?,?,?)",
                   {v.day, std::int64_t{v.number}, v.station, v.language, v.created_at});
        for (std::size_t i = 0; i < apps.size(); ++i) {
            apps[i].visit_number = v.number;
            insert_row(apps[i], State::Submitted, sealed[i]);
        }
    });
    for (const auto& a : apps) v.application_ids.push_back(a.id);
    return v;
}

std::optional<Visit> SqlStore::visit(const std::string& day, int number) {
    std::lock_guard lk(m_);
    const auto rows = db_->query(
        "SELECT day, number, station, language, created_at FROM visits WHERE day = ? AND number = ?",
        {day, std::int64_t{number}});
    if (rows.empty()) return std::nullopt;
    Visit v;
    v.day = rows[0].text("day");
    v.number = static_cast<int>(rows[0].integer("number"));
    v.station = rows[0].text("station");
    v.language = rows[0].text("language");
    v.created_at = rows[0].integer("created_at");
    for (const auto& r : db_->query("SELECT id FROM applications WHERE visit_day = ? AND visit_number = ? "
                                    "ORDER BY created_at, id",
                                    {day, std::int64_t{number}}))
        v.application_ids.push_back(r.text("id"));
    return v;
}

// A day's counter is its last number; the visits table covers a store whose
// past counters an earlier purge removed (the larger of the two wins).
std::optional<std::map<std::string, int>> SqlStore::visits_per_day(const std::string& first_day,
                                                                    const std::string& last_day) {
    std::lock_guard lk(m_);
    std::map<std::string, int> out;
    for (const auto& r : db_->query("SELECT day, last_number FROM visit_counters WHERE day >= ? AND day <= ?",
                                    {first_day, last_day}))
        out[r.text("day")] = static_cast<int>(r.integer("last_number"));
    for (const auto& r : db_->query("SELECT day, MAX(number) AS n FROM visits WHERE day >= ? AND day <= ? GROUP BY day",
                                    {first_day, last_day})) {
        int& n = out[r.text("day")];
        n = std::max(n, static_cast<int>(r.integer("n")));
    }
    return out;
}

}  // namespace kakanai::store
