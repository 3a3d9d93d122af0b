#include "services/drift_monitor/server/drift_metrics.h"

namespace df::drift {
namespace {

using prometheus::BuildCounter;
using prometheus::BuildGauge;
using prometheus::BuildHistogram;

prometheus::Histogram::BucketBoundaries ProcessingBuckets() {
  return {0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0};
}

}  // namespace

DriftMetrics::DriftMetrics(prometheus::Registry& registry)
    : frames_(BuildCounter()
                  .Name("drift_monitor_frames_total")
                  .Help("Frames processed per stream")
                  .Register(registry)),
      frame_errors_(BuildCounter()
                        .Name("drift_monitor_frame_errors_total")
                        .Help("Frames rejected, by reason")
                        .Register(registry)),
      ks_statistic_(BuildGauge()
                        .Name("drift_monitor_ks_statistic")
                        .Help("Two-sample K-S statistic D, current window vs reference")
                        .Register(registry)),
      ks_pvalue_(BuildGauge()
                     .Name("drift_monitor_ks_pvalue")
                     .Help("K-S p-value (assumes i.i.d. frames; see the decision rule)")
                     .Register(registry)),
      effect_size_(BuildGauge()
                       .Name("drift_monitor_effect_size")
                       .Help("|mean(window) - mean(reference)| / |mean(reference)|")
                       .Register(registry)),
      drift_detected_(BuildGauge()
                          .Name("drift_monitor_drift_detected")
                          .Help("1 while the stream is in drift (after hysteresis)")
                          .Register(registry)),
      drift_events_(BuildCounter()
                        .Name("drift_monitor_drift_events_total")
                        .Help("Times drift was raised")
                        .Register(registry)),
      gains_(BuildGauge()
                 .Name("drift_monitor_white_balance_gain")
                 .Help("Grey-world white-balance gain of the latest frame")
                 .Register(registry)),
      hellinger_(BuildGauge()
                     .Name("drift_monitor_histogram_hellinger")
                     .Help("Hellinger distance of colour histograms, window vs reference")
                     .Register(registry)),
      causes_(BuildGauge()
                  .Name("drift_monitor_cause_detected")
                  .Help("1 while a nuisance cause is up: scene_change, night_mode, "
                        "illumination, image_quality (white balance: drift_detected)")
                  .Register(registry)),
      frames_excluded_(BuildCounter()
                           .Name("drift_monitor_frames_excluded_total")
                           .Help("Judged frames kept out of the white-balance windows, by reason")
                           .Register(registry)),
      uniformity_(BuildGauge()
                      .Name("drift_monitor_white_balance_uniformity")
                      .Help("Fraction of blocks agreeing with the frame's white-balance gain")
                      .Register(registry)),
      processing_seconds_(BuildHistogram()
                              .Name("drift_monitor_frame_processing_seconds")
                              .Help("Decode + features + detector time per frame")
                              .Register(registry)
                              .Add({}, ProcessingBuckets())),
      active_streams_(BuildGauge()
                          .Name("drift_monitor_active_streams")
                          .Help("Streams currently held in memory")
                          .Register(registry)
                          .Add({})),
      ingest_calls_(BuildGauge()
                        .Name("drift_monitor_ingest_calls")
                        .Help("Ingest calls open")
                        .Register(registry)
                        .Add({})),
      ingest_calls_refused_(BuildCounter()
                                .Name("drift_monitor_ingest_calls_refused_total")
                                .Help("Ingest calls refused: --max_ingest_calls were open")
                                .Register(registry)
                                .Add({})),
      ingest_calls_cancelled_(BuildCounter()
                                  .Name("drift_monitor_ingest_calls_cancelled_total")
                                  .Help("Ingest calls cancelled by the client or the network")
                                  .Register(registry)
                                  .Add({})),
      ingest_calls_idle_closed_(BuildCounter()
                                    .Name("drift_monitor_ingest_calls_idle_closed_total")
                                    .Help("Ingest calls closed after --ingest_idle_timeout "
                                          "without a frame")
                                    .Register(registry)
                                    .Add({})),
      bytes_in_flight_(BuildGauge()
                           .Name("drift_monitor_frame_bytes_in_flight")
                           .Help("Encoded frame bytes read whose report is not yet queued")
                           .Register(registry)
                           .Add({})),
      reads_paused_(BuildCounter()
                        .Name("drift_monitor_ingest_reads_paused_total")
                        .Help("Ingest reads held back: frame bytes in flight at "
                              "--max_in_flight_mib")
                        .Register(registry)
                        .Add({})) {}

DriftMetrics::StreamSeries& DriftMetrics::SeriesFor(const Stream& stream, const std::string& city) {
  auto it = streams_.find(stream.id);
  if (it != streams_.end()) {
    StreamSeries& s = it->second;
    if (s.generation != stream.generation) {
      // An older stream under this id: its series start over.
      RemoveSeries(s);
      streams_.erase(it);
    } else {
      if (s.city != city) {
        drift_detected_.Remove(s.drift_detected);
        s.drift_detected = &drift_detected_.Add({{"stream", stream.id}, {"city", city}});
        s.city = city;
      }
      return s;
    }
  }
  const std::string& id = stream.id;
  StreamSeries s;
  s.generation = stream.generation;
  s.city = city;
  s.frames = &frames_.Add({{"stream", id}});
  s.drift_events = &drift_events_.Add({{"stream", id}});
  s.drift_detected = &drift_detected_.Add({{"stream", id}, {"city", city}});
  s.hellinger = &hellinger_.Add({{"stream", id}});
  s.uniformity = &uniformity_.Add({{"stream", id}});
  for (size_t c = 0; c < kNuisanceCauses.size(); ++c) {
    s.causes[c] =
        &causes_.Add({{"stream", id}, {"cause", std::string(DriftCauseLabel(kNuisanceCauses[c]))}});
  }
  s.gains[0] = &gains_.Add({{"stream", id}, {"channel", "g_over_r"}});
  s.gains[1] = &gains_.Add({{"stream", id}, {"channel", "g_over_b"}});
  for (int f = 0; f < kNumScalarFeatures; ++f) {
    const std::string feature(kScalarFeatureNames[f]);
    s.ks_statistic[f] = &ks_statistic_.Add({{"stream", id}, {"feature", feature}});
    s.ks_pvalue[f] = &ks_pvalue_.Add({{"stream", id}, {"feature", feature}});
    s.effect_size[f] = &effect_size_.Add({{"stream", id}, {"feature", feature}});
  }
  return streams_.emplace(id, s).first->second;
}

void DriftMetrics::FrameProcessed(const Stream& stream, std::string_view city,
                                  const FrameVerdict& v, double processing_seconds) {
  processing_seconds_.Observe(processing_seconds);
  // Bounded: one city value per stream at a time, and only a valid identifier.
  const std::string city_label = ValidateStreamId(city).ok() ? std::string(city) : "";
  absl::MutexLock lock(&mu_);
  if (stream.expired) return;  // RemoveStream ran or is about to: no orphan series
  StreamSeries& s = SeriesFor(stream, city_label);
  s.frames->Increment();
  if (v.drift_started) s.drift_events->Increment();
  s.drift_detected->Set(v.drift ? 1.0 : 0.0);
  s.hellinger->Set(v.histogram_hellinger);
  s.uniformity->Set(v.wb_uniformity);
  for (size_t c = 0; c < kNuisanceCauses.size(); ++c) {
    s.causes[c]->Set(v.causes_active[static_cast<size_t>(kNuisanceCauses[c])] ? 1.0 : 0.0);
  }
  if (v.condition != FrameCondition::kNormal) {
    prometheus::Counter*& excluded = excluded_[static_cast<size_t>(v.condition)];
    if (excluded == nullptr) {
      excluded = &frames_excluded_.Add({{"reason", std::string(FrameConditionLabel(v.condition))}});
    }
    excluded->Increment();
  }
  s.gains[0]->Set(v.features[kGainGOverR].value);
  s.gains[1]->Set(v.features[kGainGOverB].value);
  for (int f = 0; f < kNumScalarFeatures; ++f) {
    s.ks_statistic[f]->Set(v.features[f].ks_statistic);
    s.ks_pvalue[f]->Set(v.features[f].ks_pvalue);
    s.effect_size[f]->Set(v.features[f].effect_size);
  }
}

void DriftMetrics::RecordFrame(const FrameOutcome& outcome) {
  if (!outcome.ok()) {
    FrameRejected(outcome.rejection().reason);
    return;
  }
  if (outcome->active_streams.has_value()) SetActiveStreams(*outcome->active_streams);
  FrameProcessed(*outcome->stream, outcome->city, outcome->verdict,
                 absl::ToDoubleSeconds(outcome->processing_time));
}

void DriftMetrics::FrameRejected(FrameRejection reason) {
  absl::MutexLock lock(&mu_);
  prometheus::Counter*& counter = errors_[static_cast<size_t>(reason)];
  if (counter == nullptr) {
    counter = &frame_errors_.Add({{"reason", std::string(FrameRejectionLabel(reason))}});
  }
  counter->Increment();
}

void DriftMetrics::RemoveStream(const Stream& stream) {
  absl::MutexLock lock(&mu_);
  auto it = streams_.find(stream.id);
  if (it == streams_.end() || it->second.generation != stream.generation) return;
  RemoveSeries(it->second);
  streams_.erase(it);
}

void DriftMetrics::RemoveSeries(const StreamSeries& s) {
  frames_.Remove(s.frames);
  drift_events_.Remove(s.drift_events);
  drift_detected_.Remove(s.drift_detected);
  hellinger_.Remove(s.hellinger);
  uniformity_.Remove(s.uniformity);
  for (auto* g : s.causes) causes_.Remove(g);
  for (auto* g : s.gains) gains_.Remove(g);
  for (int f = 0; f < kNumScalarFeatures; ++f) {
    ks_statistic_.Remove(s.ks_statistic[f]);
    ks_pvalue_.Remove(s.ks_pvalue[f]);
    effect_size_.Remove(s.effect_size[f]);
  }
}

void DriftMetrics::SetActiveStreams(size_t count) {
  active_streams_.Set(static_cast<double>(count));
}

}  // namespace df::drift
