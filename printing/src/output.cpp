// PDFs on disk: atomic writes into a private folder, and their removal on purge.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "kakanai/base/wipe.hpp"
#include "kakanai/printing/pdf.hpp"

namespace kakanai::printing {
namespace {

void check_application_id(const std::string& id) {
    if (id.empty() || id == "." || id == ".." || id.find('/') != std::string::npos || id.find('\0') != std::string::npos)
        throw PrintError("invalid application id for a file name: \"" + id + "\"");
}

// What the operator does about a failed write.
std::string write_hint(int err, const std::filesystem::path& dir) {
    switch (err) {
        case ENOSPC:
        case EDQUOT:
        case EFBIG:
            return " (the disk of " + dir.string() +
                   " is full: free space there or set paths.output to another disk; nothing was written)";
        case EROFS:
        case EACCES:
        case EPERM: return " (" + dir.string() + " is not writable: check its permissions or mount)";
        default: return "";
    }
}

}  // namespace

void write_file_atomic(const std::filesystem::path& file, const std::vector<std::uint8_t>& bytes) {
    const auto dir = file.parent_path().empty() ? std::filesystem::path(".") : file.parent_path();
    std::error_code ec;
    if (!std::filesystem::exists(dir, ec)) {
        std::filesystem::create_directories(dir, ec);
        if (ec) throw PrintError("cannot create output folder " + dir.string() + ": " + ec.message());
        ::chmod(dir.c_str(), 0700);
    }
    std::string tmpl = (dir / ".kakanai-XXXXXX").string();
    const int fd = ::mkostemp(tmpl.data(), O_CLOEXEC);
    if (fd < 0) {
        const int err = errno;
        const std::string hint = write_hint(err, dir);
        throw PrintError("cannot write to output folder " + dir.string() + ": " + std::strerror(err) +
                         (hint.empty() ? " (check that it exists and is writable)" : hint));
    }
    ::fchmod(fd, 0600);
    std::size_t done = 0;
    bool ok = true;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n <= 0) {
            ok = false;
            break;
        }
        done += static_cast<std::size_t>(n);
    }
    int err = ok ? 0 : (errno != 0 ? errno : EIO);
    if (ok && ::fsync(fd) != 0) {
        ok = false;
        err = errno;
    }
    if (::close(fd) != 0 && ok) {  // NFS and the like report a full disk only here
        ok = false;
        err = errno;
    }
    if (ok && ::rename(tmpl.c_str(), file.c_str()) != 0) {
        ok = false;
        err = errno;
    }
    if (!ok) {
        // Never a partial PDF: the temporary file goes, an earlier file of that name stays.
        ::unlink(tmpl.c_str());
        throw PrintError("cannot write " + file.string() + ": " + std::strerror(err) + write_hint(err, dir));
    }
}


std::filesystem::path application_pdf_path(const std::filesystem::path& dir, const std::string& application_id) {
    check_application_id(application_id);
    return dir / (application_id + ".pdf");
}

std::size_t delete_application_pdfs(const std::filesystem::path& dir, const std::string& application_id) {
    check_application_id(application_id);
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) return 0;
    std::size_t removed = 0;
    std::vector<std::filesystem::path> doomed;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
        const std::string name = entry.path().filename().string();
        const bool pdf = name.size() > 4 && name.compare(name.size() - 4, 4, ".pdf") == 0;
        if (!pdf) continue;
        const std::string stem = name.substr(0, name.size() - 4);
        bool reprint = stem.size() > application_id.size() + 1 && stem.compare(0, application_id.size(), application_id) == 0 &&
                       stem[application_id.size()] == '-';
        if (reprint) {
            for (std::size_t i = application_id.size() + 1; i < stem.size(); ++i)
                reprint = reprint && stem[i] >= '0' && stem[i] <= '9';
        }
        if (stem == application_id || reprint) doomed.push_back(entry.path());
    }
    if (ec) throw PrintError("cannot list the output folder " + dir.string() + ": " + ec.message());
    for (const auto& p : doomed) {
        if (::unlink(p.c_str()) != 0)
            throw PrintError("cannot remove " + p.string() + ": " + std::strerror(errno) +
                             " (check the folder's permissions; the PDF still holds personal data)");
        ++removed;
    }
    return removed;
}

}  // namespace kakanai::printing

namespace kakanai::printing {

bool holds_my_number(const forms::Template& t) {
    return std::any_of(t.fields.begin(), t.fields.end(),
                       [](const forms::Field& f) { return f.type == forms::FieldType::MyNumber; });
}

bool mask_my_number(const forms::Template& t, forms::FilledForm& form) {
    bool masked = false;
    for (auto& v : form.fields) {
        const forms::Field* f = t.field(v.id);
        if (!f || f->type != forms::FieldType::MyNumber) continue;
        // A box the card's number goes into shows the mask even when no card was
        // read for this copy, so the paper says the number was left out on purpose.
        const bool bound = f->source == forms::Source::Card && f->source_key == "my_number";
        if (!bound && v.value.empty() && v.display.empty()) continue;
        for (std::string* s : {&v.value, &v.display}) {
            base::wipe_string(*s);
            *s = kMyNumberMask;
        }
        masked = true;
    }
    return masked;
}

FolderPrint print_form_to_folder(const forms::Template& t, const forms::FilledForm& form, const PdfOptions& options,
                                 const std::filesystem::path& folder) {
    FolderPrint out;
    out.file = application_pdf_path(folder, options.application_id);
    forms::FilledForm masked = form;
    out.my_number_masked = mask_my_number(t, masked);
    try {
        write_file_atomic(out.file, render_pdf(t, masked, options));
    } catch (...) {
        masked.wipe();
        throw;
    }
    masked.wipe();
    return out;
}

}  // namespace kakanai::printing
