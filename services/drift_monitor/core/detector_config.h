// Configuration of one stream's drift detector, its defaults and its validation.
//
// The decision rule (see stream_detector.h) has these knobs: reference and window
// sizes (frames), the K-S significance level alpha, the multiple-testing correction
// across the decisive features, the effect-size floor, and hysteresis. The defaults
// below are drift-monitor's (its flags default to the same values).
//
// Usage:
//   DetectorConfig config;
//   config.window_size = 100;
//   if (absl::Status s = ValidateDetectorConfig(config); !s.ok()) return s;
//   StreamDetector detector(config);
//
// Thread-safety: plain value type. Failure: ValidateDetectorConfig returns
// InvalidArgument naming the bad field and its allowed range.
#ifndef DATA_FACTORY_SERVICES_DRIFT_MONITOR_CORE_DETECTOR_CONFIG_H_
#define DATA_FACTORY_SERVICES_DRIFT_MONITOR_CORE_DETECTOR_CONFIG_H_

#include <cstdint>

#include "absl/status/status.h"
#include "services/stats/multiple_testing.h"

namespace df::drift {

inline constexpr uint32_t kMinWindowFrames = 10;
inline constexpr uint32_t kMaxWindowFrames = 100'000;
inline constexpr uint32_t kMaxHysteresisFrames = 10'000;
// Heap a detector holds per reference frame and per window frame (features, block
// statistics, K-S order statistics), and once: measured by
// DetectorMemoryTest.WindowMemoryBytesBoundsWhatAFullDetectorHolds, rounded up.
inline constexpr uint64_t kReferenceFrameBytes = 2'176;
inline constexpr uint64_t kWindowFrameBytes = 1'280;
inline constexpr uint64_t kDetectorFixedBytes = 16 << 10;

struct DetectorConfig {
  uint32_t reference_size = 200;  // frames
  uint32_t window_size = 50;      // frames
  double alpha = 0.01;
  df::stats::Correction correction = df::stats::Correction::kBonferroni;
  uint32_t raise_after = 5;   // consecutive rejecting frames before drift is raised
  uint32_t clear_after = 25;  // consecutive accepting frames before drift is cleared
  // Relative change of the window mean of a decisive feature (the linear-light
  // gains wb_gain_r, wb_gain_b) against the reference mean, next to the K-S
  // rejection. Set from the expected run length between false alarms on the tuning
  // part of the evaluation corpus (tests/drift_monitor/eval/calibrate.py, figures in
  // docs/drift.md): the floor giving 100,000 frames, rounded up to a quarter percent.
  double min_effect = 0.0225;
};

[[nodiscard]] absl::Status ValidateDetectorConfig(const DetectorConfig& config);
// Heap bytes a detector of `config` holds once its windows are full (an upper
// estimate; the registry budgets streams by it).
uint64_t WindowMemoryBytes(const DetectorConfig& config);

}  // namespace df::drift

#endif  // DATA_FACTORY_SERVICES_DRIFT_MONITOR_CORE_DETECTOR_CONFIG_H_
