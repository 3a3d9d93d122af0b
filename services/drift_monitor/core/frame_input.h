// FrameInput: one incoming camera frame as the core sees it — views, no copies.
//
// The server fills it from the wire message (stream id, free labels, the image as
// encoded JPEG/PNG bytes or raw pixels with their geometry, the capture time) and
// keeps that message alive while the FrameInput is in use: every string_view here
// points into it, the pixel bytes included. Nothing is validated yet; that is the
// frame pipeline's first stage (frame_validation.h).
//
// Usage:
//   FrameInput in;
//   in.stream_id = message.stream_id();
//   in.image.kind = ImageInput::Kind::kEncoded;
//   in.image.encoded = message.jpeg();
//   ExtractedFrame extracted = pipeline.Extract(in);
//
// Thread-safety: plain views; as safe as the bytes they point at. Failure: none.
#ifndef DATA_FACTORY_SERVICES_DRIFT_MONITOR_CORE_FRAME_INPUT_H_
#define DATA_FACTORY_SERVICES_DRIFT_MONITOR_CORE_FRAME_INPUT_H_

#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/time/time.h"

namespace df::drift {

enum class PixelFormat { kUnspecified, kBgr8, kRgb8, kGray8 };

// A frame's image: encoded bytes or raw pixels (not owned).
struct ImageInput {
  enum class Kind { kNone, kEncoded, kRaw };
  Kind kind = Kind::kNone;
  std::string_view encoded;  // Kind::kEncoded: JPEG or PNG bytes
  // Kind::kRaw:
  PixelFormat format = PixelFormat::kUnspecified;
  uint32_t width = 0;         // pixels
  uint32_t height = 0;        // pixels
  uint32_t stride_bytes = 0;  // bytes per row; 0 means width * channels
  std::string_view pixels;
};

// One free label of a frame (key, value), e.g. ("city", "lyon").
using FrameLabel = std::pair<std::string_view, std::string_view>;

struct FrameInput {
  std::string_view stream_id;
  std::vector<FrameLabel> labels;
  ImageInput image;
  std::optional<absl::Time> capture_time;  // empty: the frame's arrival counts
};

}  // namespace df::drift

#endif  // DATA_FACTORY_SERVICES_DRIFT_MONITOR_CORE_FRAME_INPUT_H_
