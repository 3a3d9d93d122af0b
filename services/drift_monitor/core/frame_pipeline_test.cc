#include "services/drift_monitor/core/frame_pipeline.h"

#include <gtest/gtest.h>

#include <opencv2/imgcodecs.hpp>
#include <string>
#include <type_traits>
#include <vector>

#include "absl/strings/str_cat.h"

namespace df::drift {
namespace {

// The registry takes a StreamId, never a raw string: ids are validated once, by
// the pipeline's Extract (StreamId::Parse), and not again when applied.
static_assert(std::is_invocable_v<decltype(&StreamRegistry::GetOrCreate), StreamRegistry&,
                                  const StreamId&, absl::Time, bool*>);
static_assert(!std::is_invocable_v<decltype(&StreamRegistry::GetOrCreate), StreamRegistry&,
                                   std::string_view, absl::Time, bool*>);
static_assert(
    !std::is_invocable_v<decltype(&StreamRegistry::Find), const StreamRegistry&, std::string_view>);

std::string TestJpeg() {
  cv::Mat bgr(48, 64, CV_8UC3);
  cv::RNG rng(5);
  rng.fill(bgr, cv::RNG::UNIFORM, cv::Scalar(0, 0, 0), cv::Scalar(256, 256, 256));
  std::vector<uint8_t> buf;
  EXPECT_TRUE(cv::imencode(".jpg", bgr, buf));
  return std::string(buf.begin(), buf.end());
}

FrameInput JpegFrame(std::string_view stream_id, std::string_view jpeg) {
  FrameInput frame;
  frame.stream_id = stream_id;
  frame.image.kind = ImageInput::Kind::kEncoded;
  frame.image.encoded = jpeg;
  return frame;
}

class FramePipelineTest : public ::testing::Test {
 protected:
  explicit FramePipelineTest(size_t max_streams = 4)
      : registry_([max_streams] {
          RegistryOptions options;
          options.max_streams = max_streams;
          return options;
        }()),
        pipeline_(registry_, {DecodeOptions{}, [this] { return now_; }}) {}

  FrameOutcome Run(const FrameInput& frame) {
    return pipeline_.Apply(frame, pipeline_.Extract(frame));
  }

  const absl::Time now_ = absl::FromUnixSeconds(1'700'000'000);
  const std::string jpeg_ = TestJpeg();
  StreamRegistry registry_;
  FramePipeline pipeline_;
};

TEST_F(FramePipelineTest, AFrameReachesItsStreamsDetector) {
  FrameInput frame = JpegFrame("door-1", jpeg_);
  frame.labels = {{"city", "lyon"}, {"camera", "front"}};
  ExtractedFrame extracted = pipeline_.Extract(frame);
  ASSERT_TRUE(extracted.features.ok()) << extracted.features.status();
  EXPECT_EQ(extracted.features->stream_id.value(), "door-1");
  EXPECT_GT(extracted.features->features.scalar[kGainGOverR], 0.0);
  const absl::Duration extract_time = extracted.elapsed;
  FrameOutcome first = pipeline_.Apply(frame, std::move(extracted));
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->stream->id, "door-1");
  EXPECT_EQ(first->verdict.frames_seen, 1u);
  EXPECT_EQ(first->active_streams, std::optional<size_t>(1));  // created by this frame
  EXPECT_EQ(first->city, "lyon");
  EXPECT_GE(first->processing_time, extract_time);
  {
    absl::MutexLock lock(&first->stream->mu);
    EXPECT_EQ(first->stream->last_frame_time, now_);  // no capture time: the clock's
    EXPECT_EQ(first->stream->labels.size(), 2u);
  }

  frame.capture_time = now_ - absl::Seconds(3);
  FrameOutcome second = Run(frame);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->stream, first->stream);
  EXPECT_EQ(second->verdict.frames_seen, 2u);
  EXPECT_FALSE(second->active_streams.has_value());
  absl::MutexLock lock(&second->stream->mu);
  EXPECT_EQ(second->stream->last_frame_time, now_ - absl::Seconds(3));
}

TEST_F(FramePipelineTest, EachBadFrameIsRefusedWithItsReason) {
  const std::string short_pixels(size_t{64} * 3 * 47, '\x40');
  const std::vector<std::string> keys = [] {
    std::vector<std::string> k;
    for (size_t i = 0; i <= kMaxFrameLabels; ++i) k.push_back(absl::StrCat("k", i));
    return k;
  }();
  struct Case {
    FrameInput frame;
    FrameRejection reason;
    absl::StatusCode code;
  };
  std::vector<Case> cases;
  cases.push_back(
      {JpegFrame("", jpeg_), FrameRejection::kInvalidStreamId, absl::StatusCode::kInvalidArgument});
  cases.push_back({JpegFrame("cam/../a b", jpeg_), FrameRejection::kInvalidStreamId,
                   absl::StatusCode::kInvalidArgument});
  FrameInput too_many_labels = JpegFrame("cam-a", jpeg_);
  for (const std::string& k : keys) too_many_labels.labels.emplace_back(k, "v");
  cases.push_back(
      {too_many_labels, FrameRejection::kInvalidLabels, absl::StatusCode::kInvalidArgument});
  FrameInput no_image;
  no_image.stream_id = "cam-a";
  cases.push_back({no_image, FrameRejection::kEmptyImage, absl::StatusCode::kInvalidArgument});
  cases.push_back(
      {JpegFrame("cam-a", ""), FrameRejection::kEmptyImage, absl::StatusCode::kInvalidArgument});
  cases.push_back({JpegFrame("cam-a", "BM\x01\x02 not an image"), FrameRejection::kUnknownEncoding,
                   absl::StatusCode::kInvalidArgument});
  cases.push_back({JpegFrame("cam-a", std::string_view(jpeg_).substr(0, jpeg_.size() / 3)),
                   FrameRejection::kCorruptImage, absl::StatusCode::kInvalidArgument});
  FrameInput raw;
  raw.stream_id = "cam-a";
  raw.image.kind = ImageInput::Kind::kRaw;
  raw.image.format = PixelFormat::kBgr8;
  raw.image.width = 64;
  raw.image.height = 48;
  raw.image.pixels = short_pixels;  // one row short
  cases.push_back({raw, FrameRejection::kSizeMismatch, absl::StatusCode::kInvalidArgument});
  raw.image.width = 0;
  cases.push_back({raw, FrameRejection::kBadDimensions, absl::StatusCode::kInvalidArgument});
  raw.image.width = 1u << 20;
  cases.push_back({raw, FrameRejection::kImageTooLarge, absl::StatusCode::kResourceExhausted});
  raw.image.width = 64;
  raw.image.format = PixelFormat::kUnspecified;
  cases.push_back({raw, FrameRejection::kUnknownEncoding, absl::StatusCode::kInvalidArgument});

  for (const Case& c : cases) {
    SCOPED_TRACE(FrameRejectionLabel(c.reason));
    ExtractedFrame extracted = pipeline_.Extract(c.frame);
    ASSERT_FALSE(extracted.features.ok());
    EXPECT_EQ(extracted.features.rejection().reason, c.reason);
    FrameOutcome outcome = pipeline_.Apply(c.frame, std::move(extracted));
    ASSERT_FALSE(outcome.ok());
    EXPECT_EQ(outcome.rejection().reason, c.reason);
    EXPECT_EQ(outcome.status().code(), c.code);
    EXPECT_FALSE(outcome.status().message().empty());
  }
  EXPECT_EQ(registry_.size(), 0u);  // a refused frame creates no stream
}

class FullRegistryTest : public FramePipelineTest {
 protected:
  FullRegistryTest() : FramePipelineTest(/*max_streams=*/1) {}
};

TEST_F(FullRegistryTest, ANewStreamPastTheCapIsRefusedAndTheOthersCarryOn) {
  ASSERT_TRUE(Run(JpegFrame("cam-a", jpeg_)).ok());
  FrameOutcome refused = Run(JpegFrame("cam-b", jpeg_));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.rejection().reason, FrameRejection::kTooManyStreams);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kResourceExhausted);
  FrameOutcome again = Run(JpegFrame("cam-a", jpeg_));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->verdict.frames_seen, 2u);
}

TEST_F(FramePipelineTest, TheStreamIdValidatedByExtractIsTheOneApplied) {
  FrameInput frame = JpegFrame("door-1", jpeg_);
  ExtractedFrame extracted = pipeline_.Extract(frame);
  ASSERT_TRUE(extracted.features.ok());
  // Apply does not read nor check the raw id again: it uses the StreamId carried
  // from Extract (a raw id the frame no longer has would be refused by Extract).
  frame.stream_id = "not an id!";
  FrameOutcome outcome = pipeline_.Apply(frame, std::move(extracted));
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  EXPECT_EQ(outcome->stream->id, "door-1");
  EXPECT_EQ(registry_.ListIds(), std::vector<std::string>{"door-1"});
}

TEST_F(FramePipelineTest, AStreamKeepsAtMostMaxFrameLabelsKeys) {
  std::vector<std::string> keys;
  for (size_t i = 0; i < kMaxFrameLabels + 2; ++i) keys.push_back(absl::StrCat("k", i));
  FrameInput frame = JpegFrame("door-1", jpeg_);
  for (size_t i = 0; i < kMaxFrameLabels; ++i) frame.labels.emplace_back(keys[i], "a");
  ASSERT_TRUE(Run(frame).ok());
  // A full stream: a known key is updated, a new one is dropped.
  frame.labels = {{keys[0], "b"}, {keys[kMaxFrameLabels], "a"}, {"city", "paris"}};
  FrameOutcome outcome = Run(frame);
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  EXPECT_EQ(outcome->city, "");  // "city" did not fit
  absl::MutexLock lock(&outcome->stream->mu);
  const auto& labels = outcome->stream->labels;
  EXPECT_EQ(labels.size(), kMaxFrameLabels);
  EXPECT_EQ(labels.at(keys[0]), "b");
  EXPECT_EQ(labels.count(keys[kMaxFrameLabels]), 0u);
  EXPECT_EQ(labels.count("city"), 0u);
}

TEST(MergeLabelsTest, NewKeysFillTheFreeSlotsInOrderAndKnownKeysAreUpdated) {
  std::map<std::string, std::string, std::less<>> stream_labels;
  std::vector<std::string> keys;
  for (size_t i = 0; i < kMaxFrameLabels + 1; ++i) keys.push_back(absl::StrCat("k", i));
  for (size_t i = 0; i + 1 < kMaxFrameLabels; ++i) stream_labels[keys[i]] = "old";
  const std::vector<FrameLabel> frame = {
      {keys[kMaxFrameLabels - 1], "new"}, {keys[kMaxFrameLabels], "new"}, {keys[0], "updated"}};
  MergeLabels(frame, stream_labels);
  EXPECT_EQ(stream_labels.size(), kMaxFrameLabels);
  EXPECT_EQ(stream_labels.at(keys[kMaxFrameLabels - 1]), "new");  // took the last free slot
  EXPECT_EQ(stream_labels.count(keys[kMaxFrameLabels]), 0u);      // no slot left
  EXPECT_EQ(stream_labels.at(keys[0]), "updated");
  MergeLabels(std::vector<FrameLabel>{{keys[0], ""}}, stream_labels);
  EXPECT_EQ(stream_labels.at(keys[0]), "");
}

}  // namespace
}  // namespace df::drift

namespace df::drift {
namespace {

TEST(FramePipelineCostTest, DecodedPixelsComeFromTheHeaderAfterTheJpegScale) {
  StreamRegistry registry{RegistryOptions{}};
  DecodeOptions quarter;
  quarter.jpeg_scale = 4;
  const FramePipeline pipeline(registry, {quarter, nullptr});
  const std::string jpeg = TestJpeg();  // 64 x 48
  EXPECT_EQ(pipeline.DecodedPixels(JpegFrame("a", jpeg)), uint64_t{16} * 12);

  std::vector<uint8_t> png;
  ASSERT_TRUE(cv::imencode(".png", cv::Mat(30, 50, CV_8UC3, cv::Scalar(1, 2, 3)), png));
  const std::string png_bytes(png.begin(), png.end());
  EXPECT_EQ(pipeline.DecodedPixels(JpegFrame("a", png_bytes)), uint64_t{50} * 30);  // no scale

  FrameInput raw;
  raw.image.kind = ImageInput::Kind::kRaw;
  raw.image.width = 7;
  raw.image.height = 5;
  EXPECT_EQ(pipeline.DecodedPixels(raw), 35u);
  EXPECT_EQ(pipeline.DecodedPixels(JpegFrame("a", "not an image")), 0u);
  EXPECT_EQ(pipeline.DecodedPixels(FrameInput{}), 0u);
}

}  // namespace
}  // namespace df::drift

namespace df::drift {
namespace {

TEST(StreamRegistryBudgetTest, WindowsAreBoundedByTheMemoryBudget) {
  RegistryOptions options;
  const uint64_t default_bytes = WindowMemoryBytes(options.default_config);
  options.window_memory_bytes = 2 * default_bytes + default_bytes / 2;
  StreamRegistry registry(options);
  const absl::Time now = absl::FromUnixSeconds(1'700'000'000);
  auto id = [](const char* s) { return *StreamId::Parse(s); };
  ASSERT_TRUE(registry.GetOrCreate(id("a"), now).ok());
  ASSERT_TRUE(registry.GetOrCreate(id("b"), now).ok());
  EXPECT_EQ(registry.window_memory_reserved(), 2 * default_bytes);
  const absl::Status third = registry.GetOrCreate(id("c"), now).status();
  EXPECT_EQ(third.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_NE(third.message().find("--window_memory_mib"), std::string::npos) << third;

  DetectorConfig big = options.default_config;
  big.reference_size = 100'000;
  big.window_size = 100'000;
  const absl::Status refused = registry.Configure(id("a"), big, now).status();
  EXPECT_EQ(refused.code(), absl::StatusCode::kResourceExhausted) << refused;
  EXPECT_EQ(registry.window_memory_reserved(), 2 * default_bytes);  // unchanged

  DetectorConfig small = options.default_config;
  small.reference_size = 20;
  small.window_size = 10;
  ASSERT_TRUE(registry.Configure(id("a"), small, now).ok());
  EXPECT_EQ(registry.window_memory_reserved(), WindowMemoryBytes(small) + default_bytes);
  EXPECT_TRUE(registry.GetOrCreate(id("c"), now).ok());  // room again

  registry.ExpireIdle(now + options.idle_timeout + absl::Seconds(1));
  EXPECT_EQ(registry.size(), 0u);
  EXPECT_EQ(registry.window_memory_reserved(), 0u);  // expiry gives it back
}

}  // namespace
}  // namespace df::drift
