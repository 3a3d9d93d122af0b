#include "services/stats/rolling_ks.h"

#include <algorithm>
#include <deque>
#include <random>
#include <vector>

#include "gtest/gtest.h"

namespace df::stats {
namespace {

// A plain model of the detector's windows: the batch statistic is the oracle.
struct Model {
  std::vector<double> reference;
  std::deque<double> window;
  int64_t reference_size;
  int64_t window_size;

  void Add(double x) {
    if (static_cast<int64_t>(reference.size()) < reference_size) {
      reference.push_back(x);
      return;
    }
    window.push_back(x);
    if (static_cast<int64_t>(window.size()) > window_size) window.pop_front();
  }
  double Statistic() const {
    if (reference.empty() || window.empty()) return 0.0;
    return KsStatistic(reference, std::vector<double>(window.begin(), window.end()));
  }
};

void ExpectSame(const RollingKs& ks, const Model& model, int step) {
  ASSERT_EQ(ks.reference_count(), static_cast<int64_t>(model.reference.size())) << step;
  ASSERT_EQ(ks.window_count(), static_cast<int64_t>(model.window.size())) << step;
  ASSERT_EQ(ks.reference_size(), model.reference_size) << step;
  // Bit-identical, not just close.
  ASSERT_EQ(ks.Statistic(), model.Statistic()) << "after update " << step;
}

struct StreamCase {
  int64_t reference_size;
  int64_t window_size;
  int distinct_values;  // small: heavy ties
  uint64_t seed;
};

class RollingKsPropertyTest : public testing::TestWithParam<StreamCase> {};

TEST_P(RollingKsPropertyTest, StatisticEqualsBatchAfterEveryUpdate) {
  const StreamCase c = GetParam();
  std::mt19937_64 rng(c.seed);
  std::uniform_int_distribution<int> value(0, c.distinct_values - 1);
  std::bernoulli_distribution drift(0.3);
  RollingKs ks(c.reference_size, c.window_size);
  Model model{{}, {}, c.reference_size, c.window_size};
  int step = 0;
  for (int phase = 0; phase < 6; ++phase) {
    const int updates = static_cast<int>(c.reference_size + 3 * c.window_size);
    for (int i = 0; i < updates; ++i, ++step) {
      // Shift the stream in odd phases so the statistic moves both ways.
      const double x = value(rng) + ((phase % 2 && drift(rng)) ? 2 : 0);
      ks.Add(x);
      model.Add(x);
      ExpectSame(ks, model, step);
    }
    if (phase == 2) {
      ks.ResetReference();
      model = Model{{}, {}, c.reference_size, c.window_size};
      ExpectSame(ks, model, step);
      EXPECT_EQ(ks.Statistic(), 0.0);
    } else if (model.window.size() > 0) {
      ks.PinReferenceToWindow();
      model.reference.assign(model.window.begin(), model.window.end());
      model.reference_size = static_cast<int64_t>(model.window.size());
      model.window.clear();
      ExpectSame(ks, model, step);
      EXPECT_TRUE(ks.reference_full());
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Streams, RollingKsPropertyTest,
                         testing::Values(StreamCase{1, 1, 3, 1}, StreamCase{5, 3, 4, 2},
                                         StreamCase{40, 25, 6, 3}, StreamCase{30, 60, 1000, 4},
                                         StreamCase{100, 100, 12, 5}, StreamCase{17, 200, 2, 6}));

TEST(RollingKsTest, FillsReferenceThenWindow) {
  RollingKs ks(3, 2);
  EXPECT_EQ(ks.Statistic(), 0.0);
  for (double x : {1.0, 2.0, 3.0}) ks.Add(x);
  EXPECT_TRUE(ks.reference_full());
  EXPECT_EQ(ks.window_count(), 0);
  EXPECT_EQ(ks.Statistic(), 0.0);
  ks.Add(10.0);
  ks.Add(11.0);
  EXPECT_TRUE(ks.window_full());
  EXPECT_EQ(ks.Statistic(), 1.0);
  ks.Add(2.0);  // evicts 10: window {11, 2}
  EXPECT_EQ(ks.window_count(), 2);
  EXPECT_DOUBLE_EQ(ks.Statistic(), 0.5);  // after 2: F_ref = 2/3, F_win = 1/2; after 3: 1 vs 1/2
  const KsResult r = ks.Test();
  EXPECT_EQ(r.n1, 3);
  EXPECT_EQ(r.n2, 2);
  EXPECT_EQ(r.pvalue, KsPValue(0.5, 3, 2).pvalue);
}

TEST(RollingKsTest, ResetRestoresTheConfiguredReferenceSize) {
  RollingKs ks(4, 2);
  for (int i = 0; i < 6; ++i) ks.Add(i);
  ks.PinReferenceToWindow();
  EXPECT_EQ(ks.reference_size(), 2);
  ks.ResetReference();
  EXPECT_EQ(ks.reference_size(), 4);
  EXPECT_EQ(ks.reference_count(), 0);
  EXPECT_FALSE(ks.reference_full());
}

TEST(RollingKsTest, ReferenceValuesRebuildAnEqualDetector) {
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<int> level(0, 20);  // ties on purpose
  RollingKs original(300, 40);
  std::vector<double> reference;
  for (int i = 0; i < 300; ++i) {
    reference.push_back(level(rng));
    original.Add(reference.back());
  }
  for (int i = 0; i < 25; ++i) original.Add(level(rng) + 3);  // a window, left out
  std::vector<double> values = original.ReferenceValues();
  std::sort(reference.begin(), reference.end());
  EXPECT_EQ(values, reference);

  RollingKs rebuilt(300, 40);
  for (double x : values) rebuilt.Add(x);
  for (int i = 0; i < 100; ++i) {
    const double x = level(rng) + 2;
    rebuilt.Add(x);
    original.Add(x);
    // Once the original's earlier window values are evicted, both hold the same.
    if (i >= 39) {
      EXPECT_EQ(rebuilt.StatisticGridIndex(), original.StatisticGridIndex()) << "value " << i;
    }
  }
  EXPECT_EQ(rebuilt.Statistic(), original.Statistic());
}

TEST(RollingKsTest, PinWithEmptyWindowChangesNothing) {
  RollingKs ks(2, 2);
  ks.Add(1);
  ks.Add(2);
  ks.PinReferenceToWindow();
  EXPECT_EQ(ks.reference_count(), 2);
  EXPECT_EQ(ks.reference_size(), 2);
}

TEST(KsDecisionTest, RejectsExactlyWhenPValueIsAtMostAlpha) {
  std::mt19937_64 rng(11);
  std::normal_distribution<double> normal;
  RollingKs ks(200, 50);
  KsDecision decision(0.05);
  int rejections = 0;
  for (int i = 0; i < 3000; ++i) {
    const double shift = i > 1500 ? 0.6 : 0.0;
    ks.Add(std::round(8 * (normal(rng) + shift)) / 8);
    if (!ks.window_full()) continue;
    const bool reject = decision.Reject(ks);
    EXPECT_EQ(reject, ks.Test().pvalue <= 0.05) << i;
    rejections += reject;
  }
  EXPECT_GT(rejections, 100);  // the shift is found
  EXPECT_DOUBLE_EQ(decision.Critical(200, 50), KsCriticalStatistic(200, 50, 0.05));
}

TEST(KsDecisionTest, FalseUntilBothWindowsHoldValues) {
  RollingKs ks(2, 2);
  KsDecision decision(0.5);
  EXPECT_FALSE(decision.Reject(ks));
  ks.Add(1);
  ks.Add(1);
  EXPECT_FALSE(decision.Reject(ks));
}

}  // namespace
}  // namespace df::stats
