// DriftMonitorService: the gRPC adapter of the drift monitor (callback API).
//
// Ingest: one reactor per call. Each frame read is handed to the WorkerPool
// (decode + features, in parallel); results are applied to the stream detectors in
// the order the frames arrived and answered with one DriftReport each. At most
// kMaxFramesInFlight frames per call are read ahead, which gives the client
// back-pressure. Memory is bounded process-wide by an IngestBudget
// (ingest_budget.h): at most `max_calls` concurrent Ingest calls (one more is
// refused with RESOURCE_EXHAUSTED), and a call starts its next read only while the
// frame bytes in flight over all calls are below `max_in_flight_bytes` (otherwise
// the read is resumed by the worker that frees bytes). Frame bytes held are thus at
// most max_in_flight_bytes + max_calls * max frame size. A bad frame yields a report with `error`
// set (and the reason counted in the metrics); it never ends the call. No reaction blocks. Unary
// calls (list, get, pin, reset, configure) touch only in-memory state.
//
// Thread-safety: all methods are thread-safe. The registry, metrics and pool must
// outlive the service; destroy the grpc::Server first (it waits for every call).
// Failure: invalid requests get INVALID_ARGUMENT / NOT_FOUND / RESOURCE_EXHAUSTED
// with a message naming the field.
#ifndef DATA_FACTORY_SERVICES_DRIFT_MONITOR_SERVER_DRIFT_SERVICE_H_
#define DATA_FACTORY_SERVICES_DRIFT_MONITOR_SERVER_DRIFT_SERVICE_H_

#include <functional>
#include <thread>

#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "datafactory/drift/v1/drift_monitor.grpc.pb.h"
#include "services/drift_monitor/core/image_decoder.h"
#include "services/drift_monitor/core/image_features.h"
#include "services/drift_monitor/core/stream_registry.h"
#include "services/drift_monitor/server/drift_metrics.h"
#include "services/drift_monitor/server/ingest_budget.h"
#include "services/drift_monitor/server/worker_pool.h"

namespace df::drift {

namespace pb = ::datafactory::drift::v1;

inline constexpr int kMaxFramesInFlight = 16;
// Default cap on one Frame message (drift-monitor --max_frame_mib): room for a raw
// 4K BGR frame (25 MB) with margin. gRPC rejects a larger message before the
// service sees it, ending that Ingest call with RESOURCE_EXHAUSTED.
inline constexpr int kDefaultMaxFrameMib = 64;
inline constexpr int kMaxFrameLabels = 16;
inline constexpr size_t kMaxLabelBytes = 128;

// The result of the parallel stage for one frame.
struct ExtractedFrame {
  absl::Status status;
  std::string reason;  // metric label when !status.ok()
  FrameFeatures features;
  absl::Duration elapsed;
};

class DriftMonitorService final : public pb::DriftMonitor::CallbackService {
 public:
  struct Options {
    DecodeOptions decode;
    // Period of the janitor thread expiring idle streams; InfiniteDuration() runs
    // no janitor (the owner calls ExpireIdleStreams itself).
    absl::Duration expiry_interval = absl::Seconds(1);
    // Time source for stream activity and expiry (empty: absl::Now).
    std::function<absl::Time()> clock;
    IngestBudget::Limits ingest_limits;
  };
  DriftMonitorService(StreamRegistry& registry, DriftMetrics& metrics, WorkerPool& pool,
                      Options options);
  ~DriftMonitorService() override;

  grpc::ServerBidiReactor<pb::Frame, pb::DriftReport>* Ingest(
      grpc::CallbackServerContext* context) override;
  grpc::ServerUnaryReactor* ListStreams(grpc::CallbackServerContext* context,
                                        const pb::ListStreamsRequest* request,
                                        pb::ListStreamsResponse* response) override;
  grpc::ServerUnaryReactor* GetStream(grpc::CallbackServerContext* context,
                                      const pb::GetStreamRequest* request,
                                      pb::StreamState* response) override;
  grpc::ServerUnaryReactor* PinReference(grpc::CallbackServerContext* context,
                                         const pb::PinReferenceRequest* request,
                                         pb::StreamState* response) override;
  grpc::ServerUnaryReactor* ResetReference(grpc::CallbackServerContext* context,
                                           const pb::ResetReferenceRequest* request,
                                           pb::StreamState* response) override;
  grpc::ServerUnaryReactor* SetStreamConfig(grpc::CallbackServerContext* context,
                                            const pb::SetStreamConfigRequest* request,
                                            pb::StreamState* response) override;

  // The two stages of one frame (public for the reactor).
  ExtractedFrame Extract(const pb::Frame& frame) const;
  pb::DriftReport Apply(const pb::Frame& frame, const ExtractedFrame& extracted);
  WorkerPool& pool() { return pool_; }
  IngestBudget& budget() { return budget_; }
  DriftMetrics& metrics() { return metrics_; }

  // Removes streams idle longer than the registry's idle_timeout (by the clock)
  // and their metric series. Run by the janitor every expiry_interval.
  void ExpireIdleStreams();

 private:
  // Runs `work` on the pool and finishes the call with its status from there.
  grpc::ServerUnaryReactor* Offload(grpc::CallbackServerContext* context,
                                    std::function<absl::Status()> work);
  absl::Time Now() const { return options_.clock ? options_.clock() : absl::Now(); }

  StreamRegistry& registry_;
  DriftMetrics& metrics_;
  WorkerPool& pool_;
  const Options options_;
  IngestBudget budget_;
  absl::Notification stop_;
  std::thread janitor_;
};

}  // namespace df::drift

#endif  // DATA_FACTORY_SERVICES_DRIFT_MONITOR_SERVER_DRIFT_SERVICE_H_
