#include "services/drift_monitor/core/frame_rejection.h"

#include <ostream>

namespace df::drift {

std::string_view FrameRejectionLabel(FrameRejection reason) {
  switch (reason) {
    case FrameRejection::kInvalidStreamId:
      return "invalid_stream_id";
    case FrameRejection::kInvalidLabels:
      return "invalid_labels";
    case FrameRejection::kEmptyImage:
      return "empty_image";
    case FrameRejection::kUnknownEncoding:
      return "unknown_encoding";
    case FrameRejection::kCorruptImage:
      return "corrupt_image";
    case FrameRejection::kImageTooLarge:
      return "image_too_large";
    case FrameRejection::kBadDimensions:
      return "bad_dimensions";
    case FrameRejection::kSizeMismatch:
      return "size_mismatch";
    case FrameRejection::kTooManyStreams:
      return "too_many_streams";
    case FrameRejection::kMalformedFrame:
      return "malformed_frame";
  }
  return "unknown";  // not reached: every enumerator is handled above (-Wswitch)
}

std::ostream& operator<<(std::ostream& out, FrameRejection reason) {
  return out << FrameRejectionLabel(reason);
}

}  // namespace df::drift
