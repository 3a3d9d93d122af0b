#include "services/drift_monitor/core/stream_state_record.h"

#include <gtest/gtest.h>

#include <string>

#include "services/drift_monitor/core/stream_detector.h"
#include "services/drift_monitor/core/synthetic_camera.h"

namespace df::drift {
namespace {

DetectorConfig SmallConfig() {
  DetectorConfig config;
  config.reference_size = 10;
  config.window_size = 10;
  config.alpha = 0.05;
  config.correction = df::stats::Correction::kBenjaminiHochberg;
  config.raise_after = 3;
  config.clear_after = 7;
  config.min_effect = 0.03;
  return config;
}

// The state of a stream that learnt its reference from the synthetic camera.
StreamSnapshot LearntStream(const DetectorConfig& config, int frames) {
  SyntheticCamera camera(3);
  StreamDetector detector(config);
  for (int i = 0; i < frames; ++i) detector.Update(camera.Frame());
  return {"door-7", detector.Snapshot()};
}

TEST(StreamStateRecordTest, RoundTripKeepsEveryField) {
  StreamSnapshot original = LearntStream(SmallConfig(), 15);
  ASSERT_TRUE(original.detector.reference.has_value());
  original.detector.pinned = true;
  const std::string record = SerializeStreamStateRecord(original);
  absl::StatusOr<StreamSnapshot> back = ParseStreamStateRecord(record);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->stream_id, "door-7");
  const DetectorConfig& c = back->detector.config;
  EXPECT_EQ(c.reference_size, 10u);
  EXPECT_EQ(c.window_size, 10u);
  EXPECT_EQ(c.alpha, 0.05);
  EXPECT_EQ(c.correction, df::stats::Correction::kBenjaminiHochberg);
  EXPECT_EQ(c.raise_after, 3u);
  EXPECT_EQ(c.clear_after, 7u);
  EXPECT_EQ(c.min_effect, 0.03);
  EXPECT_TRUE(back->detector.pinned);
  EXPECT_TRUE(back->detector.scene.has_background);
  const LearntReference& r = *back->detector.reference;
  EXPECT_EQ(r.frames(), original.detector.reference->frames());
  EXPECT_EQ(r.samples, original.detector.reference->samples);
  EXPECT_EQ(r.sums, original.detector.reference->sums);
  EXPECT_EQ(r.uniformity, original.detector.reference->uniformity);
  // Every other field (NaN blocks included) by the bytes they serialize to.
  EXPECT_EQ(SerializeStreamStateRecord(*back), record);
}

TEST(StreamStateRecordTest, AStreamStillLearningHasNoReference) {
  const StreamSnapshot learning = LearntStream(DetectorConfig{}, 5);
  absl::StatusOr<StreamSnapshot> back =
      ParseStreamStateRecord(SerializeStreamStateRecord(learning));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_FALSE(back->detector.reference.has_value());
  EXPECT_FALSE(back->detector.pinned);
  EXPECT_EQ(back->detector.config.reference_size, DetectorConfig{}.reference_size);
}

// Every value of every byte of a record without a reference (the whole header
// and scene), and every bit flip, inversion and zeroing of one with a reference.
TEST(StreamStateRecordTest, EverySingleByteCorruptionIsDataLoss) {
  const std::string small = SerializeStreamStateRecord(LearntStream(SmallConfig(), 5));
  for (size_t i = 0; i < small.size(); ++i) {
    for (int x = 1; x < 256; ++x) {
      std::string damaged = small;
      damaged[i] = static_cast<char>(damaged[i] ^ x);
      absl::StatusOr<StreamSnapshot> parsed = ParseStreamStateRecord(damaged);
      ASSERT_EQ(parsed.status().code(), absl::StatusCode::kDataLoss)
          << "byte " << i << " xor " << x;
    }
  }
  const std::string full = SerializeStreamStateRecord(LearntStream(SmallConfig(), 15));
  for (size_t i = 0; i < full.size(); ++i) {
    for (int x : {1, 2, 4, 8, 16, 32, 64, 128, 255}) {
      std::string damaged = full;
      damaged[i] = static_cast<char>(damaged[i] ^ x);
      ASSERT_EQ(ParseStreamStateRecord(damaged).status().code(), absl::StatusCode::kDataLoss)
          << "byte " << i << " xor " << x;
    }
    if (full[i] != 0) {
      std::string zeroed = full;
      zeroed[i] = 0;
      ASSERT_EQ(ParseStreamStateRecord(zeroed).status().code(), absl::StatusCode::kDataLoss)
          << "byte " << i << " zeroed";
    }
  }
}

TEST(StreamStateRecordTest, EveryTruncationAndAnExtensionIsDataLoss) {
  const std::string record = SerializeStreamStateRecord(LearntStream(SmallConfig(), 15));
  for (size_t length = 0; length < record.size(); ++length) {
    absl::StatusOr<StreamSnapshot> parsed = ParseStreamStateRecord(record.substr(0, length));
    ASSERT_EQ(parsed.status().code(), absl::StatusCode::kDataLoss) << "length " << length;
  }
  EXPECT_EQ(ParseStreamStateRecord("").status().message(),
            "stream state record: 0 bytes, shorter than its 13-byte header");
  absl::StatusOr<StreamSnapshot> extended = ParseStreamStateRecord(record + '\0');
  EXPECT_EQ(extended.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(extended.status().message().find("truncated or extended"), std::string::npos)
      << extended.status();
}

TEST(StreamStateRecordTest, FieldsOutOfRangeAreRefusedEvenWithAValidChecksum) {
  StreamSnapshot bad_config = LearntStream(SmallConfig(), 5);
  bad_config.detector.config.window_size = 3;
  absl::StatusOr<StreamSnapshot> parsed =
      ParseStreamStateRecord(SerializeStreamStateRecord(bad_config));
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(parsed.status().message().find("config: window_size = 3"), std::string::npos)
      << parsed.status();

  StreamSnapshot bad_id = LearntStream(SmallConfig(), 5);
  bad_id.stream_id = "door 7";
  parsed = ParseStreamStateRecord(SerializeStreamStateRecord(bad_id));
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kDataLoss);

  std::string other_version = SerializeStreamStateRecord(LearntStream(SmallConfig(), 5));
  other_version[4] = 2;
  EXPECT_EQ(ParseStreamStateRecord(other_version).status().message(),
            "stream state record: format version 2 is unknown (this build reads 1)");
  EXPECT_EQ(ParseStreamStateRecord(std::string(20, 'x')).status().message(),
            "stream state record: does not start with DFSS (not a stream state record)");
}

}  // namespace
}  // namespace df::drift
