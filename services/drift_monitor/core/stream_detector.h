// StreamDetector: one camera stream's drift state and the decision rule.
//
// The first `reference_size` frames form the reference; later frames slide through
// a window of `window_size` frames. For every scalar feature the detector keeps a
// rolling two-sample K-S test (window vs. reference, O(log n) per frame) and the
// effect size |mean(window) - mean(reference)| / |mean(reference)|.
//
// Decision rule. Consecutive frames of a fixed camera are strongly correlated, so
// the K-S p-value's i.i.d. assumption fails: on unaltered street footage K-S alone
// rejects with p ~ 1e-119. The detector therefore demands, per decisive feature
// (the grey-world white-balance gains G/R and G/B, which a firmware white-balance
// change moves and a moving scene barely does):
//   rejected_f = K-S rejects at alpha (corrected across the decisive features:
//                none, Bonferroni, or Benjamini-Hochberg)
//                AND effect_size_f >= min_effect;
//   drift      = hysteresis(any rejected_f): raised after `raise_after`
//                consecutive rejecting frames, cleared after `clear_after`
//                consecutive accepting ones.
// The other features (means, luma, saturation, CCT) and the colour-histogram
// Hellinger distance are measured and exported but do not vote: lighting and scene
// content move them without any firmware change.
//
// Thread-safety: not thread-safe; the owner serialises calls (StreamRegistry holds
// a mutex per stream). Failure: none; the constructor expects a validated config.
#ifndef DATA_FACTORY_SERVICES_DRIFT_MONITOR_CORE_STREAM_DETECTOR_H_
#define DATA_FACTORY_SERVICES_DRIFT_MONITOR_CORE_STREAM_DETECTOR_H_

#include <array>
#include <cstdint>
#include <vector>

#include "services/drift_monitor/core/detector_config.h"
#include "services/drift_monitor/core/image_features.h"
#include "services/stats/hysteresis.h"
#include "services/stats/rolling_ks.h"

namespace df::drift {

inline constexpr std::array<bool, kNumScalarFeatures> kDecisiveFeatures = {
    true, true, false, false, false, false, false, false};
inline constexpr int kNumDecisiveFeatures = 2;
// Full K-S p-values (a costlier evaluation than the O(1) statistic) are refreshed
// for export every this many frames; decisions use the cached critical statistic
// (or, with Benjamini-Hochberg, fresh p-values of the decisive features).
inline constexpr uint64_t kPValueEveryFrames = 10;

struct FeatureVerdict {
  double value = 0.0;
  double ks_statistic = 0.0;
  double ks_pvalue = 1.0;
  double effect_size = 0.0;
  bool decisive = false;
  bool rejected = false;
};

struct FrameVerdict {
  std::array<FeatureVerdict, kNumScalarFeatures> features{};
  double histogram_hellinger = 0.0;
  uint64_t frames_seen = 0;
  uint32_t reference_count = 0;
  uint32_t window_count = 0;
  bool drift = false;
  bool drift_started = false;
};

// The per-feature significance level a detector of `config` tests at.
double PerFeatureAlpha(const DetectorConfig& config);
// Computes into CriticalStatisticCache::Global() the threshold a detector of
// `config` needs with a reference of `reference_frames` (costly for large coprime
// sizes: call it on a worker thread, holding no lock).
void WarmCriticalStatistic(const DetectorConfig& config, uint32_t reference_frames);

class StreamDetector {
 public:
  explicit StreamDetector(const DetectorConfig& config);
  StreamDetector(const StreamDetector&) = delete;
  StreamDetector& operator=(const StreamDetector&) = delete;

  // Adds one frame's features and returns the verdict after it.
  FrameVerdict Update(const FrameFeatures& features);

  // The current window becomes the reference (operator accepts the new look).
  void PinReference();
  // Empties the reference; the next `reference_size` frames refill it.
  void ResetReference();

  const FrameVerdict& last() const { return last_; }
  const DetectorConfig& config() const { return config_; }
  uint64_t drift_events() const { return drift_events_; }
  // Mean of scalar feature `feature` over the current window (0 while it is empty).
  double WindowMean(int feature) const;
  // Approximate bytes held by this detector (for the memory benchmark).
  size_t ApproximateBytes() const;
  // Frames in the reference the decisions are made against (reference_size, or
  // the pinned window's size).
  uint32_t reference_target() const { return reference_target_; }

 private:
  void ResetState(bool keep_frames_seen);
  void AddToWindows(const FrameFeatures& features);
  // Sets the window sums from the ring (done once per pass over the ring).
  void RecomputeWindowSums();

  DetectorConfig config_;
  std::vector<df::stats::RollingKs> ks_;  // one per scalar feature
  // Critical D at the per-feature alpha, from the process-wide cache; the sizes of
  // the last lookup are remembered so a frame costs one comparison.
  bool KsRejects(const df::stats::RollingKs& ks);
  double per_feature_alpha_;
  int64_t critical_n1_ = -1;
  int64_t critical_n2_ = -1;
  double critical_ = 0.0;
  df::stats::Hysteresis hysteresis_;
  uint32_t reference_target_ = 0;  // reference_size, or the pinned window's size
  // Sums over the reference and the current window (means for the effect size,
  // histograms for the Hellinger distance); the ring keeps the window's frames.
  // The window sums are updated per frame and recomputed from the ring each time
  // it wraps, so their rounding error stays that of one window (O(1) amortised).
  std::array<double, kNumScalarFeatures> reference_sum_{};
  std::array<double, kNumScalarFeatures> window_sum_{};
  std::array<double, kHistogramBins> reference_hist_{};
  std::array<double, kHistogramBins> window_hist_{};
  std::vector<FrameFeatures> window_ring_;
  size_t ring_next_ = 0;
  uint32_t reference_count_ = 0;
  uint32_t window_count_ = 0;
  FrameVerdict last_;
  uint64_t drift_events_ = 0;
};

}  // namespace df::drift

#endif  // DATA_FACTORY_SERVICES_DRIFT_MONITOR_CORE_STREAM_DETECTOR_H_
