// DriftTestServer: the real drift-monitor service on 127.0.0.1:0 in-process, with a
// real gRPC channel to it, plus the sample footage as JPEG frames.
//
// Thread-safety: one test at a time. Failure: Start() returns the status of a failed
// bind; SampleJpegFrames() fails the test when the video is missing.
#ifndef DATA_FACTORY_TESTS_DRIFT_MONITOR_DRIFT_TEST_SERVER_H_
#define DATA_FACTORY_TESTS_DRIFT_MONITOR_DRIFT_TEST_SERVER_H_

#include <prometheus/registry.h>

#include <functional>
#include <memory>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "datafactory/drift/v1/drift_monitor.grpc.pb.h"
#include "services/common/grpc_server.h"
#include "services/drift_monitor/server/drift_metrics.h"
#include "services/drift_monitor/server/drift_service.h"

namespace df::drift::testing {

namespace pb = ::datafactory::drift::v1;

class DriftTestServer {
 public:
  // With a `clock`, streams age by it and expire only when the test calls
  // ExpireIdleStreams(); without one, by wall time every 100 ms.
  explicit DriftTestServer(RegistryOptions options = {}, int jpeg_scale = 4, int workers = 2,
                           std::function<absl::Time()> clock = nullptr,
                           IngestBudget::Limits ingest_limits = {});
  ~DriftTestServer();

  pb::DriftMonitor::Stub& stub() { return *stub_; }
  const std::shared_ptr<grpc::Channel>& channel() const { return channel_; }
  // Graceful shutdown as drift-monitor's main does on SIGTERM; returns when every
  // call has finished.
  void Shutdown(absl::Duration drain) { server_->Shutdown(drain); }
  // Text exposition of the current metrics (what Prometheus would scrape).
  std::string MetricsText() const;
  void ExpireIdleStreams() { service_.ExpireIdleStreams(); }
  // Closes Ingest calls idle for the service's ingest_idle_timeout by the clock
  // (with a test clock only the test does this); returns how many.
  int CloseIdleIngestCalls() { return service_.CloseIdleIngestCalls(); }
  size_t open_ingest_calls() const { return service_.open_ingest_calls(); }
  const IngestBudget& budget() const { return service_.ingest_budget(); }
  StreamRegistry& registry() { return registry_; }
  WorkerPool& pool() { return pool_; }

 private:
  std::shared_ptr<prometheus::Registry> prometheus_;
  DriftMetrics metrics_;
  StreamRegistry registry_;
  WorkerPool pool_;
  DriftMonitorService service_;
  std::unique_ptr<df::server::GrpcServer> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<pb::DriftMonitor::Stub> stub_;
};

// Value of the first sample of `name` in a text exposition whose labels contain all
// of `label_pairs` (e.g. {"stream=\"a\""}); NaN when absent.
double MetricValue(const std::string& text, const std::string& name,
                   const std::vector<std::string>& label_pairs);

// vtest.avi's frames (path from $DF_SAMPLE_VIDEO), decoded once per process.
const std::vector<cv::Mat>& SampleFrames();
// Its first kFirstSampleFrames frames, for tests that need a frame or a few (the whole
// video costs about a minute under ThreadSanitizer).
inline constexpr size_t kFirstSampleFrames = 40;
const std::vector<cv::Mat>& FirstSampleFrames();

// JPEG (quality 90) of `bgr` with per-channel gains (R, G, B) applied in linear
// light, as a camera's white balance applies them.
std::string EncodeJpeg(const cv::Mat& bgr, double r_gain = 1, double g_gain = 1, double b_gain = 1);

pb::Frame MakeFrame(const std::string& stream, uint64_t sequence, std::string encoded);

// Sends each of `messages` as it is (any bytes, not necessarily a Frame) through
// one Ingest call on `channel`, as a client in another language might, and returns
// the reports.
std::vector<pb::DriftReport> IngestRawMessages(const std::shared_ptr<grpc::Channel>& channel,
                                               const std::vector<std::string>& messages,
                                               grpc::Status* status);

// Sends `frames` through one Ingest call and returns the reports.
std::vector<pb::DriftReport> IngestAll(pb::DriftMonitor::Stub& stub,
                                       const std::vector<pb::Frame>& frames, grpc::Status* status);

}  // namespace df::drift::testing

#endif  // DATA_FACTORY_TESTS_DRIFT_MONITOR_DRIFT_TEST_SERVER_H_
