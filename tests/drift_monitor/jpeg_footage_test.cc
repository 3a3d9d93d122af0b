// The service's JPEG decoder against cv::imdecode on real street footage
// (vtest.avi re-encoded as JPEG, as camera-feeder sends it): identical pixels at
// every scale the service offers, so the drift features do not depend on which
// decoder ran.
#include <gtest/gtest.h>

#include <opencv2/imgcodecs.hpp>

#include "services/drift_monitor/core/jpeg_decoder.h"
#include "tests/drift_monitor/drift_test_server.h"

namespace df::drift::testing {
namespace {

TEST(JpegFootageTest, DecoderMatchesOpenCvOnRealFootage) {
  const std::vector<cv::Mat>& frames = SampleFrames();
  ASSERT_GT(frames.size(), 700u);
  int compared = 0;
  for (size_t i = 0; i < frames.size(); i += 8) {
    const std::string jpeg = EncodeJpeg(frames[i]);
    const cv::Mat buffer(1, static_cast<int>(jpeg.size()), CV_8UC1, const_cast<char*>(jpeg.data()));
    for (const auto& [scale, flag] :
         {std::pair{1, cv::IMREAD_COLOR}, std::pair{2, cv::IMREAD_REDUCED_COLOR_2},
          std::pair{4, cv::IMREAD_REDUCED_COLOR_4}, std::pair{8, cv::IMREAD_REDUCED_COLOR_8}}) {
      absl::StatusOr<cv::Mat> ours = DecodeJpegToBgr(jpeg, scale);
      ASSERT_TRUE(ours.ok()) << "frame " << i << ": " << ours.status();
      const cv::Mat theirs = cv::imdecode(buffer, flag);
      ASSERT_EQ(ours->size(), theirs.size()) << "frame " << i << " scale 1/" << scale;
      ASSERT_EQ(cv::norm(*ours, theirs, cv::NORM_INF), 0.0)
          << "frame " << i << " scale 1/" << scale;
      ++compared;
    }
  }
  EXPECT_EQ(compared, 4 * static_cast<int>((frames.size() + 7) / 8));
}

}  // namespace
}  // namespace df::drift::testing
