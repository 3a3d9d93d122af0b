// WorkerPool: a fixed set of threads running tasks fairly across their sources.
//
// The gRPC reactors hand decoding and feature extraction to this pool so that no
// reaction blocks. Tasks come in flows: each Ingest call is one flow, the
// configuration work of the unary calls another (Submit without a flow). Producers
// bound their own queues (each Ingest call keeps at most a fixed number of frames in
// flight); the pool decides whose task runs next, so that one client's expensive
// frames delay mostly itself:
//  * round robin: a worker takes the next task of the next flow that has one, so a
//    flow with one queued task waits for at most one task of each other flow;
//  * heavy flows: a flow whose recent tasks cost `heavy_task_cpu` or more of CPU each
//    (an exponential average of the measured thread CPU time) is heavy; heavy tasks
//    occupy at most workers - 1 threads together (all of them with one worker), so
//    ordinary frames always have a worker;
//  * CPU share: each flow earns `flow_cpu_share` seconds of CPU per second, up to
//    `flow_cpu_burst` saved; a flow that spent more than it earned runs only when no
//    flow within its share has a task. Idle capacity is never withheld.
//
// Usage:
//   WorkerPool pool(2);
//   WorkerPool::Flow flow = pool.NewFlow();
//   pool.Submit(flow, [] { decode(); });
//   pool.EndFlow(flow);  // once its last task was submitted (tasks still run)
//
// Thread-safety: all methods are thread-safe. The destructor runs every queued task,
// then joins the threads. Failure: none.
#ifndef DATA_FACTORY_SERVICES_DRIFT_MONITOR_SERVER_WORKER_POOL_H_
#define DATA_FACTORY_SERVICES_DRIFT_MONITOR_SERVER_WORKER_POOL_H_

#include <cstdint>
#include <deque>
#include <functional>
#include <thread>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace df::drift {

class WorkerPool {
 public:
  struct Options {
    // A flow whose tasks average this much thread CPU or more is heavy.
    absl::Duration heavy_task_cpu = absl::Milliseconds(20);
    // CPU time one flow earns per second (1.0 = one core), and at most saved.
    double flow_cpu_share = 0.5;
    absl::Duration flow_cpu_burst = absl::Seconds(2);
  };
  using Flow = uint64_t;
  // The flow of Submit(task): configuration and other unary work.
  static constexpr Flow kSharedFlow = 0;

  explicit WorkerPool(int threads) : WorkerPool(threads, Options{}) {}
  WorkerPool(int threads, Options options);
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;
  ~WorkerPool();

  int threads() const { return static_cast<int>(threads_.size()); }

  // A new flow. Pair with EndFlow once no more tasks will be submitted to it.
  Flow NewFlow();
  // Forgets `flow` once its queued and running tasks are done.
  void EndFlow(Flow flow);
  void Submit(Flow flow, std::function<void()> task);
  void Submit(std::function<void()> task) { Submit(kSharedFlow, std::move(task)); }

  // Whether `flow` counts as heavy now (for tests and diagnostics).
  bool IsHeavy(Flow flow) const;

 private:
  struct FlowState {
    std::deque<std::function<void()>> tasks;
    int running = 0;
    bool ended = false;
    double mean_task_cpu_s = 0;  // exponential average of measured task CPU
    double credit_s = 0;         // CPU earned and not yet spent (may be negative)
    absl::Time credited_at;
  };
  struct Picked {
    Flow flow;
    std::function<void()> task;
    bool heavy;
  };

  void Run();
  // True (and `*picked` set) if some flow's task may run now.
  bool PickLocked(Picked* picked) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  bool HeavyLocked(const FlowState& flow) const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void CreditLocked(FlowState& flow, absl::Time now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void ForgetIfDoneLocked(Flow id) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  bool HasRunnableLocked() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const Options options_;
  const int heavy_slots_;  // heavy tasks that may run at once
  mutable absl::Mutex mu_;
  absl::flat_hash_map<Flow, FlowState> flows_ ABSL_GUARDED_BY(mu_);
  std::deque<Flow> ready_ ABSL_GUARDED_BY(mu_);  // flows with queued tasks, in turn order
  int heavy_running_ ABSL_GUARDED_BY(mu_) = 0;
  Flow next_flow_ ABSL_GUARDED_BY(mu_) = kSharedFlow + 1;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> threads_;
};

}  // namespace df::drift

#endif  // DATA_FACTORY_SERVICES_DRIFT_MONITOR_SERVER_WORKER_POOL_H_
