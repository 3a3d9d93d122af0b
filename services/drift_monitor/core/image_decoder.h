// Image decoding for incoming frames.
//
// Turns a frame's image (encoded JPEG/PNG bytes, or raw BGR8/RGB8/GRAY8 pixels with
// width, height and stride) into an 8-bit BGR cv::Mat. The image is checked first
// (CheckImage in frame_validation.h: header and geometry, before any pixel is
// allocated); DecodeCheckedImage is the decoding alone, for an image that passed.
// JPEG goes through libjpeg-turbo straight to BGR (jpeg_decoder.h), CMYK JPEGs and
// PNG through OpenCV; damaged image data is an error, not grey pixels.
//
// Usage:
//   RejectionOr<cv::Mat> bgr = DecodeImage(image, DecodeOptions{});
//   if (!bgr.ok()) { count(bgr.rejection().reason); report(bgr.status()); }
//
// Failure behaviour: never throws, never aborts; every failure is a Rejection
// (reasons as for CheckImage; kCorruptImage or kImageTooLarge from the decoders)
// whose status (INVALID_ARGUMENT or RESOURCE_EXHAUSTED) names the problem.
// Thread-safety: free functions without shared state; safe from any thread.
#ifndef DATA_FACTORY_SERVICES_DRIFT_MONITOR_CORE_IMAGE_DECODER_H_
#define DATA_FACTORY_SERVICES_DRIFT_MONITOR_CORE_IMAGE_DECODER_H_

#include <opencv2/core.hpp>

#include "services/drift_monitor/core/frame_input.h"
#include "services/drift_monitor/core/frame_rejection.h"
#include "services/drift_monitor/core/frame_validation.h"

namespace df::drift {

struct DecodeOptions {
  // JPEG only: decode at 1/scale (1, 2, 4 or 8) through libjpeg's DCT scaling. On
  // vtest.avi the white-balance gains move by <= 0.11 % at 1/4 and <= 0.12 % at
  // 1/8 against full scale (detector_calibration_test prints the figures).
  int jpeg_scale = 1;
  ImageLimits limits;
};

// The cv::imdecode flag that decodes colour at 1/jpeg_scale (1, 2, 4 or 8; any
// other value gives full scale).
int ImreadColorFlag(int jpeg_scale);

// CheckImage(input, options.limits), then DecodeCheckedImage. The returned Mat may
// share memory with `input.pixels` (raw BGR8): keep the input alive while using it.
[[nodiscard]] RejectionOr<cv::Mat> DecodeImage(const ImageInput& input,
                                               const DecodeOptions& options);

// Decodes `input`, which CheckImage accepted as `checked`, at 1/jpeg_scale (JPEG).
// The same sharing of raw BGR8 pixels as DecodeImage.
[[nodiscard]] RejectionOr<cv::Mat> DecodeCheckedImage(const ImageInput& input,
                                                      const CheckedImage& checked, int jpeg_scale);

}  // namespace df::drift

#endif  // DATA_FACTORY_SERVICES_DRIFT_MONITOR_CORE_IMAGE_DECODER_H_
