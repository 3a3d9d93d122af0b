#include "services/factory_sim/model/drift_check.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "services/factory_sim/model/figures.h"
#include "services/stats/ks_test.h"
#include "services/stats/multiple_testing.h"

namespace df::factory {
namespace {

struct CitySpec {
  const char* name;
  bool firmware_updated;
};
constexpr std::array<CitySpec, kDoorbellCities> kCities = {
    {{"Lakewood", true}, {"Fairview", false}}};
constexpr std::array<const char*, kDoorbellFeatures> kFeatures = {"wb_gain_log_g_over_r",
                                                                  "wb_gain_log_g_over_b"};

// SplitMix64 + Box-Muller: fully specified, so every platform draws the same fleet.
class Normal {
 public:
  explicit Normal(uint64_t seed) : state_(seed) {}
  double Next(double mean, double sd) {
    if (has_spare_) {
      has_spare_ = false;
      return mean + sd * spare_;
    }
    const double u1 = (static_cast<double>(NextBits() >> 11) + 0.5) * 0x1.0p-53;
    const double u2 = (static_cast<double>(NextBits() >> 11) + 0.5) * 0x1.0p-53;
    const double radius = std::sqrt(-2.0 * std::log(u1));
    spare_ = radius * std::sin(2.0 * std::numbers::pi * u2);
    has_spare_ = true;
    return mean + sd * radius * std::cos(2.0 * std::numbers::pi * u2);
  }

 private:
  uint64_t NextBits() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  uint64_t state_;
  double spare_ = 0.0;
  bool has_spare_ = false;
};

using Window = std::array<std::vector<double>, kDoorbellFeatures>;

// Per-frame mean R, G, B of doorbell cameras after their auto white balance: the residual
// colour cast (ln G/R, ln G/B) and the exposure vary frame to frame with the scene.
// `red_gain` multiplies red and divides blue (the firmware update; 1 = none).
Window DrawWindow(Normal& normal, int frames, double red_gain) {
  Window window;
  for (auto& feature : window) feature.reserve(static_cast<size_t>(frames));
  for (int frame = 0; frame < frames; ++frame) {
    const double green = std::clamp(normal.Next(110.0, 25.0), 8.0, 247.0);
    const double cast_r = normal.Next(0.0, figures::kWbLnGainGOverRSd);
    const double cast_b = normal.Next(0.0, figures::kWbLnGainGOverBSd);
    const double red = std::clamp(green * std::exp(-cast_r) * red_gain, 1.0, 255.0);
    const double blue = std::clamp(green * std::exp(-cast_b) / red_gain, 1.0, 255.0);
    window[0].push_back(std::log(green / red));
    window[1].push_back(std::log(green / blue));
  }
  return window;
}

// The sorted samples and where their ECDFs are furthest apart.
Ecdf EcdfsOf(std::vector<double> reference, std::vector<double> current) {
  Ecdf e;
  std::sort(reference.begin(), reference.end());
  std::sort(current.begin(), current.end());
  const double n1 = static_cast<double>(reference.size());
  const double n2 = static_cast<double>(current.size());
  size_t i = 0, j = 0;
  double best = -1.0;
  while (i < reference.size() || j < current.size()) {
    // The next distinct value; both ECDFs step past all of its copies.
    double x = 0.0;
    if (j >= current.size() || (i < reference.size() && reference[i] <= current[j])) {
      x = reference[i];
    } else {
      x = current[j];
    }
    while (i < reference.size() && reference[i] <= x) ++i;
    while (j < current.size() && current[j] <= x) ++j;
    const double f1 = static_cast<double>(i) / n1, f2 = static_cast<double>(j) / n2;
    if (std::abs(f1 - f2) > best) {
      best = std::abs(f1 - f2);
      e.d_at = x;
      e.reference_cdf_at_d = f1;
      e.current_cdf_at_d = f2;
    }
  }
  e.reference = std::move(reference);
  e.current = std::move(current);
  return e;
}

std::string CityLabel(const CityDrift& city) {
  return city.firmware_updated ? city.city : city.city + " (control)";
}

std::string Detail(const DriftCheck& check) {
  std::vector<std::string> parts;
  int drifting = 0;
  for (const CityDrift& city : check.cities) {
    const FeatureTest& t = city.tests[static_cast<size_t>(city.decisive_test)];
    drifting += city.detected ? 1 : 0;
    parts.push_back(absl::StrFormat("%s %s %s D=%.3f p=%.3g %s %.3g", CityLabel(city),
                                    city.detected ? "DRIFT" : "quiet", t.feature, t.ks_statistic,
                                    t.p_value, t.rejected ? "<=" : ">", check.per_test_alpha));
  }
  return absl::StrFormat("%s in %d of %d cities (alpha %.3g / %d tests = %.3g per test): %s",
                         drifting > 0 ? "drift" : "no drift", drifting, kDoorbellCities,
                         check.alpha, kDoorbellTests, check.per_test_alpha,
                         absl::StrJoin(parts, "; "));
}

}  // namespace

std::vector<DoorbellCityWindows> SynthesizeDoorbellFleet(double firmware_severity, uint64_t seed) {
  const double red_gain = 1.0 + std::clamp(firmware_severity, 0.0, 1.0);
  std::vector<DoorbellCityWindows> fleet;
  for (size_t c = 0; c < kCities.size(); ++c) {
    Normal normal(seed * 1'000'003ULL + c);
    DoorbellCityWindows city;
    city.city = kCities[c].name;
    city.firmware_updated = kCities[c].firmware_updated;
    city.feature_names.assign(kFeatures.begin(), kFeatures.end());
    const Window reference = DrawWindow(normal, kDoorbellReferenceFrames, 1.0);
    const Window current =
        DrawWindow(normal, kDoorbellWindowFrames, city.firmware_updated ? red_gain : 1.0);
    city.reference.assign(reference.begin(), reference.end());
    city.current.assign(current.begin(), current.end());
    fleet.push_back(std::move(city));
  }
  return fleet;
}

DriftCheck RunDoorbellDriftCheck(double drift_alpha, double firmware_severity, uint64_t seed) {
  DriftCheck check;
  check.evaluated = true;
  check.alpha = std::clamp(drift_alpha, kMinDriftAlpha, 0.5);
  check.per_test_alpha = check.alpha / kDoorbellTests;
  check.firmware_severity = firmware_severity;
  const double critical = stats::KsCriticalStatistic(kDoorbellReferenceFrames,
                                                     kDoorbellWindowFrames, check.per_test_alpha);
  std::vector<double> pvalues;
  for (const DoorbellCityWindows& windows : SynthesizeDoorbellFleet(firmware_severity, seed)) {
    CityDrift city;
    city.city = windows.city;
    city.firmware_updated = windows.firmware_updated;
    for (size_t f = 0; f < windows.feature_names.size(); ++f) {
      FeatureTest test;
      test.feature = windows.feature_names[f];
      test.n_reference = static_cast<int>(windows.reference[f].size());
      test.n_current = static_cast<int>(windows.current[f].size());
      test.critical_statistic = critical;
      absl::StatusOr<stats::KsResult> ks =
          stats::KsTwoSample(windows.reference[f], windows.current[f]);
      if (ks.ok()) {  // finite, non-empty samples by construction
        test.ks_statistic = ks->statistic;
        test.p_value = ks->pvalue;
      }
      pvalues.push_back(test.p_value);
      city.tests.push_back(test);
    }
    city.decisive_test = city.tests[1].p_value < city.tests[0].p_value ? 1 : 0;
    const auto decisive = static_cast<size_t>(city.decisive_test);
    city.ecdf = EcdfsOf(windows.reference[decisive], windows.current[decisive]);
    check.cities.push_back(std::move(city));
  }

  const std::vector<bool> rejected = stats::BonferroniReject(pvalues, check.alpha);
  const FeatureTest* strongest = nullptr;
  size_t i = 0;
  for (CityDrift& city : check.cities) {
    for (FeatureTest& test : city.tests) {
      test.rejected = rejected[i++];
      city.detected = city.detected || test.rejected;
      if (strongest == nullptr || test.p_value < strongest->p_value) strongest = &test;
    }
    check.detected = check.detected || city.detected;
  }
  check.ks_statistic = strongest->ks_statistic;
  check.p_value = strongest->p_value;
  check.detail = Detail(check);
  return check;
}

}  // namespace df::factory
