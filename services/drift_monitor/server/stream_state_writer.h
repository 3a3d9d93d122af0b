// StreamStateWriter: saves streams' durable state to a StreamStateStore on a thread
// of its own, so that no frame and no gRPC reaction waits for a disk or a Redis
// server, and restores the saved streams at start.
//
// The registry tells the writer (StreamStateListener) when a stream's reference is
// learnt, relearnt, pinned or reset, when its config is set, and when it expires.
// The writer keeps at most one pending operation per stream id (the latest wins: a
// save takes the stream's snapshot when it runs, a removal replaces a pending save)
// and runs them in order on its thread. A failed operation is logged, counted and
// retried after `retry_delay` unless a newer one for the id came meanwhile. The
// destructor runs what is pending (each once) before it returns.
//
// Metrics:
//   drift_monitor_state_records_damaged_total   stored records found damaged at start
//   drift_monitor_state_writes_total{result}    saves and removals, ok | error
//   drift_monitor_state_writes_pending          operations waiting for the store
//
// Usage:
//   StreamStateWriter writer(std::move(store), metrics_registry, {});
//   registry_options.state_listener = &writer;
//   StreamRegistry registry(registry_options);
//   absl::StatusOr<size_t> restored = writer.RestoreInto(registry, absl::Now());
//
// Thread-safety: StreamChanged and StreamRemoved are thread-safe and never block on
// the store; RestoreInto runs before serving. Failure: RestoreInto fails only when
// the store cannot be read (naming it); damaged records are logged with their path
// or key and reason, counted, moved aside, and their streams start fresh.
#ifndef DATA_FACTORY_SERVICES_DRIFT_MONITOR_SERVER_STREAM_STATE_WRITER_H_
#define DATA_FACTORY_SERVICES_DRIFT_MONITOR_SERVER_STREAM_STATE_WRITER_H_

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <deque>
#include <memory>
#include <string>
#include <thread>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/drift_monitor/core/stream_registry.h"
#include "services/drift_monitor/state/stream_state_store.h"

namespace df::drift {

class StreamStateWriter final : public StreamStateListener {
 public:
  struct Options {
    absl::Duration retry_delay = absl::Seconds(1);
  };
  StreamStateWriter(std::unique_ptr<StreamStateStore> store, prometheus::Registry& metrics,
                    Options options);
  ~StreamStateWriter() override;
  StreamStateWriter(const StreamStateWriter&) = delete;
  StreamStateWriter& operator=(const StreamStateWriter&) = delete;

  // Loads every stored stream into `registry` (idle since `now`); returns how many.
  [[nodiscard]] absl::StatusOr<size_t> RestoreInto(StreamRegistry& registry, absl::Time now);

  void StreamChanged(std::shared_ptr<Stream> stream) override;
  void StreamRemoved(const std::string& stream_id) override;

  // Blocks until nothing is pending or running (tests).
  void WaitUntilIdle();
  const StreamStateStore& store() const { return *store_; }

 private:
  // A pending operation: save `stream` (its state when it runs), or remove the id.
  struct Pending {
    std::shared_ptr<Stream> stream;  // null: remove
  };
  void Run();
  void Enqueue(const std::string& id, Pending pending) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status Apply(const std::string& id, const Pending& pending);

  const std::unique_ptr<StreamStateStore> store_;
  const Options options_;
  prometheus::Counter& damaged_;
  prometheus::Family<prometheus::Counter>& writes_;
  prometheus::Counter& writes_ok_;
  prometheus::Counter& writes_failed_;
  prometheus::Gauge& pending_gauge_;

  absl::Mutex mu_;
  absl::flat_hash_map<std::string, Pending> pending_ ABSL_GUARDED_BY(mu_);
  std::deque<std::string> order_ ABSL_GUARDED_BY(mu_);  // ids of pending_, oldest first
  bool busy_ ABSL_GUARDED_BY(mu_) = false;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace df::drift

#endif  // DATA_FACTORY_SERVICES_DRIFT_MONITOR_SERVER_STREAM_STATE_WRITER_H_
