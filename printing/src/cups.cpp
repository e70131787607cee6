#include "kakanai/printing/cups.hpp"

#include <cups/cups.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <memory>
#include <thread>

#include "kakanai/printing/pdf.hpp"

namespace kakanai::printing {
namespace {

constexpr const char* kTitlePrefix = "kakanai ";

struct IppDeleter {
    void operator()(ipp_t* p) const { ippDelete(p); }
};
using Ipp = std::unique_ptr<ipp_t, IppDeleter>;

std::string server() { return cupsServer() ? cupsServer() : "(default)"; }

// After a failed request: was it because no CUPS server answers at all? A
// refused or missing socket is reported as an internal error with errno's
// text, so a fresh connection decides. Keeps cupsLastErrorString() for the message.
thread_local std::string down_reason;
bool cups_down() {
    down_reason = cupsLastErrorString() ? cupsLastErrorString() : "";
    if (cupsLastError() == IPP_STATUS_ERROR_SERVICE_UNAVAILABLE) return true;
    http_t* probe = httpConnect2(cupsServer(), ippPort(), nullptr, AF_UNSPEC, cupsEncryption(), 1, 5000, nullptr);
    if (!probe) return true;
    httpClose(probe);
    return false;
}

std::string cups_down_message() {
    return "CUPS does not answer at " + server() + " (" + down_reason +
           "): start the print service (systemctl start cups) and print again; the application is saved";
}

// Sends a request on the default connection ($CUPS_SERVER). Null on failure.
Ipp request(ipp_t* req) {
    Ipp resp(cupsDoRequest(CUPS_HTTP_DEFAULT, req, "/"));
    if (!resp || cupsLastError() > IPP_STATUS_OK_CONFLICTING) return nullptr;
    return resp;
}

std::string joined(ipp_attribute_t* a) {
    if (!a) return {};
    std::string out;
    for (int i = 0; i < ippGetCount(a); ++i) {
        const char* s = ippGetString(a, i, nullptr);
        if (!s) continue;
        if (!out.empty()) out += ", ";
        out += s;
    }
    return out;
}

std::string state_name(int s) {
    return s == IPP_PSTATE_IDLE ? "idle" : s == IPP_PSTATE_PROCESSING ? "processing" : "stopped";
}

const char* kPrinterAttrs[] = {"printer-name", "printer-state", "printer-state-reasons", "printer-state-message",
                               "printer-is-accepting-jobs"};

std::string default_printer() {
    cups_dest_t* d = cupsGetNamedDest(CUPS_HTTP_DEFAULT, nullptr, nullptr);
    std::string name = d ? d->name : "";
    if (d) cupsFreeDests(1, d);
    return name;
}

// Printers from the attribute groups of a CUPS-Get-Printers / Get-Printer-Attributes answer.
std::vector<Printer> printers_in(ipp_t* resp) {
    std::vector<Printer> out;
    const std::string def = default_printer();
    Printer p;
    bool in_printer = false;
    auto flush = [&] {
        if (in_printer && !p.name.empty()) {
            p.is_default = p.name == def;
            out.push_back(p);
        }
        p = Printer{};
        in_printer = false;
    };
    for (ipp_attribute_t* a = ippFirstAttribute(resp); a; a = ippNextAttribute(resp)) {
        if (!ippGetName(a)) {
            flush();
            continue;
        }
        if (ippGetGroupTag(a) != IPP_TAG_PRINTER) continue;
        in_printer = true;
        const std::string n = ippGetName(a);
        if (n == "printer-name") p.name = ippGetString(a, 0, nullptr);
        else if (n == "printer-state") p.state = state_name(ippGetInteger(a, 0));
        else if (n == "printer-state-reasons") p.reasons = joined(a);
        else if (n == "printer-state-message") p.message = joined(a);
        else if (n == "printer-is-accepting-jobs") p.accepting = ippGetBoolean(a, 0) != 0;
    }
    flush();
    return out;
}

std::string printer_from_uri(const std::string& uri) {
    const auto slash = uri.rfind('/');
    return slash == std::string::npos ? uri : uri.substr(slash + 1);
}

std::string application_of(const std::string& title) {
    return title.rfind(kTitlePrefix, 0) == 0 ? title.substr(std::char_traits<char>::length(kTitlePrefix)) : "";
}

}  // namespace

std::string Printer::problem() const {
    std::string why = message;
    if (!reasons.empty() && reasons != "none") why += (why.empty() ? "" : " [") + reasons + (message.empty() ? "" : "]");
    if (state == "stopped") return "printer " + name + " is stopped" + (why.empty() ? "" : ": " + why);
    if (!accepting) return "printer " + name + " does not accept jobs" + (why.empty() ? "" : ": " + why);
    return {};
}

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

bool JobStatus::failed() const {
    return state == JobState::Aborted || state == JobState::Cancelled || state == JobState::Stopped ||
           state == JobState::Unknown || printer_state == "stopped";
}

bool cups_available() {
    ipp_t* req = ippNewRequest(IPP_OP_CUPS_GET_DEFAULT);
    Ipp resp(cupsDoRequest(CUPS_HTTP_DEFAULT, req, "/"));
    const ipp_status_t st = cupsLastError();
    // "not found" means the server answered but has no default printer.
    return resp != nullptr || st == IPP_STATUS_ERROR_NOT_FOUND;
}

std::vector<Printer> list_printers() {
    ipp_t* req = ippNewRequest(IPP_OP_CUPS_GET_PRINTERS);
    ippAddStrings(req, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes",
                  static_cast<int>(std::size(kPrinterAttrs)), nullptr, kPrinterAttrs);
    Ipp resp(cupsDoRequest(CUPS_HTTP_DEFAULT, req, "/"));
    if (cupsLastError() == IPP_STATUS_ERROR_NOT_FOUND) return {};  // a server without printers
    if (!resp || cupsLastError() > IPP_STATUS_OK_CONFLICTING)
        throw PrintError("cannot reach CUPS at " + server() + ": " + cupsLastErrorString() +
                         " (is cupsd running? set CUPS_SERVER, or print to a folder)");
    return printers_in(resp.get());
}

Printer printer_info(const std::string& name) {
    char uri[HTTP_MAX_URI];
    httpAssembleURIf(HTTP_URI_CODING_ALL, uri, sizeof uri, "ipp", nullptr, "localhost", 0, "/printers/%s",
                     name.c_str());
    ipp_t* req = ippNewRequest(IPP_OP_GET_PRINTER_ATTRIBUTES);
    ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", nullptr, uri);
    ippAddStrings(req, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes",
                  static_cast<int>(std::size(kPrinterAttrs)), nullptr, kPrinterAttrs);
    Ipp resp = request(req);
    if (!resp) throw PrintError("printer " + name + " is unknown to CUPS at " + server() + ": " + cupsLastErrorString());
    auto ps = printers_in(resp.get());
    if (ps.empty()) throw PrintError("printer " + name + " is unknown to CUPS at " + server());
    return ps.front();
}

int submit_pdf(const std::string& printer, const std::filesystem::path& pdf, const std::string& application_id) {
    if (application_id.empty()) throw PrintError("a print job needs the application id it belongs to");
    {
        std::ifstream in(pdf, std::ios::binary);
        char magic[5] = {};
        in.read(magic, 5);
        if (!in || std::string(magic, 5) != "%PDF-")
            throw PrintError("cannot print " + pdf.string() + ": not a readable PDF file");
    }
    const std::string title = kTitlePrefix + application_id;
    cups_option_t* options = nullptr;
    int n = cupsAddOption("document-format", "application/pdf", 0, &options);
    const int job = cupsPrintFile2(CUPS_HTTP_DEFAULT, printer.c_str(), pdf.c_str(), title.c_str(), n, options);
    cupsFreeOptions(n, options);
    if (job == 0 && cups_down()) throw PrintError(cups_down_message());
    if (job == 0)
        throw PrintError("printer " + printer + " did not accept the job: " + cupsLastErrorString() +
                         " (check the printer name with `kakanai-print printers`)");
    return job;
}

int stream_pdf(const std::string& printer, const std::vector<std::uint8_t>& pdf, const std::string& application_id) {
    if (application_id.empty()) throw PrintError("a print job needs the application id it belongs to");
    if (pdf.size() < 5 || std::string(pdf.begin(), pdf.begin() + 5) != "%PDF-")
        throw PrintError("cannot print the form of " + application_id + ": not a PDF");
    const std::string title = kTitlePrefix + application_id;
    const int job = cupsCreateJob(CUPS_HTTP_DEFAULT, printer.c_str(), title.c_str(), 0, nullptr);
    if (job == 0 && cups_down()) throw PrintError(cups_down_message());
    if (job == 0)
        throw PrintError("printer " + printer + " did not accept the job: " + cupsLastErrorString() +
                         " (check the printer name with `kakanai-print printers`)");
    const auto fail = [&](const std::string& what) {
        const std::string why = cupsLastErrorString() ? cupsLastErrorString() : "";
        cupsCancelJob2(CUPS_HTTP_DEFAULT, printer.c_str(), job, 0);
        throw PrintError("printer " + printer + ": " + what + " of job " + std::to_string(job) + " failed: " + why);
    };
    // The document is the job's only one (last = 1): CUPS starts printing when it ends.
    // Its name has no space: cupsd 2.4.2 crashes on a document-name with one.
    std::string docname = application_id + ".pdf";
    std::replace(docname.begin(), docname.end(), ' ', '_');
    if (cupsStartDocument(CUPS_HTTP_DEFAULT, printer.c_str(), job, docname.c_str(), CUPS_FORMAT_PDF, 1) !=
        HTTP_STATUS_CONTINUE)
        fail("sending the document");
    constexpr std::size_t kChunk = 64 * 1024;
    for (std::size_t off = 0; off < pdf.size(); off += kChunk) {
        const std::size_t n = std::min(kChunk, pdf.size() - off);
        if (cupsWriteRequestData(CUPS_HTTP_DEFAULT, reinterpret_cast<const char*>(pdf.data() + off), n) !=
            HTTP_STATUS_CONTINUE)
            fail("sending the document");
    }
    if (cupsFinishDocument(CUPS_HTTP_DEFAULT, printer.c_str()) > IPP_STATUS_OK_CONFLICTING) fail("ending the document");
    return job;
}

JobStatus job_status(int job_id) {
    JobStatus s;
    s.id = job_id;
    char uri[64];
    std::snprintf(uri, sizeof uri, "ipp://localhost/jobs/%d", job_id);
    ipp_t* req = ippNewRequest(IPP_OP_GET_JOB_ATTRIBUTES);
    ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_URI, "job-uri", nullptr, uri);
    ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", nullptr, cupsUser());
    static const char* attrs[] = {"job-state", "job-state-reasons", "job-printer-state-message", "job-name",
                                  "job-printer-uri"};
    ippAddStrings(req, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes",
                  static_cast<int>(std::size(attrs)), nullptr, attrs);
    Ipp resp = request(req);
    if (!resp && cups_down()) {
        s.reason = cups_down_message();
        return s;
    }
    if (!resp) {
        s.reason = std::string("CUPS does not know job ") + std::to_string(job_id) + ": " + cupsLastErrorString();
        return s;
    }
    std::string job_reasons, message;
    if (ipp_attribute_t* a = ippFindAttribute(resp.get(), "job-state", IPP_TAG_ENUM)) {
        switch (ippGetInteger(a, 0)) {
            case IPP_JSTATE_PENDING: s.state = JobState::Pending; break;
            case IPP_JSTATE_HELD: s.state = JobState::Held; break;
            case IPP_JSTATE_PROCESSING: s.state = JobState::Processing; break;
            case IPP_JSTATE_STOPPED: s.state = JobState::Stopped; break;
            case IPP_JSTATE_CANCELED: s.state = JobState::Cancelled; break;
            case IPP_JSTATE_ABORTED: s.state = JobState::Aborted; break;
            case IPP_JSTATE_COMPLETED: s.state = JobState::Completed; break;
            default: break;
        }
    }
    job_reasons = joined(ippFindAttribute(resp.get(), "job-state-reasons", IPP_TAG_KEYWORD));
    message = joined(ippFindAttribute(resp.get(), "job-printer-state-message", IPP_TAG_TEXT));
    s.application_id = application_of(joined(ippFindAttribute(resp.get(), "job-name", IPP_TAG_NAME)));
    s.printer = printer_from_uri(joined(ippFindAttribute(resp.get(), "job-printer-uri", IPP_TAG_URI)));

    if (s.state == JobState::Completed) return s;
    Printer p;
    try {
        p = printer_info(s.printer);
    } catch (const PrintError&) {
        p.name = s.printer;
    }
    if (s.state != JobState::Aborted && s.state != JobState::Cancelled) s.printer_state = p.state;
    // The printer's own words first (e.g. "Paper jam in tray 1"), then the job's reason keywords.
    std::string why = !message.empty() ? message : p.message;
    if (!p.reasons.empty() && p.reasons != "none") why += (why.empty() ? "" : " [") + p.reasons + (why.empty() ? "" : "]");
    if (s.failed() || s.state == JobState::Held) {
        if (!job_reasons.empty() && job_reasons != "none") why += (why.empty() ? "" : "; job: ") + job_reasons;
        s.reason = why;
    }
    return s;
}

JobStatus wait_for_job(int job_id, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    auto pause = std::chrono::milliseconds(50);
    for (;;) {
        JobStatus s = job_status(job_id);
        if (s.done() || s.failed() || std::chrono::steady_clock::now() > deadline) return s;
        std::this_thread::sleep_for(pause);
        pause = std::min(pause * 2, std::chrono::milliseconds(500));
    }
}

void cancel_job(int job_id) {
    const JobStatus s = job_status(job_id);
    if (s.state == JobState::Unknown && cups_down()) throw PrintError(cups_down_message());
    // A job CUPS no longer knows (e.g. its history was cleared) cannot print any more.
    if (s.state == JobState::Unknown) return;
    if (s.state == JobState::Completed || s.state == JobState::Aborted || s.state == JobState::Cancelled) return;
    if (cupsCancelJob2(CUPS_HTTP_DEFAULT, s.printer.c_str(), job_id, 0) != IPP_STATUS_OK)
        throw PrintError("cannot cancel job " + std::to_string(job_id) + " on " + s.printer + ": " +
                         cupsLastErrorString());
}

namespace {
// Before a job is sent again: the earlier one must be this application's, and is
// cancelled so clearing a jam later cannot print it a second time.
void cancel_earlier_of(const JobStatus& earlier, const std::string& application_id) {
    // `earlier` may date from while CUPS was down (no application id then): ask again.
    const JobStatus now = job_status(earlier.id);
    if (now.state == JobState::Unknown && cups_down()) throw PrintError(cups_down_message());
    const std::string& owner = !now.application_id.empty() ? now.application_id : earlier.application_id;
    if (!owner.empty() && owner != application_id)
        throw PrintError("job " + std::to_string(earlier.id) + " belongs to application " + owner + ", not " +
                         application_id + "; refusing to reprint another resident's form");
    cancel_job(earlier.id);
}
}  // namespace

int resubmit(const JobStatus& earlier, const std::string& printer, const std::filesystem::path& pdf,
             const std::string& application_id) {
    cancel_earlier_of(earlier, application_id);
    return submit_pdf(printer, pdf, application_id);
}

int resubmit(const JobStatus& earlier, const std::string& printer, const std::vector<std::uint8_t>& pdf,
             const std::string& application_id) {
    cancel_earlier_of(earlier, application_id);
    return stream_pdf(printer, pdf, application_id);
}

std::filesystem::path print_to_folder(const std::filesystem::path& pdf, const std::filesystem::path& folder,
                                      const std::string& application_id) {
    std::ifstream in(pdf, std::ios::binary);
    if (!in) throw PrintError("cannot read " + pdf.string());
    std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto target = application_pdf_path(folder, application_id);
    write_file_atomic(target, bytes);
    return target;
}

}  // namespace kakanai::printing
