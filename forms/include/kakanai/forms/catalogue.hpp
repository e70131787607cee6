#pragma once
// All procedure templates of a forms folder and the life events that group
// them (events.toml). A broken template is reported and skipped; the others
// keep serving.
#include <filesystem>
#include <map>
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

class Catalogue {
public:
    // Loads every *.toml except events.toml. `today` (YYYY-MM-DD) picks, per
    // template id, the newest version whose valid_from is not after it.
    static Catalogue load(const std::filesystem::path& dir, const std::string& today);

    const std::vector<LifeEvent>& events() const { return events_; }
    const Template* find(const std::string& id) const;  // the version valid today, or nullptr
    std::vector<const Template*> templates() const;     // one per id, sorted by id
    const std::vector<TemplateProblem>& problems() const { return problems_; }

    // Reloads when a file in the folder changed. A template that became
    // invalid keeps its last good version (and its problems are reported).
    // Returns true when anything was reloaded.
    bool reload_if_changed();

    // A kiosk running past midnight: the day find() picks versions for.
    void set_today(const std::string& today) { today_ = today; }

private:
    void load_all();
    void check_shared_questions();
    std::string fingerprint() const;

    std::filesystem::path dir_;
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
