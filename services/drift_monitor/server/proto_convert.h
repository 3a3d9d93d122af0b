// Conversions between the drift API's protobuf messages and the core types.
//
// Thread-safety: pure functions. Failure: ApplyConfig returns InvalidArgument naming
// the bad field and its allowed range; FrameInputFromProto never fails (the frame
// pipeline validates the frame).
#ifndef DATA_FACTORY_SERVICES_DRIFT_MONITOR_SERVER_PROTO_CONVERT_H_
#define DATA_FACTORY_SERVICES_DRIFT_MONITOR_SERVER_PROTO_CONVERT_H_

#include "absl/status/statusor.h"
#include "datafactory/drift/v1/drift_monitor.pb.h"
#include "services/drift_monitor/core/detector_config.h"
#include "services/drift_monitor/core/frame_input.h"
#include "services/drift_monitor/core/frame_pipeline.h"
#include "services/drift_monitor/core/stream_detector.h"
#include "services/drift_monitor/core/stream_registry.h"

namespace df::drift {

namespace pb = ::datafactory::drift::v1;

// A view of `frame` (no bytes copied); `frame` must outlive the result.
FrameInput FrameInputFromProto(const pb::Frame& frame);
// The report answering `frame`: its verdict, or `error` naming the rejection.
pb::DriftReport ToReport(const pb::Frame& frame, const FrameOutcome& outcome);

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
