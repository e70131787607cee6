#include "kakanai/forms/template.hpp"

#include <algorithm>
#include <cctype>
#include <toml++/toml.h>

#include <regex>
#include <set>

#include "kakanai/forms/inputs.hpp"

namespace kakanai::forms {
namespace {

constexpr double kPageWidthMm = 210.0, kPageHeightMm = 297.0;
constexpr double kFooterTopMm = 282.0;  // the printed footer starts here
constexpr double kQrLeftMm = 186.0, kQrTopMm = 276.0;  // the application's QR code (printing/pdf.cpp)

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
    static const std::set<std::string> s{"name", "address", "birth_date", "sex", "my_number", "card_read"};
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
        check_keys(root, {"format", "id", "version", "valid_from", "title", "department", "source", "checked", "fee_yen",
                          "when", "warning", "fields", "page", "guide", "group", "print", "background"},
                   "");
        t.format = static_cast<int>(root["format"].value_or<int64_t>(1));
        if (t.format != 1)
            problem(line_of(root["format"].node(), 1), "", "`format = " + std::to_string(t.format) +
                                                               "`: this program reads template format 1");
        t.id = need_string(root, "id", "");
        static const std::regex id_re("[a-z0-9_-]+");
        if (!t.id.empty() && !std::regex_match(t.id, id_re))
            problem(line_of(root["id"].node(), 1), "", "`id` may only use a-z, 0-9, _ and - (it names files and URLs)");
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
        if (root["title"].as_table() && (t.title.en.empty() || t.title.easy.empty()))
            warn(line_of(root["title"].node(), 1), "", "`title` needs ja, en and easy (やさしい日本語) texts");
        t.department = root["department"].value_or(std::string());
        if (t.department.empty()) problem(1, "", "`department` (the 課 that receives the form) is missing");
        t.source = root["source"].value_or(std::string());
        if (t.source.empty())
            problem(line_of(root["source"].node(), 1), "",
                    "`source` (the official form or rule this template follows, and where a town finds it) is missing");
        if (auto d = root["checked"].as_date()) {
            char b[16];
            std::snprintf(b, sizeof b, "%04d-%02u-%02u", d->get().year, unsigned{d->get().month}, unsigned{d->get().day});
            t.checked = b;
        } else {
            problem(line_of(root["checked"].node(), 1), "",
                    "`checked` (the day the template was last compared with its source, e.g. 2026-12-02) is missing "
                    "or not a date");
        }
        if (root["fee_yen"]) {
            const auto fee = root["fee_yen"].value<int64_t>();
            if (!fee || *fee < 0)
                problem(line_of(root["fee_yen"].node(), 1), "", "`fee_yen` is the fee per copy in yen: a whole number, 0 or more");
            else
                t.fee_yen = *fee;
        }
        load_paper(root, t);
        load_fields(root, t);
        if (root["when"]) {
            const int wl = line_of(root["when"].node(), 1);
            when_line_ = wl;
            t.when = condition(root["when"].node(), wl, "");
            for (const auto& id : t.when.answers_used()) {
                const Field* q = t.field(id);
                if (!q || q->source != Source::Question)
                    problem(wl, "", "`when` uses answers." + id + ", which is not a question of this template");
            }
        }
        load_staff_warnings(root, t);
        check_compared_values(t);
        load_layout(root, t);
        load_groups(root, t);
        load_guide(root, t);
        if (!problems_.empty()) {
            problems_.insert(problems_.end(), warnings_.begin(), warnings_.end());
            throw TemplateError(problems_);
        }
        t.warnings = warnings_;
        return t;
    }

private:
    // `print` and `background`: how the form reaches paper (see PrintMode).
    void load_paper(const toml::table& root, Template& t) {
        if (root["print"]) {
            const std::string p = root["print"].value_or(std::string());
            if (p == "full") t.print = PrintMode::Full;
            else if (p == "overlay") t.print = PrintMode::Overlay;
            else
                problem(line_of(root["print"].node(), 1), "",
                        "`print` is \"full\" (we draw the whole form) or \"overlay\" (only the values, onto the town's "
                        "pre-printed paper)");
        }
        if (root["background"]) {
            const int line = line_of(root["background"].node(), 1);
            const std::string b = root["background"].value_or(std::string());
            std::string ext = std::filesystem::path(b).extension().string();
            for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            if (b.empty() || (ext != ".png" && ext != ".jpg" && ext != ".jpeg")) {
                problem(line, "", "`background` names a PNG or JPEG file of the official form, next to the template "
                                  "(kakanai-forms new --from-pdf makes one from a PDF)");
            } else {
                std::filesystem::path full = std::filesystem::path(b).is_absolute() ? std::filesystem::path(b)
                                                                                     : file_.parent_path() / b;
                std::error_code ec;
                if (!std::filesystem::is_regular_file(full, ec))
                    problem(line, "", "`background`: " + full.string() + " does not exist");
                else
                    t.background = full;
            }
        }
    }

    static int line_of(const toml::node* n, int fallback) {
        return n && n->source().begin.line ? static_cast<int>(n->source().begin.line) : fallback;
    }

    void problem(int line, const std::string& field, const std::string& msg) {
        problems_.push_back({file_, line, field, msg});
    }

    // Gaps that leave the template usable (a missing translation): the
    // template loads, and validate and the catalogue still report them.
    void warn(int line, const std::string& field, const std::string& msg) {
        warnings_.push_back({file_, line, field, msg});
    }

    // A misspelt key would otherwise be ignored silently.
    void check_keys(const toml::table& t, std::initializer_list<const char*> known, const std::string& field) {
        for (const auto& [k, v] : t) {
            bool ok = false;
            for (const char* n : known) ok = ok || k.str() == n;
            if (!ok) problem(line_of(&v, line_of(&t, 1)), field, "unknown key `" + std::string(k.str()) + "`");
        }
    }

    // A `when = "..."` condition; a parse error names the column within the text.
    Condition condition(const toml::node* node, int line, const std::string& field) {
        const auto text = node ? node->value<std::string>() : std::nullopt;
        if (!text) {
            problem(line, field, "`when` is a condition in quotes, e.g. when = \"age >= 65\"");
            return {};
        }
        try {
            return Condition::parse(*text);
        } catch (const ConditionError& e) {
            problem(line, field, "`when = \"" + *text + "\"`: " + e.what() + " (column " + std::to_string(e.column()) + ")");
            return {};
        }
    }

    // `[[warning]]`: a note the staff station shows when `when` holds for the
    // filled form; the condition may only use this template's questions.
    void load_staff_warnings(const toml::table& root, Template& t) {
        const toml::node* node = root.get("warning");
        if (!node) return;
        const auto* arr = node->as_array();
        if (!arr) {
            problem(line_of(node, 1), "", "`warning` is a list of tables: [[warning]] with when = \"...\" and text = { ja, en, easy }");
            return;
        }
        for (const auto& n : *arr) {
            const auto* wt = n.as_table();
            if (!wt) {
                problem(line_of(&n, 1), "", "each [[warning]] is a table with `when` and `text`");
                continue;
            }
            check_keys(*wt, {"when", "text"}, "warning");
            FormWarning w;
            w.line = line_of(wt, 1);
            if (!(*wt)["when"]) {
                problem(w.line, "warning", "a [[warning]] needs `when = \"...\"` (when the staff must be warned)");
            } else {
                const int wl = line_of((*wt)["when"].node(), w.line);
                w.when = condition((*wt)["when"].node(), wl, "warning");
                for (const auto& id : w.when.answers_used()) {
                    const Field* q = t.field(id);
                    if (!q || q->source != Source::Question)
                        problem(wl, "warning", "`when` uses answers." + id + ", which is not a question of this template");
                }
            }
            const auto* tt = (*wt)["text"].as_table();
            w.text = text(tt, "text", "warning", false);  // reported below, once
            if (!tt || w.text.ja.empty() || w.text.en.empty() || w.text.easy.empty())
                problem(tt ? line_of(tt, w.line) : w.line, "warning", "a [[warning]] `text` needs ja, en and easy");
            t.staff_warnings.push_back(std::move(w));
        }
    }

    // A value compared with a choice question's answer must be one of its
    // choices: `nationality != 'jp'` against a choice `JP` would always hold.
    void check_compared_values(const Template& t) {
        auto check = [&](const Condition& c, int line, const std::string& field) {
            for (const auto& [id, value] : c.compared_values()) {
                const Field* q = t.field(id);
                if (!q || q->choices.empty()) continue;
                if (value.empty() || std::any_of(q->choices.begin(), q->choices.end(),
                                                 [&](const Choice& ch) { return ch.value == value; }))
                    continue;
                problem(line, field, "`when = \"" + c.text() + "\"` compares " + (id == "nationality" ? id : "answers." + id) +
                                         " with '" + value + "', which is not one of its choices");
            }
        };
        check(t.when, when_line_, "");
        for (const auto& f : t.fields) check(f.when, f.line, f.id);
        for (const auto& w : t.staff_warnings) check(w.when, w.line, "warning");
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
            check_keys(*ft, {"id", "type", "from", "value", "label", "question", "help", "choices", "default", "required",
                             "era", "part", "min", "max", "override", "when", "kind", "count"},
                       f.id);
            const std::string type = (*ft)["type"].value_or(std::string());
            if (auto it = field_types().find(type); it != field_types().end()) f.type = it->second;
            else problem(line_of((*ft)["type"].node(), f.line), f.id, "unknown field type `" + type + "`");
            f.label = text((*ft)["label"].as_table(), "label", f.id, true);
            f.question = text((*ft)["question"].as_table(), "question", f.id, false);
            f.help = text((*ft)["help"].as_table(), "help", f.id, false);
            f.required = (*ft)["required"].value_or(false);
            f.default_value = (*ft)["default"].value_or(std::string());
            const std::string era = (*ft)["era"].value_or(std::string("wareki"));
            f.wareki = era != "seireki";
            if (era != "wareki" && era != "seireki")
                problem(line_of((*ft)["era"].node(), f.line), f.id, "`era` is \"wareki\" (和暦) or \"seireki\" (西暦)");
            else if ((*ft)["era"] && f.type != FieldType::Date)
                problem(line_of((*ft)["era"].node(), f.line), f.id, "`era` only applies to date fields");
            if (const auto part = (*ft)["part"].value<std::string>()) {
                static const std::map<std::string, AddressPart> parts{{"whole", AddressPart::Whole},
                                                                      {"prefecture", AddressPart::Prefecture},
                                                                      {"city", AddressPart::City},
                                                                      {"town", AddressPart::Town},
                                                                      {"building", AddressPart::Building}};
                const int pl = line_of((*ft)["part"].node(), f.line);
                if (auto pi = parts.find(*part); pi != parts.end()) f.part = pi->second;
                else problem(pl, f.id, "`part` is one of whole, prefecture, city, town, building");
                if (f.type != FieldType::Address) problem(pl, f.id, "`part` only applies to address fields");
            }
            if (auto v = (*ft)["min"].value<int64_t>()) f.min = *v;
            if (auto v = (*ft)["max"].value<int64_t>()) f.max = *v;
            if ((f.min || f.max) && f.type != FieldType::Number)
                problem(f.line, f.id, "`min` and `max` only apply to number fields");
            load_input_kind(*ft, f);
            if (const auto* cs = (*ft)["choices"].as_array())
                for (const auto& c : *cs)
                    if (const auto* ct = c.as_table()) {
                        check_keys(*ct, {"value", "label"}, f.id);
                        f.choices.push_back({(*ct)["value"].value_or(std::string()),
                                             text((*ct)["label"].as_table(), "choices.label", f.id, true)});
                        if (f.choices.back().value.empty())
                            problem(line_of(ct, f.line), f.id, "a choice needs a `value`");
                    }
            if (f.type == FieldType::Choice && f.choices.size() < 2)
                problem(f.line, f.id, "a choice field needs at least two `choices`");
            if (f.type != FieldType::Choice && !f.choices.empty())
                problem(f.line, f.id, "`choices` only apply to choice fields");
            parse_source((*ft)["from"].value_or(std::string()), line_of((*ft)["from"].node(), f.line), f, *ft);
            if (f.source == Source::Question && (f.question.en.empty() || f.question.easy.empty()))
                warn(line_of((*ft)["question"].node(), f.line), f.id,
                     "`question` needs ja, en and easy (やさしい日本語) texts");
            if (f.source == Source::Card && f.source_key == "my_number" && f.type != FieldType::MyNumber)
                problem(f.line, f.id, "`card.my_number` goes into a field of type my_number");
            if (f.source == Source::Card && f.source_key == "card_read" && f.type != FieldType::Checkbox)
                problem(f.line, f.id, "`card.card_read` (a card was read in this session) goes into a checkbox");
            if (f.type == FieldType::Signature && f.source != Source::None)
                problem(f.line, f.id, "a signature box is left blank for the pen: it takes no `from`");
            if (const auto* ot = (*ft)["override"].as_table()) {
                check_keys(*ot, {"from", "when", "is"}, f.id);
                Override o;
                o.line = line_of(ot, f.line);
                const std::string from = (*ot)["from"].value_or(std::string());
                if (from.rfind("field.", 0) == 0) o.field = from.substr(6);
                else if (from.rfind("answer.", 0) == 0) o.answer = from.substr(7);
                else problem(o.line, f.id, "`override.from` is \"field.<id>\" or \"answer.<question id>\"");
                o.when = (*ot)["when"].value_or(std::string());
                o.is = (*ot)["is"].value_or(std::string());
                if (o.when.empty() != o.is.empty()) problem(o.line, f.id, "`override` takes `when` and `is` together");
                f.override_by = o;
            } else if ((*ft)["override"]) {
                problem(line_of((*ft)["override"].node(), f.line), f.id, "`override` is a table: { from = ..., when = ..., is = ... }");
            }
            if ((*ft)["when"]) {
                const int wl = line_of((*ft)["when"].node(), f.line);
                f.when = condition((*ft)["when"].node(), wl, f.id);
                if (f.source != Source::Question)
                    problem(wl, f.id, "`when` only applies to questions (fields asked on the kiosk)");
                // An answer used here must be given before this question comes up.
                for (const auto& id : f.when.answers_used()) {
                    auto before = std::find_if(t.fields.begin(), t.fields.end(), [&](const Field& g) { return g.id == id; });
                    if (before != t.fields.end() && before->source == Source::Question) continue;
                    if (id == f.id || std::any_of(arr->begin(), arr->end(), [&](const toml::node& n) {
                            const auto* gt = n.as_table();
                            return gt && (*gt)["id"].value_or(std::string()) == id;
                        }))
                        problem(wl, f.id, "`when` uses answers." + id +
                                              ", which is not a question asked before this one (move that question up)");
                    else
                        problem(wl, f.id, "`when` uses answers." + id + ", which is not a question of this template");
                }
            }
            if (!f.default_value.empty())
                if (auto bad = check_value(f, f.default_value))
                    problem(line_of((*ft)["default"].node(), f.line), f.id, "`default`: " + bad->en);
            if (f.source == Source::Fixed)
                if (auto bad = check_value(f, f.source_key))
                    problem(line_of((*ft)["value"].node(), f.line), f.id, "`value`: " + bad->en);
            t.fields.push_back(std::move(f));
        }
        for (const auto& f : t.fields)
            if (f.source == Source::Field && !ids.count(f.source_key))
                problem(f.line, f.id, "`from = \"field." + f.source_key + "\"` names a field that does not exist");
        for (const auto& f : t.fields) {
            if (!f.override_by) continue;
            const Override& o = *f.override_by;
            if (!o.field.empty() && !ids.count(o.field))
                problem(o.line, f.id, "`override.from = \"field." + o.field + "\"` names a field that does not exist");
            if (o.when.empty() || o.is.empty()) continue;
            const Field* w = t.field(o.when);
            if (!w) {
                problem(o.line, f.id, "`override.when = \"" + o.when + "\"` names a field that does not exist");
            } else if (!w->choices.empty() &&
                       std::none_of(w->choices.begin(), w->choices.end(), [&](const Choice& c) { return c.value == o.is; })) {
                problem(o.line, f.id, "`override.is = \"" + o.is + "\"` is not a choice of " + o.when);
            }
        }
    }

    // What the kiosk's input pads need: date bounds relative to today, and the
    // computed 年度 list (docs/templates.md, "Inputs on the kiosk").
    void load_input_kind(const toml::table& ft, Field& f) {
        for (const char* key : {"min", "max"}) {
            const auto spec = ft[key].value<std::string>();
            if (!spec) continue;
            const int l = line_of(ft[key].node(), f.line);
            if (f.type != FieldType::Date)
                problem(l, f.id, std::string("`") + key + " = \"" + *spec + "\"`: a text bound only applies to date fields");
            else if (!resolve_date_bound(*spec, "2026-01-01"))
                problem(l, f.id, std::string("`") + key + " = \"" + *spec +
                                     "\"` is not a date bound: \"today\", a date such as \"2024-04-01\", or an offset "
                                     "from today such as \"-1y\", \"+0d\", \"-14d\", \"+3m\"");
            else
                (std::string(key) == "min" ? f.date_min : f.date_max) = *spec;
        }
        if (!f.date_min.empty() && !f.date_max.empty()) {
            const auto lo = resolve_date_bound(f.date_min, "2026-01-01"), hi = resolve_date_bound(f.date_max, "2026-01-01");
            if (lo && hi && *lo > *hi)
                problem(line_of(ft["min"].node(), f.line), f.id,
                        "`min = \"" + f.date_min + "\"` comes after `max = \"" + f.date_max + "\"`");
        }
        if (const auto* k = ft["kind"].node()) {
            const int l = line_of(k, f.line);
            f.kind = k->value_or(std::string());
            if (f.kind != "fiscal_year")
                problem(l, f.id, "`kind = \"" + f.kind + "\"`: the only kind is \"fiscal_year\" (the last `count` 年度)");
            else if (f.type != FieldType::Number)
                problem(l, f.id, "`kind = \"fiscal_year\"` goes on a field of type number (the value is the 西暦 year the 年度 begins)");
        }
        if (const auto* c = ft["count"].node()) {
            const int l = line_of(c, f.line);
            const auto n = c->value<int64_t>();
            if (f.kind != "fiscal_year") problem(l, f.id, "`count` only applies with `kind = \"fiscal_year\"`");
            else if (!n || *n < 1 || *n > 10) problem(l, f.id, "`count` is how many 年度 to offer: a whole number from 1 to 10");
            else f.count = static_cast<int>(*n);
        } else if (f.kind == "fiscal_year") {
            f.count = 5;
        }
    }

    void parse_source(const std::string& from, int line, Field& f, const toml::table& ft) {
        if (from.empty()) {
            f.source = f.type == FieldType::Signature ? Source::None : Source::Question;
        } else if (from.rfind("card.", 0) == 0) {
            f.source = Source::Card;
            f.source_key = from.substr(5);
            if (!card_keys().count(f.source_key))
                problem(line, f.id, "`" + from + "` is not card data (card.name, card.address, card.birth_date, "
                                    "card.sex, card.my_number, card.card_read)");
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

    // A text given as "…" (Japanese only) or as { ja, en, easy }.
    Text text_or_string(const toml::node* n, const std::string& what) {
        if (const auto* str = n->as_string()) return Text{str->get(), "", ""};
        if (const auto* tbl = n->as_table()) {
            check_keys(*tbl, {"ja", "en", "easy"}, "");
            return text(tbl, what.c_str(), "", true);
        }
        problem(line_of(n, 1), "", "`" + what + "` is a text: \"…\" or { ja = \"…\", en = \"…\", easy = \"…\" }");
        return {};
    }

    // [guide]: the guide slip's counter, what to bring and the deadline.
    void load_guide(const toml::table& root, Template& t) {
        const toml::node* node = root.get("guide");
        if (!node) return;
        const auto* g = node->as_table();
        const int gl = line_of(node, 1);
        if (!g) return problem(gl, "", "`guide` is a table: [guide] at the end of the file");
        check_keys(*g, {"counter", "bring", "deadline_days", "deadline_from", "order"}, "");
        Guide out;
        if (const toml::node* c = g->get("counter")) {
            out.counter = text_or_string(c, "guide.counter");
            if (out.counter.ja.empty()) problem(line_of(c, gl), "", "`guide.counter` is empty");
        }
        if (const toml::node* b = g->get("bring")) {
            const auto* arr = b->as_array();
            if (!arr) problem(line_of(b, gl), "", "`guide.bring` is a list: bring = [\"通帳\", …]");
            else
                for (const auto& item : *arr) {
                    Text x = text_or_string(&item, "guide.bring");
                    if (x.ja.empty()) problem(line_of(&item, line_of(b, gl)), "", "`guide.bring` has an empty item");
                    else if (x.en.empty())
                        warn(line_of(&item, line_of(b, gl)), "",
                             "`guide.bring` item 「" + x.ja + "」 has no en text: the English slip shows the Japanese");
                    out.bring.push_back(std::move(x));
                }
        }
        if (const toml::node* d = g->get("deadline_days")) {
            const auto v = d->value<int64_t>();
            if (!v || *v < 1 || *v > 366)
                problem(line_of(d, gl), "", "`guide.deadline_days` is a whole number of days from 1 to 366");
            else
                out.deadline_days = static_cast<int>(*v);
        }
        if (const toml::node* f = g->get("deadline_from")) {
            out.deadline_from = text_or_string(f, "guide.deadline_from");
            if (!out.deadline_days)
                problem(line_of(f, gl), "", "`guide.deadline_from` needs `guide.deadline_days`");
        }
        if (const toml::node* o = g->get("order")) {
            const auto v = o->value<int64_t>();
            if (!v || *v < 0 || *v > 1000) problem(line_of(o, gl), "", "`guide.order` is a whole number from 0 to 1000");
            else out.order = static_cast<int>(*v);
        }
        t.guide = std::move(out);
    }

    void load_layout(const toml::table& root, Template& t) {
        const auto* arr = root.at_path("page.items").as_array();
        if (!arr) {
            problem(1, "", "the template has no [[page.items]] layout");
            return;
        }
        for (const auto& node : *arr)
            if (const auto* it = node.as_table())
                t.layout.push_back(layout_item(*it, [&](const std::string& id) { return t.field(id); }));
    }

    // One [[page.items]] entry (or a group's row item: `target_of` finds its field).
    template <typename Lookup>
    LayoutItem layout_item(const toml::table& item, const Lookup& target_of) {
        const toml::table* it = &item;
        {
            LayoutItem li;
            li.line = line_of(it, 1);
            check_keys(*it, {"kind", "field", "option", "cells", "image", "text", "x", "y", "w", "h", "size", "align", "label"},
                       (*it)["field"].value_or(std::string()));
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
            if (li.kind == "image" && !li.image.empty()) {
                const auto ext = std::filesystem::path(li.image).extension().string();
                std::error_code ec;
                if (ext != ".png" && ext != ".jpg" && ext != ".jpeg")
                    problem(line_of((*it)["image"].node(), li.line), "", "`image` must be a .png or .jpg file");
                else if (!std::filesystem::is_regular_file(file_.parent_path() / li.image, ec))
                    problem(line_of((*it)["image"].node(), li.line), "",
                            "image file " + (file_.parent_path() / li.image).string() + " not found");
            }
            const Field* target = target_of(li.field);
            if (needs_field && !target)
                problem(line_of((*it)["field"].node(), li.line), li.field, "layout item points at a field that does not exist");
            if (!needs_field && !li.field.empty())
                problem(li.line, li.field, "a `" + li.kind + "` item takes no `field`");
            if (target && (li.kind == "check" || li.kind == "circle") && !li.option.empty()) {
                bool known = false;
                for (const auto& c : target->choices) known = known || c.value == li.option;
                if (!known)
                    problem(line_of((*it)["option"].node(), li.line), li.field,
                            "`option = \"" + li.option + "\"` is not one of the field's choices");
            }
            if (target && li.kind == "check" && li.option.empty() && target->type != FieldType::Checkbox)
                problem(li.line, li.field, "a check item needs `option` unless its field is a checkbox");
            if (target && li.kind == "grid" && target->type == FieldType::MyNumber && li.cells != 12)
                problem(li.line, li.field, "a 個人番号 grid has 12 cells");
            const std::string align_s = (*it)["align"].value_or(std::string("left"));
            if (align_s != "left" && align_s != "center" && align_s != "right")
                problem(line_of((*it)["align"].node(), li.line), li.field, "`align` is left, center or right");
            if (li.size < 4 || li.size > 48)
                problem(line_of((*it)["size"].node(), li.line), li.field, "`size` is a font size in pt between 4 and 48");
            if (li.kind != "line" && li.kind != "qr" && (li.w <= 0 || li.h <= 0))
                problem(li.line, li.field, "`w` and `h` (mm) must be greater than 0");
            if (li.x < 0 || li.y < 0 || li.w < 0 || li.h < 0 || li.x + li.w > kPageWidthMm ||
                li.y + li.h > kPageHeightMm)
                problem(li.line, li.field, "box lies outside the A4 page (210 x 297 mm)");
            return li;
        }
    }

    // [[group]]: one row per household member (docs/templates.md, "Groups").
    void load_groups(const toml::table& root, Template& t) {
        if (!root["group"]) return;
        const auto* arr = root["group"].as_array();
        if (!arr || !arr->is_array_of_tables()) {
            problem(line_of(root["group"].node(), 1), "", "`group` is written [[group]], one table per repeating group");
            return;
        }
        std::set<std::string> ids;
        for (const auto& node : *arr) {
            const auto* gt = node.as_table();
            if (!gt) continue;
            Group g;
            g.line = line_of(gt, 1);
            check_keys(*gt, {"id", "label", "max", "pitch", "holder", "when", "fields", "items"}, "");
            g.id = (*gt)["id"].value_or(std::string());
            static const std::regex id_re("[a-z][a-z0-9_]*");
            if (!std::regex_match(g.id, id_re))
                problem(g.line, "", "a [[group]] needs an `id` of a-z, 0-9 and _ (e.g. \"persons\")");
            else if (!ids.insert(g.id).second || t.field(g.id))
                problem(g.line, g.id, "the group id is already used by another group or a field");
            g.label = text((*gt)["label"].as_table(), "label", g.id, true);
            const auto max = (*gt)["max"].value<int64_t>();
            if (!max || *max < 1 || *max > 30)
                problem(line_of((*gt)["max"].node(), g.line), g.id,
                        "`max` (the rows the page holds for members) is a whole number from 1 to 30");
            else
                g.max = static_cast<int>(*max);
            g.pitch = (*gt)["pitch"].value_or(0.0);
            if (g.max > 1 && g.pitch <= 0)
                problem(line_of((*gt)["pitch"].node(), g.line), g.id,
                        "`pitch` (mm from the top of one row to the next) must be greater than 0 when `max` > 1");
            g.holder = (*gt)["holder"].value_or(false);
            load_group_fields(*gt, t, g);
            if ((*gt)["when"]) {
                const int wl = line_of((*gt)["when"].node(), g.line);
                g.when = condition((*gt)["when"].node(), wl, g.id);
                for (const auto& id : g.when.answers_used()) {
                    const Field* q = g.field(id);
                    if (!q) q = t.field(id);
                    if (!q || q->source != Source::Question)
                        problem(wl, g.id, "`when` uses answers." + id + ", which is not a question of this group or template");
                }
            }
            if (const auto* items = (*gt)["items"].as_array(); items && !items->empty()) {
                for (const auto& in : *items)
                    if (const auto* it = in.as_table())
                        g.items.push_back(layout_item(*it, [&](const std::string& id) { return g.field(id); }));
            } else {
                problem(g.line, g.id, "a group needs `items`: the boxes of its first row");
            }
            if (!g.items.empty()) {
                g.top = g.items.front().y;
                for (const auto& li : g.items) {
                    g.top = std::min(g.top, li.y);
                    g.bottom = std::max(g.bottom, li.y + li.h);
                }
                const double last = g.bottom + (g.max - 1) * g.pitch;
                if (g.max > 1 && g.pitch > 0 && g.pitch < g.bottom - g.top - 1e-9)
                    problem(line_of((*gt)["pitch"].node(), g.line), g.id,
                            "rows overlap: a row is " + std::to_string(g.bottom - g.top).substr(0, 5) +
                                " mm high but `pitch` is smaller");
                if (last > kFooterTopMm + 1e-9)
                    problem(line_of((*gt)["max"].node(), g.line), g.id, "the last of the " + std::to_string(g.max) + " rows ends at " +
                                              std::to_string(last).substr(0, 5) +
                                              " mm, into the footer (keep rows above y = 282): lower `max` or `pitch`");
            }
            // The printed QR code of the application sits in the bottom-right corner.
            const double last_top = g.top + (g.max - 1) * g.pitch;
            for (const auto& li : g.items)
                if (li.x + li.w > kQrLeftMm && last_top + (li.y - g.top) + li.h > kQrTopMm) {
                    problem(li.line, g.id, "the last row reaches the QR code in the bottom-right corner (x > 186, "
                                           "y > 276 mm): lower `max` or `pitch`, or narrow the row");
                    break;
                }
            if (std::none_of(g.fields.begin(), g.fields.end(),
                             [](const Field& f) { return f.source == Source::Member && f.source_key == "name"; }))
                problem(g.line, g.id, "a group needs a field with from = \"member.name\"");
            t.groups.push_back(std::move(g));
        }
    }

    void load_group_fields(const toml::table& gt, const Template& t, Group& g) {
        const auto* arr = gt["fields"].as_array();
        if (!arr || arr->empty()) {
            problem(g.line, g.id, "a group needs `fields` (one per value of a member's row)");
            return;
        }
        static const std::set<std::string> member_keys{"name", "kana", "birth_date", "sex", "relationship"};
        static const std::regex id_re("[a-z0-9_]+");
        std::set<std::string> ids;
        for (const auto& node : *arr) {
            const auto* ft = node.as_table();
            if (!ft) continue;
            Field f;
            f.line = line_of(ft, g.line);
            f.id = (*ft)["id"].value_or(std::string());
            const std::string where = g.id + "." + f.id;
            if (!std::regex_match(f.id, id_re)) {
                problem(f.line, g.id, "a group field needs an `id` of a-z, 0-9 and _");
                continue;
            }
            if (!ids.insert(f.id).second) problem(f.line, where, "duplicate field id in the group");
            check_keys(*ft, {"id", "type", "from", "value", "label", "question", "help", "choices", "required", "era",
                             "holder"},
                       where);
            const std::string type = (*ft)["type"].value_or(std::string("text"));
            if (auto it = field_types().find(type); it != field_types().end()) f.type = it->second;
            else problem(line_of((*ft)["type"].node(), f.line), where, "unknown field type `" + type + "`");
            if (f.type == FieldType::MyNumber || f.type == FieldType::Signature)
                problem(line_of((*ft)["type"].node(), f.line), where,
                        "a member's row holds no " + type + " (a 個人番号 or a signature belongs to the form)");
            f.label = text((*ft)["label"].as_table(), "label", where, true);
            f.question = text((*ft)["question"].as_table(), "question", where, false);
            f.help = text((*ft)["help"].as_table(), "help", where, false);
            f.required = (*ft)["required"].value_or(false);
            f.wareki = (*ft)["era"].value_or(std::string("wareki")) != "seireki";
            if (const auto* cs = (*ft)["choices"].as_array())
                for (const auto& c : *cs)
                    if (const auto* ct = c.as_table())
                        f.choices.push_back({(*ct)["value"].value_or(std::string()),
                                             text((*ct)["label"].as_table(), "choices.label", where, true)});
            if (f.type == FieldType::Choice && f.choices.size() < 2)
                problem(f.line, where, "a choice field needs at least two `choices`");
            const std::string from = (*ft)["from"].value_or(std::string("question"));
            const int fl = line_of((*ft)["from"].node(), f.line);
            if (from.rfind("member.", 0) == 0) {
                f.source = Source::Member;
                f.source_key = from.substr(7);
                if (!member_keys.count(f.source_key))
                    problem(fl, where, "`" + from + "` is not member data (member.name, member.kana, member.birth_date, "
                                       "member.sex, member.relationship)");
                if (f.source_key == "birth_date" && f.type != FieldType::Date)
                    problem(fl, where, "`member.birth_date` goes into a date field");
            } else if (from == "question") {
                f.source = Source::Question;
                if (f.question.ja.empty()) problem(f.line, where, "a member's question needs `question.ja`");
            } else if (from == "fixed") {
                f.source = Source::Fixed;
                f.source_key = (*ft)["value"].value_or(std::string());
            } else if (from == "none") {
                f.source = Source::None;
            } else {
                problem(fl, where, "a group field's `from` is member.<name>, question, fixed or none");
            }
            if (const auto h = (*ft)["holder"].value<std::string>()) {
                const int hl = line_of((*ft)["holder"].node(), f.line);
                if (h->rfind("field.", 0) != 0 || !t.field(h->substr(6)))
                    problem(hl, where, "`holder = \"" + *h + "\"` must name a field of the form as \"field.<id>\"");
                else
                    f.holder_from = h->substr(6);
                if (!g.holder) problem(hl, where, "`holder` only applies when the group has `holder = true`");
            }
            g.fields.push_back(std::move(f));
        }
    }

    std::filesystem::path file_;
    std::vector<TemplateProblem> problems_;
    std::vector<TemplateProblem> warnings_;
    int when_line_ = 1;  // the template's own `when`
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

const char* to_string(AddressPart p) {
    switch (p) {
        case AddressPart::Whole: return "whole";
        case AddressPart::Prefecture: return "prefecture";
        case AddressPart::City: return "city";
        case AddressPart::Town: return "town";
        case AddressPart::Building: return "building";
    }
    return "whole";
}

const char* to_string(FieldType t) {
    for (const auto& [name, type] : field_types())
        if (type == t) return name.c_str();
    return "text";
}

std::vector<const Field*> fields_bound_to(const Template& t, const std::string& card_value) {
    std::vector<const Field*> out;
    if (card_value.rfind("card.", 0) != 0) return out;
    const std::string key = card_value.substr(5);
    for (const auto& f : t.fields)
        if (f.source == Source::Card && f.source_key == key) out.push_back(&f);
    return out;
}

const Field* Template::field(const std::string& fid) const {
    for (const auto& f : fields)
        if (f.id == fid) return &f;
    if (fid.find('.') == std::string::npos) return nullptr;
    const auto ref = member_field(*this, fid);
    return ref ? ref->field : nullptr;
}

const Group* Template::group(const std::string& gid) const {
    for (const auto& g : groups)
        if (g.id == gid) return &g;
    return nullptr;
}

const Field* Group::field(const std::string& fid) const {
    for (const auto& f : fields)
        if (f.id == fid) return &f;
    return nullptr;
}

std::string member_field_id(const std::string& group, int row, const std::string& field) {
    return group + "." + std::to_string(row) + "." + field;
}

std::optional<MemberFieldRef> member_field(const Template& t, const std::string& id) {
    const auto a = id.find('.');
    const auto b = a == std::string::npos ? a : id.find('.', a + 1);
    if (b == std::string::npos || b == a + 1 || b - a > 4) return std::nullopt;
    int row = 0;
    for (std::size_t i = a + 1; i < b; ++i) {
        if (id[i] < '0' || id[i] > '9') return std::nullopt;
        row = row * 10 + (id[i] - '0');
    }
    if (row < 1) return std::nullopt;
    const Group* g = t.group(id.substr(0, a));
    const Field* f = g ? g->field(id.substr(b + 1)) : nullptr;
    if (!f) return std::nullopt;
    return MemberFieldRef{g, row, f};
}

std::string TemplateProblem::to_string() const {
    return file.string() + ":" + std::to_string(line) + ": " + (field.empty() ? "-" : field) + ": " + message;
}

TemplateError::TemplateError(std::vector<TemplateProblem> problems)
    : std::runtime_error(join(problems)), problems_(std::move(problems)) {}

Template load_template(const std::filesystem::path& file) { return Loader(file).load(); }

}  // namespace kakanai::forms
