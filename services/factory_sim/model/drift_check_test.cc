// Act III: the firmware change in Lakewood is found at the chosen alpha, the control city stays
// quiet, and alpha decides the verdict; the K-S values equal scipy's.
#include "services/factory_sim/model/drift_check.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <utility>

#include "services/factory_sim/model/levers.h"

namespace df::factory {
namespace {

constexpr double kSeverity = kDefaultFirmwareSeverity;

const CityDrift& City(const DriftCheck& check, bool updated) {
  for (const CityDrift& c : check.cities) {
    if (c.firmware_updated == updated) return c;
  }
  ADD_FAILURE() << "no city with firmware_updated=" << updated;
  return check.cities.front();
}

TEST(DoorbellDriftTest, TwoCitiesTwoGainsAndTheWindowsOfDriftMonitor) {
  const DriftCheck check = RunDoorbellDriftCheck(0.01, kSeverity);
  ASSERT_TRUE(check.evaluated);
  ASSERT_EQ(check.cities.size(), 2u);
  EXPECT_EQ(check.cities[0].city, "Lakewood");
  EXPECT_TRUE(check.cities[0].firmware_updated);
  EXPECT_EQ(check.cities[1].city, "Fairview");
  EXPECT_FALSE(check.cities[1].firmware_updated);
  EXPECT_DOUBLE_EQ(check.per_test_alpha, 0.01 / 4);
  for (const CityDrift& city : check.cities) {
    ASSERT_EQ(city.tests.size(), 2u);
    EXPECT_EQ(city.tests[0].feature, "wb_gain_log_g_over_r");
    EXPECT_EQ(city.tests[1].feature, "wb_gain_log_g_over_b");
    for (const FeatureTest& t : city.tests) {
      EXPECT_EQ(t.n_reference, 200);  // drift-monitor's default reference_size
      EXPECT_EQ(t.n_current, 50);     // and window_size
    }
  }
}

TEST(DoorbellDriftTest, DefaultActFindsLakewoodAndNotTheControlCity) {
  const DriftCheck check = RunDoorbellDriftCheck(0.01, kSeverity);
  EXPECT_TRUE(check.detected);
  EXPECT_TRUE(City(check, true).detected);
  EXPECT_FALSE(City(check, false).detected);
}

TEST(DoorbellDriftTest, DecisionIsTheBonferroniRuleOnTheReportedPValues) {
  for (double alpha : {1e-12, 1e-6, 1e-3, 0.01, 0.1, 0.5}) {
    const DriftCheck check = RunDoorbellDriftCheck(alpha, kSeverity);
    for (const CityDrift& city : check.cities) {
      bool any = false;
      for (const FeatureTest& test : city.tests) {
        EXPECT_EQ(test.rejected, test.p_value <= alpha / 4) << city.city << test.feature;
        // The critical statistic says the same thing in D.
        EXPECT_EQ(test.rejected, test.ks_statistic >= test.critical_statistic - 1e-12)
            << city.city << test.feature << " alpha " << alpha;
        any = any || test.rejected;
      }
      EXPECT_EQ(city.detected, any);
      const size_t decisive = static_cast<size_t>(city.decisive_test);
      EXPECT_LE(city.tests[decisive].p_value, city.tests[1 - decisive].p_value);
    }
  }
}

// Alpha must matter: moving it across its range changes a verdict in the default act.
TEST(DoorbellDriftTest, AlphaAcrossItsRangeFlipsLakewoodsVerdict) {
  std::set<bool> lakewood_verdicts;
  int flips = 0;
  bool previous = false;
  for (double exponent = -12; exponent <= std::log10(0.5) + 1e-9; exponent += 0.25) {
    const double alpha = std::min(0.5, std::pow(10.0, exponent));
    const bool detected = City(RunDoorbellDriftCheck(alpha, kSeverity), true).detected;
    if (exponent > -12 && detected != previous) ++flips;
    // A larger alpha never un-flags a city (the p-values do not depend on alpha).
    if (exponent > -12) {
      EXPECT_FALSE(previous && !detected) << alpha;
    }
    previous = detected;
    lakewood_verdicts.insert(detected);
  }
  EXPECT_EQ(lakewood_verdicts.size(), 2u) << "alpha never changes Lakewood's verdict";
  EXPECT_EQ(flips, 1);
  // Where it flips: 4 x Lakewood's smallest p-value.
  const DriftCheck check = RunDoorbellDriftCheck(0.01, kSeverity);
  const CityDrift& lakewood = City(check, true);
  const double flip_alpha = 4 * lakewood.tests[static_cast<size_t>(lakewood.decisive_test)].p_value;
  EXPECT_GT(flip_alpha, 1e-3);
  EXPECT_LT(flip_alpha, 0.01);
  EXPECT_TRUE(City(RunDoorbellDriftCheck(flip_alpha * 1.01, kSeverity), true).detected);
  EXPECT_FALSE(City(RunDoorbellDriftCheck(flip_alpha * 0.99, kSeverity), true).detected);
}

TEST(DoorbellDriftTest, AStrongerFirmwareChangeIsAStrongerSignal) {
  double previous_d = -1;
  for (double severity : {0.0, 0.01, 0.02, 0.05, 0.1, 0.2}) {
    const DriftCheck check = RunDoorbellDriftCheck(0.01, severity);
    const FeatureTest& gb = City(check, true).tests[1];  // ln(G/B) carries the change most
    EXPECT_GE(gb.ks_statistic, previous_d) << severity;
    previous_d = gb.ks_statistic;
    // The control city never sees the update.
    EXPECT_EQ(City(check, false).tests[1].p_value,
              City(RunDoorbellDriftCheck(0.01, 0.0), false).tests[1].p_value);
  }
  EXPECT_FALSE(City(RunDoorbellDriftCheck(0.01, 0.0), true).detected);  // nothing changed
  EXPECT_TRUE(City(RunDoorbellDriftCheck(1e-12, 0.2), true).detected);  // 20 %: unmissable
}

TEST(DoorbellDriftTest, AcrossSeedsAFivePercentChangeIsFoundAndFalseAlarmsAreRare) {
  int missed = 0, false_alarms = 0;
  constexpr int kSeeds = 40;
  for (int seed = 1; seed <= kSeeds; ++seed) {
    const DriftCheck check = RunDoorbellDriftCheck(0.01, 0.05, static_cast<uint64_t>(seed));
    missed += City(check, true).detected ? 0 : 1;
    false_alarms += City(check, false).detected ? 1 : 0;
  }
  EXPECT_EQ(missed, 0);
  // Family-wise 1 % over 40 fleets: about 0.2 expected false alarms in the control city.
  EXPECT_LE(false_alarms, 2);
}

TEST(DoorbellDriftTest, EcdfsAreTheSortedWindowsAndMarkD) {
  const DriftCheck check = RunDoorbellDriftCheck(0.01, kSeverity);
  for (const CityDrift& city : check.cities) {
    const Ecdf& e = city.ecdf;
    ASSERT_EQ(e.reference.size(), 200u);
    ASSERT_EQ(e.current.size(), 50u);
    EXPECT_TRUE(std::is_sorted(e.reference.begin(), e.reference.end()));
    EXPECT_TRUE(std::is_sorted(e.current.begin(), e.current.end()));
    // The ECDFs at d_at, counted from the samples, differ by D.
    const auto cdf = [](const std::vector<double>& v, double x) {
      return static_cast<double>(std::upper_bound(v.begin(), v.end(), x) - v.begin()) /
             static_cast<double>(v.size());
    };
    EXPECT_DOUBLE_EQ(cdf(e.reference, e.d_at), e.reference_cdf_at_d);
    EXPECT_DOUBLE_EQ(cdf(e.current, e.d_at), e.current_cdf_at_d);
    const FeatureTest& t = city.tests[static_cast<size_t>(city.decisive_test)];
    EXPECT_NEAR(std::abs(e.reference_cdf_at_d - e.current_cdf_at_d), t.ks_statistic, 1e-12);
  }
}

TEST(DoorbellDriftTest, FleetShapeAndDeterminism) {
  const std::vector<DoorbellCityWindows> fleet = SynthesizeDoorbellFleet(kSeverity);
  ASSERT_EQ(fleet.size(), 2u);
  for (const DoorbellCityWindows& city : fleet) {
    ASSERT_EQ(city.feature_names.size(), 2u);
    for (size_t f = 0; f < 2; ++f) {
      EXPECT_EQ(city.reference[f].size(), 200u);
      EXPECT_EQ(city.current[f].size(), 50u);
    }
  }
  EXPECT_EQ(SynthesizeDoorbellFleet(kSeverity)[0].current[0], fleet[0].current[0]);
  EXPECT_NE(SynthesizeDoorbellFleet(kSeverity, 99)[0].current[0], fleet[0].current[0]);
}

// The spread of the synthetic frames is the measured one (figures.h), not a chosen one.
TEST(DoorbellDriftTest, ReferenceWindowsHaveTheMeasuredSpread) {
  std::vector<double> gr, gb;
  for (int seed = 1; seed <= 20; ++seed) {
    for (const DoorbellCityWindows& city :
         SynthesizeDoorbellFleet(0.0, static_cast<uint64_t>(seed))) {
      gr.insert(gr.end(), city.reference[0].begin(), city.reference[0].end());
      gb.insert(gb.end(), city.reference[1].begin(), city.reference[1].end());
    }
  }
  const auto sd = [](const std::vector<double>& v) {
    double mean = 0, ss = 0;
    for (double x : v) mean += x;
    mean /= static_cast<double>(v.size());
    for (double x : v) ss += (x - mean) * (x - mean);
    return std::sqrt(ss / static_cast<double>(v.size() - 1));
  };
  EXPECT_NEAR(sd(gr), 0.03051, 0.001);   // wb_ln_gain_g_over_r_sd
  EXPECT_NEAR(sd(gb), 0.01545, 0.0005);  // wb_ln_gain_g_over_b_sd
}

// The K-S values behind the decision equal scipy.stats.ks_2samp on the same samples.
TEST(DoorbellDriftTest, KsValuesMatchScipy) {
  const std::string samples_path = ::testing::TempDir() + "/doorbell_fleet_samples.txt";
  {
    std::ofstream out(samples_path);
    out.precision(17);
    for (const DoorbellCityWindows& city : SynthesizeDoorbellFleet(kSeverity)) {
      for (size_t f = 0; f < city.feature_names.size(); ++f) {
        out << city.city << " " << city.feature_names[f] << " reference";
        for (double v : city.reference[f]) out << " " << v;
        out << "\n" << city.city << " " << city.feature_names[f] << " current";
        for (double v : city.current[f]) out << " " << v;
        out << "\n";
      }
    }
  }
  const std::string command =
      std::string(DF_PYTHON3) + " " + DF_MODEL_SOURCE_DIR + "/drift_check_scipy.py " + samples_path;
  FILE* pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string output;
  char buffer[4096];
  while (size_t n = fread(buffer, 1, sizeof(buffer), pipe)) output.append(buffer, n);
  ASSERT_EQ(pclose(pipe), 0) << command << "\n" << output;

  std::map<std::pair<std::string, std::string>, std::pair<double, double>> scipy;
  std::istringstream lines(output);
  std::string city, feature;
  double statistic = 0, pvalue = 0;
  while (lines >> city >> feature >> statistic >> pvalue)
    scipy[{city, feature}] = {statistic, pvalue};
  ASSERT_EQ(scipy.size(), 4u) << output;

  const DriftCheck check = RunDoorbellDriftCheck(0.01, kSeverity);
  for (const CityDrift& c : check.cities) {
    for (const FeatureTest& t : c.tests) {
      const auto it = scipy.find({c.city, t.feature});
      ASSERT_NE(it, scipy.end()) << c.city << " " << t.feature;
      EXPECT_NEAR(t.ks_statistic, it->second.first, 1e-12) << c.city << " " << t.feature;
      EXPECT_NEAR(t.p_value, it->second.second, 1e-9 + 1e-6 * it->second.second)
          << c.city << " " << t.feature;
      EXPECT_EQ(t.rejected, it->second.second <= check.per_test_alpha) << c.city << t.feature;
    }
  }
}

}  // namespace
}  // namespace df::factory
