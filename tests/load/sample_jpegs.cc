#include "tests/load/sample_jpegs.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "absl/strings/str_cat.h"
#include "clients/camera_feeder/frame_source.h"

namespace df::load {

absl::StatusOr<std::vector<std::string>> SampleJpegs(const std::string& video,
                                                     const SampleJpegOptions& options) {
  absl::StatusOr<std::unique_ptr<df::feeder::FrameSource>> source =
      df::feeder::FrameSource::OpenVideo(video);
  if (!source.ok()) return source.status();
  std::vector<std::string> jpegs;
  cv::Mat bgr;
  cv::Mat scaled;
  std::vector<uint8_t> encoded;
  for (int i = 0; static_cast<int>(jpegs.size()) < options.count && (*source)->Next(&bgr); ++i) {
    if (i % options.step != 0) continue;
    cv::resize(bgr, scaled, cv::Size(options.width, options.height), 0, 0, cv::INTER_AREA);
    cv::imencode(".jpg", scaled, encoded, {cv::IMWRITE_JPEG_QUALITY, options.quality});
    jpegs.emplace_back(encoded.begin(), encoded.end());
  }
  if (jpegs.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(video, " delivered no frame"));
  }
  return jpegs;
}

}  // namespace df::load
