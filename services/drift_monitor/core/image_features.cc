#include "services/drift_monitor/core/image_features.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>

#include "absl/status/status.h"

namespace df::drift {
namespace {

// A channel mean of 0 (a black channel) would give an infinite gain; clamp the
// denominator to a tenth of an 8-bit level.
constexpr double kMinChannelMean = 0.1;

double SrgbToLinear(double v01) {
  return v01 <= 0.04045 ? v01 / 12.92 : std::pow((v01 + 0.055) / 1.055, 2.4);
}

void ChannelHistograms(const cv::Mat& bgr, ColourHistogram& out) {
  // 256 counts per channel in one pass, folded into kHistogramBinsPerChannel bins.
  std::array<std::array<uint32_t, 256>, 3> counts{};
  for (int y = 0; y < bgr.rows; ++y) {
    const uint8_t* row = bgr.ptr<uint8_t>(y);
    for (int x = 0; x < bgr.cols; ++x) {
      ++counts[0][row[3 * x]];
      ++counts[1][row[3 * x + 1]];
      ++counts[2][row[3 * x + 2]];
    }
  }
  const float total = static_cast<float>(bgr.total());
  constexpr int kFold = 256 / kHistogramBinsPerChannel;
  out.fill(0.0f);
  for (int c = 0; c < 3; ++c) {
    for (int v = 0; v < 256; ++v) {
      out[c * kHistogramBinsPerChannel + v / kFold] += static_cast<float>(counts[c][v]);
    }
  }
  for (float& bin : out) bin /= total;
}

double MeanSaturation(const cv::Mat& bgr) {
  // HSV saturation (max - min) / max per pixel, 0 for black pixels.
  double sum = 0.0;
  for (int y = 0; y < bgr.rows; ++y) {
    const uint8_t* row = bgr.ptr<uint8_t>(y);
    for (int x = 0; x < bgr.cols; ++x) {
      const int b = row[3 * x], g = row[3 * x + 1], r = row[3 * x + 2];
      const int hi = std::max({b, g, r});
      if (hi > 0) sum += static_cast<double>(hi - std::min({b, g, r})) / hi;
    }
  }
  return sum / static_cast<double>(bgr.total());
}

}  // namespace

double ColourTemperatureKelvin(double mean_r, double mean_g, double mean_b) {
  const double r = SrgbToLinear(mean_r / 255.0);
  const double g = SrgbToLinear(mean_g / 255.0);
  const double b = SrgbToLinear(mean_b / 255.0);
  // sRGB (D65) -> XYZ.
  const double x_ = 0.4124 * r + 0.3576 * g + 0.1805 * b;
  const double y_ = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  const double z_ = 0.0193 * r + 0.1192 * g + 0.9505 * b;
  const double sum = x_ + y_ + z_;
  if (sum <= 0.0) return 0.0;
  const double x = x_ / sum, y = y_ / sum;
  const double n = (x - 0.3320) / (0.1858 - y);  // McCamy 1992
  return 449.0 * n * n * n + 3525.0 * n * n + 6823.3 * n + 5520.33;
}

double HellingerDistance(const ColourHistogram& a, const ColourHistogram& b) {
  double total = 0.0;
  for (int c = 0; c < 3; ++c) {
    double sum_a = 0.0, sum_b = 0.0, bc = 0.0;
    for (int i = 0; i < kHistogramBinsPerChannel; ++i) {
      sum_a += a[c * kHistogramBinsPerChannel + i];
      sum_b += b[c * kHistogramBinsPerChannel + i];
    }
    if (sum_a <= 0.0 || sum_b <= 0.0) continue;
    for (int i = 0; i < kHistogramBinsPerChannel; ++i) {
      bc += std::sqrt(a[c * kHistogramBinsPerChannel + i] / sum_a *
                      b[c * kHistogramBinsPerChannel + i] / sum_b);
    }
    total += std::sqrt(std::max(0.0, 1.0 - bc));
  }
  return total / 3.0;
}

absl::StatusOr<FrameFeatures> ExtractFeatures(const cv::Mat& bgr) {
  if (bgr.empty() || bgr.type() != CV_8UC3) {
    return absl::InvalidArgumentError("features need a non-empty 8-bit BGR image");
  }
  FrameFeatures f;
  const cv::Scalar mean = cv::mean(bgr);
  const double b = mean[0], g = mean[1], r = mean[2];
  f.scalar[kGainGOverR] = g / std::max(r, kMinChannelMean);
  f.scalar[kGainGOverB] = g / std::max(b, kMinChannelMean);
  f.scalar[kMeanR] = r;
  f.scalar[kMeanG] = g;
  f.scalar[kMeanB] = b;
  f.scalar[kLuma] = 0.299 * r + 0.587 * g + 0.114 * b;
  f.scalar[kSaturation] = MeanSaturation(bgr);
  f.scalar[kColourTemperatureKelvin] = ColourTemperatureKelvin(r, g, b);
  ChannelHistograms(bgr, f.histogram);
  return f;
}

}  // namespace df::drift
