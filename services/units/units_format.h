// Human formatting of the Data Factory's units, one convention for every service message
// and every client display.
//
// Purpose: the report's messages and ledger cards (factory-sim) and the terminal dashboard
// and PNG (factory-cli) print the same figure the same way.
//
// Convention: decimal prefixes (K, M, G, T, P, E: 1 KB = 1e3 B) and three significant digits
// with trailing zeros dropped ("1 PB", "1.5 PB", "250 MB/s", "1.83 GB/s"); a value that
// rounds up to the next prefix takes it ("999.9 MB" prints "1 GB"); three or more integer
// digits print whole, never in exponent form ("1234 days"). Durations in s, min, h or days
// (a unit is used from 2 of it on: "119 s", "2 min", "92.6 days"). Dollars whole with
// thousands separators ("$90,000", "-$1,234,567"); below $10 with cents when there are any
// ("$0.42", "$5"). Counts rounded with thousands separators ("16,621"). Percent of a fraction
// ("85.7 %").
//
// Usage:
//   df::units::FormatBytes(1e15) == "1 PB";   FormatBytesPerS(250e6) == "250 MB/s";
//   FormatBitsPerS(10e9) == "10 Gbps";         FormatDuration(8e6) == "92.6 days";
//   FormatDollars(90000) == "$90,000";         FormatCount(16621) == "16,621";
//   FormatPercent(0.857) == "85.7 %";          FormatWithUnit(250e6, "B/s") == "250 MB/s";
//
// Thread-safety: pure functions. Failure: none; a non-finite duration prints "never", other
// non-finite values "inf" / "nan" ("$inf" for dollars).
#ifndef DF_SERVICES_UNITS_UNITS_FORMAT_H_
#define DF_SERVICES_UNITS_UNITS_FORMAT_H_

#include <string>
#include <string_view>

namespace df::units {

std::string FormatBytes(double bytes);            // "1 PB", "110 KB"
std::string FormatBytesPerS(double bytes_per_s);  // "250 MB/s"
std::string FormatBitsPerS(double bits_per_s);    // "10 Gbps"
std::string FormatCount(double count);            // "16,621"
std::string FormatDuration(double seconds);       // "42 s", "9.33 min", "92.6 days"
std::string FormatDollars(double dollars);        // "$90,000", "$0.42"
std::string FormatPercent(double fraction);       // 0.857 -> "85.7 %"
std::string FormatSignificant(double value);      // 3 significant digits: "0.0125", "1234"

// A value with its unit as the figure catalogue and the consequence log name it: bytes
// ("B", "bytes"), bytes/s ("B/s", "bytes/s"), bits/s ("bit/s", "bits/s", "bps"), dollars
// ("USD", "$", "dollars"), seconds ("s", "seconds"), fractions ("ratio", "fraction") as
// percent; any other unit follows the number ("2.3e-12 J").
std::string FormatWithUnit(double value, std::string_view unit);

}  // namespace df::units

#endif  // DF_SERVICES_UNITS_UNITS_FORMAT_H_
