#include "kakanai/forms/guide.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <stdexcept>

namespace kakanai::forms {

long long GuideSlip::total_yen() const {
    long long sum = 0;
    for (const auto& s : steps) sum += s.fee_total();
    return sum;
}

bool GuideSlip::has_fees() const {
    return std::any_of(steps.begin(), steps.end(), [](const GuideStep& s) { return s.has_fee; });
}

Text default_counter() { return Text{"受付窓口", "Reception counter", "うけつけ まどぐち"}; }

GuideCounters load_guide_counters(const std::filesystem::path& toml_file) {
    GuideCounters out;
    std::error_code ec;
    if (!std::filesystem::exists(toml_file, ec)) return out;
    toml::table root;
    try {
        root = toml::parse_file(toml_file.string());
    } catch (const toml::parse_error& e) {
        throw std::runtime_error(toml_file.string() + ":" + std::to_string(e.source().begin.line) + ": " +
                                 std::string(e.description()));
    }
    const auto* counters = root["guide"]["counters"].as_table();
    if (!counters) return out;
    for (const auto& [k, v] : *counters) {
        const int line = static_cast<int>(v.source().begin.line);
        Text x;
        if (const auto* s = v.as_string()) x.ja = s->get();
        else if (const auto* t = v.as_table()) {
            x.ja = (*t)["ja"].value_or(std::string());
            x.en = (*t)["en"].value_or(std::string());
            x.easy = (*t)["easy"].value_or(std::string());
        }
        if (x.ja.empty())
            throw std::runtime_error(toml_file.string() + ":" + std::to_string(line) + ": [guide.counters] " +
                                     std::string(k.str()) + " needs a name: \"…\" or { ja = \"…\", en = \"…\" }");
        out.by_key[std::string(k.str())] = std::move(x);
    }
    return out;
}

int copies_of(const std::string& value) {
    if (value.empty() || value.size() > 3 || !std::all_of(value.begin(), value.end(), ::isdigit)) return 1;
    return std::max(1, std::stoi(value));
}

std::string yen_digits(long long yen) {
    std::string d = std::to_string(yen < 0 ? -yen : yen), out;
    for (std::size_t i = 0; i < d.size(); ++i) {
        if (i && (d.size() - i) % 3 == 0) out += ',';
        out += d[i];
    }
    return (yen < 0 ? "-" : "") + out;
}

GuideSlip make_guide_slip(const std::string& number, const std::vector<GuideProcedure>& procedures,
                          const GuideCounters& town) {
    GuideSlip slip;
    slip.number = number;
    std::vector<std::pair<int, GuideStep>> ordered;
    for (const auto& p : procedures) {
        if (!p.t) continue;
        const Template& t = *p.t;
        GuideStep s;
        s.template_id = t.id;
        s.title = t.title;
        s.has_fee = t.fee_yen.has_value();
        s.fee_yen = t.fee_yen.value_or(0);
        s.copies = std::max(1, p.copies);
        if (auto it = town.by_key.find(t.id); it != town.by_key.end()) s.counter = it->second;
        else if (auto d = town.by_key.find(t.department); d != town.by_key.end()) s.counter = d->second;
        else if (t.guide && !t.guide->counter.ja.empty()) s.counter = t.guide->counter;
        else if (!t.department.empty()) s.counter = Text{t.department, "", ""};
        else s.counter = default_counter();
        if (t.guide) {
            s.bring = t.guide->bring;
            s.deadline_days = t.guide->deadline_days;
            s.deadline_from = t.guide->deadline_from;
        }
        ordered.emplace_back(t.guide ? t.guide->order : 50, std::move(s));
    }
    std::stable_sort(ordered.begin(), ordered.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto& [o, s] : ordered) slip.steps.push_back(std::move(s));
    return slip;
}

}  // namespace kakanai::forms
