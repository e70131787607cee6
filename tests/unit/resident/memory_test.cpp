// After a wiped session the kiosk process holds the resident's name, address
// and birth date nowhere in its heap or anonymous memory: the flow, the
// application maker and the store's sealing leave no copy behind.
#include <gtest/gtest.h>

#include <cstring>
#include <deque>
#include <fstream>
#include <sstream>

#include "application_maker.hpp"
#include "kakanai/base/wipe.hpp"
#include "flow.hpp"
#include "test_support.hpp"

using namespace kakanai;
namespace test = kakanai::test;

namespace {

// A needle kept masked, so the pattern in the test's own memory is no hit.
class Needle {
public:
    explicit Needle(const char* text) {
        for (const char* p = text; *p; ++p) masked_.push_back(static_cast<std::uint8_t>(*p) ^ kMask);
    }
    bool at(const std::uint8_t* p) const {
        for (std::size_t i = 0; i < masked_.size(); ++i)
            if (static_cast<std::uint8_t>(p[i] ^ kMask) != masked_[i]) return false;
        return true;
    }
    std::size_t size() const { return masked_.size(); }
    std::uint8_t first() const { return masked_[0] ^ kMask; }

private:
    static constexpr std::uint8_t kMask = 0xA5;
    std::vector<std::uint8_t> masked_;
};

// Where `n` occurs in readable heap and anonymous mappings (not stacks or files),
// found through /proc/self/maps.
std::vector<std::string> found_in_memory(const Needle& n) {
    std::vector<std::pair<std::uintptr_t, std::uintptr_t>> regions;
    std::vector<std::string> names;
    {
        std::ifstream maps("/proc/self/maps");
        std::string line;
        while (std::getline(maps, line)) {
            std::istringstream in(line);
            std::string range, perms, offset, dev, inode, path;
            in >> range >> perms >> offset >> dev >> inode;
            std::getline(in >> std::ws, path);
            if (perms.empty() || perms[0] != 'r' || perms[3] != 'p') continue;
            if (!path.empty() && path != "[heap]") continue;  // files, [stack], [vvar], [vdso]
            const auto dash = range.find('-');
            regions.emplace_back(std::stoull(range.substr(0, dash), nullptr, 16),
                                 std::stoull(range.substr(dash + 1), nullptr, 16));
            names.push_back(path.empty() ? "anonymous" : path);
        }
    }
    std::vector<std::string> hits;
    for (std::size_t r = 0; r < regions.size(); ++r) {
        const auto* p = reinterpret_cast<const std::uint8_t*>(regions[r].first);
        const std::size_t size = regions[r].second - regions[r].first;
        if (size < n.size()) continue;
        const std::uint8_t* end = p + size - n.size() + 1;
        for (const std::uint8_t* q = p; q < end;) {
            q = static_cast<const std::uint8_t*>(std::memchr(q, n.first(), static_cast<std::size_t>(end - q)));
            if (!q) break;
            if (n.at(q)) {
                std::ostringstream where;
                where << names[r] << " +" << (q - p);
                hits.push_back(where.str());
            }
            ++q;
        }
    }
    return hits;
}

}  // namespace

TEST(SessionMemory, NameAddressAndBirthDateAreGoneAfterTheWipe) {
    test::TempDir dir;
    {
        kiosk::ApplicationMaker maker({test::forms_dir(), dir / "data", "kiosk-1", std::nullopt});
        kiosk::Errand errand;
        errand.id = "form:juminhyo";
        errand.template_ids = {"juminhyo"};
        cardreader::CardInfo card;
        card.name = "鍵森 記憶之助";
        card.address = "北海道夕張郡記憶町字試験9丁目8番7号 消去荘305";
        card.birth_date = "1931-07-29";
        card.sex = cardreader::Sex::Male;
        card.authenticity = cardreader::Authenticity::Consistent;  // a card that passed its check

        // The kiosk's loop: each event through next(), its commands answered
        // with events, every event wiped once handled (kakanai-kiosk's step()).
        kiosk::State s;
        std::deque<kiosk::Event> events{kiosk::ev::ReaderReady{true}, kiosk::ev::Start{}, kiosk::ev::ChooseErrand{errand},
                                        kiosk::ev::CardInserted{"r"}, kiosk::ev::PinDigit{'1'}, kiosk::ev::PinDigit{'2'},
                                        kiosk::ev::PinDigit{'3'}, kiosk::ev::PinDigit{'4'}, kiosk::ev::PinSubmit{}};
        events.push_back(kiosk::ev::ReadOk{card});
        card.wipe();
        events.push_back(kiosk::ev::ConfirmYes{});
        std::vector<std::string> ids;
        bool submitted = false;
        while (!events.empty()) {
            kiosk::Event e = std::move(events.front());
            events.pop_front();
            auto t = kiosk::next(std::move(s), e);
            s = std::move(t.state);
            kiosk::wipe(e);
            for (const auto& c : t.commands) {
                if (std::holds_alternative<kiosk::cmd::FillForms>(c)) {
                    events.push_back(kiosk::ev::FormsFilled{maker.fill(s.errand.template_ids, s.card, s.answers)});
                } else if (std::holds_alternative<kiosk::cmd::SubmitForms>(c)) {
                    ids = maker.submit(s.forms, s.card.authenticity);
                    events.push_back(kiosk::ev::Submitted{ids, 0, {}, {}});
                }
            }
            if (events.empty() && s.screen == kiosk::Screen::Review && !submitted) {
                // The scan sees the resident while the session holds them.
                ASSERT_FALSE(found_in_memory(Needle("鍵森 記憶之助")).empty()) << "the scan finds nothing at all";
                submitted = true;
                events.push_back(kiosk::ev::Submit{});
            }
        }
        ASSERT_EQ(ids.size(), 1u) << "the session did not submit (screen " << kiosk::to_string(s.screen) << ")";
        kiosk::wipe(s);  // every way out of a session ends here
        EXPECT_FALSE(s.holds_personal_data());

        for (const char* text : {"鍵森 記憶之助", "北海道夕張郡記憶町字試験9丁目8番7号", "1931-07-29"}) {
            const auto hits = found_in_memory(Needle(text));
            std::string where;
            for (const auto& h : hits) where += " " + h;
            EXPECT_TRUE(hits.empty()) << text << " is still in memory " << hits.size() << " time(s):" << where;
        }
    }
    // The staff side opens what the kiosk saved: the test resident was really there.
    auto staff = store::open_sqlite(dir / "data/store.db", dir / "data/seal.key");
    EXPECT_EQ(staff->queue().size(), 1u);
}

// Household members go in the same one wipe: a member read from their own card
// and a member added without a card leave no name or birth date behind.
TEST(SessionMemory, HouseholdMembersAreGoneAfterTheWipe) {
    test::TempDir dir;
    {
        kiosk::ApplicationMaker maker({test::forms_dir(), dir / "data", "kiosk-1", std::nullopt});
        kiosk::Errand errand;
        errand.id = "form:tennyu";
        errand.template_ids = {"tennyu"};
        errand.member_max = 4;
        cardreader::CardInfo card;
        card.name = "鍵森 記憶之助";
        card.address = "北海道夕張郡記憶町字試験9丁目8番7号 消去荘305";
        card.birth_date = "1931-07-29";
        card.sex = cardreader::Sex::Male;
        card.authenticity = cardreader::Authenticity::Consistent;
        cardreader::CardInfo member = card;
        member.name = "鍵森 忘却之丞";
        member.birth_date = "1933-03-03";
        member.sex = cardreader::Sex::Female;

        kiosk::State s;
        std::deque<kiosk::Event> events{kiosk::ev::ReaderReady{true}, kiosk::ev::Start{}, kiosk::ev::ChooseErrand{errand},
                                        kiosk::ev::CardInserted{"r"}, kiosk::ev::PinDigit{'1'}, kiosk::ev::PinDigit{'2'},
                                        kiosk::ev::PinDigit{'3'}, kiosk::ev::PinDigit{'4'}};
        events.push_back(kiosk::ev::ReadOk{card});
        card.wipe();
        events.push_back(kiosk::ev::ConfirmYes{});
        events.push_back(kiosk::ev::AddMember{true});
        events.push_back(kiosk::ev::CardRemoved{});
        events.push_back(kiosk::ev::CardInserted{"r"});
        for (char d : {'5', '6', '7', '8'}) events.push_back(kiosk::ev::PinDigit{d});
        events.push_back(kiosk::ev::ReadOk{member});
        member.wipe();
        // Each event is made on the stack, as the kiosk's screens make them (no heap copy left behind).
        events.push_back(kiosk::ev::Answer{"spouse"});
        events.push_back(kiosk::ev::AddMember{false});
        events.push_back(kiosk::ev::Answer{"child"});
        events.push_back(kiosk::ev::Answer{"2019-03-03"});
        events.push_back(kiosk::ev::Answer{"female"});
        events.push_back(kiosk::ev::HouseholdDone{});
        std::vector<std::string> ids;
        bool submitted = false;
        while (!events.empty()) {
            kiosk::Event e = std::move(events.front());
            events.pop_front();
            auto t = kiosk::next(std::move(s), e);
            s = std::move(t.state);
            kiosk::wipe(e);
            for (const auto& c : t.commands) {
                if (std::holds_alternative<kiosk::cmd::FillForms>(c)) {
                    forms::Household household = kiosk::household_of(s);
                    forms::Answers answers = kiosk::errand_answers(s);
                    events.push_back(kiosk::ev::FormsFilled{maker.fill(s.errand.template_ids, s.card, answers, household)});
                    forms::wipe(household);
                    for (auto& [k, v] : answers) base::wipe_string(v);
                } else if (std::holds_alternative<kiosk::cmd::SubmitForms>(c)) {
                    ids = maker.submit(s.forms, s.card.authenticity);
                    events.push_back(kiosk::ev::Submitted{ids, 0, {}, {}});
                }
            }
            if (events.empty() && s.screen == kiosk::Screen::Review && !submitted) {
                ASSERT_EQ(s.household.size(), 2u);
                ASSERT_FALSE(found_in_memory(Needle("鍵森 忘却之丞")).empty()) << "the scan finds nothing at all";
                submitted = true;
                events.push_back(kiosk::ev::Submit{});
            }
        }
        ASSERT_EQ(ids.size(), 1u) << "the session did not submit (screen " << kiosk::to_string(s.screen) << ")";
        kiosk::wipe(s);
        EXPECT_FALSE(s.holds_personal_data());
        EXPECT_TRUE(s.household.empty());
        for (const char* text : {"鍵森 忘却之丞", "1933-03-03", "2019-03-03"}) {
            const auto hits = found_in_memory(Needle(text));
            std::string where;
            for (const auto& h : hits) where += " " + h;
            EXPECT_TRUE(hits.empty()) << text << " is still in memory " << hits.size() << " time(s):" << where;
        }
    }
}
