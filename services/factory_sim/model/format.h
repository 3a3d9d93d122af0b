// Human formatting of the model's numbers, as the report's messages and cards use them.
//
// Usage: FormatBytes(1e15) == "1 PB"; FormatBytesPerS(250e6) == "250 MB/s";
//        FormatDollars(90000) == "$90,000"; FormatCount(16621) == "16,621";
//        FormatDuration(8e6) == "92.6 days".
// Decimal units, three significant digits; dollars rounded to whole dollars with thousands
// separators; durations in s, min, h or days (>= 2 of the unit).
//
// Thread-safety: pure functions. Failure: none (non-finite values print as "inf"/"nan").
#ifndef DF_SERVICES_FACTORY_SIM_MODEL_FORMAT_H_
#define DF_SERVICES_FACTORY_SIM_MODEL_FORMAT_H_

#include <string>

namespace df::factory {

std::string FormatBytes(double bytes);
std::string FormatBytesPerS(double bytes_per_s);
std::string FormatDollars(double dollars);
std::string FormatCount(double count);  // rounded, thousands separators: "16,621"
std::string FormatDuration(double seconds);

}  // namespace df::factory

#endif  // DF_SERVICES_FACTORY_SIM_MODEL_FORMAT_H_
