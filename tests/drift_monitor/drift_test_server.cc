#include "tests/drift_monitor/drift_test_server.h"

#include <grpcpp/generic/generic_stub.h>
#include <gtest/gtest.h>
#include <prometheus/text_serializer.h>

#include <cmath>
#include <cstdlib>
#include <limits>
#include <opencv2/imgcodecs.hpp>
#include <sstream>
#include <thread>

#include "absl/synchronization/notification.h"
#include "clients/camera_feeder/frame_source.h"
#include "clients/camera_feeder/white_balance.h"

namespace df::drift::testing {

DriftTestServer::DriftTestServer(RegistryOptions options, int jpeg_scale, int workers,
                                 std::function<absl::Time()> clock,
                                 IngestBudget::Limits ingest_limits)
    : prometheus_(std::make_shared<prometheus::Registry>()),
      metrics_(*prometheus_),
      registry_(options),
      pool_(workers),
      service_(registry_, metrics_, pool_, [&] {
        DriftMonitorService::Options o;
        o.decode.jpeg_scale = jpeg_scale;
        o.expiry_interval = clock ? absl::InfiniteDuration() : absl::Milliseconds(100);
        o.clock = clock;
        o.ingest_limits = ingest_limits;
        return o;
      }()) {
  df::server::GrpcServerOptions server_options;
  server_options.max_receive_message_bytes = kDefaultMaxFrameMib * 1024 * 1024;
  auto server = df::server::GrpcServer::Start("127.0.0.1:0", {&service_}, server_options);
  EXPECT_TRUE(server.ok()) << server.status();
  if (!server.ok()) return;
  server_ = *std::move(server);
  channel_ = grpc::CreateChannel(server_->target(), grpc::InsecureChannelCredentials());
  stub_ = pb::DriftMonitor::NewStub(channel_);
}

DriftTestServer::~DriftTestServer() {
  if (server_) server_->Shutdown(absl::Seconds(2));
}

std::string DriftTestServer::MetricsText() const {
  std::ostringstream out;
  prometheus::TextSerializer().Serialize(out, prometheus_->Collect());
  return out.str();
}

double MetricValue(const std::string& text, const std::string& name,
                   const std::vector<std::string>& label_pairs) {
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(name, 0) != 0) continue;
    const size_t after = name.size();
    if (after >= line.size() || (line[after] != '{' && line[after] != ' ')) continue;
    bool all = true;
    for (const std::string& pair : label_pairs) all = all && line.find(pair) != std::string::npos;
    if (all) return std::stod(line.substr(line.rfind(' ') + 1));
  }
  return std::nan("");
}

namespace {

// The first `max_frames` frames of $DF_SAMPLE_VIDEO; none (and a test failure) without it.
const std::vector<cv::Mat>* ReadSampleFrames(size_t max_frames) {
  const char* path = std::getenv("DF_SAMPLE_VIDEO");
  auto* out = new std::vector<cv::Mat>();
  if (path == nullptr) {
    ADD_FAILURE() << "DF_SAMPLE_VIDEO is not set (deploy/scripts/fetch-sample-video.sh)";
    return out;
  }
  absl::StatusOr<std::vector<cv::Mat>> read = df::feeder::ReadAllFrames(path, max_frames);
  if (!read.ok()) {
    ADD_FAILURE() << read.status();
    return out;
  }
  *out = *std::move(read);
  return out;
}

}  // namespace

const std::vector<cv::Mat>& SampleFrames() {
  static const std::vector<cv::Mat>* frames = ReadSampleFrames(std::numeric_limits<size_t>::max());
  return *frames;
}

const std::vector<cv::Mat>& FirstSampleFrames() {
  static const std::vector<cv::Mat>* frames = ReadSampleFrames(kFirstSampleFrames);
  return *frames;
}

std::string EncodeJpeg(const cv::Mat& bgr, double r_gain, double g_gain, double b_gain) {
  cv::Mat shifted = bgr.clone();
  if (r_gain != 1 || g_gain != 1 || b_gain != 1) {
    df::feeder::ApplyChannelGains({r_gain, g_gain, b_gain}, df::feeder::GainSpace::kLinear,
                                  &shifted);
  }
  std::vector<uint8_t> buf;
  cv::imencode(".jpg", shifted, buf, {cv::IMWRITE_JPEG_QUALITY, 90});
  return std::string(buf.begin(), buf.end());
}

pb::Frame MakeFrame(const std::string& stream, uint64_t sequence, std::string encoded) {
  pb::Frame frame;
  frame.set_stream_id(stream);
  frame.set_sequence(sequence);
  frame.set_encoded(std::move(encoded));
  return frame;
}

namespace {

// One Ingest call of raw messages: each written after the previous one, then
// WritesDone; every reply read.
class RawIngestCall final : public grpc::ClientBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer> {
 public:
  RawIngestCall(grpc::TemplatedGenericStub<grpc::ByteBuffer, grpc::ByteBuffer>& stub,
                const std::vector<std::string>& messages)
      : messages_(messages) {
    context_.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(120));
    stub.PrepareBidiStreamingCall(&context_, "/datafactory.drift.v1.DriftMonitor/Ingest", {}, this);
    StartRead(&reply_);
    WriteNext();
    StartCall();
  }
  void OnWriteDone(bool ok) override {
    if (ok) WriteNext();
  }
  void OnReadDone(bool ok) override {
    if (!ok) return;
    std::vector<grpc::Slice> slices;
    std::string bytes;
    if (reply_.Dump(&slices).ok()) {
      for (const grpc::Slice& s : slices)
        bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
    }
    pb::DriftReport report;
    EXPECT_TRUE(report.ParseFromString(bytes));
    reports_.push_back(std::move(report));
    StartRead(&reply_);
  }
  void OnDone(const grpc::Status& status) override {
    status_ = status;
    done_.Notify();
  }
  std::vector<pb::DriftReport> Wait(grpc::Status* status) {
    done_.WaitForNotification();
    *status = status_;
    return std::move(reports_);
  }

 private:
  void WriteNext() {
    if (next_ == messages_.size()) {
      StartWritesDone();
      return;
    }
    grpc::Slice slice(messages_[next_++]);
    request_ = grpc::ByteBuffer(&slice, 1);
    StartWrite(&request_);
  }

  const std::vector<std::string>& messages_;
  size_t next_ = 0;
  grpc::ClientContext context_;
  grpc::ByteBuffer request_;
  grpc::ByteBuffer reply_;
  std::vector<pb::DriftReport> reports_;
  grpc::Status status_;
  absl::Notification done_;
};

}  // namespace

std::vector<pb::DriftReport> IngestRawMessages(const std::shared_ptr<grpc::Channel>& channel,
                                               const std::vector<std::string>& messages,
                                               grpc::Status* status) {
  grpc::TemplatedGenericStub<grpc::ByteBuffer, grpc::ByteBuffer> stub(channel);
  RawIngestCall call(stub, messages);
  return call.Wait(status);
}

std::vector<pb::DriftReport> IngestAll(pb::DriftMonitor::Stub& stub,
                                       const std::vector<pb::Frame>& frames, grpc::Status* status) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(120));
  auto call = stub.Ingest(&context);
  std::thread writer([&] {
    for (const pb::Frame& f : frames) {
      if (!call->Write(f)) break;
    }
    call->WritesDone();
  });
  std::vector<pb::DriftReport> reports;
  pb::DriftReport report;
  while (call->Read(&report)) reports.push_back(report);
  writer.join();
  *status = call->Finish();
  return reports;
}

}  // namespace df::drift::testing
