#include "services/factory_sim/calibration/wb_gain_spread.h"

#include <cmath>
#include <utility>

#include "absl/status/statusor.h"
#include "services/drift_monitor/core/image_features.h"

namespace df::factory::calibration {

void RunningMoments::Add(double x) {
  ++count_;
  const double delta = x - mean_;
  mean_ += delta / static_cast<double>(count_);
  m2_ += delta * (x - mean_);
}

double RunningMoments::sample_sd() const {
  return count_ < 2 ? 0.0 : std::sqrt(m2_ / static_cast<double>(count_ - 1));
}

ClipSpreadAccumulator::ClipSpreadAccumulator(std::string clip, double min_luma)
    : clip_(std::move(clip)), min_luma_(min_luma) {}

absl::Status ClipSpreadAccumulator::Add(const cv::Mat& bgr) {
  absl::StatusOr<drift::FrameFeatures> features = drift::ExtractFeatures(bgr);
  if (!features.ok()) return features.status();
  if (features->scalar[drift::kLuma] < min_luma_) {
    ++skipped_;
    return absl::OkStatus();
  }
  log_g_over_r_.Add(std::log(features->scalar[drift::kGainGOverR]));
  log_g_over_b_.Add(std::log(features->scalar[drift::kGainGOverB]));
  return absl::OkStatus();
}

ClipSpread ClipSpreadAccumulator::Result() const {
  return {.clip = clip_,
          .frames = log_g_over_r_.count(),
          .skipped = skipped_,
          .mean_log_g_over_r = log_g_over_r_.mean(),
          .sd_log_g_over_r = log_g_over_r_.sample_sd(),
          .mean_log_g_over_b = log_g_over_b_.mean(),
          .sd_log_g_over_b = log_g_over_b_.sample_sd()};
}

PooledSpread PoolClips(const std::vector<ClipSpread>& clips) {
  PooledSpread pooled;
  double dof = 0.0, ss_r = 0.0, ss_b = 0.0;
  for (const ClipSpread& c : clips) {
    if (c.frames < 2) continue;
    const double n1 = static_cast<double>(c.frames - 1);
    pooled.frames += c.frames;
    dof += n1;
    ss_r += n1 * c.sd_log_g_over_r * c.sd_log_g_over_r;
    ss_b += n1 * c.sd_log_g_over_b * c.sd_log_g_over_b;
  }
  if (dof > 0) {
    pooled.sd_log_g_over_r = std::sqrt(ss_r / dof);
    pooled.sd_log_g_over_b = std::sqrt(ss_b / dof);
  }
  return pooled;
}

}  // namespace df::factory::calibration
