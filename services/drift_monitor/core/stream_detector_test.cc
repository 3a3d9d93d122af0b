#include "services/drift_monitor/core/stream_detector.h"

#include <gtest/gtest.h>
#include <malloc.h>

#include <optional>
#include <random>
#include <thread>

#include "services/drift_monitor/core/critical_cache.h"
#include "services/drift_monitor/core/stream_registry.h"
#include "services/drift_monitor/core/synthetic_camera.h"
#include "services/stats/ks_test.h"
#include "tests/common/sanitizer_heap.h"

namespace df::drift {
namespace {

TEST(StreamDetectorTest, StaysQuietWithoutChangeAndFiresAfterAFivePercentLinearGain) {
  SyntheticCamera camera(11);
  StreamDetector detector(DetectorConfig{});
  for (int i = 0; i < 600; ++i) {
    const FrameVerdict v = detector.Update(camera.Frame());
    ASSERT_EQ(v.condition, FrameCondition::kNormal) << i;
    ASSERT_FALSE(v.drift) << "false alarm at frame " << i;
  }
  EXPECT_EQ(detector.last().reference_count, 200u);
  EXPECT_NEAR(detector.last().features[kWbGainR].value, 1.0, 0.01);
  int fired_after = -1;
  for (int i = 0; i < 150 && fired_after < 0; ++i) {
    if (detector.Update(camera.Frame(1.05)).drift_started) fired_after = i + 1;
  }
  ASSERT_GT(fired_after, 0);
  EXPECT_LE(fired_after, 60);
  for (int i = 0; i < 60; ++i) detector.Update(camera.Frame(1.05));  // window all shifted
  const FrameVerdict& v = detector.last();
  EXPECT_TRUE(v.drift);
  EXPECT_EQ(v.cause, DriftCause::kWhiteBalance);
  EXPECT_EQ(detector.drift_events(), 1u);
  const FeatureVerdict& r = v.features[kWbGainR];
  EXPECT_TRUE(r.rejected);
  EXPECT_NEAR(r.value, 1.05, 0.005);  // the camera's gain, measured in linear light
  EXPECT_GT(r.effect_size, 0.045);
  EXPECT_LT(r.ks_pvalue, 1e-6);
  EXPECT_FALSE(v.features[kWbGainB].rejected);
  EXPECT_GT(v.wb_uniformity, 0.9);  // every block moved the same way
}

TEST(StreamDetectorTest, EffectFloorVetoesStatisticallySignificantButSmallShifts) {
  SyntheticCamera camera(5);
  StreamDetector detector(DetectorConfig{});
  for (int i = 0; i < 250; ++i) detector.Update(camera.Frame());
  FrameVerdict v;
  for (int i = 0; i < 200; ++i) v = detector.Update(camera.Frame(1.012));  // below the floor
  EXPECT_GT(v.features[kWbGainR].ks_statistic, 0.8);                       // K-S alone would fire
  EXPECT_FALSE(v.features[kWbGainR].rejected);
  EXPECT_FALSE(v.drift);
}

TEST(StreamDetectorTest, ContentInSomeBlocksDoesNotMoveTheGain) {
  SyntheticCamera camera(7);
  StreamDetector detector(DetectorConfig{});
  for (int i = 0; i < 300; ++i) detector.Update(camera.Frame());
  // A red car parks over 8 of 48 blocks: their colour changes, the median does not.
  for (int b = 0; b < 8; ++b) camera.Tint(b, 1.6, 0.8, 0.7);
  FrameVerdict v;
  for (int i = 0; i < 400; ++i) {
    v = detector.Update(camera.Frame());
    ASSERT_FALSE(v.drift) << i;
  }
  EXPECT_NEAR(v.features[kWbGainR].value, 1.0, 0.01);
  EXPECT_NEAR(v.features[kWbGainB].value, 1.0, 0.01);
}

TEST(StreamDetectorTest, AWarmLightOverPartOfTheViewIsIlluminationNotWhiteBalance) {
  SyntheticCamera camera(8);
  StreamDetector detector(DetectorConfig{});
  for (int i = 0; i < 300; ++i) detector.Update(camera.Frame());
  for (int b = 0; b < 16; ++b) camera.Tint(b, 1.5, 1.25, 1.05);  // brighter and warmer
  FrameVerdict v;
  bool illumination = false;
  for (int i = 0; i < 40; ++i) {
    v = detector.Update(camera.Frame());
    ASSERT_FALSE(v.drift) << i;
    illumination = illumination || v.cause == DriftCause::kIllumination;
  }
  EXPECT_EQ(v.condition, FrameCondition::kLocalLight);
  EXPECT_TRUE(illumination);
}

TEST(StreamDetectorTest, NightModeFramesAreKeptOutAndRaiseTheirOwnCause) {
  SyntheticCamera camera(3);
  StreamDetector detector(DetectorConfig{});
  for (int i = 0; i < 300; ++i) detector.Update(camera.Frame());
  FrameVerdict v;
  for (int i = 0; i < 30; ++i) {
    v = detector.Update(camera.Greyscale());
    ASSERT_EQ(v.condition, FrameCondition::kNoColour);
    ASSERT_FALSE(v.drift);
  }
  EXPECT_EQ(v.cause, DriftCause::kNightMode);
  EXPECT_EQ(v.window_count, 50u);  // the night frames did not enter the window
  for (int i = 0; i < kCauseClearFrames; ++i) v = detector.Update(camera.Frame());
  EXPECT_EQ(v.cause, DriftCause::kNone);
}

TEST(StreamDetectorTest, ASceneChangeIsReportedAndTheReferenceLearntAgain) {
  SyntheticCamera camera(4), other_view(99);
  StreamDetector detector(DetectorConfig{});
  for (int i = 0; i < 300; ++i) detector.Update(camera.Frame());
  FrameVerdict v = detector.Update(other_view.Frame());
  EXPECT_EQ(v.condition, FrameCondition::kSceneMismatch);
  for (int i = 1; i < kSceneConfirmFrames; ++i) v = detector.Update(other_view.Frame());
  EXPECT_EQ(v.cause, DriftCause::kSceneChange);
  EXPECT_EQ(detector.last().reference_count, 0u);  // learning the new view
  for (int i = 0; i < 400; ++i) {
    v = detector.Update(other_view.Frame());
    ASSERT_FALSE(v.drift) << i;
  }
  EXPECT_EQ(v.cause, DriftCause::kNone);
  EXPECT_EQ(v.reference_count, 200u);
}

TEST(StreamDetectorTest, SingleBadFramesAreCountedAndKeptOut) {
  SyntheticCamera camera(6);
  StreamDetector detector(DetectorConfig{});
  for (int i = 0; i < 300; ++i) detector.Update(camera.Frame());
  const uint32_t window = detector.last().window_count;
  FrameFeatures black = camera.Frame();
  black.blocks = BlockStats{};
  black.blocks.dark_fraction = 1;
  EXPECT_EQ(detector.Update(black).condition, FrameCondition::kBlackFrame);
  const FrameFeatures frame = camera.Frame();
  EXPECT_EQ(detector.Update(frame).condition, FrameCondition::kNormal);
  EXPECT_EQ(detector.Update(frame).condition, FrameCondition::kFrozen);  // the same again
  FrameFeatures green = camera.Frame();
  for (int b = 20; b < 28; ++b) green.blocks.spread[b] = 0;  // a flat band: packet loss
  EXPECT_EQ(detector.Update(green).condition, FrameCondition::kFlatBlock);
  const FrameVerdict v = detector.Update(camera.Frame());
  EXPECT_EQ(v.cause, DriftCause::kNone);  // single frames raise no cause
  EXPECT_EQ(v.window_count, window);
}

TEST(StreamDetectorTest, PinningTheShiftedWindowClearsTheAlarm) {
  SyntheticCamera camera(9);
  DetectorConfig config;
  config.reference_size = 50;
  config.window_size = 20;
  StreamDetector detector(config);
  for (int i = 0; i < 60; ++i) detector.Update(camera.Frame());
  for (int i = 0; i < 60; ++i) detector.Update(camera.Frame(1.1));
  ASSERT_TRUE(detector.last().drift);
  detector.PinReference();
  EXPECT_FALSE(detector.last().drift);
  EXPECT_EQ(detector.last().reference_count, 20u);
  FrameVerdict v;
  for (int i = 0; i < 100; ++i) {
    v = detector.Update(camera.Frame(1.1));
    ASSERT_FALSE(v.drift) << i;
  }
  EXPECT_EQ(v.window_count, 20u);
  EXPECT_NEAR(v.features[kWbGainR].value, 1.0, 0.01);  // against the pinned reference
  detector.ResetReference();
  EXPECT_EQ(detector.last().reference_count, 0u);
  EXPECT_EQ(detector.last().frames_seen, 220u);
}

TEST(DetectorConfigTest, RejectsOutOfRangeFieldsNamingThem) {
  DetectorConfig c;
  EXPECT_TRUE(ValidateDetectorConfig(c).ok());
  c.alpha = 1.0;
  EXPECT_NE(ValidateDetectorConfig(c).message().find("alpha"), std::string::npos);
  c = DetectorConfig{};
  c.window_size = 0;
  EXPECT_NE(ValidateDetectorConfig(c).message().find("window_size"), std::string::npos);
  c = DetectorConfig{};
  c.reference_size = 10'000'000;
  EXPECT_NE(ValidateDetectorConfig(c).message().find("reference_size"), std::string::npos);
  c = DetectorConfig{};
  c.min_effect = -0.1;
  EXPECT_FALSE(ValidateDetectorConfig(c).ok());
}

StreamId Id(std::string_view id) {
  absl::StatusOr<StreamId> parsed = StreamId::Parse(id);
  EXPECT_TRUE(parsed.ok()) << parsed.status();
  return *std::move(parsed);
}

TEST(StreamRegistryTest, ValidatesIdsCapsStreamsAndExpiresIdleOnes) {
  RegistryOptions options;
  options.max_streams = 2;
  options.idle_timeout = absl::Seconds(10);
  StreamRegistry registry(options);
  const absl::Time t0 = absl::FromUnixSeconds(1000);
  // The registry takes only validated ids (StreamId); bad ones never reach it.
  EXPECT_EQ(StreamId::Parse("").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(StreamId::Parse("bad id!").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(StreamId::Parse(std::string(65, 'a')).status().code(),
            absl::StatusCode::kInvalidArgument);
  ASSERT_TRUE(registry.GetOrCreate(Id("a"), t0).ok());
  ASSERT_TRUE(registry.GetOrCreate(Id("b"), t0 + absl::Seconds(8)).ok());
  EXPECT_EQ(registry.GetOrCreate(Id("c"), t0).status().code(),
            absl::StatusCode::kResourceExhausted);
  std::shared_ptr<Stream> a = *registry.Find(Id("a"));
  EXPECT_FALSE(a->expired);
  const std::vector<std::shared_ptr<Stream>> expired = registry.ExpireIdle(t0 + absl::Seconds(15));
  ASSERT_EQ(expired.size(), 1u);
  EXPECT_EQ(expired[0], a);
  EXPECT_TRUE(a->expired);
  EXPECT_TRUE(registry.GetOrCreate(Id("c"), t0 + absl::Seconds(15)).ok());
  EXPECT_EQ(registry.ListIds(), (std::vector<std::string>{"b", "c"}));
  EXPECT_EQ(registry.Find(Id("a")).status().code(), absl::StatusCode::kNotFound);
}

TEST(StreamDetectorTest, WindowMeanOfALongStreamEqualsAFreshRecompute) {
  // A long phase of huge values followed by small ones: running sums that only add
  // and subtract keep the huge values' rounding error (~1e-6 here) forever.
  DetectorConfig config;
  config.reference_size = kMinWindowFrames;
  config.window_size = 13;
  StreamDetector detector(config);
  std::mt19937 rng(5);
  std::uniform_real_distribution<double> huge(1e9, 1e10), small(1.0, 2.0);
  SyntheticCamera camera(2);
  for (int i = 0; i < 200'000; ++i) {
    FrameFeatures f = camera.Frame();
    f.scalar.fill(huge(rng));
    detector.Update(f);
  }
  std::vector<double> last;
  for (int i = 0; i < 5 * 13 + 7; ++i) {  // not aligned with the window
    FrameFeatures f = camera.Frame();
    f.scalar.fill(small(rng));
    last.push_back(f.scalar[0]);
    detector.Update(f);
  }
  double fresh = 0.0;
  for (size_t i = last.size() - 13; i < last.size(); ++i) fresh += last[i];
  fresh /= 13;
  for (int feature = 0; feature < kNumFrameFeatures; ++feature) {
    EXPECT_NEAR(detector.WindowMean(feature), fresh, 1e-12 * fresh) << feature;
  }
}

TEST(DetectorCriticalCacheTest, DetectorsShareOneProcessWideThresholdPerSizesAndAlpha) {
  DetectorConfig config;  // sizes and alpha no other test uses
  config.reference_size = 37;
  config.window_size = 23;
  config.alpha = 0.0123;
  CriticalStatisticCache& cache = CriticalStatisticCache::Global();
  const double alpha = PerFeatureAlpha(config);
  ASSERT_FALSE(cache.Find(37, 23, alpha).has_value());
  const int64_t before = cache.computations();
  std::vector<std::thread> threads;
  threads.reserve(4);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&config, t] {
      StreamDetector detector(config);
      SyntheticCamera camera(static_cast<uint32_t>(t));
      for (int i = 0; i < 100; ++i) detector.Update(camera.Frame());
    });
  }
  for (auto& t : threads) t.join();
  const std::optional<double> critical = cache.Find(37, 23, alpha);
  ASSERT_TRUE(critical.has_value());
  EXPECT_EQ(*critical, df::stats::KsCriticalStatistic(37, 23, alpha));
  // Four detectors in four threads: computed at most once per thread that missed
  // it at the same moment, never once per frame.
  EXPECT_GE(cache.computations() - before, 1);
  EXPECT_LE(cache.computations() - before, 4);
  StreamDetector later(config);
  SyntheticCamera camera(9);
  for (int i = 0; i < 100; ++i) later.Update(camera.Frame());
  const int64_t after = cache.computations();
  WarmCriticalStatistic(config, 37);
  EXPECT_EQ(cache.computations(), after);  // already there
}

}  // namespace
}  // namespace df::drift

namespace df::drift {
namespace {

TEST(DetectorCriticalCacheTest, TheCacheHoldsAtMostItsCapacityForgettingTheOldest) {
  CriticalStatisticCache cache(3);
  for (int64_t n2 = 10; n2 < 15; ++n2) cache.Get(40, n2, 0.01);
  EXPECT_EQ(cache.size(), 3u);
  EXPECT_FALSE(cache.Find(40, 10, 0.01).has_value());  // the oldest went first
  EXPECT_FALSE(cache.Find(40, 11, 0.01).has_value());
  ASSERT_TRUE(cache.Find(40, 14, 0.01).has_value());
  EXPECT_EQ(*cache.Find(40, 14, 0.01), df::stats::KsCriticalStatistic(40, 14, 0.01));
  const int64_t computed = cache.computations();
  EXPECT_EQ(cache.Get(40, 10, 0.01), df::stats::KsCriticalStatistic(40, 10, 0.01));
  EXPECT_EQ(cache.computations(), computed + 1);  // forgotten, so computed again
  EXPECT_EQ(cache.size(), 3u);
}

}  // namespace
}  // namespace df::drift

namespace df::drift {
namespace {

using df::test_support::kSanitizerOwnsTheHeap;

// The estimate the registry budgets windows by holds what a detector really keeps
// (heap bytes after filling both windows), and overstates it by less than half.
TEST(DetectorMemoryTest, WindowMemoryBytesBoundsWhatAFullDetectorHolds) {
  if (kSanitizerOwnsTheHeap) GTEST_SKIP() << "the sanitizer's allocator hides heap use";
  for (auto [r, w] : {std::pair{1000u, 1000u}, std::pair{3000u, 500u}, std::pair{200u, 50u}}) {
    DetectorConfig config;
    config.reference_size = r;
    config.window_size = w;
    SyntheticCamera camera(1);
    std::vector<FrameFeatures> frames;
    for (uint32_t i = 0; i < r + w + 10; ++i) frames.push_back(camera.Frame());
    const size_t before = mallinfo2().uordblks;
    StreamDetector detector(config);
    for (const FrameFeatures& f : frames) detector.Update(f);
    const size_t held = mallinfo2().uordblks - before;
    ASSERT_EQ(detector.last().window_count, w) << "both windows full";
    EXPECT_LE(held, WindowMemoryBytes(config)) << r << " + " << w;
    EXPECT_GE(held * 3 / 2, WindowMemoryBytes(config)) << r << " + " << w;
  }
}

}  // namespace
}  // namespace df::drift
