#include <cmath>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/factory_sim/model/report.h"

namespace df::factory {
namespace {

// "1.83 GB" style: three significant digits with a decimal unit.
std::string WithDecimalUnit(double value, std::string_view suffix) {
  static constexpr std::pair<double, const char*> kUnits[] = {{1e18, "E"}, {1e15, "P"}, {1e12, "T"},
                                                              {1e9, "G"},  {1e6, "M"},  {1e3, "K"}};
  for (const auto& [scale, prefix] : kUnits) {
    if (std::fabs(value) >= scale) {
      return absl::StrFormat("%.3g %s%s", value / scale, prefix, suffix);
    }
  }
  return absl::StrFormat("%.3g %s", value, suffix);
}

}  // namespace

std::string_view SeverityName(Severity severity) {
  switch (severity) {
    case Severity::kInfo:
      return "info";
    case Severity::kWarning:
      return "warning";
    case Severity::kAlert:
      return "alert";
  }
  return "info";
}

std::string FormatBytes(double bytes) { return WithDecimalUnit(bytes, "B"); }

std::string FormatBytesPerS(double bytes_per_s) { return WithDecimalUnit(bytes_per_s, "B/s"); }

std::string FormatCount(double count) {
  const double rounded = std::round(count);
  if (!(std::fabs(rounded) < 1e15)) {
    return absl::StrFormat("%.3g", rounded);
  }
  const std::string digits = absl::StrFormat("%.0f", std::fabs(rounded));
  std::string grouped = rounded < 0 ? "-" : "";
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) {
      grouped.push_back(',');
    }
    grouped.push_back(digits[i]);
  }
  return grouped;
}

std::string FormatDollars(double dollars) {
  const std::string count = FormatCount(dollars);
  return count[0] == '-' ? absl::StrCat("-$", count.substr(1)) : absl::StrCat("$", count);
}

std::string FormatDuration(double seconds) {
  if (seconds >= 2 * 86'400.0) {
    return absl::StrFormat("%.3g days", seconds / 86'400.0);
  }
  if (seconds >= 2 * 3'600.0) {
    return absl::StrFormat("%.3g h", seconds / 3'600.0);
  }
  if (seconds >= 120.0) {
    return absl::StrFormat("%.3g min", seconds / 60.0);
  }
  return absl::StrFormat("%.3g s", seconds);
}

}  // namespace df::factory
