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

// Everything the features need from the pixels, gathered in one pass: per-channel
// counts of each 8-bit level (the channel means follow from them exactly), and the
// HSV chroma (max - min) summed per value of max, so the mean saturation
// sum((max - min) / max) / n needs 255 divisions instead of one per pixel.
struct PixelTally {
  std::array<std::array<uint32_t, 256>, 3> counts{};  // [B, G, R][level]
  std::array<uint64_t, 256> chroma_by_max{};
  uint64_t pixels = 0;
};

PixelTally TallyPixels(const cv::Mat& bgr) {
  // Two tallies, for even and odd pixels: neighbouring pixels often share levels, and
  // one set of counters would make each increment wait for the previous one.
  std::array<PixelTally, 2> t;
  auto add = [](PixelTally& into, const uint8_t* px) {
    const uint8_t b = px[0], g = px[1], r = px[2];
    ++into.counts[0][b];
    ++into.counts[1][g];
    ++into.counts[2][r];
    const uint8_t hi = std::max({b, g, r});
    into.chroma_by_max[hi] += static_cast<uint32_t>(hi - std::min({b, g, r}));
  };
  for (int y = 0; y < bgr.rows; ++y) {
    const uint8_t* px = bgr.ptr<uint8_t>(y);
    int x = 0;
    for (; x + 1 < bgr.cols; x += 2, px += 6) {
      add(t[0], px);
      add(t[1], px + 3);
    }
    if (x < bgr.cols) add(t[0], px);
  }
  for (int c = 0; c < 3; ++c) {
    for (int v = 0; v < 256; ++v) t[0].counts[c][v] += t[1].counts[c][v];
  }
  for (int v = 0; v < 256; ++v) t[0].chroma_by_max[v] += t[1].chroma_by_max[v];
  t[0].pixels = static_cast<uint64_t>(bgr.rows) * static_cast<uint64_t>(bgr.cols);
  return t[0];
}

double ChannelMean(const std::array<uint32_t, 256>& counts, double pixels) {
  uint64_t sum = 0;
  for (int v = 0; v < 256; ++v) sum += uint64_t{counts[v]} * static_cast<uint64_t>(v);
  return static_cast<double>(sum) / pixels;
}

double MeanSaturation(const PixelTally& t) {
  double sum = 0.0;  // max = 0 means black: saturation 0
  for (int hi = 1; hi < 256; ++hi) sum += static_cast<double>(t.chroma_by_max[hi]) / hi;
  return sum / static_cast<double>(t.pixels);
}

void FoldHistograms(const PixelTally& t, ColourHistogram& out) {
  const auto total = static_cast<float>(t.pixels);
  constexpr int kFold = 256 / kHistogramBinsPerChannel;
  out.fill(0.0f);
  for (int c = 0; c < 3; ++c) {
    for (int v = 0; v < 256; ++v) {
      out[c * kHistogramBinsPerChannel + v / kFold] += static_cast<float>(t.counts[c][v]);
    }
  }
  for (float& bin : out) bin /= total;
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
  const PixelTally tally = TallyPixels(bgr);
  const auto pixels = static_cast<double>(tally.pixels);
  const double b = ChannelMean(tally.counts[0], pixels);
  const double g = ChannelMean(tally.counts[1], pixels);
  const double r = ChannelMean(tally.counts[2], pixels);
  f.scalar[kGainGOverR] = g / std::max(r, kMinChannelMean);
  f.scalar[kGainGOverB] = g / std::max(b, kMinChannelMean);
  f.scalar[kMeanR] = r;
  f.scalar[kMeanG] = g;
  f.scalar[kMeanB] = b;
  f.scalar[kLuma] = 0.299 * r + 0.587 * g + 0.114 * b;
  f.scalar[kSaturation] = MeanSaturation(tally);
  f.scalar[kColourTemperatureKelvin] = ColourTemperatureKelvin(r, g, b);
  f.scalar[kWbGainR] = 1.0;
  f.scalar[kWbGainB] = 1.0;
  FoldHistograms(tally, f.histogram);
  f.blocks = MeasureBlocks(bgr);
  return f;
}

}  // namespace df::drift
