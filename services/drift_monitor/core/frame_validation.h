// Frame validation: everything checked about a frame before any costly work.
//
// The one place that decides whether a frame is acceptable, in this order:
//  * the stream id: [A-Za-z0-9_.-]{1,64} (it becomes a Prometheus label). A StreamId
//    can only be made by StreamId::Parse, so code holding one (the registry, the
//    pipeline's apply stage) never checks it again;
//  * the labels: at most kMaxFrameLabels, keys 1..kMaxLabelBytes bytes, values at
//    most kMaxLabelBytes, both UTF-8 text;
//  * the image, from its header or geometry alone: present, JPEG or PNG (encoded)
//    or BGR8/RGB8/GRAY8 (raw), a readable header, sides > 0 and within
//    ImageLimits, a JPEG end marker, raw pixels that fill height * stride bytes.
// Damage deeper in the image data is found by the decoder (image_decoder.h).
//
// Usage:
//   RejectionOr<ValidFrame> valid = ValidateFrame(frame, ImageLimits{});
//   if (!valid.ok()) return valid.rejection();
//   registry.GetOrCreate(valid->stream_id, now);
//
// Thread-safety: pure functions and value types; safe from any thread.
// Failure: never throws. Refusals are INVALID_ARGUMENT (RESOURCE_EXHAUSTED for an
// image above the limits) with a message naming the field and its allowed range;
// ValidateFrame and CheckImage attach the FrameRejection.
#ifndef DATA_FACTORY_SERVICES_DRIFT_MONITOR_CORE_FRAME_VALIDATION_H_
#define DATA_FACTORY_SERVICES_DRIFT_MONITOR_CORE_FRAME_VALIDATION_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "services/drift_monitor/core/frame_input.h"
#include "services/drift_monitor/core/frame_rejection.h"
#include "services/drift_monitor/core/image_header.h"

namespace df::drift {

inline constexpr size_t kMaxStreamIdLength = 64;
inline constexpr size_t kMaxFrameLabels = 16;
inline constexpr size_t kMaxLabelBytes = 128;

// OK if `id` matches [A-Za-z0-9_.-]{1,64}. Also the rule for other metric label
// values taken from clients (the city label).
[[nodiscard]] absl::Status ValidateStreamId(std::string_view id);

// A stream id that passed ValidateStreamId. A moved-from StreamId may only be
// assigned to or destroyed.
class StreamId {
 public:
  // InvalidArgument naming the rule when `id` breaks it.
  [[nodiscard]] static absl::StatusOr<StreamId> Parse(std::string_view id);

  const std::string& value() const { return id_; }
  friend bool operator==(const StreamId& a, const StreamId& b) = default;

 private:
  explicit StreamId(std::string id) : id_(std::move(id)) {}
  std::string id_;
};

[[nodiscard]] absl::Status ValidateLabels(std::span<const FrameLabel> labels);

struct ImageLimits {
  uint64_t max_pixels = 40'000'000;  // width * height
  uint32_t max_side_pixels = 16'384;
};

// What CheckImage learnt about an acceptable image.
struct CheckedImage {
  ImageInput::Kind kind = ImageInput::Kind::kNone;       // kEncoded or kRaw
  ImageHeader::Codec codec = ImageHeader::Codec::kJpeg;  // kEncoded only
  uint32_t width = 0;                                    // pixels
  uint32_t height = 0;                                   // pixels
  int channels = 0;                                      // kRaw only: 3 (BGR8, RGB8) or 1 (GRAY8)
  uint64_t stride_bytes = 0;                             // kRaw only: bytes per row
};

// The image checks above. Reasons: kEmptyImage, kUnknownEncoding, kCorruptImage,
// kBadDimensions, kImageTooLarge, kSizeMismatch.
[[nodiscard]] RejectionOr<CheckedImage> CheckImage(const ImageInput& image,
                                                   const ImageLimits& limits);

// A frame that passed every check: its stream id and what is known of its image.
struct ValidFrame {
  StreamId stream_id;
  CheckedImage image;
};

// Stream id (kInvalidStreamId), then labels (kInvalidLabels), then CheckImage.
[[nodiscard]] RejectionOr<ValidFrame> ValidateFrame(const FrameInput& frame,
                                                    const ImageLimits& limits);

}  // namespace df::drift

#endif  // DATA_FACTORY_SERVICES_DRIFT_MONITOR_CORE_FRAME_VALIDATION_H_
