#include <gtest/gtest.h>

#include <limits>
#include <memory>

#include "services/drift_monitor/core/stream_detector.h"
#include "services/drift_monitor/core/stream_state_record.h"
#include "services/drift_monitor/core/synthetic_camera.h"

namespace df::drift {
namespace {

// Every field of a verdict but the frame counter, which restarts with the process,
// and the exported p-values, refreshed every kPValueEveryFrames frames of it.
void ExpectSameVerdict(const FrameVerdict& a, const FrameVerdict& b, int frame) {
  SCOPED_TRACE(testing::Message() << "frame " << frame << " after the restore");
  EXPECT_EQ(a.condition, b.condition);
  EXPECT_EQ(a.drift, b.drift);
  EXPECT_EQ(a.drift_started, b.drift_started);
  EXPECT_EQ(a.cause, b.cause);
  EXPECT_EQ(a.causes_active, b.causes_active);
  EXPECT_EQ(a.reference_count, b.reference_count);
  EXPECT_EQ(a.window_count, b.window_count);
  EXPECT_EQ(a.wb_uniformity, b.wb_uniformity);
  EXPECT_EQ(a.changed_fraction, b.changed_fraction);
  EXPECT_EQ(a.histogram_hellinger, b.histogram_hellinger);
  for (int f = 0; f < kNumScalarFeatures; ++f) {
    EXPECT_EQ(a.features[f].value, b.features[f].value) << kScalarFeatureNames[f];
    EXPECT_EQ(a.features[f].ks_statistic, b.features[f].ks_statistic) << kScalarFeatureNames[f];
    EXPECT_EQ(a.features[f].effect_size, b.features[f].effect_size) << kScalarFeatureNames[f];
    EXPECT_EQ(a.features[f].rejected, b.features[f].rejected) << kScalarFeatureNames[f];
  }
}

// Through the stored form, as a restart does.
std::unique_ptr<StreamDetector> RestoredThroughARecord(const StreamDetector& detector) {
  absl::StatusOr<StreamSnapshot> parsed =
      ParseStreamStateRecord(SerializeStreamStateRecord({"door-1", detector.Snapshot()}));
  EXPECT_TRUE(parsed.ok()) << parsed.status();
  absl::StatusOr<std::unique_ptr<StreamDetector>> restored =
      StreamDetector::Restore(parsed->detector);
  EXPECT_TRUE(restored.ok()) << restored.status();
  return restored.ok() ? *std::move(restored) : nullptr;
}

// Feeds `frames` frames to both, a white-balance change from the 100th; returns
// whether drift was raised.
bool FeedBoth(SyntheticCamera& camera, StreamDetector& uninterrupted, StreamDetector& restored,
              int frames) {
  bool drift = false;
  for (int i = 0; i < frames; ++i) {
    const FrameFeatures frame = camera.Frame(i >= 100 ? 1.06 : 1.0);
    const FrameVerdict a = uninterrupted.Update(frame);
    const FrameVerdict b = restored.Update(frame);
    ExpectSameVerdict(a, b, i);
    drift = drift || a.drift;
    if (testing::Test::HasFailure()) return drift;
  }
  return drift;
}

TEST(StreamDetectorSnapshotTest, ARestoredDetectorGivesTheSameVerdictsAsTheUninterruptedOne) {
  SyntheticCamera camera(21);
  DetectorConfig config;
  config.reference_size = 120;
  StreamDetector uninterrupted(config);
  // Up to the frame that completes the reference: the moment the state is saved.
  const uint64_t learning = uninterrupted.durable_version();
  int frames = 0;
  while (uninterrupted.durable_version() == learning && frames < 1000) {
    uninterrupted.Update(camera.Frame());
    ++frames;
  }
  ASSERT_EQ(uninterrupted.last().reference_count, 120u) << "after " << frames << " frames";
  std::unique_ptr<StreamDetector> restored = RestoredThroughARecord(uninterrupted);
  ASSERT_NE(restored, nullptr);
  EXPECT_FALSE(restored->pinned());
  EXPECT_EQ(restored->reference_target(), 120u);
  // A car parks over 8 blocks: only a restored background tells them apart.
  for (int b = 0; b < 8; ++b) camera.Tint(b, 1.6, 0.8, 0.7);
  const FrameFeatures parked = camera.Frame();
  ExpectSameVerdict(uninterrupted.Update(parked), restored->Update(parked), -1);
  EXPECT_NEAR(restored->last().changed_fraction, 8.0 / kBlocks, 1e-6);
  EXPECT_TRUE(FeedBoth(camera, uninterrupted, *restored, 220));  // the change is detected
}

TEST(StreamDetectorSnapshotTest, APinnedReferenceIsRestoredPinned) {
  SyntheticCamera camera(4);
  StreamDetector uninterrupted(DetectorConfig{});
  for (int i = 0; i < 300; ++i) uninterrupted.Update(camera.Frame(i >= 230 ? 1.05 : 1.0));
  uninterrupted.PinReference();  // the shifted window becomes the reference
  ASSERT_TRUE(uninterrupted.pinned());
  std::unique_ptr<StreamDetector> restored = RestoredThroughARecord(uninterrupted);
  ASSERT_NE(restored, nullptr);
  EXPECT_TRUE(restored->pinned());
  EXPECT_EQ(restored->reference_target(), uninterrupted.reference_target());
  EXPECT_EQ(restored->last().reference_count, uninterrupted.last().reference_count);
  // At the pinned look nothing drifts; back at the old look it does, in both alike.
  for (int i = 0; i < 150; ++i) {
    const FrameFeatures frame = camera.Frame(i < 60 ? 1.05 : 1.0);
    ExpectSameVerdict(uninterrupted.Update(frame), restored->Update(frame), i);
    if (HasFailure()) return;
  }
  EXPECT_TRUE(uninterrupted.last().drift);
  uninterrupted.ResetReference();
  EXPECT_FALSE(uninterrupted.pinned());
}

TEST(StreamDetectorSnapshotTest, TheDurableVersionMovesOnlyWithTheDurableState) {
  SyntheticCamera camera(8);
  DetectorConfig config;
  config.reference_size = 20;
  StreamDetector detector(config);
  const uint64_t start = detector.durable_version();
  for (int i = 0; i < 19; ++i) detector.Update(camera.Frame());
  EXPECT_EQ(detector.durable_version(), start);  // still learning
  detector.Update(camera.Frame());
  const uint64_t learnt = detector.durable_version();
  EXPECT_NE(learnt, start);
  for (int i = 0; i < 100; ++i) detector.Update(camera.Frame());
  EXPECT_EQ(detector.durable_version(), learnt);  // the window moves, the reference not
  detector.PinReference();
  const uint64_t pinned = detector.durable_version();
  EXPECT_NE(pinned, learnt);
  detector.ResetReference();
  EXPECT_NE(detector.durable_version(), pinned);
}

TEST(StreamDetectorSnapshotTest, AnInconsistentSnapshotIsRefusedNamingTheProblem) {
  SyntheticCamera camera(2);
  DetectorConfig config;
  config.reference_size = 20;
  StreamDetector detector(config);
  for (int i = 0; i < 25; ++i) detector.Update(camera.Frame());
  const DetectorSnapshot good = detector.Snapshot();
  ASSERT_TRUE(good.reference.has_value());
  ASSERT_TRUE(StreamDetector::Restore(good).ok());

  DetectorSnapshot short_feature = good;
  short_feature.reference->samples[kWbGainB].pop_back();
  EXPECT_EQ(StreamDetector::Restore(short_feature).status().message(),
            "feature wb_gain_b has 19 reference values, not 20");

  DetectorSnapshot too_large = good;
  too_large.config.reference_size = 15;
  EXPECT_EQ(StreamDetector::Restore(too_large).status().message(),
            "the learnt reference holds 20 frames, outside [10, 15] for its configuration");

  DetectorSnapshot pinned_without = good;
  pinned_without.reference.reset();
  pinned_without.pinned = true;
  EXPECT_EQ(StreamDetector::Restore(pinned_without).status().code(),
            absl::StatusCode::kInvalidArgument);

  DetectorSnapshot no_blocks = good;
  no_blocks.reference->log_rg.fill(std::numeric_limits<float>::quiet_NaN());
  EXPECT_EQ(StreamDetector::Restore(no_blocks).status().message(),
            "the reference has too few blocks with a colour ratio");
}

}  // namespace
}  // namespace df::drift
