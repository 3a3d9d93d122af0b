// Act III: the firmware change in one city is found at the chosen alpha; the others stay quiet.
#include "services/factory_sim/model/drift_check.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <utility>

namespace df::factory {
namespace {

TEST(DoorbellDriftTest, FirmwareCityIsDetectedAndTheOthersAreNot) {
  for (double alpha : {0.001, 0.01, 0.05}) {
    const DriftCheck check = RunDoorbellDriftCheck(alpha);
    ASSERT_TRUE(check.evaluated);
    EXPECT_TRUE(check.detected) << alpha;
    EXPECT_DOUBLE_EQ(check.alpha, alpha);
    ASSERT_EQ(check.cities.size(), static_cast<size_t>(kDoorbellCities));
    for (size_t c = 0; c < check.cities.size(); ++c) {
      const CityDrift& city = check.cities[c];
      EXPECT_EQ(city.firmware_updated, static_cast<int>(c) == kDoorbellAffectedCity);
      EXPECT_EQ(city.detected, city.firmware_updated) << city.city << " at alpha " << alpha;
      ASSERT_EQ(city.tests.size(), 3u);
    }
    const CityDrift& affected = check.cities[kDoorbellAffectedCity];
    // The white-balance gains carry the change: both reject, with p far below the level.
    EXPECT_TRUE(affected.tests[0].rejected);
    EXPECT_TRUE(affected.tests[1].rejected);
    EXPECT_LE(check.p_value, check.per_test_alpha);
    EXPECT_DOUBLE_EQ(check.per_test_alpha, alpha / (kDoorbellCities * 3));
  }
}

TEST(DoorbellDriftTest, DecisionIsTheBonferroniRuleOnTheReportedPValues) {
  const DriftCheck check = RunDoorbellDriftCheck(0.01);
  for (const CityDrift& city : check.cities) {
    bool any = false;
    for (const FeatureTest& test : city.tests) {
      EXPECT_EQ(test.rejected, test.p_value <= check.per_test_alpha) << city.city << test.feature;
      EXPECT_GE(test.ks_statistic, 0.0);
      EXPECT_LE(test.ks_statistic, 1.0);
      any = any || test.rejected;
    }
    EXPECT_EQ(city.detected, any);
  }
}

TEST(DoorbellDriftTest, AcrossSeedsTheChangeIsAlwaysFoundAndFalseAlarmsAreRare) {
  int missed = 0, false_alarms = 0;
  constexpr int kSeeds = 30;
  for (int seed = 1; seed <= kSeeds; ++seed) {
    const DriftCheck check = RunDoorbellDriftCheck(0.01, static_cast<uint64_t>(seed));
    for (const CityDrift& city : check.cities) {
      if (city.firmware_updated && !city.detected) {
        ++missed;
      }
      if (!city.firmware_updated && city.detected) {
        ++false_alarms;
      }
    }
  }
  EXPECT_EQ(missed, 0);
  // Family-wise level 1 % over 30 fleets: expected well under one false alarm.
  EXPECT_LE(false_alarms, 2);
}

TEST(DoorbellDriftTest, ATinyAlphaStillFindsAStrongChange) {
  const DriftCheck check = RunDoorbellDriftCheck(1e-9);
  EXPECT_TRUE(check.cities[kDoorbellAffectedCity].detected);
}

TEST(DoorbellDriftTest, FleetShapeAndDeterminism) {
  const std::vector<DoorbellCityWindows> fleet = SynthesizeDoorbellFleet();
  ASSERT_EQ(fleet.size(), static_cast<size_t>(kDoorbellCities));
  for (const DoorbellCityWindows& city : fleet) {
    ASSERT_EQ(city.feature_names.size(), 3u);
    for (size_t f = 0; f < 3; ++f) {
      EXPECT_EQ(city.reference[f].size(), static_cast<size_t>(kDoorbellFramesPerWindow));
      EXPECT_EQ(city.current[f].size(), static_cast<size_t>(kDoorbellFramesPerWindow));
    }
  }
  EXPECT_EQ(SynthesizeDoorbellFleet()[0].current[0], fleet[0].current[0]);
  EXPECT_NE(SynthesizeDoorbellFleet(99)[0].current[0], fleet[0].current[0]);
}

// The K-S values behind the decision equal scipy.stats.ks_2samp on the same samples.
TEST(DoorbellDriftTest, KsValuesMatchScipy) {
  const std::string samples_path = ::testing::TempDir() + "/doorbell_fleet_samples.txt";
  {
    std::ofstream out(samples_path);
    out.precision(17);
    for (const DoorbellCityWindows& city : SynthesizeDoorbellFleet()) {
      for (size_t f = 0; f < city.feature_names.size(); ++f) {
        out << city.city << " " << city.feature_names[f] << " reference";
        for (double v : city.reference[f]) {
          out << " " << v;
        }
        out << "\n" << city.city << " " << city.feature_names[f] << " current";
        for (double v : city.current[f]) {
          out << " " << v;
        }
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
  while (size_t n = fread(buffer, 1, sizeof(buffer), pipe)) {
    output.append(buffer, n);
  }
  ASSERT_EQ(pclose(pipe), 0) << command << "\n" << output;

  std::map<std::pair<std::string, std::string>, std::pair<double, double>> scipy;
  std::istringstream lines(output);
  std::string city, feature;
  double statistic = 0, pvalue = 0;
  while (lines >> city >> feature >> statistic >> pvalue) {
    scipy[{city, feature}] = {statistic, pvalue};
  }
  ASSERT_EQ(scipy.size(), static_cast<size_t>(kDoorbellCities * 3)) << output;

  const DriftCheck check = RunDoorbellDriftCheck(0.01);
  for (const CityDrift& c : check.cities) {
    for (const FeatureTest& t : c.tests) {
      const auto it = scipy.find({c.city, t.feature});
      ASSERT_NE(it, scipy.end()) << c.city << " " << t.feature;
      EXPECT_NEAR(t.ks_statistic, it->second.first, 1e-12) << c.city << " " << t.feature;
      EXPECT_NEAR(t.p_value, it->second.second, 1e-6) << c.city << " " << t.feature;
      EXPECT_EQ(t.rejected, it->second.second <= check.per_test_alpha) << c.city << t.feature;
    }
  }
}

TEST(DoorbellDriftTest, SameSeedSameFleet) {
  const DriftCheck a = RunDoorbellDriftCheck(0.01, 7), b = RunDoorbellDriftCheck(0.01, 7);
  EXPECT_EQ(a.p_value, b.p_value);
  EXPECT_EQ(a.ks_statistic, b.ks_statistic);
}

}  // namespace
}  // namespace df::factory
