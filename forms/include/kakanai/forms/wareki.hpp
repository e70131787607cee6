#pragma once
// Dates in 和暦 (Japanese era) and 西暦, through ICU's Japanese calendar.
#include <stdexcept>
#include <string>

namespace kakanai::forms {

class DateError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

enum class DateStyle { Wareki, Seireki };

// "1989-01-08" -> "平成元年1月8日" (Wareki) or "1989年1月8日" (Seireki).
// Throws DateError for malformed or impossible dates and dates before 1873-01-01.
std::string format_date(const std::string& iso_date, DateStyle style);

// Era name and year within the era, e.g. {"令和", 1}.
struct EraYear {
    std::string era;
    int year = 0;
};
EraYear era_year(const std::string& iso_date);

// Today's date as YYYY-MM-DD in local time.
std::string today_iso();

}  // namespace kakanai::forms
