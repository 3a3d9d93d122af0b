#include "services/drift_monitor/core/jpeg_decoder.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <string>
#include <vector>

// clang-format off
#include <jpeglib.h>
// clang-format on

#include "services/drift_monitor/core/image_decoder.h"

namespace df::drift {
namespace {

// A smooth colour ramp with noise: chroma subsampling and the DCT both matter.
cv::Mat TestImage(int rows, int cols) {
  cv::Mat bgr(rows, cols, CV_8UC3);
  for (int y = 0; y < rows; ++y) {
    for (int x = 0; x < cols; ++x) {
      bgr.at<cv::Vec3b>(y, x) =
          cv::Vec3b(static_cast<uint8_t>(x * 255 / cols), static_cast<uint8_t>(y * 255 / rows),
                    static_cast<uint8_t>((x + y) % 256));
    }
  }
  cv::Mat noise(rows, cols, CV_8UC3);
  cv::RNG(7).fill(noise, cv::RNG::UNIFORM, cv::Scalar::all(0), cv::Scalar::all(24));
  return bgr + noise;
}

std::string Encode(const cv::Mat& image, const std::vector<int>& params = {}) {
  std::vector<uint8_t> buf;
  EXPECT_TRUE(cv::imencode(".jpg", image, buf, params));
  return std::string(buf.begin(), buf.end());
}

cv::Mat OpenCvDecode(const std::string& jpeg, int scale) {
  return cv::imdecode(std::vector<uint8_t>(jpeg.begin(), jpeg.end()), ImreadColorFlag(scale));
}

void ExpectSameAsOpenCv(const std::string& jpeg) {
  for (int scale : {1, 2, 4, 8}) {
    absl::StatusOr<cv::Mat> ours = DecodeJpegToBgr(jpeg, scale);
    ASSERT_TRUE(ours.ok()) << ours.status();
    const cv::Mat theirs = OpenCvDecode(jpeg, scale);
    ASSERT_EQ(ours->size(), theirs.size()) << "scale 1/" << scale;
    ASSERT_EQ(ours->type(), CV_8UC3);
    EXPECT_EQ(cv::norm(*ours, theirs, cv::NORM_INF), 0.0) << "scale 1/" << scale;
  }
}

TEST(JpegDecoderTest, PixelsAreIdenticalToOpenCvAtEveryScale) {
  ExpectSameAsOpenCv(Encode(TestImage(241, 333)));  // odd sizes: partial MCUs
  ExpectSameAsOpenCv(Encode(TestImage(96, 128), {cv::IMWRITE_JPEG_QUALITY, 60}));
  ExpectSameAsOpenCv(Encode(TestImage(96, 128), {cv::IMWRITE_JPEG_PROGRESSIVE, 1}));
  ExpectSameAsOpenCv(Encode(TestImage(96, 128), {cv::IMWRITE_JPEG_RST_INTERVAL, 3}));
}

TEST(JpegDecoderTest, GreyscaleJpegBecomesThreeEqualChannels) {
  cv::Mat grey;
  cv::cvtColor(TestImage(64, 80), grey, cv::COLOR_BGR2GRAY);
  const std::string jpeg = Encode(grey);
  ExpectSameAsOpenCv(jpeg);
  absl::StatusOr<cv::Mat> bgr = DecodeJpegToBgr(jpeg, 1);
  ASSERT_TRUE(bgr.ok());
  std::vector<cv::Mat> channels;
  cv::split(*bgr, channels);
  EXPECT_EQ(cv::norm(channels[0], channels[2], cv::NORM_INF), 0.0);
}

// A four-channel Adobe CMYK JPEG, written with libjpeg (OpenCV cannot write one).
std::string CmykJpeg(int width, int height) {
  jpeg_compress_struct cinfo{};
  jpeg_error_mgr err{};
  cinfo.err = jpeg_std_error(&err);
  jpeg_create_compress(&cinfo);
  unsigned char* out = nullptr;
  unsigned long size = 0;
  jpeg_mem_dest(&cinfo, &out, &size);
  cinfo.image_width = static_cast<JDIMENSION>(width);
  cinfo.image_height = static_cast<JDIMENSION>(height);
  cinfo.input_components = 4;
  cinfo.in_color_space = JCS_CMYK;
  jpeg_set_defaults(&cinfo);
  jpeg_set_colorspace(&cinfo, JCS_YCCK);
  jpeg_start_compress(&cinfo, TRUE);
  std::vector<unsigned char> row(static_cast<size_t>(width) * 4);
  while (cinfo.next_scanline < cinfo.image_height) {
    for (int x = 0; x < width; ++x) {
      row[size_t{4} * x] = static_cast<unsigned char>(x);  // C, M, Y, K (Adobe: inverted)
      row[4 * x + 1] = 200;
      row[4 * x + 2] = 100;
      row[4 * x + 3] = 230;
    }
    JSAMPROW r = row.data();
    jpeg_write_scanlines(&cinfo, &r, 1);
  }
  jpeg_finish_compress(&cinfo);
  jpeg_destroy_compress(&cinfo);
  std::string jpeg(reinterpret_cast<const char*>(out), size);
  std::free(out);
  return jpeg;
}

TEST(JpegDecoderTest, CmykIsLeftToOpenCvAndStillDecodes) {
  const std::string jpeg = CmykJpeg(64, 48);
  absl::StatusOr<cv::Mat> direct = DecodeJpegToBgr(jpeg, 1);
  ASSERT_FALSE(direct.ok());
  EXPECT_EQ(direct.status().code(), absl::StatusCode::kUnimplemented);
  ImageInput in;
  in.kind = ImageInput::Kind::kEncoded;
  in.encoded = jpeg;
  RejectionOr<cv::Mat> bgr = DecodeImage(in, {});
  ASSERT_TRUE(bgr.ok()) << bgr.status();
  EXPECT_EQ(bgr->size(), cv::Size(64, 48));
  EXPECT_EQ(cv::norm(*bgr, OpenCvDecode(jpeg, 1), cv::NORM_INF), 0.0);
}

TEST(JpegDecoderTest, DamagedDataIsAnErrorNotGreyPixels) {
  const std::string jpeg = Encode(TestImage(96, 128));
  // Cut in the middle of the scan: libjpeg would pad with grey and only warn.
  absl::StatusOr<cv::Mat> truncated = DecodeJpegToBgr(jpeg.substr(0, jpeg.size() / 2), 1);
  ASSERT_FALSE(truncated.ok());
  EXPECT_EQ(truncated.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(truncated.status().message().find("Premature end of JPEG file"), std::string::npos)
      << truncated.status();
  // Not a JPEG at all after the SOI marker: libjpeg's own error, no crash.
  absl::StatusOr<cv::Mat> garbage = DecodeJpegToBgr(std::string("\xFF\xD8\xFF\x01"
                                                                "garbage"),
                                                    1);
  ASSERT_FALSE(garbage.ok());
  EXPECT_EQ(garbage.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(DecodeJpegToBgr("", 1).ok());
}

TEST(JpegDecoderTest, OnlyLibjpegScalesAreAccepted) {
  const std::string jpeg = Encode(TestImage(16, 16));
  for (int scale : {0, 3, 16, -1}) {
    absl::StatusOr<cv::Mat> out = DecodeJpegToBgr(jpeg, scale);
    ASSERT_FALSE(out.ok());
    EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  }
}

}  // namespace
}  // namespace df::drift
