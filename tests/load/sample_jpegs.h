// The camera load's frames: a few frames of a real video, scaled to a doorbell
// camera's size and encoded once as JPEG, which the cameras then cycle through
// (camera c's n-th frame is frame (c + n) mod count, so cameras differ).
//
// Usage:
//   absl::StatusOr<std::vector<std::string>> jpegs =
//       SampleJpegs(".cache/sample-data/vtest.avi", {.count = 32});
//
// Thread-safety: a free function. Failure: NOT_FOUND / INVALID_ARGUMENT from opening
// the video (df::feeder::FrameSource), FAILED_PRECONDITION when it has no frame.
#ifndef DATA_FACTORY_TESTS_LOAD_SAMPLE_JPEGS_H_
#define DATA_FACTORY_TESTS_LOAD_SAMPLE_JPEGS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace df::load {

struct SampleJpegOptions {
  int count = 32;   // frames kept
  int step = 24;    // every step-th frame of the video (24 at 25 fps: about 1 s apart)
  int width = 640;  // pixels
  int height = 480;
  int quality = 90;  // JPEG quality
};

[[nodiscard]] absl::StatusOr<std::vector<std::string>> SampleJpegs(
    const std::string& video, const SampleJpegOptions& options);

}  // namespace df::load

#endif  // DATA_FACTORY_TESTS_LOAD_SAMPLE_JPEGS_H_
