// IngestReactor: one Ingest call, a bidirectional stream of Frame -> DriftReport.
//
// Ingest is a raw method: each message read is a grpc::ByteBuffer, parsed here as
// a FrameWire (frame_wire.h), so bytes that are no Frame, or a frame whose text
// fields are not UTF-8, get a report with `error` set and the call goes on. Each
// frame becomes a FrameInput (views into the parsed message, no pixel copies) and
// goes to the WorkerPool, as a task of the call's own flow (scheduled fairly
// against other calls, worker_pool.h), for the pipeline's parallel stage
// (FramePipeline::Extract: validate, decode, features); results are applied (FramePipeline::Apply)
// in the order the frames arrived, recorded in the metrics and answered with one DriftReport each.
// At most kMaxFramesInFlight frames per call are read ahead, which gives the client back-pressure.
// Every frame read counts its bytes in the process-wide IngestBudget until its report is queued; a
// call starts its next read only while the budget allows it (otherwise the worker that frees bytes
// resumes it). A bad frame yields a report with `error` set; it never ends the call. No reaction
// blocks.
//
// A call ends:
//  * when the client is done writing and every report is written (OK);
//  * when the client cancels or goes away (OnCancel): its slot in the budget is
//    freed at once, and frames still queued are dropped without being decoded;
//  * when it read no frame for `idle_timeout` while waiting for one
//    (OpenIngestCalls::CloseIdle; UNAVAILABLE naming --ingest_idle_timeout).
//
// Usage (in the service's Ingest, once budget.TryStartCall() admitted the call):
//   metrics.IngestCallStarted();
//   return new IngestReactor(shared);
//
// Lifetime: the reactor adds itself to shared.calls and deletes itself in OnDone,
// which gRPC calls after Finish and after every started operation completed.
// Finish waits until every frame read was applied or dropped; the worker leaving
// the last apply loop may still be running then, and touches only its locals (see
// OnExtracted). Everything in IngestShared must outlive every call: destroy the
// grpc::Server (which waits for them) first.
// Thread-safety: reactions and worker tasks run concurrently; the call's state is
// guarded by its mutex, which is not held while a frame is applied nor while the
// budget runs resume callbacks. Lock order: OpenIngestCalls, then a call's mutex.
// Failure: none of its own; see "A call ends".
#ifndef DATA_FACTORY_SERVICES_DRIFT_MONITOR_SERVER_INGEST_REACTOR_H_
#define DATA_FACTORY_SERVICES_DRIFT_MONITOR_SERVER_INGEST_REACTOR_H_

#include <grpcpp/support/byte_buffer.h>

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>

#include "absl/container/flat_hash_set.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "datafactory/drift/v1/drift_monitor.grpc.pb.h"
#include "services/drift_monitor/core/frame_input.h"
#include "services/drift_monitor/core/frame_pipeline.h"
#include "services/drift_monitor/server/drift_metrics.h"
#include "services/drift_monitor/server/frame_wire.h"
#include "services/drift_monitor/server/ingest_budget.h"
#include "services/drift_monitor/server/worker_pool.h"

namespace df::drift {

// Frames one call reads ahead of its written reports.
inline constexpr int kMaxFramesInFlight = 16;
// A frame decoding to this many pixels or more is a heavy task for the pool
// (worker_pool.h) from the start: a 4K frame decoded in full, a 40-megapixel PNG.
inline constexpr uint64_t kHeavyFramePixels = 8'000'000;
// Default --ingest_idle_timeout: a doorbell at 0.5 fps sends every 2 s.
inline constexpr absl::Duration kDefaultIngestIdleTimeout = absl::Seconds(60);

class OpenIngestCalls;

// What the Ingest calls of one service share.
struct IngestShared {
  FramePipeline& pipeline;
  WorkerPool& pool;
  IngestBudget& budget;
  DriftMetrics& metrics;
  OpenIngestCalls& calls;
  // A call waiting this long for its next frame is closed (InfiniteDuration: never).
  absl::Duration idle_timeout = kDefaultIngestIdleTimeout;
  std::function<absl::Time()> clock;  // empty: absl::Now
};

class IngestReactor final : public grpc::ServerBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer> {
 public:
  explicit IngestReactor(IngestShared& shared);

  void OnReadDone(bool ok) override;
  void OnWriteDone(bool ok) override;
  void OnCancel() override;
  void OnDone() override;

 private:
  friend class OpenIngestCalls;

  struct Actions {
    bool read = false;
    const grpc::ByteBuffer* write = nullptr;
    bool finish = false;
  };
  // A frame through the parallel stage, waiting for its turn to be applied.
  struct Done {
    std::shared_ptr<wire::FrameWire> frame;
    FrameInput input;  // views into *frame
    int64_t bytes;     // counted in the budget until its report is queued
    ExtractedFrame extracted;
  };

  // One message read, parsed (outside the call's lock) and ready for the pool.
  struct ReadFrame {
    std::shared_ptr<wire::FrameWire> frame;  // empty fields when its bytes did not parse
    FrameInput input;                        // views into *frame
    bool parsed;
    bool heavy;     // its header promises a costly decode (kHeavyFramePixels)
    int64_t bytes;  // the message's size
  };
  // Parses incoming_, the buffer of the read that just completed, and clears it.
  ReadFrame ParseIncoming();
  // Hands one frame read to the pool.
  void SubmitLocked(ReadFrame read) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void OnExtracted(uint64_t seq, Done done);
  // Run by IngestBudget::Release once frame bytes are below the limit again.
  void OnBudget();
  // Marks the call finished if it has waited `idle_timeout` for a frame with
  // nothing in flight; the caller then calls FinishIdle (outside every lock).
  [[nodiscard]] bool MarkIdle(absl::Time now);
  void FinishIdle();
  // Ends the call in the budget and the metrics, once (on cancel or at OnDone).
  void EndCallOnce();
  Actions NextActionsLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Perform(const Actions& act);
  absl::Time Now() const { return shared_.clock ? shared_.clock() : absl::Now(); }

  IngestShared& shared_;
  const WorkerPool::Flow flow_;  // this call's tasks, scheduled fairly against others
  grpc::ByteBuffer incoming_;    // target of the one outstanding read
  std::atomic<bool> cancelled_{false};
  std::atomic<bool> call_ended_{false};
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
  absl::Time last_frame_time_ ABSL_GUARDED_BY(mu_);  // start of the call, then last read
  std::map<uint64_t, Done> done_ ABSL_GUARDED_BY(mu_);
  std::deque<grpc::ByteBuffer> pending_writes_ ABSL_GUARDED_BY(mu_);
  grpc::ByteBuffer current_write_;  // owned by the one outstanding write
};

// The Ingest calls open in one service, for closing idle ones.
//
// Thread-safety: thread-safe. Failure: none.
class OpenIngestCalls {
 public:
  void Add(IngestReactor* call);
  void Remove(IngestReactor* call);
  // Closes every call that has waited `idle_timeout` for a frame at `now`; returns
  // how many.
  int CloseIdle(absl::Time now);
  size_t size() const;

 private:
  mutable absl::Mutex mu_;
  absl::flat_hash_set<IngestReactor*> calls_ ABSL_GUARDED_BY(mu_);
};

}  // namespace df::drift

#endif  // DATA_FACTORY_SERVICES_DRIFT_MONITOR_SERVER_INGEST_REACTOR_H_
