// bench_soak: many scripted resident sessions end to end in one process, as a
// kiosk and a staff station would run them for days:
//   a virtual card for the next resident -> read the 入力補助AP with the PIN
//   (every 50th session a wrong PIN first) -> prefill 住民票 (every 10th session
//   a life-event bundle, read with the 個人番号) -> PDFs to a folder -> submit to
//   the SQLite store -> staff take, confirm, print to a folder -> purge -> wipe.
// The card goes through the real pcscd + vpcd when a virtual reader is there
// (make bench runs this under scripts/with-services); without one, through the
// in-process virtual card (the same VirtualCard, no pcscd), said in the output.
// Measures sessions/s, RSS and open fds after warm-up vs at the end, and then
// scans the output folders, the store's files and /tmp for the residents'
// names, addresses, 個人番号 and PINs (only counts are printed).
// Baseline, in the same run: the same sessions without the store and PDFs
// (read, prefill, wipe). SOAK_SESSIONS (default 1000) sets the count.
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iomanip>
#include <sstream>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "application_maker.hpp"
#include "application_record.hpp"
#include "kakanai/base/my_number.hpp"
#include "kakanai/base/utf8.hpp"
#include "kakanai/base/wipe.hpp"
#include "kakanai/cardreader/bytes.hpp"
#include "kakanai/cardreader/errors.hpp"
#include "kakanai/cardreader/mynumber.hpp"
#include "kakanai/cardreader/pcsc.hpp"
#include "kakanai/virtualcard/virtual_card.hpp"
#include "kakanai/printing/cups.hpp"
#include "kakanai/printing/pdf.hpp"
#include "kakanai/store/store.hpp"
#include "test_support.hpp"

using namespace kakanai;
using namespace kakanai::cardreader;
using namespace kakanai::virtualcard;
using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

namespace {

constexpr int kBundleEvery = 10;
constexpr int kWrongPinEvery = 50;
// Targets: RSS may grow by SQLite's page cache and allocator slack, nothing per session.
constexpr double kRssBoundMb = 4.0;
constexpr double kTargetSessionsPerSecond = 5.0;  // a kiosk serves one resident every few minutes

// ---------------------------------------------------------------- residents

// Invented residents, distinct for each session: rare family names so a scan
// of /tmp does not meet other tests' fixtures.
const char* const kFamily[] = {"勅使河原", "五百旗頭", "小鳥遊", "月見里", "四月一日", "九十九", "東海林",
                               "百目鬼", "一口", "御手洗", "鬼灯", "雲母坂", "躑躅森", "舎利弗", "十八女",
                               "八月一日", "栗花落", "左衛門三郎", "一尺八寸", "廿楽", "阿比留", "薬袋",
                               "釈迦郡", "丸毛", "日月"};
const char* const kGiven[] = {"花子", "太郎", "結衣", "陽翔", "さくら", "湊", "美咲", "蓮", "葵", "大翔",
                              "凛", "悠真", "芽依", "颯", "杏", "樹", "紬", "朝陽", "澪", "蒼",
                              "詩", "律", "楓", "岳", "雫", "晴", "菫", "迅", "栞", "暁",
                              "琴音", "新", "環", "稜", "千尋", "航", "瑞希", "巧", "灯", "創"};
constexpr int kFamilies = sizeof kFamily / sizeof *kFamily;
constexpr int kGivens = sizeof kGiven / sizeof *kGiven;

// 12 digits with the 個人番号 check digit (施行令 8条).
std::string my_number_for(int i) {
    char base[32];
    std::snprintf(base, sizeof base, "7315%07u", static_cast<unsigned>(i) % 10000000u);
    return std::string(base) + *kakanai::base::my_number_check_digit(base);
}

CardProfile resident(const CardProfile& base, int i) {
    CardProfile p = base;
    p.name = std::string(kFamily[i % kFamilies]) + " " + kGiven[(i / kFamilies) % kGivens];
    p.address = "岩手県紫波郡矢巾町大字西徳田第" + std::to_string(i / 30 + 1) + "地割" + std::to_string(i % 30 + 1) +
                "番地" + std::to_string(i + 1);
    char date[32];
    std::snprintf(date, sizeof date, "%04d-%02d-%02d", 1940 + i % 60, 1 + i % 12, 1 + i % 28);
    p.birth_date = date;
    p.sex_code = i % 2 ? "1" : "2";
    p.my_number = my_number_for(i);
    // PINs that vary per resident; never "1234", the demo card's.
    char pin[16];
    std::snprintf(pin, sizeof pin, "%04u", (static_cast<unsigned>(i) * 7919u + 2357u) % 10000u);
    p.pin = pin;
    if (p.pin == "1234") p.pin = "4321";
    return p;
}

std::string wrong_pin(const std::string& pin) {
    std::string w = pin;
    w[0] = w[0] == '9' ? '0' : static_cast<char>(w[0] + 1);
    return w;
}

// ---------------------------------------------------------------- the card

// One virtual card slot: the resident on the card changes between sessions.
// Through pcscd, one VirtualCard is served to vpcd by a thread; the next
// resident's card is put in its place between sessions, when no APDU is in
// flight (the serving thread is then blocked on the socket).
class CardSlot {
public:
    explicit CardSlot(bool through_pcscd) : pcscd_(through_pcscd) {}
    ~CardSlot() { stop(); }

    bool start_vpcd(const CardProfile& first) {
        card_.emplace(first);
        stop_ = false;
        thread_ = std::thread([this] { serve_vpcd(*card_, "127.0.0.1", kVpcdFirstPort, stop_); });
        try {
            ctx_.emplace();
            return ctx_->wait_for_card(std::chrono::seconds(5), reader_name()).has_value();
        } catch (const std::exception&) {
            return false;
        }
    }
    void stop() {
        stop_ = true;
        if (thread_.joinable()) thread_.join();
    }
    void insert(const CardProfile& p) { card_.emplace(p); }
    bool through_pcscd() const { return pcscd_; }
    static std::string reader_name() {
        const char* r = std::getenv("KAKANAI_VPCD_READER");
        return r && *r ? r : "Virtual PCD 00 00";
    }

    // As the kiosk's card worker: a fresh context, connection and transaction per read.
    CardInfo read(const Pin& pin, const ReadOptions& opts) {
        if (!pcscd_) {
            InProcessChannel channel(*card_);
            return read_card(channel, pin, opts);
        }
        PcscContext ctx;
        PcscCard card(ctx, reader_name());
        PcscCard::Transaction tx(card);
        return read_card(card, pin, opts);
    }

private:
    bool pcscd_;
    std::optional<VirtualCard> card_;
    std::optional<PcscContext> ctx_;
    std::atomic<bool> stop_{false};
    std::thread thread_;
};

// ---------------------------------------------------------------- process figures

double rss_mb() {
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("VmRSS:", 0) == 0) return std::strtod(line.c_str() + 6, nullptr) / 1024.0;
    return 0;
}

int open_fds() {
    int n = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator("/proc/self/fd")) ++n;
    return n - 1;  // the iterator's own descriptor
}

// ---------------------------------------------------------------- plaintext scan

enum Kind { kName, kAddress, kMyNumber, kPin, kKinds };
const char* const kKindNames[] = {"name", "address", "個人番号", "PIN"};

std::string utf16(const std::string& utf8, bool big_endian) {
    std::string out;
    for (std::uint32_t cp : kakanai::base::decode_utf8(utf8)) {
        auto put = [&](std::uint32_t u) {
            const char hi = static_cast<char>(u >> 8), lo = static_cast<char>(u & 0xFF);
            out += big_endian ? hi : lo;
            out += big_endian ? lo : hi;
        };
        if (cp >= 0x10000) {
            cp -= 0x10000;
            put(0xD800 + (cp >> 10));
            put(0xDC00 + (cp & 0x3FF));
        } else {
            put(cp);
        }
    }
    return out;
}

// Many needles, one pass per file: candidates by their first 8 bytes.
class Scanner {
public:
    void add(const std::string& needle, Kind kind) {
        const auto idx = needles_.size();
        needles_.push_back({needle, kind});
        if (needle.size() < 8) short_.push_back(idx);  // searched one by one (a few short names)
        else by_prefix_[key(needle.data())].push_back(idx);
    }
    // Counts per kind in one file (each needle once per file).
    std::array<int, kKinds> scan_file(const fs::path& file) const {
        std::array<int, kKinds> found{};
        std::ifstream in(file, std::ios::binary);
        if (!in) return found;
        const std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        std::unordered_set<std::size_t> seen;
        for (const auto idx : short_)
            if (data.find(needles_[idx].text) != std::string::npos && seen.insert(idx).second) ++found[needles_[idx].kind];
        for (std::size_t i = 0; i + 8 <= data.size(); ++i) {
            const auto it = by_prefix_.find(key(data.data() + i));
            if (it == by_prefix_.end()) continue;
            for (const auto idx : it->second) {
                const auto& n = needles_[idx];
                if (data.compare(i, n.text.size(), n.text) == 0 && seen.insert(idx).second) ++found[n.kind];
            }
        }
        return found;
    }

private:
    struct Needle {
        std::string text;
        Kind kind;
    };
    static std::uint64_t key(const char* p) {
        std::uint64_t k;
        std::memcpy(&k, p, sizeof k);
        return k;
    }
    std::vector<Needle> needles_;
    std::unordered_map<std::uint64_t, std::vector<std::size_t>> by_prefix_;
    std::vector<std::size_t> short_;
};

void add_resident_needles(Scanner& s, const CardProfile& p) {
    for (const std::string& name : {p.name, std::string(p.name).erase(p.name.find(' '), 1)}) {
        s.add(name, kName);
        s.add(utf16(name, true), kName);
        s.add(utf16(name, false), kName);
    }
    s.add(p.address, kAddress);
    s.add(utf16(p.address, true), kAddress);
    s.add(utf16(p.address, false), kAddress);
    s.add(p.my_number, kMyNumber);
    s.add(utf16(p.my_number, true), kMyNumber);
    // Four digits alone match by chance anywhere: a PIN is looked for as it
    // would leak, in its VERIFY APDU (bytes, hex) or after "pin".
    std::string apdu{'\x00', '\x20', '\x00', '\x80', '\x04'};
    apdu += p.pin;
    s.add(apdu, kPin);
    // The hex of "20 00 80 04" + the digits: the same in upper and lower case.
    s.add(to_hex(byte_vector(apdu.begin() + 1, apdu.end())), kPin);
    for (const char* prefix : {"pin=", "pin ", "PIN ", "pin\":\"", "\"pin\": \"", "pin = \"", "PIN: ", "pin: "})
        s.add(prefix + p.pin, kPin);
}

struct ScanResult {
    std::array<int, kKinds> found{};
    int files = 0;
    int skipped = 0;  // unreadable or too large
};

void scan_tree(const Scanner& s, const fs::path& root, ScanResult& r, const std::vector<fs::path>& exclude = {}) {
    std::error_code ec;
    for (fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec), end;
         !ec && it != end; it.increment(ec)) {
        if (std::find(exclude.begin(), exclude.end(), it->path()) != exclude.end()) {
            it.disable_recursion_pending();
            continue;
        }
        if (!it->is_regular_file(ec) || it->is_symlink(ec)) continue;
        const auto size = it->file_size(ec);
        if (ec || size > (256u << 20) || ::access(it->path().c_str(), R_OK) != 0) {
            ++r.skipped;
            continue;
        }
        const auto f = s.scan_file(it->path());
        for (int k = 0; k < kKinds; ++k) r.found[k] += f[k];
        ++r.files;
    }
}

int count_files(const fs::path& dir) {
    int n = 0;
    std::error_code ec;
    for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
        if (it->is_regular_file(ec)) ++n;
    return n;
}

// ---------------------------------------------------------------- the sessions

struct Phase {
    double seconds = 0;
    double first_rate = 0, last_rate = 0;  // sessions/s of the first and the last tenth
    double rss_warm = 0, rss_end = 0;
    int fds_warm = 0, fds_end = 0;
    int applications = 0;
};

forms::Answers answers_for(int i) {
    static const char* const purposes[] = {"job", "license", "pension", "insurance", "other"};
    return {{"applicant_phone", "019-6" + std::to_string(100 + i % 900) + "-" + std::to_string(1000 + i % 9000)},
            {"scope", i % 3 ? "self" : "household"},
            {"copies", std::to_string(1 + i % 3)},
            {"target_relationship", "self"},
            {"purpose", purposes[i % 5]},
            {"include_relationship", i % 2 ? "true" : "false"},
            {"include_honseki", "false"},
            {"include_my_number", "false"},
            {"move_date", "2026-11-01"},
            {"previous_address", "岩手県盛岡市内丸10番1号"}};
}

void print_progress(const char* what, int done, double rss, int fds, double rate) {
    std::printf("  %-9s %5d sessions  RSS %6.1f MB  fds %3d  %6.1f sessions/s\n", what, done, rss, fds, rate);
    std::fflush(stdout);
}

template <class OneSession>
Phase run_phase(const char* what, int sessions, OneSession&& one) {
    Phase ph;
    const int warm = std::max(1, sessions / 10);
    const auto t0 = Clock::now();
    auto mark = t0;
    for (int i = 0; i < sessions; ++i) {
        ph.applications += one(i);
        const int done = i + 1;
        if (done == warm) {
            const auto now = Clock::now();
            ph.first_rate = warm / std::chrono::duration<double>(now - mark).count();
            ph.rss_warm = rss_mb();
            ph.fds_warm = open_fds();
            print_progress(what, done, ph.rss_warm, ph.fds_warm, ph.first_rate);
        }
        if (done == sessions - warm) mark = Clock::now();
        if (done % std::max(1, sessions / 5) == 0 && done != warm && done != sessions)
            print_progress(what, done, rss_mb(), open_fds(),
                           done / std::chrono::duration<double>(Clock::now() - t0).count());
    }
    const auto end = Clock::now();
    ph.seconds = std::chrono::duration<double>(end - t0).count();
    ph.last_rate = warm / std::chrono::duration<double>(end - mark).count();
    ph.rss_end = rss_mb();
    ph.fds_end = open_fds();
    print_progress(what, sessions, ph.rss_end, ph.fds_end, sessions / ph.seconds);
    return ph;
}

// v with `decimals` digits, a sign when asked, then the unit.
std::string fmt(double v, int decimals, const std::string& unit, bool sign = false) {
    std::ostringstream o;
    o << std::fixed << std::setprecision(decimals) << (sign ? std::showpos : std::noshowpos) << v << unit;
    return o.str();
}

// The line scripts/run-benchmarks collects: name|ours|baseline|ratio|target|met.
void result(const std::string& name, const std::string& ours, const std::string& baseline, const std::string& ratio,
            const std::string& target, bool met) {
    std::printf("RESULT %s|%s|%s|%s|%s|%s\n", name.c_str(), ours.c_str(), baseline.c_str(), ratio.c_str(),
                target.c_str(), met ? "met" : "missed");
}

}  // namespace

int run() {
    const char* env = std::getenv("SOAK_SESSIONS");
    const int sessions = env && std::atoi(env) > 0 ? std::atoi(env) : 1000;
    const CardProfile base = CardProfile::load(test::card_profile("typical"));

    // Through pcscd when the virtual reader answers, else in-process.
    auto slot = std::make_unique<CardSlot>(true);
    if (!slot->start_vpcd(resident(base, 0))) {
        slot->stop();
        slot = std::make_unique<CardSlot>(false);
        slot->insert(resident(base, 0));
        std::printf("card: in-process virtual card (no pcscd with a vpcd reader \"%s\"; make bench runs one)\n",
                    CardSlot::reader_name().c_str());
    } else {
        std::printf("card: virtual card through pcscd + vpcd, reader \"%s\"\n", CardSlot::reader_name().c_str());
    }

    test::TempDir dir;
    kiosk::MakerConfig cfg;
    cfg.forms_dir = test::forms_dir();
    const fs::path output_dir = dir / "out";  // the kiosk writes no PDF; scanned to show it stays empty
    cfg.data_dir = dir / "data";
    cfg.station = "soak-kiosk";
    const fs::path print_dir = dir / "printed";
    kiosk::ApplicationMaker maker(cfg);
    auto staff = store::open_sqlite(cfg.data_dir / "store.db", cfg.data_dir / "seal.key");  // the staff station

    std::vector<std::string> bundle = {"juminhyo"};
    for (const auto& e : maker.catalogue().events())
        if (e.id == "moving_in") bundle = e.template_ids;
    std::printf("sessions: %d (住民票; every %dth the moving_in bundle of %zu forms, read with the 個人番号; "
                "every %dth a wrong PIN first)\n",
                sessions, kBundleEvery, bundle.size(), kWrongPinEvery);

    int wrong_pins_seen = 0;
    // The card part and the prefill, shared by both loops; returns the filled forms.
    auto read_and_fill = [&](int i) {
        CardProfile p = resident(base, i);
        slot->insert(p);
        const bool is_bundle = i % kBundleEvery == kBundleEvery - 1;
        ReadOptions opts;
        opts.with_my_number = is_bundle;
        if (i % kWrongPinEvery == kWrongPinEvery - 1) {
            try {
                const Pin wrong(wrong_pin(p.pin));
                auto info = slot->read(wrong, opts);
                info.wipe();
                throw std::runtime_error("the card accepted a wrong PIN");
            } catch (const CardError& e) {
                if (e.kind() != CardErrorKind::WrongPin) throw;
                ++wrong_pins_seen;
            }
        }
        const Pin pin(p.pin);
        CardInfo info = slot->read(pin, opts);
        if (info.name != p.name || (is_bundle && (!info.my_number || info.my_number->digits() != p.my_number)))
            throw std::runtime_error("session " + std::to_string(i) + ": the card read gave other data");
        std::vector<std::string> templates = is_bundle ? bundle : std::vector<std::string>{"juminhyo"};
        forms::Answers answers = answers_for(i);
        auto filled = maker.fill(templates, info, answers);
        info.wipe();
        for (auto& [k, v] : answers) base::secure_zero(v.data(), v.size());
        for (std::string* s : {&p.name, &p.address, &p.my_number, &p.pin}) base::secure_zero(s->data(), s->size());
        return filled;
    };

    // Baseline: card read, prefill, wipe; no PDF, no store.
    const Phase basel = run_phase("baseline", sessions, [&](int i) {
        auto filled = read_and_fill(i);
        for (auto& f : filled) f.wipe();
        return static_cast<int>(filled.size());
    });

    store::PurgePolicy now_policy;
    now_policy.printed = now_policy.cancelled = std::chrono::seconds(0);
    const auto delete_files = [&](const std::string& id) {
        printing::delete_application_pdfs(output_dir, id);
        printing::delete_application_pdfs(print_dir, id);
    };
    int purged = 0;
    const Phase full = run_phase("full", sessions, [&](int i) {
        auto filled = read_and_fill(i);
        const auto ids = maker.submit(filled, cardreader::Authenticity::Consistent);  // sealed in the store; pages only at the staff side
        for (auto& f : filled) f.wipe();
        store::KioskSession ks;
        ks.station = cfg.station;
        ks.templates = {filled.size() > 1 ? "moving_in" : "juminhyo"};
        ks.card_read = ks.completed = true;
        ks.language = "ja";
        staff->record_session(ks);
        for (const auto& id : ids) {
            store::Application app = staff->take(id, "staff-1");
            staff->confirm(id, "staff-1");
            const auto job = staff->begin_print(id, "staff-1", "folder");
            const forms::Template* t = maker.catalogue().find(app.template_id);
            auto form = kiosk::to_filled_form(*t, app);
            for (auto& f : app.fields) base::wipe_string(f.value);
            printing::PdfOptions opts;
            opts.application_id = id;
            const auto copy = printing::print_form_to_folder(*t, form, opts, print_dir).file;
            form.wipe();
            staff->print_sent(job.id, copy.filename().string());
            staff->print_finished(job.id, true, "");
        }
        const auto pr = staff->purge(now_policy, delete_files);
        if (pr.purged != static_cast<int>(ids.size()) || !pr.kept.empty())
            throw std::runtime_error("session " + std::to_string(i) + ": purge removed " + std::to_string(pr.purged) +
                                     " of " + std::to_string(ids.size()));
        purged += pr.purged;
        return static_cast<int>(ids.size());
    });
    slot->stop();

    // Leftovers: files in the output folders, then the residents' data anywhere.
    const int leftover_files = count_files(output_dir) + count_files(print_dir);
    Scanner scanner;
    for (int i = 0; i < sessions; ++i) {
        CardProfile p = resident(base, i);
        add_resident_needles(scanner, p);
    }
    // The scanner must find what it looks for: one file with one of each kind.
    {
        test::TempDir probe;
        const CardProfile p = resident(base, sessions / 2);
        std::ofstream(probe / "probe.txt") << p.name << "\n" << p.address << "\n" << p.my_number << "\npin=" << p.pin;
        const auto f = scanner.scan_file(probe / "probe.txt");
        if (f[kName] != 1 || f[kAddress] != 1 || f[kMyNumber] != 1 || f[kPin] != 1)
            throw std::runtime_error("the plaintext scanner missed its own probe");
    }
    ScanResult in_out, in_store, in_tmp;
    scan_tree(scanner, output_dir, in_out);
    scan_tree(scanner, print_dir, in_out);
    scan_tree(scanner, cfg.data_dir, in_store);
    scan_tree(scanner, fs::temp_directory_path(), in_tmp, {dir.path()});
    const auto line = [](const char* where, const ScanResult& r) {
        std::printf("  %-34s %5d files (%d unreadable/large skipped):", where, r.files, r.skipped);
        for (int k = 0; k < kKinds; ++k) std::printf(" %s %d", kKindNames[k], r.found[k]);
        std::printf("\n");
    };
    std::printf("\nplaintext scan for %d residents' data (counts only; scanner checked on a probe file):\n",
                sessions);
    line("output + printed folders", in_out);
    std::error_code ec;
    std::printf("  store files:");
    for (const char* f : {"store.db", "store.db-wal", "store.db-shm"})
        std::printf(" %s %s", f, fs::exists(cfg.data_dir / f, ec) ? std::to_string(fs::file_size(cfg.data_dir / f, ec)).c_str() : "-");
    std::printf(" bytes\n");
    line("store folder (db, WAL, SHM, key)", in_store);
    line(("rest of " + fs::temp_directory_path().string()).c_str(), in_tmp);
    int found = 0;
    for (const auto* r : {&in_out, &in_store, &in_tmp})
        for (int k = 0; k < kKinds; ++k) found += r->found[k];
    const int leftovers = leftover_files + found;

    const double rate = sessions / full.seconds, base_rate = sessions / basel.seconds;
    const double growth = full.rss_end - full.rss_warm, base_growth = basel.rss_end - basel.rss_warm;
    const int fd_growth = full.fds_end - full.fds_warm, base_fd_growth = basel.fds_end - basel.fds_warm;
    std::printf("\nfull sessions: %d in %.1f s = %.1f sessions/s (%d applications, %d purged; %d wrong PINs refused in both loops)\n",
                sessions, full.seconds, rate, full.applications, purged, wrong_pins_seen);
    std::printf("baseline (read + prefill + wipe, no store, no PDF): %.1f s = %.1f sessions/s\n", basel.seconds,
                base_rate);
    std::printf("first tenth %.1f sessions/s, last tenth %.1f sessions/s (slowdown %.2fx)\n", full.first_rate,
                full.last_rate, full.first_rate / full.last_rate);
    std::printf("RSS after warm-up %.1f MB, at the end %.1f MB: growth %+.2f MB (baseline loop %+.2f MB; target <= "
                "%.0f MB)\n",
                full.rss_warm, full.rss_end, growth, base_growth, kRssBoundMb);
    std::printf("open fds after warm-up %d, at the end %d: growth %+d (baseline loop %+d; target 0)\n", full.fds_warm,
                full.fds_end, fd_growth, base_fd_growth);
    std::printf("leftovers: %d files in the output folders, %d plaintext matches (target 0)\n", leftover_files, found);

    const std::string n = " (" + std::to_string(sessions) + " sessions)";
    result("soak: sessions/s, full vs read+prefill only" + n, fmt(rate, 1, "/s"), fmt(base_rate, 1, "/s"),
           fmt(rate / base_rate, 2, "x"), ">= " + fmt(kTargetSessionsPerSecond, 0, "/s"), rate >= kTargetSessionsPerSecond);
    result("soak: RSS growth after warm-up" + n, fmt(growth, 2, " MB", true), fmt(base_growth, 2, " MB", true), "-",
           "<= " + fmt(kRssBoundMb, 0, " MB"), growth <= kRssBoundMb);
    result("soak: open fd growth after warm-up" + n, fmt(fd_growth, 0, "", true), fmt(base_fd_growth, 0, "", true), "-",
           "0", fd_growth == 0);
    result("soak: leftover files + plaintext matches" + n, std::to_string(leftovers), "-", "-", "0", leftovers == 0);
    return 0;
}

int main() {
    try {
        return run();
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_soak: %s\n", e.what());
        return 1;
    }
}
