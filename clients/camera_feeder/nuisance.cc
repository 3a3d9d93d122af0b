#include "clients/camera_feeder/nuisance.h"

#include <algorithm>
#include <opencv2/imgproc.hpp>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "clients/camera_feeder/white_balance.h"

namespace df::feeder {
namespace {

void WalkPasserBy(int64_t step, cv::Mat* bgr) {
  const int h = bgr->rows / 3, w = std::max(8, bgr->cols / 8);
  if (bgr->rows < 8 || bgr->cols < 16) return;
  cv::Mat patch;
  cv::flip((*bgr)(cv::Rect(0, bgr->rows - h, w, h)), patch, -1);  // content from the frame
  cv::Mat alpha(h, w, CV_32F, cv::Scalar(0));
  cv::ellipse(alpha, {w / 2, h / 2}, {w * 9 / 20, h * 9 / 20}, 0, 0, 360, cv::Scalar(1), -1);
  cv::GaussianBlur(alpha, alpha, {0, 0}, std::max(1.0, w / 20.0));
  const int x = static_cast<int>((bgr->cols + w) * step / kPasserFrames) - w;
  const int y = bgr->rows - h - bgr->rows / 20;
  for (int r = 0; r < h; ++r) {
    for (int c = std::max(0, -x); c < w && x + c < bgr->cols; ++c) {
      const float a = alpha.at<float>(r, c);
      cv::Vec3b& dst = bgr->at<cv::Vec3b>(y + r, x + c);
      const cv::Vec3b& src = patch.at<cv::Vec3b>(r, c);
      for (int ch = 0; ch < 3; ++ch) {
        dst[ch] = cv::saturate_cast<uint8_t>(a * static_cast<float>(src[ch]) +
                                             (1 - a) * static_cast<float>(dst[ch]));
      }
    }
  }
}

}  // namespace

absl::StatusOr<std::vector<int64_t>> ParseFrameList(std::string_view text) {
  std::vector<int64_t> out;
  for (absl::string_view part : absl::StrSplit(std::string(text), ',', absl::SkipEmpty())) {
    int64_t v = 0;
    if (!absl::SimpleAtoi(part, &v) || v < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("'", std::string(part), "' is not a frame index >= 0"));
    }
    out.push_back(v);
  }
  return out;
}

void ApplyNuisances(const NuisancePlan& plan, int64_t frame_index, cv::Mat* bgr) {
  if (plan.exposure_at >= 0 && frame_index >= plan.exposure_at && plan.exposure_gain != 1.0) {
    const double g = plan.exposure_gain;
    ApplyChannelGains({g, g, g}, GainSpace::kLinear, bgr);
  }
  if (plan.passer_at >= 0 && frame_index >= plan.passer_at &&
      frame_index < plan.passer_at + kPasserFrames) {
    WalkPasserBy(frame_index - plan.passer_at, bgr);
  }
  if (std::find(plan.corrupt_at.begin(), plan.corrupt_at.end(), frame_index) !=
      plan.corrupt_at.end()) {
    const int band = std::max(16, bgr->rows / 4) / 16 * 16;
    const int top = (bgr->rows / 2) / 16 * 16;
    (*bgr)(cv::Rect(0, top, bgr->cols, std::min(band, bgr->rows - top)))
        .setTo(cv::Scalar(0, 135, 0));
  }
}

}  // namespace df::feeder
