// drift-monitor: ingests camera frames over gRPC, detects white-balance drift per
// stream and exports it as Prometheus metrics. The serving skeleton (shared flags,
// metrics endpoint, start line, graceful shutdown) is services/common/service_main.h;
// this file holds the drift monitor's own flags and wiring.
#include <malloc.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "services/common/service_main.h"
#include "services/drift_monitor/core/detector_config.h"
#include "services/drift_monitor/core/stream_registry.h"
#include "services/drift_monitor/server/drift_metrics.h"
#include "services/drift_monitor/server/drift_service.h"
#include "services/drift_monitor/server/worker_pool.h"
#include "services/stats/multiple_testing.h"

ABSL_FLAG(uint32_t, reference_size, 200, "Default reference window, frames (10..100000)");
ABSL_FLAG(uint32_t, window_size, 50, "Default current window, frames (10..100000)");
ABSL_FLAG(double, alpha, 0.01, "Default K-S significance level, (0, 1)");
ABSL_FLAG(std::string, correction, "bonferroni", "none | bonferroni | bh");
ABSL_FLAG(uint32_t, raise_after, 5, "Consecutive rejecting frames before drift is raised");
ABSL_FLAG(uint32_t, clear_after, 25, "Consecutive accepting frames before drift clears");
ABSL_FLAG(double, min_effect, 0.0225,
          "Effect-size floor on the linear-light white-balance gains, [0, 1)");
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
ABSL_FLAG(absl::Duration, ingest_idle_timeout, df::drift::kDefaultIngestIdleTimeout,
          "An Ingest call that waits this long for its next frame is closed with "
          "UNAVAILABLE, freeing its slot ('inf' never closes one)");

namespace {

const df::server::ServiceInfo kInfo = {
    .name = "drift-monitor",
    .summary = "white-balance drift detection on camera streams over gRPC",
    .default_grpc_address = "127.0.0.1:50061",
    .default_metrics_address = "127.0.0.1:9461",
    .flags_folder = "services/drift_monitor/",
};

// The default detector configuration from the flags, validated.
absl::StatusOr<df::drift::DetectorConfig> DetectorConfigFromFlags() {
  df::drift::DetectorConfig config;
  config.reference_size = absl::GetFlag(FLAGS_reference_size);
  config.window_size = absl::GetFlag(FLAGS_window_size);
  config.alpha = absl::GetFlag(FLAGS_alpha);
  absl::StatusOr<df::stats::Correction> correction =
      df::stats::ParseCorrection(absl::GetFlag(FLAGS_correction));
  if (!correction.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--correction: ", correction.status().message()));
  }
  config.correction = *correction;
  config.raise_after = absl::GetFlag(FLAGS_raise_after);
  config.clear_after = absl::GetFlag(FLAGS_clear_after);
  config.min_effect = absl::GetFlag(FLAGS_min_effect);
  if (absl::Status s = df::drift::ValidateDetectorConfig(config); !s.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("invalid default configuration: ", s.message()));
  }
  return config;
}

// OK, or the first of the remaining flags out of range, named.
absl::Status ValidateServiceFlags() {
  const int jpeg_scale = absl::GetFlag(FLAGS_jpeg_scale);
  if (jpeg_scale != 1 && jpeg_scale != 2 && jpeg_scale != 4 && jpeg_scale != 8) {
    return absl::InvalidArgumentError(
        absl::StrCat("--jpeg_scale = ", jpeg_scale, " must be 1, 2, 4 or 8"));
  }
  if (absl::GetFlag(FLAGS_max_streams) == 0) {
    return absl::InvalidArgumentError("--max_streams must be >= 1");
  }
  const int32_t max_frame_mib = absl::GetFlag(FLAGS_max_frame_mib);
  if (max_frame_mib < 1 || max_frame_mib > 1024) {
    return absl::InvalidArgumentError(
        absl::StrCat("--max_frame_mib = ", max_frame_mib, " must be in 1..1024"));
  }
  if (absl::GetFlag(FLAGS_max_ingest_calls) < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--max_ingest_calls = ", absl::GetFlag(FLAGS_max_ingest_calls), " must be >= 1"));
  }
  if (absl::GetFlag(FLAGS_ingest_idle_timeout) <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--ingest_idle_timeout = ", absl::FormatDuration(absl::GetFlag(FLAGS_ingest_idle_timeout)),
        " must be > 0 ('inf' never closes an idle call)"));
  }
  if (absl::GetFlag(FLAGS_max_in_flight_mib) < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--max_in_flight_mib = ", absl::GetFlag(FLAGS_max_in_flight_mib), " must be >= 1"));
  }
  return absl::OkStatus();
}

// Every frame allocates and frees about a frame's size several times over (gRPC's read
// buffers, the message's image bytes, the decoded pixels). With glibc's defaults a thread
// arena gives its free top back to the kernel and grows again on the next frame, and each
// new page is a page fault: about 15 per 768x576 JPEG frame, most of the process's kernel
// time after the socket reads. Keeping up to 128 MiB of freed memory per arena (the frame
// bytes in flight are bounded by --max_in_flight_mib anyway) and serving blocks of up to
// 32 MiB from the heap rather than from fresh mappings brings that down to a few.
void KeepFreedMemoryForReuse() {
  constexpr int kTrimThresholdBytes = 128 << 20;
  constexpr int kTopPadBytes = 16 << 20;
  constexpr int kMmapThresholdBytes = 32 << 20;  // glibc's largest allowed value
  mallopt(M_TRIM_THRESHOLD, kTrimThresholdBytes);
  mallopt(M_TOP_PAD, kTopPadBytes);
  mallopt(M_MMAP_THRESHOLD, kMmapThresholdBytes);
}

}  // namespace

int main(int argc, char** argv) {
  df::server::InitService(argc, argv, kInfo);
  absl::StatusOr<df::drift::DetectorConfig> config = DetectorConfigFromFlags();
  if (!config.ok()) return df::server::ExitWithError(kInfo, config.status().message());
  if (absl::Status s = ValidateServiceFlags(); !s.ok()) {
    return df::server::ExitWithError(kInfo, s.message());
  }
  auto process = df::server::ServiceProcess::Open(kInfo);
  if (!process.ok()) return df::server::ExitWithError(kInfo, process.status().message());

  KeepFreedMemoryForReuse();
  // Debian's Abseil is built without NDEBUG, so every Mutex acquisition is checked for
  // lock-order cycles against a global graph (a debugging aid): 0.2-0.3 % of the
  // server's CPU in a profile, taken on every frame's locks.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  df::drift::DriftMetrics metrics((*process)->metrics());
  df::drift::RegistryOptions registry_options;
  registry_options.max_streams = absl::GetFlag(FLAGS_max_streams);
  registry_options.idle_timeout = absl::GetFlag(FLAGS_idle_timeout);
  registry_options.default_config = *config;
  df::drift::StreamRegistry registry(registry_options);

  int workers = absl::GetFlag(FLAGS_workers);
  if (workers <= 0) workers = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  df::drift::WorkerPool pool(workers);
  df::drift::DriftMonitorService::Options service_options;
  service_options.decode.jpeg_scale = absl::GetFlag(FLAGS_jpeg_scale);
  service_options.ingest_limits.max_calls = absl::GetFlag(FLAGS_max_ingest_calls);
  service_options.ingest_limits.max_in_flight_bytes =
      int64_t{absl::GetFlag(FLAGS_max_in_flight_mib)} << 20;
  service_options.ingest_idle_timeout = absl::GetFlag(FLAGS_ingest_idle_timeout);
  service_options.access = (*process)->access();
  df::drift::DriftMonitorService service(registry, metrics, pool, service_options);

  df::server::ServeOptions serve_options;
  serve_options.max_receive_message_bytes = absl::GetFlag(FLAGS_max_frame_mib) * 1024 * 1024;
  serve_options.health_service_names = {df::drift::pb::DriftMonitor::service_full_name()};
  serve_options.start_fields = {{"workers", absl::StrCat(workers)}};
  return (*process)->ServeUntilSignal({&service}, serve_options);
}
