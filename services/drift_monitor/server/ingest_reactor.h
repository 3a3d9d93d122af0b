// IngestReactor: one Ingest call, a bidirectional stream of Frame -> DriftReport.
//
// Each frame read becomes a FrameInput (views into the message, no pixel copies)
// and goes to the WorkerPool for the pipeline's parallel stage
// (FramePipeline::Extract: validate, decode, features); results are applied
// (FramePipeline::Apply) in the order the frames arrived, recorded in the metrics
// and answered with one DriftReport each. At most kMaxFramesInFlight frames per
// call are read ahead, which gives the client back-pressure. Every frame read
// counts its bytes in the process-wide IngestBudget until its report is queued; a
// call starts its next read only while the budget allows it (otherwise the worker
// that frees bytes resumes it). A bad frame yields a report with `error` set; it
// never ends the call. No reaction blocks.
//
// Usage (in the service's Ingest, once budget.TryStartCall() admitted the call):
//   metrics.IngestCallStarted();
//   return new IngestReactor(pipeline, pool, budget, metrics);
//
// Lifetime: the reactor deletes itself in OnDone, which gRPC calls after Finish and
// after every started operation completed. Finish waits until every frame read
// was applied; the worker leaving the last apply loop may still be running then,
// and touches only its locals (see OnExtracted). OnDone ends the call in the
// budget (EndCall) and in the metrics. The pipeline, pool, budget and metrics must
// outlive every call: destroy the grpc::Server (which waits for them) first.
// Thread-safety: reactions and worker tasks run concurrently; the call's state is
// guarded by its mutex, which is not held while a frame is applied nor while the
// budget runs resume callbacks.
// Failure: none of its own; the call finishes OK once the client's writes are done
// and every report is written (or a write failed: the client went away).
#ifndef DATA_FACTORY_SERVICES_DRIFT_MONITOR_SERVER_INGEST_REACTOR_H_
#define DATA_FACTORY_SERVICES_DRIFT_MONITOR_SERVER_INGEST_REACTOR_H_

#include <cstdint>
#include <deque>
#include <map>
#include <memory>

#include "absl/synchronization/mutex.h"
#include "datafactory/drift/v1/drift_monitor.grpc.pb.h"
#include "services/drift_monitor/core/frame_input.h"
#include "services/drift_monitor/core/frame_pipeline.h"
#include "services/drift_monitor/server/drift_metrics.h"
#include "services/drift_monitor/server/ingest_budget.h"
#include "services/drift_monitor/server/worker_pool.h"

namespace df::drift {

namespace pb = ::datafactory::drift::v1;

// Frames one call reads ahead of its written reports.
inline constexpr int kMaxFramesInFlight = 16;

class IngestReactor final : public grpc::ServerBidiReactor<pb::Frame, pb::DriftReport> {
 public:
  IngestReactor(FramePipeline& pipeline, WorkerPool& pool, IngestBudget& budget,
                DriftMetrics& metrics);

  void OnReadDone(bool ok) override;
  void OnWriteDone(bool ok) override;
  void OnDone() override;

 private:
  struct Actions {
    bool read = false;
    const pb::DriftReport* write = nullptr;
    bool finish = false;
  };
  // A frame through the parallel stage, waiting for its turn to be applied.
  struct Done {
    std::shared_ptr<pb::Frame> frame;
    FrameInput input;  // views into *frame
    int64_t bytes;     // counted in the budget until its report is queued
    ExtractedFrame extracted;
  };

  void OnExtracted(uint64_t seq, Done done);
  // Run by IngestBudget::Release once frame bytes are below the limit again.
  void OnBudget();
  Actions NextActionsLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Perform(const Actions& act);

  FramePipeline& pipeline_;
  WorkerPool& pool_;
  IngestBudget& budget_;
  DriftMetrics& metrics_;
  pb::Frame incoming_;  // target of the one outstanding read
  absl::Mutex mu_;
  bool reading_ ABSL_GUARDED_BY(mu_) = false;
  bool waiting_for_budget_ ABSL_GUARDED_BY(mu_) = false;
  bool applying_ ABSL_GUARDED_BY(mu_) = false;  // a worker is in the apply loop
  bool reads_done_ ABSL_GUARDED_BY(mu_) = false;
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  bool write_failed_ ABSL_GUARDED_BY(mu_) = false;
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
  int in_flight_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t next_read_seq_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t next_apply_seq_ ABSL_GUARDED_BY(mu_) = 0;
  std::map<uint64_t, Done> done_ ABSL_GUARDED_BY(mu_);
  std::deque<pb::DriftReport> pending_writes_ ABSL_GUARDED_BY(mu_);
  pb::DriftReport current_write_;  // owned by the one outstanding write
};

}  // namespace df::drift

#endif  // DATA_FACTORY_SERVICES_DRIFT_MONITOR_SERVER_INGEST_REACTOR_H_
