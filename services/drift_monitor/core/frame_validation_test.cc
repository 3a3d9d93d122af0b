#include "services/drift_monitor/core/frame_validation.h"

#include <gtest/gtest.h>

#include <opencv2/imgcodecs.hpp>
#include <set>
#include <string>
#include <type_traits>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/drift_monitor/core/frame_rejection.h"

namespace df::drift {
namespace {

// A StreamId exists only through StreamId::Parse.
static_assert(!std::is_default_constructible_v<StreamId>);
static_assert(!std::is_constructible_v<StreamId, std::string>);
static_assert(!std::is_constructible_v<StreamId, std::string_view>);
static_assert(!std::is_constructible_v<StreamId, const char*>);

TEST(FrameRejectionTest, LabelsAreTheApisReasonStrings) {
  const std::vector<std::pair<FrameRejection, std::string>> expected = {
      {FrameRejection::kInvalidStreamId, "invalid_stream_id"},
      {FrameRejection::kInvalidLabels, "invalid_labels"},
      {FrameRejection::kEmptyImage, "empty_image"},
      {FrameRejection::kUnknownEncoding, "unknown_encoding"},
      {FrameRejection::kCorruptImage, "corrupt_image"},
      {FrameRejection::kImageTooLarge, "image_too_large"},
      {FrameRejection::kBadDimensions, "bad_dimensions"},
      {FrameRejection::kSizeMismatch, "size_mismatch"},
      {FrameRejection::kTooManyStreams, "too_many_streams"},
      {FrameRejection::kMalformedFrame, "malformed_frame"},
  };
  ASSERT_EQ(expected.size(), static_cast<size_t>(kNumFrameRejections));
  std::set<std::string> distinct;
  for (const auto& [reason, label] : expected) {
    EXPECT_EQ(FrameRejectionLabel(reason), label);
    distinct.insert(std::string(FrameRejectionLabel(reason)));
  }
  EXPECT_EQ(distinct.size(), expected.size());
}

TEST(FrameRejectionTest, RejectionOrCarriesTheReasonWithItsStatus) {
  RejectionOr<int> value = 7;
  ASSERT_TRUE(value.ok());
  EXPECT_EQ(*value, 7);
  EXPECT_TRUE(value.status().ok());
  RejectionOr<int> refused =
      Rejection(FrameRejection::kSizeMismatch, absl::InvalidArgumentError("raw.pixels short"));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.rejection().reason, FrameRejection::kSizeMismatch);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(refused.status().message(), "raw.pixels short");
}

TEST(StreamIdTest, ParseAcceptsOnlyTheMetricLabelAlphabetUpTo64Characters) {
  for (const std::string& id :
       std::vector<std::string>{"door-17", "a", "A_b.c-9", std::string(64, 'z')}) {
    absl::StatusOr<StreamId> parsed = StreamId::Parse(id);
    ASSERT_TRUE(parsed.ok()) << id << ": " << parsed.status();
    EXPECT_EQ(parsed->value(), id);
  }
  for (const std::string& id :
       std::vector<std::string>{"", "bad id!", "cam/../a b", "caf\xc3\xa9", std::string(65, 'a')}) {
    absl::StatusOr<StreamId> parsed = StreamId::Parse(id);
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument) << id;
    EXPECT_NE(parsed.status().message().find("stream_id"), std::string::npos);
  }
}

TEST(FrameValidationTest, LabelsAreBoundedInNumberAndLength) {
  std::vector<std::string> keys;
  for (size_t i = 0; i <= kMaxFrameLabels; ++i) keys.push_back(absl::StrCat("k", i));
  std::vector<FrameLabel> labels;
  for (size_t i = 0; i < kMaxFrameLabels; ++i) labels.emplace_back(keys[i], "v");
  EXPECT_TRUE(ValidateLabels(labels).ok());
  labels.emplace_back(keys[kMaxFrameLabels], "v");
  const absl::Status too_many = ValidateLabels(labels);
  EXPECT_EQ(too_many.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(too_many.message().find("at most 16"), std::string::npos) << too_many;

  const std::string longest(kMaxLabelBytes, 'x');
  const std::string too_long(kMaxLabelBytes + 1, 'x');
  EXPECT_TRUE(ValidateLabels(std::vector<FrameLabel>{{longest, longest}, {"city", ""}}).ok());
  EXPECT_FALSE(ValidateLabels(std::vector<FrameLabel>{{"", "v"}}).ok());
  EXPECT_FALSE(ValidateLabels(std::vector<FrameLabel>{{too_long, "v"}}).ok());
  EXPECT_FALSE(ValidateLabels(std::vector<FrameLabel>{{"city", too_long}}).ok());
}

TEST(FrameValidationTest, LabelsMustBeUtf8Text) {
  EXPECT_TRUE(ValidateLabels(std::vector<FrameLabel>{{"city", "Z\xC3\xBCrich"}}).ok());
  const absl::Status bad_value = ValidateLabels(std::vector<FrameLabel>{{"city", "Z\xFCrich"}});
  EXPECT_EQ(bad_value.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(bad_value.message().find("\"city\""), std::string::npos) << bad_value;
  EXPECT_NE(bad_value.message().find("UTF-8"), std::string::npos) << bad_value;
  const absl::Status bad_key = ValidateLabels(std::vector<FrameLabel>{{"\xFF", "v"}});
  EXPECT_EQ(bad_key.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(bad_key.message().find("UTF-8"), std::string::npos) << bad_key;
}

TEST(FrameValidationTest, StreamIdThenLabelsThenImage) {
  FrameInput frame;  // every field bad: no image either
  frame.stream_id = "bad id";
  const std::string key(kMaxLabelBytes + 1, 'k');
  frame.labels = {{key, "v"}};
  RejectionOr<ValidFrame> valid = ValidateFrame(frame, {});
  ASSERT_FALSE(valid.ok());
  EXPECT_EQ(valid.rejection().reason, FrameRejection::kInvalidStreamId);
  frame.stream_id = "door-1";
  valid = ValidateFrame(frame, {});
  ASSERT_FALSE(valid.ok());
  EXPECT_EQ(valid.rejection().reason, FrameRejection::kInvalidLabels);
  frame.labels = {{"city", "lyon"}};
  valid = ValidateFrame(frame, {});
  ASSERT_FALSE(valid.ok());
  EXPECT_EQ(valid.rejection().reason, FrameRejection::kEmptyImage);
  EXPECT_EQ(valid.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(FrameValidationTest, ImageHeadersAreCheckedWithoutDecoding) {
  std::vector<uint8_t> buf;
  ASSERT_TRUE(cv::imencode(".jpg", cv::Mat(48, 64, CV_8UC3, cv::Scalar(10, 20, 30)), buf));
  std::string jpeg(buf.begin(), buf.end());
  ImageInput image;
  image.kind = ImageInput::Kind::kEncoded;
  image.encoded = jpeg;
  RejectionOr<CheckedImage> checked = CheckImage(image, {});
  ASSERT_TRUE(checked.ok()) << checked.status();
  EXPECT_EQ(checked->codec, ImageHeader::Codec::kJpeg);
  EXPECT_EQ(checked->width, 64u);
  EXPECT_EQ(checked->height, 48u);

  ImageLimits small;
  small.max_side_pixels = 32;
  checked = CheckImage(image, small);
  ASSERT_FALSE(checked.ok());
  EXPECT_EQ(checked.rejection().reason, FrameRejection::kImageTooLarge);
  EXPECT_EQ(checked.status().code(), absl::StatusCode::kResourceExhausted);

  // Damaged entropy data behind an intact header is the decoder's to find.
  for (size_t i = jpeg.size() / 2; i + 10 < jpeg.size(); i += 3) jpeg[i] = '\x00';
  image.encoded = jpeg;
  EXPECT_TRUE(CheckImage(image, {}).ok());
  image.encoded = std::string_view(jpeg).substr(0, jpeg.size() / 2);
  checked = CheckImage(image, {});
  ASSERT_FALSE(checked.ok());
  EXPECT_EQ(checked.rejection().reason, FrameRejection::kCorruptImage);
}

TEST(FrameValidationTest, RawGeometryIsChecked) {
  const std::string pixels(size_t{2} * 8, '\x40');  // 2 rows of 2 BGR pixels + 2 padding bytes
  ImageInput image;
  image.kind = ImageInput::Kind::kRaw;
  image.format = PixelFormat::kBgr8;
  image.width = 2;
  image.height = 2;
  image.stride_bytes = 8;
  image.pixels = pixels;
  RejectionOr<CheckedImage> checked = CheckImage(image, {});
  ASSERT_TRUE(checked.ok()) << checked.status();
  EXPECT_EQ(checked->channels, 3);
  EXPECT_EQ(checked->stride_bytes, 8u);
  image.stride_bytes = 0;  // width * channels = 6: 12 bytes expected, 16 given
  checked = CheckImage(image, {});
  ASSERT_FALSE(checked.ok());
  EXPECT_EQ(checked.rejection().reason, FrameRejection::kSizeMismatch);
  image.height = 0;
  checked = CheckImage(image, {});
  ASSERT_FALSE(checked.ok());
  EXPECT_EQ(checked.rejection().reason, FrameRejection::kBadDimensions);
}

}  // namespace
}  // namespace df::drift
