#include "services/drift_monitor/core/image_decoder.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "services/drift_monitor/core/jpeg_decoder.h"

namespace df::drift {
namespace {

RejectionOr<cv::Mat> DecodeEncoded(std::string_view bytes, ImageHeader::Codec codec,
                                   int jpeg_scale) {
  const bool jpeg = codec == ImageHeader::Codec::kJpeg;
  if (jpeg) {
    // DecodeJpegToBgr refuses damaged data itself.
    absl::StatusOr<cv::Mat> bgr = DecodeJpegToBgr(bytes, jpeg_scale);
    if (bgr.ok()) return *std::move(bgr);
    if (bgr.status().code() != absl::StatusCode::kUnimplemented) {
      return Rejection(bgr.status().code() == absl::StatusCode::kResourceExhausted
                           ? FrameRejection::kImageTooLarge
                           : FrameRejection::kCorruptImage,
                       bgr.status());
    }
    // CMYK/YCCK: OpenCV converts those, below.
  }
  const cv::Mat buffer(1, static_cast<int>(bytes.size()), CV_8UC1, const_cast<char*>(bytes.data()));
  cv::Mat bgr;
  try {  // OpenCV reports some codec failures by exception; keep them inside.
    bgr = cv::imdecode(buffer, jpeg ? ImreadColorFlag(jpeg_scale) : cv::IMREAD_COLOR);
  } catch (const cv::Exception& e) {
    bgr.release();
  }
  if (bgr.empty()) {
    return Rejection(FrameRejection::kCorruptImage,
                     absl::InvalidArgumentError(absl::StrCat(
                         jpeg ? "JPEG" : "PNG", " data is corrupt: the decoder rejected it")));
  }
  return bgr;
}

cv::Mat DecodeRaw(const ImageInput& in, const CheckedImage& checked) {
  cv::Mat view(static_cast<int>(checked.height), static_cast<int>(checked.width),
               checked.channels == 3 ? CV_8UC3 : CV_8UC1, const_cast<char*>(in.pixels.data()),
               static_cast<size_t>(checked.stride_bytes));
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

RejectionOr<cv::Mat> DecodeImage(const ImageInput& input, const DecodeOptions& options) {
  RejectionOr<CheckedImage> checked = CheckImage(input, options.limits);
  if (!checked.ok()) return checked.rejection();
  return DecodeCheckedImage(input, *checked, options.jpeg_scale);
}

RejectionOr<cv::Mat> DecodeCheckedImage(const ImageInput& input, const CheckedImage& checked,
                                        int jpeg_scale) {
  if (checked.kind == ImageInput::Kind::kRaw) return DecodeRaw(input, checked);
  return DecodeEncoded(input.encoded, checked.codec, jpeg_scale);
}

}  // namespace df::drift
