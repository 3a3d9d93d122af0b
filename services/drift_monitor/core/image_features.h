// Per-frame colour features for white-balance drift detection.
//
// From one 8-bit BGR frame: the linear-light block statistics the white-balance
// decision uses (block_stats.h), and, in one pass over the pixels, grey-world white-balance
// gains (mean G / mean R and mean G / mean B), mean R, G, B (8-bit levels, 0..255),
// luma (Rec. 601 weights of those means), mean HSV saturation (0..1), a correlated
// colour temperature of the mean colour (sRGB -> XYZ -> xy -> McCamy, in kelvin)
// and a normalised per-channel colour histogram. Scalar features go through K-S
// tests across frames; histograms are compared with the Hellinger distance (a K-S
// test over millions of pixels is always "significant").
//
// Usage:
//   absl::StatusOr<FrameFeatures> f = ExtractFeatures(bgr);
//   if (!f.ok()) return f.status();
//   double g_over_r = f->scalar[kGainGOverR];
//   double distance = HellingerDistance(f->histogram, reference_histogram);
//
// Thread-safety: pure functions; safe from any thread. Failure: an empty or
// non-CV_8UC3 image yields an InvalidArgument status.
#ifndef DATA_FACTORY_SERVICES_DRIFT_MONITOR_CORE_IMAGE_FEATURES_H_
#define DATA_FACTORY_SERVICES_DRIFT_MONITOR_CORE_IMAGE_FEATURES_H_

#include <array>
#include <cstddef>
#include <opencv2/core.hpp>
#include <string_view>

#include "absl/status/statusor.h"
#include "services/drift_monitor/core/block_stats.h"

namespace df::drift {

enum ScalarFeature : int {
  kGainGOverR = 0,
  kGainGOverB,
  kMeanR,
  kMeanG,
  kMeanB,
  kLuma,
  kSaturation,
  kColourTemperatureKelvin,
  // Set by the stream's detector (stream_detector.h), not by ExtractFeatures: the
  // frame's R and B gains relative to G against the stream's reference, in linear
  // light (median over unchanged blocks; 1 = unchanged, 1.05 = +5 %).
  kWbGainR,
  kWbGainB,
  kNumScalarFeatures,
};
// Features ExtractFeatures computes from the frame alone.
inline constexpr int kNumFrameFeatures = kWbGainR;

// Names used in the API and as the `feature` metric label.
inline constexpr std::array<std::string_view, kNumScalarFeatures> kScalarFeatureNames = {
    "gain_g_over_r", "gain_g_over_b", "mean_r",     "mean_g",    "mean_b",
    "luma",          "saturation",    "cct_kelvin", "wb_gain_r", "wb_gain_b"};

inline constexpr int kHistogramBinsPerChannel = 32;
inline constexpr size_t kHistogramBins = size_t{3} * kHistogramBinsPerChannel;  // B, G, R
// Per-channel (B, G, R) histograms, each normalised to sum 1.
using ColourHistogram = std::array<float, kHistogramBins>;

struct FrameFeatures {
  std::array<double, kNumScalarFeatures> scalar{};  // kWbGainR/B: 1 until the detector sets them
  ColourHistogram histogram{};
  BlockStats blocks;  // linear-light block statistics (block_stats.h)
};

[[nodiscard]] absl::StatusOr<FrameFeatures> ExtractFeatures(const cv::Mat& bgr);

// McCamy's CCT of an 8-bit sRGB colour (kelvin). Grey gives ~6500 K (D65).
double ColourTemperatureKelvin(double mean_r, double mean_g, double mean_b);

// Hellinger distance in [0, 1] between two histograms of three channels (the mean
// of the per-channel distances). Inputs need not be normalised.
double HellingerDistance(const ColourHistogram& a, const ColourHistogram& b);

}  // namespace df::drift

#endif  // DATA_FACTORY_SERVICES_DRIFT_MONITOR_CORE_IMAGE_FEATURES_H_
