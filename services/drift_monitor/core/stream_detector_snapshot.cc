// StreamDetector::Snapshot and StreamDetector::Restore (stream_detector.h): the
// durable part of a detector out and back in.
#include <cmath>
#include <memory>

#include "absl/strings/str_cat.h"
#include "services/drift_monitor/core/stream_detector.h"

namespace df::drift {
namespace {

absl::Status CheckReference(const DetectorSnapshot& snapshot) {
  const LearntReference& r = *snapshot.reference;
  const uint32_t frames = r.frames();
  const uint32_t most =
      snapshot.pinned ? snapshot.config.window_size : snapshot.config.reference_size;
  if (frames < kMinWindowFrames || frames > most) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the ", snapshot.pinned ? "pinned" : "learnt", " reference holds ", frames,
        " frames, outside [", kMinWindowFrames, ", ", most, "] for its configuration"));
  }
  for (int f = 0; f < kNumScalarFeatures; ++f) {
    if (r.samples[f].size() != frames) {
      return absl::InvalidArgumentError(
          absl::StrCat("feature ", std::string(kScalarFeatureNames[f]), " has ",
                       r.samples[f].size(), " reference values, not ", frames));
    }
    for (double x : r.samples[f]) {
      if (std::isnan(x)) {
        return absl::InvalidArgumentError(absl::StrCat(
            "feature ", std::string(kScalarFeatureNames[f]), " has a NaN reference value"));
      }
    }
  }
  if (!(r.uniformity >= 0 && r.uniformity <= 1)) {
    return absl::InvalidArgumentError(
        absl::StrCat("reference uniformity ", r.uniformity, " is outside [0, 1]"));
  }
  return absl::OkStatus();
}

}  // namespace

DetectorSnapshot StreamDetector::Snapshot() const {
  DetectorSnapshot out;
  out.config = config_;
  out.pinned = pinned_;
  out.scene = scene_.memory();
  if (!reference_.ready()) return out;
  LearntReference& r = out.reference.emplace();
  r.log_rg = reference_.log_rg();
  r.log_bg = reference_.log_bg();
  for (int f = 0; f < kNumScalarFeatures; ++f) r.samples[f] = ks_[f].ReferenceValues();
  r.sums = reference_sum_;
  r.histogram = reference_hist_;
  r.uniformity = reference_uniformity_;
  return out;
}

absl::StatusOr<std::unique_ptr<StreamDetector>> StreamDetector::Restore(
    const DetectorSnapshot& snapshot) {
  if (absl::Status s = ValidateDetectorConfig(snapshot.config); !s.ok()) return s;
  auto detector = std::make_unique<StreamDetector>(snapshot.config);
  detector->scene_.Restore(snapshot.scene);
  if (!snapshot.reference.has_value()) {
    if (snapshot.pinned) return absl::InvalidArgumentError("a pinned stream without a reference");
    return detector;
  }
  if (absl::Status s = CheckReference(snapshot); !s.ok()) return s;
  const LearntReference& r = *snapshot.reference;
  if (!detector->reference_.Restore(r.log_rg, r.log_bg)) {
    return absl::InvalidArgumentError("the reference has too few blocks with a colour ratio");
  }
  const uint32_t frames = r.frames();
  detector->ks_.clear();
  for (int f = 0; f < kNumScalarFeatures; ++f) {
    df::stats::RollingKs& ks = detector->ks_.emplace_back(frames, snapshot.config.window_size);
    for (double x : r.samples[f]) ks.Add(x);
  }
  detector->reference_sum_ = r.sums;
  detector->reference_hist_ = r.histogram;
  detector->reference_uniformity_ = r.uniformity;
  detector->reference_count_ = frames;
  detector->reference_target_ = snapshot.pinned ? frames : snapshot.config.reference_size;
  detector->pinned_ = snapshot.pinned;
  detector->last_.reference_count = frames;
  ++detector->durable_version_;
  return detector;
}

}  // namespace df::drift
