// The staff station: queue, taking an application, correcting, confirming,
// cancelling, staff codes and the audit lines of one application.
#include <openssl/crypto.h>

#include <algorithm>

#include "sql_store.hpp"

#include "kakanai/base/wipe.hpp"

namespace kakanai::store {

std::optional<Application> SqlStore::get(const std::string& id) {
    std::lock_guard lk(m_);
    const auto rows = select_app(id, false);
    if (rows.empty()) return std::nullopt;
    return decoded(rows[0]);
}

std::vector<QueueEntry> SqlStore::queue() {
    std::lock_guard lk(m_);
    const auto rows = db_->query(std::string("SELECT ") + kAppCols + ", taken_at FROM applications WHERE state = " +
                                     sql_name(State::Submitted) + " ORDER BY created_at, id",
                                 {});
    const std::int64_t t = now();
    std::vector<QueueEntry> out;
    for (const auto& r : rows) {
        QueueEntry e{app_from(r), 0};
        e.waiting_seconds = std::max<std::int64_t>(0, t - e.app.created_at);
        if (!r.null("taken_by") && (r.null("taken_at") || r.integer("taken_at") < t - lease_))
            e.app.taken_by.clear();  // lease ran out
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
            "SELECT id, template_id, template_version FROM applications WHERE state = " + sql_name(State::Submitted) +
                " AND (taken_by IS NULL OR taken_at < ?) ORDER BY created_at, id LIMIT 1" +
                (pg() ? " FOR UPDATE SKIP LOCKED" : ""),
            {now() - lease_});
        if (rows.empty()) return;
        id = rows[0].text("id");
        db_->query("UPDATE applications SET taken_by = ?, taken_at = ? WHERE id = ?", {staff, now(), id});
        audit_add(staff, "take", id, rows[0].text("template_id") + "@" + rows[0].text("template_version"), "");
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
        audit_add(staff, "take", id, a.template_ref(), "");
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

void DeskStore::correct_field(const std::string& id, const FieldValue& field, const std::string& staff,
                              const std::string& reason) {
    require(!is_my_number_field(field), StoreErrorKind::Refused,
            "個人番号 is never stored: the staff station asks for the card again when a form needs it");
    correct_field(id, field.id, field.value, staff, reason);
}

void SqlStore::correct_field(const std::string& id, const std::string& field_id, const std::string& value,
                             const std::string& staff, const std::string& reason) {
    std::lock_guard lk(m_);
    require_actor(staff);
    require(!is_my_number_field({field_id, value, "", ""}), StoreErrorKind::Refused,
            "個人番号 is never stored: the staff station asks for the card again when a form needs it");
    require(!reason.empty(), StoreErrorKind::Refused,
            "a correction needs a reason (for example: card misread, resident asked)");
    tx([&] {
        const auto rows = select_app(id, true);
        require(!rows.empty(), StoreErrorKind::NotFound, "no application " + id + " in the store");
        Application a = decoded(rows[0]);
        require(a.state == State::Submitted, StoreErrorKind::WrongState,
                "application " + id + " is " + to_string(a.state) + ": only a submitted application is corrected");
        check_not_taken_by_other(id, staff);
        auto it = std::find_if(a.fields.begin(), a.fields.end(), [&](const FieldValue& f) { return f.id == field_id; });
        // The audit log keeps no personal values, so the reason must not carry them.
        const auto repeats = [&](const std::string& v) { return v.size() >= 2 && reason.find(v) != std::string::npos; };
        require(!repeats(value) && !(it != a.fields.end() && repeats(it->value)), StoreErrorKind::Refused,
                "the reason must not repeat the field's value: the audit log keeps no personal data");
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
        audit_add(staff, "correct", id, a.template_ref(), "field=" + field_id + " reason=" + reason);
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

void SqlStore::cancel(const std::string& id, const std::string& staff, const std::string& reason) {
    std::lock_guard lk(m_);
    require_actor(staff);
    tx([&] {
        const Application a = lock_app(id);
        move_state(a, {State::Submitted, State::Confirmed}, State::Cancelled, staff, "cancel", reason);
        db_->query("UPDATE applications SET prints_allowed = 0 WHERE id = ?", {id});
    });
}

void SqlStore::set_state(const std::string& id, State to, const std::string& actor) {
    switch (to) {
        case State::Submitted: return submit_draft(id, actor);
        case State::Confirmed: return confirm(id, actor);
        case State::Cancelled: return cancel(id, actor, "");
        default:
            throw StoreError(StoreErrorKind::Refused,
                             std::string("an application is not set to ") + to_string(to) +
                                 " directly: printing goes through begin_print/print_finished, removal through purge");
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

void SqlStore::set_staff_code(const std::string& staff, const std::string& code, const std::string& actor) {
    std::lock_guard lk(m_);
    require_actor(staff);
    require_actor(actor);
    require(code.size() >= 4, StoreErrorKind::Refused, "a staff code needs at least 4 characters");
    const auto salt = random_bytes(16);
    const auto hash = hash_code(code, salt);
    tx([&] {
        db_->query("INSERT INTO staff_codes(staff, salt, hash, updated_at) VALUES(?,?,?,?) ON CONFLICT(staff) DO "
                   "UPDATE SET salt = excluded.salt, hash = excluded.hash, updated_at = excluded.updated_at",
                   {staff, Blob{salt}, Blob{hash}, now()});
        audit_add(actor, "staff-code", "", "", "staff=" + staff);
    });
}

bool SqlStore::check_staff_code(const std::string& staff, const std::string& code) {
    std::lock_guard lk(m_);
    const auto rows = db_->query("SELECT salt, hash FROM staff_codes WHERE staff = ?", {staff});
    bool ok = false;
    if (!rows.empty()) {
        const auto want = rows[0].blob("hash");
        const auto got = hash_code(code, rows[0].blob("salt"));
        ok = want.size() == got.size() && CRYPTO_memcmp(want.data(), got.data(), got.size()) == 0;
    }
    if (!ok) tx([&] { audit_add(staff, "login-failed", "", "", ""); });
    return ok;
}

std::vector<std::string> SqlStore::audit_lines(const std::string& id) {
    std::lock_guard lk(m_);
    std::vector<std::string> out;
    for (const auto& e : audit_where("application_id = ?", {id})) out.push_back(e.to_string());
    return out;
}

}  // namespace kakanai::store
