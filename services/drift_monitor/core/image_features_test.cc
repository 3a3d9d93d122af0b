#include "services/drift_monitor/core/image_features.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <opencv2/core.hpp>

namespace df::drift {
namespace {

TEST(ImageFeaturesTest, UniformColourGivesItsGreyWorldGains) {
  const cv::Mat bgr(48, 64, CV_8UC3, cv::Scalar(50, 100, 200));  // B, G, R
  absl::StatusOr<FrameFeatures> f = ExtractFeatures(bgr);
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_DOUBLE_EQ(f->scalar[kGainGOverR], 0.5);
  EXPECT_DOUBLE_EQ(f->scalar[kGainGOverB], 2.0);
  EXPECT_DOUBLE_EQ(f->scalar[kMeanR], 200.0);
  EXPECT_DOUBLE_EQ(f->scalar[kMeanB], 50.0);
  EXPECT_NEAR(f->scalar[kLuma], 0.299 * 200 + 0.587 * 100 + 0.114 * 50, 1e-9);
  EXPECT_NEAR(f->scalar[kSaturation], 150.0 / 200.0, 1e-9);
}

TEST(ImageFeaturesTest, ChannelGainChangeMovesTheMatchingGain) {
  cv::Mat bgr(120, 160, CV_8UC3);
  cv::RNG rng(7);
  rng.fill(bgr, cv::RNG::UNIFORM, cv::Scalar(20, 20, 20), cv::Scalar(200, 200, 200));
  cv::Mat shifted = bgr.clone();
  for (cv::Vec3b& px : cv::Mat_<cv::Vec3b>(shifted)) {
    px[2] = cv::saturate_cast<uint8_t>(px[2] * 1.07);  // red +7 %, no clipping below 238
  }
  const FrameFeatures a = *ExtractFeatures(bgr);
  const FrameFeatures b = *ExtractFeatures(shifted);
  EXPECT_NEAR(b.scalar[kGainGOverR] / a.scalar[kGainGOverR], 1.0 / 1.07, 0.002);
  EXPECT_DOUBLE_EQ(b.scalar[kGainGOverB], a.scalar[kGainGOverB]);
  EXPECT_GT(HellingerDistance(a.histogram, b.histogram), 0.05);
  EXPECT_NEAR(HellingerDistance(a.histogram, a.histogram), 0.0, 1e-6);
}

TEST(ImageFeaturesTest, HistogramsAreNormalisedPerChannel) {
  const cv::Mat bgr(10, 10, CV_8UC3, cv::Scalar(0, 128, 255));
  const FrameFeatures f = *ExtractFeatures(bgr);
  float sum = 0.0f;
  for (float bin : f.histogram) sum += bin;
  EXPECT_NEAR(sum, 3.0f, 1e-5f);
  EXPECT_FLOAT_EQ(f.histogram[0], 1.0f);                                  // B = 0 in bin 0
  EXPECT_FLOAT_EQ(f.histogram[kHistogramBinsPerChannel + 16], 1.0f);      // G = 128
  EXPECT_FLOAT_EQ(f.histogram[2 * kHistogramBinsPerChannel + 31], 1.0f);  // R = 255
}

TEST(ImageFeaturesTest, ColourTemperatureOfGreyIsD65AndRedderIsWarmer) {
  EXPECT_NEAR(ColourTemperatureKelvin(128, 128, 128), 6504.0, 60.0);
  EXPECT_LT(ColourTemperatureKelvin(160, 128, 100), 5000.0);
  EXPECT_GT(ColourTemperatureKelvin(100, 128, 160), 8000.0);
}

TEST(ImageFeaturesTest, DisjointHistogramsAreAtDistanceOne) {
  ColourHistogram a{}, b{};
  for (size_t c = 0; c < 3; ++c) {
    a[c * kHistogramBinsPerChannel] = 1.0f;
    b[c * kHistogramBinsPerChannel + 5] = 1.0f;
  }
  EXPECT_NEAR(HellingerDistance(a, b), 1.0, 1e-12);
}

// The one-pass tally against the definitions, pixel by pixel, on a random image
// viewed through a region of interest (rows not contiguous in memory).
TEST(ImageFeaturesTest, OnePassTallyMatchesTheDefinitions) {
  cv::Mat whole(131, 173, CV_8UC3);
  cv::RNG(11).fill(whole, cv::RNG::UNIFORM, cv::Scalar::all(0), cv::Scalar::all(256));
  whole(cv::Rect(0, 0, 40, 40)).setTo(cv::Scalar::all(0));  // black pixels: saturation 0
  const cv::Mat bgr = whole(cv::Rect(3, 5, 151, 120));
  ASSERT_FALSE(bgr.isContinuous());
  double saturation = 0.0;
  std::array<double, 3> sums{};
  ColourHistogram histogram{};
  for (int y = 0; y < bgr.rows; ++y) {
    for (int x = 0; x < bgr.cols; ++x) {
      const cv::Vec3b& px = bgr.at<cv::Vec3b>(y, x);
      const int hi = std::max({px[0], px[1], px[2]}), lo = std::min({px[0], px[1], px[2]});
      if (hi > 0) saturation += static_cast<double>(hi - lo) / hi;
      for (int c = 0; c < 3; ++c) {
        sums[c] += px[c];
        histogram[c * kHistogramBinsPerChannel + px[c] * kHistogramBinsPerChannel / 256] += 1.0f;
      }
    }
  }
  const double n = static_cast<double>(bgr.total());
  const FrameFeatures f = *ExtractFeatures(bgr);
  EXPECT_DOUBLE_EQ(f.scalar[kMeanB], sums[0] / n);
  EXPECT_DOUBLE_EQ(f.scalar[kMeanG], sums[1] / n);
  EXPECT_DOUBLE_EQ(f.scalar[kMeanR], sums[2] / n);
  EXPECT_DOUBLE_EQ(f.scalar[kMeanR], cv::mean(bgr)[2]);
  EXPECT_NEAR(f.scalar[kSaturation], saturation / n, 1e-12);
  for (size_t i = 0; i < histogram.size(); ++i) {
    EXPECT_FLOAT_EQ(f.histogram[i], histogram[i] / static_cast<float>(n)) << "bin " << i;
  }
}

TEST(ImageFeaturesTest, RejectsEmptyAndNonBgrImages) {
  EXPECT_FALSE(ExtractFeatures(cv::Mat()).ok());
  EXPECT_FALSE(ExtractFeatures(cv::Mat(4, 4, CV_8UC1, cv::Scalar(1))).ok());
}

}  // namespace
}  // namespace df::drift
