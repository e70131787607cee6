#include "kakanai/forms/template.hpp"

#include <toml++/toml.h>

#include <regex>
#include <set>

namespace kakanai::forms {
namespace {

constexpr double kPageWidthMm = 210.0, kPageHeightMm = 297.0;

const std::map<std::string, FieldType>& field_types() {
    static const std::map<std::string, FieldType> m{
        {"text", FieldType::Text},         {"kana", FieldType::Kana},
        {"date", FieldType::Date},         {"choice", FieldType::Choice},
        {"checkbox", FieldType::Checkbox}, {"number", FieldType::Number},
        {"postal_code", FieldType::PostalCode}, {"phone", FieldType::Phone},
        {"address", FieldType::Address},   {"my_number", FieldType::MyNumber},
        {"signature", FieldType::Signature}};
    return m;
}

const std::set<std::string>& card_keys() {
    static const std::set<std::string> s{"name", "address", "birth_date", "sex", "my_number"};
    return s;
}

// Collects problems instead of stopping at the first, so an administrator
// sees every mistake in one run.
class Loader {
public:
    explicit Loader(std::filesystem::path file) : file_(std::move(file)) {}

    Template load() {
        toml::table root;
        try {
            root = toml::parse_file(file_.string());
        } catch (const toml::parse_error& e) {
            problem(static_cast<int>(e.source().begin.line), "", "not valid TOML: " + std::string(e.description()));
            throw TemplateError(problems_);
        }
        Template t;
        t.file = file_;
        t.id = need_string(root, "id", "");
        t.version = static_cast<int>(root["version"].value_or<int64_t>(0));
        if (t.version <= 0) problem(line_of(root["version"].node(), 1), "", "`version` must be a positive whole number");
        if (auto d = root["valid_from"].as_date()) {
            char b[16];
            std::snprintf(b, sizeof b, "%04d-%02u-%02u", d->get().year, unsigned{d->get().month}, unsigned{d->get().day});
            t.valid_from = b;
        } else {
            problem(line_of(root["valid_from"].node(), 1), "", "`valid_from` must be a date such as 2024-04-01");
        }
        t.title = text(root["title"].as_table(), "title", "", true);
        t.department = root["department"].value_or(std::string());
        if (t.department.empty()) problem(1, "", "`department` (the 課 that receives the form) is missing");
        load_fields(root, t);
        load_layout(root, t);
        if (!problems_.empty()) throw TemplateError(problems_);
        return t;
    }

private:
    static int line_of(const toml::node* n, int fallback) {
        return n && n->source().begin.line ? static_cast<int>(n->source().begin.line) : fallback;
    }

    void problem(int line, const std::string& field, const std::string& msg) {
        problems_.push_back({file_, line, field, msg});
    }

    std::string need_string(const toml::table& t, const char* key, const std::string& field) {
        if (auto s = t[key].value<std::string>(); s && !s->empty()) return *s;
        problem(line_of(&t, 1), field, std::string("`") + key + "` is missing or not a string");
        return {};
    }

    Text text(const toml::table* t, const char* what, const std::string& field, bool required) {
        Text out;
        if (!t) {
            if (required) problem(1, field, std::string("`") + what + "` needs ja, en and easy texts");
            return out;
        }
        out.ja = (*t)["ja"].value_or(std::string());
        out.en = (*t)["en"].value_or(std::string());
        out.easy = (*t)["easy"].value_or(std::string());
        if (required && out.ja.empty()) problem(line_of(t, 1), field, std::string("`") + what + ".ja` is missing");
        return out;
    }

    void load_fields(const toml::table& root, Template& t) {
        const auto* arr = root["fields"].as_array();
        if (!arr || arr->empty()) {
            problem(1, "", "the template has no [[fields]]");
            return;
        }
        std::set<std::string> ids;
        for (const auto& node : *arr) {
            const auto* ft = node.as_table();
            if (!ft) continue;
            Field f;
            f.line = line_of(ft, 1);
            f.id = (*ft)["id"].value_or(std::string());
            if (f.id.empty()) {
                problem(f.line, "", "a field has no `id`");
                continue;
            }
            if (!ids.insert(f.id).second) problem(f.line, f.id, "duplicate field id");
            const std::string type = (*ft)["type"].value_or(std::string());
            if (auto it = field_types().find(type); it != field_types().end()) f.type = it->second;
            else problem(line_of((*ft)["type"].node(), f.line), f.id, "unknown field type `" + type + "`");
            f.label = text((*ft)["label"].as_table(), "label", f.id, true);
            f.question = text((*ft)["question"].as_table(), "question", f.id, false);
            f.help = text((*ft)["help"].as_table(), "help", f.id, false);
            f.required = (*ft)["required"].value_or(false);
            f.default_value = (*ft)["default"].value_or(std::string());
            f.wareki = (*ft)["era"].value_or(std::string("wareki")) != "seireki";
            if (const auto* cs = (*ft)["choices"].as_array())
                for (const auto& c : *cs)
                    if (const auto* ct = c.as_table())
                        f.choices.push_back({(*ct)["value"].value_or(std::string()),
                                             text((*ct)["label"].as_table(), "choices.label", f.id, true)});
            parse_source((*ft)["from"].value_or(std::string()), line_of((*ft)["from"].node(), f.line), f, *ft);
            t.fields.push_back(std::move(f));
        }
        for (const auto& f : t.fields)
            if (f.source == Source::Field && !ids.count(f.source_key))
                problem(f.line, f.id, "`from = \"field." + f.source_key + "\"` names a field that does not exist");
    }

    void parse_source(const std::string& from, int line, Field& f, const toml::table& ft) {
        if (from.empty()) {
            f.source = f.type == FieldType::Signature ? Source::None : Source::Question;
        } else if (from.rfind("card.", 0) == 0) {
            f.source = Source::Card;
            f.source_key = from.substr(5);
            if (!card_keys().count(f.source_key))
                problem(line, f.id, "`" + from + "` is not card data (card.name, card.address, card.birth_date, "
                                    "card.sex, card.my_number)");
        } else if (from == "question") {
            f.source = Source::Question;
        } else if (from.rfind("field.", 0) == 0) {
            f.source = Source::Field;
            f.source_key = from.substr(6);
        } else if (from == "today") {
            f.source = Source::Today;
        } else if (from == "fixed") {
            f.source = Source::Fixed;
            f.source_key = ft["value"].value_or(std::string());
        } else if (from == "none") {
            f.source = Source::None;
        } else {
            problem(line, f.id, "unknown source `from = \"" + from + "\"`");
        }
        if (f.source == Source::Question && f.question.ja.empty())
            problem(f.line, f.id, "a field asked on the kiosk needs `question.ja`");
    }

    void load_layout(const toml::table& root, Template& t) {
        const auto* arr = root.at_path("page.items").as_array();
        if (!arr) {
            problem(1, "", "the template has no [[page.items]] layout");
            return;
        }
        for (const auto& node : *arr) {
            const auto* it = node.as_table();
            if (!it) continue;
            LayoutItem li;
            li.line = line_of(it, 1);
            li.kind = (*it)["kind"].value_or(std::string("field"));
            li.field = (*it)["field"].value_or(std::string());
            li.option = (*it)["option"].value_or(std::string());
            li.cells = static_cast<int>((*it)["cells"].value_or<int64_t>(0));
            li.image = (*it)["image"].value_or(std::string());
            li.text = text((*it)["text"].as_table(), "text", li.field, li.kind == "label");
            li.x = (*it)["x"].value_or(0.0);
            li.y = (*it)["y"].value_or(0.0);
            li.w = (*it)["w"].value_or(0.0);
            li.h = (*it)["h"].value_or(0.0);
            li.size = (*it)["size"].value_or(11.0);
            li.show_label = (*it)["label"].value_or(true);
            const std::string align = (*it)["align"].value_or(std::string("left"));
            li.align = align == "center" ? Align::Center : align == "right" ? Align::Right : Align::Left;
            static const std::set<std::string> kinds{"field", "grid", "check", "circle", "label",
                                                     "box",   "line", "qr",    "image"};
            if (!kinds.count(li.kind)) problem(li.line, li.field, "unknown layout kind `" + li.kind + "`");
            const bool needs_field = li.kind == "field" || li.kind == "grid" || li.kind == "check" || li.kind == "circle";
            if (li.kind == "grid" && li.cells <= 0) problem(li.line, li.field, "a grid needs `cells` > 0");
            if (li.kind == "circle" && li.option.empty()) problem(li.line, li.field, "a circle needs `option`");
            if (li.kind == "image" && li.image.empty()) problem(li.line, li.field, "an image needs `image`");
            if (needs_field && !t.field(li.field))
                problem(line_of((*it)["field"].node(), li.line), li.field, "layout item points at a field that does not exist");
            if (li.x < 0 || li.y < 0 || li.w < 0 || li.h < 0 || li.x + li.w > kPageWidthMm ||
                li.y + li.h > kPageHeightMm)
                problem(li.line, li.field, "box lies outside the A4 page (210 x 297 mm)");
            t.layout.push_back(std::move(li));
        }
    }

    std::filesystem::path file_;
    std::vector<TemplateProblem> problems_;
};

std::string join(const std::vector<TemplateProblem>& ps) {
    std::string s;
    for (const auto& p : ps) s += (s.empty() ? "" : "\n") + p.to_string();
    return s;
}

}  // namespace

const std::string& Text::in(const std::string& lang) const {
    if (lang == "en" && !en.empty()) return en;
    if (lang == "easy" && !easy.empty()) return easy;
    return ja;
}

const char* to_string(FieldType t) {
    for (const auto& [name, type] : field_types())
        if (type == t) return name.c_str();
    return "text";
}

const Field* Template::field(const std::string& fid) const {
    for (const auto& f : fields)
        if (f.id == fid) return &f;
    return nullptr;
}

std::string TemplateProblem::to_string() const {
    return file.string() + ":" + std::to_string(line) + ": " + (field.empty() ? "-" : field) + ": " + message;
}

TemplateError::TemplateError(std::vector<TemplateProblem> problems)
    : std::runtime_error(join(problems)), problems_(std::move(problems)) {}

Template load_template(const std::filesystem::path& file) { return Loader(file).load(); }

}  // namespace kakanai::forms
