#include "services/drift_monitor/core/stream_detector.h"

#include <cmath>
#include <vector>

#include "services/drift_monitor/core/critical_cache.h"
#include "services/stats/ks_test.h"
#include "services/stats/multiple_testing.h"

namespace df::drift {

double PerFeatureAlpha(const DetectorConfig& config) {
  return df::stats::PerFeatureAlpha(config.correction, config.alpha, kNumDecisiveFeatures);
}

void WarmCriticalStatistic(const DetectorConfig& config, uint32_t reference_frames) {
  if (config.correction == df::stats::Correction::kBenjaminiHochberg) return;  // uses p-values
  CriticalStatisticCache::Global().Get(reference_frames, config.window_size,
                                       PerFeatureAlpha(config));
}

StreamDetector::StreamDetector(const DetectorConfig& config)
    : config_(config),
      per_feature_alpha_(PerFeatureAlpha(config)),
      hysteresis_(static_cast<int>(config.raise_after), static_cast<int>(config.clear_after)) {
  ResetState(/*keep_frames_seen=*/false);
}

void StreamDetector::ResetState(bool keep_frames_seen) {
  ks_.clear();
  for (int f = 0; f < kNumScalarFeatures; ++f) {
    ks_.emplace_back(config_.reference_size, config_.window_size);
  }
  hysteresis_.Reset();
  reference_target_ = config_.reference_size;
  reference_sum_.fill(0.0);
  window_sum_.fill(0.0);
  reference_hist_.fill(0.0);
  window_hist_.fill(0.0);
  window_ring_.clear();
  ring_next_ = 0;
  reference_count_ = 0;
  window_count_ = 0;
  const uint64_t seen = keep_frames_seen ? last_.frames_seen : 0;
  last_ = FrameVerdict{};
  last_.frames_seen = seen;
}

void StreamDetector::AddToWindows(const FrameFeatures& features) {
  for (int f = 0; f < kNumScalarFeatures; ++f) ks_[f].Add(features.scalar[f]);
  if (reference_count_ < reference_target_) {
    ++reference_count_;
    for (int f = 0; f < kNumScalarFeatures; ++f) reference_sum_[f] += features.scalar[f];
    for (size_t i = 0; i < reference_hist_.size(); ++i) reference_hist_[i] += features.histogram[i];
    return;
  }
  if (window_ring_.size() < config_.window_size) {
    window_ring_.push_back(features);
    ++window_count_;
  } else {
    const FrameFeatures& oldest = window_ring_[ring_next_];
    for (int f = 0; f < kNumScalarFeatures; ++f) window_sum_[f] -= oldest.scalar[f];
    for (size_t i = 0; i < window_hist_.size(); ++i) window_hist_[i] -= oldest.histogram[i];
    window_ring_[ring_next_] = features;
    ring_next_ = (ring_next_ + 1) % config_.window_size;
    if (ring_next_ == 0) {
      // Once per pass over the ring: the running sums' rounding errors would
      // otherwise accumulate without bound on a long stream.
      RecomputeWindowSums();
      return;
    }
  }
  for (int f = 0; f < kNumScalarFeatures; ++f) window_sum_[f] += features.scalar[f];
  for (size_t i = 0; i < window_hist_.size(); ++i) window_hist_[i] += features.histogram[i];
}

void StreamDetector::RecomputeWindowSums() {
  window_sum_.fill(0.0);
  window_hist_.fill(0.0);
  for (const FrameFeatures& frame : window_ring_) {
    for (int f = 0; f < kNumScalarFeatures; ++f) window_sum_[f] += frame.scalar[f];
    for (size_t i = 0; i < window_hist_.size(); ++i) window_hist_[i] += frame.histogram[i];
  }
}

double StreamDetector::WindowMean(int feature) const {
  return window_count_ == 0 ? 0.0 : window_sum_[feature] / window_count_;
}

FrameVerdict StreamDetector::Update(const FrameFeatures& features) {
  AddToWindows(features);
  FrameVerdict v;
  v.frames_seen = last_.frames_seen + 1;
  v.reference_count = reference_count_;
  v.window_count = window_count_;
  for (int f = 0; f < kNumScalarFeatures; ++f) {
    v.features[f].value = features.scalar[f];
    v.features[f].decisive = kDecisiveFeatures[f];
    v.features[f].ks_pvalue = last_.features[f].ks_pvalue;
  }
  const bool ready = reference_count_ == reference_target_ && window_count_ == config_.window_size;
  bool rejected = false;
  if (ready) {
    ColourHistogram ref{}, win{};
    for (size_t i = 0; i < ref.size(); ++i) {
      ref[i] = static_cast<float>(reference_hist_[i]);
      win[i] = static_cast<float>(window_hist_[i]);
    }
    v.histogram_hellinger = HellingerDistance(ref, win);
    const bool refresh_pvalues = v.frames_seen % kPValueEveryFrames == 0;
    const bool bh = config_.correction == df::stats::Correction::kBenjaminiHochberg;
    std::vector<double> decisive_pvalues;
    for (int f = 0; f < kNumScalarFeatures; ++f) {
      FeatureVerdict& fv = v.features[f];
      fv.ks_statistic = ks_[f].Statistic();
      const double ref_mean = reference_sum_[f] / reference_count_;
      const double win_mean = window_sum_[f] / window_count_;
      fv.effect_size = ref_mean != 0.0 ? std::abs(win_mean - ref_mean) / std::abs(ref_mean) : 0.0;
      if (refresh_pvalues || (bh && fv.decisive)) fv.ks_pvalue = ks_[f].Test().pvalue;
      if (fv.decisive) decisive_pvalues.push_back(fv.ks_pvalue);
    }
    std::vector<bool> bh_rejects;
    if (bh) bh_rejects = df::stats::BenjaminiHochbergReject(decisive_pvalues, config_.alpha);
    size_t d = 0;
    for (int f = 0; f < kNumScalarFeatures; ++f) {
      FeatureVerdict& fv = v.features[f];
      if (!fv.decisive) continue;
      const bool ks_rejects = bh ? bh_rejects[d] : KsRejects(ks_[f]);
      ++d;
      fv.rejected = ks_rejects && fv.effect_size >= config_.min_effect;
      rejected = rejected || fv.rejected;
    }
  }
  const bool was_drift = last_.drift;
  v.drift = ready ? hysteresis_.Update(rejected) : was_drift;
  v.drift_started = v.drift && !was_drift;
  if (v.drift_started) ++drift_events_;
  last_ = v;
  return v;
}

bool StreamDetector::KsRejects(const df::stats::RollingKs& ks) {
  const int64_t n1 = ks.reference_count();
  const int64_t n2 = ks.window_count();
  if (n1 == 0 || n2 == 0) return false;
  if (n1 != critical_n1_ || n2 != critical_n2_) {
    critical_ = CriticalStatisticCache::Global().Get(n1, n2, per_feature_alpha_);
    critical_n1_ = n1;
    critical_n2_ = n2;
  }
  return ks.Statistic() >= critical_;
}

void StreamDetector::PinReference() {
  if (window_count_ == 0) return;  // nothing to pin yet
  for (auto& ks : ks_) ks.PinReferenceToWindow();
  // The window's frames become the reference (its size is the window's count).
  reference_target_ = window_count_;
  reference_count_ = window_count_;
  reference_sum_ = window_sum_;
  reference_hist_ = window_hist_;
  window_sum_.fill(0.0);
  window_hist_.fill(0.0);
  window_ring_.clear();
  ring_next_ = 0;
  window_count_ = 0;
  hysteresis_.Reset();
  last_.drift = false;
  last_.reference_count = reference_count_;
  last_.window_count = 0;
}

void StreamDetector::ResetReference() { ResetState(/*keep_frames_seen=*/true); }

size_t StreamDetector::ApproximateBytes() const {
  // Each RollingKs holds its window's values (deque) and one treap node per distinct
  // reference or window value (value, two counts, three aggregates, priority, links).
  constexpr size_t kTreapNodeBytes = 80;
  const size_t ks_bytes = ks_.size() * (config_.reference_size + config_.window_size) *
                          (kTreapNodeBytes + sizeof(double));
  return sizeof(*this) + ks_bytes + window_ring_.capacity() * sizeof(FrameFeatures);
}

}  // namespace df::drift
