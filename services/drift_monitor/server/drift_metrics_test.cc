// DriftMetrics over a real prometheus::Registry, read back through the text
// exposition as Prometheus would scrape it.
#include "services/drift_monitor/server/drift_metrics.h"

#include <gtest/gtest.h>
#include <prometheus/text_serializer.h>

#include <sstream>

namespace df::drift {
namespace {

class DriftMetricsTest : public ::testing::Test {
 protected:
  std::string Text() {
    std::ostringstream out;
    prometheus::TextSerializer().Serialize(out, registry_.Collect());
    return out.str();
  }
  // Lines of the exposition that are samples of `name` and contain `needle`.
  int Count(const std::string& name, const std::string& needle) {
    std::istringstream lines(Text());
    int n = 0;
    for (std::string line; std::getline(lines, line);) {
      if (line.rfind(name + "{", 0) == 0 && line.find(needle) != std::string::npos) ++n;
    }
    return n;
  }

  prometheus::Registry registry_;
  DriftMetrics metrics_{registry_};
  FrameVerdict verdict_;
};

TEST_F(DriftMetricsTest, AFrameOfAnExpiredStreamDoesNotRecreateItsSeries) {
  Stream stream("door-1", /*stream_generation=*/1, DetectorConfig{});
  metrics_.FrameProcessed(stream, "", verdict_, 0.001);
  EXPECT_EQ(Count("drift_monitor_frames_total", "stream=\"door-1\""), 1);
  stream.expired = true;
  metrics_.RemoveStream(stream);
  EXPECT_EQ(Count("drift_monitor_frames_total", "stream=\"door-1\""), 0);
  // A worker still holding the stream applies one more frame after the removal.
  metrics_.FrameProcessed(stream, "", verdict_, 0.001);
  EXPECT_EQ(Count("drift_monitor_frames_total", "stream=\"door-1\""), 0);
  EXPECT_EQ(Count("drift_monitor_drift_detected", "stream=\"door-1\""), 0);
}

TEST_F(DriftMetricsTest, RemovingAnOldStreamKeepsTheSeriesOfItsSuccessor) {
  Stream old_stream("door-1", 1, DetectorConfig{});
  Stream new_stream("door-1", 2, DetectorConfig{});
  metrics_.FrameProcessed(old_stream, "", verdict_, 0.001);
  old_stream.expired = true;
  metrics_.FrameProcessed(new_stream, "", verdict_, 0.001);  // re-created before removal
  metrics_.RemoveStream(old_stream);
  EXPECT_EQ(Count("drift_monitor_frames_total", "stream=\"door-1\""), 1);
  EXPECT_NE(Text().find("drift_monitor_frames_total{stream=\"door-1\"} 1"), std::string::npos)
      << Text();
}

TEST_F(DriftMetricsTest, DriftDetectedFollowsTheStreamsCity) {
  Stream stream("door-1", 1, DetectorConfig{});
  metrics_.FrameProcessed(stream, "", verdict_, 0.001);
  EXPECT_EQ(Count("drift_monitor_drift_detected", "city=\"\""), 1);
  metrics_.FrameProcessed(stream, "berlin", verdict_, 0.001);
  EXPECT_EQ(Count("drift_monitor_drift_detected", "stream=\"door-1\""), 1);
  EXPECT_EQ(Count("drift_monitor_drift_detected", "city=\"berlin\""), 1);
  metrics_.FrameProcessed(stream, "paris", verdict_, 0.001);
  EXPECT_EQ(Count("drift_monitor_drift_detected", "stream=\"door-1\""), 1);
  EXPECT_EQ(Count("drift_monitor_drift_detected", "city=\"berlin\""), 0);
  EXPECT_EQ(Count("drift_monitor_drift_detected", "city=\"paris\""), 1);
  metrics_.FrameProcessed(stream, "not a valid label!", verdict_, 0.001);
  EXPECT_EQ(Count("drift_monitor_drift_detected", "city=\"\""), 1);
  EXPECT_EQ(Count("drift_monitor_drift_detected", "stream=\"door-1\""), 1);
}

}  // namespace
}  // namespace df::drift
