#include "layout_doc.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <system_error>

namespace kakanai::kiosk::editor {
namespace {

constexpr double kPageW = 210, kPageH = 297;

std::string read_file(const std::filesystem::path& f) {
    std::ifstream in(f, std::ios::binary);
    if (!in) throw SaveError("cannot read " + f.string());
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string mm_text(double v) {
    char b[32];
    std::snprintf(b, sizeof b, "%.2f", std::round(v * 100) / 100);
    std::string s = b;
    while (!s.empty() && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
    return s == "-0" ? "0" : s;
}

std::string toml_string(const std::string& v) {
    std::string out = "\"";
    for (unsigned char c : v) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += static_cast<char>(c);
        } else if (c < 0x20 || c == 0x7F) {
            char b[8];
            std::snprintf(b, sizeof b, "\\u%04X", c);
            out += b;
        } else {
            out += static_cast<char>(c);
        }
    }
    return out + "\"";
}

const char* align_name(forms::Align a) {
    return a == forms::Align::Center ? "center" : a == forms::Align::Right ? "right" : "left";
}

// Replacements in the text, by byte offsets; toml++ positions are 1-based
// lines and 1-based columns counted in code points (end exclusive).
class TextEdits {
public:
    explicit TextEdits(const std::string& text) : text_(text) {
        starts_.push_back(0);
        for (std::size_t i = 0; i < text.size(); ++i)
            if (text[i] == '\n') starts_.push_back(i + 1);
    }

    std::size_t offset(const toml::source_position& p) const {
        std::size_t at = starts_.at(p.line - 1);
        for (toml::source_index c = 1; c < p.column && at < text_.size(); ++c) {
            const auto b = static_cast<unsigned char>(text_[at]);
            at += b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
        }
        return at;
    }
    std::size_t line_end(toml::source_index line) const {
        return line < starts_.size() ? starts_[line] : text_.size();  // the start of the next line
    }

    void replace(std::size_t from, std::size_t to, std::string with) { edits_.push_back({from, to, std::move(with)}); }

    // key = value in a table: the value replaced, or the key added.
    void set(const toml::table& table, const std::string& key, const std::string& value) {
        if (const toml::node* n = table.get(key)) {
            replace(offset(n->source().begin), offset(n->source().end), value);
            return;
        }
        std::size_t last_end = 0;
        toml::source_index last_line = table.source().begin.line;
        for (auto&& [k, v] : table) {
            last_end = std::max(last_end, offset(v.source().end));
            last_line = std::max(last_line, v.source().end.line);
        }
        if (table.is_inline()) {
            if (last_end == 0) last_end = offset(table.source().begin) + 1;  // just after "{"
            replace(last_end, last_end, (table.empty() ? " " : ", ") + key + " = " + value);
        } else {
            const std::size_t at = line_end(last_line);
            const bool needs_newline = at > 0 && at == text_.size() && text_.back() != '\n';
            replace(at, at, (needs_newline ? "\n" : "") + key + " = " + value + "\n");
        }
    }

    std::string apply() const {
        auto edits = edits_;
        std::stable_sort(edits.begin(), edits.end(), [](const Edit& a, const Edit& b) { return a.from > b.from; });
        std::string out = text_;
        for (const auto& e : edits) out.replace(e.from, e.to - e.from, e.with);
        return out;
    }

private:
    struct Edit {
        std::size_t from, to;
        std::string with;
    };
    const std::string& text_;
    std::vector<std::size_t> starts_;
    std::vector<Edit> edits_;
};

void write_item_changes(TextEdits& edits, const toml::table& table, const forms::LayoutItem& was,
                        const forms::LayoutItem& now) {
    auto num = [&](const char* key, double a, double b) {
        if (std::fabs(a - b) > 1e-9) edits.set(table, key, mm_text(b));
    };
    num("x", was.x, now.x);
    num("y", was.y, now.y);
    num("w", was.w, now.w);
    num("h", was.h, now.h);
    num("size", was.size, now.size);
    if (was.align != now.align) edits.set(table, "align", toml_string(align_name(now.align)));
    if (was.cells != now.cells) edits.set(table, "cells", std::to_string(now.cells));
    if (was.option != now.option) edits.set(table, "option", toml_string(now.option));
    if (was.show_label != now.show_label) edits.set(table, "label", now.show_label ? "true" : "false");
    if (was.field != now.field) edits.set(table, "field", toml_string(now.field));
}

const toml::table* nth_table(const toml::node* arr, std::size_t i) {
    const auto* a = arr ? arr->as_array() : nullptr;
    if (!a || i >= a->size()) return nullptr;
    return (*a)[i].as_table();
}

const toml::table* field_table(const toml::node* arr, const std::string& id) {
    const auto* a = arr ? arr->as_array() : nullptr;
    if (!a) return nullptr;
    for (const auto& n : *a)
        if (const auto* t = n.as_table(); t && (*t)["id"].value_or(std::string()) == id) return t;
    return nullptr;
}

bool same_binding(const forms::Field& a, const forms::Field& b) {
    return a.source == b.source && a.source_key == b.source_key;
}

}  // namespace

double snap(double mm, double step) {
    const double s = std::round(mm / step) * step;
    return std::round(s * 100) / 100;
}

std::string binding_name(const Binding& b) {
    switch (b.source) {
        case forms::Source::Card: return "card." + b.key;
        case forms::Source::Question: return "question";
        case forms::Source::Field: return "field." + b.key;
        case forms::Source::Today: return "today";
        case forms::Source::Fixed: return "fixed";
        case forms::Source::None: return "none";
        case forms::Source::Member: return "member." + b.key;
    }
    return "none";
}

LayoutDoc LayoutDoc::open(const std::filesystem::path& file) {
    LayoutDoc d;
    d.reload(file);
    return d;
}

void LayoutDoc::reload(const std::filesystem::path& file) {
    forms::Template t = forms::load_template(file);
    file_ = file;
    text_ = read_file(file);
    t_ = t;
    original_ = std::move(t);
    dirty_ = false;
}

std::vector<ItemRef> LayoutDoc::items() const {
    std::vector<ItemRef> out;
    for (std::size_t i = 0; i < t_.layout.size(); ++i) out.push_back({-1, static_cast<int>(i)});
    for (std::size_t g = 0; g < t_.groups.size(); ++g)
        for (std::size_t i = 0; i < t_.groups[g].items.size(); ++i) out.push_back({static_cast<int>(g), static_cast<int>(i)});
    return out;
}

const forms::LayoutItem& LayoutDoc::item(ItemRef r) const {
    return r.group < 0 ? t_.layout.at(static_cast<std::size_t>(r.index))
                       : t_.groups.at(static_cast<std::size_t>(r.group)).items.at(static_cast<std::size_t>(r.index));
}

forms::LayoutItem& LayoutDoc::mut(ItemRef r) {
    dirty_ = true;
    return const_cast<forms::LayoutItem&>(item(r));
}

bool LayoutDoc::editable(ItemRef r) const { return item(r).kind != "image"; }

const forms::Field* LayoutDoc::field_of(ItemRef r) const {
    const auto& it = item(r);
    if (it.field.empty()) return nullptr;
    return r.group < 0 ? t_.field(it.field) : t_.groups.at(static_cast<std::size_t>(r.group)).field(it.field);
}

std::optional<ItemRef> LayoutDoc::find(const std::string& field, const std::string& kind) const {
    for (const auto& r : items()) {
        const auto& it = item(r);
        const std::string name = r.group < 0 ? it.field : t_.groups[static_cast<std::size_t>(r.group)].id + "." + it.field;
        if (name == field && (kind.empty() || it.kind == kind)) return r;
    }
    return std::nullopt;
}

std::optional<ItemRef> LayoutDoc::hit(double x, double y) const {
    std::optional<ItemRef> best;
    double best_area = 1e18;
    for (const auto& r : items()) {
        if (!editable(r)) continue;
        const auto& it = item(r);
        const double tol = it.kind == "line" ? 1.0 : 0.0;
        const int rows = r.group < 0 ? 1 : std::max(1, t_.groups[static_cast<std::size_t>(r.group)].max);
        const double pitch = r.group < 0 ? 0 : t_.groups[static_cast<std::size_t>(r.group)].pitch;
        for (int row = 0; row < rows; ++row) {
            const double top = it.y + pitch * row;
            const double x0 = std::min(it.x, it.x + it.w) - tol, x1 = std::max(it.x, it.x + it.w) + tol;
            const double y0 = std::min(top, top + it.h) - tol, y1 = std::max(top, top + it.h) + tol;
            if (x < x0 || x > x1 || y < y0 || y > y1) continue;
            const double area = (x1 - x0) * (y1 - y0);
            if (area <= best_area) {
                best_area = area;
                best = r;
            }
        }
    }
    return best;
}

std::string LayoutDoc::describe(ItemRef r) const {
    const auto& it = item(r);
    std::string name = it.field;
    if (it.kind == "label") name = it.text.ja;
    if (r.group >= 0) name = t_.groups[static_cast<std::size_t>(r.group)].id + "." + name;
    if (name.empty()) name = it.kind;
    return name + " (" + it.kind + (it.option.empty() ? "" : " " + it.option) + ")";
}

void LayoutDoc::set_rect(ItemRef r, double x, double y, double w, double h) {
    auto& it = mut(r);
    if (it.kind != "line") {
        w = std::max(w, kMinBoxMm);
        h = std::max(h, kMinBoxMm);
    }
    w = std::min(w, kPageW);
    h = std::min(h, kPageH);
    x = std::clamp(x, 0.0, kPageW - std::max(0.0, w));
    y = std::clamp(y, 0.0, kPageH - std::max(0.0, h));
    it.x = std::round(x * 100) / 100;
    it.y = std::round(y * 100) / 100;
    it.w = std::round(w * 100) / 100;
    it.h = std::round(h * 100) / 100;
}

void LayoutDoc::nudge(ItemRef r, double dx, double dy) {
    const auto it = item(r);
    set_rect(r, it.x + dx, it.y + dy, it.w, it.h);
}

void LayoutDoc::set_size(ItemRef r, double pt) { mut(r).size = std::clamp(std::round(pt * 2) / 2, 4.0, 48.0); }
void LayoutDoc::set_align(ItemRef r, forms::Align a) { mut(r).align = a; }
void LayoutDoc::set_cells(ItemRef r, int cells) { mut(r).cells = std::clamp(cells, 1, 60); }
void LayoutDoc::set_option(ItemRef r, const std::string& option) { mut(r).option = option; }
void LayoutDoc::set_show_label(ItemRef r, bool show) { mut(r).show_label = show; }
void LayoutDoc::set_item_field(ItemRef r, const std::string& field) { mut(r).field = field; }

forms::Field* LayoutDoc::mut_field(const std::string& id) {
    const auto dot = id.find('.');
    if (dot != std::string::npos) {
        for (auto& g : t_.groups)
            if (g.id == id.substr(0, dot))
                for (auto& f : g.fields)
                    if (f.id == id.substr(dot + 1)) return &f;
        return nullptr;
    }
    for (auto& f : t_.fields)
        if (f.id == id) return &f;
    return nullptr;
}

Binding LayoutDoc::binding(const std::string& field_id) const {
    auto* f = const_cast<LayoutDoc*>(this)->mut_field(field_id);
    return f ? Binding{f->source, f->source_key} : Binding{};
}

void LayoutDoc::set_binding(const std::string& field_id, const Binding& b) {
    forms::Field* f = mut_field(field_id);
    if (!f) return;
    f->source = b.source;
    f->source_key = b.key;
    dirty_ = true;
}

std::string LayoutDoc::edited_text(bool bump) const {
    toml::table root;
    try {
        root = toml::parse(text_, file_.string());
    } catch (const toml::parse_error& e) {
        throw SaveError(file_.string() + " no longer parses: " + std::string(e.description()));
    }
    TextEdits edits(text_);
    const toml::node* page_items = root.at_path("page.items").node();
    for (std::size_t i = 0; i < t_.layout.size() && i < original_.layout.size(); ++i)
        if (const auto* table = nth_table(page_items, i)) write_item_changes(edits, *table, original_.layout[i], t_.layout[i]);
    const toml::node* groups = root.get("group");
    for (std::size_t g = 0; g < t_.groups.size() && g < original_.groups.size(); ++g) {
        const toml::table* gt = nth_table(groups, g);
        if (!gt) continue;
        for (std::size_t i = 0; i < t_.groups[g].items.size(); ++i)
            if (const auto* table = nth_table(gt->get("items"), i))
                write_item_changes(edits, *table, original_.groups[g].items[i], t_.groups[g].items[i]);
        for (std::size_t i = 0; i < t_.groups[g].fields.size(); ++i) {
            const auto &was = original_.groups[g].fields[i], &now = t_.groups[g].fields[i];
            if (same_binding(was, now)) continue;
            if (const auto* ft = field_table(gt->get("fields"), now.id)) {
                edits.set(*ft, "from", toml_string(binding_name({now.source, now.source_key})));
                if (now.source == forms::Source::Fixed) edits.set(*ft, "value", toml_string(now.source_key));
            }
        }
    }
    for (std::size_t i = 0; i < t_.fields.size() && i < original_.fields.size(); ++i) {
        const auto &was = original_.fields[i], &now = t_.fields[i];
        if (same_binding(was, now)) continue;
        if (const auto* ft = field_table(root.get("fields"), now.id)) {
            edits.set(*ft, "from", toml_string(binding_name({now.source, now.source_key})));
            if (now.source == forms::Source::Fixed) edits.set(*ft, "value", toml_string(now.source_key));
        }
    }
    if (bump) edits.set(root, "version", std::to_string(original_.version + 1));
    return edits.apply();
}

Saved LayoutDoc::save() {
    namespace fs = std::filesystem;
    if (read_file(file_) != text_)
        throw SaveError(file_.string() + " was changed by someone else since the editor opened it; nothing was "
                        "written (open it again)");
    const std::string text = edited_text(true);
    const fs::path dir = file_.parent_path().empty() ? fs::path(".") : file_.parent_path();
    // Not *.toml: the kiosk's hot reload never sees the file being checked.
    const fs::path tmp = dir / ("." + file_.filename().string() + ".editor-new");
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out << text;
        if (!out.flush()) {
            std::error_code ec;
            fs::remove(tmp, ec);
            throw SaveError("cannot write " + tmp.string());
        }
    }
    try {
        const forms::Template checked = forms::load_template(tmp);
        if (checked.id != original_.id) throw SaveError("the saved template's id changed");
    } catch (const forms::TemplateError& e) {
        std::error_code ec;
        fs::remove(tmp, ec);
        std::vector<forms::TemplateProblem> problems = e.problems();
        for (auto& p : problems) p.file = file_;
        throw SaveError("the template would not be valid; nothing was written", problems);
    }
    const fs::path backups = dir / "backup";
    std::error_code ec;
    fs::create_directories(backups, ec);
    const std::string stem = file_.stem().string() + ".v" + std::to_string(original_.version);
    fs::path backup = backups / (stem + ".toml");
    for (int n = 2; fs::exists(backup); ++n) backup = backups / (stem + "-" + std::to_string(n) + ".toml");
    if (!fs::copy_file(file_, backup, ec) || ec) {
        fs::remove(tmp, ec);
        throw SaveError("cannot keep the previous version as " + backup.string() + "; nothing was written");
    }
    fs::permissions(tmp, fs::status(file_).permissions(), ec);
    fs::rename(tmp, file_, ec);
    if (ec) {
        fs::remove(tmp, ec);
        throw SaveError("cannot replace " + file_.string() + ": " + ec.message());
    }
    reload(file_);
    return Saved{t_.version, backup};
}

}  // namespace kakanai::kiosk::editor
