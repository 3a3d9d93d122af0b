// Bad input over real gRPC: each problem gets a clear per-frame error (or gRPC
// status), is counted by reason, and never ends the other frames or streams.
#include <gtest/gtest.h>

#include <cmath>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "services/drift_monitor/server/frame_wire.pb.h"
#include "tests/drift_monitor/drift_test_server.h"

namespace df::drift::testing {
namespace {

namespace wire = ::datafactory::drift::wire;

std::string GoodJpeg() { return EncodeJpeg(FirstSampleFrames().at(0)); }

pb::Frame RawFrame(const std::string& stream, uint32_t w, uint32_t h, uint32_t stride,
                   size_t bytes) {
  pb::Frame f;
  f.set_stream_id(stream);
  f.mutable_raw()->set_format(pb::PIXEL_FORMAT_BGR8);
  f.mutable_raw()->set_width(w);
  f.mutable_raw()->set_height(h);
  f.mutable_raw()->set_stride_bytes(stride);
  f.mutable_raw()->set_pixels(std::string(bytes, '\x40'));
  return f;
}

TEST(BadInputE2eTest, EachBadFrameGetsItsReasonAndTheCallCarriesOn) {
  RegistryOptions options;
  options.max_streams = 2;
  DriftTestServer server(options);
  const std::string jpeg = GoodJpeg();
  std::string huge_png = EncodeJpeg(FirstSampleFrames().at(0));  // replaced below by a PNG
  {
    std::vector<uint8_t> buf;
    cv::imencode(".png", cv::Mat(8, 8, CV_8UC3, cv::Scalar(1, 2, 3)), buf);
    huge_png.assign(buf.begin(), buf.end());
    const char dim[4] = {0x00, 0x01, static_cast<char>(0x86), static_cast<char>(0xA0)};
    huge_png.replace(16, 4, dim, 4);  // 100000 x 100000 claimed in IHDR
    huge_png.replace(20, 4, dim, 4);
  }
  struct Case {
    pb::Frame frame;
    std::string reason;
    grpc::StatusCode code;
  };
  std::vector<Case> cases = {
      {MakeFrame("cam-a", 1, ""), "empty_image", grpc::INVALID_ARGUMENT},
      {MakeFrame("cam-a", 2, "BM\x01\x02 not an image"), "unknown_encoding",
       grpc::INVALID_ARGUMENT},
      {MakeFrame("cam-a", 3, jpeg.substr(0, jpeg.size() / 3)), "corrupt_image",
       grpc::INVALID_ARGUMENT},
      {MakeFrame("cam-a", 4, huge_png), "image_too_large", grpc::RESOURCE_EXHAUSTED},
      {RawFrame("cam-a", 64, 48, 64 * 3, size_t{64} * 3 * 47), "size_mismatch",
       grpc::INVALID_ARGUMENT},
      {RawFrame("cam-a", 0, 48, 0, 0), "bad_dimensions", grpc::INVALID_ARGUMENT},
      {MakeFrame("", 7, jpeg), "invalid_stream_id", grpc::INVALID_ARGUMENT},
      {MakeFrame("cam/../a b", 8, jpeg), "invalid_stream_id", grpc::INVALID_ARGUMENT},
      {MakeFrame("cam-c", 10, jpeg), "too_many_streams", grpc::RESOURCE_EXHAUSTED},
  };
  pb::Frame no_image;
  no_image.set_stream_id("cam-a");
  no_image.set_sequence(11);
  cases.push_back({no_image, "empty_image", grpc::INVALID_ARGUMENT});
  pb::Frame corrupt = MakeFrame("cam-a", 12, jpeg);
  std::string& bytes = *corrupt.mutable_encoded();
  for (size_t i = 700; i + 2 < bytes.size(); i += 3) bytes[i] = '\xFF';  // garbled entropy data
  cases.push_back({corrupt, "corrupt_image", grpc::INVALID_ARGUMENT});

  // Good frames of two streams around every bad one.
  std::vector<pb::Frame> frames = {MakeFrame("cam-a", 0, jpeg), MakeFrame("cam-b", 0, jpeg)};
  for (const Case& c : cases) {
    frames.push_back(c.frame);
    frames.push_back(MakeFrame("cam-b", 100 + frames.size(), jpeg));
  }
  grpc::Status status;
  const std::vector<pb::DriftReport> reports = IngestAll(server.stub(), frames, &status);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(reports.size(), frames.size());
  EXPECT_FALSE(reports[0].has_error());
  EXPECT_FALSE(reports[1].has_error());
  for (size_t i = 0; i < cases.size(); ++i) {
    const pb::DriftReport& bad = reports[2 + 2 * i];
    SCOPED_TRACE(cases[i].reason);
    ASSERT_TRUE(bad.has_error());
    EXPECT_EQ(bad.error().reason(), cases[i].reason) << bad.error().message();
    EXPECT_EQ(bad.error().code(), cases[i].code);
    EXPECT_FALSE(bad.error().message().empty());
    EXPECT_FALSE(reports[3 + 2 * i].has_error()) << reports[3 + 2 * i].error().message();
  }
  // cam-b saw every one of its good frames despite the errors in between.
  EXPECT_EQ(reports.back().frames_seen(), 1 + cases.size());
  const std::string metrics = server.MetricsText();
  EXPECT_EQ(
      MetricValue(metrics, "drift_monitor_frame_errors_total", {"reason=\"invalid_stream_id\""}),
      2);
  EXPECT_EQ(MetricValue(metrics, "drift_monitor_frame_errors_total", {"reason=\"corrupt_image\""}),
            2);
  EXPECT_EQ(
      MetricValue(metrics, "drift_monitor_frame_errors_total", {"reason=\"too_many_streams\""}), 1);
  EXPECT_EQ(MetricValue(metrics, "drift_monitor_frames_total", {"stream=\"cam-b\""}),
            static_cast<double>(1 + cases.size()));
}

// What protobuf would refuse as a whole message (text fields that are not UTF-8,
// bytes that are no Frame) costs that frame alone, answered in order.
TEST(BadInputE2eTest, TextThatIsNotUtf8AndBytesThatAreNoFrameAreRefusedFrameByFrame) {
  DriftTestServer server;
  const std::string jpeg = GoodJpeg();
  auto frame_bytes = [&](const std::string& stream, uint64_t sequence, const std::string& city) {
    wire::FrameWire frame;  // bytes-typed: lets the test write text that is not UTF-8
    frame.set_stream_id(stream);
    frame.set_sequence(sequence);
    frame.set_encoded(jpeg);
    if (!city.empty()) {
      wire::LabelWire* label = frame.add_labels();
      label->set_key("city");
      label->set_value(city);
    }
    return frame.SerializeAsString();
  };
  const std::vector<std::string> messages = {
      frame_bytes("cam-a", 0, "lyon"),          frame_bytes("cam-\xFF", 1, ""),
      frame_bytes("cam-a", 2, "Z\xFCrich"),     std::string("\xFF\xFF\xFF\xFF", 4),
      frame_bytes("cam-a", 4, "Z\xC3\xBCrich"),
  };
  grpc::Status status;
  const std::vector<pb::DriftReport> reports =
      IngestRawMessages(server.channel(), messages, &status);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(reports.size(), messages.size());
  EXPECT_FALSE(reports[0].has_error()) << reports[0].error().message();
  EXPECT_EQ(reports[1].error().reason(), "invalid_stream_id");
  EXPECT_EQ(reports[1].stream_id(), "");  // not echoed: the report's field is UTF-8 text
  EXPECT_EQ(reports[1].sequence(), 1u);
  EXPECT_EQ(reports[2].error().reason(), "invalid_labels");
  EXPECT_NE(reports[2].error().message().find("UTF-8"), std::string::npos)
      << reports[2].error().message();
  EXPECT_EQ(reports[3].error().reason(), "malformed_frame");
  EXPECT_EQ(reports[3].error().code(), grpc::INVALID_ARGUMENT);
  EXPECT_FALSE(reports[4].has_error()) << reports[4].error().message();
  EXPECT_EQ(reports[4].sequence(), 4u);
  EXPECT_EQ(reports[4].frames_seen(), 2u);
  const std::string metrics = server.MetricsText();
  EXPECT_EQ(
      MetricValue(metrics, "drift_monitor_frame_errors_total", {"reason=\"malformed_frame\""}), 1);
  EXPECT_EQ(MetricValue(metrics, "drift_monitor_frame_errors_total", {"reason=\"invalid_labels\""}),
            1);
}

TEST(BadInputE2eTest, RawFullHdFramesAboveGrpcsDefaultLimitAreProcessed) {
  // 1920 x 1080 BGR is 6.2 MB, above gRPC's 4 MiB default message limit.
  DriftTestServer server;
  cv::Mat bgr;
  cv::resize(FirstSampleFrames().at(0), bgr, cv::Size(1920, 1080));
  pb::Frame frame = RawFrame("cam-hd", 1920, 1080, 1920 * 3, 0);
  frame.mutable_raw()->set_pixels(
      std::string(reinterpret_cast<const char*>(bgr.data), bgr.total() * bgr.elemSize()));
  ASSERT_GT(frame.ByteSizeLong(), 4u * 1024 * 1024);
  grpc::Status status;
  const std::vector<pb::DriftReport> reports = IngestAll(server.stub(), {frame}, &status);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_FALSE(reports[0].has_error()) << reports[0].error().message();
  EXPECT_EQ(reports[0].frames_seen(), 1u);
}

pb::StreamState SetConfig(DriftTestServer& server, const std::string& stream,
                          const pb::StreamConfig& config, grpc::Status* status) {
  grpc::ClientContext ctx;
  pb::SetStreamConfigRequest request;
  request.set_stream_id(stream);
  *request.mutable_config() = config;
  pb::StreamState state;
  *status = server.stub().SetStreamConfig(&ctx, request, &state);
  return state;
}

TEST(BadInputE2eTest, InvalidConfigurationIsRefusedNamingTheField) {
  DriftTestServer server;
  struct Case {
    pb::StreamConfig config;
    std::string field;
  };
  std::vector<Case> cases(7);
  cases[0].config.set_alpha(1.5);
  cases[0].field = "alpha";
  cases[1].config.set_alpha(0.0);
  cases[1].field = "alpha";
  cases[2].config.set_window_size(0);
  cases[2].field = "window_size";
  cases[3].config.set_reference_size(50'000'000);
  cases[3].field = "reference_size";
  cases[4].config.set_correction("holm");
  cases[4].field = "correction";
  cases[5].config.set_raise_after(0);
  cases[5].field = "raise_after";
  cases[6].config.set_min_effect(2.0);
  cases[6].field = "min_effect";
  for (const Case& c : cases) {
    grpc::Status status;
    SetConfig(server, "cam", c.config, &status);
    EXPECT_EQ(status.error_code(), grpc::INVALID_ARGUMENT) << c.field;
    EXPECT_NE(status.error_message().find(c.field), std::string::npos) << status.error_message();
  }
  grpc::Status status;
  pb::StreamConfig good;
  good.set_window_size(30);
  good.set_alpha(0.001);
  good.set_correction("bh");
  const pb::StreamState state = SetConfig(server, "cam", good, &status);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(state.config().window_size(), 30u);
  EXPECT_EQ(state.config().reference_size(), 200u);  // unset fields keep their value
  EXPECT_EQ(state.config().correction(), "bh");
  SetConfig(server, "bad id", good, &status);
  EXPECT_EQ(status.error_code(), grpc::INVALID_ARGUMENT);
}

TEST(BadInputE2eTest, UnknownAndMalformedStreamIdsInUnaryCalls) {
  DriftTestServer server;
  pb::StreamState state;
  pb::GetStreamRequest get;
  get.set_stream_id("nobody");
  grpc::ClientContext c1;
  EXPECT_EQ(server.stub().GetStream(&c1, get, &state).error_code(), grpc::NOT_FOUND);
  get.set_stream_id("");
  grpc::ClientContext c2;
  EXPECT_EQ(server.stub().GetStream(&c2, get, &state).error_code(), grpc::INVALID_ARGUMENT);
  pb::PinReferenceRequest pin;
  pin.set_stream_id("nobody");
  grpc::ClientContext c3;
  EXPECT_EQ(server.stub().PinReference(&c3, pin, &state).error_code(), grpc::NOT_FOUND);
}

// A clock the test advances; read by the service's worker threads.
class ManualClock {
 public:
  absl::Time Now() {
    absl::MutexLock lock(&mu_);
    return now_;
  }
  void Advance(absl::Duration d) {
    absl::MutexLock lock(&mu_);
    now_ += d;
  }

 private:
  absl::Mutex mu_;
  absl::Time now_ ABSL_GUARDED_BY(mu_) = absl::FromUnixSeconds(1'700'000'000);
};

TEST(BadInputE2eTest, IdleStreamsExpireAndFreeTheirSlot) {
  RegistryOptions options;
  options.max_streams = 1;
  options.idle_timeout = absl::Seconds(10);
  ManualClock clock;
  DriftTestServer server(options, 4, 2, [&clock] { return clock.Now(); });
  grpc::Status status;
  auto reports = IngestAll(server.stub(), {MakeFrame("first", 0, GoodJpeg())}, &status);
  ASSERT_TRUE(status.ok());
  ASSERT_FALSE(reports.at(0).has_error());
  reports = IngestAll(server.stub(), {MakeFrame("second", 0, GoodJpeg())}, &status);
  EXPECT_EQ(reports.at(0).error().reason(), "too_many_streams");
  clock.Advance(absl::Seconds(9));  // not idle long enough yet
  server.ExpireIdleStreams();
  reports = IngestAll(server.stub(), {MakeFrame("second", 0, GoodJpeg())}, &status);
  EXPECT_EQ(reports.at(0).error().reason(), "too_many_streams");
  EXPECT_EQ(MetricValue(server.MetricsText(), "drift_monitor_frames_total", {"stream=\"first\""}),
            1.0);
  clock.Advance(absl::Seconds(2));  // 11 s since the last frame of "first"
  server.ExpireIdleStreams();
  reports = IngestAll(server.stub(), {MakeFrame("second", 0, GoodJpeg())}, &status);
  EXPECT_FALSE(reports.at(0).has_error()) << reports.at(0).error().message();
  const std::string metrics = server.MetricsText();
  EXPECT_TRUE(std::isnan(MetricValue(metrics, "drift_monitor_frames_total", {"stream=\"first\""})));
  EXPECT_EQ(MetricValue(metrics, "drift_monitor_frames_total", {"stream=\"second\""}), 1.0);
}

}  // namespace
}  // namespace df::drift::testing
