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
#include "services/stats/ks_test.h"
#include "services/stats/multiple_testing.h"

namespace df::factory {
namespace {

constexpr std::array<const char*, kDoorbellCities> kCities = {"Springfield", "Riverton", "Lakewood",
                                                              "Fairview"};
constexpr std::array<const char*, 3> kFeatures = {"wb_gain_log_g_over_r", "wb_gain_log_g_over_b",
                                                  "luma"};

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

using Window = std::array<std::vector<double>, kFeatures.size()>;

// Per-frame mean R, G, B of a doorbell camera after its auto white balance: the residual
// colour cast (log G/R, log G/B) and the exposure vary frame to frame with the scene.
Window DrawWindow(Normal& normal, double red_gain, double blue_gain) {
  Window window;
  for (auto& feature : window) {
    feature.reserve(kDoorbellFramesPerWindow);
  }
  for (int frame = 0; frame < kDoorbellFramesPerWindow; ++frame) {
    const double green = std::clamp(normal.Next(110.0, 25.0), 8.0, 247.0);
    const double red = std::clamp(green * std::exp(-normal.Next(0.0, 0.04)) * red_gain, 1.0, 255.0);
    const double blue =
        std::clamp(green * std::exp(-normal.Next(0.0, 0.05)) * blue_gain, 1.0, 255.0);
    window[0].push_back(std::log(green / red));
    window[1].push_back(std::log(green / blue));
    window[2].push_back(0.299 * red + 0.587 * green + 0.114 * blue);
  }
  return window;
}

}  // namespace

std::vector<DoorbellCityWindows> SynthesizeDoorbellFleet(uint64_t seed) {
  std::vector<DoorbellCityWindows> fleet;
  for (int c = 0; c < kDoorbellCities; ++c) {
    Normal normal(seed * 1'000'003ULL + static_cast<uint64_t>(c));
    DoorbellCityWindows city;
    city.city = kCities[c];
    city.firmware_updated = c == kDoorbellAffectedCity;
    city.feature_names.assign(kFeatures.begin(), kFeatures.end());
    const Window reference = DrawWindow(normal, 1.0, 1.0);
    const Window current = city.firmware_updated
                               ? DrawWindow(normal, kFirmwareRedGain, kFirmwareBlueGain)
                               : DrawWindow(normal, 1.0, 1.0);
    city.reference.assign(reference.begin(), reference.end());
    city.current.assign(current.begin(), current.end());
    fleet.push_back(std::move(city));
  }
  return fleet;
}

namespace {

// K-S statistic and p-value per (city, feature); decisions are left to the caller.
std::vector<CityDrift> TestFleet(uint64_t seed) {
  std::vector<CityDrift> cities;
  for (const DoorbellCityWindows& windows : SynthesizeDoorbellFleet(seed)) {
    CityDrift city;
    city.city = windows.city;
    city.firmware_updated = windows.firmware_updated;
    for (size_t f = 0; f < windows.feature_names.size(); ++f) {
      FeatureTest test;
      test.feature = windows.feature_names[f];
      absl::StatusOr<stats::KsResult> ks =
          stats::KsTwoSample(windows.reference[f], windows.current[f]);
      if (ks.ok()) {  // finite, non-empty samples by construction
        test.ks_statistic = ks->statistic;
        test.p_value = ks->pvalue;
      }
      city.tests.push_back(test);
    }
    cities.push_back(std::move(city));
  }
  return cities;
}

}  // namespace

DriftCheck RunDoorbellDriftCheck(double drift_alpha, uint64_t seed) {
  DriftCheck check;
  check.evaluated = true;
  check.alpha = std::clamp(drift_alpha, 1e-12, 0.5);
  const int tests = kDoorbellCities * static_cast<int>(kFeatures.size());
  check.per_test_alpha = check.alpha / tests;
  if (seed == kDoorbellSeed) {
    static const std::vector<CityDrift>* const kDefaultFleet =
        new std::vector<CityDrift>(TestFleet(kDoorbellSeed));
    check.cities = *kDefaultFleet;
  } else {
    check.cities = TestFleet(seed);
  }
  std::vector<double> pvalues;
  for (const CityDrift& city : check.cities) {
    for (const FeatureTest& test : city.tests) {
      pvalues.push_back(test.p_value);
    }
  }

  const std::vector<bool> rejected = stats::BonferroniReject(pvalues, check.alpha);
  const FeatureTest* strongest = nullptr;
  const CityDrift* strongest_city = nullptr;
  int drifting_cities = 0;
  size_t i = 0;
  for (CityDrift& city : check.cities) {
    for (FeatureTest& test : city.tests) {
      test.rejected = rejected[i++];
      city.detected = city.detected || test.rejected;
      if (strongest == nullptr || test.p_value < strongest->p_value) {
        strongest = &test;
        strongest_city = &city;
      }
    }
    drifting_cities += city.detected ? 1 : 0;
  }
  check.detected = drifting_cities > 0;
  check.ks_statistic = strongest->ks_statistic;
  check.p_value = strongest->p_value;
  if (check.detected) {
    check.detail = absl::StrFormat(
        "drift in %d of %d cities; strongest: %s %s D=%.3f p=%.3g <= %.3g (alpha %.3g / %d tests)",
        drifting_cities, kDoorbellCities, strongest_city->city, strongest->feature,
        strongest->ks_statistic, strongest->p_value, check.per_test_alpha, check.alpha, tests);
  } else {
    check.detail = absl::StrFormat(
        "no drift in %d cities: smallest p=%.3g > %.3g (alpha %.3g / %d tests)", kDoorbellCities,
        strongest->p_value, check.per_test_alpha, check.alpha, tests);
  }
  return check;
}

}  // namespace df::factory
