// Calls for staff: kiosks raise them, stations list and acknowledge them.
#include <algorithm>

#include "sql_store.hpp"

namespace kakanai::store {

bool is_call_reason(std::string_view reason) {
    return std::find(kCallReasons.begin(), kCallReasons.end(), reason) != kCallReasons.end();
}

namespace {
StaffCall call_from(const Row& r) {
    StaffCall c;
    c.id = r.integer("id");
    c.kiosk = r.text("kiosk");
    c.reason = r.text("reason");
    c.raised_at = r.integer("raised_at");
    c.acknowledged_at = r.null("acknowledged_at") ? 0 : r.integer("acknowledged_at");
    c.acknowledged_by = r.text("acknowledged_by");
    return c;
}
const char* const kCallCols = "id, kiosk, reason, raised_at, acknowledged_at, acknowledged_by";
}  // namespace

std::int64_t SqlStore::raise_call(const std::string& kiosk, const std::string& reason) {
    std::lock_guard lk(m_);
    require_actor(kiosk);
    require(kiosk.find('\n') == std::string::npos, StoreErrorKind::Refused, "a kiosk name is one line");
    require(is_call_reason(reason), StoreErrorKind::Refused,
            "a call for staff names one of the reason codes (calls.hpp), got \"" + reason + "\"");
    std::int64_t id = 0;
    tx([&] {
        const auto rows = db_->query("INSERT INTO staff_calls(kiosk, reason, raised_at) VALUES(?,?,?) RETURNING id",
                                     {kiosk, reason, now()});
        id = rows.at(0).integer("id");
        audit_add(kiosk, "call", "", "", "call=" + std::to_string(id) + " reason=" + reason);
    });
    return id;
}

std::optional<StaffCall> SqlStore::call(std::int64_t id) {
    std::lock_guard lk(m_);
    const auto rows = db_->query(std::string("SELECT ") + kCallCols + " FROM staff_calls WHERE id = ?", {id});
    if (rows.empty()) return std::nullopt;
    return call_from(rows[0]);
}

std::optional<std::vector<StaffCall>> SqlStore::staff_calls(std::int64_t from, std::int64_t to) {
    std::lock_guard lk(m_);
    std::vector<StaffCall> out;
    for (const auto& r : db_->query(std::string("SELECT ") + kCallCols +
                                        " FROM staff_calls WHERE raised_at >= ? AND raised_at < ? ORDER BY raised_at, id",
                                    {from, to}))
        out.push_back(call_from(r));
    return out;
}

std::vector<StaffCall> SqlStore::open_calls() {
    std::lock_guard lk(m_);
    std::vector<StaffCall> out;
    for (const auto& r : db_->query(std::string("SELECT ") + kCallCols +
                                        " FROM staff_calls WHERE acknowledged_at IS NULL ORDER BY raised_at DESC, id DESC",
                                    {}))
        out.push_back(call_from(r));
    return out;
}

bool SqlStore::acknowledge_call(std::int64_t id, const std::string& staff) {
    std::lock_guard lk(m_);
    require_actor(staff);
    bool answered = false;
    tx([&] {
        const auto rows = db_->query(std::string("SELECT ") + kCallCols + " FROM staff_calls WHERE id = ?" + for_update(),
                                     {id});
        require(!rows.empty(), StoreErrorKind::NotFound, "no call " + std::to_string(id) + " in the store");
        const StaffCall c = call_from(rows[0]);
        if (c.acknowledged()) return;  // another station answered first
        db_->query("UPDATE staff_calls SET acknowledged_at = ?, acknowledged_by = ? WHERE id = ?", {now(), staff, id});
        audit_add(staff, "call-ack", "", "",
                  "call=" + std::to_string(id) + " kiosk=" + c.kiosk + " reason=" + c.reason +
                      " after=" + std::to_string(std::max<std::int64_t>(0, now() - c.raised_at)) + "s");
        answered = true;
    });
    return answered;
}

}  // namespace kakanai::store
