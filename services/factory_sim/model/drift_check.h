// Act III: a synthetic smart-doorbell fleet whose per-frame white-balance features go through
// the same two-sample Kolmogorov-Smirnov code as the drift monitor (services/stats/ks_test.h).
//
// The fleet: two cities, Lakewood (whose doorbells received a firmware update) and Fairview
// (the control city: same cameras, no update). Each city has a reference window of
// kDoorbellReferenceFrames frames from before the update and a current window of
// kDoorbellWindowFrames frames from after it — drift-monitor's default window sizes.
// Per frame (SplitMix64 + Box-Muller, so every platform draws the same numbers for a seed):
// the mean green level G ~ N(110, 25) clipped to [8, 247] (scene brightness), and the colour
// cast the camera's auto white balance leaves, ln(G/R) ~ N(0, sd_r) and ln(G/B) ~ N(0, sd_b),
// R and B clipped to [1, 255]. sd_r and sd_b are the frame-to-frame spreads measured on real
// footage with drift-monitor's own features (figures.h: kWbLnGainGOverRSd,
// kWbLnGainGOverBSd; services/factory_sim/calibration). In Lakewood's current window the
// firmware multiplies red by (1 + severity) and divides blue by (1 + severity): a warmer white
// balance that moves ln(G/R) down and ln(G/B) up by ln(1 + severity).
//
// Features: wb_gain_log_g_over_r = ln(G/R) and wb_gain_log_g_over_b = ln(G/B), the two gains
// that vote in drift-monitor.
//
// Decision: one K-S test per (city, feature), 4 tests; the family-wise error over them is held
// at drift_alpha by Bonferroni (per-test level alpha / 4). A city drifts when any of its
// features rejects. Per city the report keeps both tests (n, D, p, the critical D at the
// per-test level, the verdict) and the two ECDFs of its decisive test (the smaller p), with
// the point where they are furthest apart, so a front end can plot them with D marked.
//
// Usage:
//   df::factory::DriftCheck d = df::factory::RunDoorbellDriftCheck(0.01, 0.02);
//   if (d.detected) std::cout << d.detail;   // "drift in 1 of 2 cities: Lakewood ..."
//
// Thread-safety: pure (each call seeds its own generator). Failure: none; drift_alpha is
// clamped into [1e-12, 0.5] and firmware_severity into [0, 1] (the levers validate first).
#ifndef DF_SERVICES_FACTORY_SIM_MODEL_DRIFT_CHECK_H_
#define DF_SERVICES_FACTORY_SIM_MODEL_DRIFT_CHECK_H_

#include <cstdint>
#include <string>
#include <vector>

namespace df::factory {

inline constexpr int kDoorbellReferenceFrames = 200;  // drift-monitor's default reference_size
inline constexpr int kDoorbellWindowFrames = 50;      // drift-monitor's default window_size
inline constexpr int kDoorbellCities = 2;
inline constexpr int kDoorbellFeatures = 2;
inline constexpr int kDoorbellTests = kDoorbellCities * kDoorbellFeatures;
inline constexpr uint64_t kDoorbellSeed = 20240611;
inline constexpr double kMinDriftAlpha = 1e-12;  // smaller levels are computed as this

// The two empirical distributions of one test, sorted: ECDF(x) = (values <= x) / n.
struct Ecdf {
  std::vector<double> reference;  // sorted, kDoorbellReferenceFrames values
  std::vector<double> current;    // sorted, kDoorbellWindowFrames values
  double d_at = 0.0;              // a value x where |ECDF_ref(x) - ECDF_cur(x)| = D
  double reference_cdf_at_d = 0.0;
  double current_cdf_at_d = 0.0;
};

struct FeatureTest {
  std::string feature;  // wb_gain_log_g_over_r | wb_gain_log_g_over_b
  int n_reference = 0;
  int n_current = 0;
  double ks_statistic = 0.0;        // D
  double p_value = 1.0;             // two-sided, as scipy.stats.ks_2samp
  double critical_statistic = 0.0;  // the smallest D rejected at the per-test level
  bool rejected = false;            // p_value <= per_test_alpha
};

struct CityDrift {
  std::string city;
  bool firmware_updated = false;  // ground truth of the simulation (false: the control city)
  bool detected = false;
  std::vector<FeatureTest> tests;  // kDoorbellFeatures, in feature order
  int decisive_test = 0;           // index of the smaller p-value
  Ecdf ecdf;                       // of the decisive test
};

struct DriftCheck {
  bool evaluated = false;  // false when the persona has no doorbell feed (not Tiny Pioneer)
  bool detected = false;
  double ks_statistic = 0.0;       // of the most significant test
  double p_value = 1.0;            // of the most significant test
  double alpha = 0.0;              // family-wise level (the lever, clamped)
  double per_test_alpha = 0.0;     // alpha / kDoorbellTests
  double firmware_severity = 0.0;  // the lever
  std::string detail;
  std::vector<CityDrift> cities;  // Lakewood, then Fairview (control)
};

// One city's synthetic per-frame features: reference[f] and current[f] hold the windows of
// feature_names[f].
struct DoorbellCityWindows {
  std::string city;
  bool firmware_updated = false;
  std::vector<std::string> feature_names;
  std::vector<std::vector<double>> reference;
  std::vector<std::vector<double>> current;
};

// The synthetic fleet (deterministic for a seed and severity).
std::vector<DoorbellCityWindows> SynthesizeDoorbellFleet(double firmware_severity,
                                                         uint64_t seed = kDoorbellSeed);

// Runs the fleet simulation and tests it at drift_alpha.
DriftCheck RunDoorbellDriftCheck(double drift_alpha, double firmware_severity,
                                 uint64_t seed = kDoorbellSeed);

}  // namespace df::factory

#endif  // DF_SERVICES_FACTORY_SIM_MODEL_DRIFT_CHECK_H_
