#include "services/drift_monitor/core/frame_validation.h"

#include "absl/strings/str_cat.h"
#include "services/drift_monitor/core/utf8.h"

namespace df::drift {
namespace {

// Sides > 0 and within `limits`.
absl::Status CheckDimensions(uint64_t width, uint64_t height, const ImageLimits& limits,
                             FrameRejection* reason) {
  if (width == 0 || height == 0) {
    *reason = FrameRejection::kBadDimensions;
    return absl::InvalidArgumentError(
        absl::StrCat("image width and height must be > 0, got ", width, "x", height));
  }
  if (width > limits.max_side_pixels || height > limits.max_side_pixels ||
      width * height > limits.max_pixels) {
    *reason = FrameRejection::kImageTooLarge;
    return absl::ResourceExhaustedError(
        absl::StrCat("image of ", width, "x", height, " exceeds the limit (each side <= ",
                     limits.max_side_pixels, ", width*height <= ", limits.max_pixels, ")"));
  }
  return absl::OkStatus();
}

RejectionOr<CheckedImage> CheckEncoded(std::string_view bytes, const ImageLimits& limits) {
  if (bytes.empty()) {
    return Rejection(FrameRejection::kEmptyImage,
                     absl::InvalidArgumentError("image is empty (0 bytes)"));
  }
  if (!SniffCodec(bytes).has_value()) {
    return Rejection(
        FrameRejection::kUnknownEncoding,
        absl::InvalidArgumentError(
            "unknown image encoding: encoded bytes must be JPEG or PNG (use raw for pixels)"));
  }
  absl::StatusOr<ImageHeader> header = ReadImageHeader(bytes);
  if (!header.ok()) return Rejection(FrameRejection::kCorruptImage, header.status());
  FrameRejection reason;
  if (absl::Status s = CheckDimensions(header->width, header->height, limits, &reason); !s.ok()) {
    return Rejection(reason, std::move(s));
  }
  if (header->codec == ImageHeader::Codec::kJpeg && !HasJpegEnd(bytes)) {
    return Rejection(FrameRejection::kCorruptImage,
                     absl::InvalidArgumentError("JPEG is truncated: no end-of-image marker"));
  }
  CheckedImage out;
  out.kind = ImageInput::Kind::kEncoded;
  out.codec = header->codec;
  out.width = header->width;
  out.height = header->height;
  return out;
}

RejectionOr<CheckedImage> CheckRaw(const ImageInput& in, const ImageLimits& limits) {
  int channels = 0;
  switch (in.format) {
    case PixelFormat::kBgr8:
    case PixelFormat::kRgb8:
      channels = 3;
      break;
    case PixelFormat::kGray8:
      channels = 1;
      break;
    case PixelFormat::kUnspecified:
      return Rejection(FrameRejection::kUnknownEncoding,
                       absl::InvalidArgumentError("raw.format must be BGR8, RGB8 or GRAY8"));
  }
  FrameRejection reason;
  if (absl::Status s = CheckDimensions(in.width, in.height, limits, &reason); !s.ok()) {
    return Rejection(reason, std::move(s));
  }
  const uint64_t row_bytes = uint64_t{in.width} * channels;
  const uint64_t stride = in.stride_bytes == 0 ? row_bytes : in.stride_bytes;
  if (stride < row_bytes) {
    return Rejection(FrameRejection::kSizeMismatch,
                     absl::InvalidArgumentError(absl::StrCat(
                         "raw.stride_bytes ", stride, " is below width*channels = ", row_bytes)));
  }
  const uint64_t expected = stride * in.height;
  if (in.pixels.size() != expected) {
    return Rejection(
        FrameRejection::kSizeMismatch,
        absl::InvalidArgumentError(absl::StrCat("raw.pixels has ", in.pixels.size(),
                                                " bytes; height*stride_bytes = ", expected)));
  }
  CheckedImage out;
  out.kind = ImageInput::Kind::kRaw;
  out.width = in.width;
  out.height = in.height;
  out.channels = channels;
  out.stride_bytes = stride;
  return out;
}

}  // namespace

absl::Status ValidateStreamId(std::string_view id) {
  if (id.empty() || id.size() > kMaxStreamIdLength) {
    return absl::InvalidArgumentError(
        absl::StrCat("stream_id must be 1..", kMaxStreamIdLength, " characters, got ", id.size()));
  }
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-' || c == '.';
    if (!ok) {
      return absl::InvalidArgumentError(
          "stream_id may contain only letters, digits, '_', '-' and '.'");
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<StreamId> StreamId::Parse(std::string_view id) {
  if (absl::Status s = ValidateStreamId(id); !s.ok()) return s;
  return StreamId(std::string(id));
}

absl::Status ValidateLabels(std::span<const FrameLabel> labels) {
  if (labels.size() > kMaxFrameLabels) {
    return absl::InvalidArgumentError(
        absl::StrCat("labels: at most ", kMaxFrameLabels, " allowed, got ", labels.size()));
  }
  for (const auto& [k, v] : labels) {
    if (k.empty() || k.size() > kMaxLabelBytes || v.size() > kMaxLabelBytes) {
      return absl::InvalidArgumentError(absl::StrCat("labels: keys must be 1..", kMaxLabelBytes,
                                                     " bytes and values <= ", kMaxLabelBytes));
    }
    // A key that is not text cannot be named in the message either.
    if (!IsValidUtf8(k)) return absl::InvalidArgumentError("labels: a key is not UTF-8 text");
    if (!IsValidUtf8(v)) {
      return absl::InvalidArgumentError(
          absl::StrCat("labels: the value of \"", std::string(k), "\" is not UTF-8 text"));
    }
  }
  return absl::OkStatus();
}

RejectionOr<CheckedImage> CheckImage(const ImageInput& image, const ImageLimits& limits) {
  switch (image.kind) {
    case ImageInput::Kind::kEncoded:
      return CheckEncoded(image.encoded, limits);
    case ImageInput::Kind::kRaw:
      return CheckRaw(image, limits);
    case ImageInput::Kind::kNone:
      break;
  }
  return Rejection(FrameRejection::kEmptyImage,
                   absl::InvalidArgumentError("frame carries no image: set encoded or raw"));
}

RejectionOr<ValidFrame> ValidateFrame(const FrameInput& frame, const ImageLimits& limits) {
  absl::StatusOr<StreamId> id = StreamId::Parse(frame.stream_id);
  if (!id.ok()) return Rejection(FrameRejection::kInvalidStreamId, id.status());
  if (absl::Status s = ValidateLabels(frame.labels); !s.ok()) {
    return Rejection(FrameRejection::kInvalidLabels, std::move(s));
  }
  RejectionOr<CheckedImage> image = CheckImage(frame.image, limits);
  if (!image.ok()) return image.rejection();
  return ValidFrame{*std::move(id), *std::move(image)};
}

}  // namespace df::drift
