#include "kakanai/forms/condition.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>

namespace kakanai::forms {

struct Condition::Node {
    enum class Kind { Or, And, Not, Compare, In, Truth, Literal, Name, DaysSince };
    Kind kind = Kind::Literal;
    std::string op;    // Compare: == != < <= > >=
    std::string text;  // Literal: the value; Name: the name (answers.x, age, ...)
    bool number = false;  // Literal: written as a number
    std::vector<std::shared_ptr<const Node>> kids;
};

namespace {

using Node = Condition::Node;
using NodeP = std::shared_ptr<const Node>;

struct Token {
    enum class Kind { Name, Number, String, Op, End };
    Kind kind = Kind::End;
    std::string text;
    int column = 1;
};

bool is_name_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-';
}

std::vector<Token> tokenize(const std::string& s) {
    std::vector<Token> out;
    std::size_t i = 0;
    while (i < s.size()) {
        const char c = s[i];
        const int col = static_cast<int>(i) + 1;
        if (c == ' ' || c == '\t') {
            ++i;
        } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
            std::size_t j = i;
            while (j < s.size() && is_name_char(s[j])) ++j;
            out.push_back({Token::Kind::Name, s.substr(i, j - i), col});
            i = j;
        } else if (std::isdigit(static_cast<unsigned char>(c))) {
            std::size_t j = i;
            while (j < s.size() && (std::isdigit(static_cast<unsigned char>(s[j])) || s[j] == '-')) ++j;
            out.push_back({Token::Kind::Number, s.substr(i, j - i), col});
            i = j;
        } else if (c == '\'' || c == '"') {
            const auto end = s.find(c, i + 1);
            if (end == std::string::npos) throw ConditionError("unclosed text: a quote is missing", col);
            out.push_back({Token::Kind::String, s.substr(i + 1, end - i - 1), col});
            i = end + 1;
        } else if (s.compare(i, 2, "==") == 0 || s.compare(i, 2, "!=") == 0 || s.compare(i, 2, "<=") == 0 ||
                   s.compare(i, 2, ">=") == 0) {
            out.push_back({Token::Kind::Op, s.substr(i, 2), col});
            i += 2;
        } else if (c == '<' || c == '>' || c == '(' || c == ')' || c == '[' || c == ']' || c == ',') {
            out.push_back({Token::Kind::Op, std::string(1, c), col});
            ++i;
        } else if (c == '=') {
            throw ConditionError("`=` is not an operator: compare with `==`", col);
        } else {
            // Byte-wise: a multi-byte character is shown whole.
            std::size_t len = 1;
            const auto u = static_cast<unsigned char>(c);
            if (u >= 0xF0) len = 4;
            else if (u >= 0xE0) len = 3;
            else if (u >= 0xC0) len = 2;
            throw ConditionError("unexpected character `" + s.substr(i, len) + "`", col);
        }
    }
    out.push_back({Token::Kind::End, "", static_cast<int>(s.size()) + 1});
    return out;
}

// Names a condition may use besides answers.<id>; the yes/no ones may stand alone.
bool known_name(const std::string& n) {
    return n == "age" || n == "card.sex" || n == "card.birth_date" || n == "card_read" || n == "today" ||
           n == "nationality" || n == "relationship";
}

bool yes_no_name(const std::string& n) { return n == "card_read" || n.rfind("answers.", 0) == 0; }

// A leading minus only comes from days_since() of a later date; literals are never negative.
bool is_whole_number(const std::string& s) {
    const std::size_t start = !s.empty() && s[0] == '-' ? 1 : 0;
    if (s.size() <= start || s.size() - start > 9) return false;
    return std::all_of(s.begin() + static_cast<std::ptrdiff_t>(start), s.end(),
                       [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

bool is_iso_date(const std::string& s) {
    return s.size() == 10 && s[4] == '-' && s[7] == '-' &&
           std::all_of(s.begin(), s.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)) || c == '-'; });
}

class Parser {
public:
    explicit Parser(const std::string& text) : toks_(tokenize(text)) {}

    NodeP parse(std::vector<std::string>& answers) {
        if (peek().kind == Token::Kind::End) throw ConditionError("the condition is empty", 1);
        NodeP n = parse_or();
        if (peek().kind != Token::Kind::End)
            throw ConditionError("unexpected `" + peek().text + "` after a complete condition (missing `and` / `or`?)",
                                 peek().column);
        answers = std::move(answers_);
        return n;
    }

private:
    const Token& peek() const { return toks_[pos_]; }
    bool at_word(const char* w) const { return peek().kind == Token::Kind::Name && peek().text == w; }
    bool at_op(const char* o) const { return peek().kind == Token::Kind::Op && peek().text == o; }

    static NodeP make(Node::Kind k, std::vector<NodeP> kids, std::string op = {}) {
        auto n = std::make_shared<Node>();
        n->kind = k;
        n->kids = std::move(kids);
        n->op = std::move(op);
        return n;
    }

    NodeP parse_or() {
        NodeP l = parse_and();
        while (at_word("or")) {
            ++pos_;
            l = make(Node::Kind::Or, {l, parse_and()});
        }
        return l;
    }

    NodeP parse_and() {
        NodeP l = parse_not();
        while (at_word("and")) {
            ++pos_;
            l = make(Node::Kind::And, {l, parse_not()});
        }
        return l;
    }

    NodeP parse_not() {
        if (at_word("not")) {
            ++pos_;
            return make(Node::Kind::Not, {parse_not()});
        }
        return parse_compare();
    }

    NodeP parse_compare() {
        if (at_op("(")) {
            ++pos_;
            NodeP inner = parse_or();
            if (!at_op(")")) throw ConditionError("expected `)`", peek().column);
            ++pos_;
            return inner;
        }
        const Token first = peek();
        NodeP l = parse_value();
        static const char* ops[] = {"==", "!=", "<=", ">=", "<", ">"};
        for (const char* o : ops)
            if (at_op(o)) {
                const Token op = peek();
                ++pos_;
                const Token second = peek();
                NodeP r = parse_value();
                if (op.text != "==" && op.text != "!=")
                    for (const NodeP& side : {l, r})
                        if (side->kind == Node::Kind::Literal && !side->number && !is_iso_date(side->text))
                            throw ConditionError("`" + op.text + "` compares numbers or dates (YYYY-MM-DD)",
                                                 side == l ? first.column : second.column);
                return make(Node::Kind::Compare, {l, r}, op.text);
            }
        if (at_word("in")) {
            ++pos_;
            if (!at_op("[")) throw ConditionError("expected `[` after `in`", peek().column);
            ++pos_;
            std::vector<NodeP> kids{l};
            for (;;) {
                if (peek().kind != Token::Kind::String && peek().kind != Token::Kind::Number)
                    throw ConditionError("expected a quoted text or a number in the list", peek().column);
                kids.push_back(parse_value());
                if (at_op(",")) {
                    ++pos_;
                    continue;
                }
                if (!at_op("]")) throw ConditionError("expected `,` or `]`", peek().column);
                ++pos_;
                break;
            }
            return make(Node::Kind::In, std::move(kids));
        }
        // A value standing alone: yes/no names and true/false only.
        if (l->kind == Node::Kind::DaysSince)
            throw ConditionError("`days_since(...)` is a number of days: compare it, e.g. `days_since(" +
                                     l->kids[0]->text + ") > 14`",
                                 first.column);
        if (l->kind == Node::Kind::Name && !yes_no_name(l->text))
            throw ConditionError("`" + l->text + "` is not a yes/no value: compare it, e.g. `" + l->text +
                                     (l->text == "age" ? " >= 65`" : " == '...'`"),
                                 first.column);
        if (l->kind == Node::Kind::Literal && l->text != "true" && l->text != "false")
            throw ConditionError("`" + first.text + "` alone is not a condition", first.column);
        return make(Node::Kind::Truth, {l});
    }

    NodeP parse_value() {
        const Token t = peek();
        auto n = std::make_shared<Node>();
        switch (t.kind) {
            case Token::Kind::Number:
                n->kind = Node::Kind::Literal;
                n->number = is_whole_number(t.text);
                n->text = t.text;
                if (!n->number && !is_iso_date(t.text))
                    throw ConditionError("`" + t.text + "` is neither a whole number nor a date (YYYY-MM-DD)", t.column);
                break;
            case Token::Kind::String:
                n->kind = Node::Kind::Literal;
                n->text = t.text;
                break;
            case Token::Kind::Name:
                if (t.text == "true" || t.text == "false") {
                    n->kind = Node::Kind::Literal;
                    n->text = t.text;
                    break;
                }
                if (t.text == "and" || t.text == "or" || t.text == "not" || t.text == "in")
                    throw ConditionError("expected a value before `" + t.text + "`", t.column);
                if (t.text == "days_since") return parse_days_since();
                n->kind = Node::Kind::Name;
                n->text = t.text;
                if (t.text.rfind("answers.", 0) == 0) {
                    const std::string id = t.text.substr(8);
                    if (id.empty() || id.find('.') != std::string::npos)
                        throw ConditionError("`answers.` is followed by one question id", t.column);
                    if (std::find(answers_.begin(), answers_.end(), id) == answers_.end()) answers_.push_back(id);
                } else if (t.text == "nationality") {
                    // The answer to the question `nationality`: decided once that is answered.
                    if (std::find(answers_.begin(), answers_.end(), t.text) == answers_.end()) answers_.push_back(t.text);
                } else if (!known_name(t.text)) {
                    throw ConditionError("unknown name `" + t.text +
                                             "` (use age, card.sex, card.birth_date, card_read, today, "
                                             "nationality, relationship, days_since(<date>) or answers.<question id>)",
                                         t.column);
                }
                break;
            case Token::Kind::Op:
            case Token::Kind::End:
                throw ConditionError(t.kind == Token::Kind::End ? "the condition ends too early: a value is missing"
                                                                : "expected a value, found `" + t.text + "`",
                                     t.column);
        }
        ++pos_;
        return n;
    }

    // days_since(<date>): whole days from that date to the day of the errand
    // (negative for a later date), e.g. a 転入届 filed late: days_since(answers.move_date) > 14.
    NodeP parse_days_since() {
        const Token fn = peek();
        ++pos_;
        if (!at_op("(")) throw ConditionError("expected `(` after `days_since`", peek().column);
        ++pos_;
        const Token arg = peek();
        if (arg.kind != Token::Kind::Name || (arg.text.rfind("answers.", 0) != 0 && arg.text != "card.birth_date"))
            throw ConditionError("`days_since` takes a date: answers.<question id> or card.birth_date", arg.column);
        NodeP inner = parse_value();
        if (!at_op(")")) throw ConditionError("expected `)` after the date of `days_since`", peek().column);
        ++pos_;
        auto n = std::make_shared<Node>();
        n->kind = Node::Kind::DaysSince;
        n->text = fn.text;
        n->kids = {inner};
        return n;
    }

    std::vector<Token> toks_;
    std::size_t pos_ = 0;
    std::vector<std::string> answers_;
};

std::optional<std::chrono::sys_days> day_of(const std::string& iso) {
    int y, m, d;
    if (!is_iso_date(iso) || std::sscanf(iso.c_str(), "%d-%d-%d", &y, &m, &d) != 3) return std::nullopt;
    const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(m)},
                                          std::chrono::day{static_cast<unsigned>(d)}};
    if (!ymd.ok()) return std::nullopt;
    return std::chrono::sys_days{ymd};
}

std::string value_of(const Node& n, const Facts& f);

std::string days_since(const Node& n, const Facts& f) {
    const auto from = day_of(value_of(*n.kids[0], f));
    const auto to = day_of(f.today);
    if (!from || !to) return {};  // no answer yet: decides nothing
    return std::to_string((*to - *from).count());
}

std::string value_of(const Node& n, const Facts& f) {
    if (n.kind == Node::Kind::Literal) return n.text;
    if (n.kind == Node::Kind::DaysSince) return days_since(n, f);
    const std::string& name = n.text;
    if (name.rfind("answers.", 0) == 0) {
        if (!f.answers) return {};
        auto it = f.answers->find(name.substr(8));
        return it == f.answers->end() ? std::string() : it->second;
    }
    if (name == "age") {
        const auto a = age_on(f.birth_date, f.today);
        return a ? std::to_string(*a) : std::string();
    }
    if (name == "card.sex") return f.sex;
    if (name == "card.birth_date") return f.birth_date;
    if (name == "card_read") return f.card_read ? "true" : "false";
    if (name == "today") return f.today;
    if (name == "relationship") return f.relationship;
    if (name == "nationality") {
        if (!f.answers) return {};
        auto it = f.answers->find("nationality");
        return it == f.answers->end() ? std::string() : it->second;
    }
    return {};
}

bool eval(const Node& n, const Facts& f) {
    switch (n.kind) {
        case Node::Kind::Or: return eval(*n.kids[0], f) || eval(*n.kids[1], f);
        case Node::Kind::And: return eval(*n.kids[0], f) && eval(*n.kids[1], f);
        case Node::Kind::Not: return !eval(*n.kids[0], f);
        case Node::Kind::Truth: return value_of(*n.kids[0], f) == "true";
        case Node::Kind::In: {
            const std::string v = value_of(*n.kids[0], f);
            for (std::size_t i = 1; i < n.kids.size(); ++i)
                if (v == n.kids[i]->text) return true;
            return false;
        }
        case Node::Kind::Compare: {
            const std::string a = value_of(*n.kids[0], f), b = value_of(*n.kids[1], f);
            const bool numbers = is_whole_number(a) && is_whole_number(b);
            if (n.op == "==") return numbers ? std::stol(a) == std::stol(b) : a == b;
            if (n.op == "!=") return numbers ? std::stol(a) != std::stol(b) : a != b;
            int cmp;
            if (numbers) cmp = std::stol(a) < std::stol(b) ? -1 : std::stol(a) > std::stol(b) ? 1 : 0;
            else if (is_iso_date(a) && is_iso_date(b)) cmp = a.compare(b);
            else return false;  // an unknown age or an unanswered number decides nothing
            if (n.op == "<") return cmp < 0;
            if (n.op == "<=") return cmp <= 0;
            if (n.op == ">") return cmp > 0;
            return cmp >= 0;
        }
        case Node::Kind::Literal:
        case Node::Kind::Name:
        case Node::Kind::DaysSince: return value_of(n, f) == "true";
    }
    return false;
}

}  // namespace

std::optional<int> age_on(const std::string& birth, const std::string& today) {
    int by, bm, bd, ty, tm, td;
    if (!is_iso_date(birth) || !is_iso_date(today)) return std::nullopt;
    if (std::sscanf(birth.c_str(), "%d-%d-%d", &by, &bm, &bd) != 3) return std::nullopt;
    if (std::sscanf(today.c_str(), "%d-%d-%d", &ty, &tm, &td) != 3) return std::nullopt;
    int age = ty - by;
    if (tm < bm || (tm == bm && td < bd)) --age;
    if (age < 0) return std::nullopt;
    return age;
}

Condition Condition::parse(const std::string& text) {
    Condition c;
    c.text_ = text;
    c.root_ = Parser(text).parse(c.answers_);
    return c;
}

bool Condition::holds(const Facts& facts) const { return !root_ || eval(*root_, facts); }

namespace {
// The question an answer name stands for (`answers.x` -> x, `nationality` -> nationality).
std::string question_of(const Node& n) {
    if (n.kind != Node::Kind::Name) return {};
    if (n.text.rfind("answers.", 0) == 0) return n.text.substr(8);
    return n.text == "nationality" ? n.text : std::string();
}

void collect_compared(const Node& n, std::vector<std::pair<std::string, std::string>>& out) {
    if (n.kind == Node::Kind::Compare && (n.op == "==" || n.op == "!=")) {
        for (int i = 0; i < 2; ++i) {
            const Node& a = *n.kids[static_cast<std::size_t>(i)];
            const Node& b = *n.kids[static_cast<std::size_t>(1 - i)];
            const std::string q = question_of(a);
            if (!q.empty() && b.kind == Node::Kind::Literal && !b.number) out.emplace_back(q, b.text);
        }
    } else if (n.kind == Node::Kind::In) {
        const std::string q = question_of(*n.kids[0]);
        if (!q.empty())
            for (std::size_t i = 1; i < n.kids.size(); ++i) out.emplace_back(q, n.kids[i]->text);
    }
    for (const auto& k : n.kids) collect_compared(*k, out);
}
}  // namespace

std::vector<std::pair<std::string, std::string>> Condition::compared_values() const {
    std::vector<std::pair<std::string, std::string>> out;
    if (root_) collect_compared(*root_, out);
    return out;
}

bool Condition::decided(const Answers& given) const {
    return std::all_of(answers_.begin(), answers_.end(), [&](const std::string& id) { return given.count(id) > 0; });
}

bool may_apply(const Condition& form_when, const Facts& facts) {
    static const Answers none;
    return form_when.holds(facts) || !form_when.decided(facts.answers ? *facts.answers : none);
}

bool question_applies(const Condition& own, const std::vector<Condition>& forms, const Facts& facts) {
    if (!own.holds(facts)) return false;
    return forms.empty() ||
           std::any_of(forms.begin(), forms.end(), [&](const Condition& w) { return may_apply(w, facts); });
}

}  // namespace kakanai::forms
