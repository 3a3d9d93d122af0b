#include "clients/camera_feeder/white_balance.h"

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

void ApplyChannelGains(const ChannelGains& gains, cv::Mat* bgr) {
  cv::multiply(*bgr, cv::Scalar(gains.b, gains.g, gains.r), *bgr);  // saturating
}

}  // namespace df::feeder
