// Conversions between the drift API's protobuf messages and the core types.
//
// (Ingest's frames are read as FrameWire, frame_wire.h.)
//
// Thread-safety: pure functions. Failure: ApplyConfig returns InvalidArgument naming
// the bad field and its allowed range.
#ifndef DATA_FACTORY_SERVICES_DRIFT_MONITOR_SERVER_PROTO_CONVERT_H_
#define DATA_FACTORY_SERVICES_DRIFT_MONITOR_SERVER_PROTO_CONVERT_H_

#include <cstdint>
#include <string_view>

#include "absl/status/statusor.h"
#include "datafactory/drift/v1/drift_monitor.pb.h"
#include "services/drift_monitor/core/detector_config.h"
#include "services/drift_monitor/core/frame_pipeline.h"
#include "services/drift_monitor/core/stream_detector.h"
#include "services/drift_monitor/core/stream_registry.h"

namespace df::drift {

namespace pb = ::datafactory::drift::v1;

// The report answering the frame `sequence` of `stream_id` (UTF-8 text): its
// verdict, or `error` naming the rejection.
pb::DriftReport ToReport(std::string_view stream_id, uint64_t sequence,
                         const FrameOutcome& outcome);

// `base` with the fields set in `update` replaced; validated.
[[nodiscard]] absl::StatusOr<DetectorConfig> ApplyConfig(const DetectorConfig& base,
                                                         const pb::StreamConfig& update);
void ToProto(const DetectorConfig& config, pb::StreamConfig* out);
void FillFeatures(const FrameVerdict& verdict,
                  google::protobuf::RepeatedPtrField<pb::FeatureState>* out);
// The causes up in `verdict` (white_balance included), as API labels.
void FillActiveCauses(const FrameVerdict& verdict,
                      google::protobuf::RepeatedPtrField<std::string>* out);
// Caller holds stream.mu.
void FillStreamState(const Stream& stream, pb::StreamState* out)
    ABSL_EXCLUSIVE_LOCKS_REQUIRED(stream.mu);

}  // namespace df::drift

#endif  // DATA_FACTORY_SERVICES_DRIFT_MONITOR_SERVER_PROTO_CONVERT_H_
