#include "services/drift_monitor/server/proto_convert.h"

#include "absl/strings/str_cat.h"
#include "services/stats/multiple_testing.h"

namespace df::drift {

pb::DriftReport ToReport(std::string_view stream_id, uint64_t sequence,
                         const FrameOutcome& outcome) {
  pb::DriftReport report;
  report.set_stream_id(std::string(stream_id));
  report.set_sequence(sequence);
  if (!outcome.ok()) {
    const Rejection& rejection = outcome.rejection();
    pb::FrameError* error = report.mutable_error();
    error->set_reason(std::string(FrameRejectionLabel(rejection.reason)));
    error->set_code(static_cast<int32_t>(rejection.status.code()));
    error->set_message(std::string(rejection.status.message()));
    return report;
  }
  const FrameVerdict& verdict = outcome->verdict;
  report.set_frames_seen(verdict.frames_seen);
  report.set_drift(verdict.drift);
  report.set_drift_started(verdict.drift_started);
  FillFeatures(verdict, report.mutable_features());
  report.set_histogram_hellinger(verdict.histogram_hellinger);
  report.set_cause(std::string(DriftCauseLabel(verdict.cause)));
  report.set_frame_condition(std::string(FrameConditionLabel(verdict.condition)));
  FillActiveCauses(verdict, report.mutable_active_causes());
  report.set_wb_uniformity(verdict.wb_uniformity);
  report.set_changed_fraction(verdict.changed_fraction);
  return report;
}

absl::StatusOr<DetectorConfig> ApplyConfig(const DetectorConfig& base, const pb::StreamConfig& u) {
  DetectorConfig c = base;
  if (u.has_reference_size()) c.reference_size = u.reference_size();
  if (u.has_window_size()) c.window_size = u.window_size();
  if (u.has_alpha()) c.alpha = u.alpha();
  if (u.has_correction()) {
    absl::StatusOr<df::stats::Correction> correction = df::stats::ParseCorrection(u.correction());
    if (!correction.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "correction = '", u.correction(), "' is not one of \"none\", \"bonferroni\", \"bh\""));
    }
    c.correction = *correction;
  }
  if (u.has_raise_after()) c.raise_after = u.raise_after();
  if (u.has_clear_after()) c.clear_after = u.clear_after();
  if (u.has_min_effect()) c.min_effect = u.min_effect();
  if (absl::Status s = ValidateDetectorConfig(c); !s.ok()) return s;
  return c;
}

void ToProto(const DetectorConfig& c, pb::StreamConfig* out) {
  out->set_reference_size(c.reference_size);
  out->set_window_size(c.window_size);
  out->set_alpha(c.alpha);
  out->set_correction(std::string(df::stats::CorrectionName(c.correction)));
  out->set_raise_after(c.raise_after);
  out->set_clear_after(c.clear_after);
  out->set_min_effect(c.min_effect);
}

void FillFeatures(const FrameVerdict& v,
                  google::protobuf::RepeatedPtrField<pb::FeatureState>* out) {
  out->Clear();
  for (int f = 0; f < kNumScalarFeatures; ++f) {
    const FeatureVerdict& fv = v.features[f];
    pb::FeatureState* s = out->Add();
    s->set_name(std::string(kScalarFeatureNames[f]));
    s->set_value(fv.value);
    s->set_ks_statistic(fv.ks_statistic);
    s->set_ks_pvalue(fv.ks_pvalue);
    s->set_effect_size(fv.effect_size);
    s->set_decisive(fv.decisive);
    s->set_rejected(fv.rejected);
  }
}

void FillActiveCauses(const FrameVerdict& v, google::protobuf::RepeatedPtrField<std::string>* out) {
  out->Clear();
  for (int c = 1; c < kNumDriftCauses; ++c) {
    if (v.causes_active[static_cast<size_t>(c)]) out->Add(std::string(kDriftCauseLabels[c]));
  }
}

void FillStreamState(const Stream& stream, pb::StreamState* out) {
  const StreamDetector& d = *stream.detector;
  const FrameVerdict& v = d.last();
  out->set_stream_id(stream.id);
  ToProto(d.config(), out->mutable_config());
  out->set_frames_seen(v.frames_seen);
  out->set_reference_count(v.reference_count);
  out->set_window_count(v.window_count);
  out->set_drift(v.drift);
  out->set_drift_events(d.drift_events());
  FillFeatures(v, out->mutable_features());
  out->set_histogram_hellinger(v.histogram_hellinger);
  out->set_cause(std::string(DriftCauseLabel(v.cause)));
  out->set_frame_condition(std::string(FrameConditionLabel(v.condition)));
  FillActiveCauses(v, out->mutable_active_causes());
  for (const auto& [k, val] : stream.labels) (*out->mutable_labels())[k] = val;
  if (stream.last_frame_time != absl::InfinitePast()) {
    const int64_t ns = absl::ToUnixNanos(stream.last_frame_time);
    out->mutable_last_frame_time()->set_seconds(ns / 1'000'000'000);
    out->mutable_last_frame_time()->set_nanos(static_cast<int32_t>(ns % 1'000'000'000));
  }
}

}  // namespace df::drift
