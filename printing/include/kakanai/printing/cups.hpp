#pragma once
// Printing through CUPS (libcups, IPP). Each job carries its application id in
// the title ("kakanai <application id>"), so a job is bound to exactly one
// application and a reprint can be checked against it.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace kakanai::printing {

struct Printer {
    std::string name;
    bool is_default = false;
    bool accepting = true;
    std::string state;    // idle / processing / stopped
    std::string reasons;  // printer-state-reasons, e.g. "media-empty-error" ("none" when fine)
    std::string message;  // printer-state-message, e.g. "Paper jam in tray 1"
    // Why the printer cannot print right now, for the staff screen ("" when it can).
    std::string problem() const;
};

enum class JobState { Pending, Held, Processing, Stopped, Cancelled, Aborted, Completed, Unknown };
const char* to_string(JobState s);

struct JobStatus {
    int id = 0;
    JobState state = JobState::Unknown;
    std::string printer;         // the queue the job is on
    std::string application_id;  // from the job's title
    std::string printer_state;   // idle / processing / stopped, when the job is not done
    std::string reason;          // why it failed or waits, from the printer (for the staff screen)
    bool done() const { return state == JobState::Completed; }
    // Finished without printing, or waiting on a stopped printer: staff must act
    // (retry, or send to another printer).
    bool failed() const;
};

// True when a CUPS server answers ($CUPS_SERVER or the default).
bool cups_available();

// Printers known to the CUPS server. Throws PrintError when CUPS does not answer.
std::vector<Printer> list_printers();
Printer printer_info(const std::string& name);  // throws PrintError for an unknown printer

// Submits a PDF; returns the job id. Throws PrintError naming the printer and CUPS's reason.
int submit_pdf(const std::string& printer, const std::filesystem::path& pdf, const std::string& application_id);

// Streams a PDF held in memory to the printer (IPP Create-Job, then the
// bytes in chunks, then the end of the document): nothing is written to a
// file on our side, so use this for every document holding a 個人番号.
// Bound to one application like submit_pdf. Returns the job id; throws
// PrintError naming the printer and CUPS's reason (a half-sent job is cancelled).
int stream_pdf(const std::string& printer, const std::vector<std::uint8_t>& pdf, const std::string& application_id);

JobStatus job_status(int job_id);

// Polls until the job completes, fails, waits on a stopped printer, or the timeout passes.
JobStatus wait_for_job(int job_id, std::chrono::milliseconds timeout);

// Cancels a job that has not finished (no-op for a finished one).
void cancel_job(int job_id);

// Retry (same printer) or send to another printer: the earlier job is
// cancelled first when it has not finished, so the form never prints twice.
// Refuses when the PDF's application is not the earlier job's application.
int resubmit(const JobStatus& earlier, const std::string& printer, const std::filesystem::path& pdf,
             const std::string& application_id);

// resubmit for a PDF held in memory (streamed, see stream_pdf).
int resubmit(const JobStatus& earlier, const std::string& printer, const std::vector<std::uint8_t>& pdf,
             const std::string& application_id);

// Without CUPS (or when staff choose a folder): the PDF is copied into a folder
// (created 0700, file 0600) as <application id>.pdf. Returns the file written.
std::filesystem::path print_to_folder(const std::filesystem::path& pdf, const std::filesystem::path& folder,
                                      const std::string& application_id);

}  // namespace kakanai::printing
