// Printing at the staff station: a print is claimed once, sent, and finished;
// a reprint needs an explicit request.
#include "sql_store.hpp"

namespace kakanai::store {

PrintJob SqlStore::begin_print(const std::string& id, const std::string& staff, const std::string& printer) {
    std::lock_guard lk(m_);
    require_actor(staff);
    PrintJob job;
    tx([&] {
        const Application a = lock_app(id);
        require(a.state == State::Confirmed || a.state == State::Printed, StoreErrorKind::WrongState,
                "application " + id + " is " + to_string(a.state) + ": only a confirmed application is printed");
        const auto allowed = db_->query("SELECT prints_allowed FROM applications WHERE id = ?", {id});
        if (allowed.at(0).integer("prints_allowed") <= 0) {
            const auto open = db_->query("SELECT id FROM print_jobs WHERE application_id = ? AND status " +
                                             sql_in({PrintStatus::Pending, PrintStatus::Sent}) + " ORDER BY id",
                                         {id});
            if (!open.empty())
                throw StoreError(StoreErrorKind::AlreadyPrinted,
                                 "application " + id + " has print job " + open.back().text("id") +
                                     " whose result is unknown: look at the printer, then mark it done or request a "
                                     "reprint");
            throw StoreError(StoreErrorKind::AlreadyPrinted,
                             "application " + id + " was already printed: request a reprint to print it again");
        }
        const bool reprint = a.state == State::Printed ||
                             !db_->query("SELECT id FROM print_jobs WHERE application_id = ? AND status <> " +
                                             sql_name(PrintStatus::Failed),
                                         {id})
                                  .empty();
        const std::int64_t t = now();
        db_->query("UPDATE applications SET prints_allowed = prints_allowed - 1 WHERE id = ?", {id});
        const auto rows = db_->query(
            "INSERT INTO print_jobs(application_id, printer, spool_id, status, actor, reprint, created_at, "
            "updated_at) VALUES(?,?,'',?,?,?,?,?) RETURNING " +
                std::string(kJobCols),
            {id, printer, std::string(to_string(PrintStatus::Pending)), staff, std::int64_t{reprint}, t, t});
        job = job_from(rows.at(0));
        audit_add(staff, reprint ? "reprint" : "print", id, a.template_ref(),
                  "job=" + std::to_string(job.id) + " printer=" + printer);
    });
    return job;
}

void SqlStore::print_sent(std::int64_t job, const std::string& spool_id) {
    std::lock_guard lk(m_);
    tx([&] {
        const PrintJob j = lock_job(job);
        if (j.status != PrintStatus::Pending) return;  // already recorded
        db_->query("UPDATE print_jobs SET status = ?, spool_id = ?, updated_at = ? WHERE id = ?",
                   {std::string(to_string(PrintStatus::Sent)), spool_id, now(), job});
    });
}

void SqlStore::print_finished(std::int64_t job, bool ok, const std::string& detail) {
    std::lock_guard lk(m_);
    tx([&] {
        // Application row first, then the job: the same order as begin_print and request_reprint.
        const auto owner = db_->query("SELECT application_id FROM print_jobs WHERE id = ?", {job});
        require(!owner.empty(), StoreErrorKind::NotFound, "no print job " + std::to_string(job) + " in the store");
        const Application a = lock_app(owner[0].text("application_id"));
        const PrintJob j = lock_job(job);
        if (j.status == PrintStatus::Done || j.status == PrintStatus::Failed) return;  // idempotent after a restart
        db_->query("UPDATE print_jobs SET status = ?, updated_at = ? WHERE id = ?",
                   {std::string(to_string(ok ? PrintStatus::Done : PrintStatus::Failed)), now(), job});
        if (ok) {
            if (a.state == State::Confirmed)
                move_state(a, {State::Confirmed}, State::Printed, j.actor, "printed", "job=" + std::to_string(job));
            else
                audit_add(j.actor, "printed", a.id, a.template_ref(), "job=" + std::to_string(job));
        } else {
            // Nothing came out: the claim is given back so the same print can be tried again.
            db_->query("UPDATE applications SET prints_allowed = prints_allowed + 1 WHERE id = ?", {a.id});
            // The print system's words may name the document; the audit keeps them only when they hold no value.
            std::string said = detail;
            if (!said.empty()) {
                try {
                    std::vector<FieldValue> values = values_of(a.id);
                    if (holds_personal_data(said, values)) said = "(print system message withheld: it held a value)";
                    wipe(values);
                } catch (const StoreError&) {
                    said = "(print system message withheld: the application could not be opened to check it)";
                }
            }
            audit_add(j.actor, "print-failed", a.id, a.template_ref(),
                      "job=" + std::to_string(job) + (said.empty() ? "" : " " + said));
        }
    });
}

void SqlStore::request_reprint(const std::string& id, const std::string& staff, const Reason& reason) {
    std::lock_guard lk(m_);
    require_actor(staff);
    tx([&] {
        const Application a = lock_app(id);
        const std::string detail = reason_detail(ReasonFor::Reprint, id, reason);
        require(a.state == State::Confirmed || a.state == State::Printed, StoreErrorKind::WrongState,
                "application " + id + " is " + to_string(a.state) + ": only a confirmed or printed one is reprinted");
        // Jobs whose result was unknown are settled by this explicit decision.
        db_->query("UPDATE print_jobs SET status = " + sql_name(PrintStatus::Failed) +
                       ", updated_at = ? WHERE application_id = ? AND status " +
                       sql_in({PrintStatus::Pending, PrintStatus::Sent}),
                   {now(), id});
        db_->query("UPDATE applications SET prints_allowed = 1 WHERE id = ?", {id});
        audit_add(staff, "reprint-request", id, a.template_ref(), detail);
    });
}

std::vector<PrintJob> SqlStore::print_jobs(const std::string& id) {
    std::lock_guard lk(m_);
    std::vector<PrintJob> out;
    for (const auto& r :
         db_->query(std::string("SELECT ") + kJobCols + " FROM print_jobs WHERE application_id = ? ORDER BY id", {id}))
        out.push_back(job_from(r));
    return out;
}

std::vector<PrintJob> SqlStore::unfinished_print_jobs() {
    std::lock_guard lk(m_);
    std::vector<PrintJob> out;
    for (const auto& r : db_->query(std::string("SELECT ") + kJobCols + " FROM print_jobs WHERE status " +
                                        sql_in({PrintStatus::Pending, PrintStatus::Sent}) + " ORDER BY id",
                                    {}))
        out.push_back(job_from(r));
    return out;
}

}  // namespace kakanai::store
