// Simulated firmware white-balance change: per-channel gains applied to a frame.
//
// A camera applies its white-balance gains in linear light, before the sRGB transfer
// curve: GainSpace::kLinear does that (each 8-bit level is linearised, multiplied,
// and encoded again; a 5 % linear gain moves mid-tones by about 2.2 %). kPixel
// multiplies the 8-bit values themselves, which roughly doubles the visible change
// and flatters a detector (the lab's feeders did this before --wb_space existed).
//
// Usage:
//   absl::StatusOr<ChannelGains> gains = ParseChannelGains("1.05,1,1");  // R,G,B
//   ApplyChannelGains(*gains, GainSpace::kLinear, &bgr);  // in place, saturating at 255
//
// Thread-safety: pure functions. Failure: ParseChannelGains returns InvalidArgument
// for anything but three numbers in (0, 10]; ParseGainSpace for anything but
// "linear" or "pixel".
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

enum class GainSpace { kLinear, kPixel };

[[nodiscard]] absl::StatusOr<ChannelGains> ParseChannelGains(std::string_view text);
[[nodiscard]] absl::StatusOr<GainSpace> ParseGainSpace(std::string_view text);
// Multiplies the 8-bit values (pixel space).
void ApplyChannelGains(const ChannelGains& gains, cv::Mat* bgr);
void ApplyChannelGains(const ChannelGains& gains, GainSpace space, cv::Mat* bgr);

}  // namespace df::feeder

#endif  // DATA_FACTORY_CLIENTS_CAMERA_FEEDER_WHITE_BALANCE_H_
