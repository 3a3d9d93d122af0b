// The default decision rule on real footage, without gRPC: false alarms per 10,000
// frames and detection delay after a white-balance shift.
//
// vtest.avi (795 frames) is played forwards and backwards ("ping-pong") so long
// runs stay continuous footage of the same street, from several start offsets.
// Frames are JPEG-encoded (quality 90) and decoded at 1/4 scale as the service does
// by default; the simulated firmware gain is applied before encoding, in linear light
// as a camera applies it (and, for comparison, on the 8-bit values, which overstates
// the change). The whole corpus (more footage, doorbell streams, nuisances) is
// measured by tests/drift_monitor/eval/eval_drift.py through the real service.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>

#include "clients/camera_feeder/white_balance.h"
#include "services/drift_monitor/core/image_features.h"
#include "services/drift_monitor/core/jpeg_decoder.h"
#include "services/drift_monitor/core/stream_detector.h"
#include "tests/drift_monitor/drift_test_server.h"

namespace df::drift::testing {
namespace {

const std::vector<cv::Mat>& QuarterScaleFrames() {
  static const std::vector<cv::Mat>* frames = [] {
    auto* out = new std::vector<cv::Mat>();
    for (const cv::Mat& f : SampleFrames()) {
      out->push_back(*DecodeJpegToBgr(EncodeJpeg(f), 4));
    }
    return out;
  }();
  return *frames;
}

std::vector<FrameFeatures> Features(const df::feeder::ChannelGains& gains,
                                    df::feeder::GainSpace space = df::feeder::GainSpace::kLinear) {
  std::vector<FrameFeatures> out;
  const bool unaltered = gains.r == 1 && gains.g == 1 && gains.b == 1;
  for (size_t i = 0; i < SampleFrames().size(); ++i) {
    if (unaltered) {
      out.push_back(*ExtractFeatures(QuarterScaleFrames()[i]));
      continue;
    }
    cv::Mat shifted = SampleFrames()[i].clone();
    df::feeder::ApplyChannelGains(gains, space, &shifted);
    out.push_back(*ExtractFeatures(*DecodeJpegToBgr(EncodeJpeg(shifted), 4)));
  }
  return out;
}

// Frame index at time t of a ping-pong playback starting at `start`.
size_t PingPong(size_t start, size_t t, size_t n) {
  const size_t k = (start + t) % (2 * n - 2);
  return k < n ? k : 2 * n - 2 - k;
}

TEST(DetectorCalibrationTest, FalseAlarmsPer10kFramesOnUnalteredFootage) {
  const std::vector<FrameFeatures> plain = Features({1, 1, 1});
  ASSERT_GE(plain.size(), 700u);
  constexpr int kStreams = 8;
  constexpr size_t kFramesPerStream = 12'500;
  uint64_t alarms = 0, judged = 0, excluded = 0;
  double max_effect = 0.0;
  for (int s = 0; s < kStreams; ++s) {
    StreamDetector detector(DetectorConfig{});
    for (size_t t = 0; t < kFramesPerStream; ++t) {
      const FrameVerdict v =
          detector.Update(plain[PingPong(static_cast<size_t>(s) * 197, t, plain.size())]);
      alarms += v.drift_started;
      excluded += v.condition != FrameCondition::kNormal;
      if (v.window_count == detector.config().window_size) {
        ++judged;
        max_effect = std::max(
            {max_effect, v.features[kWbGainR].effect_size, v.features[kWbGainB].effect_size});
      }
    }
  }
  std::printf(
      "false alarms: %llu in %llu judged frames = %.2f per 10,000 frames; "
      "largest linear-light gain effect %.2f %% (floor %.2f %%); %llu frames kept out\n",
      static_cast<unsigned long long>(alarms), static_cast<unsigned long long>(judged),
      1e4 * static_cast<double>(alarms) / static_cast<double>(judged), 100 * max_effect,
      100 * DetectorConfig{}.min_effect, static_cast<unsigned long long>(excluded));
  EXPECT_GT(judged, 90'000u);
  EXPECT_EQ(alarms, 0u);
}

// A 5 % change of one channel's gain, as a camera applies it (linear light) and as
// 8-bit pixel values (which moves the encoded values about twice as much).
class DetectionDelayTest : public ::testing::TestWithParam<df::feeder::GainSpace> {};

TEST_P(DetectionDelayTest, FiveToTenPercentShiftsAreFoundWithin150Frames) {
  const std::vector<FrameFeatures> plain = Features({1, 1, 1});
  const std::vector<df::feeder::ChannelGains> shifts = {{1.05, 1, 1}, {1, 1.05, 1}, {1, 1, 1.05},
                                                        {0.95, 1, 1}, {1, 0.95, 1}, {1, 1, 0.95},
                                                        {1.07, 1, 1}, {1.10, 1, 1}};
  const char* space = GetParam() == df::feeder::GainSpace::kLinear ? "linear" : "pixel";
  for (const auto& gains : shifts) {
    const std::vector<FrameFeatures> shifted = Features(gains, GetParam());
    int worst = 0, total = 0, runs = 0;
    for (size_t start : {0, 250, 500}) {
      for (size_t shift_at : {300, 900, 2000}) {
        StreamDetector detector(DetectorConfig{});
        int delay = -1;
        for (size_t t = 0; t < shift_at + 400 && delay < 0; ++t) {
          const size_t i = PingPong(start, t, plain.size());
          const FrameVerdict v = detector.Update(t < shift_at ? plain[i] : shifted[i]);
          if (v.drift_started) {
            ASSERT_GE(t, shift_at) << "false alarm before the shift";
            delay = static_cast<int>(t - shift_at) + 1;
          }
        }
        ASSERT_GT(delay, 0) << space << " shift R=" << gains.r << " G=" << gains.g
                            << " B=" << gains.b << " not detected (start " << start << ", at "
                            << shift_at << ")";
        EXPECT_LE(delay, 150);
        worst = std::max(worst, delay);
        total += delay;
        ++runs;
      }
    }
    std::printf(
        "%s shift R=%.2f G=%.2f B=%.2f: detection delay mean %.1f, max %d frames (%d runs)\n",
        space, gains.r, gains.g, gains.b, static_cast<double>(total) / runs, worst, runs);
  }
}

INSTANTIATE_TEST_SUITE_P(LinearAndPixelSpace, DetectionDelayTest,
                         ::testing::Values(df::feeder::GainSpace::kLinear,
                                           df::feeder::GainSpace::kPixel));

// Why the service decodes JPEG at 1/4 scale by default: the features barely move.
TEST(DetectorCalibrationTest, ReducedScaleDecodingChangesFeaturesByLessThanOnePercent) {
  const std::vector<cv::Mat>& video = SampleFrames();
  for (int scale : {2, 4, 8}) {
    std::array<double, kNumScalarFeatures> worst{};
    double worst_hellinger = 0.0;
    for (size_t i = 0; i < video.size(); i += 10) {
      const std::string j = EncodeJpeg(video[i]);
      const FrameFeatures full = *ExtractFeatures(*DecodeJpegToBgr(j, 1));
      const FrameFeatures reduced = *ExtractFeatures(*DecodeJpegToBgr(j, scale));
      for (int f = 0; f < kNumScalarFeatures; ++f) {
        worst[f] = std::max(worst[f], std::abs(reduced.scalar[f] / full.scalar[f] - 1));
      }
      worst_hellinger =
          std::max(worst_hellinger, HellingerDistance(full.histogram, reduced.histogram));
    }
    std::printf("1/%d scale: max relative error", scale);
    for (int f = 0; f < kNumScalarFeatures; ++f) {
      std::printf(" %s %.3f%%", std::string(kScalarFeatureNames[f]).c_str(), 100 * worst[f]);
    }
    std::printf("; histogram Hellinger <= %.4f\n", worst_hellinger);
    EXPECT_LT(worst[kGainGOverR], 0.01);
    EXPECT_LT(worst[kGainGOverB], 0.01);
    EXPECT_LT(worst[kLuma], 0.01);
  }
}

}  // namespace
}  // namespace df::drift::testing
