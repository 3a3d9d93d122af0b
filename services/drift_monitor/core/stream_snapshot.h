// StreamSnapshot: the durable part of one camera stream, what survives a restart.
//
// A stream's detector changes durably only at a few moments: its reference is learnt
// (or relearnt after a scene change), pinned or reset, or its configuration is set.
// Between them only the rolling window, the hysteresis and the counters move, which
// the next frames rebuild. A snapshot holds the durable part: the configuration, the
// pin, the learnt reference (per block colour ratios, the K-S reference sample of
// every feature, the sums and histogram the effect size and the Hellinger distance
// are measured against) and the scene background the frames are judged against.
// A detector restored from a snapshot taken right after such a moment gives the
// same verdicts on the following frames as the detector it was taken from (the
// frame counter, and so the 10-frame cadence of the exported p-values, restarts at
// 0).
//
// Usage:
//   StreamSnapshot snapshot{stream.id, detector.Snapshot()};
//   std::string record = SerializeStreamStateRecord(snapshot);    // stream_state_record.h
//   absl::StatusOr<std::unique_ptr<StreamDetector>> back =
//       StreamDetector::Restore(snapshot.detector);
//
// Thread-safety: plain values. Failure: StreamDetector::Restore checks a snapshot
// (config ranges, sample sizes, finite values) and returns INVALID_ARGUMENT naming
// what is inconsistent.
#ifndef DATA_FACTORY_SERVICES_DRIFT_MONITOR_CORE_STREAM_SNAPSHOT_H_
#define DATA_FACTORY_SERVICES_DRIFT_MONITOR_CORE_STREAM_SNAPSHOT_H_

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "services/drift_monitor/core/block_stats.h"
#include "services/drift_monitor/core/detector_config.h"
#include "services/drift_monitor/core/image_features.h"
#include "services/drift_monitor/core/scene_model.h"

namespace df::drift {

// A learnt (or pinned) white-balance reference.
struct LearntReference {
  // Per block, the reference's log(R/G) and log(B/G) in linear light (NaN: the
  // block is not in the reference).
  std::array<float, kBlocks> log_rg{};
  std::array<float, kBlocks> log_bg{};
  // Per scalar feature, the K-S reference sample in ascending order; every
  // feature has one value per reference frame (the frames with a gain estimate).
  std::array<std::vector<double>, kNumScalarFeatures> samples;
  // Per scalar feature, the sum over the reference frames as the detector added
  // them (kept rather than recomputed, so effect sizes stay bit-identical).
  std::array<double, kNumScalarFeatures> sums{};
  std::array<double, kHistogramBins> histogram{};  // sum of the frames' histograms
  double uniformity = 0;                           // mean wb_uniformity of the frames
  uint32_t frames() const { return static_cast<uint32_t>(samples[0].size()); }
};

struct DetectorSnapshot {
  DetectorConfig config;
  // The reference is a pinned window (PinReference) rather than learnt.
  bool pinned = false;
  // Empty while the reference is being learnt.
  std::optional<LearntReference> reference;
  SceneMemory scene;
};

struct StreamSnapshot {
  std::string stream_id;
  DetectorSnapshot detector;
};

}  // namespace df::drift

#endif  // DATA_FACTORY_SERVICES_DRIFT_MONITOR_CORE_STREAM_SNAPSHOT_H_
