#include "services/stats/ks_test.h"

#include <cmath>
#include <limits>
#include <numeric>
#include <random>
#include <vector>

#include "gtest/gtest.h"

namespace df::stats {
namespace {

TEST(KsStatisticTest, HandWorkedExampleWithTies) {
  // a = {1, 2, 2, 3}, b = {2, 2, 4}. After value 1: F1 = 1/4, F2 = 0 -> 0.25.
  // After the tied 2s: F1 = 3/4, F2 = 2/3 -> 1/12. After 3: F1 = 1, F2 = 2/3 -> 1/3.
  const std::vector<double> a = {3, 2, 1, 2};
  const std::vector<double> b = {4, 2, 2};
  EXPECT_DOUBLE_EQ(KsStatistic(a, b), 1.0 / 3.0);
  EXPECT_DOUBLE_EQ(KsStatistic(b, a), 1.0 / 3.0);
}

TEST(KsStatisticTest, TiesAreEvaluatedAfterTheWholeGroup) {
  // Evaluating inside the tie group (after the first 5 of a) would give 1/2.
  const std::vector<double> a = {5, 5};
  const std::vector<double> b = {5, 5};
  EXPECT_EQ(KsStatistic(a, b), 0.0);
}

TEST(KsStatisticTest, DisjointSamplesGiveOne) {
  EXPECT_EQ(KsStatistic(std::vector<double>{1, 2, 3}, std::vector<double>{7, 8}), 1.0);
  EXPECT_EQ(KsStatistic(std::vector<double>{1}, std::vector<double>{1}), 0.0);
}

TEST(KsTwoSampleTest, RejectsEmptyAndNonFiniteSamplesNamingThem) {
  const std::vector<double> good = {1, 2, 3};
  absl::StatusOr<KsResult> r = KsTwoSample({}, good);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("sample_a"), absl::string_view::npos);

  const std::vector<double> with_nan = {1, std::numeric_limits<double>::quiet_NaN()};
  r = KsTwoSample(good, with_nan);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("sample_b[1]"), absl::string_view::npos);

  const std::vector<double> with_inf = {std::numeric_limits<double>::infinity()};
  EXPECT_FALSE(KsTwoSample(with_inf, good).ok());
}

TEST(KsTwoSampleTest, KnownSmallExactValue) {
  // scipy.stats.ks_2samp([1, 2, 3], [4, 5, 6]) -> statistic 1.0, pvalue 0.1 (= 2 / C(6, 3)).
  absl::StatusOr<KsResult> r =
      KsTwoSample(std::vector<double>{1, 2, 3}, std::vector<double>{4, 5, 6});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->statistic, 1.0);
  EXPECT_NEAR(r->pvalue, 0.1, 1e-15);
  EXPECT_EQ(r->method, KsMethod::kExact);
  EXPECT_EQ(KsMethodName(r->method), "exact");
  EXPECT_EQ(KsMethodName(KsMethod::kAsymptotic), "asymp");
}

TEST(KsPValueTest, SwitchesToAsymptoticAboveTenThousand) {
  EXPECT_EQ(KsPValue(0.02, 10000, 10000).method, KsMethod::kExact);
  EXPECT_EQ(KsPValue(0.02, 10001, 10000).method, KsMethod::kAsymptotic);
  EXPECT_EQ(KsPValue(0.0, 500, 300).pvalue, 1.0);
}

TEST(KsPValueTest, PValueFallsAsStatisticGrows) {
  for (auto [n1, n2] : {std::pair<int64_t, int64_t>{40, 40}, {37, 90}, {20000, 15000}}) {
    double last = 1.0;
    for (double d = 0.0; d <= 1.0; d += 0.01) {
      const double p = KsPValue(d, n1, n2).pvalue;
      EXPECT_LE(p, last + 1e-12) << n1 << " " << n2 << " d=" << d;
      last = p;
    }
  }
}

struct CriticalCase {
  int64_t n1, n2;
  double alpha;
};

class KsCriticalStatisticTest : public testing::TestWithParam<CriticalCase> {};

TEST_P(KsCriticalStatisticTest, IsTheSmallestRejectingGridPoint) {
  const auto [n1, n2, alpha] = GetParam();
  const double critical = KsCriticalStatistic(n1, n2, alpha);
  const int64_t lcm = std::lcm(n1, n2);
  ASSERT_LE(critical, 1.0);
  const double j = std::round(critical * static_cast<double>(lcm));
  EXPECT_EQ(critical, j / static_cast<double>(lcm));  // on the grid of attainable values
  EXPECT_LE(KsPValue(critical, n1, n2).pvalue, alpha);
  EXPECT_GT(KsPValue((j - 1) / static_cast<double>(lcm), n1, n2).pvalue, alpha);
}

INSTANTIATE_TEST_SUITE_P(Sizes, KsCriticalStatisticTest,
                         testing::Values(CriticalCase{5, 5, 0.05}, CriticalCase{10, 17, 0.01},
                                         CriticalCase{200, 100, 0.05},
                                         CriticalCase{1000, 1000, 0.001},
                                         CriticalCase{500, 2000, 1e-6},
                                         CriticalCase{20000, 30000, 0.01},
                                         CriticalCase{9999, 10000, 0.01}));

TEST(KsCriticalStatisticTest, UnreachableForTinySamples) {
  // With one value each, D = 1 has p = 1: nothing can reject.
  EXPECT_GT(KsCriticalStatistic(1, 1, 0.05), 1.0);
}

TEST(KsCriticalStatisticTest, DecisionAgreesWithPValueOnRandomSamples) {
  std::mt19937_64 rng(7);
  std::normal_distribution<double> normal;
  const double critical = KsCriticalStatistic(60, 45, 0.05);
  int rejections = 0;
  for (int trial = 0; trial < 200; ++trial) {
    std::vector<double> a(60), b(45);
    for (double& x : a) x = std::round(4 * normal(rng));
    for (double& x : b) x = std::round(4 * normal(rng) + 0.02 * trial);
    absl::StatusOr<KsResult> r = KsTwoSample(a, b);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->statistic >= critical, r->pvalue <= 0.05) << trial;
    rejections += r->pvalue <= 0.05;
  }
  EXPECT_GT(rejections, 10);
  EXPECT_LT(rejections, 200);
}

}  // namespace
}  // namespace df::stats
