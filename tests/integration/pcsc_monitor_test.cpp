// The reader monitor against the real pcscd + vpcd: a card program starting
// and stopping is a card inserted and removed.
#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>

#include "kakanai/cardreader/mynumber.hpp"
#include "kakanai/cardreader/reader_monitor.hpp"
#include "pcsc_support.hpp"

using namespace kakanai;
using namespace kakanai::cardreader;
using namespace std::chrono_literals;

namespace {

class EventLog {
public:
    void push(const ReaderEvent& e) {
        std::lock_guard lock(mu_);
        events_.push_back(e);
        cv_.notify_all();
    }
    // Waits for an event of `kind` on the virtual reader after position `from`.
    bool wait_for(ReaderEventKind kind, std::size_t from, std::chrono::milliseconds timeout) {
        std::unique_lock lock(mu_);
        return cv_.wait_for(lock, timeout, [&] { return find(kind, from) >= 0; });
    }
    std::size_t size() {
        std::lock_guard lock(mu_);
        return events_.size();
    }
    int count(ReaderEventKind kind) {
        std::lock_guard lock(mu_);
        int n = 0;
        for (const auto& e : events_) n += e.kind == kind && e.reader.find(test::kVirtualReader) != std::string::npos;
        return n;
    }

private:
    long find(ReaderEventKind kind, std::size_t from) const {
        for (std::size_t i = from; i < events_.size(); ++i)
            if (events_[i].kind == kind && events_[i].reader.find(test::kVirtualReader) != std::string::npos)
                return static_cast<long>(i);
        return -1;
    }
    std::mutex mu_;
    std::condition_variable cv_;
    std::vector<ReaderEvent> events_;
};

}  // namespace

TEST(ReaderMonitor, ReportsReadersThenCardsInsertedAndRemoved) {
    EventLog log;
    ReaderMonitor monitor([&](const ReaderEvent& e) { log.push(e); });
    ASSERT_TRUE(log.wait_for(ReaderEventKind::ReaderAdded, 0, 5s)) << "the virtual reader was not reported";
    EXPECT_EQ(log.count(ReaderEventKind::CardInserted), 0);

    std::size_t mark = log.size();
    {
        test::VirtualCardInReader card("typical");
        ASSERT_TRUE(card.present());
        ASSERT_TRUE(log.wait_for(ReaderEventKind::CardInserted, mark, 5s));
        // Reading the card (connect, transaction, disconnect) is no insertion or removal.
        {
            PcscContext ctx;
            PcscCard conn(ctx, test::virtual_reader_name());
            PcscCard::Transaction tx(conn);
            EXPECT_EQ(read_card(conn, Pin("1234")).name, "番号 花子");
        }
        std::this_thread::sleep_for(200ms);
        EXPECT_EQ(log.count(ReaderEventKind::CardRemoved), 0);
        EXPECT_EQ(log.count(ReaderEventKind::CardInserted), 1);
        mark = log.size();
        card.pull();
        ASSERT_TRUE(log.wait_for(ReaderEventKind::CardRemoved, mark, 5s));
    }
    // Inserted again: a second pair.
    mark = log.size();
    {
        test::VirtualCardInReader card("rare_kanji");
        ASSERT_TRUE(log.wait_for(ReaderEventKind::CardInserted, mark, 5s));
    }
    EXPECT_TRUE(log.wait_for(ReaderEventKind::CardRemoved, mark, 5s));
    // stop() ends the wait (it has no timeout) within one slice.
    monitor.stop();
    const std::size_t after_stop = log.size();
    std::this_thread::sleep_for(100ms);
    EXPECT_EQ(log.size(), after_stop);
}

TEST(ReaderMonitor, StopsAtOnceWithACardPresent) {
    test::VirtualCardInReader card("typical");
    ASSERT_TRUE(card.present());
    EventLog log;
    {
        ReaderMonitor monitor([&](const ReaderEvent& e) { log.push(e); });
        ASSERT_TRUE(log.wait_for(ReaderEventKind::CardInserted, 0, 5s)) << "a card present at start is reported";
    }  // the destructor cancels and joins
    EXPECT_EQ(log.count(ReaderEventKind::CardRemoved), 0);
}
