// FrameWire: Ingest's frames as the server reads them, straight from gRPC's bytes.
//
// Ingest is registered as a raw method (grpc::ByteBuffer in and out), so a frame
// that protobuf would refuse as a whole (a stream id or label that is not UTF-8,
// or bytes that are no Frame at all) reaches the service and is answered with a
// per-frame error instead of ending the call (frame_wire.proto says why).
//
// Usage (in the Ingest reactor):
//   auto frame = std::make_shared<wire::FrameWire>();
//   if (!ParseFrameWire(buffer, frame.get())) { answer MalformedFrameRejection(); }
//   FrameInput input = FrameInputFromWire(*frame);  // views into *frame
//   ... pipeline ...
//   grpc::ByteBuffer reply = SerializeReport(ToReport(ReportStreamId(*frame),
//                                                     frame->sequence(), outcome));
//
// Thread-safety: pure functions. Failure: ParseFrameWire returns false for bytes
// that are not a Frame; nothing else fails (the frame pipeline validates the frame).
#ifndef DATA_FACTORY_SERVICES_DRIFT_MONITOR_SERVER_FRAME_WIRE_H_
#define DATA_FACTORY_SERVICES_DRIFT_MONITOR_SERVER_FRAME_WIRE_H_

#include <grpcpp/support/byte_buffer.h>

#include <string_view>

#include "datafactory/drift/v1/drift_monitor.pb.h"
#include "services/drift_monitor/core/frame_input.h"
#include "services/drift_monitor/core/frame_pipeline.h"
#include "services/drift_monitor/server/frame_wire.pb.h"

namespace df::drift {

namespace pb = ::datafactory::drift::v1;
namespace wire = ::datafactory::drift::wire;

// Parses `buffer` into `frame` (cleared first). False if the bytes are not a Frame.
[[nodiscard]] bool ParseFrameWire(const grpc::ByteBuffer& buffer, wire::FrameWire* frame);
// A view of `frame` (no bytes copied); `frame` must outlive the result. Labels
// repeated under one key keep the last value, as protobuf's map does.
FrameInput FrameInputFromWire(const wire::FrameWire& frame);
// The stream id to echo in the frame's report: the frame's, or "" when it is not
// UTF-8 (the report's `stream_id` is a proto3 string; the error says what was wrong).
std::string_view ReportStreamId(const wire::FrameWire& frame);
// Why a message whose bytes were not a Frame is refused (kMalformedFrame).
Rejection MalformedFrameRejection();
// `report` as the bytes of one reply message.
grpc::ByteBuffer SerializeReport(const pb::DriftReport& report);

}  // namespace df::drift

#endif  // DATA_FACTORY_SERVICES_DRIFT_MONITOR_SERVER_FRAME_WIRE_H_
