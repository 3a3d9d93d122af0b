// StreamDetector: one camera stream's drift state and the decision rule.
//
// Each frame is first judged against the stream's background (scene_model.h): a
// black, overexposed, frozen or flat-block frame, a frame without colour, a frame
// whose structure no longer matches the view, or one where a large part changed
// colour and brightness together gets a FrameCondition other than kNormal, is
// counted, and stays out of the white-balance windows. Persistent conditions raise
// their own cause (drift_cause.h): image_quality, night_mode, illumination (each
// after kCauseRaiseFrames consecutive such frames, cleared after kCauseClearFrames
// other ones) and scene_change (confirmed after kSceneConfirmFrames consecutive
// mismatches; the background restarts from the new view and the reference is
// learnt again, the cause staying up until it is).
//
// The reference is learnt from the first `reference_size` normal frames: per block,
// the median colour ratio in linear light (WhiteBalanceReference). It changes only by
// PinReference, ResetReference or a confirmed scene change, never by itself, so a
// slow firmware ramp cannot be absorbed into it. Every later normal frame gets its
// white-balance gains against it (features wb_gain_r, wb_gain_b: the median over the
// blocks that match the background, so passers-by and parked cars do not count) and
// a spatial uniformity (the fraction of blocks agreeing with that median).
//
// A frame whose gain moved by `min_effect` or more while its uniformity fell below
// kUniformityRatio x the reference's is a local light (a colour change that is not the
// same in every block), not a normal frame.
//
// Decision rule, per decisive feature f (wb_gain_r and wb_gain_b), with the
// scipy-exact rolling K-S test of the window (last `window_size` normal frames)
// against the reference frames' own gains:
//   rejected_f = K-S rejects at alpha (corrected across the two: none, Bonferroni
//                or Benjamini-Hochberg)
//                AND |mean(window_f) - mean(reference_f)| / mean(reference_f) >= min_effect
//                AND mean window uniformity >= kUniformityRatio x the reference's
//   drift      = hysteresis(any rejected_f) over normal frames: raised after
//                `raise_after` consecutive rejecting frames, cleared after
//                `clear_after` accepting ones.
// `drift` means white-balance drift only. The grey-world gains, channel means, luma,
// saturation, colour temperature and histogram distance are still measured and
// exported (over normal frames) but do not vote.
//
// Durable state: Snapshot() is what survives a restart (stream_snapshot.h: config,
// pin, learnt reference, background) and Restore() a detector made from it.
// durable_version() changes whenever that part changes (reference learnt, pinned,
// reset or emptied by a scene change), so an owner that saves state compares one
// integer per frame.
//
// Thread-safety: not thread-safe; the owner serialises calls (StreamRegistry holds
// a mutex per stream). Failure: none; the constructor expects a validated config;
// Restore returns INVALID_ARGUMENT for an inconsistent snapshot.
#ifndef DATA_FACTORY_SERVICES_DRIFT_MONITOR_CORE_STREAM_DETECTOR_H_
#define DATA_FACTORY_SERVICES_DRIFT_MONITOR_CORE_STREAM_DETECTOR_H_

#include <array>
#include <cstdint>
#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "services/drift_monitor/core/detector_config.h"
#include "services/drift_monitor/core/drift_cause.h"
#include "services/drift_monitor/core/image_features.h"
#include "services/drift_monitor/core/scene_model.h"
#include "services/drift_monitor/core/stream_snapshot.h"
#include "services/stats/hysteresis.h"
#include "services/stats/rolling_ks.h"

namespace df::drift {

inline constexpr std::array<bool, kNumScalarFeatures> kDecisiveFeatures = {
    false, false, false, false, false, false, false, false, true, true};
inline constexpr int kNumDecisiveFeatures = 2;
// Full K-S p-values (a costlier evaluation than the O(1) statistic) are refreshed
// for export every this many frames; decisions use the cached critical statistic
// (or, with Benjamini-Hochberg, fresh p-values of the decisive features).
inline constexpr uint64_t kPValueEveryFrames = 10;
// Nuisance causes: raised after this many consecutive frames of their condition,
// cleared after this many frames of other conditions.
inline constexpr int kCauseRaiseFrames = 10;
inline constexpr int kCauseClearFrames = 25;
// Consecutive scene-mismatch frames that confirm a new view.
inline constexpr int kSceneConfirmFrames = 10;
// The window's mean uniformity must keep this share of the reference's for a
// gain change to count as white balance (a uniform change keeps it; a local one
// does not).
inline constexpr double kUniformityRatio = 0.5;

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
  bool drift = false;                                  // white-balance drift (after hysteresis)
  bool drift_started = false;                          // this frame raised it
  FrameCondition condition = FrameCondition::kNormal;  // this frame's judgement
  DriftCause cause = DriftCause::kNone;  // white_balance while drift, else the first nuisance up
  // Nuisance alarms up after this frame, indexed by DriftCause.
  std::array<bool, kNumDriftCauses> causes_active{};
  double wb_uniformity = 0.0;     // this frame's (0 when it has no gain estimate)
  double changed_fraction = 0.0;  // blocks unlike the background (0..1)
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

  // Judges one frame's features and returns the verdict after it.
  FrameVerdict Update(const FrameFeatures& features);

  // The current window becomes the reference (operator accepts the new look).
  void PinReference();
  // Empties the reference; the next `reference_size` normal frames refill it.
  void ResetReference();

  // The durable part of the state (see stream_snapshot.h). Copies the reference
  // sample: O(reference frames x features).
  [[nodiscard]] DetectorSnapshot Snapshot() const;
  // A detector in the state `snapshot` describes, its window empty.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<StreamDetector>> Restore(
      const DetectorSnapshot& snapshot);
  // Changes whenever the durable part does (never repeats within one detector).
  uint64_t durable_version() const { return durable_version_; }
  // The reference is a pinned window (until a reset, a scene change or a new config).
  bool pinned() const { return pinned_; }

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
  // A normal frame as the window keeps it.
  struct WindowFrame {
    std::array<double, kNumScalarFeatures> scalar{};
    ColourHistogram histogram{};
    StoredColour colour;
    double uniformity = 0;
  };
  void ResetReferenceState();
  void AddLearningFrame(const FrameFeatures& features, const StoredColour& colour);
  // Builds the block reference from `frames` and the decisive features' K-S
  // reference from their gains; false when too few frames have a gain estimate.
  bool BuildReference(const std::vector<WindowFrame>& frames);
  void AddToWindow(const WindowFrame& frame);
  void RecomputeWindowSums();
  bool KsRejects(const df::stats::RollingKs& ks);
  // Feature `feature`'s K-S p-value, recomputed only when its sizes or D changed.
  double PValue(int feature);
  // A gain estimate that moved by min_effect while its blocks did not move together.
  bool NonUniformColourChange(const GainEstimate& g) const;
  void Decide(FrameVerdict& v, bool normal);
  void UpdateCauses(FrameVerdict& v);

  DetectorConfig config_;
  std::vector<df::stats::RollingKs> ks_;  // one per scalar feature
  double per_feature_alpha_;
  int64_t critical_n1_ = -1;
  int64_t critical_n2_ = -1;
  double critical_ = 0.0;
  using PValueKey = std::array<int64_t, 3>;  // reference count, window count, D grid index
  struct CachedPValue {
    PValueKey key{-1, -1, -1};
    double pvalue = 1.0;
  };
  std::array<CachedPValue, kNumScalarFeatures> pvalues_{};
  df::stats::Hysteresis hysteresis_;
  uint32_t reference_target_ = 0;  // reference_size, or the pinned window's size
  bool pinned_ = false;
  uint64_t durable_version_ = 0;

  SceneModel scene_;
  WhiteBalanceReference reference_;
  std::vector<WindowFrame> learning_;  // normal frames while the reference is learnt
  int mismatch_run_ = 0;               // consecutive scene-mismatch frames
  bool relearning_after_scene_change_ = false;
  std::array<df::stats::Hysteresis, 3> nuisance_;  // night_mode, illumination, image_quality

  // Sums over the reference and the current window (means for the effect size,
  // histograms for the Hellinger distance); the ring keeps the window's frames.
  // The window sums are updated per frame and recomputed from the ring each time
  // it wraps, so their rounding error stays that of one window (O(1) amortised).
  std::array<double, kNumScalarFeatures> reference_sum_{};
  std::array<double, kNumScalarFeatures> window_sum_{};
  std::array<double, kHistogramBins> reference_hist_{};
  std::array<double, kHistogramBins> window_hist_{};
  double reference_uniformity_ = 0;  // mean over the reference frames
  double window_uniformity_sum_ = 0;
  std::vector<WindowFrame> window_ring_;
  size_t ring_next_ = 0;
  uint32_t reference_count_ = 0;  // decisive features' reference frames
  uint32_t window_count_ = 0;
  FrameVerdict last_;
  uint64_t drift_events_ = 0;
};

}  // namespace df::drift

#endif  // DATA_FACTORY_SERVICES_DRIFT_MONITOR_CORE_STREAM_DETECTOR_H_
