// The backend-independent store suite (see store_suite.hpp).
#include "store_suite.hpp"

#include "kakanai/store/keys.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <iterator>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include "kakanai/base/my_number.hpp"
#include "kakanai/store/report.hpp"
#include "test_support.hpp"

using namespace kakanai::store;
using kakanai::test::store_target;
using kakanai::test::TempDir;

namespace {

// Invented resident; nothing here belongs to a real person. The values are
// drawn afresh in every run, so the plaintext search below can only find what
// this run wrote (never stale files, nor the test's own source text).
std::string draw(const std::vector<std::string>& pool, int n) {
    static std::random_device rd;
    std::string out;
    for (int i = 0; i < n; ++i) out += pool[rd() % pool.size()];
    return out;
}
const std::vector<std::string> kKanji = {"縫", "鷺", "楓", "榊", "柊", "椿", "萩", "葵", "澪", "凪",
                                         "汐", "颯", "蓮", "樹", "翠", "雫", "茜", "霞", "梓", "梢"};
const std::string kName = draw(kKanji, 2) + " " + draw(kKanji, 3);
const std::string kAddress = "架空県" + draw(kKanji, 2) + "市試験町" + draw({"1", "2", "3", "4", "5", "6", "7", "8", "9"}, 6);
// Eleven random digits and the 個人番号 check digit.
const std::string kMyNumber = [] {
    const std::string d = draw({"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}, 11);
    return d + *kakanai::base::my_number_check_digit(d);
}();
// The export test writes plaintext on purpose, so it uses another invented name
// than the one the plaintext search looks for.
const std::string kExportName = "出力 試子";

Application sample(const std::string& name = kName, const std::string& address = kAddress) {
    Application a;
    a.template_id = "juminhyo";
    a.template_version = 3;
    a.department = "市民課";
    a.station = "kiosk-1";
    a.fields = {{"applicant_name", name, "card", "text"},
                {"applicant_address", address, "card", "address"},
                {"copies", "1", "answer", "number"}};
    return a;
}

std::string slurp(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

// Every regular file below `root` that contains `needle` (paths only: the
// needle itself never goes to the test output).
std::vector<std::string> files_containing(const std::filesystem::path& root, const std::vector<std::string>& needles) {
    std::vector<std::string> hits;
    std::error_code ec;
    const auto check = [&](const std::filesystem::path& p) {
        std::error_code e;
        if (!std::filesystem::is_regular_file(p, e) || std::filesystem::file_size(p, e) > (64u << 20)) return;
        const std::string bytes = slurp(p);
        for (const auto& n : needles)
            if (bytes.find(n) != std::string::npos) hits.push_back(p.string());
    };
    if (std::filesystem::is_regular_file(root, ec)) {
        check(root);
        return hits;
    }
    for (auto it = std::filesystem::recursive_directory_iterator(
             root, std::filesystem::directory_options::skip_permission_denied, ec);
         it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
        if (ec) break;
        check(it->path());
    }
    return hits;
}

struct Clock {
    std::shared_ptr<std::atomic<std::int64_t>> t = std::make_shared<std::atomic<std::int64_t>>(1'800'000'000);
    std::function<std::int64_t()> fn() const {
        auto p = t;
        return [p] { return p->load(); };
    }
    void advance(std::int64_t s) { *t += s; }
};

// The kind of the StoreError `f` throws; fails the test when it throws none.
template <class F>
StoreErrorKind kind_thrown(F&& f) {
    try {
        f();
    } catch (const StoreError& e) {
        return e.kind();
    }
    ADD_FAILURE() << "no StoreError";
    return StoreErrorKind::Internal;
}

class StoreSuite : public ::testing::Test {
protected:
    StoreConfig cfg() {
        if (!made_) {
            config_ = store_target().fresh(dir_.path());
            config_.private_key_file = dir_ / "seal.key";
            config_.public_key_file = dir_ / "seal.pub";
            config_.clock = clock_.fn();
            made_ = true;
        }
        return config_;
    }
    std::unique_ptr<Store> open() { return open_store(cfg()); }

    TempDir dir_;
    Clock clock_;
    StoreConfig config_;
    bool made_ = false;
};

}  // namespace

// The card check's result is kept with the application (and read back by the
// queue); a failing result is refused, and a refused kiosk session is kept as such.
TEST_F(StoreSuite, KeepsTheCardsAuthenticityAndRefusedSessions) {
    auto store = open();
    auto app = sample();
    app.authenticity = "verified";
    const std::string id = store->submit(app);
    EXPECT_EQ(store->get(id)->authenticity, "verified");
    ASSERT_EQ(store->queue().size(), 1u);
    EXPECT_EQ(store->queue()[0].app.authenticity, "verified");
    for (const char* failed : {"hash_mismatch", "signature_invalid", "not_checked"}) {
        auto bad = sample();
        bad.authenticity = failed;
        EXPECT_THROW(store->submit(bad), StoreError) << failed;
    }
    EXPECT_EQ(store->queue().size(), 1u);
    KioskSession s;
    s.station = "kiosk-1";
    s.started_at = 100;
    s.ended_at = 130;
    s.refused = true;
    s.language = "ja";
    store->record_session(s);
    const auto sessions = store->sessions(0, INT64_MAX);
    ASSERT_EQ(sessions.size(), 1u);
    EXPECT_TRUE(sessions[0].refused);
    EXPECT_FALSE(sessions[0].card_read);
}

TEST_F(StoreSuite, SubmitGetQueueAndAudit) {
    auto store = open();
    EXPECT_EQ(store->schema_version(), kSchemaVersion);
    const std::string id = store->submit(sample());
    EXPECT_EQ(id.size(), 11u);
    const auto got = store->get(id);
    ASSERT_TRUE(got.has_value());
    EXPECT_EQ(got->state, State::Submitted);
    EXPECT_EQ(got->department, "市民課");
    ASSERT_EQ(got->fields.size(), 3u);
    EXPECT_EQ(got->fields[0].value, kName);
    EXPECT_EQ(got->fields[1].origin, "card");
    clock_.advance(90);
    const auto q = store->queue();
    ASSERT_EQ(q.size(), 1u);
    EXPECT_EQ(q[0].waiting_seconds, 90);
    EXPECT_TRUE(q[0].app.fields.empty());
    store->set_state(id, State::Confirmed, "staff-07");
    EXPECT_TRUE(store->queue().empty());
    const auto audit = store->audit_lines(id);
    ASSERT_EQ(audit.size(), 2u);
    EXPECT_NE(audit[0].find("kiosk-1 submit juminhyo@3 card"), std::string::npos);
    EXPECT_NE(audit[1].find("staff-07 confirm juminhyo@3"), std::string::npos);
    EXPECT_FALSE(store->get("A-NOPE-NOPE").has_value());
}

TEST_F(StoreSuite, PersonalFieldsAreNotStoredInPlaintextAndKeyIs0600) {
    {
        auto store = open();
        store->submit(sample());
    }
    const auto c = cfg();
    for (const auto& p : store_target().data_paths(c))
        EXPECT_TRUE(files_containing(p, {kName, kAddress}).empty()) << p;
    struct stat st{};
    ASSERT_EQ(stat(c.private_key_file.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    ASSERT_EQ(stat(c.public_key_file.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST_F(StoreSuite, SurvivesReopenAndRefusesAnotherKey) {
    std::string id;
    {
        auto store = open();
        id = store->submit(sample());
    }
    auto again = open();
    EXPECT_EQ(again->get(id)->fields[1].value, kAddress);
    auto c = cfg();
    c.private_key_file = dir_ / "other.key";
    c.public_key_file = dir_ / "other.pub";
    create_key_pair(c.private_key_file, c.public_key_file);
    try {
        open_store(c);
        FAIL() << "opened with the wrong key";
    } catch (const StoreError& e) {
        EXPECT_NE(std::string(e.what()).find("other.key"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("docs/store.md"), std::string::npos) << e.what();
        EXPECT_EQ(e.kind(), StoreErrorKind::KeyMissing) << e.what();
    }
    try {
        open_kiosk_store(c);
        FAIL() << "a kiosk sealed for the wrong key";
    } catch (const StoreError& e) {
        EXPECT_NE(std::string(e.what()).find("other.pub"), std::string::npos) << e.what();
        EXPECT_EQ(e.kind(), StoreErrorKind::KeyMissing) << e.what();
    }
}

// The kiosk holds the public key alone: it writes, and neither the store API
// nor the raw rows give a name back; the staff side opens every application.
TEST_F(StoreSuite, KioskWithOnlyThePublicKeyWritesButNeverReads) {
    { open(); }  // the store's key pair
    auto c = cfg();
    const auto hidden = dir_ / "staff-only.key";
    std::filesystem::rename(c.private_key_file, hidden);  // the kiosk PC has no private key
    std::vector<std::string> ids;
    {
        auto kiosk = open_kiosk_store(c);
        for (int i = 0; i < 3; ++i) ids.push_back(kiosk->submit(sample(std::string(kName) + std::to_string(i))));
        auto* as_store = dynamic_cast<Store*>(kiosk.get());
        ASSERT_NE(as_store, nullptr);
        for (const auto& id : ids) {
            try {
                as_store->get(id);
                FAIL() << "the kiosk opened " << id;
            } catch (const StoreError& e) {
                EXPECT_EQ(e.kind(), StoreErrorKind::KeyMissing);
                EXPECT_NE(std::string(e.what()).find("only the public key"), std::string::npos) << e.what();
            }
        }
        EXPECT_THROW(as_store->rotate_keys(), StoreError);
    }
    EXPECT_FALSE(std::filesystem::exists(c.private_key_file)) << "the kiosk made a private key";
    for (const auto& p : store_target().data_paths(c))
        EXPECT_TRUE(files_containing(p, {kName, kAddress}).empty()) << p;
    std::filesystem::rename(hidden, c.private_key_file);
    auto staff = open();
    for (std::size_t i = 0; i < ids.size(); ++i)
        EXPECT_EQ(staff->get(ids[i])->fields[0].value, std::string(kName) + std::to_string(i));
}

// A store with rows never gets a new key: a missing key stops the program
// with a message naming the file and docs/store.md, and no key file appears.
TEST_F(StoreSuite, MissingKeyOfAStoreWithRowsStopsAndMakesNoNewKey) {
    {
        auto store = open();
        store->submit(sample());
    }
    auto c = cfg();
    std::filesystem::rename(c.private_key_file, dir_ / "away.key");
    std::filesystem::rename(c.public_key_file, dir_ / "away.pub");
    for (const bool kiosk : {false, true}) {
        try {
            if (kiosk) open_kiosk_store(c);
            else open_store(c);
            FAIL() << "opened without its key";
        } catch (const StoreError& e) {
            const std::string file = (kiosk ? c.public_key_file : c.private_key_file).string();
            EXPECT_EQ(e.kind(), StoreErrorKind::KeyMissing);
            EXPECT_NE(std::string(e.what()).find(file), std::string::npos) << e.what();
            EXPECT_NE(std::string(e.what()).find("docs/store.md"), std::string::npos) << e.what();
        }
        EXPECT_FALSE(std::filesystem::exists(c.private_key_file));
        EXPECT_FALSE(std::filesystem::exists(c.public_key_file));
    }
}

TEST_F(StoreSuite, MyNumberIsNeverStored) {
    auto store = open();
    auto by_id = sample();
    by_id.fields.push_back({"my_number", kMyNumber, "card", ""});
    auto by_type = sample();
    by_type.fields.push_back({"number_for_tax", kMyNumber, "card", "my_number"});
    auto by_value = sample();
    by_value.fields.push_back({"notes", kMyNumber.substr(0, 4) + " " + kMyNumber.substr(4, 4) + " " + kMyNumber.substr(8), "answer", "text"});
    for (auto* a : {&by_id, &by_type, &by_value}) {
        try {
            store->submit(*a);
            FAIL() << "a 個人番号 field was accepted";
        } catch (const StoreError& e) {
            const std::string msg = e.what();
            EXPECT_NE(msg.find("個人番号"), std::string::npos);
            EXPECT_EQ(msg.find(kMyNumber), std::string::npos);  // the message never carries the number
        }
    }
    EXPECT_TRUE(store->queue().empty());
    // Twelve digits with a wrong check digit are not a 個人番号 (e.g. a long reference number).
    auto reference = sample();
    reference.fields.push_back({"reference", kMyNumber.substr(0, 11) + std::to_string((kMyNumber[11] - '0' + 1) % 10), "answer", "text"});
    EXPECT_NO_THROW(store->submit(reference));
    // A question about the number (print it on the 住民票 or not) is not the number.
    auto question = sample();
    question.fields.push_back({"include_my_number", "no", "answer", "choice"});
    EXPECT_NO_THROW(store->submit(question));
    const std::string id = store->submit(sample());
    EXPECT_THROW(store->correct_field(id, "my_number", kMyNumber, "staff-01", {"misread"}), StoreError);
    EXPECT_THROW(store->save_draft(by_id), StoreError);
    store.reset();
    for (const auto& p : store_target().data_paths(cfg())) EXPECT_TRUE(files_containing(p, {kMyNumber}).empty()) << p;
}

TEST_F(StoreSuite, StaffFlowCorrectConfirmPrintReprint) {
    auto store = open();
    const std::string id = store->submit(sample());
    auto taken = store->take_next("staff-01");
    ASSERT_TRUE(taken.has_value());
    EXPECT_EQ(taken->id, id);
    EXPECT_EQ(taken->taken_by, "staff-01");
    EXPECT_EQ(taken->fields[0].value, kName);
    // Another station cannot act on it while it is open.
    EXPECT_THROW(store->confirm(id, "staff-02"), StoreError);
    EXPECT_THROW(store->correct_field(id, "applicant_name", "x", "staff-02", {"typo"}), StoreError);
    // The note may not repeat values: the audit log keeps none. The reason is a code.
    const std::string fixed_name = kName + "子";
    EXPECT_THROW(store->correct_field(id, "applicant_name", fixed_name, "staff-01", {"misread", "was " + kName}), StoreError);
    EXPECT_THROW(store->correct_field(id, "applicant_name", fixed_name, "staff-01", {"misread", "now " + fixed_name}), StoreError);
    EXPECT_THROW(store->correct_field(id, "applicant_name", fixed_name, "staff-01", {}), StoreError);
    EXPECT_THROW(store->correct_field(id, "applicant_name", fixed_name, "staff-01", {"card misread"}), StoreError);
    store->correct_field(id, "applicant_name", fixed_name, "staff-01", {"misread", "IC chip read again"});
    const auto fixed = store->get(id);
    EXPECT_EQ(fixed->fields[0].value, fixed_name);
    EXPECT_EQ(fixed->fields[0].origin, "staff");
    // Printing before confirmation is refused.
    EXPECT_THROW(store->begin_print(id, "staff-01", "counter-1"), StoreError);
    store->confirm(id, "staff-01");

    const PrintJob job = store->begin_print(id, "staff-01", "counter-1");
    EXPECT_EQ(job.status, PrintStatus::Pending);
    EXPECT_FALSE(job.reprint);
    // A second print without a reprint request is refused while the first is in flight...
    EXPECT_THROW(store->begin_print(id, "staff-01", "counter-1"), StoreError);
    store->print_sent(job.id, "cups-42");
    ASSERT_EQ(store->unfinished_print_jobs().size(), 1u);
    store->print_finished(job.id, true, "");
    store->print_finished(job.id, true, "");  // a repeated report changes nothing
    EXPECT_EQ(store->get(id)->state, State::Printed);
    EXPECT_TRUE(store->unfinished_print_jobs().empty());
    // ... and after it printed.
    try {
        store->begin_print(id, "staff-01", "counter-1");
        FAIL();
    } catch (const StoreError& e) {
        EXPECT_NE(std::string(e.what()).find("request a reprint"), std::string::npos);
    }
    store->request_reprint(id, "staff-03", {"torn"});
    const PrintJob again = store->begin_print(id, "staff-03", "counter-2");
    EXPECT_TRUE(again.reprint);
    store->print_finished(again.id, true, "");
    EXPECT_THROW(store->begin_print(id, "staff-03", "counter-2"), StoreError);

    const auto jobs = store->print_jobs(id);
    ASSERT_EQ(jobs.size(), 2u);
    EXPECT_EQ(jobs[0].spool_id, "cups-42");
    EXPECT_EQ(jobs[0].status, PrintStatus::Done);
    EXPECT_EQ(jobs[1].printer, "counter-2");

    const auto hist = store->history(id);
    ASSERT_EQ(hist.size(), 3u);
    EXPECT_EQ(hist[0].to, State::Submitted);
    EXPECT_EQ(hist[1].to, State::Confirmed);
    EXPECT_EQ(hist[1].actor, "staff-01");
    EXPECT_EQ(hist[2].to, State::Printed);

    std::string all;
    for (const auto& l : store->audit_lines(id)) all += l + "\n";
    for (const char* want : {"staff-01 take", "staff-01 correct juminhyo@3 field=applicant_name reason=misread note=IC chip read again",
                             "staff-01 confirm", "staff-01 print juminhyo@3 job=", "staff-01 printed",
                             "staff-03 reprint-request juminhyo@3 reason=torn", "staff-03 reprint juminhyo@3"})
        EXPECT_NE(all.find(want), std::string::npos) << want << "\n" << all;
    EXPECT_EQ(all.find(kName), std::string::npos);  // no value in the audit log
    EXPECT_EQ(all.find(kAddress), std::string::npos);
}

TEST_F(StoreSuite, StaffCodesAreHashedAndFailuresAudited) {
    auto store = open();
    EXPECT_FALSE(store->login("desk-1", "staff-01", "471100").ok());  // no code yet
    store->set_staff_code("staff-01", "471100", "admin");
    EXPECT_TRUE(store->login("desk-1", "staff-01", "471100").ok());
    EXPECT_FALSE(store->login("desk-1", "staff-01", "471200").ok());
    EXPECT_FALSE(store->login("desk-1", "staff-02", "471100").ok());
    store->set_staff_code("staff-01", "808080", "admin");  // changed
    EXPECT_FALSE(store->login("desk-1", "staff-01", "471100").ok());
    EXPECT_TRUE(store->login("desk-1", "staff-01", "808080").ok());
    // At least six digits, nothing else.
    for (const char* bad : {"12", "4711", "47110", "47110a", "４７１１００"})
        EXPECT_EQ(kind_thrown([&] { store->set_staff_code("staff-01", bad, "admin"); }), StoreErrorKind::Refused) << bad;
    int failed = 0;
    for (const auto& e : store->audit(0, INT64_MAX))
        if (e.action == "login-failed") ++failed;
    EXPECT_EQ(failed, 4);
}

TEST_F(StoreSuite, FailedPrintCanBeRetriedUnknownPrintNeedsReprintRequest) {
    auto store = open();
    const std::string id = store->submit(sample());
    store->confirm(id, "staff-01");
    const auto first = store->begin_print(id, "staff-01", "p");
    store->print_finished(first.id, false, "printer offline");
    EXPECT_EQ(store->get(id)->state, State::Confirmed);
    const auto second = store->begin_print(id, "staff-01", "p");  // nothing came out: allowed
    EXPECT_FALSE(second.reprint);
    // The station dies here: the job's result is unknown.
    store.reset();
    store = open();
    ASSERT_EQ(store->unfinished_print_jobs().size(), 1u);
    try {
        store->begin_print(id, "staff-01", "p");
        FAIL();
    } catch (const StoreError& e) {
        EXPECT_NE(std::string(e.what()).find("result is unknown"), std::string::npos) << e.what();
    }
    store->request_reprint(id, "staff-01", {"not_printed"});
    EXPECT_TRUE(store->unfinished_print_jobs().empty());
    const auto third = store->begin_print(id, "staff-01", "p");
    store->print_finished(third.id, true, "");
    EXPECT_EQ(store->get(id)->state, State::Printed);
}

TEST_F(StoreSuite, TakeRespectsOtherStationsAndLease) {
    auto a = open();
    auto b = open();
    const std::string first = a->submit(sample());
    clock_.advance(1);
    const std::string second = a->submit(sample());
    EXPECT_EQ(a->take_next("staff-a")->id, first);
    EXPECT_EQ(b->take_next("staff-b")->id, second);
    EXPECT_FALSE(b->take_next("staff-b").has_value());
    try {
        b->take(first, "staff-b");
        FAIL();
    } catch (const StoreError& e) {
        EXPECT_NE(std::string(e.what()).find("staff-a"), std::string::npos);
    }
    const auto q = b->queue();
    ASSERT_EQ(q.size(), 2u);
    EXPECT_EQ(q[0].app.taken_by, "staff-a");
    a->release(first, "staff-a");
    EXPECT_EQ(b->take(first, "staff-b").taken_by, "staff-b");
    // A station that died holds its application only for the lease.
    clock_.advance(31 * 60);
    EXPECT_EQ(a->take_next("staff-a")->id, first);
    EXPECT_THROW(a->release(second, "staff-a"), StoreError);
}

// A station renews its claim while it lives; one that stopped renewing (killed)
// gives the application back after the lease, and the queue says so.
TEST_F(StoreSuite, LeaseRenewedWhileTheStationLivesAndReturnedAfterIt) {
    auto a = open();
    auto b = open();
    const std::string id = a->submit(sample());
    EXPECT_EQ(a->take_next("staff-a")->id, id);
    for (int i = 0; i < 5; ++i) {  // 5 x 100 s: longer than the lease, renewed all along
        clock_.advance(100);
        EXPECT_TRUE(a->renew_lease(id, "staff-a"));
        EXPECT_FALSE(b->take_next("staff-b").has_value()) << "taken from a live station after " << (i + 1) * 100 << " s";
    }
    EXPECT_FALSE(b->queue().at(0).returned);
    EXPECT_EQ(b->queue().at(0).app.taken_by, "staff-a");
    EXPECT_FALSE(b->renew_lease(id, "staff-b"));  // not b's to renew
    // Station a dies: no more renewals. Within the lease it is still held ...
    clock_.advance(119);
    EXPECT_FALSE(b->take_next("staff-b").has_value());
    // ... after it, free and shown as returned.
    clock_.advance(2);
    const auto q = b->queue();
    ASSERT_EQ(q.size(), 1u);
    EXPECT_TRUE(q[0].returned);
    EXPECT_EQ(q[0].returned_from, "staff-a");
    EXPECT_TRUE(q[0].app.taken_by.empty());
    EXPECT_EQ(b->take_next("staff-b")->id, id);
    EXPECT_FALSE(b->queue().at(0).returned);
    EXPECT_FALSE(a->renew_lease(id, "staff-a"));  // a came back too late: b holds it
    const auto lines = b->audit_lines(id);
    ASSERT_FALSE(lines.empty());
    EXPECT_NE(lines.back().find("take"), std::string::npos);
    EXPECT_NE(lines.back().find("returned-from=staff-a"), std::string::npos) << lines.back();
}

TEST_F(StoreSuite, LeaseIsTheConfiguredOne) {
    StoreConfig c = cfg();
    c.take_lease = std::chrono::seconds(10);
    auto a = open_store(c);
    auto b = open_store(c);
    const std::string id = a->submit(sample());
    EXPECT_EQ(a->take_next("staff-a")->id, id);
    clock_.advance(9);
    EXPECT_FALSE(b->take_next("staff-b").has_value());
    clock_.advance(2);
    EXPECT_EQ(b->take_next("staff-b")->id, id);
    EXPECT_EQ(StoreConfig{}.take_lease, std::chrono::minutes(2));  // the default
}

// Two kiosks call staff; every station sees both calls, newest first; the first
// clerk to acknowledge wins, and the kiosk reads who answered. Nothing personal.
TEST_F(StoreSuite, CallsFromTwoKiosksReachEveryStationAndTheFirstAnswerWins) {
    auto station_a = open();
    auto station_b = open();
    auto kiosk1 = open_kiosk_store(cfg());
    auto kiosk2 = open_kiosk_store(cfg());
    EXPECT_TRUE(station_a->open_calls().empty());
    const std::int64_t c1 = kiosk1->raise_call("kiosk-1", "no_card");
    clock_.advance(5);
    const std::int64_t c2 = kiosk2->raise_call("kiosk-2", "help");
    EXPECT_NE(c1, c2);
    for (auto* st : {station_a.get(), station_b.get()}) {
        const auto calls = st->open_calls();
        ASSERT_EQ(calls.size(), 2u);
        EXPECT_EQ(calls[0].id, c2);  // newest first
        EXPECT_EQ(calls[0].kiosk, "kiosk-2");
        EXPECT_EQ(calls[0].reason, "help");
        EXPECT_EQ(calls[1].kiosk, "kiosk-1");
        EXPECT_EQ(calls[1].reason, "no_card");
        EXPECT_EQ(calls[1].raised_at, 1'800'000'000);
        EXPECT_FALSE(calls[1].acknowledged());
    }
    clock_.advance(30);
    EXPECT_TRUE(station_a->acknowledge_call(c1, "tanaka"));
    EXPECT_FALSE(station_b->acknowledge_call(c1, "suzuki"));  // already answered
    const auto seen = kiosk1->call(c1);
    ASSERT_TRUE(seen.has_value());
    EXPECT_TRUE(seen->acknowledged());
    EXPECT_EQ(seen->acknowledged_by, "tanaka");
    EXPECT_EQ(seen->acknowledged_at, 1'800'000'035);
    EXPECT_FALSE(kiosk2->call(c2)->acknowledged());
    ASSERT_EQ(station_b->open_calls().size(), 1u);
    EXPECT_EQ(station_b->open_calls()[0].id, c2);
    EXPECT_TRUE(station_b->acknowledge_call(c2, "suzuki"));
    EXPECT_TRUE(station_a->open_calls().empty());
    EXPECT_FALSE(kiosk1->call(c1 + c2 + 100).has_value());
    EXPECT_EQ(kind_thrown([&] { station_a->acknowledge_call(c1 + c2 + 100, "tanaka"); }), StoreErrorKind::NotFound);
    // A reason is a code, never free text (which could carry a name).
    EXPECT_EQ(kind_thrown([&] { kiosk1->raise_call("kiosk-1", kName); }), StoreErrorKind::Refused);
    EXPECT_EQ(kind_thrown([&] { kiosk1->raise_call("", "help"); }), StoreErrorKind::Refused);
    // Audited: who raised, who answered, after how long.
    std::vector<std::string> audit;
    for (const auto& e : station_a->audit(0, INT64_MAX))
        if (e.action == "call" || e.action == "call-ack") audit.push_back(e.actor + " " + e.action + " " + e.detail);
    ASSERT_EQ(audit.size(), 4u);
    EXPECT_EQ(audit[0], "kiosk-1 call call=" + std::to_string(c1) + " reason=no_card");
    EXPECT_EQ(audit[2], "tanaka call-ack call=" + std::to_string(c1) + " kiosk=kiosk-1 reason=no_card after=35s");
}

TEST_F(StoreSuite, TwoStationsRacingEachApplicationTakenOnce) {
    constexpr int kApps = 40;
    {
        auto s = open();
        for (int i = 0; i < kApps; ++i) s->submit(sample());
    }
    std::atomic<bool> go{false};
    std::vector<std::string> got[2];
    std::thread stations[2];
    std::exception_ptr errors[2];
    for (int k = 0; k < 2; ++k)
        stations[k] = std::thread([&, k] {
            try {
                auto s = open_store(cfg());
                while (!go) std::this_thread::yield();
                while (auto a = s->take_next("staff-" + std::to_string(k))) got[k].push_back(a->id);
            } catch (...) {
                errors[k] = std::current_exception();
            }
        });
    go = true;
    for (auto& t : stations) t.join();
    for (auto& e : errors)
        if (e) std::rethrow_exception(e);
    std::set<std::string> all(got[0].begin(), got[0].end());
    for (const auto& id : got[1]) EXPECT_TRUE(all.insert(id).second) << id << " was taken by both stations";
    EXPECT_EQ(all.size(), static_cast<std::size_t>(kApps));
    EXPECT_EQ(got[0].size() + got[1].size(), static_cast<std::size_t>(kApps));
}

TEST_F(StoreSuite, DraftsSubmitOrVanishAtOnce) {
    auto store = open();
    const std::string kept = store->save_draft(sample());
    const std::string left = store->save_draft(sample());
    EXPECT_TRUE(store->queue().empty());
    store->submit_draft(kept, "kiosk-1");
    EXPECT_EQ(store->queue().size(), 1u);
    store->abandon_draft(left, "kiosk-1");
    EXPECT_FALSE(store->get(left).has_value());
    EXPECT_THROW(store->abandon_draft(kept, "kiosk-1"), StoreError);  // submitted: cancel instead
    const auto audit = store->audit_lines(left);
    ASSERT_EQ(audit.size(), 1u);
    EXPECT_NE(audit[0].find("abandon juminhyo@3"), std::string::npos);
    // A draft left by a kiosk that died is purged after the stale-draft time.
    const std::string stale = store->save_draft(sample());
    EXPECT_EQ(store->purge({}, nullptr).purged, 0);
    clock_.advance(3601);
    EXPECT_EQ(store->purge({}, nullptr).purged, 1);
    EXPECT_FALSE(store->get(stale).has_value());
}

TEST_F(StoreSuite, PurgeAfterRetentionDeletesFilesAndKeepsOnlyAudit) {
    auto store = open();
    const std::string printed = store->submit(sample());
    const std::string cancelled = store->submit(sample());
    const std::string waiting = store->submit(sample());
    store->confirm(printed, "staff-01");
    const auto job = store->begin_print(printed, "staff-01", "p");
    store->print_finished(job.id, true, "");
    store->cancel(cancelled, "staff-01", {"withdrawn"});
    std::vector<std::string> deleted;
    const FileDeleter deleter = [&](const std::string& id) { deleted.push_back(id); };
    clock_.advance(23 * 3600);
    EXPECT_EQ(store->purge({}, deleter).purged, 0);
    clock_.advance(3600);
    const auto r = store->purge({}, deleter);
    EXPECT_EQ(r.purged, 2);
    EXPECT_EQ(std::set<std::string>(deleted.begin(), deleted.end()), (std::set<std::string>{printed, cancelled}));
    EXPECT_FALSE(store->get(printed).has_value());
    EXPECT_FALSE(store->get(cancelled).has_value());
    EXPECT_TRUE(store->get(waiting).has_value());
    EXPECT_TRUE(store->print_jobs(printed).empty());
    EXPECT_TRUE(store->history(printed).empty());
    const auto audit = store->audit_lines(printed);
    ASSERT_FALSE(audit.empty());
    EXPECT_NE(audit.back().find("retention purge juminhyo@3 printed"), std::string::npos);

    // A file that cannot be deleted keeps its row for the next purge.
    store->cancel(waiting, "staff-01", {"duplicate"});
    clock_.advance(24 * 3600);
    const auto failing = store->purge({}, [](const std::string&) { throw std::runtime_error("disk read-only"); });
    EXPECT_EQ(failing.purged, 0);
    ASSERT_EQ(failing.kept.size(), 1u);
    EXPECT_TRUE(store->get(waiting).has_value());
    EXPECT_EQ(store->purge({}, deleter).purged, 1);
    // A shorter configured retention.
    const std::string quick = store->submit(sample());
    store->cancel(quick, "staff-01", {"wrong_form"});
    PurgePolicy hour;
    hour.cancelled = std::chrono::hours(1);
    clock_.advance(3600);
    EXPECT_EQ(store->purge(hour, deleter).purged, 1);
}

// Each state has its own maximum age ([retention]): one purge deletes exactly
// the applications past theirs, the others stay; audit and KPIs stay.
TEST_F(StoreSuite, RetentionPerStatePurgesOnlyWhatIsPastItsAge) {
    auto store = open();
    PurgePolicy p;
    p.stale_draft = std::chrono::hours(1);
    p.submitted = std::chrono::hours(50);
    p.confirmed = std::chrono::hours(40);
    p.printed = std::chrono::hours(20);
    p.cancelled = std::chrono::hours(10);
    struct Made {
        std::string id;
        State state;
    };
    // One application in each state, all entering it at the same moment.
    auto make_all = [&] {
        std::vector<Made> m;
        m.push_back({store->save_draft(sample()), State::Draft});
        m.push_back({store->submit(sample()), State::Submitted});
        const std::string confirmed = store->submit(sample());
        store->confirm(confirmed, "staff-01");
        m.push_back({confirmed, State::Confirmed});
        const std::string printed = store->submit(sample());
        store->confirm(printed, "staff-01");
        store->print_finished(store->begin_print(printed, "staff-01", "p").id, true, "");
        m.push_back({printed, State::Printed});
        const std::string cancelled = store->submit(sample());
        store->cancel(cancelled, "staff-01", {"withdrawn"});
        m.push_back({cancelled, State::Cancelled});
        return m;
    };
    const auto apps = make_all();
    for (const auto& a : apps) ASSERT_EQ(store->get(a.id)->state, a.state) << to_string(a.state);
    store->record_session({"kiosk-1", clock_.t->load() - 60, clock_.t->load(), 5, {"juminhyo"}, true, true, false, "ja"});
    std::vector<std::string> deleted;
    const FileDeleter deleter = [&](const std::string& id) { deleted.push_back(id); };
    const std::int64_t start = clock_.t->load();
    // Walk the clock to one second before, then to, each state's age (shortest
    // first): one purge each time.
    for (const State state : {State::Draft, State::Cancelled, State::Printed, State::Confirmed, State::Submitted}) {
        const std::int64_t age = p.age_of(state).count();
        *clock_.t = start + age - 1;
        store->purge(p, deleter);
        for (const auto& a : apps)
            EXPECT_EQ(store->get(a.id).has_value(), p.age_of(a.state).count() > age - 1)
                << to_string(a.state) << " at " << age - 1 << " s";
        *clock_.t = start + age;
        const auto r = store->purge(p, deleter);
        EXPECT_EQ(r.purged, 1) << to_string(state);
        for (const auto& a : apps) {
            const bool past = p.age_of(a.state).count() <= age;
            EXPECT_EQ(store->get(a.id).has_value(), !past) << to_string(a.state) << " at " << age << " s";
            if (a.state == state) {
                int times = 0;
                for (const auto& d : deleted) times += d == a.id;
                EXPECT_EQ(times, 1) << "its files deleted once";
                const auto audit = store->audit_lines(a.id);
                ASSERT_FALSE(audit.empty());
                EXPECT_NE(audit.back().find("retention purge juminhyo@3 " + std::string(to_string(state))),
                          std::string::npos)
                    << audit.back();
            }
        }
    }
    EXPECT_EQ(deleted.size(), apps.size());
    // The KPI rows hold nothing personal and stay.
    EXPECT_EQ(store->sessions(start - 3600, start + 3600).size(), 1u);
}

TEST_F(StoreSuite, FullSessionThenPurgeLeavesNoPlaintextAnywhere) {
    {
        auto store = open();
        const std::string draft = store->save_draft(sample());
        store->abandon_draft(draft, "kiosk-1");
        auto app = sample();
        app.fields.push_back({"my_number", kMyNumber, "card", "my_number"});
        EXPECT_THROW(store->submit(app), StoreError);
        const std::string id = store->submit(sample());
        auto taken = store->take_next("staff-01");
        ASSERT_TRUE(taken);
        store->correct_field(id, "applicant_address", kAddress + "4番地", "staff-01", {"resident"});
        store->confirm(id, "staff-01");
        const auto job = store->begin_print(id, "staff-01", "counter-1");
        store->print_sent(job.id, "7");
        store->print_finished(job.id, true, "");
        store->record_session({"kiosk-1", clock_.t->load() - 200, clock_.t->load(), 14, {"juminhyo"}, true, true, false, "ja"});
        store->record_rating({"kiosk-1", clock_.t->load(), 5});
        clock_.advance(24 * 3600 + 1);
        EXPECT_EQ(store->purge({}, nullptr).purged, 1);
        EXPECT_FALSE(store->get(id));
    }
    std::vector<std::filesystem::path> places = store_target().data_paths(cfg());
    places.push_back(std::filesystem::temp_directory_path());
    for (const auto& p : places)
        for (const auto& hit : files_containing(p, {kName, kAddress, kMyNumber})) ADD_FAILURE() << "plaintext in " << hit;
}

TEST_F(StoreSuite, KeyRotationResealsEveryRowUnderTheNewKey) {
    std::vector<std::string> ids;
    std::string old_id;
    {
        auto store = open();
        for (int i = 0; i < 3; ++i) ids.push_back(store->submit(sample("回転 " + std::to_string(i))));
        old_id = store->current_key_id();
    }
    auto c = cfg();
    c.previous_private_key_files = {c.private_key_file};
    c.private_key_file = dir_ / "new.key";
    c.public_key_file = dir_ / "new.pub";
    create_key_pair(c.private_key_file, c.public_key_file);
    {
        auto store = open_store(c);
        EXPECT_NE(store->current_key_id(), old_id);
        EXPECT_EQ(store->keys_in_use().at(old_id), 3);
        EXPECT_EQ(store->get(ids[1])->fields[0].value, "回転 1");  // still readable mid-rotation
        const std::string fresh = store->submit(sample());            // new rows use the new key
        EXPECT_EQ(store->rotate_keys(), 3);
        const auto keys = store->keys_in_use();
        ASSERT_EQ(keys.size(), 1u);
        EXPECT_EQ(keys.begin()->first, store->current_key_id());
        EXPECT_EQ(store->rotate_keys(), 0);
    }
    EXPECT_TRUE(std::filesystem::exists(cfg().private_key_file));  // the old key file is left for the admin
    c.previous_private_key_files.clear();
    auto store = open_store(c);
    for (int i = 0; i < 3; ++i) EXPECT_EQ(store->get(ids[static_cast<std::size_t>(i)])->fields[0].value, "回転 " + std::to_string(i));
    // A previous key file that is missing is named.
    c.previous_private_key_files = {dir_ / "gone.key"};
    try {
        open_store(c);
        FAIL();
    } catch (const StoreError& e) {
        EXPECT_NE(std::string(e.what()).find("gone.key"), std::string::npos);
    }
}

TEST_F(StoreSuite, NewerSchemaIsRefusedWithAClearMessage) {
    { open(); }
    store_target().set_schema_version(cfg(), kSchemaVersion + 1);
    try {
        open();
        FAIL() << "a newer schema was opened";
    } catch (const StoreError& e) {
        const std::string msg = e.what();
        EXPECT_NE(msg.find("newer than this program"), std::string::npos) << msg;
        EXPECT_NE(msg.find("update kakanai"), std::string::npos) << msg;
        EXPECT_EQ(e.kind(), StoreErrorKind::NewerSchema) << msg;
        EXPECT_STREQ(e.i18n_key(), "store.newer_schema");
    }
}


// Each refusal of the store logic reaches the staff station as a kind with a
// message key, not only as English text.
TEST_F(StoreSuite, RefusalsCarryAKindStaffCanRead) {
    auto store = open();
    EXPECT_EQ(kind_thrown([&] { store->take("A-2222-2222", "staff-a"); }), StoreErrorKind::NotFound);
    EXPECT_EQ(kind_thrown([&] { store->print_finished(987654, true, ""); }), StoreErrorKind::NotFound);
    const std::string id = store->submit(sample());
    store->take(id, "staff-a");
    EXPECT_EQ(kind_thrown([&] { store->take(id, "staff-b"); }), StoreErrorKind::Taken);
    EXPECT_EQ(kind_thrown([&] { store->confirm(id, "staff-b"); }), StoreErrorKind::Taken);
    EXPECT_EQ(kind_thrown([&] { store->submit_draft(id, "kiosk-1"); }), StoreErrorKind::WrongState);
    EXPECT_EQ(kind_thrown([&] { store->begin_print(id, "staff-a", "counter"); }), StoreErrorKind::WrongState);
    EXPECT_EQ(kind_thrown([&] { store->correct_field(id, "copies", "2", "staff-a", {}); }), StoreErrorKind::Refused);
    EXPECT_EQ(kind_thrown([&] { store->record_rating({"kiosk-1", 0, 6}); }), StoreErrorKind::Refused);
    EXPECT_EQ(kind_thrown([&] { store->confirm(id, ""); }), StoreErrorKind::Refused);
    auto with_number = sample();
    with_number.fields.push_back({"note", kMyNumber, "answer", "text"});
    EXPECT_EQ(kind_thrown([&] { store->submit(with_number); }), StoreErrorKind::Refused);
    store->confirm(id, "staff-a");
    const PrintJob job = store->begin_print(id, "staff-a", "counter");
    EXPECT_EQ(kind_thrown([&] { store->begin_print(id, "staff-a", "counter"); }), StoreErrorKind::AlreadyPrinted);
    store->print_finished(job.id, true, "");
    EXPECT_EQ(kind_thrown([&] { store->begin_print(id, "staff-a", "counter"); }), StoreErrorKind::AlreadyPrinted);
    EXPECT_EQ(kind_thrown([&] { store->cancel(id, "staff-a", {"withdrawn"}); }), StoreErrorKind::WrongState);
}

// The roles each program can be narrowed to reach the same store.
TEST_F(StoreSuite, RoleOpenersShareOneStore) {
    std::unique_ptr<KioskStore> kiosk = open_kiosk_store(cfg());
    const std::string id = kiosk->submit(sample());
    std::unique_ptr<DeskStore> desk = open_desk_store(cfg());
    ASSERT_EQ(desk->queue().size(), 1u);
    desk->take(id, "staff-a");
    desk->confirm(id, "staff-a");
    std::unique_ptr<ReportStore> report = open_report_store(cfg());
    const auto apps = report->exportable({"juminhyo"});
    ASSERT_EQ(apps.size(), 1u);
    EXPECT_EQ(apps[0].state, State::Confirmed);
    EXPECT_EQ(report->keys_in_use().at(report->current_key_id()), 1);
}

TEST_F(StoreSuite, KpisFromAuditAndKioskMetrics) {
    auto store = open();
    const std::int64_t from = clock_.t->load();
    const std::string a = store->submit(sample());
    auto manual = sample();
    manual.card_read = false;
    manual.station = "staff-02";
    const std::string b = store->submit(manual);
    auto other = sample();
    other.template_id = "inkan";
    other.template_version = 1;
    const std::string c = store->submit(other);
    store->confirm(a, "staff-01");
    store->print_finished(store->begin_print(a, "staff-01", "p").id, true, "");
    store->cancel(c, "staff-01", {"other_office"});
    // Three kiosk sessions: 100 s, 300 s (two errands), and one abandoned.
    const std::int64_t t = clock_.t->load();
    store->record_session({"kiosk-1", t, t + 100, 10, {"juminhyo"}, true, true, false, "ja"});
    store->record_session({"kiosk-1", t, t + 300, 26, {"juminhyo", "inkan"}, true, true, false, "en"});
    store->record_session({"kiosk-2", t, t + 50, 3, {}, false, false, false, "ja"});
    store->record_rating({"kiosk-1", t, 5});
    store->record_rating({"kiosk-1", t, 4});
    EXPECT_THROW(store->record_rating({"kiosk-1", t, 0}), StoreError);
    EXPECT_THROW(store->record_rating({"kiosk-1", t, 6}), StoreError);
    clock_.advance(10);
    const Kpis k = compute_kpis(*store, from, clock_.t->load() + 1, 6.0);
    EXPECT_EQ(k.applications, 3);
    EXPECT_EQ(k.card_read, 2);
    EXPECT_NEAR(k.card_share, 2.0 / 3, 1e-9);
    ASSERT_EQ(k.procedures.size(), 2u);
    EXPECT_EQ(k.procedures[0].template_id, "inkan");
    EXPECT_EQ(k.procedures[0].cancelled, 1);
    EXPECT_EQ(k.procedures[1].submitted, 2);
    EXPECT_EQ(k.procedures[1].printed, 1);
    EXPECT_EQ(k.sessions, 3);
    EXPECT_EQ(k.completed_sessions, 2);
    EXPECT_DOUBLE_EQ(k.median_kiosk_seconds, 200);
    EXPECT_DOUBLE_EQ(k.taps_per_errand, 12);  // 36 taps / 3 errands
    EXPECT_DOUBLE_EQ(k.staff_minutes_saved, 12);  // 2 forms not cancelled x 6 min
    EXPECT_EQ(k.ratings[4], 1);
    EXPECT_EQ(k.ratings[3], 1);
    EXPECT_DOUBLE_EQ(k.mean_rating, 4.5);
    const std::string csv = kpis_csv(k);
    EXPECT_NE(csv.find("median_kiosk_seconds,,200\n"), std::string::npos) << csv;
    EXPECT_NE(csv.find("submitted,juminhyo,2\n"), std::string::npos) << csv;
    EXPECT_NE(kpis_text(k).find("Staff minutes saved: 12.0"), std::string::npos);
    // Outside the period: nothing.
    EXPECT_EQ(compute_kpis(*store, from - 1000, from, 6.0).applications, 0);
}

TEST_F(StoreSuite, ExportConfirmedApplicationsPerDepartment) {
    auto store = open();
    const std::string a = store->submit(sample(kExportName, "出力県出力市"));
    const std::string waiting = store->submit(sample());
    store->confirm(a, "staff-01");
    auto other = sample(kExportName, "出力県出力市");
    other.template_id = "kokuho";
    const std::string b = store->submit(other);
    store->confirm(b, "staff-01");
    const auto apps = store->exportable({"juminhyo"});
    ASSERT_EQ(apps.size(), 1u);
    EXPECT_EQ(apps[0].id, a);
    const std::string json = export_json(apps);
    EXPECT_NE(json.find("\"template\": \"juminhyo@3\""), std::string::npos) << json;
    EXPECT_NE(json.find(kExportName), std::string::npos);  // UTF-8, not \u escapes
    EXPECT_NE(json.find("\"origin\": \"card\""), std::string::npos);
    const std::string csv = export_csv(apps);
    EXPECT_EQ(csv.substr(0, csv.find("\r\n")),
              "application_id,template,department,card_read,state,submitted_at,applicant_name,applicant_name.origin,"
              "applicant_address,applicant_address.origin,copies,copies.origin");
    EXPECT_NE(csv.find(a + ",juminhyo@3,市民課,1,confirmed,"), std::string::npos);
    EXPECT_NE(csv.find("," + kExportName + ",card,"), std::string::npos);
    const auto file = dir_ / "export.json";
    write_private_file(file, json);
    struct stat st{};
    ASSERT_EQ(stat(file.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    EXPECT_THROW(write_private_file(file, json), StoreError);  // never overwrites
    store->record_export({a}, "staff-05", "市民課", "export.json");
    const auto audit = store->audit_lines(a);
    EXPECT_NE(audit.back().find("staff-05 export juminhyo@3 department=市民課 file=export.json"), std::string::npos);
    (void)waiting;
}

TEST(StoreCsv, QuotesCommasQuotesAndNewlines) {
    Application a;
    a.id = "A-2222-3333";
    a.template_id = "t";
    a.template_version = 1;
    a.fields = {{"note", "a,\"b\"\nc", "answer", ""}};
    EXPECT_NE(export_csv({a}).find(",\"a,\"\"b\"\"\nc\",answer\r\n"), std::string::npos) << export_csv({a});
}

// ---------------------------------------------------------------------------
// kill -9 during submit and during print-state updates, at many points.

namespace {

bool write_line(int fd, const std::string& s) {
    const std::string line = s + "\n";
    return ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
}

// The child: a kiosk submitting and a staff station printing, as fast as it can,
// reporting on `report` only what the store has confirmed as done.
[[noreturn]] void crash_child(const StoreConfig& c, int report, const std::filesystem::path& paper, int seed) {
    try {
        auto store = open_store(c);
        write_line(report, "R");
        const int paper_fd = ::open(paper.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
        for (int i = 0;; ++i) {
            const std::string value = "crash-" + std::to_string(seed) + "-" + std::to_string(i);
            const std::string id = store->submit(sample(value));
            write_line(report, "S " + id + " " + value);
            // Print every application confirmed so far that may be printed.
            store->confirm(id, "staff-1");
            for (const auto& e : store->exportable({"juminhyo"})) {
                if (e.state != State::Confirmed) continue;
                PrintJob job;
                try {
                    job = store->begin_print(e.id, "staff-1", "p");
                } catch (const StoreError&) {
                    continue;  // printed or unknown: never twice without a reprint request
                }
                write_line(paper_fd, e.id);  // the paper comes out
                store->print_sent(job.id, std::to_string(job.id));
                store->print_finished(job.id, true, "");
                write_line(report, "P " + e.id);
            }
        }
    } catch (const std::exception& e) {
        write_line(report, std::string("E ") + e.what());
    }
    ::_exit(3);
}

}  // namespace

TEST_F(StoreSuite, KillNineDuringSubmitAndPrintLosesNothingPrintsNothingTwice) {
    { open(); }  // migrate once
    const auto paper = dir_ / "paper.log";
    std::map<std::string, std::string> saved;  // id -> value reported as submitted
    std::set<std::string> printed;
    const int iterations = store_target().crash_iterations();
    for (int i = 0; i < iterations; ++i) {
        int fds[2];
        ASSERT_EQ(pipe(fds), 0);
        const pid_t pid = fork();
        ASSERT_GE(pid, 0);
        if (pid == 0) {
            ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // never outlive a test process that died
            ::close(fds[0]);
            auto c = cfg();
            c.clock = nullptr;
            crash_child(c, fds[1], paper, i);
        }
        ::close(fds[1]);
        char ready = 0;
        ASSERT_EQ(::read(fds[0], &ready, 1), 1);
        // Spread the kill over the submit/confirm/print cycle.
        usleep(static_cast<useconds_t>(200 + (i * 7919) % 30000));
        ::kill(pid, SIGKILL);
        int status = 0;
        ::waitpid(pid, &status, 0);
        ASSERT_TRUE(WIFSIGNALED(status)) << "child ended by itself";
        std::string out;
        char buf[4096];
        ssize_t n;
        while ((n = ::read(fds[0], buf, sizeof buf)) > 0) out.append(buf, static_cast<std::size_t>(n));
        ::close(fds[0]);
        std::istringstream lines(out);
        std::string kind, id, value;
        while (lines >> kind) {
            ASSERT_NE(kind, "E") << out;
            if (kind == "R") continue;
            lines >> id;
            if (kind == "S") {
                lines >> value;
                saved[id] = value;
            } else if (kind == "P") {
                printed.insert(id);
            }
        }
        // Restart: what was reported is there, and still decrypts.
        auto store = open();
        for (const auto& [sid, v] : saved) {
            const auto a = store->get(sid);
            ASSERT_TRUE(a.has_value()) << "lost " << sid << " after kill at iteration " << i;
            EXPECT_EQ(a->fields.at(0).value, v);
        }
        for (const auto& pid_ : printed) EXPECT_EQ(store->get(pid_)->state, State::Printed) << pid_;
    }
    // No application came out of the printer twice.
    std::map<std::string, int> sheets;
    std::istringstream paper_lines(slurp(paper));
    for (std::string line; std::getline(paper_lines, line);) ++sheets[line];
    for (const auto& [id, count] : sheets) EXPECT_EQ(count, 1) << id << " printed " << count << " times";
    EXPECT_GT(saved.size(), 0u);
    EXPECT_GT(printed.size(), 0u);
    // Jobs whose result is unknown are listed for staff, and refuse to print again.
    auto store = open();
    for (const auto& job : store->unfinished_print_jobs())
        EXPECT_THROW(store->begin_print(job.application_id, "staff-1", "p"), StoreError);
    std::cout << "[ info ] " << store_target().name() << ": " << iterations << " kills, " << saved.size()
              << " submits and " << printed.size() << " prints reported, " << sheets.size() << " sheets, "
              << store->unfinished_print_jobs().size() << " jobs left for staff to check\n";
}

// ---------------------------------------------------------------------------
// No 個人番号 reaches the store by a correction either: by the field's type
// when the station passes it, by the id that names the number, and by the
// value itself (12 digits with a valid check digit, however spaced).

TEST_F(StoreSuite, CorrectionNeverStoresAMyNumber) {
    auto store = open();
    const std::string id = store->submit(sample());
    const std::string spaced = kMyNumber.substr(0, 4) + " " + kMyNumber.substr(4, 4) + " " + kMyNumber.substr(8);
    const std::string hyphened = kMyNumber.substr(0, 4) + "-" + kMyNumber.substr(4, 4) + "-" + kMyNumber.substr(8);
    std::string fullwidth;  // ０-９ are U+FF10..U+FF19
    for (char c : kMyNumber) fullwidth += std::string("\xEF\xBC") + static_cast<char>(0x90 + (c - '0'));
    // The 児童手当 form's spouse number, the bug that stored one.
    EXPECT_EQ(kind_thrown([&] { store->correct_field(id, "spouse_my_number", kMyNumber, "staff-01", {"resident"}); }),
              StoreErrorKind::Refused);
    // Even with a wrong check digit, an id naming the number holds no digits.
    const std::string typo = kMyNumber.substr(0, 11) + std::to_string((kMyNumber[11] - '0' + 1) % 10);
    EXPECT_EQ(kind_thrown([&] { store->correct_field(id, "spouse_my_number", typo, "staff-01", {"resident"}); }),
              StoreErrorKind::Refused);
    for (const std::string& v : {kMyNumber, spaced, hyphened, fullwidth})
        EXPECT_EQ(kind_thrown([&] { store->correct_field(id, "copies", v, "staff-01", {"resident"}); }),
                  StoreErrorKind::Refused);
    // With the template's type, any id.
    EXPECT_EQ(kind_thrown([&] { store->correct_field(id, FieldValue{"tax_number", typo, "staff", "my_number"}, "staff-01", {"resident"}); }),
              StoreErrorKind::Refused);
    EXPECT_EQ(kind_thrown([&] { store->correct_field(id, FieldValue{"applicant_phone", spaced, "staff", "phone"}, "staff-01", {"resident"}); }),
              StoreErrorKind::Refused);
    // A question about the number is not the number, and ordinary fixes pass.
    store->correct_field(id, FieldValue{"include_my_number", "no", "staff", "choice"}, "staff-01", {"resident"});
    store->correct_field(id, "copies", "2", "staff-01", {"resident"});
    store->correct_field(id, "reference", typo, "staff-01", {"resident"});
    const auto got = store->get(id);
    ASSERT_TRUE(got.has_value());
    for (const auto& f : got->fields) {
        EXPECT_NE(f.value, kMyNumber) << f.id;
        EXPECT_EQ(f.value.find(kMyNumber.substr(0, 4) + " "), std::string::npos) << f.id;
    }
    store.reset();
    for (const auto& p : store_target().data_paths(cfg()))
        EXPECT_TRUE(files_containing(p, {kMyNumber, spaced, hyphened, fullwidth}).empty()) << p;
}

TEST_F(StoreSuite, SubmitRefusesMyNumberByNameTypeAndSpacing) {
    auto store = open();
    const std::string hyphened = kMyNumber.substr(0, 4) + "-" + kMyNumber.substr(4, 4) + "-" + kMyNumber.substr(8);
    auto spouse = sample();
    spouse.fields.push_back({"spouse_my_number", kMyNumber, "answer", ""});
    auto typed = sample();
    typed.fields.push_back({"spouse_number", kMyNumber.substr(0, 11) + "x", "answer", "my_number"});
    auto spaced = sample();
    spaced.fields.push_back({"notes", " " + hyphened + " ", "answer", "text"});
    for (auto* a : {&spouse, &typed, &spaced}) EXPECT_EQ(kind_thrown([&] { store->submit(*a); }), StoreErrorKind::Refused);
    // A form that has the number's box but no number in it is stored (the
    // station reads the card again at print time).
    auto empty = sample();
    empty.fields.push_back({"applicant_my_number", "", "card", ""});
    empty.fields.push_back({"spouse_my_number", "", "answer", ""});
    EXPECT_NO_THROW(store->submit(empty));
}

// A resident's typed value that a spreadsheet would run as a formula stays text.
TEST(StoreCsv, FormulaCellsAreDefused) {
    Application a;
    a.id = "A-2222-4444";
    a.template_id = "t";
    a.template_version = 1;
    a.fields = {{"applicant_name", "=HYPERLINK(\"http://x.invalid\",\"x\")", "card", ""},
                {"p", "+1", "answer", ""}, {"m", "-2", "answer", ""}, {"at", "@SUM(A1)", "answer", ""},
                {"tab", "\tx", "answer", ""}, {"cr", "\rx", "answer", ""}, {"plain", "a=b", "answer", ""}};
    const std::string csv = export_csv({a});
    EXPECT_NE(csv.find(",\"'=HYPERLINK(\"\"http://x.invalid\"\",\"\"x\"\")\",card,"), std::string::npos) << csv;
    EXPECT_NE(csv.find(",'+1,answer,"), std::string::npos) << csv;
    EXPECT_NE(csv.find(",'-2,answer,"), std::string::npos) << csv;
    EXPECT_NE(csv.find(",'@SUM(A1),answer,"), std::string::npos) << csv;
    EXPECT_NE(csv.find(",'\tx,answer,"), std::string::npos) << csv;
    EXPECT_NE(csv.find(",\"'\rx\",answer,"), std::string::npos) << csv;
    EXPECT_NE(csv.find(",a=b,answer"), std::string::npos) << csv;
    for (const std::string cell : {",=", ",+", ",-", ",@", ",\t", ",\"="}) EXPECT_EQ(csv.find(cell), std::string::npos) << cell;
    // JSON carries the value as it is.
    EXPECT_NE(export_json({a}).find("\"=HYPERLINK(\\\"http://x.invalid\\\",\\\"x\\\")\""), std::string::npos);
}

// ---- Reasons are codes; the audit log keeps no value (issue: personal data in the audit log).

namespace {
// The resident of the old reproduction: a cancel reason "番号 花子 (1980-02-17) asked
// to cancel" reached the audit log and outlived the purge.
Application hanako() {
    Application a = sample("番号 花子", "架空県試験市本町三丁目4番5号");
    a.fields.push_back({"applicant_birth_date", "1980-02-17", "card", "date"});
    a.fields.push_back({"applicant_phone", "090-1234-5678", "answer", "phone"});
    return a;
}
std::string refusal(const std::function<void()>& f) {
    try {
        f();
    } catch (const StoreError& e) {
        EXPECT_EQ(e.kind(), StoreErrorKind::Refused) << e.what();
        return e.what();
    }
    ADD_FAILURE() << "not refused";
    return {};
}
const std::string kNoteRefused =
    "the note must not hold the resident's name, address, birth date or another value of the application, nor a "
    "12-digit number: the audit log keeps no personal data";
}  // namespace

TEST_F(StoreSuite, CancelReasonIsACodeAndANoteNeverHoldsAValue) {
    auto store = open();
    const std::string id = store->submit(hanako());
    // The old free-text reason is not a code: refused, and the message does not repeat it.
    const std::string old = refusal([&] { store->cancel(id, "staff-01", {"番号 花子 (1980-02-17) asked to cancel"}); });
    EXPECT_EQ(old, "not a cancel reason code: give one of withdrawn, duplicate, wrong_form, other_office");
    EXPECT_EQ(refusal([&] { store->cancel(id, "staff-01", {}); }), old);
    EXPECT_EQ(refusal([&] { store->cancel(id, "staff-01", {"torn"}); }), old);  // a reprint code
    EXPECT_NE(refusal([&] { store->request_reprint(id, "staff-01", {"withdrawn"}); }), "");
    // As a note, every way of writing the applicant's data is refused with the same words.
    for (const std::string note : {"番号 花子 (1980-02-17) asked to cancel", "花子さん本人が来庁", "番号　花子",
                                   "番号花子", "生年月日 1980/2/17", "昭和55年2月17日生", "S55.2.17", "19800217",
                                   "本町三丁目に転居", "電話 09012345678", "1234 5678 9012", "１２３４５６７８９０１２"})
        EXPECT_EQ(refusal([&] { store->cancel(id, "staff-01", {"withdrawn", note}); }), kNoteRefused) << note;
    EXPECT_NE(refusal([&] { store->cancel(id, "staff-01", {"withdrawn", std::string(41, 'x')}); }), kNoteRefused);
    EXPECT_NE(refusal([&] { store->cancel(id, "staff-01", {"withdrawn", "two\nlines"}); }), kNoteRefused);
    EXPECT_EQ(store->get(id)->state, State::Submitted);  // nothing was cancelled by a refused call
    // A note that holds nothing of the application passes.
    store->cancel(id, "staff-01", {"withdrawn", "後日あらためて来庁"});
    const auto lines = store->audit_lines(id);
    EXPECT_NE(lines.back().find("staff-01 cancel juminhyo@3 reason=withdrawn note=後日あらためて来庁"), std::string::npos)
        << lines.back();
}

TEST_F(StoreSuite, AuditAfterCancelReprintAndPurgeHoldsCodesAndNoValues) {
    {
        auto store = open();
        const std::string cancelled = store->submit(hanako());
        store->take(cancelled, "staff-01");
        EXPECT_EQ(refusal([&] { store->correct_field(cancelled, "copies", "2", "staff-01", {"resident", "花子さんの希望"}); }),
                  kNoteRefused);
        store->correct_field(cancelled, "copies", "2", "staff-01", {"resident", "2通に変更"});
        EXPECT_EQ(refusal([&] { store->cancel(cancelled, "staff-01", {"withdrawn", "番号 花子 (1980-02-17) asked to cancel"}); }),
                  kNoteRefused);
        store->cancel(cancelled, "staff-01", {"withdrawn"});

        const std::string printed = store->submit(hanako());
        store->confirm(printed, "staff-02");
        // A print system message that names the document is not kept either.
        store->print_finished(store->begin_print(printed, "staff-02", "counter-1").id, false,
                              "job 番号 花子 stopped");
        store->print_finished(store->begin_print(printed, "staff-02", "counter-1").id, true, "");
        EXPECT_EQ(refusal([&] { store->request_reprint(printed, "staff-02", {"torn", "架空県試験市本町"}); }), kNoteRefused);
        store->request_reprint(printed, "staff-02", {"torn", "トレイで破れた"});
        store->print_finished(store->begin_print(printed, "staff-02", "counter-2").id, true, "");
        ASSERT_TRUE(store->open(printed, "staff-03").has_value());

        clock_.advance(24 * 3600 + 1);
        EXPECT_EQ(store->purge({}, nullptr).purged, 2);
        std::string all;  // who, what, which form and the code: the lines without their times
        for (const auto& e : store->audit(0, INT64_MAX))
            all += e.actor + " " + e.action + " " + e.template_ref + " " + e.detail + "\n";
        for (const char* want : {"staff-01 correct juminhyo@3 field=copies reason=resident note=2通に変更\n",
                                 "staff-01 cancel juminhyo@3 reason=withdrawn\n",
                                 " (print system message withheld: it held a value)\n",
                                 "staff-02 reprint-request juminhyo@3 reason=torn note=トレイで破れた\n",
                                 "staff-03 open juminhyo@3 printed\n", " purge juminhyo@3 "})
            EXPECT_NE(all.find(want), std::string::npos) << want << "\n" << all;
        for (const char* never : {"花子", "番号", "本町", "試験市", "1980", "02-17", "1234-5678", "asked"})
            EXPECT_EQ(all.find(never), std::string::npos) << never << "\n" << all;
    }
    // Nor anywhere in the store's files (the application rows are gone; the audit stays).
    for (const auto& p : store_target().data_paths(cfg()))
        for (const auto& hit : files_containing(p, {"番号 花子", "本町三丁目", "1980-02-17"})) ADD_FAILURE() << "plaintext in " << hit;
}

// ---- Staff logins resist guessing.

TEST_F(StoreSuite, StaffIdLocksAfterFiveWrongCodesForFiveMinutesDoublingEachTime) {
    auto store = open();
    store->set_staff_code("tanaka", "246810", "admin");
    using R = LoginOutcome::Result;
    const std::int64_t t0 = clock_.t->load();
    for (int i = 1; i <= 4; ++i) {
        const auto r = store->login("desk-1", "tanaka", "000000");
        EXPECT_EQ(r.result, R::WrongCode);
        EXPECT_EQ(r.tries_left, 5 - i);
    }
    auto r = store->login("desk-1", "tanaka", "000001");
    ASSERT_EQ(r.result, R::StaffLocked);
    EXPECT_EQ(r.locked_until, t0 + 300);
    // While locked even the right code is refused (no code is checked), and a restart changes nothing.
    EXPECT_EQ(store->login("desk-1", "tanaka", "246810").result, R::StaffLocked);
    store.reset();
    store = open();
    EXPECT_EQ(store->login("desk-2", "tanaka", "246810").result, R::StaffLocked);  // the id, at any station
    clock_.advance(299);
    EXPECT_EQ(store->login("desk-1", "tanaka", "246810").result, R::StaffLocked);
    // The second lock lasts 10 minutes, the third 20.
    std::int64_t minutes = 10;
    for (int lock = 2; lock <= 3; ++lock, minutes *= 2) {
        clock_.advance(1);  // the last lock has just run out
        for (int i = 1; i <= 4; ++i) EXPECT_EQ(store->login("desk-1", "tanaka", "111111").result, R::WrongCode) << lock;
        r = store->login("desk-1", "tanaka", "111111");
        ASSERT_EQ(r.result, R::StaffLocked) << lock;
        EXPECT_EQ(r.locked_until, clock_.t->load() + minutes * 60) << lock;
        clock_.advance(minutes * 60 - 1);
        EXPECT_EQ(store->login("desk-1", "tanaka", "246810").result, R::StaffLocked) << lock;
    }
    // After the lock the right code logs in, and the next count starts over at 5 minutes.
    clock_.advance(1);
    EXPECT_TRUE(store->login("desk-1", "tanaka", "246810").ok());
    for (int i = 1; i <= 5; ++i) r = store->login("desk-1", "tanaka", "222222");
    EXPECT_EQ(r.result, R::StaffLocked);
    EXPECT_EQ(r.locked_until, clock_.t->load() + 300);
    // A new code from the administrator lifts the lock.
    store->set_staff_code("tanaka", "135790", "admin");
    EXPECT_TRUE(store->login("desk-1", "tanaka", "135790").ok());

    std::vector<std::string> lines;
    for (const auto& e : store->audit(0, INT64_MAX)) lines.push_back(e.to_string());
    std::string all;
    for (const auto& l : lines) all += l + "\n";
    int failed = 0, refused = 0;
    for (const auto& l : lines) {
        failed += l.find(" tanaka login-failed ") != std::string::npos;
        refused += l.find(" tanaka login-refused ") != std::string::npos;
    }
    EXPECT_EQ(failed, 20) << all;
    EXPECT_EQ(refused, 5) << all;
    for (const char* want : {"tanaka login-failed  station=desk-1 failures=1 station-failures=1",
                             "tanaka login-locked  station=desk-1 lock=1 minutes=5",
                             "tanaka login-refused  station=desk-2 staff-locked until=",
                             "tanaka login-locked  station=desk-1 lock=2 minutes=10",
                             "tanaka login-locked  station=desk-1 lock=3 minutes=20",
                             "tanaka login  station=desk-1", "admin login-unlock  staff=tanaka"})
        EXPECT_NE(all.find(want), std::string::npos) << want << "\n" << all;
    std::string details;  // without the times, which are digits too
    for (const auto& e : store->audit(0, INT64_MAX)) details += e.actor + " " + e.action + " " + e.detail + "\n";
    for (const char* code : {"246810", "000000", "000001", "111111", "222222", "135790"})
        EXPECT_EQ(details.find(code), std::string::npos) << code;
}

TEST_F(StoreSuite, StationLocksAfterTwentyWrongCodesUntilAnotherStaffMemberLogsIn) {
    auto store = open();
    const std::vector<std::string> ids = {"a", "b", "c", "d", "e", "f"};
    for (const auto& id : ids) store->set_staff_code(id, "9000" + std::to_string(id[0] - 'a') + "7", "admin");
    const auto code = [](const std::string& id) { return "9000" + std::to_string(id[0] - 'a') + "7"; };
    using R = LoginOutcome::Result;
    // Five wrong codes each for a, b, c and d: the twentieth locks the station.
    LoginOutcome r;
    for (int n = 0; n < 20; ++n) {
        r = store->login("desk-1", ids[n / 5], "123456");
        if (n < 19) {
            EXPECT_FALSE(r.station_locked) << n;
        }
    }
    EXPECT_EQ(r.result, R::StationLocked);
    EXPECT_TRUE(r.station_locked);
    EXPECT_TRUE(store->station_locked("desk-1"));
    EXPECT_FALSE(store->station_locked("desk-2"));
    // An hour later the ids are free again, but not at this station: the ids that failed here cannot unlock it.
    clock_.advance(3600);
    EXPECT_EQ(store->login("desk-1", "a", code("a")).result, R::StationLocked);
    EXPECT_TRUE(store->login("desk-2", "a", code("a")).ok());  // another station is not locked
    store.reset();
    store = open();  // a restart keeps the lock
    EXPECT_TRUE(store->station_locked("desk-1"));
    // A wrong code from another id does not unlock it, and that id may not try again here.
    r = store->login("desk-1", "e", "654321");
    EXPECT_EQ(r.result, R::WrongCode);
    EXPECT_TRUE(r.station_locked);
    EXPECT_EQ(store->login("desk-1", "e", code("e")).result, R::StationLocked);
    // Another staff member's login unlocks it; then everyone logs in there again.
    EXPECT_TRUE(store->login("desk-1", "f", code("f")).ok());
    EXPECT_FALSE(store->station_locked("desk-1"));
    EXPECT_TRUE(store->login("desk-1", "a", code("a")).ok());

    std::string all;
    for (const auto& e : store->audit(0, INT64_MAX)) all += e.to_string() + "\n";
    for (const char* want : {"d login-failed  station=desk-1 failures=5 station-failures=20",
                             "desk-1 station-locked  station=desk-1 failures=20",
                             "a login-refused  station=desk-1 station-locked", "a login  station=desk-2",
                             "e login-failed  station=desk-1 failures=1 station-failures=21",
                             "f login  station=desk-1", "f station-unlock  station=desk-1"})
        EXPECT_NE(all.find(want), std::string::npos) << want << "\n" << all;
}

TEST_F(StoreSuite, OpeningAnApplicationIsAudited) {
    auto store = open();
    const std::string id = store->submit(sample());
    ASSERT_TRUE(store->open(id, "staff-07").has_value());
    EXPECT_FALSE(store->open("A-2222-2222", "staff-07").has_value());
    EXPECT_EQ(kind_thrown([&] { store->open(id, ""); }), StoreErrorKind::Refused);
    const auto lines = store->audit_lines(id);
    EXPECT_NE(lines.back().find(" staff-07 open juminhyo@3 submitted"), std::string::npos) << lines.back();
    EXPECT_EQ(lines.back().find(kName), std::string::npos);
}

// ---- one short number per visit ----

namespace {
std::vector<Application> forms_of_a_visit(int n) {
    std::vector<Application> v;
    for (int i = 0; i < n; ++i) {
        Application a = sample();
        a.template_id = i == 0 ? "juminhyo" : "form" + std::to_string(i);
        v.push_back(std::move(a));
    }
    return v;
}
}  // namespace

// The clock starts at 2027-01-15 17:00 JST (08:00 UTC): the sequence restarts
// at midnight in Asia/Tokyo, not at UTC midnight.
TEST_F(StoreSuite, VisitNumberIsADailySequenceThatRestartsAtLocalMidnight) {
    auto store = open();
    const Visit first = store->submit_visit(forms_of_a_visit(3), "en");
    EXPECT_EQ(first.day, "2027-01-15");
    EXPECT_EQ(first.number, 1);
    EXPECT_EQ(first.label(), "1");
    ASSERT_EQ(first.application_ids.size(), 3u);
    // Every form of the visit carries its number; the queue sees it.
    const auto q = store->queue();
    ASSERT_EQ(q.size(), 3u);
    for (const auto& e : q) {
        EXPECT_EQ(e.app.visit_number, 1);
        EXPECT_EQ(e.app.visit_day, "2027-01-15");
    }
    EXPECT_EQ(store->get(first.application_ids[2])->visit_number, 1);
    EXPECT_EQ(store->submit_visit(forms_of_a_visit(1), "ja").number, 2);
    // A visit refused (a 個人番号 in one form) stores nothing and uses no number.
    auto bad = forms_of_a_visit(2);
    bad[1].fields.push_back({"my_number", kMyNumber, "card", "my_number"});
    EXPECT_EQ(kind_thrown([&] { store->submit_visit(bad, "ja"); }), StoreErrorKind::Refused);
    EXPECT_EQ(store->queue().size(), 4u);
    clock_.advance(7 * 3600 - 1);  // 23:59:59 JST
    EXPECT_EQ(store->submit_visit(forms_of_a_visit(1), "ja").number, 3);
    clock_.advance(1);  // 00:00:00 JST the next day (15:00 UTC)
    const Visit next_day = store->submit_visit(forms_of_a_visit(2), "ja-easy");
    EXPECT_EQ(next_day.day, "2027-01-16");
    EXPECT_EQ(next_day.number, 1);
    clock_.advance(9 * 3600);  // UTC midnight: the same local day goes on
    EXPECT_EQ(store->submit_visit(forms_of_a_visit(1), "ja").number, 2);
    // A visit is found by day and number, with its forms and language.
    const auto found = store->visit("2027-01-15", 1);
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->language, "en");
    EXPECT_EQ(found->station, "kiosk-1");
    EXPECT_EQ(std::set<std::string>(found->application_ids.begin(), found->application_ids.end()),
              std::set<std::string>(first.application_ids.begin(), first.application_ids.end()));
    EXPECT_EQ(store->visit("2027-01-16", 1)->application_ids.size(), 2u);
    EXPECT_FALSE(store->visit("2027-01-15", 4).has_value());
    // Another town's time zone is a setting: in UTC the day is still the 16th here.
    auto c = cfg();
    c.time_zone = "Europe/London";
    EXPECT_EQ(open_store(c)->submit_visit(forms_of_a_visit(1), "ja").day, "2027-01-16");
    c.time_zone = "Mars/Olympus";
    EXPECT_EQ(kind_thrown([&] { open_store(c)->submit_visit(forms_of_a_visit(1), "ja"); }), StoreErrorKind::Config);
}

// Several kiosks (each its own connection, with the public key only) submit at
// once: every visit gets its own number, the numbers run 1..N without a gap,
// and each visit's forms carry exactly its number.
TEST_F(StoreSuite, ConcurrentKiosksNeverShareAVisitNumber) {
    { open(); }  // the store's key pair
    constexpr int kKiosks = 4, kVisits = 12;
    std::atomic<bool> go{false};
    std::vector<Visit> got[kKiosks];
    std::exception_ptr errors[kKiosks];
    std::thread kiosks[kKiosks];
    for (int k = 0; k < kKiosks; ++k)
        kiosks[k] = std::thread([&, k] {
            try {
                auto kiosk = open_kiosk_store(cfg());
                while (!go) std::this_thread::yield();
                for (int i = 0; i < kVisits; ++i) {
                    auto apps = forms_of_a_visit(1 + i % 3);
                    for (auto& a : apps) a.station = "kiosk-" + std::to_string(k);
                    got[k].push_back(kiosk->submit_visit(std::move(apps), "ja"));
                }
            } catch (...) {
                errors[k] = std::current_exception();
            }
        });
    go = true;
    for (auto& t : kiosks) t.join();
    for (auto& e : errors)
        if (e) std::rethrow_exception(e);
    std::set<int> numbers;
    auto staff = open();
    for (const auto& visits : got)
        for (const auto& v : visits) {
            EXPECT_TRUE(numbers.insert(v.number).second) << "visit number " << v.number << " given twice";
            for (const auto& id : v.application_ids) EXPECT_EQ(staff->get(id)->visit_number, v.number) << id;
            EXPECT_EQ(staff->visit(v.day, v.number)->application_ids.size(), v.application_ids.size());
        }
    ASSERT_EQ(numbers.size(), static_cast<std::size_t>(kKiosks * kVisits));
    EXPECT_EQ(*numbers.begin(), 1);
    EXPECT_EQ(*numbers.rbegin(), kKiosks * kVisits);
}
