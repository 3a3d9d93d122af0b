// libFuzzer target: one Ingest message as the drift monitor reads it off the wire
// (ParseFrameWire, FrameInputFromWire), then the cost estimate and the pipeline's
// parallel stage (validation, decoding, features), then the report a refused frame
// gets.
//
// Input: the bytes of one message, as a client in any language may send them.
// Checks: nothing crashes or leaks (ASan, UBSan); the report of a refused frame
// always serialises to a DriftReport that parses back (no text that is not UTF-8
// ever reaches a string field), with the frame's sequence.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "services/drift_monitor/server/frame_wire.h"
#include "services/drift_monitor/server/proto_convert.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static df::drift::StreamRegistry registry{df::drift::RegistryOptions{}};
  static const df::drift::FramePipeline pipeline(registry, {});

  grpc::Slice slice(data, size);
  const grpc::ByteBuffer buffer(&slice, 1);
  df::drift::wire::FrameWire frame;
  const bool parsed = df::drift::ParseFrameWire(buffer, &frame);
  df::drift::FrameOutcome outcome = df::drift::MalformedFrameRejection();
  if (parsed) {
    const df::drift::FrameInput input = df::drift::FrameInputFromWire(frame);
    (void)pipeline.DecodedPixels(input);
    df::drift::ExtractedFrame extracted = pipeline.Extract(input);
    if (extracted.features.ok()) return 0;  // applying would grow the registry across inputs
    outcome = extracted.features.rejection();
  }
  const df::drift::pb::DriftReport report =
      df::drift::ToReport(df::drift::ReportStreamId(frame), frame.sequence(), outcome);
  df::drift::pb::DriftReport back;
  if (!back.ParseFromString(report.SerializeAsString()) || back.sequence() != frame.sequence() ||
      !back.has_error()) {
    std::abort();
  }
  return 0;
}
