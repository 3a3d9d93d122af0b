#include "services/drift_monitor/server/frame_wire.h"

#include <grpcpp/impl/codegen/proto_utils.h>
#include <grpcpp/support/proto_buffer_reader.h>

#include <algorithm>

#include "services/drift_monitor/core/utf8.h"

namespace df::drift {
namespace {

PixelFormat PixelFormatFromWire(int32_t format) {
  switch (format) {
    case pb::PIXEL_FORMAT_BGR8:
      return PixelFormat::kBgr8;
    case pb::PIXEL_FORMAT_RGB8:
      return PixelFormat::kRgb8;
    case pb::PIXEL_FORMAT_GRAY8:
      return PixelFormat::kGray8;
    default:
      return PixelFormat::kUnspecified;
  }
}

ImageInput ImageInputFromWire(const wire::FrameWire& frame) {
  ImageInput in;
  switch (frame.image_case()) {
    case wire::FrameWire::kEncoded:
      in.kind = ImageInput::Kind::kEncoded;
      in.encoded = frame.encoded();
      break;
    case wire::FrameWire::kRaw: {
      const wire::RawImageWire& raw = frame.raw();
      in.kind = ImageInput::Kind::kRaw;
      in.format = PixelFormatFromWire(raw.format());
      in.width = raw.width();
      in.height = raw.height();
      in.stride_bytes = raw.stride_bytes();
      in.pixels = raw.pixels();
      break;
    }
    case wire::FrameWire::IMAGE_NOT_SET:
      break;
  }
  return in;
}

}  // namespace

bool ParseFrameWire(const grpc::ByteBuffer& buffer, wire::FrameWire* frame) {
  frame->Clear();
  // The reader walks gRPC's slices in place; ByteBuffer's methods are logically
  // const but not declared so.
  grpc::ProtoBufferReader reader(const_cast<grpc::ByteBuffer*>(&buffer));
  if (frame->ParseFromZeroCopyStream(&reader)) return true;
  frame->Clear();
  return false;
}

FrameInput FrameInputFromWire(const wire::FrameWire& frame) {
  FrameInput in;
  in.stream_id = frame.stream_id();
  in.labels.reserve(static_cast<size_t>(frame.labels_size()));
  for (const wire::LabelWire& label : frame.labels())
    in.labels.emplace_back(label.key(), label.value());
  // A key repeated keeps its last value, as protobuf's map does: sorted stably by
  // key, the last entry of each run of equal keys stays (O(n log n) for any count).
  std::stable_sort(in.labels.begin(), in.labels.end(),
                   [](const FrameLabel& a, const FrameLabel& b) { return a.first < b.first; });
  auto kept = in.labels.begin();
  for (auto it = in.labels.begin(); it != in.labels.end(); ++it) {
    if (std::next(it) != in.labels.end() && std::next(it)->first == it->first) continue;
    *kept++ = *it;
  }
  in.labels.erase(kept, in.labels.end());
  in.image = ImageInputFromWire(frame);
  if (frame.has_capture_time()) {
    in.capture_time = absl::FromUnixSeconds(frame.capture_time().seconds()) +
                      absl::Nanoseconds(frame.capture_time().nanos());
  }
  return in;
}

std::string_view ReportStreamId(const wire::FrameWire& frame) {
  return IsValidUtf8(frame.stream_id()) ? std::string_view(frame.stream_id()) : std::string_view();
}

Rejection MalformedFrameRejection() {
  return Rejection(FrameRejection::kMalformedFrame,
                   absl::InvalidArgumentError(
                       "the message is not a datafactory.drift.v1.Frame: its bytes do not parse"));
}

grpc::ByteBuffer SerializeReport(const pb::DriftReport& report) {
  grpc::ByteBuffer buffer;
  bool own_buffer = false;
  // Cannot fail for a message built in memory with valid UTF-8 text.
  (void)grpc::SerializationTraits<pb::DriftReport>::Serialize(report, &buffer, &own_buffer);
  return buffer;
}

}  // namespace df::drift
