// drift-monitor: ingests camera frames over gRPC, detects white-balance drift per
// stream and exports it as Prometheus metrics. See drift_service.h and
// core/stream_detector.h for the decision rule.
#include <prometheus/exposer.h>
#include <prometheus/registry.h>

#include <cstdio>
#include <memory>
#include <string>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "services/common/grpc_server.h"
#include "services/drift_monitor/core/detector_config.h"
#include "services/drift_monitor/core/stream_registry.h"
#include "services/drift_monitor/server/drift_metrics.h"
#include "services/drift_monitor/server/drift_service.h"
#include "services/drift_monitor/server/worker_pool.h"
#include "services/stats/multiple_testing.h"

ABSL_FLAG(std::string, grpc_address, "127.0.0.1:50061", "gRPC listen address (host:port)");
ABSL_FLAG(std::string, metrics_address, "127.0.0.1:9461",
          "Prometheus /metrics listen address (host:port; port 0 picks a free one)");
ABSL_FLAG(uint32_t, reference_size, 200, "Default reference window, frames (10..100000)");
ABSL_FLAG(uint32_t, window_size, 50, "Default current window, frames (10..100000)");
ABSL_FLAG(double, alpha, 0.01, "Default K-S significance level, (0, 1)");
ABSL_FLAG(std::string, correction, "bonferroni", "none | bonferroni | bh");
ABSL_FLAG(uint32_t, raise_after, 5, "Consecutive rejecting frames before drift is raised");
ABSL_FLAG(uint32_t, clear_after, 25, "Consecutive accepting frames before drift clears");
ABSL_FLAG(double, min_effect, 0.025, "Effect-size floor on the white-balance gains, [0, 1)");
ABSL_FLAG(uint32_t, max_streams, 1000, "Maximum number of live streams");
ABSL_FLAG(absl::Duration, idle_timeout, absl::Minutes(10), "Streams idle this long expire");
ABSL_FLAG(int, workers, 0, "Decode/feature worker threads (0 = hardware threads)");
ABSL_FLAG(int, jpeg_scale, 4, "Decode JPEG at 1/N scale: 1, 2, 4 or 8");
ABSL_FLAG(int32_t, max_frame_mib, df::drift::kDefaultMaxFrameMib,
          "Largest frame message accepted, MiB (1..1024); a larger one ends its Ingest call "
          "with RESOURCE_EXHAUSTED");
ABSL_FLAG(int32_t, max_ingest_calls, df::drift::kDefaultMaxIngestCalls,
          "Concurrent Ingest calls (>= 1); one more is refused with RESOURCE_EXHAUSTED");
ABSL_FLAG(int32_t, max_in_flight_mib, df::drift::kDefaultMaxInFlightBytes >> 20,
          "Frame bytes in flight over all Ingest calls, MiB (>= 1); past it calls stop "
          "reading until frames are processed. Frame memory held is at most this plus "
          "max_ingest_calls * max_frame_mib");
ABSL_FLAG(absl::Duration, drain, absl::Seconds(5), "Graceful shutdown drain deadline");
ABSL_FLAG(absl::Duration, not_serving_grace, absl::ZeroDuration(),
          "On shutdown, how long health reports NOT_SERVING while new calls are still "
          "accepted, before the drain (behind a readiness probe: about one probe period)");

namespace {

int Fail(const std::string& message) {
  std::fprintf(stderr, "drift-monitor: %s\n", message.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  df::server::BlockShutdownSignals();
  absl::SetProgramUsageMessage("drift-monitor: white-balance drift detection over gRPC");
  absl::ParseCommandLine(argc, argv);

  df::drift::DetectorConfig config;
  config.reference_size = absl::GetFlag(FLAGS_reference_size);
  config.window_size = absl::GetFlag(FLAGS_window_size);
  config.alpha = absl::GetFlag(FLAGS_alpha);
  absl::StatusOr<df::stats::Correction> correction =
      df::stats::ParseCorrection(absl::GetFlag(FLAGS_correction));
  if (!correction.ok()) return Fail(absl::StrCat("--correction: ", correction.status().message()));
  config.correction = *correction;
  config.raise_after = absl::GetFlag(FLAGS_raise_after);
  config.clear_after = absl::GetFlag(FLAGS_clear_after);
  config.min_effect = absl::GetFlag(FLAGS_min_effect);
  if (absl::Status s = df::drift::ValidateDetectorConfig(config); !s.ok()) {
    return Fail(absl::StrCat("invalid default configuration: ", s.message()));
  }
  const int jpeg_scale = absl::GetFlag(FLAGS_jpeg_scale);
  if (jpeg_scale != 1 && jpeg_scale != 2 && jpeg_scale != 4 && jpeg_scale != 8) {
    return Fail(absl::StrCat("--jpeg_scale = ", jpeg_scale, " must be 1, 2, 4 or 8"));
  }
  if (absl::GetFlag(FLAGS_max_streams) == 0) return Fail("--max_streams must be >= 1");
  const int32_t max_frame_mib = absl::GetFlag(FLAGS_max_frame_mib);
  if (max_frame_mib < 1 || max_frame_mib > 1024) {
    return Fail(absl::StrCat("--max_frame_mib = ", max_frame_mib, " must be in 1..1024"));
  }

  const int32_t max_ingest_calls = absl::GetFlag(FLAGS_max_ingest_calls);
  if (max_ingest_calls < 1) {
    return Fail(absl::StrCat("--max_ingest_calls = ", max_ingest_calls, " must be >= 1"));
  }
  const int32_t max_in_flight_mib = absl::GetFlag(FLAGS_max_in_flight_mib);
  if (max_in_flight_mib < 1) {
    return Fail(absl::StrCat("--max_in_flight_mib = ", max_in_flight_mib, " must be >= 1"));
  }

  auto prometheus_registry = std::make_shared<prometheus::Registry>();
  std::unique_ptr<prometheus::Exposer> exposer;
  try {  // prometheus-cpp reports a failed bind by exception
    exposer = std::make_unique<prometheus::Exposer>(absl::GetFlag(FLAGS_metrics_address));
  } catch (const std::exception& e) {
    return Fail(absl::StrCat("cannot serve metrics on ", absl::GetFlag(FLAGS_metrics_address), ": ",
                             e.what()));
  }
  exposer->RegisterCollectable(prometheus_registry);
  df::drift::DriftMetrics metrics(*prometheus_registry);

  df::drift::RegistryOptions registry_options;
  registry_options.max_streams = absl::GetFlag(FLAGS_max_streams);
  registry_options.idle_timeout = absl::GetFlag(FLAGS_idle_timeout);
  registry_options.default_config = config;
  df::drift::StreamRegistry registry(registry_options);

  int workers = absl::GetFlag(FLAGS_workers);
  if (workers <= 0) workers = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  df::drift::WorkerPool pool(workers);
  df::drift::DriftMonitorService::Options service_options;
  service_options.decode.jpeg_scale = jpeg_scale;
  service_options.ingest_limits.max_calls = max_ingest_calls;
  service_options.ingest_limits.max_in_flight_bytes = int64_t{max_in_flight_mib} << 20;
  df::drift::DriftMonitorService service(registry, metrics, pool, service_options);

  df::server::GrpcServerOptions server_options;
  server_options.max_receive_message_bytes = max_frame_mib * 1024 * 1024;
  server_options.not_serving_grace = absl::GetFlag(FLAGS_not_serving_grace);
  auto server =
      df::server::GrpcServer::Start(absl::GetFlag(FLAGS_grpc_address), {&service}, server_options);
  if (!server.ok()) return Fail(std::string(server.status().message()));
  const std::vector<int> metrics_ports = exposer->GetListeningPorts();
  // Machine-readable start line: tests and scripts parse the bound ports from it.
  std::printf("drift-monitor listening grpc=%s metrics_port=%d workers=%d\n",
              (*server)->target().c_str(), metrics_ports.empty() ? 0 : metrics_ports[0], workers);
  std::fflush(stdout);

  const int signal = df::server::WaitForShutdownSignal();
  std::printf("drift-monitor: signal %d, draining (up to %s)\n", signal,
              absl::FormatDuration(absl::GetFlag(FLAGS_drain)).c_str());
  std::fflush(stdout);
  (*server)->Shutdown(absl::GetFlag(FLAGS_drain));  // every call finished after this
  server->reset();
  std::printf("drift-monitor: stopped\n");
  return 0;
}
