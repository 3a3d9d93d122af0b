// FrameSource: frames from a video file, an image folder or a camera device.
//
// Usage:
//   auto source = FrameSource::OpenVideo("vtest.avi");   // or OpenImages / OpenCamera
//   cv::Mat bgr;
//   while ((*source)->Next(&bgr)) { ... }
//   (*source)->Rewind();  // for looping (not for cameras)
//
// Thread-safety: one owner. Failure: Open* return NotFound / InvalidArgument /
// Unavailable with the path or device in the message; Next() returns false at the
// end of the input or on a read error.
#ifndef DATA_FACTORY_CLIENTS_CAMERA_FEEDER_FRAME_SOURCE_H_
#define DATA_FACTORY_CLIENTS_CAMERA_FEEDER_FRAME_SOURCE_H_

#include <limits>
#include <memory>
#include <opencv2/core.hpp>
#include <opencv2/videoio.hpp>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace df::feeder {

class FrameSource {
 public:
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<FrameSource>> OpenVideo(
      const std::string& path);
  // Every .jpg/.jpeg/.png in the folder, in name order.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<FrameSource>> OpenImages(
      const std::string& folder);
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<FrameSource>> OpenCamera(int device);

  bool Next(cv::Mat* bgr);
  // Back to the first frame; false for cameras.
  bool Rewind();
  std::string description() const { return description_; }

 private:
  FrameSource() = default;

  std::string description_;
  std::string video_path_;
  bool is_camera_ = false;
  cv::VideoCapture capture_;
  std::vector<std::string> images_;
  size_t next_image_ = 0;
};

// Reads all frames of a video, or its first `max_frames`, into memory (tests and benchmarks).
[[nodiscard]] absl::StatusOr<std::vector<cv::Mat>> ReadAllFrames(
    const std::string& video_path, size_t max_frames = std::numeric_limits<size_t>::max());

}  // namespace df::feeder

#endif  // DATA_FACTORY_CLIENTS_CAMERA_FEEDER_FRAME_SOURCE_H_
