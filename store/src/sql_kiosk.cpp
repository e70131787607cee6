// What a kiosk writes: applications, drafts, session metrics and ratings.
#include "sql_store.hpp"

namespace kakanai::store {

std::string SqlStore::submit(Application app) {
    std::lock_guard lk(m_);
    return insert(std::move(app), State::Submitted);
}

std::string SqlStore::save_draft(Application app) {
    std::lock_guard lk(m_);
    return insert(std::move(app), State::Draft);
}

void SqlStore::submit_draft(const std::string& id, const std::string& actor) {
    std::lock_guard lk(m_);
    require_actor(actor);
    tx([&] {
        const Application a = lock_app(id);
        move_state(a, {State::Draft}, State::Submitted, actor, "submit", a.card_read ? "card" : "manual");
    });
}

void SqlStore::abandon_draft(const std::string& id, const std::string& actor) {
    std::lock_guard lk(m_);
    tx([&] {
        const Application a = lock_app(id);
        require(a.state == State::Draft, StoreErrorKind::WrongState,
                "application " + id + " is " + to_string(a.state) + ", not a draft: cancel it instead");
        delete_rows(id);
        audit_add(actor, "abandon", id, a.template_ref(), "");
    });
    db_->compact();
}

void SqlStore::record_session(const KioskSession& s) {
    std::lock_guard lk(m_);
    std::string templates;
    for (const auto& t : s.templates) templates += (templates.empty() ? "" : ",") + t;
    tx([&] {
        db_->query(
            "INSERT INTO kiosk_sessions(station, started_at, ended_at, taps, templates, card_read, completed, "
            "language, refused) VALUES(?,?,?,?,?,?,?,?,?)",
            {s.station, s.started_at, s.ended_at, std::int64_t{s.taps}, templates, std::int64_t{s.card_read},
             std::int64_t{s.completed}, s.language, std::int64_t{s.refused}});
    });
}

void SqlStore::record_rating(const Rating& r) {
    std::lock_guard lk(m_);
    require(r.score >= 1 && r.score <= 5, StoreErrorKind::Refused,
            "an ease rating is 1 to 5, got " + std::to_string(r.score) + ": the kiosk sent a wrong value");
    tx([&] {
        db_->query("INSERT INTO ratings(station, at, score) VALUES(?,?,?)",
                   {r.station, r.at ? r.at : now(), std::int64_t{r.score}});
    });
}

}  // namespace kakanai::store
