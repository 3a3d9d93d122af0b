#include "services/stats/multiple_testing.h"

#include <cmath>
#include <random>
#include <vector>

#include "gtest/gtest.h"

namespace df::stats {
namespace {

TEST(BonferroniTest, DividesAlphaByTheNumberOfTests) {
  const std::vector<double> p = {0.001, 0.012, 0.0125, 0.2};
  EXPECT_EQ(BonferroniReject(p, 0.05), (std::vector<bool>{true, true, true, false}));
  EXPECT_EQ(BonferroniReject(p, 0.04), (std::vector<bool>{true, false, false, false}));
  EXPECT_TRUE(BonferroniReject({}, 0.05).empty());
}

TEST(BenjaminiHochbergTest, HandWorkedExample) {
  // m = 6, alpha = 0.05: thresholds k * 0.05 / 6 = .00833 .01667 .025 .03333 .04167 .05.
  // Sorted p: .001 .008 .039 .041 .042 .060. The largest k with p_(k) <= threshold is
  // k = 2 (.008 <= .01667); .039 > .025, .041 > .0333, .042 > .04167, .060 > .05.
  // Step-up: every p ranked at or below k is rejected.
  const std::vector<double> p = {0.042, 0.001, 0.060, 0.039, 0.008, 0.041};
  EXPECT_EQ(BenjaminiHochbergReject(p, 0.05),
            (std::vector<bool>{false, true, false, false, true, false}));
}

TEST(BenjaminiHochbergTest, StepUpRejectsPValuesAboveTheirOwnThreshold) {
  // Sorted .011 .020 .029 with m = 3, alpha = .03: thresholds .01 .02 .03. .011 misses its
  // own threshold, but p_(3) = .029 <= .03 and step-up rejects everything ranked below it.
  const std::vector<double> p = {0.029, 0.011, 0.020};
  EXPECT_EQ(BenjaminiHochbergReject(p, 0.03), (std::vector<bool>{true, true, true}));
  // Bonferroni (.01) rejects none of them.
  EXPECT_EQ(BonferroniReject(p, 0.03), (std::vector<bool>{false, false, false}));
}

TEST(BenjaminiHochbergTest, MatchesAdjustedPValueDefinition) {
  // BH rejects i iff its adjusted p-value min_{k >= rank(i)} p_(k) * m / k is <= alpha
  // (the definition behind scipy.stats.false_discovery_control). Check on random sets.
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  for (int trial = 0; trial < 500; ++trial) {
    const size_t m = 1 + trial % 17;
    std::vector<double> p(m);
    for (double& x : p) x = std::pow(u(rng), 3.0);  // many small p-values
    const double alpha = 0.01 + 0.2 * u(rng);
    std::vector<bool> reject = BenjaminiHochbergReject(p, alpha);
    for (size_t i = 0; i < m; ++i) {
      double adjusted = 1.0;
      for (size_t j = 0; j < m; ++j) {
        if (p[j] < p[i] || (p[j] == p[i] && j < i)) continue;  // j ranked at or after i
        size_t rank = 0;
        for (size_t k = 0; k < m; ++k) rank += p[k] < p[j] || (p[k] == p[j] && k <= j);
        adjusted = std::min(adjusted, p[j] * static_cast<double>(m) / static_cast<double>(rank));
      }
      EXPECT_EQ(reject[i], adjusted <= alpha) << "trial " << trial << " i " << i;
    }
  }
}

TEST(BenjaminiHochbergTest, NanIsNeverRejected) {
  const std::vector<double> p = {std::nan(""), 1e-9};
  EXPECT_EQ(BenjaminiHochbergReject(p, 0.05), (std::vector<bool>{false, true}));
}

TEST(CorrectionTest, ParsesNamesAndRejectsUnknown) {
  EXPECT_EQ(*ParseCorrection("none"), Correction::kNone);
  EXPECT_EQ(*ParseCorrection("bonferroni"), Correction::kBonferroni);
  EXPECT_EQ(*ParseCorrection("bh"), Correction::kBenjaminiHochberg);
  absl::StatusOr<Correction> bad = ParseCorrection("holm");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("bonferroni"), absl::string_view::npos);
  for (Correction c : {Correction::kNone, Correction::kBonferroni, Correction::kBenjaminiHochberg})
    EXPECT_EQ(*ParseCorrection(CorrectionName(c)), c);
}

TEST(CorrectionTest, PerFeatureAlpha) {
  EXPECT_DOUBLE_EQ(PerFeatureAlpha(Correction::kNone, 0.05, 10), 0.05);
  EXPECT_DOUBLE_EQ(PerFeatureAlpha(Correction::kBonferroni, 0.05, 10), 0.005);
  EXPECT_DOUBLE_EQ(PerFeatureAlpha(Correction::kBenjaminiHochberg, 0.05, 10), 0.005);
  const std::vector<double> p = {0.04, 0.2};
  EXPECT_EQ(Reject(Correction::kNone, p, 0.05), (std::vector<bool>{true, false}));
  EXPECT_EQ(Reject(Correction::kBonferroni, p, 0.05), (std::vector<bool>{false, false}));
}

}  // namespace
}  // namespace df::stats
