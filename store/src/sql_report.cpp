// kakanai-report and maintenance: audit and metrics for the KPIs, the
// back-office export, retention and key rotation.
#include <algorithm>

#include "sql_store.hpp"

namespace kakanai::store {

std::vector<AuditEntry> SqlStore::audit(std::int64_t from, std::int64_t to) {
    std::lock_guard lk(m_);
    return audit_where("at >= ? AND at < ?", {from, to});
}

std::vector<KioskSession> SqlStore::sessions(std::int64_t from, std::int64_t to) {
    std::lock_guard lk(m_);
    std::vector<KioskSession> out;
    for (const auto& r : db_->query("SELECT station, started_at, ended_at, taps, templates, card_read, completed, "
                                    "language, refused FROM kiosk_sessions WHERE started_at >= ? AND started_at < ? ORDER BY id",
                                    {from, to})) {
        KioskSession s;
        s.station = r.text("station");
        s.started_at = r.integer("started_at");
        s.ended_at = r.integer("ended_at");
        s.taps = static_cast<int>(r.integer("taps"));
        const std::string t = r.text("templates");
        for (std::size_t p = 0; p < t.size();) {
            const auto q = std::min(t.find(',', p), t.size());
            s.templates.push_back(t.substr(p, q - p));
            p = q + 1;
        }
        s.card_read = r.integer("card_read") != 0;
        s.completed = r.integer("completed") != 0;
        s.language = r.text("language");
        s.refused = r.integer("refused") != 0;
        out.push_back(std::move(s));
    }
    return out;
}

std::vector<Rating> SqlStore::ratings(std::int64_t from, std::int64_t to) {
    std::lock_guard lk(m_);
    std::vector<Rating> out;
    for (const auto& r :
         db_->query("SELECT station, at, score FROM ratings WHERE at >= ? AND at < ? ORDER BY id", {from, to}))
        out.push_back({r.text("station"), r.integer("at"), static_cast<int>(r.integer("score"))});
    return out;
}

std::vector<Application> SqlStore::exportable(const std::vector<std::string>& template_ids) {
    std::lock_guard lk(m_);
    std::vector<Application> out;
    if (template_ids.empty()) return out;
    std::string sql = std::string("SELECT ") + kAppCols + " FROM applications WHERE state " +
                      sql_in({State::Confirmed, State::Printed}) + " AND template_id IN (";
    std::vector<Param> params;
    for (const auto& t : template_ids) {
        sql += params.empty() ? "?" : ",?";
        params.emplace_back(t);
    }
    sql += ") ORDER BY created_at, id";
    for (const auto& r : db_->query(sql, params)) out.push_back(decoded(r));
    return out;
}

void SqlStore::record_export(const std::vector<std::string>& ids, const std::string& staff,
                             const std::string& department, const std::string& file) {
    std::lock_guard lk(m_);
    require_actor(staff);
    tx([&] {
        for (const auto& id : ids) {
            const auto rows = db_->query("SELECT template_id, template_version FROM applications WHERE id = ?", {id});
            const std::string ref =
                rows.empty() ? "" : rows[0].text("template_id") + "@" + rows[0].text("template_version");
            audit_add(staff, "export", id, ref, "department=" + department + " file=" + file);
        }
    });
}

PurgeResult SqlStore::purge(const PurgePolicy& policy, const FileDeleter& delete_files) {
    std::lock_guard lk(m_);
    PurgeResult result;
    const std::int64_t t = now();
    // Each state has its own maximum age since the last change (retention.hpp).
    constexpr State kStates[] = {State::Draft, State::Submitted, State::Confirmed, State::Printed, State::Cancelled};
    std::string where;
    std::vector<Param> cutoffs;
    for (const State s : kStates) {
        where += std::string(where.empty() ? "" : " OR ") + "(state = " + sql_name(s) + " AND updated_at <= ?)";
        cutoffs.emplace_back(static_cast<std::int64_t>(t - policy.age_of(s).count()));
    }
    const auto due = db_->query("SELECT id FROM applications WHERE " + where + " ORDER BY created_at", cutoffs);
    for (const auto& r : due) {
        const std::string id = r.text("id");
        // Files first: a crash after this leaves the row, and the next purge deletes again.
        if (delete_files) {
            try {
                delete_files(id);
            } catch (const std::exception&) {
                result.kept.push_back(id);
                continue;
            }
        }
        bool gone = false;
        tx([&] {
            const auto rows = select_app(id, true);
            if (rows.empty()) return;  // another station purged it first
            const Application a = app_from(rows[0]);
            // Checked again under the lock: the state may have changed meanwhile.
            const bool known = std::find(std::begin(kStates), std::end(kStates), a.state) != std::end(kStates);
            if (!known || a.updated_at > t - policy.age_of(a.state).count()) return;
            delete_rows(id);
            audit_add("retention", "purge", id, a.template_ref(), to_string(a.state));
            gone = true;
        });
        if (gone) ++result.purged;
    }
    if (result.purged > 0) {
        // A visit goes with its last application. A day's counter stays: one
        // number a day, nothing personal, and what the monthly report counts.
        tx([&] {
            db_->query("DELETE FROM visits WHERE NOT EXISTS (SELECT 1 FROM applications a WHERE "
                       "a.visit_day = visits.day AND a.visit_number = visits.number)", {});
        });
        db_->compact();
    }
    return result;
}

int SqlStore::rotate_keys() {
    std::lock_guard lk(m_);
    require(!keys_.empty(), StoreErrorKind::KeyMissing,
            "re-sealing needs the private key: run it where the staff side's key is (kakanai-report)");
    int done = 0;
    for (;;) {
        const auto batch =
            db_->query("SELECT id FROM applications WHERE key_id <> ? ORDER BY id LIMIT 100", {seal_key_.id});
        if (batch.empty()) break;
        for (const auto& b : batch) {
            tx([&] {
                const auto rows = select_app(b.text("id"), true);
                if (rows.empty()) return;
                Application a = decoded(rows[0]);
                const auto sealed = seal_fields(a.fields, a.id);
                wipe(a.fields);
                db_->query("UPDATE applications SET fields = ?, key_id = ? WHERE id = ?",
                           {Blob{sealed}, seal_key_.id, a.id});
                audit_add("key-rotation", "rotate-key", a.id, a.template_ref(), "to=" + seal_key_.id);
            });
            ++done;
        }
    }
    // A key no row uses any more is forgotten: a kiosk still sealing with it stops with a clear message.
    tx([&] {
        db_->query("DELETE FROM store_keys WHERE state <> 'current' AND key_id NOT IN (SELECT DISTINCT key_id FROM "
                   "applications)",
                   {});
    });
    if (done > 0) db_->compact();
    return done;
}

std::map<std::string, int> SqlStore::keys_in_use() {
    std::lock_guard lk(m_);
    std::map<std::string, int> out;
    for (const auto& r : db_->query("SELECT key_id, COUNT(*) AS n FROM applications GROUP BY key_id", {}))
        out[r.text("key_id")] = static_cast<int>(r.integer("n"));
    return out;
}

std::string SqlStore::current_key_id() const { return seal_key_.id; }

int SqlStore::schema_version() {
    std::lock_guard lk(m_);
    return db_->read_version();
}

}  // namespace kakanai::store
