#include "kakanai/forms/catalogue.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <optional>
#include <set>

namespace kakanai::forms {

const char* to_string(FormOrigin o) {
    switch (o) {
        case FormOrigin::Town: return "town";
        case FormOrigin::Overridden: return "overridden";
        case FormOrigin::Shipped: break;
    }
    return "shipped";
}

Catalogue Catalogue::load(const std::filesystem::path& dir, const std::string& today,
                          const std::filesystem::path& town_dir) {
    Catalogue c;
    c.dir_ = dir;
    c.town_dir_ = town_dir;
    c.today_ = today;
    c.load_all();
    return c;
}

namespace {

std::vector<std::filesystem::path> toml_files(const std::filesystem::path& dir, std::error_code& ec) {
    std::vector<std::filesystem::path> files;
    if (dir.empty()) return files;
    for (const auto& e : std::filesystem::directory_iterator(dir, ec))
        if (e.path().extension() == ".toml") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    return files;
}

// A town file that only takes a shipped form off the kiosk: `id` and `disabled = true`.
std::optional<std::string> disabled_id(const std::filesystem::path& file) {
    try {
        const auto root = toml::parse_file(file.string());
        if (root["disabled"].value_or(false)) return root["id"].value_or(std::string());
    } catch (const toml::parse_error&) {
        // load_template reports it with its line.
    }
    return std::nullopt;
}

}  // namespace

std::string Catalogue::fingerprint() const {
    std::string fp;
    for (const auto& dir : {dir_, town_dir_}) {
        std::error_code ec;
        for (const auto& f : toml_files(dir, ec)) {
            const auto t = std::filesystem::last_write_time(f, ec).time_since_epoch().count();
            fp += f.string() + ":" + std::to_string(t) + ":" + std::to_string(std::filesystem::file_size(f, ec)) + ";";
        }
    }
    return fp;
}

FormOrigin Catalogue::origin(const std::string& id) const {
    if (overridden_ids_.count(id)) return FormOrigin::Overridden;
    return town_ids_.count(id) ? FormOrigin::Town : FormOrigin::Shipped;
}

void Catalogue::load_all() {
    fingerprint_ = fingerprint();
    by_id_.clear();
    events_.clear();
    problems_.clear();
    town_ids_.clear();
    overridden_ids_.clear();
    disabled_.clear();
    std::error_code ec;
    std::vector<std::filesystem::path> shipped_files, town_files;
    for (const auto& f : toml_files(dir_, ec))
        if (f.filename() != "events.toml") shipped_files.push_back(f);
    if (ec) problems_.push_back({dir_, 0, "", "cannot read the forms folder: " + ec.message()});
    ec.clear();
    if (!town_dir_.empty() && std::filesystem::is_directory(town_dir_, ec)) {
        for (const auto& f : toml_files(town_dir_, ec))
            if (f.filename() != "events.toml") town_files.push_back(f);
        if (ec) problems_.push_back({town_dir_, 0, "", "cannot read the town's forms folder: " + ec.message()});
    }
    std::map<std::filesystem::path, Template> good;
    auto load_file = [&](const std::filesystem::path& f) {
        try {
            good[f] = load_template(f);
        } catch (const TemplateError& e) {
            problems_.insert(problems_.end(), e.problems().begin(), e.problems().end());
            if (auto it = last_good_.find(f); it != last_good_.end()) good[f] = it->second;
        }
    };
    for (const auto& f : shipped_files) load_file(f);
    std::set<std::string> shipped_ids;
    for (const auto& [file, t] : good) shipped_ids.insert(t.id);
    std::set<std::filesystem::path> from_town;
    for (const auto& f : town_files) {
        if (auto id = disabled_id(f)) {
            if (!shipped_ids.count(*id))
                problems_.push_back({f, 1, "", "disables `" + *id + "`, which is not a shipped form"});
            else
                disabled_[*id] = f;
            continue;
        }
        load_file(f);
        if (good.count(f)) {
            from_town.insert(f);
            town_ids_.insert(good[f].id);
        }
    }
    last_good_ = good;
    // The town's file wins over every shipped version of its id, whatever their versions.
    for (auto it = good.begin(); it != good.end();) {
        const bool shipped = !from_town.count(it->first);
        if (shipped && (town_ids_.count(it->second.id) || disabled_.count(it->second.id))) {
            if (town_ids_.count(it->second.id)) overridden_ids_.insert(it->second.id);
            it = good.erase(it);
        } else {
            ++it;
        }
    }
    for (const auto& [file, t] : good) problems_.insert(problems_.end(), t.warnings.begin(), t.warnings.end());
    for (const auto& [file, t] : good) {
        auto& versions = by_id_[t.id];
        for (const auto& v : versions)
            if (v.version == t.version)
                problems_.push_back({file, 1, "", "template " + t.id + " version " + std::to_string(t.version) +
                                                      " is also defined in " + v.file.string()});
        versions.push_back(t);
    }

    check_shared_questions();

    if (std::filesystem::exists(dir_ / "events.toml")) read_events(dir_ / "events.toml", false);
    if (!town_dir_.empty() && std::filesystem::exists(town_dir_ / "events.toml"))
        read_events(town_dir_ / "events.toml", true);
}

// The town's events replace shipped ones with the same id, or remove them with `disabled = true`.
void Catalogue::read_events(const std::filesystem::path& events_file, bool town) {
    try {
        const auto root = toml::parse_file(events_file.string());
        if (const auto* arr = root["events"].as_array()) {
            for (const auto& node : *arr) {
                const auto* t = node.as_table();
                if (!t) continue;
                LifeEvent ev;
                ev.id = (*t)["id"].value_or(std::string());
                ev.icon = (*t)["icon"].value_or(std::string());
                const int line = static_cast<int>(t->source().begin.line);
                auto same = std::find_if(events_.begin(), events_.end(), [&](const LifeEvent& e) { return e.id == ev.id; });
                if (town && (*t)["disabled"].value_or(false)) {
                    if (same == events_.end())
                        problems_.push_back({events_file, line, ev.id, "disables an event the shipped events.toml does not have"});
                    else
                        events_.erase(same);
                    continue;
                }
                if (const auto* title = (*t)["title"].as_table()) {
                    ev.title.ja = (*title)["ja"].value_or(std::string());
                    ev.title.en = (*title)["en"].value_or(std::string());
                    ev.title.easy = (*title)["easy"].value_or(std::string());
                }
                bool lost_form = false;
                if (const auto* forms = (*t)["forms"].as_array())
                    for (const auto& f : *forms)
                        if (auto id = f.value<std::string>()) {
                            if (by_id_.count(*id)) ev.template_ids.push_back(*id);
                            else if (disabled_.count(*id)) lost_form = true;  // taken off by the town: quietly left out
                            else problems_.push_back({events_file, line, ev.id, "names an unknown form `" + *id + "`"});
                        }
                if (lost_form && ev.template_ids.empty()) {
                    if (same != events_.end()) events_.erase(same);
                    continue;
                }
                if (ev.id.empty() || ev.title.ja.empty())
                    problems_.push_back({events_file, line, ev.id, "an event needs `id` and `title.ja`"});
                else if (same != events_.end())
                    *same = std::move(ev);
                else
                    events_.push_back(std::move(ev));
            }
        }
    } catch (const toml::parse_error& e) {
        problems_.push_back({events_file, static_cast<int>(e.source().begin.line), "",
                             "not valid TOML: " + std::string(e.description())});
    }
}

// A question is asked once per field id in an errand, so every template that
// asks a question with that id must mean the same thing by it.
void Catalogue::check_shared_questions() {
    std::map<std::string, const Field*> first;
    std::map<std::string, const Template*> first_in;
    for (const Template* t : templates())
        for (const auto& f : t->fields) {
            if (f.source != Source::Question) continue;
            auto [it, fresh] = first.emplace(f.id, &f);
            if (fresh) {
                first_in[f.id] = t;
                continue;
            }
            const Field& a = *it->second;
            bool same = a.type == f.type && a.choices.size() == f.choices.size() && a.when.text() == f.when.text();
            for (std::size_t i = 0; same && i < f.choices.size(); ++i) same = a.choices[i].value == f.choices[i].value;
            if (!same)
                problems_.push_back({t->file, f.line, f.id,
                                     "the question `" + f.id + "` is also asked by " + first_in[f.id]->id +
                                         " with another type, other choices or another `when`; an errand asks it once, so give it "
                                         "the same type, choices and `when` or another id"});
        }
}

const Template* Catalogue::find(const std::string& id) const {
    auto it = by_id_.find(id);
    if (it == by_id_.end()) return nullptr;
    const Template* best = nullptr;
    for (const auto& t : it->second)
        if (t.valid_from <= today_ && (!best || t.version > best->version)) best = &t;
    return best;
}

std::vector<const Template*> Catalogue::templates() const {
    std::vector<const Template*> out;
    for (const auto& [id, versions] : by_id_)
        if (const Template* t = find(id)) out.push_back(t);
    return out;
}

bool Catalogue::reload_if_changed() {
    if (fingerprint() == fingerprint_) return false;
    load_all();
    return true;
}

std::vector<const Field*> questions_for(const std::vector<const Template*>& templates) {
    std::vector<const Field*> out;
    std::set<std::string> seen;
    for (const Template* t : templates)
        for (const auto& f : t->fields)
            if (f.source == Source::Question && seen.insert(f.id).second) out.push_back(&f);
    return out;
}

std::vector<Condition> form_conditions_of(const std::string& id, const std::vector<const Template*>& templates) {
    std::vector<Condition> out;
    for (const Template* t : templates)
        if (const Field* f = t->field(id); f && f->source == Source::Question) out.push_back(t->when);
    return out;
}

std::vector<const Field*> questions_asked(const std::vector<const Template*>& templates, const Facts& facts) {
    std::vector<const Field*> out;
    for (const Field* f : questions_for(templates))
        if (question_applies(f->when, form_conditions_of(f->id, templates), facts)) out.push_back(f);
    return out;
}

std::vector<const Template*> forms_included(const std::vector<const Template*>& templates, const Facts& facts) {
    std::vector<const Template*> out;
    for (const Template* t : templates)
        if (t->when.holds(facts)) out.push_back(t);
    return out;
}

}  // namespace kakanai::forms
