#include "services/drift_monitor/core/stream_detector.h"

#include <cmath>
#include <utility>
#include <vector>

#include "services/drift_monitor/core/critical_cache.h"
#include "services/stats/ks_test.h"
#include "services/stats/multiple_testing.h"

namespace df::drift {
namespace {

enum Nuisance : size_t { kNight = 0, kLight = 1, kQuality = 2 };

}  // namespace

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
      hysteresis_(static_cast<int>(config.raise_after), static_cast<int>(config.clear_after)),
      reference_target_(config.reference_size),
      nuisance_{df::stats::Hysteresis(kCauseRaiseFrames, kCauseClearFrames),
                df::stats::Hysteresis(kCauseRaiseFrames, kCauseClearFrames),
                df::stats::Hysteresis(kCauseRaiseFrames, kCauseClearFrames)} {
  ResetReferenceState();
}

void StreamDetector::ResetReferenceState() {
  ++durable_version_;
  pinned_ = false;
  ks_.clear();
  for (int f = 0; f < kNumScalarFeatures; ++f) {
    ks_.emplace_back(reference_target_, config_.window_size);
  }
  hysteresis_.Reset();
  reference_.Clear();
  learning_.clear();
  reference_sum_.fill(0.0);
  window_sum_.fill(0.0);
  reference_hist_.fill(0.0);
  window_hist_.fill(0.0);
  reference_uniformity_ = 0;
  window_uniformity_sum_ = 0;
  window_ring_.clear();
  ring_next_ = 0;
  reference_count_ = 0;
  window_count_ = 0;
  last_.drift = false;
  last_.reference_count = 0;
  last_.window_count = 0;
}

bool StreamDetector::BuildReference(const std::vector<WindowFrame>& frames) {
  std::vector<StoredColour> colours;
  colours.reserve(frames.size());
  for (const WindowFrame& f : frames) colours.push_back(f.colour);
  reference_.Build(colours);
  if (!reference_.ready()) return false;
  std::vector<WindowFrame> judged;
  judged.reserve(frames.size());
  for (const WindowFrame& f : frames) {
    const GainEstimate g = reference_.Estimate(f.colour);
    if (!g.valid) continue;
    WindowFrame& j = judged.emplace_back(f);
    j.scalar[kWbGainR] = g.gain_r;
    j.scalar[kWbGainB] = g.gain_b;
    j.uniformity = g.uniformity;
  }
  if (judged.size() < kMinWindowFrames) {
    reference_.Clear();
    return false;
  }
  // Every feature's K-S reference is the same frames: those with a gain estimate.
  ks_.clear();
  for (int f = 0; f < kNumScalarFeatures; ++f) {
    ks_.emplace_back(static_cast<int64_t>(judged.size()), config_.window_size);
  }
  reference_sum_.fill(0.0);
  reference_hist_.fill(0.0);
  double uniformity = 0;
  for (const WindowFrame& j : judged) {
    for (int f = 0; f < kNumScalarFeatures; ++f) {
      ks_[f].Add(j.scalar[f]);
      reference_sum_[f] += j.scalar[f];
    }
    for (size_t i = 0; i < reference_hist_.size(); ++i) reference_hist_[i] += j.histogram[i];
    uniformity += j.uniformity;
  }
  reference_count_ = static_cast<uint32_t>(judged.size());
  reference_uniformity_ = uniformity / static_cast<double>(judged.size());
  ++durable_version_;
  return true;
}

void StreamDetector::AddLearningFrame(const FrameFeatures& features, const StoredColour& colour) {
  WindowFrame& frame = learning_.emplace_back();
  frame.scalar = features.scalar;
  frame.histogram = features.histogram;
  frame.colour = colour;
  if (learning_.size() < reference_target_) return;
  const bool built = BuildReference(learning_);
  learning_.clear();
  if (built) relearning_after_scene_change_ = false;
}

void StreamDetector::AddToWindow(const WindowFrame& frame) {
  for (int f = 0; f < kNumScalarFeatures; ++f) ks_[f].Add(frame.scalar[f]);
  if (window_ring_.size() < config_.window_size) {
    ++window_count_;
  } else {
    const WindowFrame& oldest = window_ring_[ring_next_];
    for (int f = 0; f < kNumScalarFeatures; ++f) window_sum_[f] -= oldest.scalar[f];
    for (size_t i = 0; i < window_hist_.size(); ++i) window_hist_[i] -= oldest.histogram[i];
    window_uniformity_sum_ -= oldest.uniformity;
  }
  for (int f = 0; f < kNumScalarFeatures; ++f) window_sum_[f] += frame.scalar[f];
  for (size_t i = 0; i < window_hist_.size(); ++i) window_hist_[i] += frame.histogram[i];
  window_uniformity_sum_ += frame.uniformity;
  if (window_ring_.size() < config_.window_size) {
    window_ring_.push_back(frame);
    return;
  }
  window_ring_[ring_next_] = frame;
  ring_next_ = (ring_next_ + 1) % config_.window_size;
  // Once per pass over the ring: the running sums' rounding errors would otherwise
  // accumulate without bound on a long stream.
  if (ring_next_ == 0) RecomputeWindowSums();
}

void StreamDetector::RecomputeWindowSums() {
  window_sum_.fill(0.0);
  window_hist_.fill(0.0);
  window_uniformity_sum_ = 0;
  for (const WindowFrame& frame : window_ring_) {
    for (int f = 0; f < kNumScalarFeatures; ++f) window_sum_[f] += frame.scalar[f];
    for (size_t i = 0; i < window_hist_.size(); ++i) window_hist_[i] += frame.histogram[i];
    window_uniformity_sum_ += frame.uniformity;
  }
}

double StreamDetector::WindowMean(int feature) const {
  return window_count_ == 0 ? 0.0 : window_sum_[feature] / window_count_;
}

FrameVerdict StreamDetector::Update(const FrameFeatures& features) {
  FrameVerdict v;
  v.frames_seen = last_.frames_seen + 1;
  const BlockColour colour = ColourOf(features.blocks);
  const SceneVerdict scene = scene_.Assess(features.blocks, colour);
  v.condition = scene.condition;
  v.changed_fraction = scene.changed_fraction;
  if (scene.condition == FrameCondition::kSceneMismatch) {
    if (++mismatch_run_ >= kSceneConfirmFrames) {
      // A new view: the old reference means nothing for it.
      scene_.Restart(features.blocks, colour);
      mismatch_run_ = 0;
      relearning_after_scene_change_ = true;
      reference_target_ = config_.reference_size;
      ResetReferenceState();
    }
  } else {
    mismatch_run_ = 0;
  }
  scene_.Learn(features.blocks, colour, scene);

  bool normal = v.condition == FrameCondition::kNormal;
  for (int f = 0; f < kNumScalarFeatures; ++f) {
    v.features[f].value = f < kNumFrameFeatures ? features.scalar[f] : 0.0;
  }
  if (normal && !reference_.ready()) {
    AddLearningFrame(features, Store(colour, scene.changed));
  } else if (normal) {
    WindowFrame frame;
    frame.colour = Store(colour, scene.changed);
    const GainEstimate g = reference_.Estimate(frame.colour);
    if (g.valid && NonUniformColourChange(g)) {
      // The colour moved, but not in every block alike: light, not white balance.
      v.condition = FrameCondition::kLocalLight;
      normal = false;
    } else if (g.valid) {
      frame.scalar = features.scalar;
      frame.scalar[kWbGainR] = g.gain_r;
      frame.scalar[kWbGainB] = g.gain_b;
      frame.histogram = features.histogram;
      frame.uniformity = g.uniformity;
      v.features[kWbGainR].value = g.gain_r;
      v.features[kWbGainB].value = g.gain_b;
      v.wb_uniformity = g.uniformity;
      AddToWindow(frame);
    } else {
      v.condition = FrameCondition::kTooFewBlocks;
      normal = false;
    }
  }
  v.reference_count = reference_count_;
  v.window_count = window_count_;
  Decide(v, normal);
  UpdateCauses(v);
  last_ = v;
  return v;
}

bool StreamDetector::NonUniformColourChange(const GainEstimate& g) const {
  const bool moved =
      std::abs(g.gain_r - 1) >= config_.min_effect || std::abs(g.gain_b - 1) >= config_.min_effect;
  return moved && g.uniformity < kUniformityRatio * reference_uniformity_;
}

void StreamDetector::Decide(FrameVerdict& v, bool normal) {
  for (int f = 0; f < kNumScalarFeatures; ++f) {
    v.features[f].decisive = kDecisiveFeatures[f];
    v.features[f].ks_pvalue = last_.features[f].ks_pvalue;
  }
  v.drift = last_.drift;
  const bool ready = reference_.ready() && window_count_ == config_.window_size;
  if (!ready) {
    v.drift_started = false;
    return;
  }
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
    if (refresh_pvalues || (bh && fv.decisive)) fv.ks_pvalue = PValue(f);
    if (fv.decisive) decisive_pvalues.push_back(fv.ks_pvalue);
  }
  std::vector<bool> bh_rejects;
  if (bh) bh_rejects = df::stats::BenjaminiHochbergReject(decisive_pvalues, config_.alpha);
  const bool uniform =
      window_uniformity_sum_ / window_count_ >= kUniformityRatio * reference_uniformity_;
  bool rejected = false;
  size_t d = 0;
  for (int f = 0; f < kNumScalarFeatures; ++f) {
    FeatureVerdict& fv = v.features[f];
    if (!fv.decisive) continue;
    const bool ks_rejects = bh ? bh_rejects[d] : KsRejects(ks_[f]);
    ++d;
    fv.rejected = ks_rejects && fv.effect_size >= config_.min_effect && uniform;
    rejected = rejected || fv.rejected;
  }
  if (normal) v.drift = hysteresis_.Update(rejected);
  v.drift_started = v.drift && !last_.drift;
  if (v.drift_started) ++drift_events_;
}

void StreamDetector::UpdateCauses(FrameVerdict& v) {
  const FrameCondition c = v.condition;
  auto& active = v.causes_active;
  active[static_cast<size_t>(DriftCause::kNightMode)] =
      nuisance_[kNight].Update(c == FrameCondition::kNoColour);
  active[static_cast<size_t>(DriftCause::kIllumination)] =
      nuisance_[kLight].Update(c == FrameCondition::kLocalLight);
  active[static_cast<size_t>(DriftCause::kImageQuality)] =
      nuisance_[kQuality].Update(ConditionCause(c) == DriftCause::kImageQuality);
  active[static_cast<size_t>(DriftCause::kSceneChange)] = relearning_after_scene_change_;
  active[static_cast<size_t>(DriftCause::kWhiteBalance)] = v.drift;
  v.cause = DriftCause::kNone;
  if (v.drift) {
    v.cause = DriftCause::kWhiteBalance;
    return;
  }
  for (DriftCause nuisance : kNuisanceCauses) {
    if (active[static_cast<size_t>(nuisance)]) {
      v.cause = nuisance;
      return;
    }
  }
}

double StreamDetector::PValue(int feature) {
  // The p-value is a function of the sizes and of D on the lcm grid; on correlated
  // footage D often stays put for many frames, so it is computed only when they move.
  const df::stats::RollingKs& ks = ks_[feature];
  const PValueKey key{ks.reference_count(), ks.window_count(), ks.StatisticGridIndex()};
  CachedPValue& cached = pvalues_[feature];
  if (cached.key != key) cached = {key, ks.Test().pvalue};
  return cached.pvalue;
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
  std::vector<WindowFrame> frames = std::move(window_ring_);
  reference_target_ = static_cast<uint32_t>(frames.size());
  ResetReferenceState();
  if (BuildReference(frames)) {
    reference_target_ = reference_count_;  // the frames with a gain estimate
    pinned_ = true;
  } else {
    reference_target_ = config_.reference_size;  // learn from the next frames instead
  }
  last_.reference_count = reference_count_;
}

void StreamDetector::ResetReference() {
  reference_target_ = config_.reference_size;
  ResetReferenceState();
  relearning_after_scene_change_ = false;
  last_.features = {};
  last_.histogram_hellinger = 0;
}

size_t StreamDetector::ApproximateBytes() const {
  // Each RollingKs holds its window's values (deque) and one treap node per distinct
  // reference or window value (value, two counts, three aggregates, priority, links).
  constexpr size_t kTreapNodeBytes = 80;
  const size_t ks_bytes = ks_.size() * (config_.reference_size + config_.window_size) *
                          (kTreapNodeBytes + sizeof(double));
  return sizeof(*this) + ks_bytes +
         (window_ring_.capacity() + learning_.capacity()) * sizeof(WindowFrame);
}

}  // namespace df::drift
