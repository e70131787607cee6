#pragma once
// All procedure templates of a forms folder and the life events that group
// them (events.toml). A broken template is reported and skipped; the others
// keep serving. A second, town folder (/etc/kakanai/forms in the package) lies
// over the shipped one: a town template with a shipped id replaces every
// shipped version of it, a file holding only `id` and `disabled = true` takes
// a shipped form off the kiosk, and the town's events.toml adds, replaces or
// (with `disabled = true`) removes events by id.
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "kakanai/forms/template.hpp"

namespace kakanai::forms {

struct LifeEvent {
    std::string id;                         // e.g. "moving"
    Text title;                             // 引っ越し / Moving / ひっこし
    std::string icon;                       // pictogram name for the kiosk
    std::vector<std::string> template_ids;  // forms the errand fills
};

// Where the form served for an id comes from.
enum class FormOrigin { Shipped, Town, Overridden };
const char* to_string(FormOrigin o);  // "shipped", "town", "overridden"

class Catalogue {
public:
    // Loads every *.toml except events.toml. `today` (YYYY-MM-DD) picks, per
    // template id, the newest version whose valid_from is not after it.
    // `town_dir`: the town's folder over `dir` (empty or missing: none).
    static Catalogue load(const std::filesystem::path& dir, const std::string& today,
                          const std::filesystem::path& town_dir = {});

    const std::vector<LifeEvent>& events() const { return events_; }
    const Template* find(const std::string& id) const;  // the version valid today, or nullptr
    std::vector<const Template*> templates() const;     // one per id, sorted by id
    const std::vector<TemplateProblem>& problems() const { return problems_; }
    FormOrigin origin(const std::string& id) const;  // for an id find() knows
    // Shipped form ids a town file disables, with that file.
    const std::map<std::string, std::filesystem::path>& disabled() const { return disabled_; }

    // Reloads when a file in the folder changed. A template that became
    // invalid keeps its last good version (and its problems are reported).
    // Returns true when anything was reloaded.
    bool reload_if_changed();

    // A kiosk running past midnight: the day find() picks versions for.
    void set_today(const std::string& today) { today_ = today; }

private:
    void load_all();
    void check_shared_questions();
    void read_events(const std::filesystem::path& file, bool town);
    std::string fingerprint() const;

    std::filesystem::path dir_;
    std::filesystem::path town_dir_;
    std::set<std::string> town_ids_, overridden_ids_;
    std::map<std::string, std::filesystem::path> disabled_;
    std::string today_;
    std::string fingerprint_;
    std::map<std::string, std::vector<Template>> by_id_;     // all valid versions
    std::map<std::filesystem::path, Template> last_good_;    // per file
    std::vector<LifeEvent> events_;
    std::vector<TemplateProblem> problems_;
};

// The questions an errand asks: fields answered on the kiosk across the
// errand's templates, each field id once (a question shared by two forms is
// asked once), in the order they first appear.
std::vector<const Field*> questions_for(const std::vector<const Template*>& templates);

// The `when` of every form of the errand that asks question `id` (for question_applies()).
std::vector<Condition> form_conditions_of(const std::string& id, const std::vector<const Template*>& templates);

// With these facts (all answers given): the questions the kiosk asks, in
// order, and the forms the errand fills (a form whose `when` is false is left out).
std::vector<const Field*> questions_asked(const std::vector<const Template*>& templates, const Facts& facts);
std::vector<const Template*> forms_included(const std::vector<const Template*>& templates, const Facts& facts);

}  // namespace kakanai::forms
