// The staff station: queue, taking an application, correcting, confirming,
// cancelling, staff codes and logins, and the audit lines of one application.
#include <openssl/crypto.h>

#include <algorithm>
#include <sstream>

#include "sql_store.hpp"

#include "kakanai/base/wipe.hpp"

namespace kakanai::store {

std::optional<Application> SqlStore::get(const std::string& id) {
    std::lock_guard lk(m_);
    const auto rows = select_app(id, false);
    if (rows.empty()) return std::nullopt;
    return decoded(rows[0]);
}

std::optional<Application> SqlStore::open(const std::string& id, const std::string& staff) {
    std::lock_guard lk(m_);
    require_actor(staff);
    auto a = get(id);
    if (a) tx([&] { audit_add(staff, "open", id, a->template_ref(), to_string(a->state)); });
    return a;
}

std::vector<FieldValue> SqlStore::values_of(const std::string& id) {
    const auto rows = select_app(id, false);
    if (rows.empty()) return {};
    return decoded(rows[0]).fields;
}

// A take after another station's lease ran out says whose claim it replaced.
std::string SqlStore::returned_detail(const std::string& holder, const std::string& staff) {
    return holder.empty() || holder == staff ? std::string() : "returned-from=" + holder;
}

std::vector<QueueEntry> SqlStore::queue() {
    std::lock_guard lk(m_);
    const auto rows = db_->query(std::string("SELECT ") + kAppCols + ", taken_at FROM applications WHERE state = " +
                                     sql_name(State::Submitted) + " ORDER BY created_at, id",
                                 {});
    const std::int64_t t = now();
    std::vector<QueueEntry> out;
    for (const auto& r : rows) {
        QueueEntry e{app_from(r), 0, false, {}};
        e.waiting_seconds = std::max<std::int64_t>(0, t - e.app.created_at);
        if (!r.null("taken_by") && (r.null("taken_at") || r.integer("taken_at") < t - lease_)) {
            // The station stopped renewing: free again, and shown as returned.
            e.returned = true;
            e.returned_from = e.app.taken_by;
            e.app.taken_by.clear();
        }
        out.push_back(std::move(e));
    }
    return out;
}

std::optional<Application> SqlStore::take_next(const std::string& staff) {
    std::lock_guard lk(m_);
    require_actor(staff);
    std::string id;
    tx([&] {
        const auto rows = db_->query(
            "SELECT id, template_id, template_version, taken_by FROM applications WHERE state = " + sql_name(State::Submitted) +
                " AND (taken_by IS NULL OR taken_at < ?) ORDER BY created_at, id LIMIT 1" +
                (pg() ? " FOR UPDATE SKIP LOCKED" : ""),
            {now() - lease_});
        if (rows.empty()) return;
        id = rows[0].text("id");
        db_->query("UPDATE applications SET taken_by = ?, taken_at = ? WHERE id = ?", {staff, now(), id});
        audit_add(staff, "take", id, rows[0].text("template_id") + "@" + rows[0].text("template_version"),
                  returned_detail(rows[0].text("taken_by"), staff));
    });
    if (id.empty()) return std::nullopt;
    return get(id);
}

Application SqlStore::take(const std::string& id, const std::string& staff) {
    std::lock_guard lk(m_);
    require_actor(staff);
    tx([&] {
        const Application a = lock_app(id);
        require(a.state == State::Submitted, StoreErrorKind::WrongState,
                "application " + id + " is " + to_string(a.state) + " and no longer waits in the queue");
        check_not_taken_by_other(id, staff);
        db_->query("UPDATE applications SET taken_by = ?, taken_at = ? WHERE id = ?", {staff, now(), id});
        audit_add(staff, "take", id, a.template_ref(), returned_detail(a.taken_by, staff));
    });
    return *get(id);
}

void SqlStore::release(const std::string& id, const std::string& staff) {
    std::lock_guard lk(m_);
    tx([&] {
        const Application a = lock_app(id);
        require(a.taken_by == staff, StoreErrorKind::Taken, "application " + id + " is not held by " + staff);
        db_->query("UPDATE applications SET taken_by = NULL, taken_at = NULL WHERE id = ?", {id});
        audit_add(staff, "release", id, a.template_ref(), "");
    });
}

bool SqlStore::renew_lease(const std::string& id, const std::string& staff) {
    std::lock_guard lk(m_);
    require_actor(staff);
    bool held = false;
    tx([&] {
        const auto rows = select_app(id, true);
        if (rows.empty()) return;
        const Application a = app_from(rows[0]);
        if (a.state != State::Submitted || a.taken_by != staff) return;
        db_->query("UPDATE applications SET taken_at = ? WHERE id = ?", {now(), id});
        held = true;
    });
    return held;
}

void DeskStore::correct_field(const std::string& id, const FieldValue& field, const std::string& staff,
                              const Reason& reason) {
    require(!is_my_number_field(field), StoreErrorKind::Refused,
            "個人番号 is never stored: the staff station asks for the card again when a form needs it");
    correct_field(id, field.id, field.value, staff, reason);
}

void SqlStore::correct_field(const std::string& id, const std::string& field_id, const std::string& value,
                             const std::string& staff, const Reason& reason) {
    std::lock_guard lk(m_);
    require_actor(staff);
    require(!is_my_number_field({field_id, value, "", ""}), StoreErrorKind::Refused,
            "個人番号 is never stored: the staff station asks for the card again when a form needs it");
    checked_reason(ReasonFor::Correct, {reason.code, {}}, {});  // the code, before any decryption
    tx([&] {
        const auto rows = select_app(id, true);
        require(!rows.empty(), StoreErrorKind::NotFound, "no application " + id + " in the store");
        Application a = decoded(rows[0]);
        require(a.state == State::Submitted, StoreErrorKind::WrongState,
                "application " + id + " is " + to_string(a.state) + ": only a submitted application is corrected");
        check_not_taken_by_other(id, staff);
        auto it = std::find_if(a.fields.begin(), a.fields.end(), [&](const FieldValue& f) { return f.id == field_id; });
        // The audit log keeps no personal values: the note may repeat neither the
        // new value nor any value the application holds.
        std::vector<FieldValue> against = a.fields;
        against.push_back({field_id, value, "staff", ""});
        std::string detail;
        try {
            detail = checked_reason(ReasonFor::Correct, reason, against);
        } catch (...) {
            wipe(against);
            wipe(a.fields);
            throw;
        }
        wipe(against);
        if (it == a.fields.end()) {
            a.fields.push_back({field_id, value, "staff", ""});
        } else {
            base::secure_zero(it->value.data(), it->value.size());
            it->value = value;
            it->origin = "staff";
        }
        const auto sealed = seal_fields(a.fields, id);
        wipe(a.fields);
        db_->query("UPDATE applications SET fields = ?, key_id = ? WHERE id = ?", {Blob{sealed}, seal_key_.id, id});
        audit_add(staff, "correct", id, a.template_ref(), "field=" + field_id + " " + detail);
    });
}

void SqlStore::confirm(const std::string& id, const std::string& staff) {
    std::lock_guard lk(m_);
    require_actor(staff);
    tx([&] {
        const Application a = lock_app(id);
        check_not_taken_by_other(id, staff);
        move_state(a, {State::Submitted}, State::Confirmed, staff, "confirm", "");
        db_->query("UPDATE applications SET prints_allowed = 1 WHERE id = ?", {id});
    });
}

std::string SqlStore::reason_detail(ReasonFor action, const std::string& id, const Reason& reason) {
    std::vector<FieldValue> values = reason.note.empty() ? std::vector<FieldValue>{} : values_of(id);
    try {
        std::string detail = checked_reason(action, reason, values);
        wipe(values);
        return detail;
    } catch (...) {
        wipe(values);
        throw;
    }
}

void SqlStore::cancel(const std::string& id, const std::string& staff, const Reason& reason) {
    std::lock_guard lk(m_);
    require_actor(staff);
    tx([&] {
        const Application a = lock_app(id);
        const std::string detail = reason_detail(ReasonFor::Cancel, id, reason);
        move_state(a, {State::Submitted, State::Confirmed}, State::Cancelled, staff, "cancel", detail);
        db_->query("UPDATE applications SET prints_allowed = 0 WHERE id = ?", {id});
    });
}

void SqlStore::set_state(const std::string& id, State to, const std::string& actor) {
    switch (to) {
        case State::Submitted: return submit_draft(id, actor);
        case State::Confirmed: return confirm(id, actor);
        default:
            throw StoreError(StoreErrorKind::Refused,
                             std::string("an application is not set to ") + to_string(to) +
                                 " directly: cancelling goes through cancel (with a reason code), printing through "
                                 "begin_print/print_finished, removal through purge");
    }
}

std::vector<StateChange> SqlStore::history(const std::string& id) {
    std::lock_guard lk(m_);
    std::vector<StateChange> out;
    for (const auto& r : db_->query(
             "SELECT at, actor, from_state, to_state FROM state_history WHERE application_id = ? ORDER BY seq", {id}))
        out.push_back({r.integer("at"), r.text("actor"), state_from_string(r.text("from_state")),
                       state_from_string(r.text("to_state"))});
    return out;
}

void require_staff_code_shape(const std::string& code) {
    require(code.size() >= static_cast<std::size_t>(kStaffCodeMinDigits) &&
                std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; }),
            StoreErrorKind::Refused,
            "a staff code is at least " + std::to_string(kStaffCodeMinDigits) + " digits (0-9), nothing else");
}

const char* to_string(LoginOutcome::Result r) {
    switch (r) {
        case LoginOutcome::Result::Ok: return "ok";
        case LoginOutcome::Result::WrongCode: return "wrong_code";
        case LoginOutcome::Result::StaffLocked: return "staff_locked";
        case LoginOutcome::Result::StationLocked: return "station_locked";
    }
    return "?";
}

void SqlStore::set_staff_code(const std::string& staff, const std::string& code, const std::string& actor) {
    std::lock_guard lk(m_);
    require_actor(staff);
    require_actor(actor);
    require_staff_code_shape(code);
    const auto salt = random_bytes(16);
    const auto hash = hash_code(code, salt);
    tx([&] {
        db_->query("INSERT INTO staff_codes(staff, salt, hash, updated_at) VALUES(?,?,?,?) ON CONFLICT(staff) DO "
                   "UPDATE SET salt = excluded.salt, hash = excluded.hash, updated_at = excluded.updated_at",
                   {staff, Blob{salt}, Blob{hash}, now()});
        audit_add(actor, "staff-code", "", "", "staff=" + staff);
        // A new code is the administrator's answer to a locked id.
        const Guard g = guard_row("staff:" + staff);
        if (g.failures != 0 || g.locks != 0 || g.locked_until != 0) {
            guard_write("staff:" + staff, Guard{});
            audit_add(actor, "login-unlock", "", "", "staff=" + staff);
        }
    });
}

SqlStore::Guard SqlStore::guard_row(const std::string& subject) {
    db_->query("INSERT INTO login_guard(subject, updated_at) VALUES(?, ?) ON CONFLICT(subject) DO NOTHING",
               {subject, now()});
    const auto rows = db_->query(
        "SELECT failures, locks, locked_until, failed_ids FROM login_guard WHERE subject = ?" + std::string(for_update()),
        {subject});
    Guard g;
    g.failures = rows.at(0).integer("failures");
    g.locks = rows.at(0).integer("locks");
    g.locked_until = rows.at(0).integer("locked_until");
    g.failed_ids = rows.at(0).text("failed_ids");
    return g;
}

void SqlStore::guard_write(const std::string& subject, const Guard& g) {
    db_->query("UPDATE login_guard SET failures = ?, locks = ?, locked_until = ?, failed_ids = ?, updated_at = ? "
               "WHERE subject = ?",
               {g.failures, g.locks, g.locked_until, g.failed_ids, now(), subject});
}

namespace {
bool listed(const std::string& ids, const std::string& id) {
    std::istringstream in(ids);
    for (std::string one; std::getline(in, one, '\n');)
        if (one == id) return true;
    return false;
}
}  // namespace

LoginOutcome SqlStore::login(const std::string& station, const std::string& staff, const std::string& code) {
    std::lock_guard lk(m_);
    require_actor(station);
    require_actor(staff);
    require(staff.find('\n') == std::string::npos && station.find('\n') == std::string::npos, StoreErrorKind::Refused,
            "a staff id or station name is one line");
    LoginOutcome out;
    tx([&] {
        const std::string who = "staff:" + staff, where = "station:" + station;
        Guard id = guard_row(who);
        Guard st = guard_row(where);
        const std::int64_t t = now();
        const std::string at = "station=" + station;
        // Locked attempts never reach the code check: nothing to learn from them.
        if (id.locked_until > t) {
            out.result = LoginOutcome::Result::StaffLocked;
            out.locked_until = id.locked_until;
            out.station_locked = st.locked_until != 0;
            audit_add(staff, "login-refused", "", "", at + " staff-locked until=" + std::to_string(id.locked_until));
            return;
        }
        if (st.locked_until != 0 && listed(st.failed_ids, staff)) {
            out.result = LoginOutcome::Result::StationLocked;
            out.station_locked = true;
            audit_add(staff, "login-refused", "", "", at + " station-locked");
            return;
        }
        const auto rows = db_->query("SELECT salt, hash FROM staff_codes WHERE staff = ?", {staff});
        // An unknown id costs the same time as a known one.
        const std::vector<std::uint8_t> salt = rows.empty() ? std::vector<std::uint8_t>(16, 0) : rows[0].blob("salt");
        const auto got = hash_code(code, salt);
        const bool ok = !rows.empty() && rows[0].blob("hash").size() == got.size() &&
                        CRYPTO_memcmp(rows[0].blob("hash").data(), got.data(), got.size()) == 0;
        if (ok) {
            out.result = LoginOutcome::Result::Ok;
            guard_write(who, Guard{});
            const bool was_locked = st.locked_until != 0;
            guard_write(where, Guard{});
            audit_add(staff, "login", "", "", at);
            if (was_locked) audit_add(staff, "station-unlock", "", "", at);
            return;
        }
        // A lock that ran out starts a new count; the next lock is twice as long.
        if (id.locked_until != 0) {
            id.locked_until = 0;
            id.failures = 0;
        }
        ++id.failures;
        ++st.failures;
        if (!listed(st.failed_ids, staff)) st.failed_ids += staff + "\n";
        audit_add(staff, "login-failed", "", "",
                  at + " failures=" + std::to_string(id.failures) + " station-failures=" + std::to_string(st.failures));
        out.result = LoginOutcome::Result::WrongCode;
        out.tries_left = static_cast<int>(std::max<std::int64_t>(0, kStaffFailuresToLock - id.failures));
        if (id.failures >= kStaffFailuresToLock) {
            ++id.locks;
            const std::int64_t seconds = kStaffFirstLockSeconds << std::min<std::int64_t>(id.locks - 1, 20);
            id.locked_until = t + seconds;
            out.result = LoginOutcome::Result::StaffLocked;
            out.locked_until = id.locked_until;
            audit_add(staff, "login-locked", "", "",
                      at + " lock=" + std::to_string(id.locks) + " minutes=" + std::to_string(seconds / 60));
        }
        if (st.failures >= kStationFailuresToLock && st.locked_until == 0) {
            st.locked_until = t;
            out.result = LoginOutcome::Result::StationLocked;
            audit_add(station, "station-locked", "", "", at + " failures=" + std::to_string(st.failures));
        }
        out.station_locked = st.locked_until != 0;
        guard_write(who, id);
        guard_write(where, st);
    });
    return out;
}

bool SqlStore::station_locked(const std::string& station) {
    std::lock_guard lk(m_);
    const auto rows = db_->query("SELECT locked_until FROM login_guard WHERE subject = ?", {"station:" + station});
    return !rows.empty() && rows[0].integer("locked_until") != 0;
}

std::vector<std::string> SqlStore::audit_lines(const std::string& id) {
    std::lock_guard lk(m_);
    std::vector<std::string> out;
    for (const auto& e : audit_where("application_id = ?", {id})) out.push_back(e.to_string());
    return out;
}

}  // namespace kakanai::store
