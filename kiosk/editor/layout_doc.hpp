#pragma once
// The layout editor's document: one template file, its boxes as the editor
// moves them, and saving back into the same file. Plain C++ (no ImGui or SDL),
// so unit tests drive it.
//
// Saving edits the file's text in place: toml++ gives the position of every
// value, and only the values the editor changed are rewritten (x, y, w, h,
// size, align, cells, option, label of a layout item; from and value of a
// field; version). Comments, order and formatting of everything else stay as
// they were. The new text is validated with the forms loader before it
// replaces the file; the previous file is kept as backup/NAME.vN.toml next to
// it (the catalogue reads only the folder itself, never backup/).
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "kakanai/forms/template.hpp"

namespace kakanai::kiosk::editor {

// One box: an item of [page] (group -1) or of a [[group]]'s first row.
struct ItemRef {
    int group = -1;
    int index = 0;
    bool operator==(const ItemRef&) const = default;
};

inline constexpr double kSnapMm = 0.5;   // dragging snaps to this
inline constexpr double kNudgeMm = 0.1;  // an arrow key
inline constexpr double kBigNudgeMm = 1.0;  // shift + arrow key
inline constexpr double kMinBoxMm = 2.0;    // resizing stops here

// Rounds to the nearest multiple of `step` (and to 0.01 mm against float noise).
double snap(double mm, double step);

// How a field gets its value, as the panel offers it (Template's Source and key).
struct Binding {
    forms::Source source = forms::Source::None;
    std::string key;  // card value name, field id, or the fixed text
};
// "card.name", "question", "today", "fixed", "none", "field.X", "member.name"
std::string binding_name(const Binding& b);

class SaveError : public std::runtime_error {
public:
    explicit SaveError(const std::string& m, std::vector<forms::TemplateProblem> problems = {})
        : std::runtime_error(m), problems_(std::move(problems)) {}
    const std::vector<forms::TemplateProblem>& problems() const { return problems_; }

private:
    std::vector<forms::TemplateProblem> problems_;
};

struct Saved {
    int version = 0;               // the version now in the file
    std::filesystem::path backup;  // where the previous file went
};

class LayoutDoc {
public:
    // Throws forms::TemplateError when the template does not load.
    static LayoutDoc open(const std::filesystem::path& file);

    const forms::Template& tmpl() const { return t_; }
    const std::filesystem::path& file() const { return file_; }

    // Every box in drawing order ([page] items, then each group's row items).
    std::vector<ItemRef> items() const;
    const forms::LayoutItem& item(ItemRef r) const;
    // The boxes an administrator moves: everything but the background image.
    bool editable(ItemRef r) const;
    // The field an item shows (null for labels, boxes, lines, qr, image).
    const forms::Field* field_of(ItemRef r) const;
    // The first item showing `field` ("group.field" for a group's), optionally of `kind`.
    std::optional<ItemRef> find(const std::string& field, const std::string& kind = {}) const;
    // The topmost editable item under a point in mm (group rows count as their row 1 item).
    std::optional<ItemRef> hit(double x_mm, double y_mm) const;
    // A short name for messages and the panel: "applicant_name (field)".
    std::string describe(ItemRef r) const;

    // Moves/resizes, kept on the page. set_rect takes mm as given (the caller snaps).
    void set_rect(ItemRef r, double x, double y, double w, double h);
    void nudge(ItemRef r, double dx, double dy);
    void set_size(ItemRef r, double pt);
    void set_align(ItemRef r, forms::Align a);
    void set_cells(ItemRef r, int cells);
    void set_option(ItemRef r, const std::string& option);
    void set_show_label(ItemRef r, bool show);
    void set_item_field(ItemRef r, const std::string& field);

    Binding binding(const std::string& field_id) const;  // for a group's: "group.field"
    void set_binding(const std::string& field_id, const Binding& b);

    bool dirty() const { return dirty_; }

    // The file's text with the edits applied (and `version` raised when `bump`).
    std::string edited_text(bool bump = true) const;
    // Validates the edited text with the forms loader, keeps the previous file
    // in backup/, writes the new one atomically and reloads. Throws SaveError.
    Saved save();

private:
    forms::LayoutItem& mut(ItemRef r);
    forms::Field* mut_field(const std::string& field_id);
    void reload(const std::filesystem::path& file);

    std::filesystem::path file_;
    std::string text_;     // the file as read
    forms::Template t_;    // with the edits
    forms::Template original_;
    bool dirty_ = false;
};

}  // namespace kakanai::kiosk::editor
