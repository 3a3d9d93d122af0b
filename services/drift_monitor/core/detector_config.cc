#include "services/drift_monitor/core/detector_config.h"

#include "absl/strings/str_cat.h"

namespace df::drift {
namespace {

absl::Status CheckRange(const char* field, uint32_t value, uint32_t lo, uint32_t hi) {
  if (value >= lo && value <= hi) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat(field, " = ", value, " is outside the allowed range [", lo, ", ", hi, "]"));
}

}  // namespace

absl::Status ValidateDetectorConfig(const DetectorConfig& c) {
  if (absl::Status s =
          CheckRange("reference_size", c.reference_size, kMinWindowFrames, kMaxWindowFrames);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = CheckRange("window_size", c.window_size, kMinWindowFrames, kMaxWindowFrames);
      !s.ok()) {
    return s;
  }
  if (!(c.alpha > 0.0 && c.alpha < 1.0)) {
    return absl::InvalidArgumentError(
        absl::StrCat("alpha = ", c.alpha, " is outside the allowed range (0, 1)"));
  }
  if (absl::Status s = CheckRange("raise_after", c.raise_after, 1, kMaxHysteresisFrames); !s.ok()) {
    return s;
  }
  if (absl::Status s = CheckRange("clear_after", c.clear_after, 1, kMaxHysteresisFrames); !s.ok()) {
    return s;
  }
  if (!(c.min_effect >= 0.0 && c.min_effect < 1.0)) {
    return absl::InvalidArgumentError(
        absl::StrCat("min_effect = ", c.min_effect, " is outside the allowed range [0, 1)"));
  }
  return absl::OkStatus();
}

uint64_t WindowMemoryBytes(const DetectorConfig& config) {
  return kDetectorFixedBytes + kReferenceFrameBytes * config.reference_size +
         kWindowFrameBytes * config.window_size;
}

}  // namespace df::drift
