#include "services/units/units_format.h"

#include <array>
#include <cmath>
#include <cstdlib>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace df::units {
namespace {

constexpr double kSecondsPerMinute = 60.0;
constexpr double kSecondsPerHour = 3'600.0;
constexpr double kSecondsPerDay = 86'400.0;

// `value` rounded to three significant digits.
double RoundedToThreeDigits(double value) {
  return std::strtod(absl::StrFormat("%.3g", value).c_str(), nullptr);
}

// "1.83 GB" style: the largest decimal prefix the rounded value reaches.
std::string WithDecimalPrefix(double value, const char* suffix) {
  struct Prefix {
    double scale;
    const char* symbol;
  };
  static constexpr std::array<Prefix, 6> kPrefixes = {
      {{1e18, "E"}, {1e15, "P"}, {1e12, "T"}, {1e9, "G"}, {1e6, "M"}, {1e3, "K"}}};
  const double magnitude = std::fabs(RoundedToThreeDigits(value));
  for (const Prefix& prefix : kPrefixes) {
    if (magnitude >= prefix.scale) {
      return absl::StrCat(FormatSignificant(value / prefix.scale), " ", prefix.symbol, suffix);
    }
  }
  return absl::StrCat(FormatSignificant(value), " ", suffix);
}

// Digits of a whole non-negative number with thousands separators: "1,234,567".
std::string Grouped(double whole) {
  const std::string digits = absl::StrFormat("%.0f", whole);
  std::string grouped;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) {
      grouped.push_back(',');
    }
    grouped.push_back(digits[i]);
  }
  return grouped;
}

}  // namespace

std::string FormatSignificant(double value) {
  if (std::isfinite(value) && std::fabs(RoundedToThreeDigits(value)) >= 1000.0) {
    return absl::StrFormat("%.0f", value);
  }
  return absl::StrFormat("%.3g", value);
}

std::string FormatBytes(double bytes) { return WithDecimalPrefix(bytes, "B"); }

std::string FormatBytesPerS(double bytes_per_s) { return WithDecimalPrefix(bytes_per_s, "B/s"); }

std::string FormatBitsPerS(double bits_per_s) { return WithDecimalPrefix(bits_per_s, "bps"); }

std::string FormatCount(double count) {
  const double rounded = std::round(count);
  if (!(std::fabs(rounded) < 1e15)) {
    return absl::StrFormat("%.3g", rounded);
  }
  return absl::StrCat(rounded < 0 ? "-" : "", Grouped(std::fabs(rounded)));
}

std::string FormatDuration(double seconds) {
  if (!std::isfinite(seconds)) {
    return "never";
  }
  if (seconds >= 2 * kSecondsPerDay) {
    return absl::StrCat(FormatSignificant(seconds / kSecondsPerDay), " days");
  }
  if (seconds >= 2 * kSecondsPerHour) {
    return absl::StrCat(FormatSignificant(seconds / kSecondsPerHour), " h");
  }
  if (seconds >= 2 * kSecondsPerMinute) {
    return absl::StrCat(FormatSignificant(seconds / kSecondsPerMinute), " min");
  }
  return absl::StrCat(FormatSignificant(seconds), " s");
}

std::string FormatDollars(double dollars) {
  const char* sign = dollars < 0 ? "-" : "";
  const double magnitude = std::fabs(dollars);
  if (!std::isfinite(dollars)) {
    return absl::StrCat(sign, "$", absl::StrFormat("%g", magnitude));
  }
  const double cents = std::round(magnitude * 100);
  if (magnitude < 10 && std::fmod(cents, 100) != 0) {
    return absl::StrFormat("%s$%.2f", sign, cents / 100);
  }
  const double whole = std::round(magnitude);
  if (!(whole < 1e15)) {
    return absl::StrCat(sign, "$", absl::StrFormat("%.3g", whole));
  }
  return absl::StrCat(whole == 0 ? "" : sign, "$", Grouped(whole));
}

std::string FormatPercent(double fraction) {
  return absl::StrCat(FormatSignificant(fraction * 100), " %");
}

std::string FormatWithUnit(double value, std::string_view unit) {
  if (unit == "B" || unit == "bytes") return FormatBytes(value);
  if (unit == "B/s" || unit == "bytes/s") return FormatBytesPerS(value);
  if (unit == "bit/s" || unit == "bits/s" || unit == "bps") return FormatBitsPerS(value);
  if (unit == "USD" || unit == "$" || unit == "dollars") return FormatDollars(value);
  if (unit == "s" || unit == "seconds") return FormatDuration(value);
  if (unit == "ratio" || unit == "fraction") return FormatPercent(value);
  return absl::StrCat(FormatSignificant(value), " ", std::string(unit));
}

}  // namespace df::units
