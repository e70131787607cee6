#pragma once
// A DeskStore that waits before every call: a slow database server, for the
// tests and the benchmark that show the station's screen does not wait on it.
#include <chrono>
#include <memory>
#include <thread>

#include "kakanai/store/desk_store.hpp"

namespace kakanai::kiosk::staff {

class DelayedDeskStore : public store::DeskStore {
public:
    DelayedDeskStore(std::shared_ptr<store::DeskStore> inner, std::chrono::milliseconds delay)
        : inner_(std::move(inner)), delay_(delay) {}

    using Application = store::Application;
    using QueueEntry = store::QueueEntry;
    using State = store::State;
    using StateChange = store::StateChange;
    using PrintJob = store::PrintJob;

    std::optional<Application> get(const std::string& id) override {
        wait();
        return inner_->get(id);
    }
    std::optional<Application> open(const std::string& id, const std::string& staff) override {
        wait();
        return inner_->open(id, staff);
    }
    std::vector<QueueEntry> queue() override {
        wait();
        return inner_->queue();
    }
    std::optional<store::Visit> visit(const std::string& day, int number) override {
        wait();
        return inner_->visit(day, number);
    }
    std::optional<Application> take_next(const std::string& staff) override {
        wait();
        return inner_->take_next(staff);
    }
    Application take(const std::string& id, const std::string& staff) override {
        wait();
        return inner_->take(id, staff);
    }
    void release(const std::string& id, const std::string& staff) override {
        wait();
        inner_->release(id, staff);
    }
    bool renew_lease(const std::string& id, const std::string& staff) override {
        wait();
        return inner_->renew_lease(id, staff);
    }
    void correct_field(const std::string& id, const std::string& field_id, const std::string& value, const std::string& staff, const store::Reason& reason) override {
        wait();
        inner_->correct_field(id, field_id, value, staff, reason);
    }
    void confirm(const std::string& id, const std::string& staff) override {
        wait();
        inner_->confirm(id, staff);
    }
    void cancel(const std::string& id, const std::string& staff, const store::Reason& reason) override {
        wait();
        inner_->cancel(id, staff, reason);
    }
    void set_state(const std::string& id, State to, const std::string& actor) override {
        wait();
        inner_->set_state(id, to, actor);
    }
    std::vector<StateChange> history(const std::string& id) override {
        wait();
        return inner_->history(id);
    }
    void set_staff_code(const std::string& staff, const std::string& code, const std::string& actor) override {
        wait();
        inner_->set_staff_code(staff, code, actor);
    }
    store::LoginOutcome login(const std::string& station, const std::string& staff, const std::string& code) override {
        wait();
        return inner_->login(station, staff, code);
    }
    bool station_locked(const std::string& station) override {
        wait();
        return inner_->station_locked(station);
    }
    PrintJob begin_print(const std::string& id, const std::string& staff, const std::string& printer) override {
        wait();
        return inner_->begin_print(id, staff, printer);
    }
    void print_sent(std::int64_t job, const std::string& spool_id) override {
        wait();
        inner_->print_sent(job, spool_id);
    }
    void print_finished(std::int64_t job, bool ok, const std::string& detail) override {
        wait();
        inner_->print_finished(job, ok, detail);
    }
    void request_reprint(const std::string& id, const std::string& staff, const store::Reason& reason) override {
        wait();
        inner_->request_reprint(id, staff, reason);
    }
    std::vector<PrintJob> print_jobs(const std::string& id) override {
        wait();
        return inner_->print_jobs(id);
    }
    std::vector<PrintJob> unfinished_print_jobs() override {
        wait();
        return inner_->unfinished_print_jobs();
    }
    std::vector<std::string> audit_lines(const std::string& id) override {
        wait();
        return inner_->audit_lines(id);
    }
    std::vector<store::StaffCall> open_calls() override {
        wait();
        return inner_->open_calls();
    }
    bool acknowledge_call(std::int64_t id, const std::string& staff) override {
        wait();
        return inner_->acknowledge_call(id, staff);
    }

private:
    void wait() const { std::this_thread::sleep_for(delay_); }
    std::shared_ptr<store::DeskStore> inner_;
    std::chrono::milliseconds delay_;
};

}  // namespace kakanai::kiosk::staff
