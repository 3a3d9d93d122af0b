// How much a camera's white balance wanders from frame to frame, measured on real footage
// with drift-monitor's own feature code (services/drift_monitor/core/image_features.h).
//
// Purpose: Act III of factory-sim synthesises per-frame white-balance features for a
// doorbell fleet. The spread it draws them with must come from real frames, not be
// chosen: this measures, per clip, the standard deviation across frames of the natural log
// of drift-monitor's grey-world gains (mean G / mean R and mean G / mean B), and pools the
// clips' variances (the pooled within-clip standard deviation). The figures are measured
// offline (the wb-gain-spread tool) and kept in factory-sim's figure catalogue as constants:
// factory-sim itself never links OpenCV.
//
// Frames darker than `min_luma` (Rec. 601 luma of the channel means, 8-bit levels) are left
// out: a fade to black has no white balance to measure, and drift-monitor's gains clamp a
// channel mean below 0.1 there.
//
// Usage:
//   ClipSpreadAccumulator clip("vtest.avi");
//   for (const cv::Mat& bgr : frames) clip.Add(bgr);      // any number of frames
//   ClipSpread spread = clip.Result();                    // per clip
//   PooledSpread pooled = PoolClips({spread_a, spread_b});
//
// Thread-safety: an accumulator has one owner; PoolClips is pure.
// Failure: Add returns InvalidArgument for a frame drift-monitor cannot take features
// from (empty, not 8-bit BGR); Result() of a clip with fewer than 2 measured frames has
// standard deviations of 0.
#ifndef DF_SERVICES_FACTORY_SIM_CALIBRATION_WB_GAIN_SPREAD_H_
#define DF_SERVICES_FACTORY_SIM_CALIBRATION_WB_GAIN_SPREAD_H_

#include <cstdint>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "absl/status/status.h"

namespace df::factory::calibration {

inline constexpr double kDefaultMinLuma = 16.0;  // video black level (BT.601 studio range)

struct ClipSpread {
  std::string clip;
  int64_t frames = 0;   // frames measured
  int64_t skipped = 0;  // frames darker than min_luma
  double mean_log_g_over_r = 0.0;
  double sd_log_g_over_r = 0.0;  // sample standard deviation (n - 1)
  double mean_log_g_over_b = 0.0;
  double sd_log_g_over_b = 0.0;
};

struct PooledSpread {
  int64_t frames = 0;
  double sd_log_g_over_r = 0.0;  // sqrt(sum (n_i - 1) s_i^2 / sum (n_i - 1))
  double sd_log_g_over_b = 0.0;
};

// Running mean and variance (Welford) of one quantity.
class RunningMoments {
 public:
  void Add(double x);
  int64_t count() const { return count_; }
  double mean() const { return mean_; }
  double sample_sd() const;

 private:
  int64_t count_ = 0;
  double mean_ = 0.0;
  double m2_ = 0.0;
};

class ClipSpreadAccumulator {
 public:
  explicit ClipSpreadAccumulator(std::string clip, double min_luma = kDefaultMinLuma);
  [[nodiscard]] absl::Status Add(const cv::Mat& bgr);
  ClipSpread Result() const;

 private:
  std::string clip_;
  double min_luma_;
  int64_t skipped_ = 0;
  RunningMoments log_g_over_r_;
  RunningMoments log_g_over_b_;
};

PooledSpread PoolClips(const std::vector<ClipSpread>& clips);

}  // namespace df::factory::calibration

#endif  // DF_SERVICES_FACTORY_SIM_CALIBRATION_WB_GAIN_SPREAD_H_
