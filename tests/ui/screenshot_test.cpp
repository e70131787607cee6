// Runs the kiosk under the X display (Xvfb in make test) with scripted
// sessions (tests/ui/scripts) and checks every screenshot: not blank, and the
// text on each large background reaches 7:1 contrast.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <stb/stb_image.h>

#include <signal.h>

#include <cmath>
#include <ctime>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <regex>
#include <set>
#include <thread>

#include "kakanai/forms/inputs.hpp"
#include "kakanai/forms/template.hpp"
#include "kakanai/forms/wareki.hpp"
#include "kakanai/printing/cups.hpp"
#include "kakanai/store/store.hpp"
#include "test_support.hpp"

using namespace kakanai;

namespace {

double luminance(unsigned c) {
    auto ch = [](unsigned v) {
        const double s = v / 255.0;
        return s <= 0.04045 ? s / 12.92 : std::pow((s + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * ch(c >> 16 & 0xFF) + 0.7152 * ch(c >> 8 & 0xFF) + 0.0722 * ch(c & 0xFF);
}

double contrast(unsigned a, unsigned b) {
    const double la = luminance(a), lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

struct Shot {
    int w = 0, h = 0;
    double non_background = 0;  // share of pixels that are not the commonest colour
    std::size_t colours = 0;
    // For each background covering >= 3% of the screen: the best contrast of
    // the text drawn on it (pixels enclosed left and right by that background).
    std::map<unsigned, double> text_contrast;
};

Shot analyse(const std::filesystem::path& png) {
    Shot s;
    int n = 0;
    unsigned char* px = stbi_load(png.c_str(), &s.w, &s.h, &n, 3);
    if (!px) return s;
    const std::size_t total = static_cast<std::size_t>(s.w) * static_cast<std::size_t>(s.h);
    std::vector<unsigned> img(total);
    std::map<unsigned, std::size_t> hist;
    for (std::size_t i = 0; i < total; ++i) {
        img[i] = unsigned{px[3 * i]} << 16 | unsigned{px[3 * i + 1]} << 8 | px[3 * i + 2];
        ++hist[img[i]];
    }
    stbi_image_free(px);
    s.colours = hist.size();
    std::size_t top = 0;
    for (const auto& [c, k] : hist) top = std::max(top, k);
    s.non_background = 1.0 - static_cast<double>(top) / static_cast<double>(total);
    for (const auto& [bg, k] : hist) {
        if (static_cast<double>(k) < 0.03 * static_cast<double>(total)) continue;
        std::map<unsigned, std::size_t> inside;
        const int reach = 6;
        for (int y = 0; y < s.h; ++y) {
            const unsigned* row = img.data() + static_cast<std::size_t>(y) * static_cast<std::size_t>(s.w);
            for (int x = reach; x + reach < s.w; ++x) {
                if (row[x] == bg) continue;
                bool left = false, right = false;
                for (int d = 1; d <= reach; ++d) {
                    left = left || row[x - d] == bg;
                    right = right || row[x + d] == bg;
                }
                if (left && right) ++inside[row[x]];
            }
        }
        double best = 0;
        std::size_t count = 0;
        for (const auto& [c, m] : inside) count += m;
        if (count < 300) continue;  // nothing written on this background
        for (const auto& [c, m] : inside)
            if (m >= 30) best = std::max(best, contrast(c, bg));
        s.text_contrast[bg] = best;
    }
    return s;
}

std::string kiosk() { return (test::binary_dir() / "kiosk/kakanai-kiosk").string(); }
std::string staff() { return (test::binary_dir() / "kiosk/kakanai-staff").string(); }

struct Case {
    const char* script;
    const char* size;
    int min_shots;
    const char* name = nullptr;  // when a script runs at a second size
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.script << " at " << c.size; }

class Scripted : public ::testing::TestWithParam<Case> {};

}  // namespace

TEST_P(Scripted, RunsAndEveryScreenshotIsReadable) {
    ASSERT_NE(std::getenv("DISPLAY"), nullptr) << "run through scripts/with-services (make test)";
    const Case c = GetParam();
    test::TempDir dir;
    const auto shots = dir / "shots";
    std::filesystem::create_directories(dir / "tmp");
    const auto r = test::run("TMPDIR=" + (dir / "tmp").string() + " " + kiosk() + " --size " + c.size + " --script " +
                             (test::source_dir() / "tests/ui/scripts" / (std::string(c.script) + ".script")).string() +
                             " --screenshots " + shots.string() + " --output " + (dir / "out").string() + " --data " +
                             (dir / "data").string() + " 2>&1");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    // The run's output never shows a PIN typed in the scripts.
    for (const char* pin : {"1234", "1111", "2222", "5678"}) EXPECT_EQ(r.output.find(pin), std::string::npos) << pin;
    int n = 0;
    for (const auto& e : std::filesystem::directory_iterator(shots)) {
        ++n;
        const std::string name = e.path().filename().string();
        const Shot s = analyse(e.path());
        EXPECT_GT(s.non_background, 0.02) << name;
        EXPECT_GT(s.colours, 10u) << name;
        EXPECT_FALSE(s.text_contrast.empty()) << name;
        for (const auto& [bg, ratio] : s.text_contrast)
            EXPECT_GE(ratio, 7.0) << name << ": text on background #" << std::hex << bg;
    }
    EXPECT_GE(n, c.min_shots);
    const std::string script = c.script;
    if (script == "tampered" || script == "bad_signature" || script == "no_integrity") {
        // Refused: the store holds the refused session and nothing else; no PDF, no card data in the log.
        auto store = store::open_sqlite(dir / "data" / "store.db", dir / "data" / "seal.key");
        const auto sessions = store->sessions(0, INT64_MAX);
        ASSERT_EQ(sessions.size(), 1u);
        EXPECT_TRUE(sessions[0].refused);
        EXPECT_FALSE(sessions[0].card_read);
        EXPECT_FALSE(sessions[0].completed);
        EXPECT_TRUE(store->queue().empty());
        // The audit holds only the call for staff: a kiosk and a reason code, nothing of the card.
        for (const auto& a : store->audit(0, INT64_MAX)) {
            EXPECT_EQ(a.action, "call") << a.to_string();
            EXPECT_TRUE(a.application_id.empty()) << a.to_string();
            EXPECT_NE(a.detail.find("reason=card_refused"), std::string::npos) << a.to_string();
        }
        EXPECT_TRUE(store->ratings(0, INT64_MAX).empty());
        EXPECT_TRUE(!std::filesystem::exists(dir / "out") || std::filesystem::is_empty(dir / "out"));
        EXPECT_NE(r.output.find("called staff: card_refused"), std::string::npos) << r.output;
        for (const char* personal : {"改ざん", "別人宅", "高砂", "署名 不正", "基町", "検証 不能", "札幌"})
            EXPECT_EQ(r.output.find(personal), std::string::npos) << personal;
    }
    if (script == "juminhyo" || script == "bundle" || script == "visit_number") {
        // One short number for the visit: exactly one log line names it with its
        // forms; the internal application ids never reach the log.
        const std::string forms = script == "juminhyo" ? "1 form" : script == "bundle" ? "2 forms" : "5 forms";
        const std::string line = "kakanai-kiosk: visit 1 submitted: " + forms + "\n";
        const auto at = r.output.find(line);
        EXPECT_NE(at, std::string::npos) << r.output;
        EXPECT_EQ(r.output.find(" submitted: "), at + line.find(" submitted: ")) << r.output;
        EXPECT_EQ(r.output.rfind(" submitted: "), r.output.find(" submitted: ")) << "one line per visit\n" << r.output;
        auto staff = store::open_sqlite(dir / "data" / "store.db", dir / "data" / "seal.key");
        const auto queue = staff->queue();
        EXPECT_EQ(queue.size(), script == "juminhyo" ? 1u : script == "bundle" ? 2u : 5u);
        for (const auto& q : queue) {
            EXPECT_EQ(q.app.visit_number, 1) << q.app.id;
            EXPECT_EQ(r.output.find(q.app.id), std::string::npos) << "the log names application " << q.app.id;
        }
        const auto visit = staff->visit(queue.at(0).app.visit_day, 1);
        ASSERT_TRUE(visit.has_value());
        EXPECT_EQ(visit->application_ids.size(), queue.size());
    }
    if (script == "household") {
        // A household of three moving in, in one visit: the holder's card and PIN, the
        // spouse's own card and PIN, a child without a card (続柄 子, born six years ago).
        auto staff = store::open_sqlite(dir / "data" / "store.db", dir / "data" / "seal.key");
        std::map<std::string, std::map<std::string, store::FieldValue>> got;  // template -> field id -> value
        std::set<int> visits;
        for (const auto& q : staff->queue()) {
            visits.insert(q.app.visit_number);
            const auto app = staff->get(q.app.id);
            ASSERT_TRUE(app.has_value());
            for (const auto& f : app->fields) got[app->template_id].insert_or_assign(f.id, f);
        }
        EXPECT_EQ(visits.size(), 1u) << "one visit";
        const std::string born = forms::resolve_date_bound("-6y", forms::today_iso()).value();
        auto value = [&](const std::string& t, const std::string& f) {
            const auto it = got[t].find(f);
            return it == got[t].end() ? std::string("(none)") : it->second.value;
        };
        auto origin = [&](const std::string& t, const std::string& f) {
            const auto it = got[t].find(f);
            return it == got[t].end() ? std::string("(none)") : it->second.origin;
        };
        // 転入届: three persons; the child's 続柄, birth date and sex as answered, the
        // name empty (origin "empty": staff type it at the counter).
        EXPECT_EQ(value("tennyu", "persons.1.name"), "番号 花子");
        EXPECT_EQ(value("tennyu", "persons.2.name"), "番号 太郎");
        EXPECT_EQ(origin("tennyu", "persons.2.name"), "card");
        EXPECT_EQ(value("tennyu", "persons.2.relationship"), "spouse");
        EXPECT_EQ(value("tennyu", "persons.2.birth_date"), "1978-06-01");
        EXPECT_EQ(value("tennyu", "persons.3.name"), "");
        EXPECT_EQ(origin("tennyu", "persons.3.name"), "empty");
        EXPECT_EQ(value("tennyu", "persons.3.kana"), "");
        EXPECT_EQ(value("tennyu", "persons.3.relationship"), "child");
        EXPECT_EQ(origin("tennyu", "persons.3.relationship"), "answer");
        EXPECT_EQ(value("tennyu", "persons.3.birth_date"), born);
        EXPECT_EQ(origin("tennyu", "persons.3.birth_date"), "answer");
        EXPECT_EQ(value("tennyu", "persons.3.sex"), "male");
        EXPECT_EQ(value("tennyu", "persons.4.name"), "(none)");
        // 国保取得: only those without employer insurance (the holder and the child; the spouse has it).
        EXPECT_EQ(value("kokuho_shutoku", "persons.1.name"), "番号 花子");
        EXPECT_EQ(value("kokuho_shutoku", "persons.2.relationship"), "child");
        EXPECT_EQ(value("kokuho_shutoku", "persons.2.birth_date"), born);
        EXPECT_EQ(value("kokuho_shutoku", "persons.2.employer_insurance"), "no");
        EXPECT_EQ(value("kokuho_shutoku", "persons.3.name"), "(none)");
        for (const auto& [id, f] : got["kokuho_shutoku"]) EXPECT_NE(f.value, "番号 太郎") << id;
        // 児童手当: the child as the 児童 row.
        EXPECT_EQ(value("jidou_teate", "children.1.relationship"), "child");
        EXPECT_EQ(value("jidou_teate", "children.1.birth_date"), born);
        EXPECT_EQ(value("jidou_teate", "children.1.name"), "");
        EXPECT_EQ(value("jidou_teate", "children.2.name"), "(none)");
        // Members' 個人番号 and PINs never reach the store, the log or a file.
        std::ifstream db(dir / "data" / "store.db", std::ios::binary);
        const std::string bytes((std::istreambuf_iterator<char>(db)), std::istreambuf_iterator<char>());
        for (const char* secret : {"876543210989", "123456789018", "5678"}) {
            EXPECT_EQ(r.output.find(secret), std::string::npos) << secret;
            for (const auto& [t, fields] : got)
                for (const auto& [id, f] : fields) EXPECT_EQ(f.value.find(secret), std::string::npos) << t << ":" << id;
        }
        EXPECT_EQ(bytes.find("876543210989"), std::string::npos);
        EXPECT_EQ(r.output.find("番号 太郎"), std::string::npos);
    }
    if (script == "household_same_card") {
        // The same person twice: the exact refusal, nothing added, the session goes on.
        // The script waited for household.same_person on screen (expect-text); its words:
        std::ifstream ja(test::source_dir() / "assets/i18n/ja.toml");
        const std::string text((std::istreambuf_iterator<char>(ja)), std::istreambuf_iterator<char>());
        EXPECT_NE(text.find("\n\"household.same_person\" = \"この方はもう追加されています。別のご家族のカードを置いてください\"\n"),
                  std::string::npos);
        auto staff = store::open_sqlite(dir / "data" / "store.db", dir / "data" / "seal.key");
        EXPECT_TRUE(staff->queue().empty());
    }
    if (script == "inputs") {
        // What the pads typed reaches the forms (the staff side opens them with the private key).
        auto staff = store::open_sqlite(dir / "data" / "store.db", dir / "data" / "seal.key");
        std::map<std::string, std::string> got;  // template:field -> value
        for (const auto& q : staff->queue()) {
            const auto app = staff->get(q.app.id);
            ASSERT_TRUE(app.has_value());
            for (const auto& f : app->fields) got[app->template_id + ":" + f.id] = f.value;
        }
        const std::string today = forms::today_iso();
        EXPECT_EQ(got["inkan:inkan_card_number"], "12345");  // 1 2 3 9 消す 4 5
        EXPECT_EQ(got["inkan:copies"], "1");
        EXPECT_EQ(got["tennyu:applicant_kana"], "バンゴウ ハナコ");  // the 異動届 asks it on the kana pad
        EXPECT_EQ(got["inkan:applicant_kana"], "");  // a certificate leaves it to the counter
        EXPECT_EQ(got["shotoku:fiscal_year"], std::to_string(forms::fiscal_year_of(today) - 1));
        EXPECT_EQ(got["tennyu:move_date"], forms::resolve_date_bound("-1y", today).value());
    }
    if (std::string(c.script) == "juminhyo" || std::string(c.script) == "bundle") {
        // The kiosk seals for the staff side and writes no page: none of its
        // folders (data, output, TMPDIR) holds the resident's name in any file.
        for (const char* folder : {"data", "out", "tmp"}) {
            if (!std::filesystem::exists(dir / folder)) continue;
            for (const auto& e : std::filesystem::recursive_directory_iterator(dir / folder)) {
                if (!e.is_regular_file()) continue;
                std::ifstream in(e.path(), std::ios::binary);
                const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
                EXPECT_EQ(bytes.find("番号 花子"), std::string::npos) << e.path();
                EXPECT_EQ(bytes.find("霞が関2丁目"), std::string::npos) << e.path();
                EXPECT_NE(e.path().extension(), ".pdf") << "the kiosk wrote a page: " << e.path();
            }
        }
        // The staff side (the private key) opens every application of the errand.
        auto staff = store::open_sqlite(dir / "data" / "store.db", dir / "data" / "seal.key");
        const auto queue = staff->queue();
        EXPECT_EQ(queue.size(), std::string(c.script) == "bundle" ? 2u : 1u);  // one application per form of the errand
        for (const auto& q : queue) {
            const auto app = staff->get(q.app.id);
            ASSERT_TRUE(app.has_value());
            bool named = false;
            for (const auto& f : app->fields) named = named || f.value == "番号 花子";
            EXPECT_TRUE(named) << q.app.id;
        }
        if (std::string(c.script) == "juminhyo") {
            // The session (3 taps to choose the form, 8 from the card to the number, rating,
            // finish) and its rating are in the store: the KPI report shows them.
            const std::time_t now = std::time(nullptr);
            char today[16], tomorrow[16];
            std::tm tm{};
            std::strftime(today, sizeof today, "%F", localtime_r(&now, &tm));
            const std::time_t later = now + 86400;
            std::strftime(tomorrow, sizeof tomorrow, "%F", localtime_r(&later, &tm));
            const auto report = test::run((test::binary_dir() / "tools/kakanai-report").string() + " --db " +
                                          (dir / "data/store.db").string() + " --key " +
                                          (dir / "data/seal.key").string() + " --from " + today + " --to " + tomorrow +
                                          " 2>&1");
            ASSERT_EQ(report.exit_code, 0) << report.output;
            EXPECT_NE(report.output.find("Kiosk sessions: 1 (completed 1)"), std::string::npos) << report.output;
            EXPECT_NE(report.output.find("Taps per errand: 13.0"), std::string::npos) << report.output;
            EXPECT_NE(report.output.find("5:1"), std::string::npos) << report.output;
            EXPECT_EQ(report.output.find("花子"), std::string::npos);
        }
    }
}

INSTANTIATE_TEST_SUITE_P(Kiosk, Scripted,
                         ::testing::Values(Case{"juminhyo", "1920x1080", 11}, Case{"bundle", "1920x1080", 5},
                                           Case{"wrong_pin", "1280x800", 3}, Case{"locked", "1280x800", 1},
                                           Case{"pulled", "1280x800", 2}, Case{"timeout", "1920x1080", 2},
                                           Case{"english", "1280x800", 8}, Case{"easy", "1080x1920", 8},
                                           Case{"large_text", "1920x1080", 7},
                                           Case{"needs_review", "1920x1080", 9},
                                           Case{"large_text", "1080x1920", 7, "large_text_portrait"},
                                           Case{"rare_kanji", "1920x1080", 1},
                                           Case{"no_card", "800x1280", 2},
                                           Case{"tampered", "1920x1080", 3},
                                           Case{"tampered", "1280x800", 3, "tampered_1280x800"},
                                           Case{"tampered", "1080x1920", 3, "tampered_portrait"},
                                           Case{"bad_signature", "1280x800", 1},
                                           Case{"visit_number", "1920x1080", 3},
                                           Case{"visit_number", "1280x800", 3, "visit_number_1280x800"},
                                           Case{"visit_number", "1080x1920", 3, "visit_number_portrait"},
                                           Case{"no_integrity", "1080x1920", 1}, Case{"inputs", "1920x1080", 7},
                                           Case{"household", "1920x1080", 6}, Case{"household_same_card", "1280x800", 2}),
                         [](const auto& p) { return std::string(p.param.name ? p.param.name : p.param.script); });

// ---- The layout check at every size: the scripts whose screens change most with the
// size and the text (every question kind, four forms, long data, three languages, the
// PIN paths) run at 1920x1080, 1280x800 and 1080x1920, each in normal and large text.
// Every frame is checked (layout_check.hpp; any problem ends the run with exit 1 and
// its message). Cheap: SDL's dummy video driver with the software renderer (no X
// server), screenshots to a temp folder; the other scripts get the same check at
// their one size in Kiosk/Scripted above.
struct LayoutCase {
    const char* script;
    const char* size;
    bool large;
};

void PrintTo(const LayoutCase& c, std::ostream* os) { *os << c.script << " at " << c.size << (c.large ? " large" : ""); }

class LayoutAtEverySize : public ::testing::TestWithParam<LayoutCase> {};

TEST_P(LayoutAtEverySize, EveryFramePassesTheLayoutCheck) {
    const LayoutCase c = GetParam();
    test::TempDir dir;
    const auto r = test::run("SDL_VIDEODRIVER=dummy " + kiosk() + " --renderer software --size " + c.size +
                             (c.large ? " --large-text" : "") + " --script " +
                             (test::source_dir() / "tests/ui/scripts" / (std::string(c.script) + ".script")).string() +
                             " --screenshots " + (dir / "shots").string() + " --output " + (dir / "out").string() +
                             " --data " + (dir / "data").string() + " 2>&1");
    EXPECT_EQ(r.output.find("layout check:"), std::string::npos) << r.output;
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("script done"), std::string::npos) << r.output;
}

std::vector<LayoutCase> layout_cases() {
    std::vector<LayoutCase> out;
    for (const char* script : {"juminhyo", "four_forms", "long_address", "easy", "english", "last_try", "visit_number", "needs_review", "inputs",
                               "household", "household_same_card"})
        for (const char* size : {"1920x1080", "1280x800", "1080x1920"})
            for (const bool large : {false, true}) out.push_back({script, size, large});
    return out;
}

INSTANTIATE_TEST_SUITE_P(Kiosk, LayoutAtEverySize, ::testing::ValuesIn(layout_cases()), [](const auto& p) {
    std::string size = p.param.size;
    return std::string(p.param.script) + "_" + size.replace(size.find('x'), 1, "x") + (p.param.large ? "_large" : "");
});

// The check fails a run and names what it found: a script that ends on a screen
// whose button is under the footer cannot be made from outside, so the check's
// messages are proven in tests/unit/kiosk_ui/layout_check_test.cpp (LayoutCheck.*).

// ---- The counter staff station (kakanai-staff), with [staff] settings. A print
// failure uses the jammed test queue (or a queue that does not exist).
struct StaffCase {
    const char* script;
    int min_shots;
};

void PrintTo(const StaffCase& c, std::ostream* os) { *os << c.script; }

class StaffScripted : public ::testing::TestWithParam<StaffCase> {};

void expect_readable_shots(const std::filesystem::path& shots, int min_shots) {
    int n = 0;
    for (const auto& e : std::filesystem::directory_iterator(shots)) {
        ++n;
        const std::string name = e.path().filename().string();
        const Shot s = analyse(e.path());
        EXPECT_EQ(s.w, 1280) << name;
        EXPECT_GT(s.non_background, 0.02) << name;
        EXPECT_GT(s.colours, 10u) << name;
        EXPECT_FALSE(s.text_contrast.empty()) << name;
        for (const auto& [bg, ratio] : s.text_contrast)
            EXPECT_GE(ratio, 7.0) << name << ": text on background #" << std::hex << bg;
    }
    EXPECT_GE(n, min_shots);
}

std::string staff_settings(const std::filesystem::path& dir, bool with_ca_key = false) {
    const char* jam = std::getenv("KAKANAI_TEST_JAM_PRINTER");
    const auto file = dir / "kakanai.toml";
    std::ofstream out(file);
    out << "station = \"counter-1\"\n[staff]\nids = [\"tanaka\", \"suzuki\", \"sato\"]\nprinters = [\""
        << (jam ? jam : "kakanai-missing-queue") << "\", \"folder\"]\n";
    // The test CA (tests/cards/keys) stands in for the issuing CA: its cards are "verified".
    if (with_ca_key) out << "[card]\nca_key = \"" << (test::source_dir() / "tests/cards/keys/test-ca-public.pem").string() << "\"\n";
    return file.string();
}

TEST_P(StaffScripted, RunsAndEveryScreenshotIsReadable) {
    ASSERT_NE(std::getenv("DISPLAY"), nullptr) << "run through scripts/with-services (make test)";
    const StaffCase c = GetParam();
    test::TempDir dir;
    const bool ca_key = std::string(c.script) == "staff_authenticity";
    const auto r = test::run(staff() + " --config " + staff_settings(dir.path(), ca_key) + " --size 1280x800 --script " +
                             (test::source_dir() / "tests/ui/scripts" / (std::string(c.script) + ".script")).string() +
                             " --screenshots " + (dir / "shots").string() + " --output " + (dir / "out").string() +
                             " --data " + (dir / "data").string() + " 2>&1");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_EQ(r.output.find("482193"), std::string::npos) << "a staff code reached the output";
    expect_readable_shots(dir / "shots", c.min_shots);

    // What the store recorded: who did what and why, never a value.
    auto store = store::open_sqlite(dir / "data" / "store.db", dir / "data" / "seal.key");
    std::string audit;
    for (const auto& a : store->audit(0, INT64_MAX)) audit += a.to_string() + "\n";
    EXPECT_EQ(audit.find("番号"), std::string::npos) << audit;
    const std::string script = c.script;
    if (script == "staff_queue") {
        EXPECT_NE(audit.find("login-failed"), std::string::npos) << audit;
        EXPECT_EQ(store->queue().size(), 5u);  // the lock gave nothing away and took nothing
    } else if (script == "staff_locked") {
        for (const char* code : {"111111", "555555", "731904"}) EXPECT_EQ(r.output.find(code), std::string::npos) << code;
        for (const char* code : {"111111", "482193"}) EXPECT_EQ(audit.find(code), std::string::npos) << code;
        EXPECT_NE(audit.find("tanaka login-failed  station=counter-1 failures=5"), std::string::npos) << audit;
        EXPECT_NE(audit.find("tanaka login-locked  station=counter-1 lock=1 minutes=5"), std::string::npos) << audit;
        EXPECT_NE(audit.find("tanaka login-refused  station=counter-1 staff-locked"), std::string::npos) << audit;
        EXPECT_NE(audit.find("suzuki login  station=counter-1"), std::string::npos) << audit;
        EXPECT_NE(r.output.find("login staff_locked for tanaka"), std::string::npos) << r.output;
    } else if (script == "staff_review") {
        // The reason is a code, the note passed the filter, the refused note left nothing.
        EXPECT_NE(audit.find(" cancel juminhyo@1 reason=withdrawn note=後日あらためて来庁\n"), std::string::npos) << audit;
        EXPECT_EQ(audit.find("花子"), std::string::npos) << audit;
        EXPECT_EQ(store->queue().size(), 1u);  // the other one waits
    } else if (script == "staff_correction") {
        EXPECT_NE(audit.find("applicant_kana"), std::string::npos) << audit;
        EXPECT_NE(audit.find("field=applicant_kana reason=missing"), std::string::npos) << audit;
    } else if (script == "staff_print_failure") {
        EXPECT_NE(audit.find("print-failed"), std::string::npos) << audit;
        EXPECT_NE(audit.find("reprint-request juminhyo@1 reason=second_copy\n"), std::string::npos) << audit;
        std::size_t pdfs = 0;
        for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir / "out")) ++pdfs;
        EXPECT_EQ(pdfs, 1u);  // the reprint replaces the file: one application, one PDF
    } else if (script == "staff_my_number") {
        // Printed from the card, never kept: not in the log, the audit or the store.
        EXPECT_EQ(r.output.find("123456789018"), std::string::npos) << r.output;
        EXPECT_EQ(r.output.find("1234"), std::string::npos) << r.output;
        EXPECT_EQ(audit.find("123456789018"), std::string::npos) << audit;
        std::ifstream db(dir / "data" / "store.db", std::ios::binary);
        const std::string bytes((std::istreambuf_iterator<char>(db)), std::istreambuf_iterator<char>());
        EXPECT_EQ(bytes.find("123456789018"), std::string::npos);
        std::size_t pdfs = 0;
        for (const auto& e : std::filesystem::directory_iterator(dir / "out")) {
            ++pdfs;
            std::string digits;
            for (char ch : test::pdf_text(e.path()))
                if (ch >= '0' && ch <= '9') digits += ch;
            EXPECT_EQ(digits.find("123456789018"), std::string::npos) << "a file never holds the 個人番号";
            std::string text;  // a grid prints one character per cell: compare without the spaces
            for (char ch : test::pdf_text(e.path()))
                if (ch != ' ' && ch != '\n') text += ch;
            EXPECT_NE(text.find("************"), std::string::npos) << "the number is masked";
        }
        EXPECT_NE(r.output.find("個人番号 masked"), std::string::npos) << r.output;
        EXPECT_EQ(pdfs, 1u);
    } else if (script == "staff_review" || script == "staff_authenticity") {
        // The card check's result is kept with each card-read application (the script expects its words on screen).
        for (const auto& e : store->queue()) EXPECT_EQ(e.app.authenticity, ca_key ? "verified" : "consistent");
    } else if (script == "staff_card_refused") {
        // The print-time read of a card failing the check prints nothing: no job, no file.
        EXPECT_NE(r.output.find("card refused: authenticity hash_mismatch"), std::string::npos) << r.output;
        std::set<std::string> ids;
        for (const auto& a : store->audit(0, INT64_MAX)) {
            ids.insert(a.application_id);
            EXPECT_EQ(a.action.find("print"), std::string::npos) << audit;
        }
        EXPECT_FALSE(ids.empty());
        for (const auto& id : ids) EXPECT_TRUE(store->print_jobs(id).empty()) << id;
        EXPECT_TRUE(!std::filesystem::exists(dir / "out") || std::filesystem::is_empty(dir / "out"));
    } else if (script == "staff_manual_household") {
        // Two members added, one removed again: the form holds the resident and one member.
        const auto q = store->queue();
        ASSERT_EQ(q.size(), 1u);
        const auto app = store->get(q[0].app.id);
        ASSERT_TRUE(app);
        auto value = [&](const std::string& id) {
            for (const auto& f : app->fields)
                if (f.id == id) return f.value + "|" + f.origin;
            return std::string("(none)");
        };
        EXPECT_EQ(value("persons.1.name"), "手書 太郎|staff");
        EXPECT_EQ(value("persons.2.name"), "手書 花子|staff");
        EXPECT_EQ(value("persons.2.kana"), "テガキ ハナコ|staff");
        EXPECT_EQ(value("persons.2.birth_date"), "1952-07-07|staff");
        EXPECT_EQ(value("persons.2.sex"), "female|staff");
        EXPECT_EQ(value("persons.2.relationship"), "spouse|staff");
        EXPECT_EQ(value("persons.3.name"), "(none)");  // the removed member left nothing
        EXPECT_EQ(audit.find("手書"), std::string::npos) << audit;
        EXPECT_EQ(r.output.find("手書"), std::string::npos) << r.output;
    } else if (script == "staff_manual_entry") {
        const auto q = store->queue();
        ASSERT_EQ(q.size(), 1u);
        EXPECT_FALSE(q[0].app.card_read);  // marked as typed, not read from a card
        EXPECT_EQ(q[0].app.taken_by, "tanaka");  // held by the staff member who typed it
        EXPECT_NE(audit.find("manual"), std::string::npos) << audit;
    }
}

INSTANTIATE_TEST_SUITE_P(Staff, StaffScripted,
                         ::testing::Values(StaffCase{"staff_queue", 4}, StaffCase{"staff_review", 5},
                                           StaffCase{"staff_correction", 4}, StaffCase{"staff_print_failure", 3},
                                           StaffCase{"staff_manual_entry", 2}, StaffCase{"staff_unfinished", 2},
                                           StaffCase{"staff_rare_kanji", 1}, StaffCase{"staff_my_number", 2},
                                           StaffCase{"staff_authenticity", 2}, StaffCase{"staff_card_refused", 1},
                                           StaffCase{"staff_locked", 3}, StaffCase{"staff_manual_household", 3}),
                         [](const auto& p) { return std::string(p.param.script); });

// A household moving in (転入届) from a kiosk: the resident, a member read from
// his own card and a child without a card (続柄, 生年月日 and 性別 given at the
// kiosk, the name left for staff). The station marks the child's row, refuses
// to confirm until staff type the name and フリガナ (corrections, audited by
// field id and reason code), then prints the page with all three names, each
// in its own row of the form (pdftotext -bbox on the bytes CUPS received).
// Every frame passes the layout check, at both sizes staff stations use.
class StaffHousehold : public ::testing::TestWithParam<const char*> {};

TEST_P(StaffHousehold, AChildWithoutACardIsNamedAtTheCounterAndPrintedInItsRow) {
    ASSERT_NE(std::getenv("DISPLAY"), nullptr) << "run through scripts/with-services (make test)";
    const char* capture = std::getenv("KAKANAI_TEST_CAPTURE_PRINTER");
    const char* capture_dir = std::getenv("KAKANAI_TEST_CAPTURE_DIR");
    ASSERT_NE(capture, nullptr) << "run through scripts/with-services (make test)";
    ASSERT_NE(capture_dir, nullptr);
    const std::string size = GetParam();
    test::TempDir dir;
    std::ofstream(dir / "kakanai.toml") << "station = \"counter-1\"\n[staff]\nids = [\"tanaka\"]\nprinters = [\"" << capture
                                        << "\", \"folder\"]\n";
    const auto r = test::run(staff() + " --config " + (dir / "kakanai.toml").string() + " --size " + size + " --script " +
                             (test::source_dir() / "tests/ui/scripts/staff_household.script").string() + " --screenshots " +
                             (dir / "shots").string() + " --output " + (dir / "out").string() + " --data " +
                             (dir / "data").string() + " 2>&1");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_EQ(r.output.find("layout check:"), std::string::npos) << r.output;
    if (size == "1280x800") expect_readable_shots(dir / "shots", 4);

    // The child's name and フリガナ were typed by staff; the audit names fields and reasons only.
    auto store = store::open_sqlite(dir / "data" / "store.db", dir / "data" / "seal.key");
    std::string audit;
    for (const auto& a : store->audit(0, INT64_MAX)) audit += a.to_string() + "\n";
    EXPECT_NE(audit.find("field=persons.3.name reason=missing"), std::string::npos) << audit;
    EXPECT_NE(audit.find("field=persons.3.kana reason=missing"), std::string::npos) << audit;
    for (const char* personal : {"番号", "一郎", "イチロウ", "2018-05-05"}) {
        EXPECT_EQ(audit.find(personal), std::string::npos) << personal << "\n" << audit;
        EXPECT_EQ(r.output.find(personal), std::string::npos) << personal << "\n" << r.output;
    }
    std::string app_id;
    for (const auto& a : store->audit(0, INT64_MAX))
        if (a.action == "correct") app_id = a.application_id;
    ASSERT_FALSE(app_id.empty()) << audit;
    const auto app = store->get(app_id);
    ASSERT_TRUE(app);
    EXPECT_EQ(app->state, store::State::Printed);
    std::map<std::string, std::string> v;
    for (const auto& f : app->fields) v[f.id] = f.value + "|" + f.origin;
    EXPECT_EQ(v["persons.3.name"], "番号 一郎|staff");
    EXPECT_EQ(v["persons.3.kana"], "バンゴウ イチロウ|staff");
    EXPECT_EQ(v["persons.3.relationship"], "child|answer");  // as the kiosk recorded it
    EXPECT_EQ(v["persons.2.name"], "番号 太郎|card");

    // The page CUPS received: each name in the name box of its own row.
    const std::string sent = "kakanai-staff: " + app_id + " sent to " + capture + " as job ";
    const auto at = r.output.find(sent);
    ASSERT_NE(at, std::string::npos) << r.output;
    const int job = std::atoi(r.output.c_str() + at + sent.size());
    const auto pdf = std::filesystem::path(capture_dir) / ("job-" + std::to_string(job) + ".pdf");
    for (int i = 0; i < 100 && !std::filesystem::exists(pdf); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    ASSERT_TRUE(std::filesystem::exists(pdf)) << pdf;
    const forms::Template t = forms::load_template(test::source_dir() / "assets/forms/tennyu.toml");
    const forms::Group* g = t.group("persons");
    ASSERT_NE(g, nullptr);
    const forms::LayoutItem* box = nullptr;
    for (const auto& item : g->items)
        if (item.field == "name") box = &item;
    ASSERT_NE(box, nullptr);
    const std::string html = test::run("pdftotext -bbox " + test::shell_quote(pdf.string()) + " -").output;
    static const std::regex word("<word xMin=\"([0-9.]+)\" yMin=\"([0-9.]+)\" xMax=\"([0-9.]+)\" yMax=\"([0-9.]+)\">([^<]*)</word>");
    constexpr double mm = 25.4 / 72.0;
    const char* names[] = {"番号花子", "番号太郎", "番号一郎"};
    for (int row = 0; row < 3; ++row) {
        const double x0 = box->x, y0 = box->y + g->pitch * row, x1 = x0 + box->w, y1 = y0 + box->h;
        std::string in_box;
        for (auto it = std::sregex_iterator(html.begin(), html.end(), word); it != std::sregex_iterator(); ++it) {
            const double wx0 = std::stod((*it)[1]) * mm, wy0 = std::stod((*it)[2]) * mm;
            const double wx1 = std::stod((*it)[3]) * mm, wy1 = std::stod((*it)[4]) * mm;
            const double cx = (wx0 + wx1) / 2, cy = (wy0 + wy1) / 2;
            if (cx < x0 || cx > x1 || cy < y0 || cy > y1) continue;
            if ((*it)[5].str() == g->field("name")->label.ja) continue;  // the box's small label 氏名
            in_box += (*it)[5].str();
            // Wholly inside its row's box (0.5 mm for the glyphs' side bearings).
            EXPECT_GE(wx0, x0 - 0.5) << (*it)[5];
            EXPECT_LE(wx1, x1 + 0.5) << (*it)[5];
            EXPECT_GE(wy0, y0 - 0.5) << (*it)[5];
            EXPECT_LE(wy1, y1 + 0.5) << (*it)[5];
        }
        EXPECT_EQ(in_box, names[row]) << "row " << row + 1;
    }
}

INSTANTIATE_TEST_SUITE_P(Staff, StaffHousehold, ::testing::Values("1920x1080", "1280x800"),
                         [](const auto& p) { return std::string(p.param).replace(4, 1, "x"); });

// Crash safety: the station is killed (SIGKILL) at several moments of a print,
// then started again and asked to print the same application. CUPS never
// holds two live jobs for it: an unknown result blocks printing until staff
// decide, and a reprint is the only way to print twice.
TEST(StaffCrash, KillingTheStationMidPrintNeverPrintsTwice) {
    ASSERT_NE(std::getenv("DISPLAY"), nullptr) << "run through scripts/with-services (make test)";
    const char* capture = std::getenv("KAKANAI_TEST_CAPTURE_PRINTER");
    ASSERT_NE(capture, nullptr) << "run through scripts/with-services (make test)";
    const auto profile = test::card_profile("typical").string();
    auto live_jobs_for = [](const std::string& id) {
        int live = 0, misses = 0;
        for (int job = 1; misses < 50; ++job) {
            const auto st = printing::job_status(job);
            if (st.state == printing::JobState::Unknown) {
                ++misses;
                continue;
            }
            misses = 0;
            if (st.application_id == id && st.state != printing::JobState::Cancelled && st.state != printing::JobState::Aborted)
                ++live;
        }
        return live;
    };
    int printed_before_kill = 0;
    for (const int kill_ms : {700, 1000, 1300, 1700, 2300, 4000}) {
        test::TempDir dir;
        std::ofstream(dir / "kakanai.toml") << "[staff]\nids = [\"tanaka\"]\nprinters = [\"" << capture << "\"]\n";
        const std::string login = "staff-code tanaka 482193\ntap login.staff.tanaka\ntype login.code 482193\ntap login.submit\nexpect queue\n";
        std::ofstream(dir / "first.script") << "staff-code tanaka 482193\nseed " << profile
                                            << " juminhyo 60 applicant_kana=バンゴウ_ハナコ\n" << login
                                            << "tap queue.next\nexpect review\ntap open.print\nexpect-print done\nwait 3000\n";
        const std::string args = " --config " + (dir / "kakanai.toml").string() + " --data " + (dir / "data").string() +
                             " --size 1280x800 --output " + (dir / "out").string();
        test::run("timeout -s KILL " + std::to_string(kill_ms / 1000.0) + " " + staff() + args + " --script " +
                  (dir / "first.script").string() + " >/dev/null 2>&1");
        std::string id;
        if (!std::filesystem::exists(dir / "data" / "store.db")) continue;  // killed before the store was made
        {
            auto store = store::open_sqlite(dir / "data" / "store.db", dir / "data" / "seal.key");
            for (const auto& a : store->audit(0, INT64_MAX))
                if (!a.application_id.empty()) id = a.application_id;
        }
        if (id.empty()) continue;  // killed before the application was stored
        printed_before_kill += live_jobs_for(id);
        std::ofstream(dir / "again.script") << login << "type queue.lookup " << id
                                            << "\ntap queue.open_number\nexpect review\ntap open.print\nexpect-print done\n";
        const auto r = test::run(staff() + args + " --script " + (dir / "again.script").string() + " 2>&1");
        // Either it printed now (nothing had been sent), or printing was refused.
        if (r.exit_code != 0) {
            EXPECT_NE(r.output.find("no button open.print"), std::string::npos) << r.output;
        }
        EXPECT_LE(live_jobs_for(id), 1) << "killed after " << kill_ms << " ms\n" << r.output;
        auto store = store::open_sqlite(dir / "data" / "store.db", dir / "data" / "seal.key");
        int done = 0;
        for (const auto& j : store->print_jobs(id)) done += j.status == store::PrintStatus::Done;
        EXPECT_LE(done, 1) << "killed after " << kill_ms << " ms";
    }
    EXPECT_GT(printed_before_kill, 0) << "no kill came after a print was sent: the test did not test anything";
}

// On the done screen 戻る and 最初から are drawn disabled: a tap on either is not a
// tap (the script stops, naming the button), so the visit's number stays.
TEST(Ui, DoneScreenHasNoBackNorStartOver) {
    for (const char* button : {"back", "cancel"}) {
        test::TempDir dir;
        std::ofstream(dir / "done.script") << "card " << test::card_profile("typical").string()
                                           << "\ntap start\nexpect errand\ntap errand.single\ntap form.juminhyo\n"
                                              "expect pin\npin 1234\nexpect confirm\ntap confirm.yes\nanswer-all\n"
                                              "expect review\ntap review.submit\nexpect done\ntap "
                                           << button << "\nexpect welcome\n";
        const auto r = test::run("SDL_VIDEODRIVER=dummy " + kiosk() + " --renderer software --size 1280x800 --script " +
                                 (dir / "done.script").string() + " --data " + (dir / "data").string() + " --output " +
                                 (dir / "out").string() + " 2>&1");
        EXPECT_EQ(r.exit_code, 1) << r.output;
        EXPECT_NE(r.output.find(std::string("no button ") + button + " on screen done"), std::string::npos) << r.output;
        EXPECT_NE(r.output.find("kakanai-kiosk: visit 1 submitted: 1 form\n"), std::string::npos) << r.output;
    }
}

// The station: a visit's forms under its number, and its guide slip printed
// through CUPS on request, in the resident's language (the capture queue keeps
// the bytes).
TEST(StaffVisit, QueueGroupsAVisitAndPrintsItsGuide) {
    ASSERT_NE(std::getenv("DISPLAY"), nullptr) << "run through scripts/with-services (make test)";
    const char* capture = std::getenv("KAKANAI_TEST_CAPTURE_PRINTER");
    const char* capture_dir = std::getenv("KAKANAI_TEST_CAPTURE_DIR");
    ASSERT_NE(capture, nullptr) << "run through scripts/with-services (make test)";
    ASSERT_NE(capture_dir, nullptr);
    test::TempDir dir;
    std::ofstream(dir / "kakanai.toml") << "station = \"counter-1\"\n[staff]\nids = [\"tanaka\"]\nprinters = [\""
                                        << capture << "\", \"folder\"]\n[guide.counters]\n\"保険年金課\" = "
                                           "{ ja = \"3番窓口\", en = \"Counter 3\" }\n";
    const auto r = test::run(staff() + " --config " + (dir / "kakanai.toml").string() + " --size 1280x800 --script " +
                             (test::source_dir() / "tests/ui/scripts/staff_visit.script").string() + " --screenshots " +
                             (dir / "shots").string() + " --output " + (dir / "out").string() + " --data " +
                             (dir / "data").string() + " 2>&1");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    expect_readable_shots(dir / "shots", 2);
    auto store = store::open_sqlite(dir / "data" / "store.db", dir / "data" / "seal.key");
    std::map<int, int> per_visit;
    for (const auto& q : store->queue()) ++per_visit[q.app.visit_number];
    EXPECT_EQ(per_visit, (std::map<int, int>{{0, 1}, {1, 3}, {2, 2}}));
    // Each guide went to CUPS as its own job: the English one of visit 1, the Japanese one of visit 2.
    std::map<int, std::string> text;
    for (int visit : {1, 2}) {
        const std::string sent = "kakanai-staff: guide of visit " + std::to_string(visit) + " sent to " + capture + " as job ";
        const auto at = r.output.find(sent);
        ASSERT_NE(at, std::string::npos) << r.output;
        const int job = std::atoi(r.output.c_str() + at + sent.size());
        const auto pdf = std::filesystem::path(capture_dir) / ("job-" + std::to_string(job) + ".pdf");
        for (int i = 0; i < 100 && !std::filesystem::exists(pdf); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
        ASSERT_TRUE(std::filesystem::exists(pdf)) << pdf;
        text[visit] = test::pdf_text(pdf);
    }
    for (const char* want : {"Your number", "Request for a copy of the certificate of residence", "住民票の写し等交付請求書",
                             "Counter 3", "Bank book", "Total fees"})
        EXPECT_NE(text[1].find(want), std::string::npos) << want << "\n" << text[1];
    for (const char* want : {"受付番号", "転入届", "3番窓口", "転出証明書", "14日以内"})
        EXPECT_NE(text[2].find(want), std::string::npos) << want << "\n" << text[2];
    EXPECT_EQ(text[1].find("番号 花子"), std::string::npos) << "the slip holds nothing personal";
}

TEST(Ui, FirstScreenScreenshotIsNotBlank) {
    ASSERT_NE(std::getenv("DISPLAY"), nullptr) << "run through scripts/with-services (make test)";
    test::TempDir dir;
    const auto png = dir / "welcome.png";
    const auto r = test::run(kiosk() + " --size 1280x800 --output " + (dir / "out").string() + " --data " +
                             (dir / "data").string() + " --screenshot " + png.string() + " --virtual-card " +
                             test::card_profile("typical").string() + " 2>&1");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    const Shot s = analyse(png);
    EXPECT_EQ(s.w, 1280);
    EXPECT_EQ(s.h, 800);
    EXPECT_GT(s.non_background, 0.02);
}

TEST(Ui, ATapOnAButtonThatIsNotShownFailsTheScript) {
    ASSERT_NE(std::getenv("DISPLAY"), nullptr) << "run through scripts/with-services (make test)";
    test::TempDir dir;
    std::ofstream(dir / "bad.script") << "tap confirm.yes\n";
    const auto r = test::run(kiosk() + " --size 1280x800 --script " + (dir / "bad.script").string() + " --output " +
                             (dir / "out").string() + " --data " + (dir / "data").string() + " 2>&1");
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.output.find("no button confirm.yes on screen welcome"), std::string::npos) << r.output;
}

TEST(Ui, MissingFontIsAClearMessage) {
    test::TempDir dir;
    const auto r = test::run(kiosk() + " --font /nonexistent/font.ttf --screenshot " + (dir / "x.png").string() +
                             " --output " + (dir / "out").string() + " --data " + (dir / "data").string() + " 2>&1");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.output.find("font file missing: /nonexistent/font.ttf"), std::string::npos) << r.output;
}

TEST(Ui, BadConfigNamesTheKey) {
    test::TempDir dir;
    std::ofstream(dir / "kakanai.toml") << "[timeouts]\nstill_there_s = 60\nwipe_after_s = 30\n";
    const auto r = test::run(kiosk() + " --config " + (dir / "kakanai.toml").string() + " --screenshot " +
                             (dir / "x.png").string() + " 2>&1");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.output.find("timeouts.wipe_after_s: must be longer than timeouts.still_there_s"), std::string::npos)
        << r.output;
}

// The store refuses the write at submission (here a trigger in the SQLite file,
// as a full disk or a lost database server would): the resident sees that staff
// were called, the kiosk never tries a printer, and what was saved before stays.
TEST(Ui, StoreWriteFailureCallsStaffAndKeepsWhatWasSaved) {
    ASSERT_NE(std::getenv("DISPLAY"), nullptr) << "run through scripts/with-services (make test)";
    test::TempDir dir;
    std::ofstream(dir / "kakanai.toml") << "[printer]\nqueue = \"kakanai-missing-queue\"\n";
    std::string earlier;
    {
        // A store with one application already in the queue, then every new one refused.
        std::filesystem::create_directories(dir / "data");
        auto store = store::open_sqlite(dir / "data" / "store.db", dir / "data" / "seal.key");
        store::Application a;
        a.template_id = "juminhyo";
        a.template_version = 1;
        a.station = "kiosk-0";
        a.fields = {{"applicant_name", "先客 一郎", "card"}};
        earlier = store->submit(a);
    }
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((dir / "data" / "store.db").c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, "CREATE TRIGGER refuse BEFORE INSERT ON applications "
                               "BEGIN SELECT RAISE(ABORT, 'disk I/O error (test)'); END;",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);
    const auto r = test::run(kiosk() + " --config " + (dir / "kakanai.toml").string() + " --size 1280x800 --script " +
                             (test::source_dir() / "tests/ui/scripts/store_failure.script").string() +
                             " --screenshots " + (dir / "shots").string() + " --output " + (dir / "out").string() +
                             " --data " + (dir / "data").string() + " 2>&1");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("called staff: store_failed"), std::string::npos) << r.output;
    EXPECT_EQ(r.output.find("kakanai-missing-queue"), std::string::npos) << r.output;
    EXPECT_EQ(r.output.find("番号 花子"), std::string::npos) << r.output;
    const Shot s = analyse(dir / "shots" / "01-store-failed.png");
    EXPECT_GT(s.non_background, 0.02);
    auto store = store::open_sqlite(dir / "data" / "store.db", dir / "data" / "seal.key");
    const auto queue = store->queue();
    ASSERT_EQ(queue.size(), 1u);  // nothing saved is lost, nothing half saved appears
    EXPECT_EQ(queue[0].app.id, earlier);
    EXPECT_EQ(store->get(earlier)->fields.at(0).value, "先客 一郎");
}

// ---- Calls for staff and held applications, with several programs on one store.
namespace {

std::string slurp_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

// A program started through `sh -c "exec ..."`: the PID is the program's own, so
// SIGKILL reaches it; its output goes to `log`.
std::unique_ptr<test::ChildProcess> start(const std::string& command, const std::filesystem::path& log) {
    auto p = std::make_unique<test::ChildProcess>(
        std::vector<std::string>{"/bin/sh", "-c", "exec " + command + " >" + log.string() + " 2>&1"});
    EXPECT_TRUE(p->started()) << command;
    return p;
}

// Where a run's screenshots are kept to be looked at: build/test-shots/NAME.
std::filesystem::path kept_shots(const std::string& name) {
    const auto d = test::binary_dir() / "test-shots" / name;
    std::filesystem::remove_all(d);
    std::filesystem::create_directories(d);
    return d;
}

struct CallsCase {
    const char* size;
    bool large;
};
void PrintTo(const CallsCase& c, std::ostream* os) { *os << c.size << (c.large ? " large" : ""); }
class StaffCalls : public ::testing::TestWithParam<CallsCase> {};

const std::string kLogin = "staff-code tanaka 482193\ntap login.staff.tanaka\ntype login.code 482193\ntap login.submit\nexpect queue\n";

}  // namespace

// Two kiosks call staff (one has no card, one presses 職員を呼ぶ); the one station
// shows both with their reasons, rings, and each 対応する reaches its own kiosk,
// which then says 職員が向かっています. The layout check runs on every frame of all three.
TEST_P(StaffCalls, ACallFromEachKioskReachesTheStationAndItsAnswerTheKiosk) {
    ASSERT_NE(std::getenv("DISPLAY"), nullptr) << "run through scripts/with-services (make test)";
    const CallsCase c = GetParam();
    test::TempDir dir;
    std::string size = c.size;
    const auto shots = kept_shots("calls_" + size + (c.large ? "_large" : ""));
    const auto data = dir / "data";
    // The store and its key pair exist before three programs open it at once.
    std::filesystem::create_directories(data);
    store::open_sqlite(data / "store.db", data / "seal.key");
    std::ofstream(dir / "station.toml") << "station = \"counter-1\"\n[staff]\nids = [\"tanaka\"]\nprinters = [\"folder\"]\n";
    std::ofstream(dir / "station.script") << kLogin << "expect-calls 2\nexpect-text desk.calls_title\nwait 500\nshot station-01-calls\n"
                                          << "tap call.ack.kiosk-a\nexpect-calls 1\nshot station-02-one-answered\n"
                                          << "tap call.ack.kiosk-b\nexpect-calls 0\nwait 3000\n";
    for (const char* k : {"a", "b"}) {
        std::ofstream(dir / (std::string("kiosk-") + k + ".toml")) << "station = \"kiosk-" << k << "\"\n";
        // kiosk-a: no card (a side path to staff); kiosk-b: 職員を呼ぶ on the welcome screen.
        std::ofstream(dir / (std::string("kiosk-") + k + ".script"))
            << (std::string(k) == "a" ? "tap no_card\nexpect staff\n" : "tap help\nexpect welcome\n")
            << "expect-call raised\nshot kiosk-" << k << "-01-raised\nexpect-call coming\nshot kiosk-" << k
            << "-02-coming\n";
    }
    const std::string common = std::string(" --size ") + c.size + " --data " + data.string() + " --output " +
                               (dir / "out").string() + " --screenshots " + shots.string();
    auto station = start(staff() + " --config " + (dir / "station.toml").string() + common + " --script " +
                             (dir / "station.script").string(),
                         dir / "station.log");
    std::vector<std::unique_ptr<test::ChildProcess>> kiosks;
    for (const char* k : {"a", "b"})
        kiosks.push_back(start(kiosk() + " --config " + (dir / (std::string("kiosk-") + k + ".toml")).string() + common +
                                   (c.large ? " --large-text" : "") + " --script " +
                                   (dir / (std::string("kiosk-") + k + ".script")).string(),
                               dir / (std::string("kiosk-") + k + ".log")));
    for (std::size_t i = 0; i < kiosks.size(); ++i) {
        const int rc = kiosks[i]->wait(std::chrono::seconds(90));
        EXPECT_EQ(rc, 0) << slurp_file(dir / (i == 0 ? "kiosk-a.log" : "kiosk-b.log"));
    }
    EXPECT_EQ(station->wait(std::chrono::seconds(90)), 0) << slurp_file(dir / "station.log");
    const std::string station_log = slurp_file(dir / "station.log");
    EXPECT_EQ(station_log.find("layout check:"), std::string::npos) << station_log;
    // The tone was asked for (played, or no sound device here: either way the run went on).
    EXPECT_NE(station_log.find("call from a kiosk"), std::string::npos) << station_log;
    for (const char* shot : {"station-01-calls", "station-02-one-answered", "kiosk-a-01-raised", "kiosk-a-02-coming",
                             "kiosk-b-01-raised", "kiosk-b-02-coming"}) {
        const auto png = shots / (std::string(shot) + ".png");
        ASSERT_TRUE(std::filesystem::exists(png)) << png;
        const Shot s = analyse(png);
        EXPECT_GT(s.non_background, 0.01) << shot;
        for (const auto& [bg, ratio] : s.text_contrast) EXPECT_GE(ratio, 7.0) << shot << " background " << std::hex << bg;
    }
    // In the store: both calls answered by tanaka, audited with the kiosk and reason only.
    auto store = store::open_sqlite(data / "store.db", data / "seal.key");
    EXPECT_TRUE(store->open_calls().empty());
    std::string audit;
    for (const auto& e : store->audit(0, INT64_MAX))
        if (e.action == "call" || e.action == "call-ack") audit += e.actor + " " + e.action + " " + e.detail + "\n";
    EXPECT_NE(audit.find("kiosk-a call call="), std::string::npos) << audit;
    EXPECT_NE(audit.find("reason=no_card"), std::string::npos) << audit;
    EXPECT_NE(audit.find("kiosk-b call call="), std::string::npos) << audit;
    EXPECT_NE(audit.find("reason=help"), std::string::npos) << audit;
    EXPECT_NE(audit.find("tanaka call-ack call="), std::string::npos) << audit;
    EXPECT_NE(audit.find("kiosk=kiosk-a"), std::string::npos) << audit;
    EXPECT_NE(audit.find("kiosk=kiosk-b"), std::string::npos) << audit;
}

INSTANTIATE_TEST_SUITE_P(Calls, StaffCalls,
                         ::testing::Values(CallsCase{"1920x1080", false}, CallsCase{"1080x1920", false},
                                           CallsCase{"1280x800", true}),
                         [](const auto& p) {
                             std::string size = p.param.size;
                             return size + (p.param.large ? "_large" : "");
                         });

// A station that holds an application keeps it while it runs (it renews the
// lease); killed with SIGKILL, its application is free again after the lease
// (6 s here), another station's queue shows it as 戻された申請 and opens it.
TEST(StaffLease, AKilledStationsApplicationIsFreeAgainAfterTheLease) {
    ASSERT_NE(std::getenv("DISPLAY"), nullptr) << "run through scripts/with-services (make test)";
    test::TempDir dir;
    const auto shots = kept_shots("lease");
    std::ofstream(dir / "kakanai.toml") << "station = \"counter-1\"\n[staff]\nids = [\"tanaka\", \"suzuki\"]\n"
                                        << "printers = [\"folder\"]\n[paths]\nstore = \"" << (dir / "data").string()
                                        << "\"\n[store]\npath = \"" << (dir / "data/store.db").string()
                                        << "\"\nlease_seconds = 6\n";
    std::filesystem::create_directories(dir / "data");
    store::StoreConfig cfg = store::load_store_config(dir / "kakanai.toml");
    store::open_store(cfg);  // the store and its keys, before the stations
    std::ofstream(dir / "first.script") << "seed " << test::card_profile("typical").string()
                                        << " juminhyo 60 applicant_kana=バンゴウ_ハナコ\n" << kLogin
                                        << "tap queue.next\nexpect review\nwait 60000\n";
    const std::string args = " --config " + (dir / "kakanai.toml").string() + " --data " + (dir / "data").string() +
                             " --size 1280x800 --output " +
                             (dir / "out").string() + " --screenshots " + shots.string();
    auto first = start(staff() + args + " --script " + (dir / "first.script").string(), dir / "first.log");
    auto other = store::open_store(cfg);
    std::string id;
    for (int i = 0; i < 300 && id.empty(); ++i) {
        for (const auto& q : other->queue())
            if (q.app.taken_by == "tanaka") id = q.app.id;
        if (id.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ASSERT_FALSE(id.empty()) << "the first station never opened the application\n" << slurp_file(dir / "first.log");
    // Alive for longer than the lease: still held, because it renews.
    std::this_thread::sleep_for(std::chrono::seconds(9));
    EXPECT_FALSE(other->take_next("suzuki").has_value()) << "taken from a station that is alive";
    EXPECT_EQ(other->queue().at(0).app.taken_by, "tanaka");
    ASSERT_EQ(first->wait(std::chrono::milliseconds(1)), -1) << slurp_file(dir / "first.log");
    ASSERT_EQ(::kill(first->pid(), SIGKILL), 0);
    first->wait(std::chrono::seconds(5));
    EXPECT_FALSE(other->queue().at(0).returned) << "returned before the lease ran out";
    // After the lease, another station sees it returned and opens it with 次の申請を開く.
    std::this_thread::sleep_for(std::chrono::seconds(7));
    std::ofstream(dir / "second.script") << "staff-code suzuki 739104\ntap login.staff.suzuki\ntype login.code 739104\n"
                                            "tap login.submit\nexpect queue\nexpect-text desk.queue_returned\nshot lease-01-returned\n"
                                            "tap queue.next\nexpect review\nshot lease-02-opened\n";
    const auto r = test::run(staff() + args + " --script " + (dir / "second.script").string() + " 2>&1");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_EQ(other->queue().at(0).app.taken_by, "suzuki");
    const auto lines = other->audit_lines(id);
    ASSERT_FALSE(lines.empty());
    EXPECT_NE(lines.back().find("suzuki take"), std::string::npos) << lines.back();
    EXPECT_NE(lines.back().find("returned-from=tanaka"), std::string::npos) << lines.back();
}
