// Human formatting of the simulator's units: decimal bytes, rates, durations and
// dollars, as the dashboard prints them ("1.00 PB", "250 MB/s", "92.6 days",
// "$90,000"). Pure functions; thread-safe.
#ifndef DATA_FACTORY_CLIENTS_FACTORY_CLI_UNITS_FORMAT_H_
#define DATA_FACTORY_CLIENTS_FACTORY_CLI_UNITS_FORMAT_H_

#include <string>

namespace df::factory_cli {

std::string FormatBytes(double bytes);         // "1.00 PB"
std::string FormatRate(double bytes_per_s);    // "250 MB/s"
std::string FormatBitRate(double bits_per_s);  // "10 Gbps"
std::string FormatDuration(double seconds);    // "42 s", "3.2 h", "92.6 days"
std::string FormatDollars(double dollars);     // "$90,000", "$0.42"
std::string FormatPercent(double fraction);    // 0.857 -> "85.7 %"
// A value with its catalogue unit ("bytes", "bytes/s", "USD", "s", "ratio", ...).
std::string FormatWithUnit(double value, const std::string& unit);

}  // namespace df::factory_cli

#endif  // DATA_FACTORY_CLIENTS_FACTORY_CLI_UNITS_FORMAT_H_
