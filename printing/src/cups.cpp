#include "kakanai/printing/cups.hpp"

#include <cups/cups.h>

#include <thread>

#include "kakanai/printing/pdf.hpp"

namespace kakanai::printing {

const char* to_string(JobState s) {
    switch (s) {
        case JobState::Pending: return "pending";
        case JobState::Held: return "held";
        case JobState::Processing: return "processing";
        case JobState::Stopped: return "stopped";
        case JobState::Cancelled: return "cancelled";
        case JobState::Aborted: return "aborted";
        case JobState::Completed: return "completed";
        case JobState::Unknown: return "unknown";
    }
    return "unknown";
}

std::vector<Printer> list_printers() {
    cups_dest_t* dests = nullptr;
    const int n = cupsGetDests2(CUPS_HTTP_DEFAULT, &dests);
    std::vector<Printer> out;
    for (int i = 0; i < n; ++i) {
        Printer p;
        p.name = dests[i].name;
        p.is_default = dests[i].is_default != 0;
        if (const char* st = cupsGetOption("printer-state", dests[i].num_options, dests[i].options))
            p.state = std::string(st) == "3" ? "idle" : std::string(st) == "4" ? "processing" : "stopped";
        if (const char* r = cupsGetOption("printer-state-reasons", dests[i].num_options, dests[i].options)) p.reason = r;
        out.push_back(std::move(p));
    }
    cupsFreeDests(n, dests);
    return out;
}

int submit_pdf(const std::string& printer, const std::filesystem::path& pdf, const std::string& application_id) {
    const std::string title = "kakanai " + application_id;
    const int job = cupsPrintFile2(CUPS_HTTP_DEFAULT, printer.c_str(), pdf.c_str(), title.c_str(), 0, nullptr);
    if (job == 0)
        throw PrintError("printer " + printer + " did not accept the job: " + cupsLastErrorString());
    return job;
}

JobStatus job_status(const std::string& printer, int job_id) {
    cups_job_t* jobs = nullptr;
    const int n = cupsGetJobs2(CUPS_HTTP_DEFAULT, &jobs, printer.c_str(), 0, CUPS_WHICHJOBS_ALL);
    JobStatus s{job_id, JobState::Unknown, {}};
    for (int i = 0; i < n; ++i) {
        if (jobs[i].id != job_id) continue;
        switch (jobs[i].state) {
            case IPP_JSTATE_PENDING: s.state = JobState::Pending; break;
            case IPP_JSTATE_HELD: s.state = JobState::Held; break;
            case IPP_JSTATE_PROCESSING: s.state = JobState::Processing; break;
            case IPP_JSTATE_STOPPED: s.state = JobState::Stopped; break;
            case IPP_JSTATE_CANCELED: s.state = JobState::Cancelled; break;
            case IPP_JSTATE_ABORTED: s.state = JobState::Aborted; break;
            case IPP_JSTATE_COMPLETED: s.state = JobState::Completed; break;
        }
    }
    cupsFreeJobs(n, jobs);
    if (s.state == JobState::Aborted || s.state == JobState::Stopped || s.state == JobState::Unknown) {
        for (const auto& p : list_printers())
            if (p.name == printer) s.reason = p.reason;
    }
    return s;
}

JobStatus wait_for_job(const std::string& printer, int job_id, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        JobStatus s = job_status(printer, job_id);
        const bool final = s.state == JobState::Completed || s.state == JobState::Aborted ||
                           s.state == JobState::Cancelled || s.state == JobState::Stopped;
        if (final || std::chrono::steady_clock::now() > deadline) return s;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
}

}  // namespace kakanai::printing
