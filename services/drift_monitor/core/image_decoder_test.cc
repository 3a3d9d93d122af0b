#include "services/drift_monitor/core/image_decoder.h"

#include <gtest/gtest.h>

#include <opencv2/imgcodecs.hpp>
#include <optional>
#include <string>
#include <vector>

#include "services/drift_monitor/core/image_header.h"

namespace df::drift {
namespace {

cv::Mat TestImage() {
  cv::Mat bgr(96, 128, CV_8UC3);
  cv::RNG rng(3);
  rng.fill(bgr, cv::RNG::UNIFORM, cv::Scalar(0, 0, 0), cv::Scalar(256, 256, 256));
  return bgr;
}

std::string Encode(const cv::Mat& bgr, const std::string& ext) {
  std::vector<uint8_t> buf;
  EXPECT_TRUE(cv::imencode(ext, bgr, buf));
  return std::string(buf.begin(), buf.end());
}

ImageInput Encoded(const std::string& bytes) {
  ImageInput in;
  in.kind = ImageInput::Kind::kEncoded;
  in.encoded = bytes;
  return in;
}

std::optional<FrameRejection> ReasonOf(const ImageInput& in, const DecodeOptions& options = {}) {
  RejectionOr<cv::Mat> out = DecodeImage(in, options);
  EXPECT_FALSE(out.ok());
  if (out.ok()) return std::nullopt;
  return out.rejection().reason;
}

TEST(ImageDecoderTest, DecodesJpegAndPngAtFullAndReducedScale) {
  const std::string jpeg = Encode(TestImage(), ".jpg");
  const std::string png = Encode(TestImage(), ".png");
  RejectionOr<cv::Mat> full = DecodeImage(Encoded(jpeg), {});
  ASSERT_TRUE(full.ok()) << full.status();
  EXPECT_EQ(full->cols, 128);
  DecodeOptions quarter;
  quarter.jpeg_scale = 4;
  RejectionOr<cv::Mat> small = DecodeImage(Encoded(jpeg), quarter);
  ASSERT_TRUE(small.ok());
  EXPECT_EQ(small->cols, 32);
  EXPECT_EQ(small->rows, 24);
  RejectionOr<cv::Mat> lossless = DecodeImage(Encoded(png), {});
  ASSERT_TRUE(lossless.ok());
  EXPECT_EQ(cv::norm(*lossless, TestImage(), cv::NORM_INF), 0.0);
}

TEST(ImageDecoderTest, ReadsDimensionsFromHeaders) {
  absl::StatusOr<ImageHeader> j = ReadImageHeader(Encode(TestImage(), ".jpg"));
  ASSERT_TRUE(j.ok()) << j.status();
  EXPECT_EQ(j->width, 128u);
  EXPECT_EQ(j->height, 96u);
  absl::StatusOr<ImageHeader> p = ReadImageHeader(Encode(TestImage(), ".png"));
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->codec, ImageHeader::Codec::kPng);
  EXPECT_EQ(p->width, 128u);
}

TEST(ImageDecoderTest, EmptyAndUnknownEncodingsAreRejected) {
  EXPECT_EQ(ReasonOf(Encoded("")), FrameRejection::kEmptyImage);
  EXPECT_EQ(ReasonOf(Encoded("GIF89a....")), FrameRejection::kUnknownEncoding);
  EXPECT_EQ(ReasonOf(ImageInput{}), FrameRejection::kEmptyImage);
}

TEST(ImageDecoderTest, TruncatedAndCorruptImagesAreRejected) {
  const std::string jpeg = Encode(TestImage(), ".jpg");
  EXPECT_EQ(ReasonOf(Encoded(jpeg.substr(0, jpeg.size() / 2))), FrameRejection::kCorruptImage);
  EXPECT_EQ(ReasonOf(Encoded(jpeg.substr(0, 40))), FrameRejection::kCorruptImage);
  const std::string png = Encode(TestImage(), ".png");
  EXPECT_EQ(ReasonOf(Encoded(png.substr(0, png.size() / 2))), FrameRejection::kCorruptImage);
  std::string garbled = png;
  for (size_t i = 60; i < garbled.size() - 20; i += 7) garbled[i] = static_cast<char>(~garbled[i]);
  EXPECT_EQ(ReasonOf(Encoded(garbled)), FrameRejection::kCorruptImage);
}

TEST(ImageDecoderTest, DamagedScanDataIsCaughtAndProgressiveJpegStillDecodes) {
  std::string jpeg = Encode(TestImage(), ".jpg");
  for (size_t i = jpeg.size() / 2; i + 10 < jpeg.size(); i += 3) jpeg[i] = '\xFF';
  EXPECT_EQ(ReasonOf(Encoded(jpeg)), FrameRejection::kCorruptImage);
  std::vector<uint8_t> buf;
  ASSERT_TRUE(cv::imencode(".jpg", TestImage(), buf,
                           {cv::IMWRITE_JPEG_PROGRESSIVE, 1, cv::IMWRITE_JPEG_RST_INTERVAL, 4}));
  const std::string progressive(buf.begin(), buf.end());
  RejectionOr<cv::Mat> out = DecodeImage(Encoded(progressive), {});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->rows, 96);
}

TEST(ImageDecoderTest, EnormousHeaderDimensionsAreRefusedBeforeDecoding) {
  std::string png = Encode(TestImage(), ".png");
  // IHDR width/height at bytes 16..23: claim 100000 x 100000.
  const char huge[4] = {0x00, 0x01, static_cast<char>(0x86), static_cast<char>(0xA0)};
  png.replace(16, 4, huge, 4);
  png.replace(20, 4, huge, 4);
  RejectionOr<cv::Mat> out = DecodeImage(Encoded(png), {});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.rejection().reason, FrameRejection::kImageTooLarge);
  EXPECT_EQ(out.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_NE(out.status().message().find("100000x100000"), std::string::npos);
}

TEST(ImageDecoderTest, RawPixelsAreCheckedAndConverted) {
  const std::string rgb = {10, 20, 30, 40, 50, 60, 0, 0,  // 2 pixels + 2 padding bytes
                           70, 80, 90, 1,  2,  3,  0, 0};
  ImageInput in;
  in.kind = ImageInput::Kind::kRaw;
  in.format = PixelFormat::kRgb8;
  in.width = 2;
  in.height = 2;
  in.stride_bytes = 8;
  in.pixels = rgb;
  RejectionOr<cv::Mat> bgr = DecodeImage(in, {});
  ASSERT_TRUE(bgr.ok()) << bgr.status();
  EXPECT_EQ(bgr->at<cv::Vec3b>(0, 0), cv::Vec3b(30, 20, 10));
  EXPECT_EQ(bgr->at<cv::Vec3b>(1, 1), cv::Vec3b(3, 2, 1));

  ImageInput short_buffer = in;
  short_buffer.pixels = std::string_view(rgb).substr(0, 15);
  EXPECT_EQ(ReasonOf(short_buffer), FrameRejection::kSizeMismatch);
  ImageInput narrow_stride = in;
  narrow_stride.stride_bytes = 5;
  EXPECT_EQ(ReasonOf(narrow_stride), FrameRejection::kSizeMismatch);
  ImageInput zero = in;
  zero.width = 0;
  EXPECT_EQ(ReasonOf(zero), FrameRejection::kBadDimensions);
  ImageInput no_format = in;
  no_format.format = PixelFormat::kUnspecified;
  EXPECT_EQ(ReasonOf(no_format), FrameRejection::kUnknownEncoding);
  ImageInput huge = in;
  huge.width = 1u << 20;
  EXPECT_EQ(ReasonOf(huge), FrameRejection::kImageTooLarge);
}

TEST(ImageDecoderTest, GrayPixelsBecomeThreeEqualChannels) {
  const std::string grey(12, static_cast<char>(77));
  ImageInput in;
  in.kind = ImageInput::Kind::kRaw;
  in.format = PixelFormat::kGray8;
  in.width = 4;
  in.height = 3;
  in.pixels = grey;
  RejectionOr<cv::Mat> bgr = DecodeImage(in, {});
  ASSERT_TRUE(bgr.ok());
  EXPECT_EQ(bgr->at<cv::Vec3b>(2, 3), cv::Vec3b(77, 77, 77));
}

}  // namespace
}  // namespace df::drift
