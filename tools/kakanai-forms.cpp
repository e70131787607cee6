// kakanai-forms: the administrator's tool for procedure templates.
// list, validate, preview (through the printing library), new.
#include <nlohmann/json.hpp>

#include <regex>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <set>
#include <string>
#include <vector>

#include "kakanai/forms/catalogue.hpp"
#include "kakanai/forms/inputs.hpp"
#include "kakanai/forms/wareki.hpp"
#include "kakanai/forms/prefill.hpp"
#include "kakanai/forms/template.hpp"
#include "kakanai/forms/wareki.hpp"
#include "kakanai/printing/pdf.hpp"
#include "kakanai/printing/pdf_form.hpp"
#include "cli.hpp"

#ifndef KAKANAI_ASSETS_DIR
#define KAKANAI_ASSETS_DIR "assets"
#endif

namespace fs = std::filesystem;
using namespace kakanai;
using nlohmann::json;

namespace {

int cmd_list(const fs::path& dir, const fs::path& town, const std::string& today, bool as_json) {
    const forms::Catalogue c = forms::Catalogue::load(dir, today, town);
    for (const auto& p : c.problems()) std::cerr << p.to_string() << "\n";
    if (as_json) {
        json arr = json::array();
        for (const forms::Template* t : c.templates())
            arr.push_back({{"id", t->id},
                           {"version", t->version},
                           {"valid_from", t->valid_from},
                           {"title", {{"ja", t->title.ja}, {"en", t->title.en}, {"easy", t->title.easy}}},
                           {"department", t->department},
                           {"source", t->source},
                           {"checked", t->checked},
                           {"fee_yen", t->fee_yen ? json(*t->fee_yen) : json(nullptr)},
                           {"fields", t->fields.size()},
                           {"file", t->file.string()},
                           {"origin", forms::to_string(c.origin(t->id))}});
        for (const auto& [id, file] : c.disabled())
            arr.push_back({{"id", id}, {"origin", "disabled"}, {"file", file.string()}});
        std::cout << arr.dump(2) << "\n";
    } else {
        for (const forms::Template* t : c.templates())
            std::cout << t->id << "\t" << t->version << "\t" << t->valid_from << "\t" << t->title.ja << "\t"
                      << forms::to_string(c.origin(t->id)) << "\n";
        for (const auto& [id, file] : c.disabled()) std::cout << id << "\t-\t-\t-\tdisabled\n";
    }
    return 0;
}

// The catalogue as the kiosk serves it: the shipped folder with the town's over it.
int cmd_validate_catalogue(const fs::path& dir, const fs::path& town, const std::string& today) {
    const forms::Catalogue c = forms::Catalogue::load(dir, today, town);
    for (const auto& p : c.problems()) std::cout << p.to_string() << "\n";
    if (!c.problems().empty()) {
        std::cerr << c.problems().size() << " problem(s); fix them and run validate again\n";
        return 1;
    }
    std::cout << "ok: " << c.templates().size() << " template(s) valid\n";
    return 0;
}

int cmd_validate(const std::vector<fs::path>& paths, const std::string& today) {
    std::size_t problems = 0, templates = 0;
    for (const auto& path : paths) {
        std::error_code ec;
        if (fs::is_directory(path, ec)) {
            const forms::Catalogue c = forms::Catalogue::load(path, today);
            for (const auto& p : c.problems()) std::cout << p.to_string() << "\n";
            problems += c.problems().size();
            templates += c.templates().size();
        } else if (fs::is_regular_file(path, ec) && path.filename() == "events.toml") {
            // Life events are checked against the templates of their folder.
            const forms::Catalogue c = forms::Catalogue::load(path.parent_path().empty() ? "." : path.parent_path(), today);
            for (const auto& p : c.problems())
                if (p.file.filename() == "events.toml") {
                    std::cout << p.to_string() << "\n";
                    ++problems;
                }
        } else if (fs::is_regular_file(path, ec)) {
            try {
                const forms::Template t = forms::load_template(path);
                for (const auto& w : t.warnings) std::cout << w.to_string() << "\n";
                problems += t.warnings.size();
                ++templates;
            } catch (const forms::TemplateError& e) {
                for (const auto& p : e.problems()) std::cout << p.to_string() << "\n";
                problems += e.problems().size();
            }
        } else {
            std::cout << path.string() << ":0: -: no such file or folder\n";
            ++problems;
        }
    }
    if (problems) {
        std::cerr << problems << " problem(s); fix them and run validate again\n";
        return 1;
    }
    std::cout << "ok: " << templates << " template(s) valid\n";
    return 0;
}

// Sample values: clearly invented, valid for their type.
std::string sample_for(const forms::Field& f) {
    using forms::FieldType;
    switch (f.type) {
        case FieldType::Text: return "（見本）" + f.label.ja;
        case FieldType::Kana: return "ミホン";
        case FieldType::Date: return "2000-04-01";
        case FieldType::Choice: return f.choices.empty() ? "" : f.choices.front().value;
        case FieldType::Checkbox: return "true";
        case FieldType::Number:
            if (f.kind == "fiscal_year") return std::to_string(forms::fiscal_year_of(forms::today_iso()));
            return std::to_string(f.min ? *f.min : 1234567890);
        case FieldType::PostalCode: return "100-0001";
        case FieldType::Phone: return "03-0000-0000";
        case FieldType::Address: return "北海道札幌市中央区北1条西2丁目 見本ビル101";
        case FieldType::MyNumber: return "123456789018";  // invented; its check digit is valid
        case FieldType::Signature: return "";
    }
    return "";
}

std::string json_to_value(const json& v) {
    if (v.is_string()) return v.get<std::string>();
    if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
    if (v.is_number_integer()) return std::to_string(v.get<long long>());
    if (v.is_null()) return "";
    return v.dump();
}

// "members": [{"name", "kana", "birth_date", "sex", "relationship", "card", "answers"}, ...]:
// the household besides the card holder (docs/templates.md, "Groups").
// Each value is checked against the group fields bound to it.
int read_members(const json& members, const forms::Template& t, const fs::path& data_file, forms::Household& out) {
    if (members.is_null()) return 0;
    if (!members.is_array()) {
        std::cerr << "kakanai-forms: " << data_file.string() << ": members must be a list of objects\n";
        return 1;
    }
    int bad = 0;
    for (std::size_t i = 0; i < members.size(); ++i) {
        const json& m = members[i];
        const std::string where = data_file.string() + ": members[" + std::to_string(i) + "]";
        if (!m.is_object()) {
            std::cerr << "kakanai-forms: " << where << " is not an object\n";
            ++bad;
            continue;
        }
        forms::Member member;
        for (const auto& [key, value] : m.items()) {
            if (key == "card") {
                member.read_from_card = value.is_boolean() && value.get<bool>();
                continue;
            }
            if (key == "answers") {
                if (value.is_object())
                    for (const auto& [q, a] : value.items()) member.answers[q] = json_to_value(a);
                continue;
            }
            std::string* slot = key == "name" ? &member.name : key == "kana" ? &member.kana
                              : key == "birth_date" ? &member.birth_date : key == "sex" ? &member.sex
                              : key == "relationship" ? &member.relationship : nullptr;
            if (!slot) {
                std::cerr << "kakanai-forms: warning: " << where << "." << key << " is not member data\n";
                continue;
            }
            *slot = json_to_value(value);
            for (const auto& g : t.groups)
                for (const auto& f : g.fields)
                    if (f.source == forms::Source::Member && f.source_key == key)
                        if (auto problem = forms::check_value(f, *slot)) {
                            std::cerr << "kakanai-forms: " << where << "." << key << ": " << problem->en << "\n";
                            ++bad;
                        }
        }
        if (member.name.empty()) {
            std::cerr << "kakanai-forms: " << where << ": a member needs a name\n";
            ++bad;
        }
        out.push_back(std::move(member));
    }
    if (t.groups.empty() && !out.empty())
        std::cerr << "kakanai-forms: warning: " << t.id << " has no [[group]]: members are not printed\n";
    return bad;
}

int cmd_preview(const fs::path& dir, const fs::path& town, const std::string& today, const std::string& id,
                const fs::path& data_file, const fs::path& out) {
    const forms::Catalogue c = forms::Catalogue::load(dir, today, town);
    const forms::Template* found = c.find(id);
    if (!found) {
        for (const auto& p : c.problems()) std::cerr << p.to_string() << "\n";
        std::cerr << "kakanai-forms: no valid template `" << id << "` in " << dir.string()
                  << " (see `kakanai-forms list`)\n";
        return 1;
    }
    forms::Template t = *found;

    json data = json::object();
    if (!data_file.empty()) {
        std::ifstream in(data_file);
        if (!in) {
            std::cerr << "kakanai-forms: cannot read " << data_file.string() << "\n";
            return 1;
        }
        try {
            data = json::parse(in);
        } catch (const json::parse_error& e) {
            std::cerr << "kakanai-forms: " << data_file.string() << " is not valid JSON: " << e.what() << "\n";
            return 1;
        }
        if (!data.is_object()) {
            std::cerr << "kakanai-forms: " << data_file.string() << " must hold {\"card\": {...}, \"answers\": {...}}\n";
            return 1;
        }
    }

    // Card: whatever DATA.json gives, samples for the rest. my_number is never read.
    forms::CardData card{"見本 太郎", "北海道札幌市中央区北1条西2丁目 見本ビル101", "1960-04-01", "male", true};
    std::set<std::string> sampled_card{"name", "address", "birth_date", "sex"};
    const json card_json = data.value("card", json::object());
    for (const char* key : {"name", "address", "birth_date", "sex"})
        if (card_json.contains(key) && card_json[key].is_string() && !card_json[key].get<std::string>().empty()) {
            const std::string v = card_json[key].get<std::string>();
            if (std::string(key) == "name") card.name = v;
            if (std::string(key) == "address") card.address = v;
            if (std::string(key) == "birth_date") card.birth_date = v;
            if (std::string(key) == "sex") card.sex = v;
            sampled_card.erase(key);
        }

    forms::Answers answers;
    std::set<std::string> sampled_fields;
    const json answers_json = data.value("answers", json::object());
    int bad = 0;
    for (const auto& f : t.fields) {
        if (f.source == forms::Source::Card && f.source_key == "my_number") sampled_fields.insert(f.id);
        if (f.source != forms::Source::Question) continue;
        if (answers_json.contains(f.id)) {
            const std::string v = json_to_value(answers_json[f.id]);
            if (auto problem = forms::check_value(f, v)) {
                std::cerr << "kakanai-forms: " << data_file.string() << ": answers." << f.id << ": " << problem->en << "\n";
                ++bad;
            }
            answers[f.id] = v;
        } else if (f.default_value.empty()) {
            answers[f.id] = sample_for(f);
            sampled_fields.insert(f.id);
        }
    }
    for (const auto& [key, value] : answers_json.items())
        if (!t.field(key)) std::cerr << "kakanai-forms: warning: answers." << key << " is not a field of " << id << "\n";
    forms::Household household;
    bad += read_members(data.value("members", json()), t, data_file, household);
    if (bad) return 1;

    forms::FilledForm form = forms::prefill(t, card, answers, today, {}, household);
    forms::wipe(household);
    // Values printed one character per cell get no （見本） prefix: the page mark says it.
    std::set<std::string> in_grid;
    for (const auto& li : t.layout)
        if (li.kind == "grid") in_grid.insert(li.field);

    // Mark every value that came from a sample, following field copies to their root.
    for (std::size_t i = 0; i < t.fields.size(); ++i) {
        const forms::Field* root = &t.fields[i];
        for (int hops = 0; root->source == forms::Source::Field && hops < 16; ++hops)
            if (const forms::Field* next = t.field(root->source_key)) root = next;
        const bool sample = sampled_fields.count(root->id) ||
                            (root->source == forms::Source::Card && sampled_card.count(root->source_key));
        auto& filled = form.fields[i];
        if (root->source == forms::Source::Card && root->source_key == "my_number") {
            filled.value = filled.display = sample_for(t.fields[i]);
            continue;  // a grid of digits: the page mark says it is a sample
        }
        const auto type = t.fields[i].type;
        if (sample && !filled.display.empty() && !in_grid.count(t.fields[i].id) && type != forms::FieldType::Checkbox &&
            type != forms::FieldType::MyNumber &&
            filled.display.rfind("（見本）", 0) != 0)
            filled.display = "（見本）" + filled.display;
    }
    try {
        printing::PdfOptions opts;
        opts.application_id = "PREVIEW";
        opts.mark = "見本 PREVIEW";   // in either print mode (an overlay drops labels)
        opts.draw_background = true;  // the town's form under the page: previews only, never a print job
        printing::write_file_atomic(out, printing::render_pdf(t, form, opts));
    } catch (const printing::PrintError& e) {
        std::cerr << "kakanai-forms: " << e.what() << "\n";
        return 1;
    }
    form.wipe();
    card.wipe();
    std::cout << "wrote " << out.string() << " (" << id << " v" << t.version << ")\n";
    return 0;
}

const char* kStarter = R"TOML(# %TITLE% — describe the procedure in one line here.
# Template format v1: see docs/templates.md. Check it with
#   kakanai-forms validate %FILE%
# and look at it with
#   kakanai-forms preview %ID% --out /tmp/%ID%.pdf
format = 1
id = "%ID%"
# Raise `version` and set `valid_from` when the official form changes; the
# kiosk uses the newest version whose valid_from is not in the future.
version = 1
valid_from = %TODAY%
# The 課 that receives the form.
department = "住民課"
# The official form or rule this template follows, and where a town finds it
# (e.g. the statute's article and the municipal form page), and the day you
# last compared the template with it. validate refuses a template without them.
source = "（根拠法令・様式名と入手先）"
checked = %TODAY%
# fee_yen = 300   # the fee per copy, when the procedure has one (set by the town)
# ja: as printed; en: English; easy: やさしい日本語 (short words, spaces between them).
title = { ja = "（様式名）", en = "(Form title)", easy = "（ようしきの なまえ）" }

# Each field says where its value comes from (`from`):
#   card.name / card.address / card.birth_date / card.sex / card.my_number
#   question (asked on the kiosk: needs `question` in ja, en, easy)
#   field.<id> (a copy of another field), today, fixed (with `value`), none
[[fields]]
id = "request_date"
type = "date"
from = "today"
label = { ja = "届出日", en = "Date", easy = "きょうの ひづけ" }

[[fields]]
id = "applicant_name"
type = "text"
from = "card.name"
required = true
label = { ja = "氏名", en = "Name", easy = "なまえ" }

[[fields]]
id = "applicant_address"
type = "address"
from = "card.address"
required = true
label = { ja = "住所", en = "Address", easy = "すんでいる ところ" }

[[fields]]
id = "applicant_birth_date"
type = "date"
from = "card.birth_date"
era = "wareki"          # or "seireki" for 西暦
label = { ja = "生年月日", en = "Date of birth", easy = "うまれた ひ" }

[[fields]]
id = "applicant_phone"  # the same id in two forms of an errand: asked once
type = "phone"
from = "question"
label = { ja = "電話番号", en = "Phone number", easy = "でんわばんごう" }
question = { ja = "日中に連絡できる電話番号を入力してください", en = "Your daytime phone number", easy = "ひるに でんわが つながる ばんごう" }
help = { ja = "携帯電話でもかまいません", en = "A mobile number is fine", easy = "けいたいでんわ でも いいです" }

[[fields]]
id = "signature"
type = "signature"      # left blank for the pen
label = { ja = "署名", en = "Signature", easy = "サイン" }

# The printed page: A4, x/y/w/h in mm from the top-left corner. The title is
# printed at the top (keep items below y = 25) and a footer at the bottom
# (keep items above y = 282).
[[page.items]]
kind = "label"
text = { ja = "（あて先）町長" }
x = 15
y = 27
w = 70
h = 7

[[page.items]]
field = "request_date"
x = 135
y = 37
w = 60
h = 12

[[page.items]]
field = "applicant_address"
x = 15
y = 51
w = 180
h = 12

[[page.items]]
field = "applicant_name"
x = 15
y = 65
w = 90
h = 12
size = 14

[[page.items]]
field = "applicant_birth_date"
x = 105
y = 65
w = 90
h = 12

[[page.items]]
field = "applicant_phone"
x = 15
y = 79
w = 90
h = 12

[[page.items]]
field = "signature"
x = 105
y = 79
w = 90
h = 18
)TOML";

// Writes a new template and loads it back: a starter we write must validate.
// Says why on stderr (every problem as file:line) and returns false otherwise.
bool write_valid_template(const fs::path& file, const std::string& text) {
    {
        std::ofstream o(file);
        o << text;
        if (!o) {
            std::cerr << "kakanai-forms: cannot write " << file.string() << "\n";
            return false;
        }
    }
    try {
        forms::load_template(file);
    } catch (const forms::TemplateError& e) {
        for (const auto& p : e.problems()) std::cerr << p.to_string() << "\n";
        return false;
    }
    return true;
}

int cmd_new(const fs::path& dir, const std::string& today, const std::string& id) {
    static const std::regex id_re("[a-z0-9_-]+");
    if (!std::regex_match(id, id_re)) {
        std::cerr << "kakanai-forms: an id uses only a-z, 0-9, _ and - (e.g. inkan_touroku)\n";
        return 2;
    }
    const fs::path file = dir / (id + ".toml");
    std::error_code ec;
    if (fs::exists(file, ec)) {
        std::cerr << "kakanai-forms: " << file.string() << " already exists; choose another id or edit that file\n";
        return 1;
    }
    std::string text = kStarter;
    auto replace_all = [&](const std::string& from, const std::string& to) {
        for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
            text.replace(at, from.size(), to);
    };
    replace_all("%ID%", id);
    replace_all("%FILE%", file.string());
    replace_all("%TODAY%", today);
    replace_all("%TITLE%", id);
    fs::create_directories(dir, ec);
    if (!write_valid_template(file, text)) return 1;
    std::cout << "wrote " << file.string() << "\n";
    return 0;
}

// `new --from-pdf FORM.pdf`: a starter from the town's own PDF form. The page
// becomes ID.png (the background) and every box found on it a field named
// after its nearest label, each with a placeholder binding to replace.
int cmd_new_from_pdf(const fs::path& pdf, std::string id, const fs::path& out_dir, const std::string& today) {
    static const std::regex id_re("[a-z0-9_-]+");
    if (id.empty()) {
        // The file's name when it is already a valid id (inkan_touroku.pdf), else a neutral one.
        id = pdf.stem().string();
        for (auto& c : id) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (!std::regex_match(id, id_re)) id = "town_form";
    }
    if (!std::regex_match(id, id_re)) {
        std::cerr << "kakanai-forms: an id uses only a-z, 0-9, _ and - (e.g. inkan_touroku)\n";
        return 2;
    }
    const fs::path file = out_dir / (id + ".toml"), png = out_dir / (id + ".png");
    std::error_code ec;
    for (const fs::path& f : {file, png})
        if (fs::exists(f, ec)) {
            std::cerr << "kakanai-forms: " << f.string() << " already exists; choose another --id or --out\n";
            return 1;
        }
    printing::PdfFormPage page;
    try {
        page = printing::read_pdf_form(pdf);
    } catch (const printing::PdfFormError& e) {
        std::cerr << "kakanai-forms: " << e.what() << "\n";
        return 1;
    }
    const printing::ProposedTemplate proposal = printing::propose_template(page);
    fs::create_directories(out_dir, ec);
    try {
        printing::write_png(png, page.picture);
    } catch (const printing::PdfFormError& e) {
        std::cerr << "kakanai-forms: " << e.what() << "\n";
        return 1;
    }
    if (!write_valid_template(file, printing::starter_toml(proposal, id, png.filename().string(),
                                                           pdf.filename().string(), today)))
        return 1;
    std::size_t fields = 0, frames = 0;
    for (const auto& f : proposal.fields) (f.kind == "box" ? frames : fields)++;
    if (page.pages > 1) std::cout << "note: " << pdf.string() << " has " << page.pages << " pages; only page 1 was read\n";
    if (std::abs(page.width_mm - 210) > 2 || std::abs(page.height_mm - 297) > 2)
        std::cout << "note: the page is " << static_cast<int>(std::lround(page.width_mm)) << " x "
                  << static_cast<int>(std::lround(page.height_mm)) << " mm, not A4: positions were scaled to A4\n";
    std::cout << "wrote " << file.string() << ": " << fields << " proposed field(s), " << frames << " frame(s), "
              << proposal.labels.size() << " label(s); every field is `from = \"none\"` until you bind it (TO BIND)\n";
    std::cout << "wrote " << png.string() << " (page 1 at " << static_cast<int>(page.picture.dpi) << " dpi, the background)\n";
    return 0;
}

}  // namespace

#ifndef KAKANAI_TOWN_DIR
#define KAKANAI_TOWN_DIR ""
#endif

int main(int argc, char** argv) {
    fs::path dir = fs::path(KAKANAI_ASSETS_DIR) / "forms";
    if (const char* env = std::getenv("KAKANAI_ASSETS")) dir = fs::path(env) / "forms";
    fs::path town = std::string(KAKANAI_TOWN_DIR).empty() ? fs::path() : fs::path(KAKANAI_TOWN_DIR) / "forms";
    if (const char* env = std::getenv("KAKANAI_TOWN")) town = *env ? fs::path(env) / "forms" : fs::path();
    std::string today = forms::today_iso();
    bool as_json = false;
    fs::path data, out;
    std::vector<fs::path> paths;
    std::string id;

    CLI::App app("kakanai-forms: the administrator's tool for procedure templates", "kakanai-forms");
    app.require_subcommand(1);
    app.fallthrough();  // --forms and --date also after the command
    app.add_option("--forms", dir, "the forms folder (default: $KAKANAI_ASSETS/forms, else the built-in assets folder)")
        ->type_name("DIR");
    app.add_option("--town", town, "the town's forms over the shipped ones (default: /etc/kakanai/forms in the package)")
        ->type_name("DIR");
    app.add_option("--date", today, "pick template versions valid on DATE instead of today")->type_name("YYYY-MM-DD");
    CLI::App* list = app.add_subcommand("list", "one line per template valid today: id, version, valid_from, title, origin (shipped, town, "
                                             "overridden; a shipped form the town disabled: disabled)");
    list->add_flag("--json", as_json, "a JSON array instead");
    CLI::App* validate = app.add_subcommand(
        "validate", "checks template files or folders (default: the forms folder); prints every problem as "
                    "file:line: field: message, exits 1 on any");
    validate->add_option("paths", paths, "template files or folders")->type_name("PATH");
    CLI::App* preview = app.add_subcommand(
        "preview", "renders the form as printed. DATA.json is {\"card\": <kakanai-card read --json>, \"members\": "
                   "[{\"name\", \"kana\", \"birth_date\", \"sex\", \"relationship\"}, ...], \"answers\": "
                   "{\"<field id>\": value}}; anything missing is filled with sample values marked （見本）. A 個人番号 "
                   "in DATA.json is ignored: previews only show a sample number.");
    preview->add_option("id", id, "the template id")->required()->type_name("ID");
    preview->add_option("--data", data, "values for the preview")->type_name("DATA.json");
    preview->add_option("--out", out, "the PDF to write")->required()->type_name("FILE.pdf");
    CLI::App* starter = app.add_subcommand("new", "writes a commented starter template ID.toml into the forms folder; "
                                                  "with --from-pdf, one proposed from the town's PDF form");
    starter->add_option("id", id, "the new template's id")->type_name("ID");
    fs::path from_pdf, out_dir;
    starter->add_option("--from-pdf", from_pdf, "propose the template from page 1 of this PDF: the page as ID.png "
                                                "(the background) and a field for every box, named after its nearest "
                                                "label")->type_name("FORM.pdf");
    starter->add_option("--id", id, "with --from-pdf: the template's id (default: the PDF's name)")->type_name("ID");
    starter->add_option("--out", out_dir, "with --from-pdf: the folder for ID.toml and ID.png (default: the forms "
                                          "folder)")->type_name("DIR");
    kakanai::tools::parse_or_exit(app, argc, argv);

    try {
        forms::format_date(today, forms::DateStyle::Seireki);
    } catch (const forms::DateError& e) {
        kakanai::tools::usage_error(app, std::string("--date: ") + e.what());
    }
    if (*list) return cmd_list(dir, town, today, as_json);
    if (*validate) {
        if (paths.empty()) return cmd_validate_catalogue(dir, town, today);
        return cmd_validate(paths, today);
    }
    if (*preview) return cmd_preview(dir, town, today, id, data, out);
    if (!from_pdf.empty()) return cmd_new_from_pdf(from_pdf, id, out_dir.empty() ? dir : out_dir, today);
    if (id.empty()) kakanai::tools::usage_error(app, "new needs an ID (or --from-pdf FORM.pdf)");
    return cmd_new(dir, today, id);
}
