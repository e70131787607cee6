// Rows read by column name, and state names as SQL, from the one name table.
#include "sql_store.hpp"

namespace kakanai::store {

const char* const kAppCols =
    "id, template_id, template_version, department, station, card_read, state, created_at, updated_at, "
    "taken_by, key_id, fields, authenticity, visit_day, visit_number";

const char* const kJobCols = "id, application_id, printer, spool_id, status, actor, reprint, created_at, updated_at";

Application app_from(const Row& r) {
    Application a;
    a.id = r.text("id");
    a.template_id = r.text("template_id");
    a.template_version = static_cast<int>(r.integer("template_version"));
    a.department = r.text("department");
    a.station = r.text("station");
    a.card_read = r.integer("card_read") != 0;
    a.authenticity = r.text("authenticity");
    a.state = state_from_string(r.text("state"));
    a.created_at = r.integer("created_at");
    a.updated_at = r.integer("updated_at");
    a.taken_by = r.text("taken_by");
    a.visit_day = r.text("visit_day");
    a.visit_number = static_cast<int>(r.integer("visit_number"));
    return a;
}

PrintJob job_from(const Row& r) {
    PrintJob j;
    j.id = r.integer("id");
    j.application_id = r.text("application_id");
    j.printer = r.text("printer");
    j.spool_id = r.text("spool_id");
    j.status = print_status_from_string(r.text("status"));
    j.actor = r.text("actor");
    j.reprint = r.integer("reprint") != 0;
    j.created_at = r.integer("created_at");
    j.updated_at = r.integer("updated_at");
    return j;
}

namespace {
// The names are fixed lowercase words from types.hpp, so quoting is enough.
std::string quote(const char* name) { return std::string("'") + name + "'"; }

template <class E>
std::string in_list(std::initializer_list<E> values) {
    std::string out = "IN (";
    for (const E v : values) out += (out.size() > 4 ? "," : "") + quote(to_string(v));
    return out + ")";
}
}  // namespace

std::string sql_name(State s) { return quote(to_string(s)); }
std::string sql_name(PrintStatus s) { return quote(to_string(s)); }
std::string sql_in(std::initializer_list<State> states) { return in_list(states); }
std::string sql_in(std::initializer_list<PrintStatus> statuses) { return in_list(statuses); }

void require(bool ok, StoreErrorKind kind, const std::string& message) {
    if (!ok) throw StoreError(kind, message);
}

void require_actor(const std::string& actor) {
    require(!actor.empty(), StoreErrorKind::Refused,
            "no staff or station name given: every change in the store names who made it");
}

}  // namespace kakanai::store
