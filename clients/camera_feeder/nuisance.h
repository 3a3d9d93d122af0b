// Simulated nuisances for demos: what a doorbell camera sees that is *not* a
// white-balance change, so the drift monitor's causes can be shown.
//   exposure   from frame `exposure_at` on, every channel is multiplied by
//              `exposure_gain` in linear light (auto-exposure; 1.2 = +20 %)
//   passer-by  from frame `passer_at`, for 40 frames, a patch of the frame's own
//              content (real image content, not a flat rectangle: the lower band of
//              the frame, mirrored) with a feathered elliptical edge walks across
//   corrupt    at each frame of `corrupt_at`, a band of macroblock rows turns flat
//              green, as packet loss leaves a decoded frame
//
// Usage:
//   NuisancePlan plan;  plan.passer_at = 500;  plan.corrupt_at = {700};
//   ApplyNuisances(plan, frame_index, &bgr);  // in place
//
// Thread-safety: pure functions. Failure: ParseFrameList returns InvalidArgument for
// anything but comma-separated frame indices >= 0.
#ifndef DATA_FACTORY_CLIENTS_CAMERA_FEEDER_NUISANCE_H_
#define DATA_FACTORY_CLIENTS_CAMERA_FEEDER_NUISANCE_H_

#include <cstdint>
#include <opencv2/core.hpp>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace df::feeder {

inline constexpr int64_t kPasserFrames = 40;

struct NuisancePlan {
  int64_t exposure_at = -1;  // -1: never
  double exposure_gain = 1.0;
  int64_t passer_at = -1;  // -1: never
  std::vector<int64_t> corrupt_at;
};

[[nodiscard]] absl::StatusOr<std::vector<int64_t>> ParseFrameList(std::string_view text);
void ApplyNuisances(const NuisancePlan& plan, int64_t frame_index, cv::Mat* bgr);

}  // namespace df::feeder

#endif  // DATA_FACTORY_CLIENTS_CAMERA_FEEDER_NUISANCE_H_
