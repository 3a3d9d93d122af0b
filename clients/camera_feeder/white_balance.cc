#include "clients/camera_feeder/white_balance.h"

#include <algorithm>
#include <cmath>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace df::feeder {

absl::StatusOr<ChannelGains> ParseChannelGains(std::string_view text) {
  const std::vector<std::string> parts = absl::StrSplit(std::string(text), ',');
  double v[3];
  if (parts.size() != 3) {
    return absl::InvalidArgumentError(
        absl::StrCat("wb_gains '", std::string(text), "' must be three numbers R,G,B"));
  }
  for (int i = 0; i < 3; ++i) {
    if (!absl::SimpleAtod(parts[i], &v[i]) || !(v[i] > 0.0 && v[i] <= 10.0)) {
      return absl::InvalidArgumentError(
          absl::StrCat("wb_gains: '", parts[i], "' is not a gain in (0, 10]"));
    }
  }
  return ChannelGains{v[0], v[1], v[2]};
}

absl::StatusOr<GainSpace> ParseGainSpace(std::string_view text) {
  if (text == "linear") return GainSpace::kLinear;
  if (text == "pixel") return GainSpace::kPixel;
  return absl::InvalidArgumentError(
      absl::StrCat("wb_space '", std::string(text), "' must be linear or pixel"));
}

void ApplyChannelGains(const ChannelGains& gains, cv::Mat* bgr) {
  cv::multiply(*bgr, cv::Scalar(gains.b, gains.g, gains.r), *bgr);  // saturating
}

void ApplyChannelGains(const ChannelGains& gains, GainSpace space, cv::Mat* bgr) {
  if (space == GainSpace::kPixel) {
    ApplyChannelGains(gains, bgr);
    return;
  }
  // Per channel, a table from 8-bit level to 8-bit level: linearise, multiply, encode.
  const double channel_gain[3] = {gains.b, gains.g, gains.r};
  cv::Mat table(1, 256, CV_8UC3);
  for (int v = 0; v < 256; ++v) {
    const double c = v / 255.0;
    const double linear = c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
    for (int ch = 0; ch < 3; ++ch) {
      const double l = std::min(1.0, linear * channel_gain[ch]);
      const double e = l <= 0.0031308 ? 12.92 * l : 1.055 * std::pow(l, 1 / 2.4) - 0.055;
      table.at<cv::Vec3b>(0, v)[ch] = cv::saturate_cast<uint8_t>(std::lround(255 * e));
    }
  }
  cv::LUT(*bgr, table, *bgr);
}

}  // namespace df::feeder
