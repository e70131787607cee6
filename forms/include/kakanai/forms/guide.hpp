#pragma once
// The resident's guide slip (受付案内) as data: for one visit, its number and
// each procedure with the counter to visit, the fee (per copy x copies), what
// to bring and the deadline. Nothing personal: the visit number and procedures
// only. The kiosk shows it on its last screen; printing renders it as a PDF.
#include <filesystem>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "kakanai/forms/template.hpp"

namespace kakanai::forms {

// A town's counter names ([guide.counters] in kakanai.toml): by template id,
// else by department (e.g. "住民課" = "1番窓口 住民課"). They win over the
// template's [guide] counter.
struct GuideCounters {
    std::map<std::string, Text> by_key;
};

// Reads [guide.counters] of kakanai.toml; empty when the file or table is
// missing. Throws std::runtime_error naming the file and line for a bad value.
GuideCounters load_guide_counters(const std::filesystem::path& toml_file);

// The neutral counter when neither the town nor the template names one.
Text default_counter();

struct GuideStep {
    std::string template_id;
    Text title;               // the official name is title.ja
    Text counter;
    bool has_fee = false;
    long long fee_yen = 0;    // per copy
    int copies = 1;
    std::vector<Text> bring;
    int deadline_days = 0;
    Text deadline_from;
    long long fee_total() const { return has_fee ? fee_yen * copies : 0; }
};

struct GuideSlip {
    std::string number;       // the visit's number, e.g. "105"
    std::vector<GuideStep> steps;  // in the order to visit them
    long long total_yen() const;
    bool has_fees() const;
};

// One procedure of the visit: its template and how many copies were asked (1 when not asked).
struct GuideProcedure {
    const Template* t = nullptr;
    int copies = 1;
};

// Steps ordered by [guide] order, then as given; a template without [guide]
// gets the town's counter, else its department, else default_counter().
GuideSlip make_guide_slip(const std::string& number, const std::vector<GuideProcedure>& procedures,
                          const GuideCounters& town = {});

// How many copies a form asks for: its `copies` value, 1 when absent or not a number.
int copies_of(const std::string& value);

// "1,234" (digits grouped by three).
std::string yen_digits(long long yen);

}  // namespace kakanai::forms
