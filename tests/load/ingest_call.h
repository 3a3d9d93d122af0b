// IngestCall: one Ingest call of the camera load (camera_load.h), carrying the
// frames of one or more cameras. The timer thread hands it frames as they fall
// due (Enqueue) and ends it (Close); it writes them one at a time, reads every
// report, and pairs the n-th report with the n-th frame written to time it.
//
// Usage (camera_load.cc):
//   IngestCall call(stub, jpegs, steady_begin, steady_end, deadline, &done);
//   call.Enqueue(stream_id, camera, sequence, due);   // from the timer thread
//   call.Close();                                      // after its cameras' last frame
//   done.Wait();  then read call.status(), call.tally()
//
// Lifetime: the call holds itself open (AddHold) from its start until Close() has
// let every queued frame be written, or until the server ended the call; only then
// can OnDone run, which counts down `done`. Destroy it after `done`.
// Thread-safety: Enqueue and Close from one thread (the timer); reactions on gRPC's
// threads; shared state under mu_, which is never held while calling into gRPC.
// Failure: none of its own; a failed call is its status.
#ifndef DATA_FACTORY_TESTS_LOAD_INGEST_CALL_H_
#define DATA_FACTORY_TESTS_LOAD_INGEST_CALL_H_

#include <grpcpp/grpcpp.h>

#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/blocking_counter.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "datafactory/drift/v1/drift_monitor.grpc.pb.h"

namespace df::load {

// What one call sent and got back.
struct IngestTally {
  int64_t sent = 0;
  int64_t answered = 0;
  int64_t not_sent = 0;  // due after the call had ended
  int64_t answered_in_steady_window = 0;
  std::map<std::string, int64_t> frame_errors;
  std::vector<double> latency_ms;
};

class IngestCall final : public grpc::ClientBidiReactor<datafactory::drift::v1::Frame,
                                                        datafactory::drift::v1::DriftReport> {
 public:
  struct Window {
    absl::Time begin;
    absl::Time end;
  };
  // Starts the call at once.
  IngestCall(datafactory::drift::v1::DriftMonitor::Stub& stub,
             const std::vector<std::string>& jpegs, Window steady, absl::Time deadline,
             absl::BlockingCounter& done);

  void Enqueue(const std::string& stream_id, int camera, uint64_t sequence, absl::Time due);
  void Close();

  void OnWriteDone(bool ok) override;
  void OnReadDone(bool ok) override;
  void OnDone(const grpc::Status& status) override;

  // After `done`.
  const grpc::Status& status() const { return status_; }
  IngestTally tally() {
    absl::MutexLock lock(&mu_);
    return tally_;
  }

 private:
  struct Due {
    std::string stream_id;
    int camera;
    uint64_t sequence;
    absl::Time due;
  };
  // What to do after a change of state, decided under mu_ and done outside it.
  enum class Next { kNothing, kWrite, kWritesDone, kRelease };
  Next DecideLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Do(Next next);

  const std::vector<std::string>& jpegs_;
  const Window steady_;
  absl::BlockingCounter& done_;
  grpc::ClientContext context_;
  datafactory::drift::v1::Frame frame_;  // the write in flight (one at a time)
  datafactory::drift::v1::DriftReport report_;
  grpc::Status status_;

  absl::Mutex mu_;
  std::deque<Due> queued_ ABSL_GUARDED_BY(mu_);
  std::deque<absl::Time> unanswered_ ABSL_GUARDED_BY(mu_);  // due times, in write order
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  bool closing_ ABSL_GUARDED_BY(mu_) = false;  // no more frames will be enqueued
  bool ended_ ABSL_GUARDED_BY(mu_) = false;    // the server ended the call or a write failed
  bool released_ ABSL_GUARDED_BY(mu_) = false;
  IngestTally tally_ ABSL_GUARDED_BY(mu_);
};

}  // namespace df::load

#endif  // DATA_FACTORY_TESTS_LOAD_INGEST_CALL_H_
