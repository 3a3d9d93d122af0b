#include "services/drift_monitor/core/image_decoder.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "services/drift_monitor/core/jpeg_decoder.h"

namespace df::drift {
namespace {

uint32_t Be16(std::string_view s, size_t at) {
  return (static_cast<uint32_t>(static_cast<uint8_t>(s[at])) << 8) |
         static_cast<uint8_t>(s[at + 1]);
}
uint32_t Be32(std::string_view s, size_t at) { return (Be16(s, at) << 16) | Be16(s, at + 2); }

bool IsJpeg(std::string_view s) {
  return s.size() >= 3 && static_cast<uint8_t>(s[0]) == 0xFF &&
         static_cast<uint8_t>(s[1]) == 0xD8 && static_cast<uint8_t>(s[2]) == 0xFF;
}
constexpr std::string_view kPngSignature("\x89PNG\r\n\x1a\n", 8);
bool IsPng(std::string_view s) { return s.substr(0, 8) == kPngSignature; }

bool IsStartOfFrame(uint8_t marker) {
  // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC).
  return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
}

absl::StatusOr<ImageHeader> ReadJpegHeader(std::string_view s) {
  size_t at = 2;
  while (at + 4 <= s.size()) {
    if (static_cast<uint8_t>(s[at]) != 0xFF) {
      return absl::InvalidArgumentError(absl::StrCat("JPEG: no marker at byte ", at));
    }
    const uint8_t marker = static_cast<uint8_t>(s[at + 1]);
    if (marker == 0xFF) {  // fill byte
      ++at;
      continue;
    }
    if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {  // no length
      at += 2;
      continue;
    }
    if (marker == 0xD9 || marker == 0xDA) break;  // EOI / SOS before any SOF
    const uint32_t length = Be16(s, at + 2);
    if (length < 2) return absl::InvalidArgumentError("JPEG: segment length < 2");
    if (IsStartOfFrame(marker)) {
      if (at + 9 > s.size()) break;
      return ImageHeader{ImageHeader::Codec::kJpeg, Be16(s, at + 7), Be16(s, at + 5)};
    }
    at += 2 + length;
  }
  return absl::InvalidArgumentError("JPEG: truncated before the frame header (SOF)");
}

absl::StatusOr<ImageHeader> ReadPngHeader(std::string_view s) {
  // signature(8) + length(4) + "IHDR"(4) + width(4) + height(4)
  if (s.size() < 24 || s.substr(12, 4) != "IHDR") {
    return absl::InvalidArgumentError("PNG: missing or truncated IHDR header");
  }
  return ImageHeader{ImageHeader::Codec::kPng, Be32(s, 16), Be32(s, 20)};
}

bool HasJpegEnd(std::string_view s) {
  // EOI (FF D9) at the end, tolerating a little trailing padding.
  const size_t from = s.size() > 64 ? s.size() - 64 : 0;
  return s.substr(from).find("\xFF\xD9") != std::string_view::npos;
}

absl::Status CheckDimensions(uint64_t width, uint64_t height, const DecodeOptions& options,
                             std::string* reason) {
  if (width == 0 || height == 0) {
    *reason = kReasonBadDimensions;
    return absl::InvalidArgumentError(
        absl::StrCat("image width and height must be > 0, got ", width, "x", height));
  }
  if (width > options.max_side_pixels || height > options.max_side_pixels ||
      width * height > options.max_pixels) {
    *reason = kReasonImageTooLarge;
    return absl::ResourceExhaustedError(
        absl::StrCat("image of ", width, "x", height, " exceeds the limit (each side <= ",
                     options.max_side_pixels, ", width*height <= ", options.max_pixels, ")"));
  }
  return absl::OkStatus();
}

absl::StatusOr<cv::Mat> DecodeEncoded(std::string_view bytes, const DecodeOptions& options,
                                      std::string* reason) {
  if (bytes.empty()) {
    *reason = kReasonEmptyImage;
    return absl::InvalidArgumentError("image is empty (0 bytes)");
  }
  if (!IsJpeg(bytes) && !IsPng(bytes)) {
    *reason = kReasonUnknownEncoding;
    return absl::InvalidArgumentError(
        "unknown image encoding: encoded bytes must be JPEG or PNG (use raw for pixels)");
  }
  absl::StatusOr<ImageHeader> header = ReadImageHeader(bytes);
  if (!header.ok()) {
    *reason = kReasonCorruptImage;
    return header.status();
  }
  if (absl::Status s = CheckDimensions(header->width, header->height, options, reason); !s.ok()) {
    return s;
  }
  const bool jpeg = header->codec == ImageHeader::Codec::kJpeg;
  if (jpeg && !HasJpegEnd(bytes)) {
    *reason = kReasonCorruptImage;
    return absl::InvalidArgumentError("JPEG is truncated: no end-of-image marker");
  }
  if (jpeg) {
    // DecodeJpegToBgr refuses damaged data itself.
    absl::StatusOr<cv::Mat> bgr = DecodeJpegToBgr(bytes, options.jpeg_scale);
    if (bgr.ok()) return bgr;
    if (bgr.status().code() != absl::StatusCode::kUnimplemented) {
      *reason = bgr.status().code() == absl::StatusCode::kResourceExhausted ? kReasonImageTooLarge
                                                                            : kReasonCorruptImage;
      return bgr.status();
    }
    // CMYK/YCCK: OpenCV converts those, below.
  }
  const cv::Mat buffer(1, static_cast<int>(bytes.size()), CV_8UC1, const_cast<char*>(bytes.data()));
  cv::Mat bgr;
  try {  // OpenCV reports some codec failures by exception; keep them inside.
    bgr = cv::imdecode(buffer, jpeg ? ImreadColorFlag(options.jpeg_scale) : cv::IMREAD_COLOR);
  } catch (const cv::Exception& e) {
    bgr.release();
  }
  if (bgr.empty()) {
    *reason = kReasonCorruptImage;
    return absl::InvalidArgumentError(
        absl::StrCat(jpeg ? "JPEG" : "PNG", " data is corrupt: the decoder rejected it"));
  }
  return bgr;
}

absl::StatusOr<cv::Mat> DecodeRaw(const ImageInput& in, const DecodeOptions& options,
                                  std::string* reason) {
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
      *reason = kReasonUnknownEncoding;
      return absl::InvalidArgumentError("raw.format must be BGR8, RGB8 or GRAY8");
  }
  if (absl::Status s = CheckDimensions(in.width, in.height, options, reason); !s.ok()) return s;
  const uint64_t row_bytes = uint64_t{in.width} * channels;
  const uint64_t stride = in.stride_bytes == 0 ? row_bytes : in.stride_bytes;
  if (stride < row_bytes) {
    *reason = kReasonSizeMismatch;
    return absl::InvalidArgumentError(
        absl::StrCat("raw.stride_bytes ", stride, " is below width*channels = ", row_bytes));
  }
  const uint64_t expected = stride * in.height;
  if (in.pixels.size() != expected) {
    *reason = kReasonSizeMismatch;
    return absl::InvalidArgumentError(absl::StrCat("raw.pixels has ", in.pixels.size(),
                                                   " bytes; height*stride_bytes = ", expected));
  }
  const cv::Mat view(static_cast<int>(in.height), static_cast<int>(in.width),
                     channels == 3 ? CV_8UC3 : CV_8UC1, const_cast<char*>(in.pixels.data()),
                     static_cast<size_t>(stride));
  if (in.format == PixelFormat::kBgr8) return view;
  cv::Mat bgr;
  cv::cvtColor(view, bgr, in.format == PixelFormat::kRgb8 ? cv::COLOR_RGB2BGR : cv::COLOR_GRAY2BGR);
  return bgr;
}

}  // namespace

int ImreadColorFlag(int jpeg_scale) {
  switch (jpeg_scale) {
    case 2:
      return cv::IMREAD_REDUCED_COLOR_2;
    case 4:
      return cv::IMREAD_REDUCED_COLOR_4;
    case 8:
      return cv::IMREAD_REDUCED_COLOR_8;
    default:
      return cv::IMREAD_COLOR;
  }
}

absl::StatusOr<ImageHeader> ReadImageHeader(std::string_view encoded) {
  if (IsJpeg(encoded)) return ReadJpegHeader(encoded);
  if (IsPng(encoded)) return ReadPngHeader(encoded);
  return absl::InvalidArgumentError("not a JPEG or PNG image");
}

absl::StatusOr<cv::Mat> DecodeImage(const ImageInput& input, const DecodeOptions& options,
                                    std::string* reason) {
  std::string ignored;
  if (reason == nullptr) reason = &ignored;
  switch (input.kind) {
    case ImageInput::Kind::kEncoded:
      return DecodeEncoded(input.encoded, options, reason);
    case ImageInput::Kind::kRaw:
      return DecodeRaw(input, options, reason);
    case ImageInput::Kind::kNone:
      break;
  }
  *reason = kReasonEmptyImage;
  return absl::InvalidArgumentError("frame carries no image: set encoded or raw");
}

}  // namespace df::drift
