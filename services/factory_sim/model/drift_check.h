// Act III: a synthetic smart-doorbell fleet whose per-frame colour features go through the
// same two-sample Kolmogorov-Smirnov code as the drift monitor (services/stats/ks_test.h).
//
// The fleet: kDoorbellCities cities, each with a reference window and a current window of
// kDoorbellFramesPerWindow frames. Per frame (SplitMix64 + Box-Muller, so every platform draws
// the same numbers for a seed): mean G ~ N(110, 25) clipped to [8, 247] (scene brightness), and
// the residual colour cast the camera's auto white balance leaves, log(G/R) ~ N(0, 0.04) and
// log(G/B) ~ N(0, 0.05); R and B clipped to [1, 255]. Features: the grey-world gains
// log(G/R), log(G/B) and the luma 0.299 R + 0.587 G + 0.114 B. In the affected city
// (Lakewood) a firmware update scales the red channel by kFirmwareRedGain and the blue by
// kFirmwareBlueGain in the current window only (a warmer white balance).
//
// Decision: one K-S test per (city, feature); the family-wise error across all
// cities x features is held at drift_alpha by Bonferroni (per-test level alpha / tests).
// A city drifts when any of its features rejects.
//
// Usage:
//   df::factory::DriftCheck d = df::factory::RunDoorbellDriftCheck(0.01);
//   if (d.detected) std::cout << d.detail;  // "drift in 1 of 4 cities; strongest: Lakewood ..."
//
// Thread-safety: thread-safe (each call seeds its own generator; the default seed's K-S
// results are a thread-safe static). Failure: drift_alpha outside (0, 0.5] is clamped into
// [1e-12, 0.5]; the K-S code cannot fail on the finite synthetic samples.
#ifndef DF_SERVICES_FACTORY_SIM_MODEL_DRIFT_CHECK_H_
#define DF_SERVICES_FACTORY_SIM_MODEL_DRIFT_CHECK_H_

#include <cstdint>
#include <string>
#include <vector>

namespace df::factory {

inline constexpr int kDoorbellCities = 4;
inline constexpr int kDoorbellFramesPerWindow = 400;
inline constexpr int kDoorbellAffectedCity = 2;  // index into the city list
inline constexpr double kFirmwareRedGain = 1.06;
inline constexpr double kFirmwareBlueGain = 0.95;
inline constexpr uint64_t kDoorbellSeed = 20240611;

struct FeatureTest {
  std::string feature;  // wb_gain_log_g_over_r | wb_gain_log_g_over_b | luma
  double ks_statistic = 0.0;
  double p_value = 1.0;
  bool rejected = false;  // p_value <= per_test_alpha
};

struct CityDrift {
  std::string city;
  bool firmware_updated = false;  // ground truth of the simulation
  bool detected = false;
  std::vector<FeatureTest> tests;
};

struct DriftCheck {
  bool evaluated = false;  // false when the persona has no doorbell feed (not Tiny Pioneer)
  bool detected = false;
  double ks_statistic = 0.0;    // of the most significant test
  double p_value = 1.0;         // of the most significant test
  double alpha = 0.0;           // family-wise level (the lever)
  double per_test_alpha = 0.0;  // alpha / number of tests
  std::string detail;
  std::vector<CityDrift> cities;
};

// One city's synthetic per-frame features: reference[f] and current[f] hold
// kDoorbellFramesPerWindow values of feature_names[f].
struct DoorbellCityWindows {
  std::string city;
  bool firmware_updated = false;
  std::vector<std::string> feature_names;
  std::vector<std::vector<double>> reference;
  std::vector<std::vector<double>> current;
};

// The synthetic fleet (deterministic for a seed): kDoorbellCities cities.
std::vector<DoorbellCityWindows> SynthesizeDoorbellFleet(uint64_t seed = kDoorbellSeed);

// Runs the fleet simulation with the given seed and tests it at drift_alpha. The K-S
// statistics and p-values do not depend on alpha; for the default seed they are computed
// once per process and reused (an Evaluate of Act III then costs microseconds).
DriftCheck RunDoorbellDriftCheck(double drift_alpha, uint64_t seed = kDoorbellSeed);

}  // namespace df::factory

#endif  // DF_SERVICES_FACTORY_SIM_MODEL_DRIFT_CHECK_H_
