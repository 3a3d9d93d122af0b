// Act III: the firmware change in one city is found at the chosen alpha; the others stay quiet.
#include "services/factory_sim/model/drift_check.h"

#include <gtest/gtest.h>

#include <string>

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
      if (city.firmware_updated && !city.detected) ++missed;
      if (!city.firmware_updated && city.detected) ++false_alarms;
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

TEST(DoorbellDriftTest, SameSeedSameFleet) {
  const DriftCheck a = RunDoorbellDriftCheck(0.01, 7), b = RunDoorbellDriftCheck(0.01, 7);
  EXPECT_EQ(a.p_value, b.p_value);
  EXPECT_EQ(a.ks_statistic, b.ks_statistic);
}

}  // namespace
}  // namespace df::factory
