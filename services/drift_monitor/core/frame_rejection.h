// Why a frame is refused, and results that carry that reason with their status.
//
// Every refusal of the frame pipeline has one FrameRejection. Its label
// (FrameRejectionLabel) is what a client sees in FrameError.reason and what the
// drift_monitor_frame_errors_total{reason=...} counter is split by, so the label
// strings are part of the API and never change. A Rejection pairs the reason with
// a status whose message names the problem; RejectionOr<T> is a T or a Rejection,
// the way absl::StatusOr<T> is a T or a status.
//
// Usage:
//   RejectionOr<cv::Mat> bgr = DecodeImage(image, options);
//   if (!bgr.ok()) {
//     count(FrameRejectionLabel(bgr.rejection().reason));
//     return bgr.status();
//   }
//   use(*bgr);
//
// Thread-safety: value types and a pure function. Failure: a Rejection's status is
// never OK (asserted); value() of a rejected RejectionOr is a programming error
// (asserted).
#ifndef DATA_FACTORY_SERVICES_DRIFT_MONITOR_CORE_FRAME_REJECTION_H_
#define DATA_FACTORY_SERVICES_DRIFT_MONITOR_CORE_FRAME_REJECTION_H_

#include <cassert>
#include <iosfwd>
#include <string_view>
#include <utility>
#include <variant>

#include "absl/status/status.h"

namespace df::drift {

enum class FrameRejection {
  kInvalidStreamId,  // stream_id outside [A-Za-z0-9_.-]{1,64}
  kInvalidLabels,    // too many labels, or a key or value of a bad length
  kEmptyImage,       // no image, or 0 encoded bytes
  kUnknownEncoding,  // neither JPEG nor PNG, or raw pixels of no known format
  kCorruptImage,     // a damaged header or image data
  kImageTooLarge,    // dimensions above the decoder's limits
  kBadDimensions,    // a width or height of 0
  kSizeMismatch,     // raw pixels that do not fill height * stride bytes
  kTooManyStreams,   // a new stream while the registry is full
  kMalformedFrame,   // bytes that are not a Frame message at all
};
inline constexpr int kNumFrameRejections = static_cast<int>(FrameRejection::kMalformedFrame) + 1;

// The reason's label: "invalid_stream_id", "invalid_labels", "empty_image",
// "unknown_encoding", "corrupt_image", "image_too_large", "bad_dimensions",
// "size_mismatch", "too_many_streams" or "malformed_frame".
std::string_view FrameRejectionLabel(FrameRejection reason);
// Writes the label (for test failure messages and logs).
std::ostream& operator<<(std::ostream& out, FrameRejection reason);

// A refused frame: why, and a status (never OK) whose message names the problem.
struct Rejection {
  Rejection(FrameRejection rejection_reason, absl::Status rejection_status)
      : reason(rejection_reason), status(std::move(rejection_status)) {
    assert(!status.ok());
  }
  FrameRejection reason;
  absl::Status status;
};

// A T, or the Rejection that prevented it.
template <typename T>
class [[nodiscard]] RejectionOr {
 public:
  RejectionOr(T value) : value_(std::move(value)) {}                  // NOLINT: implicit
  RejectionOr(Rejection rejection) : value_(std::move(rejection)) {}  // NOLINT: implicit

  bool ok() const { return std::holds_alternative<T>(value_); }
  // OK, or the rejection's status.
  absl::Status status() const { return ok() ? absl::OkStatus() : rejection().status; }
  // Requires !ok().
  const Rejection& rejection() const {
    assert(!ok());
    return std::get<Rejection>(value_);
  }

  // Require ok().
  const T& value() const& {
    assert(ok());
    return std::get<T>(value_);
  }
  T& value() & {
    assert(ok());
    return std::get<T>(value_);
  }
  T&& value() && {
    assert(ok());
    return std::get<T>(std::move(value_));
  }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

 private:
  std::variant<Rejection, T> value_;
};

}  // namespace df::drift

#endif  // DATA_FACTORY_SERVICES_DRIFT_MONITOR_CORE_FRAME_REJECTION_H_
