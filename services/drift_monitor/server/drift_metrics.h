// DriftMetrics: the drift monitor's Prometheus metrics (listed below).
//
// The metrics layer of the server: the frame pipeline returns outcomes and the
// server records them here (RecordFrame). Families are built once; each stream's series are created
// on its first frame and their references cached, so the per-frame path only sets values
// (prometheus-cpp's Family::Add is slow). Expired streams' series are removed,
// keeping label cardinality bounded by the stream cap: a frame of a stream already
// marked `expired` (checked under the same lock that removes the series) is not
// recorded, so it cannot re-create orphan series. A stream keeps one
// drift_detected series, labelled with its latest city: when the city changes the
// old series is removed.
//
//   drift_monitor_frames_total{stream}
//   drift_monitor_frame_errors_total{reason}        reason: FrameRejectionLabel
//   drift_monitor_ks_statistic{stream,feature}, drift_monitor_ks_pvalue{stream,feature}
//   drift_monitor_effect_size{stream,feature}       relative change of the mean
//   drift_monitor_drift_detected{stream,city}       0/1 white-balance drift (city from labels)
//   drift_monitor_cause_detected{stream,cause}      0/1 per nuisance cause: scene_change,
//                                                   night_mode, illumination, image_quality
//   drift_monitor_frames_excluded_total{reason}     judged frames kept out of the
//                                                   white-balance windows, by condition
//   drift_monitor_white_balance_uniformity{stream}  blocks agreeing with the frame's gain
//   drift_monitor_drift_events_total{stream}
//   drift_monitor_white_balance_gain{stream,channel}   channel: g_over_r, g_over_b
//   drift_monitor_histogram_hellinger{stream}       colour histogram distance, 0..1
//   drift_monitor_frame_processing_seconds          histogram
//   drift_monitor_active_streams
//   drift_monitor_ingest_calls                      Ingest calls open
//   drift_monitor_ingest_calls_refused_total        refused at --max_ingest_calls
//   drift_monitor_ingest_calls_cancelled_total      ended by the client or network
//   drift_monitor_ingest_calls_idle_closed_total    closed at --ingest_idle_timeout
//   drift_monitor_frame_bytes_in_flight             read, report not yet queued
//   drift_monitor_ingest_reads_paused_total         reads held back by the byte budget
//
// Thread-safety: all methods are thread-safe. Failure: none (no I/O here; the
// HTTP exposer lives in main.cc).
#ifndef DATA_FACTORY_SERVICES_DRIFT_MONITOR_SERVER_DRIFT_METRICS_H_
#define DATA_FACTORY_SERVICES_DRIFT_MONITOR_SERVER_DRIFT_METRICS_H_

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <array>
#include <memory>
#include <string>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "services/drift_monitor/core/frame_pipeline.h"
#include "services/drift_monitor/core/frame_rejection.h"
#include "services/drift_monitor/core/image_features.h"
#include "services/drift_monitor/core/stream_detector.h"
#include "services/drift_monitor/core/stream_registry.h"

namespace df::drift {

class DriftMetrics {
 public:
  explicit DriftMetrics(prometheus::Registry& registry);
  DriftMetrics(const DriftMetrics&) = delete;
  DriftMetrics& operator=(const DriftMetrics&) = delete;

  // One frame through the pipeline: FrameRejected, or SetActiveStreams (when the
  // frame created its stream) and FrameProcessed.
  void RecordFrame(const FrameOutcome& outcome);
  // `city`: the stream's city label ("" if unknown; an invalid one counts as "").
  // Nothing per stream is recorded once `stream.expired` is set.
  void FrameProcessed(const Stream& stream, std::string_view city, const FrameVerdict& verdict,
                      double processing_seconds);
  void FrameRejected(FrameRejection reason);
  // Removes the series of `stream` (an expired one); series of a newer stream
  // under the same id are kept.
  void RemoveStream(const Stream& stream);
  void SetActiveStreams(size_t count);

  // Ingest admission and back-pressure (see IngestBudget).
  void IngestCallStarted() { ingest_calls_.Increment(); }
  void IngestCallEnded() { ingest_calls_.Decrement(); }
  void IngestCallRefused() { ingest_calls_refused_.Increment(); }
  void IngestCallCancelled() { ingest_calls_cancelled_.Increment(); }
  void IngestCallIdleClosed() { ingest_calls_idle_closed_.Increment(); }
  void FrameBytesRead(int64_t bytes) { bytes_in_flight_.Increment(static_cast<double>(bytes)); }
  void FrameBytesReleased(int64_t bytes) { bytes_in_flight_.Decrement(static_cast<double>(bytes)); }
  void IngestReadPaused() { reads_paused_.Increment(); }

 private:
  struct StreamSeries {
    uint64_t generation;
    std::string city;
    prometheus::Counter* frames;
    prometheus::Counter* drift_events;
    prometheus::Gauge* drift_detected;
    prometheus::Gauge* hellinger;
    prometheus::Gauge* uniformity;
    std::array<prometheus::Gauge*, kNuisanceCauses.size()> causes;
    std::array<prometheus::Gauge*, 2> gains;
    std::array<prometheus::Gauge*, kNumScalarFeatures> ks_statistic;
    std::array<prometheus::Gauge*, kNumScalarFeatures> ks_pvalue;
    std::array<prometheus::Gauge*, kNumScalarFeatures> effect_size;
  };
  StreamSeries& SeriesFor(const Stream& stream, const std::string& city)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void RemoveSeries(const StreamSeries& s) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  prometheus::Family<prometheus::Counter>& frames_;
  prometheus::Family<prometheus::Counter>& frame_errors_;
  prometheus::Family<prometheus::Gauge>& ks_statistic_;
  prometheus::Family<prometheus::Gauge>& ks_pvalue_;
  prometheus::Family<prometheus::Gauge>& effect_size_;
  prometheus::Family<prometheus::Gauge>& drift_detected_;
  prometheus::Family<prometheus::Counter>& drift_events_;
  prometheus::Family<prometheus::Gauge>& gains_;
  prometheus::Family<prometheus::Gauge>& hellinger_;
  prometheus::Family<prometheus::Gauge>& causes_;
  prometheus::Family<prometheus::Counter>& frames_excluded_;
  prometheus::Family<prometheus::Gauge>& uniformity_;
  prometheus::Histogram& processing_seconds_;
  prometheus::Gauge& active_streams_;
  prometheus::Gauge& ingest_calls_;
  prometheus::Counter& ingest_calls_refused_;
  prometheus::Counter& ingest_calls_cancelled_;
  prometheus::Counter& ingest_calls_idle_closed_;
  prometheus::Gauge& bytes_in_flight_;
  prometheus::Counter& reads_paused_;

  absl::Mutex mu_;
  absl::flat_hash_map<std::string, StreamSeries> streams_ ABSL_GUARDED_BY(mu_);
  // Created on a reason's first frame, so only reasons that happened are exported.
  std::array<prometheus::Counter*, kNumFrameRejections> errors_ ABSL_GUARDED_BY(mu_) = {};
  std::array<prometheus::Counter*, kNumFrameConditions> excluded_ ABSL_GUARDED_BY(mu_) = {};
};

}  // namespace df::drift

#endif  // DATA_FACTORY_SERVICES_DRIFT_MONITOR_SERVER_DRIFT_METRICS_H_
