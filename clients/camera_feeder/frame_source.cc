#include "clients/camera_feeder/frame_source.h"

#include <algorithm>
#include <filesystem>
#include <opencv2/imgcodecs.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace df::feeder {

absl::StatusOr<std::unique_ptr<FrameSource>> FrameSource::OpenVideo(const std::string& path) {
  if (!std::filesystem::exists(path)) {
    return absl::NotFoundError(absl::StrCat("video file '", path, "' does not exist"));
  }
  std::unique_ptr<FrameSource> source(new FrameSource());
  if (!source->capture_.open(path)) {
    return absl::InvalidArgumentError(absl::StrCat("cannot open '", path, "' as a video"));
  }
  source->video_path_ = path;
  source->description_ = absl::StrCat("video ", path);
  return source;
}

absl::StatusOr<std::unique_ptr<FrameSource>> FrameSource::OpenImages(const std::string& folder) {
  std::error_code ec;
  if (!std::filesystem::is_directory(folder, ec)) {
    return absl::NotFoundError(absl::StrCat("image folder '", folder, "' does not exist"));
  }
  std::unique_ptr<FrameSource> source(new FrameSource());
  for (const auto& entry : std::filesystem::directory_iterator(folder, ec)) {
    const std::string ext = absl::AsciiStrToLower(entry.path().extension().string());
    if (ext == ".jpg" || ext == ".jpeg" || ext == ".png") {
      source->images_.push_back(entry.path().string());
    }
  }
  if (source->images_.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("image folder '", folder, "' has no .jpg, .jpeg or .png files"));
  }
  std::sort(source->images_.begin(), source->images_.end());
  source->description_ = absl::StrCat(source->images_.size(), " images in ", folder);
  return source;
}

absl::StatusOr<std::unique_ptr<FrameSource>> FrameSource::OpenCamera(int device) {
  std::unique_ptr<FrameSource> source(new FrameSource());
  if (!source->capture_.open(device)) {
    return absl::UnavailableError(absl::StrCat("cannot open camera device ", device));
  }
  source->is_camera_ = true;
  source->description_ = absl::StrCat("camera ", device);
  return source;
}

bool FrameSource::Next(cv::Mat* bgr) {
  if (!images_.empty()) {
    while (next_image_ < images_.size()) {
      *bgr = cv::imread(images_[next_image_++], cv::IMREAD_COLOR);
      if (!bgr->empty()) return true;
    }
    return false;
  }
  return capture_.read(*bgr) && !bgr->empty();
}

bool FrameSource::Rewind() {
  if (is_camera_) return false;
  if (!images_.empty()) {
    next_image_ = 0;
    return true;
  }
  capture_.release();
  return capture_.open(video_path_);
}

absl::StatusOr<std::vector<cv::Mat>> ReadAllFrames(const std::string& video_path,
                                                   size_t max_frames) {
  absl::StatusOr<std::unique_ptr<FrameSource>> source = FrameSource::OpenVideo(video_path);
  if (!source.ok()) return source.status();
  std::vector<cv::Mat> frames;
  cv::Mat bgr;
  while (frames.size() < max_frames && (*source)->Next(&bgr)) frames.push_back(bgr.clone());
  if (frames.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("video '", video_path, "' has no frames"));
  }
  return frames;
}

}  // namespace df::feeder
