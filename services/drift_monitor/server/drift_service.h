// DriftMonitorService: the gRPC adapter of the drift monitor (callback API).
//
// Ingest: admission, then one IngestReactor per call (ingest_reactor.h), which runs
// each frame through the FramePipeline (core/frame_pipeline.h) on the WorkerPool.
// Ingest is registered as a raw method (bytes in, bytes out; frame_wire.h), so a
// frame protobuf cannot parse is refused alone; the other methods are typed.
// Memory is bounded process-wide by an IngestBudget (ingest_budget.h): at most
// `max_calls` concurrent Ingest calls (one more is refused with
// RESOURCE_EXHAUSTED), and a call starts its next read only while the frame bytes
// in flight over all calls are below `max_in_flight_bytes`. Frame bytes held are
// thus at most max_in_flight_bytes + max_calls * max frame size. Unary calls
// (list, get, pin, reset, configure) touch only in-memory state; all but
// ListStreams run on the pool, configuration work in one flow of its own. A janitor thread expires
// idle streams and closes Ingest calls idle longer than `ingest_idle_timeout`.
//
// Usage:
//   DriftMonitorService service(registry, metrics, pool, options);
//   auto server = df::server::GrpcServer::Start(address, {&service}, server_options);
//
// Thread-safety: all methods are thread-safe. The registry, metrics and pool must
// outlive the service; destroy the grpc::Server first (it waits for every call).
// Failure: a state-changing call without the configured bearer token is
// UNAUTHENTICATED (PERMISSION_DENIED with another token); invalid requests get INVALID_ARGUMENT /
// NOT_FOUND / RESOURCE_EXHAUSTED / FAILED_PRECONDITION with a message naming the field; a bad frame
// gets a report with `error` set and never ends its call.
#ifndef DATA_FACTORY_SERVICES_DRIFT_MONITOR_SERVER_DRIFT_SERVICE_H_
#define DATA_FACTORY_SERVICES_DRIFT_MONITOR_SERVER_DRIFT_SERVICE_H_

#include <functional>
#include <memory>
#include <string_view>
#include <thread>

#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "datafactory/drift/v1/drift_monitor.grpc.pb.h"
#include "services/common/access_control.h"
#include "services/drift_monitor/core/frame_pipeline.h"
#include "services/drift_monitor/core/frame_validation.h"
#include "services/drift_monitor/core/image_decoder.h"
#include "services/drift_monitor/core/stream_registry.h"
#include "services/drift_monitor/server/drift_metrics.h"
#include "services/drift_monitor/server/ingest_budget.h"
#include "services/drift_monitor/server/ingest_reactor.h"
#include "services/drift_monitor/server/worker_pool.h"

namespace df::drift {

namespace pb = ::datafactory::drift::v1;

// Default cap on one Frame message (drift-monitor --max_frame_mib): room for a raw
// 4K BGR frame (25 MB) with margin. gRPC rejects a larger message before the
// service sees it, ending that Ingest call with RESOURCE_EXHAUSTED.
inline constexpr int kDefaultMaxFrameMib = 64;

// The generated callback service with Ingest raw (grpc::ByteBuffer) instead of typed.
using DriftMonitorCallbackBase = pb::DriftMonitor::WithRawCallbackMethod_Ingest<
    pb::DriftMonitor::WithCallbackMethod_ListStreams<pb::DriftMonitor::WithCallbackMethod_GetStream<
        pb::DriftMonitor::WithCallbackMethod_PinReference<
            pb::DriftMonitor::WithCallbackMethod_ResetReference<
                pb::DriftMonitor::WithCallbackMethod_SetStreamConfig<
                    pb::DriftMonitor::Service>>>>>>;

class DriftMonitorService final : public DriftMonitorCallbackBase {
 public:
  struct Options {
    DecodeOptions decode;
    // Period of the janitor thread expiring idle streams and closing idle Ingest
    // calls; InfiniteDuration() runs no janitor (the owner calls ExpireIdleStreams
    // and CloseIdleIngestCalls itself).
    absl::Duration expiry_interval = absl::Seconds(1);
    // Time source for stream activity and expiry (empty: absl::Now).
    std::function<absl::Time()> clock;
    IngestBudget::Limits ingest_limits;
    // An Ingest call waiting this long for a frame is closed (UNAVAILABLE);
    // InfiniteDuration() never closes one.
    absl::Duration ingest_idle_timeout = kDefaultIngestIdleTimeout;
    // The bearer token the state-changing calls (Ingest, PinReference,
    // ResetReference, SetStreamConfig) need; by default none.
    df::server::AccessControl access;
  };
  DriftMonitorService(StreamRegistry& registry, DriftMetrics& metrics, WorkerPool& pool,
                      Options options);
  ~DriftMonitorService() override;

  grpc::ServerBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer>* Ingest(
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

  // The Ingest limits' current use (for tests and diagnostics).
  const IngestBudget& ingest_budget() const { return budget_; }
  size_t open_ingest_calls() const { return calls_.size(); }

  // Removes streams idle longer than the registry's idle_timeout (by the clock)
  // and their metric series. Run by the janitor every expiry_interval.
  void ExpireIdleStreams();
  // Closes the Ingest calls that waited ingest_idle_timeout for a frame (by the
  // clock); returns how many. Run by the janitor every expiry_interval.
  int CloseIdleIngestCalls();

 private:
  // Runs `work` on the pool, in `flow`, and finishes the call with its status from
  // there.
  grpc::ServerUnaryReactor* Offload(grpc::CallbackServerContext* context,
                                    std::function<absl::Status()> work,
                                    WorkerPool::Flow flow = WorkerPool::kSharedFlow);
  // The registry's stream `id` (INVALID_ARGUMENT for a malformed id).
  [[nodiscard]] absl::StatusOr<std::shared_ptr<Stream>> FindStream(std::string_view id) const;
  absl::Time Now() const { return options_.clock ? options_.clock() : absl::Now(); }

  StreamRegistry& registry_;
  DriftMetrics& metrics_;
  WorkerPool& pool_;
  const Options options_;
  IngestBudget budget_;
  FramePipeline pipeline_;
  OpenIngestCalls calls_;
  IngestShared ingest_;
  // Configuration work that may compute K-S thresholds (up to ~0.5 s each):
  // SetStreamConfig, PinReference. One flow for all of it, so the pool keeps it to
  // one worker once it proves heavy, whoever sends it.
  const WorkerPool::Flow config_flow_;
  absl::Notification stop_;
  std::thread janitor_;
};

}  // namespace df::drift

#endif  // DATA_FACTORY_SERVICES_DRIFT_MONITOR_SERVER_DRIFT_SERVICE_H_
