#include "kakanai/store/report.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string_view>

namespace kakanai::store {
namespace {

std::string strip_version(const std::string& ref) { return ref.substr(0, ref.find('@')); }

std::string fmt(double v, int decimals = 1) {
    std::ostringstream s;
    s.setf(std::ios::fixed);
    s.precision(decimals);
    s << v;
    return s.str();
}

// RFC 4180: quote when needed, double inner quotes. A cell a spreadsheet
// would read as a formula (=, +, -, @, tab, carriage return first) gets a
// leading ' so a resident's typed "=HYPERLINK(...)" stays text.
std::string csv_cell(const std::string& raw) {
    const bool formula = !raw.empty() && std::string_view("=+-@\t\r").find(raw.front()) != std::string_view::npos;
    const std::string v = formula ? "'" + raw : raw;
    if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
    std::string q = "\"";
    for (char c : v) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
}

}  // namespace

Kpis compute_kpis(ReportStore& store, std::int64_t from, std::int64_t to, double minutes_per_form) {
    Kpis k;
    k.from = from;
    k.to = to;
    k.minutes_per_form = minutes_per_form;
    std::map<std::string, ProcedureCount> per;
    std::map<std::string, std::string> template_of;  // application id -> template id
    int cancelled = 0;
    for (const auto& e : store.audit(from, to)) {
        const std::string t = strip_version(e.template_ref);
        auto& p = per[t];
        p.template_id = t;
        if (e.action == "submit") {
            ++p.submitted;
            ++k.applications;
            if (e.detail == "card") {
                ++p.card_read;
                ++k.card_read;
            }
        } else if (e.action == "printed") {
            ++p.printed;
        } else if (e.action == "cancel") {
            ++p.cancelled;
            ++cancelled;
        }
    }
    for (auto& [id, p] : per)
        if (p.submitted || p.printed || p.cancelled) k.procedures.push_back(p);
    k.card_share = k.applications ? static_cast<double>(k.card_read) / k.applications : 0;
    k.staff_minutes_saved = std::max(0, k.applications - cancelled) * minutes_per_form;

    std::vector<double> durations;
    long taps = 0, errands = 0;
    for (const auto& s : store.sessions(from, to)) {
        ++k.sessions;
        if (!s.completed) continue;
        ++k.completed_sessions;
        durations.push_back(static_cast<double>(s.ended_at - s.started_at));
        taps += s.taps;
        errands += static_cast<long>(std::max<std::size_t>(1, s.templates.size()));
    }
    if (!durations.empty()) {
        std::sort(durations.begin(), durations.end());
        const std::size_t n = durations.size();
        k.median_kiosk_seconds = n % 2 ? durations[n / 2] : (durations[n / 2 - 1] + durations[n / 2]) / 2;
    }
    k.taps_per_errand = errands ? static_cast<double>(taps) / static_cast<double>(errands) : 0;
    int rated = 0, sum = 0;
    for (const auto& r : store.ratings(from, to)) {
        ++k.ratings.at(static_cast<std::size_t>(r.score - 1));
        ++rated;
        sum += r.score;
    }
    k.mean_rating = rated ? static_cast<double>(sum) / rated : 0;
    return k;
}

std::string kpis_text(const Kpis& k) {
    std::ostringstream o;
    o << "申請件数 Applications: " << k.applications << "\n";
    o << "カード読取の割合 Read from card: " << k.card_read << " (" << fmt(k.card_share * 100) << "%)\n";
    o << "手続ごと Per procedure:\n";
    for (const auto& p : k.procedures)
        o << "  " << p.template_id << ": submitted " << p.submitted << ", from card " << p.card_read << ", printed "
          << p.printed << ", cancelled " << p.cancelled << "\n";
    o << "キオスク利用 Kiosk sessions: " << k.sessions << " (completed " << k.completed_sessions << ")\n";
    o << "キオスク滞在時間の中央値 Median time at the kiosk: " << fmt(k.median_kiosk_seconds, 0) << " s\n";
    o << "用件あたりのタップ数 Taps per errand: " << fmt(k.taps_per_errand) << "\n";
    o << "職員の削減時間 Staff minutes saved: " << fmt(k.staff_minutes_saved) << " (" << fmt(k.minutes_per_form)
      << " min per handwritten form)\n";
    o << "使いやすさ Ease ratings (1..5):";
    for (int i = 0; i < 5; ++i) o << " " << (i + 1) << ":" << k.ratings.at(static_cast<std::size_t>(i));
    o << ", mean " << fmt(k.mean_rating, 2) << "\n";
    return o.str();
}

std::string kpis_csv(const Kpis& k) {
    std::ostringstream o;
    o << "metric,procedure,value\n";
    o << "applications,," << k.applications << "\n";
    o << "card_read,," << k.card_read << "\n";
    o << "card_share,," << fmt(k.card_share, 3) << "\n";
    for (const auto& p : k.procedures) {
        o << "submitted," << csv_cell(p.template_id) << "," << p.submitted << "\n";
        o << "card_read," << csv_cell(p.template_id) << "," << p.card_read << "\n";
        o << "printed," << csv_cell(p.template_id) << "," << p.printed << "\n";
        o << "cancelled," << csv_cell(p.template_id) << "," << p.cancelled << "\n";
    }
    o << "kiosk_sessions,," << k.sessions << "\n";
    o << "completed_sessions,," << k.completed_sessions << "\n";
    o << "median_kiosk_seconds,," << fmt(k.median_kiosk_seconds, 0) << "\n";
    o << "taps_per_errand,," << fmt(k.taps_per_errand, 2) << "\n";
    o << "minutes_per_form,," << fmt(k.minutes_per_form, 1) << "\n";
    o << "staff_minutes_saved,," << fmt(k.staff_minutes_saved, 1) << "\n";
    for (int i = 0; i < 5; ++i) o << "rating_" << (i + 1) << ",," << k.ratings.at(static_cast<std::size_t>(i)) << "\n";
    o << "mean_rating,," << fmt(k.mean_rating, 2) << "\n";
    return o.str();
}

std::string export_json(const std::vector<Application>& apps) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& a : apps) {
        nlohmann::json fields = nlohmann::json::array();
        for (const auto& f : a.fields) fields.push_back({{"id", f.id}, {"value", f.value}, {"origin", f.origin}});
        out.push_back({{"application_id", a.id},
                       {"template", a.template_ref()},
                       {"department", a.department},
                       {"card_read", a.card_read},
                       {"state", to_string(a.state)},
                       {"submitted_at", a.created_at},
                       {"fields", fields}});
    }
    return out.dump(2, ' ', false) + "\n";
}

std::string export_csv(const std::vector<Application>& apps) {
    // One row per application; a column pair <field> and <field>.origin for
    // every field id any exported application has, in first-seen order.
    std::vector<std::string> ids;
    std::set<std::string> seen;
    for (const auto& a : apps)
        for (const auto& f : a.fields)
            if (seen.insert(f.id).second) ids.push_back(f.id);
    std::ostringstream o;
    o << "application_id,template,department,card_read,state,submitted_at";
    for (const auto& id : ids) o << "," << csv_cell(id) << "," << csv_cell(id + ".origin");
    o << "\r\n";
    for (const auto& a : apps) {
        o << csv_cell(a.id) << "," << csv_cell(a.template_ref()) << "," << csv_cell(a.department) << ","
          << (a.card_read ? "1" : "0") << "," << to_string(a.state) << "," << a.created_at;
        for (const auto& id : ids) {
            const auto it = std::find_if(a.fields.begin(), a.fields.end(), [&](const FieldValue& f) { return f.id == id; });
            o << "," << (it == a.fields.end() ? "" : csv_cell(it->value)) << ","
              << (it == a.fields.end() ? "" : csv_cell(it->origin));
        }
        o << "\r\n";
    }
    return o.str();
}

void write_private_file(const std::filesystem::path& file, const std::string& bytes) {
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        throw StoreError(errno == EEXIST ? StoreErrorKind::Conflict : kind_from_errno(errno),
                         "cannot create " + file.string() + ": " + std::strerror(errno) +
                         (errno == EEXIST ? " (an export never overwrites a file: choose another name)" : ""));
    std::size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            const int write_errno = errno;
            const std::string err = std::strerror(write_errno);
            ::close(fd);
            ::unlink(file.c_str());
            throw StoreError(kind_from_errno(write_errno), "cannot write " + file.string() + ": " + err);
        }
        done += static_cast<std::size_t>(n);
    }
    const bool ok = ::fsync(fd) == 0;
    const int sync_errno = errno;
    ::close(fd);
    if (!ok) throw StoreError(kind_from_errno(sync_errno), "cannot flush " + file.string() + " to disk");
}

}  // namespace kakanai::store
