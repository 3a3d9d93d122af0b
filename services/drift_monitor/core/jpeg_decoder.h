// JPEG decoding straight to BGR with libjpeg-turbo.
//
// cv::imdecode in OpenCV 4.6 asks libjpeg for RGB rows and swaps them to BGR in a
// scalar loop, which costs as much as the decoding itself for a 768x576 frame.
// libjpeg-turbo can write BGR rows directly (JCS_EXT_BGR); this decoder does that,
// with the same DCT method, upsampling and DCT scaling as OpenCV, so its pixels are
// identical to cv::imdecode's (jpeg_footage_test checks it on real footage).
// EXIF orientation is not applied: the drift features are global statistics, which
// rotation does not change.
//
// Usage:
//   absl::StatusOr<cv::Mat> bgr = DecodeJpegToBgr(bytes, /*scale=*/4);
//
// Failure behaviour: never throws, never aborts. Errors libjpeg raises, and the
// warnings that mean damaged image data (bad Huffman code, premature end of data,
// lost synchronisation), give INVALID_ARGUMENT naming libjpeg's message. CMYK/YCCK
// JPEGs give UNIMPLEMENTED (libjpeg cannot convert them to BGR; the caller falls
// back to OpenCV).
// Thread-safety: no shared state; safe from any thread.
#ifndef DATA_FACTORY_SERVICES_DRIFT_MONITOR_CORE_JPEG_DECODER_H_
#define DATA_FACTORY_SERVICES_DRIFT_MONITOR_CORE_JPEG_DECODER_H_

#include <opencv2/core.hpp>
#include <string_view>

#include "absl/status/statusor.h"

namespace df::drift {

// Decodes `jpeg` at 1/scale (scale 1, 2, 4 or 8) into a new 8-bit BGR Mat.
[[nodiscard]] absl::StatusOr<cv::Mat> DecodeJpegToBgr(std::string_view jpeg, int scale);

}  // namespace df::drift

#endif  // DATA_FACTORY_SERVICES_DRIFT_MONITOR_CORE_JPEG_DECODER_H_
