// wb-gain-spread: the frame-to-frame spread of white balance in real footage, measured
// with drift-monitor's features (wb_gain_spread.h), for factory-sim's figure catalogue.
//
//   wb-gain-spread vtest.avi tree.avi Megamind.avi
//
// Prints one line per clip and the pooled within-clip standard deviations; exit status 0,
// 1 when a clip cannot be read or has fewer than 2 measured frames, 2 on a usage error.
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_format.h"
#include "clients/camera_feeder/frame_source.h"
#include "services/common/command_line.h"
#include "services/factory_sim/calibration/wb_gain_spread.h"

ABSL_FLAG(double, min_luma, df::factory::calibration::kDefaultMinLuma,
          "frames whose luma (8-bit levels) is below this are left out");

namespace {

using df::factory::calibration::ClipSpread;
using df::factory::calibration::ClipSpreadAccumulator;

constexpr char kUsage[] =
    "the frame-to-frame spread of white balance in real footage, measured with "
    "drift-monitor's features.\n\n"
    "usage: wb-gain-spread [--min_luma 16] VIDEO...\n"
    "Per clip: frames measured and skipped (too dark), mean and sample standard deviation of\n"
    "ln(G/R) and ln(G/B) of the grey-world gains; then the pooled within-clip deviations.";

}  // namespace

int main(int argc, char** argv) {
  df::cli::CommandLineSpec spec;
  spec.program = "wb-gain-spread";
  spec.usage = kUsage;
  spec.help_folders = {"services/factory_sim/calibration/"};
  const std::vector<std::string> clips = df::cli::ParseCommandLineOrExit({argv, argv + argc}, spec);
  if (clips.empty()) return df::cli::UsageError("name at least one video");
  const double min_luma = absl::GetFlag(FLAGS_min_luma);
  std::vector<ClipSpread> spreads;
  for (const std::string& path : clips) {
    auto source = df::feeder::FrameSource::OpenVideo(path);
    if (!source.ok()) {
      std::fprintf(stderr, "wb-gain-spread: %s\n", source.status().ToString().c_str());
      return 1;
    }
    ClipSpreadAccumulator clip(path.substr(path.find_last_of('/') + 1), min_luma);
    cv::Mat bgr;
    while ((*source)->Next(&bgr)) {
      if (absl::Status added = clip.Add(bgr); !added.ok()) {
        std::fprintf(stderr, "wb-gain-spread: %s: %s\n", path.c_str(), added.ToString().c_str());
        return 1;
      }
    }
    const ClipSpread spread = clip.Result();
    if (spread.frames < 2) {
      std::fprintf(stderr, "wb-gain-spread: %s: fewer than 2 frames to measure\n", path.c_str());
      return 1;
    }
    std::printf(
        "clip=%s frames=%lld skipped=%lld mean_ln_g_over_r=%.5f sd_ln_g_over_r=%.5f "
        "mean_ln_g_over_b=%.5f sd_ln_g_over_b=%.5f\n",
        spread.clip.c_str(), static_cast<long long>(spread.frames),
        static_cast<long long>(spread.skipped), spread.mean_log_g_over_r, spread.sd_log_g_over_r,
        spread.mean_log_g_over_b, spread.sd_log_g_over_b);
    spreads.push_back(spread);
  }
  const auto pooled = df::factory::calibration::PoolClips(spreads);
  std::printf("pooled clips=%zu frames=%lld sd_ln_g_over_r=%.5f sd_ln_g_over_b=%.5f\n",
              spreads.size(), static_cast<long long>(pooled.frames), pooled.sd_log_g_over_r,
              pooled.sd_log_g_over_b);
  return 0;
}
