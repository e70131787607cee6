#pragma once
// Printing through CUPS (libcups). Each job carries its application id in the
// title, so a job is bound to exactly one application.
#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace kakanai::printing {

struct Printer {
    std::string name;
    bool is_default = false;
    std::string state;  // idle / processing / stopped
    std::string reason; // printer-state-reasons, e.g. "media-empty"
};

enum class JobState { Pending, Held, Processing, Stopped, Cancelled, Aborted, Completed, Unknown };
const char* to_string(JobState s);

struct JobStatus {
    int id = 0;
    JobState state = JobState::Unknown;
    std::string reason;  // why it failed, from CUPS
};

// Printers known to the CUPS server ($CUPS_SERVER or the default).
std::vector<Printer> list_printers();

// Submits a PDF; returns the job id. Throws PrintError naming the printer and CUPS's reason.
int submit_pdf(const std::string& printer, const std::filesystem::path& pdf, const std::string& application_id);

JobStatus job_status(const std::string& printer, int job_id);

// Polls until the job completes, fails, or the timeout passes.
JobStatus wait_for_job(const std::string& printer, int job_id, std::chrono::milliseconds timeout);

}  // namespace kakanai::printing
