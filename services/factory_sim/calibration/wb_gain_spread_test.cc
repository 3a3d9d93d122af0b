// wb-gain-spread's arithmetic on images of known colour, and its measurement of the sample
// video reproducing the figures factory-sim catalogues for it (model/figures.h).
#include "services/factory_sim/calibration/wb_gain_spread.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <string>
#include <vector>

#include "clients/camera_feeder/frame_source.h"
#include "services/factory_sim/model/figures.h"

namespace df::factory::calibration {
namespace {

cv::Mat Solid(double b, double g, double r) { return cv::Mat(8, 8, CV_8UC3, cv::Scalar(b, g, r)); }

TEST(WbGainSpreadTest, MeansAndSampleDeviationsOfTheLogGains) {
  ClipSpreadAccumulator clip("solid");
  ASSERT_TRUE(clip.Add(Solid(100, 100, 100)).ok());  // ln(G/R) = 0, ln(G/B) = 0
  ASSERT_TRUE(clip.Add(Solid(50, 100, 200)).ok());   // ln(G/R) = -ln 2, ln(G/B) = ln 2
  const ClipSpread s = clip.Result();
  EXPECT_EQ(s.frames, 2);
  EXPECT_EQ(s.skipped, 0);
  EXPECT_NEAR(s.mean_log_g_over_r, -std::log(2.0) / 2, 1e-12);
  EXPECT_NEAR(s.mean_log_g_over_b, std::log(2.0) / 2, 1e-12);
  // Two values a apart have a sample sd of a / sqrt(2).
  EXPECT_NEAR(s.sd_log_g_over_r, std::log(2.0) / std::sqrt(2.0), 1e-12);
  EXPECT_NEAR(s.sd_log_g_over_b, std::log(2.0) / std::sqrt(2.0), 1e-12);
}

TEST(WbGainSpreadTest, DarkFramesAreLeftOutAndBadFramesRefused) {
  ClipSpreadAccumulator clip("fade");
  ASSERT_TRUE(clip.Add(Solid(2, 3, 4)).ok());  // luma ~3.3 < 16
  ASSERT_TRUE(clip.Add(Solid(100, 100, 100)).ok());
  EXPECT_EQ(clip.Result().skipped, 1);
  EXPECT_EQ(clip.Result().frames, 1);
  EXPECT_EQ(clip.Result().sd_log_g_over_r, 0.0);  // one frame: no spread yet
  EXPECT_FALSE(clip.Add(cv::Mat()).ok());
}

TEST(WbGainSpreadTest, PoolingWeighsEachClipByItsDegreesOfFreedom) {
  const PooledSpread p =
      PoolClips({{.clip = "a", .frames = 11, .sd_log_g_over_r = 0.01, .sd_log_g_over_b = 0.02},
                 {.clip = "b", .frames = 31, .sd_log_g_over_r = 0.03, .sd_log_g_over_b = 0.0},
                 {.clip = "too short", .frames = 1, .sd_log_g_over_r = 9}});
  EXPECT_EQ(p.frames, 42);
  EXPECT_NEAR(p.sd_log_g_over_r, std::sqrt((10 * 1e-4 + 30 * 9e-4) / 40), 1e-15);
  EXPECT_NEAR(p.sd_log_g_over_b, std::sqrt(10 * 4e-4 / 40), 1e-15);
}

// The catalogue's vtest.avi figures are what this tool measures on the sample video.
TEST(WbGainSpreadTest, TheSampleVideoReproducesTheCatalogue) {
  const char* video = std::getenv("DF_SAMPLE_VIDEO");
  ASSERT_NE(video, nullptr) << "DF_SAMPLE_VIDEO is not set";
  auto source = df::feeder::FrameSource::OpenVideo(video);
  ASSERT_TRUE(source.ok()) << source.status();
  ClipSpreadAccumulator clip("vtest.avi");
  cv::Mat bgr;
  while ((*source)->Next(&bgr)) ASSERT_TRUE(clip.Add(bgr).ok());
  const ClipSpread s = clip.Result();
  EXPECT_EQ(static_cast<double>(s.frames), figures::kWbVtestFrames);
  // The catalogue keeps 5 decimals, as the tool prints them.
  EXPECT_NEAR(s.sd_log_g_over_r, figures::kWbVtestLnGainGOverRSd, 5e-6);
  EXPECT_NEAR(s.sd_log_g_over_b, figures::kWbVtestLnGainGOverBSd, 5e-6);
}

}  // namespace
}  // namespace df::factory::calibration
