// End to end: the real service over loopback gRPC, fed real street footage
// (vtest.avi) as JPEG frames, default settings.
#include <gtest/gtest.h>

#include <thread>
#include <tuple>

#include "services/drift_monitor/core/image_features.h"
#include "tests/drift_monitor/drift_test_server.h"

namespace df::drift::testing {
namespace {

constexpr int kShiftAt = 300;

std::vector<pb::Frame> Footage(const std::string& stream, double r, double g, double b) {
  std::vector<pb::Frame> frames;
  const std::vector<cv::Mat>& video = SampleFrames();
  for (size_t i = 0; i < video.size(); ++i) {
    const bool shifted = static_cast<int>(i) >= kShiftAt;
    frames.push_back(
        MakeFrame(stream, i, shifted ? EncodeJpeg(video[i], r, g, b) : EncodeJpeg(video[i])));
  }
  return frames;
}

TEST(IngestE2eTest, UnalteredFootageRaisesNoDrift) {
  DriftTestServer server;
  grpc::Status status;
  const std::vector<pb::DriftReport> reports =
      IngestAll(server.stub(), Footage("street", 1, 1, 1), &status);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(reports.size(), SampleFrames().size());
  ASSERT_GE(reports.size(), 700u);
  for (size_t i = 0; i < reports.size(); ++i) {
    ASSERT_FALSE(reports[i].has_error()) << reports[i].error().message();
    EXPECT_EQ(reports[i].sequence(), i);  // answered in order
    ASSERT_FALSE(reports[i].drift()) << "false alarm at frame " << i;
  }
  // The windows were full and K-S ran: the statistic is large on this correlated
  // footage (the reason the rule needs an effect floor), the effect stays small.
  const pb::DriftReport& last = reports.back();
  EXPECT_EQ(last.frames_seen(), reports.size());
  EXPECT_GT(last.features(0).ks_statistic(), 0.0);
  EXPECT_LT(last.features(0).effect_size(), 0.025);
}

class ShiftTest : public ::testing::TestWithParam<std::tuple<double, double, double>> {};

TEST_P(ShiftTest, DriftIsRaisedWithin150FramesOfAWhiteBalanceShift) {
  const auto [r, g, b] = GetParam();
  DriftTestServer server;
  grpc::Status status;
  const std::vector<pb::DriftReport> reports =
      IngestAll(server.stub(), Footage("door", r, g, b), &status);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(reports.size(), SampleFrames().size());
  int first_drift = -1;
  for (size_t i = 0; i < reports.size() && first_drift < 0; ++i) {
    if (reports[i].drift()) first_drift = static_cast<int>(i);
  }
  ASSERT_GE(first_drift, kShiftAt) << "drift before the shift";
  EXPECT_LE(first_drift - kShiftAt, 150);
  std::printf("gains R=%.2f G=%.2f B=%.2f: drift %d frames after the shift\n", r, g, b,
              first_drift - kShiftAt);
}

INSTANTIATE_TEST_SUITE_P(
    FivePercentToTenPercentInOneChannel, ShiftTest,
    ::testing::Values(std::make_tuple(1.05, 1.0, 1.0), std::make_tuple(1.0, 1.0, 1.05),
                      std::make_tuple(1.0, 1.05, 1.0), std::make_tuple(0.95, 1.0, 1.0),
                      std::make_tuple(1.0, 1.0, 0.93), std::make_tuple(1.10, 1.0, 1.0)));

TEST(IngestE2eTest, StreamsInOneCallAreJudgedSeparately) {
  DriftTestServer server;
  const std::vector<pb::Frame> plain = Footage("lyon-door-1", 1, 1, 1);
  const std::vector<pb::Frame> shifted = Footage("lyon-door-2", 1.07, 1, 1);
  std::vector<pb::Frame> interleaved;
  for (size_t i = 0; i < plain.size(); ++i) {
    interleaved.push_back(plain[i]);
    interleaved.push_back(shifted[i]);
  }
  grpc::Status status;
  const std::vector<pb::DriftReport> reports = IngestAll(server.stub(), interleaved, &status);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(reports.size(), interleaved.size());
  bool plain_drift = false, shifted_drift = false;
  for (const pb::DriftReport& r : reports) {
    (r.stream_id() == "lyon-door-1" ? plain_drift : shifted_drift) |= r.drift();
  }
  EXPECT_FALSE(plain_drift);
  EXPECT_TRUE(shifted_drift);

  grpc::ClientContext ctx;
  pb::ListStreamsResponse list;
  ASSERT_TRUE(server.stub().ListStreams(&ctx, {}, &list).ok());
  EXPECT_EQ(list.stream_ids_size(), 2);
  grpc::ClientContext ctx2;
  pb::GetStreamRequest get;
  get.set_stream_id("lyon-door-2");
  pb::StreamState state;
  ASSERT_TRUE(server.stub().GetStream(&ctx2, get, &state).ok());
  EXPECT_TRUE(state.drift());
  EXPECT_EQ(state.drift_events(), 1u);
  EXPECT_EQ(state.reference_count(), 200u);
  EXPECT_EQ(state.window_count(), 50u);
  EXPECT_EQ(state.features_size(), 10);
  EXPECT_EQ(state.cause(), "white_balance");
  // A 7 % red gain in linear light: the decisive linear-light gain moves by about 7 %, the
  // gamma-encoded grey-world gain G/R by about half of that.
  ASSERT_EQ(state.features(kWbGainR).name(), "wb_gain_r");
  EXPECT_GT(state.features(kWbGainR).effect_size(), 0.05);
  EXPECT_GT(state.features(kGainGOverR).effect_size(), 0.025);
  EXPECT_EQ(state.config().correction(), "bonferroni");

  const std::string metrics = server.MetricsText();
  EXPECT_EQ(MetricValue(metrics, "drift_monitor_drift_detected", {"stream=\"lyon-door-2\""}), 1);
  EXPECT_EQ(MetricValue(metrics, "drift_monitor_drift_detected", {"stream=\"lyon-door-1\""}), 0);
  EXPECT_EQ(MetricValue(metrics, "drift_monitor_drift_events_total", {"stream=\"lyon-door-2\""}),
            1);
  EXPECT_EQ(MetricValue(metrics, "drift_monitor_frames_total", {"stream=\"lyon-door-1\""}),
            static_cast<double>(plain.size()));
  EXPECT_GT(MetricValue(metrics, "drift_monitor_white_balance_gain",
                        {"stream=\"lyon-door-1\"", "channel=\"g_over_r\""}),
            0.5);
  EXPECT_GT(MetricValue(metrics, "drift_monitor_effect_size",
                        {"stream=\"lyon-door-2\"", "feature=\"wb_gain_r\""}),
            0.05);
  EXPECT_EQ(MetricValue(metrics, "drift_monitor_active_streams", {}), 2);
  EXPECT_EQ(MetricValue(metrics, "drift_monitor_frame_processing_seconds_count", {}),
            static_cast<double>(interleaved.size()));
}

TEST(IngestE2eTest, PinningAcceptsTheNewLookAndResetRefills) {
  DriftTestServer server;
  grpc::Status status;
  IngestAll(server.stub(), Footage("cam", 1.08, 1, 1), &status);
  ASSERT_TRUE(status.ok());
  pb::StreamState state;
  {
    grpc::ClientContext ctx;
    pb::PinReferenceRequest pin;
    pin.set_stream_id("cam");
    ASSERT_TRUE(server.stub().PinReference(&ctx, pin, &state).ok());
  }
  EXPECT_FALSE(state.drift());
  EXPECT_EQ(state.reference_count(), 50u);
  {
    grpc::ClientContext ctx;
    pb::ResetReferenceRequest reset;
    reset.set_stream_id("cam");
    ASSERT_TRUE(server.stub().ResetReference(&ctx, reset, &state).ok());
  }
  EXPECT_EQ(state.reference_count(), 0u);
  EXPECT_EQ(state.frames_seen(), SampleFrames().size());
}

TEST(IngestE2eTest, ShutdownDrainsAndEndsAnOpenStream) {
  DriftTestServer server;
  grpc::ClientContext context;
  auto call = server.stub().Ingest(&context);
  const std::vector<pb::Frame> frames = Footage("open", 1, 1, 1);
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(call->Write(frames[i]));
  pb::DriftReport report;
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(call->Read(&report));
    EXPECT_EQ(report.sequence(), static_cast<uint64_t>(i));
  }
  // The client keeps the stream open; shutdown must still end it after the drain.
  std::thread shutdown([&] { server.Shutdown(absl::Milliseconds(300)); });
  EXPECT_FALSE(call->Read(&report));
  EXPECT_FALSE(call->Finish().ok());
  shutdown.join();
}

}  // namespace
}  // namespace df::drift::testing
