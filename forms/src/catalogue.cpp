#include "kakanai/forms/catalogue.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <set>

namespace kakanai::forms {

Catalogue Catalogue::load(const std::filesystem::path& dir, const std::string& today) {
    Catalogue c;
    c.dir_ = dir;
    c.today_ = today;
    c.load_all();
    return c;
}

std::string Catalogue::fingerprint() const {
    std::string fp;
    std::error_code ec;
    std::vector<std::filesystem::path> files;
    for (const auto& e : std::filesystem::directory_iterator(dir_, ec))
        if (e.path().extension() == ".toml") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
        const auto t = std::filesystem::last_write_time(f, ec).time_since_epoch().count();
        fp += f.filename().string() + ":" + std::to_string(t) + ":" + std::to_string(std::filesystem::file_size(f, ec)) + ";";
    }
    return fp;
}

void Catalogue::load_all() {
    fingerprint_ = fingerprint();
    by_id_.clear();
    events_.clear();
    problems_.clear();
    std::vector<std::filesystem::path> files;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(dir_, ec))
        if (e.path().extension() == ".toml" && e.path().filename() != "events.toml") files.push_back(e.path());
    if (ec) problems_.push_back({dir_, 0, "", "cannot read the forms folder: " + ec.message()});
    std::sort(files.begin(), files.end());
    std::map<std::filesystem::path, Template> good;
    for (const auto& f : files) {
        try {
            good[f] = load_template(f);
        } catch (const TemplateError& e) {
            problems_.insert(problems_.end(), e.problems().begin(), e.problems().end());
            if (auto it = last_good_.find(f); it != last_good_.end()) good[f] = it->second;
        }
    }
    last_good_ = good;
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

    const auto events_file = dir_ / "events.toml";
    if (!std::filesystem::exists(events_file)) return;
    try {
        const auto root = toml::parse_file(events_file.string());
        if (const auto* arr = root["events"].as_array()) {
            for (const auto& node : *arr) {
                const auto* t = node.as_table();
                if (!t) continue;
                LifeEvent ev;
                ev.id = (*t)["id"].value_or(std::string());
                ev.icon = (*t)["icon"].value_or(std::string());
                if (const auto* title = (*t)["title"].as_table()) {
                    ev.title.ja = (*title)["ja"].value_or(std::string());
                    ev.title.en = (*title)["en"].value_or(std::string());
                    ev.title.easy = (*title)["easy"].value_or(std::string());
                }
                const int line = static_cast<int>(t->source().begin.line);
                if (const auto* forms = (*t)["forms"].as_array())
                    for (const auto& f : *forms)
                        if (auto id = f.value<std::string>()) {
                            if (by_id_.count(*id)) ev.template_ids.push_back(*id);
                            else problems_.push_back({events_file, line, ev.id, "names an unknown form `" + *id + "`"});
                        }
                if (ev.id.empty() || ev.title.ja.empty())
                    problems_.push_back({events_file, line, ev.id, "an event needs `id` and `title.ja`"});
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
