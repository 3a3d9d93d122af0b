// IngestBudget: the process-wide limits on what Ingest calls hold in memory.
//
// Two limits, shared by every Ingest call of one service:
//  * open calls: at most `max_calls` Ingest calls at once; TryStartCall() refuses
//    one more (the service answers it RESOURCE_EXHAUSTED);
//  * frame bytes in flight: every frame read counts its bytes from the read until
//    its report is queued. A call starts its next read only while the bytes in
//    flight are below `max_in_flight_bytes`; otherwise it queues a resume callback,
//    which the Release() that brings the bytes below the limit runs (on that
//    worker thread, outside every lock here), so no one blocks waiting.
// Each call has at most one read outstanding, so the frame bytes held are at most
// max_in_flight_bytes + max_calls * (largest frame accepted).
//
// Thread-safety: all methods are thread-safe. Callbacks run without any lock of
// this class held; Release() must not be called with a lock the callbacks take.
// Failure: none (refusal is the return value).
#ifndef DATA_FACTORY_SERVICES_DRIFT_MONITOR_SERVER_INGEST_BUDGET_H_
#define DATA_FACTORY_SERVICES_DRIFT_MONITOR_SERVER_INGEST_BUDGET_H_

#include <cstdint>
#include <functional>
#include <vector>

#include "absl/synchronization/mutex.h"

namespace df::drift {

inline constexpr int64_t kDefaultMaxInFlightBytes = int64_t{256} << 20;
// One call per camera for a thousand cameras on one box (docs/drift.md, "Scale").
inline constexpr int kDefaultMaxIngestCalls = 1024;

class IngestBudget {
 public:
  struct Limits {
    int64_t max_in_flight_bytes = kDefaultMaxInFlightBytes;  // >= 1
    int max_calls = kDefaultMaxIngestCalls;                  // >= 1
  };
  explicit IngestBudget(Limits limits) : limits_(limits) {}
  IngestBudget(const IngestBudget&) = delete;
  IngestBudget& operator=(const IngestBudget&) = delete;

  const Limits& limits() const { return limits_; }

  // Admits one more call unless max_calls are open. Pair with EndCall().
  [[nodiscard]] bool TryStartCall();
  void EndCall();

  // True if a read may start now. Otherwise `resume` is queued and run exactly once,
  // by the Release() that brings the bytes in flight below the limit.
  [[nodiscard]] bool ReadAllowedOrWait(std::function<void()> resume);
  // A frame of `bytes` was read / is no longer held.
  void Acquire(int64_t bytes);
  void Release(int64_t bytes);

  int open_calls() const;
  int64_t in_flight_bytes() const;
  int64_t peak_in_flight_bytes() const;

 private:
  const Limits limits_;
  mutable absl::Mutex mu_;
  int open_calls_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t in_flight_bytes_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t peak_in_flight_bytes_ ABSL_GUARDED_BY(mu_) = 0;
  std::vector<std::function<void()>> waiting_ ABSL_GUARDED_BY(mu_);
};

}  // namespace df::drift

#endif  // DATA_FACTORY_SERVICES_DRIFT_MONITOR_SERVER_INGEST_BUDGET_H_
