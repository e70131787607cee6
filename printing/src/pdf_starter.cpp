// A starter template proposed from a town's PDF page: a field for every box,
// named after its nearest label, and the page's other text as fixed labels.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>
#include <set>

#include "kakanai/printing/pdf_form.hpp"

namespace kakanai::printing {
namespace {

constexpr double kA4W = 210, kA4H = 297;

bool inside(const PdfBox& b, double x, double y) { return x >= b.x && x <= b.x + b.w && y >= b.y && y <= b.y + b.h; }

double cx(const PdfText& t) { return t.x + t.w / 2; }
double cy(const PdfText& t) { return t.y + t.h / 2; }

// Box a holds box b (1 mm slack) and is larger.
bool holds(const PdfBox& a, const PdfBox& b) {
    const double s = 1.0;
    return b.x >= a.x - s && b.x + b.w <= a.x + a.w + s && b.y >= a.y - s && b.y + b.h <= a.y + a.h + s &&
           a.w * a.h > b.w * b.h * 1.05;
}

// Words of the form's labels and the id (and the usual binding) they stand
// for, most specific first: 生年月日 before 年月日, フリガナ before 氏名.
struct Meaning {
    const char* word;
    const char* id;
    const char* from;
};
const Meaning kMeanings[] = {
    {"生年月日", "birth_date", "card.birth_date"},
    {"フリガナ", "kana", "question"},
    {"ふりがな", "kana", "question"},
    {"個人番号", "my_number", "card.my_number"},
    {"マイナンバー", "my_number", "card.my_number"},
    {"郵便番号", "postal_code", "question"},
    {"電話", "phone", "question"},
    {"連絡先", "phone", "question"},
    {"世帯主", "householder", "question"},
    {"筆頭者", "hittousha", "question"},
    {"本籍", "honseki", "question"},
    {"続柄", "relationship", "question"},
    {"代理人", "agent", "none"},
    {"氏名", "name", "card.name"},
    {"名前", "name", "card.name"},
    {"住所", "address", "card.address"},
    {"性別", "sex", "card.sex"},
    {"署名", "signature", "none"},
    {"記名", "signature", "none"},
    {"印鑑", "seal", "none"},
    {"登録番号", "registration_number", "question"},
    {"通数", "copies", "question"},
    {"枚数", "copies", "question"},
    {"使用目的", "purpose", "question"},
    {"目的", "purpose", "question"},
    {"提出先", "submit_to", "question"},
    {"届出日", "date", "today"},
    {"申請日", "date", "today"},
    {"請求日", "date", "today"},
    {"年月日", "date", "today"},
    {"日付", "date", "today"},
    {"備考", "note", "none"},
    {"受付", "office_use", "none"},
    {"職員", "office_use", "none"},
    {"印", "seal", "none"},
};

// An ASCII label made an id ("Phone number" -> phone_number); empty when the label is not ASCII words.
std::string ascii_slug(const std::string& label) {
    std::string s;
    int letters = 0;
    for (char c : label) {
        const auto u = static_cast<unsigned char>(c);
        if (u >= 0x80) return "";
        if (std::isalnum(u)) {
            s += static_cast<char>(std::tolower(u));
            letters += std::isalpha(u) ? 1 : 0;
        } else if (!s.empty() && s.back() != '_') {
            s += '_';
        }
    }
    while (!s.empty() && s.back() == '_') s.pop_back();
    if (letters < 2 || s.size() > 40) return "";
    if (std::isdigit(static_cast<unsigned char>(s[0]))) s = "f_" + s;
    return s;
}

std::string two_digits(std::size_t n) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%02zu", n);
    return buf;
}

// "..." in TOML: quotes, backslashes and control characters escaped.
std::string quoted(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        if (static_cast<unsigned char>(c) < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
            out += buf;
            continue;
        }
        out += c;
    }
    return out + "\"";
}

std::string mm(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", std::round(v * 10) / 10);
    return buf;
}

}  // namespace

ProposedTemplate propose_template(const PdfFormPage& page) {
    ProposedTemplate p;
    // Positions are kept on A4 (the template's page): another paper size is scaled to it.
    const double sx = page.width_mm > 0 ? kA4W / page.width_mm : 1, sy = page.height_mm > 0 ? kA4H / page.height_mm : 1;
    std::vector<PdfText> texts = page.texts;
    for (auto& t : texts) t = {t.text, t.x * sx, t.y * sy, t.w * sx, t.h * sy};
    std::vector<PdfBox> boxes = page.boxes;
    for (auto& b : boxes) b = {b.x * sx, b.y * sy, b.w * sx, b.h * sy, b.cells};
    // A line to write on (氏名 ＿＿＿＿) is a field as high as a line of writing above it.
    const std::size_t closed = boxes.size();
    for (const PdfBox& r : page.rules) {
        const double h = std::min(8.0, r.y * sy);
        boxes.push_back({r.x * sx, r.y * sy - h, r.w * sx, h, 1});
    }

    // The title: the largest text near the top, clearly larger than the rest.
    std::vector<double> heights;
    for (const auto& t : texts) heights.push_back(t.h);
    std::sort(heights.begin(), heights.end());
    const double median = heights.empty() ? 0 : heights[heights.size() / 2];
    std::optional<std::size_t> title;
    for (std::size_t i = 0; i < texts.size(); ++i)
        if (texts[i].y < 40 && texts[i].h >= 1.25 * median && (!title || texts[i].h > texts[*title].h)) title = i;
    if (title) p.title = texts[*title].text;

    // Each text belongs to the smallest box around its centre.
    std::vector<std::optional<std::size_t>> owner(texts.size());
    for (std::size_t i = 0; i < texts.size(); ++i)
        for (std::size_t b = 0; b < closed; ++b)
            if (inside(boxes[b], cx(texts[i]), cy(texts[i])) &&
                (!owner[i] || boxes[b].w * boxes[b].h < boxes[*owner[i]].w * boxes[*owner[i]].h))
                owner[i] = b;

    enum class Role { Field, LabelCell, Frame };
    std::vector<Role> role(boxes.size(), Role::Field);
    std::vector<std::optional<std::size_t>> caption(boxes.size());  // a text inside, at the top-left
    for (std::size_t b = 0; b < boxes.size(); ++b) {
        const PdfBox& box = boxes[b];
        if (b >= closed) continue;  // above a line: named from outside
        if (std::any_of(boxes.begin(), boxes.begin() + static_cast<std::ptrdiff_t>(closed),
                        [&](const PdfBox& o) { return &o != &box && holds(box, o); })) {
            role[b] = Role::Frame;  // a frame around other boxes
            continue;
        }
        if (box.cells > 1) continue;  // a grid's cells hold characters, not a caption
        std::optional<std::size_t> first;
        for (std::size_t i = 0; i < texts.size(); ++i) {
            if (owner[i] != b || (title && i == *title)) continue;
            if (!first || texts[i].y < texts[*first].y - 1 || (texts[i].y < texts[*first].y + 1 && texts[i].x < texts[*first].x))
                first = i;
        }
        if (!first) continue;
        // A caption at the box's top-left with room for a value below or beside
        // it names the field; text anywhere else makes a cell that only labels.
        const PdfText& c = texts[*first];
        const bool top_left = c.x - box.x < 4 && c.y - box.y < 2;
        const double below = box.y + box.h - (c.y + c.h), beside = box.x + box.w - (c.x + c.w);
        if (top_left && (below >= 3.5 || beside >= std::max(20.0, 0.5 * box.w)))
            caption[b] = first;
        else
            role[b] = Role::LabelCell;
    }

    std::set<std::size_t> used_as_caption;
    for (const auto& c : caption)
        if (c) used_as_caption.insert(*c);
    std::map<std::string, int> ids;
    std::size_t n = 0;
    for (std::size_t b = 0; b < boxes.size(); ++b) {
        const PdfBox& box = boxes[b];
        if (role[b] == Role::LabelCell) continue;
        ProposedField f;
        f.box = box;
        if (role[b] == Role::Frame) {
            f.kind = "box";
            p.fields.push_back(f);
            continue;
        }
        ++n;
        const bool check = box.cells == 1 && box.w <= 8 && box.h <= 8 && std::abs(box.w - box.h) <= 2;
        f.kind = box.cells > 1 ? "grid" : check ? "check" : "field";
        std::optional<std::size_t> label = caption[b];
        f.label_inside = label.has_value();
        if (!label) {
            // The nearest text outside a field: on its left or above it (a check box's: on its right).
            double best = 1e9;
            for (std::size_t i = 0; i < texts.size(); ++i) {
                if (used_as_caption.count(i) || (title && i == *title)) continue;
                if (owner[i] && role[*owner[i]] == Role::Field) continue;
                const PdfText& t = texts[i];
                double d = 1e9;
                const bool same_row = cy(t) >= box.y - 1 && cy(t) <= box.y + box.h + 1;
                if (same_row && t.x + t.w <= box.x + 1) d = box.x - (t.x + t.w);
                if (same_row && check && t.x >= box.x + box.w - 1) d = std::min(d, (t.x - (box.x + box.w)) * 0.8);
                if (t.y + t.h <= box.y + 1 && t.x < box.x + box.w && t.x + t.w > box.x)
                    d = std::min(d, (box.y - (t.y + t.h)) * 1.5);
                if (d < best && d <= (check ? 25.0 : 35.0)) {
                    best = d;
                    label = i;
                }
            }
        }
        if (label) f.label = texts[*label].text;
        std::string id;
        for (const Meaning& m : kMeanings)
            if (f.label.find(m.word) != std::string::npos) {
                id = m.id;
                f.suggest = m.from;
                break;
            }
        if (id.empty()) id = ascii_slug(f.label);
        if (id.empty()) id = "field_" + two_digits(n);
        if (check && id.rfind("field_", 0) != 0) id += "_check";
        const int seen = ++ids[id];
        f.id = seen == 1 ? id : id + "_" + std::to_string(seen);
        if (f.label.empty()) f.label = "項目" + two_digits(n);
        p.fields.push_back(f);
    }
    if (n == 0) {
        // Nothing to write in was found: one example field to copy.
        ProposedField f;
        f.id = "field_01";
        f.label = "項目01";
        f.kind = "field";
        f.box = {15, 30, 90, 12, 1};
        p.fields.push_back(f);
    }
    for (std::size_t i = 0; i < texts.size(); ++i)
        if (!used_as_caption.count(i) && !(title && i == *title)) p.labels.push_back(texts[i]);
    return p;
}

std::string starter_toml(const ProposedTemplate& p, const std::string& id, const std::string& background,
                         const std::string& source_pdf, const std::string& today) {
    std::size_t fields = 0;
    for (const auto& f : p.fields) fields += f.kind != "box";
    const std::string title = p.title.empty() ? "（様式名）" : p.title;
    std::string o;
    o += "# " + title + " — a starter made from " + source_pdf + " by `kakanai-forms new --from-pdf`.\n";
    o += "# Every field below is a PROPOSAL: a box found on the town's form (" + std::to_string(fields) +
         " fields), named\n# after the label nearest to it. To finish the template:\n";
    o += "#   1. bind each field: replace the placeholder `from = \"none\"` (marked TO BIND)\n"
         "#      with card.name, card.address, ..., question (with `question` in ja, en, easy),\n"
         "#      today, fixed (with `value`) or field.<id>, and set its `type`;\n"
         "#   2. give fields the ids other forms use for the same question (applicant_phone, ...);\n"
         "#   3. fill department, source, the title's en and easy; delete boxes you do not need;\n"
         "#   4. check it: kakanai-forms validate FILE, kakanai-forms preview " + id + " --out /tmp/" + id + ".pdf\n";
    o += "# Format: docs/templates.md. Positions are mm from the top-left of A4.\n";
    o += "format = 1\n";
    o += "id = " + quoted(id) + "\n";
    o += "version = 1\n";
    o += "valid_from = " + today + "\n";
    o += "department = \"（担当課）\"        # TO FILL: the 課 that receives the form\n";
    o += "source = " + quoted("（根拠法令・様式名と入手先） " + source_pdf) + "   # TO FILL\n";
    o += "checked = " + today + "\n";
    o += "title = { ja = " + quoted(title) + ", en = \"(Form title)\", easy = \"（ようしきの なまえ）\" }  # TO FILL: en, easy\n";
    o += "print = \"full\"                # or \"overlay\": only the values, onto the town's pre-printed paper\n";
    o += "background = " + quoted(background) + "   # the town's page, shown on screen and in previews\n";
    for (const auto& f : p.fields) {
        if (f.kind == "box") continue;
        o += "\n[[fields]]\n";
        o += "id = " + quoted(f.id) + "\n";
        o += std::string("type = ") + (f.kind == "check" ? "\"checkbox\"" : "\"text\"") + "\n";
        o += "from = \"none\"   # TO BIND (placeholder)";
        if (!f.suggest.empty() && f.suggest != "none") o += ": usually from = \"" + f.suggest + "\"";
        o += "\n";
        o += "label = { ja = " + quoted(f.label) + " }\n";
    }
    o += "\n# The boxes and the form's text as found on the page; move and resize them to taste.\n";
    o += "[page]\nitems = [\n";
    for (const auto& f : p.fields) {
        const std::string pos =
            "x = " + mm(f.box.x) + ", y = " + mm(f.box.y) + ", w = " + mm(f.box.w) + ", h = " + mm(f.box.h);
        if (f.kind == "box") o += "  { kind = \"box\", " + pos + " },\n";
        else if (f.kind == "grid")
            o += "  { kind = \"grid\", field = " + quoted(f.id) + ", cells = " + std::to_string(f.box.cells) + ", " +
                 pos + " },\n";
        else if (f.kind == "check") o += "  { kind = \"check\", field = " + quoted(f.id) + ", " + pos + " },\n";
        else
            o += "  { field = " + quoted(f.id) + ", " + pos + (f.label_inside ? "" : ", label = false") + " },\n";
    }
    for (const auto& t : p.labels) {
        // The box around the text, with room for the printer's font; the size from the text's height.
        const double x = std::max(0.0, t.x - 1.5), y = std::max(0.0, t.y - 0.4);
        // Not below 7 pt, the smallest size the printer's fitting tries.
        const double size = std::clamp(std::round(t.h * 72 / 25.4 * 0.85 * 2) / 2, 7.0, 48.0);
        const double w = std::min(kA4W - x, t.w + 5.0), h = std::min(kA4H - y, std::max(t.h, size * 25.4 / 72) + 0.8);
        o += "  { kind = \"label\", text = { ja = " + quoted(t.text) + " }, x = " + mm(x) + ", y = " + mm(y) +
             ", w = " + mm(w) + ", h = " + mm(h) + ", size = " + mm(size) + " },\n";
    }
    o += "]\n";
    return o;
}

}  // namespace kakanai::printing
