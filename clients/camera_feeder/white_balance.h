// Simulated firmware white-balance change: per-channel gains applied to a frame.
//
// Usage:
//   absl::StatusOr<ChannelGains> gains = ParseChannelGains("1.05,1,1");  // R,G,B
//   ApplyChannelGains(*gains, &bgr);  // in place, saturating at 255
//
// Thread-safety: pure functions. Failure: ParseChannelGains returns InvalidArgument
// for anything but three numbers in (0, 10].
#ifndef DATA_FACTORY_CLIENTS_CAMERA_FEEDER_WHITE_BALANCE_H_
#define DATA_FACTORY_CLIENTS_CAMERA_FEEDER_WHITE_BALANCE_H_

#include <opencv2/core.hpp>
#include <string_view>

#include "absl/status/statusor.h"

namespace df::feeder {

struct ChannelGains {
  double r = 1.0;
  double g = 1.0;
  double b = 1.0;
};

[[nodiscard]] absl::StatusOr<ChannelGains> ParseChannelGains(std::string_view text);
void ApplyChannelGains(const ChannelGains& gains, cv::Mat* bgr);

}  // namespace df::feeder

#endif  // DATA_FACTORY_CLIENTS_CAMERA_FEEDER_WHITE_BALANCE_H_
