#include "clients/factory_cli/units_format.h"

#include <cmath>
#include <cstdio>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace df::factory_cli {
namespace {

// Three significant figures with an SI prefix of 1000.
std::string Scaled(double value, const char* const* units, int count) {
  int i = 0;
  double v = value;
  while (std::fabs(v) >= 1000.0 && i + 1 < count) {
    v /= 1000.0;
    ++i;
  }
  if (std::fabs(v) >= 100.0 || i == 0) return absl::StrFormat("%.0f %s", v, units[i]);
  if (std::fabs(v) >= 10.0) return absl::StrFormat("%.1f %s", v, units[i]);
  return absl::StrFormat("%.2f %s", v, units[i]);
}

std::string WithThousands(long long whole) {
  std::string digits = std::to_string(whole < 0 ? -whole : whole);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  if (whole < 0) return absl::StrCat("-", out);
  return out;
}

}  // namespace

std::string FormatBytes(double bytes) {
  static const char* const kUnits[] = {"B", "kB", "MB", "GB", "TB", "PB", "EB"};
  return Scaled(bytes, kUnits, 7);
}

std::string FormatRate(double bytes_per_s) {
  static const char* const kUnits[] = {"B/s", "kB/s", "MB/s", "GB/s", "TB/s", "PB/s"};
  return Scaled(bytes_per_s, kUnits, 6);
}

std::string FormatBitRate(double bits_per_s) {
  static const char* const kUnits[] = {"bps", "kbps", "Mbps", "Gbps", "Tbps"};
  return Scaled(bits_per_s, kUnits, 5);
}

std::string FormatDuration(double seconds) {
  if (!std::isfinite(seconds)) return "never";
  if (seconds < 120) return absl::StrFormat("%.1f s", seconds);
  if (seconds < 2 * 3600) return absl::StrFormat("%.1f min", seconds / 60);
  if (seconds < 2 * 86400) return absl::StrFormat("%.1f h", seconds / 3600);
  return absl::StrFormat("%.1f days", seconds / 86400);
}

std::string FormatDollars(double dollars) {
  if (!std::isfinite(dollars)) return "$?";
  if (std::fabs(dollars) < 100) return absl::StrFormat("$%.2f", dollars);
  return absl::StrCat("$", WithThousands(std::llround(dollars)));
}

std::string FormatPercent(double fraction) { return absl::StrFormat("%.1f %%", 100 * fraction); }

std::string FormatWithUnit(double value, const std::string& unit) {
  if (unit == "bytes" || unit == "B") return FormatBytes(value);
  if (unit == "bytes/s" || unit == "B/s") return FormatRate(value);
  if (unit == "bits/s" || unit == "bps") return FormatBitRate(value);
  if (unit == "USD" || unit == "$" || unit == "dollars") return FormatDollars(value);
  if (unit == "s" || unit == "seconds") return FormatDuration(value);
  if (unit == "ratio" || unit == "fraction") return FormatPercent(value);
  return absl::StrFormat("%.4g %s", value, unit);
}

}  // namespace df::factory_cli
