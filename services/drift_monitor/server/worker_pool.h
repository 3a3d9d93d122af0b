// WorkerPool: a fixed set of threads running submitted tasks in FIFO order.
//
// The gRPC reactors hand decoding and feature extraction to this pool so that no
// reaction blocks. Producers bound the queue themselves (each Ingest call keeps at
// most a fixed number of frames in flight).
//
// Thread-safety: Submit() is thread-safe. The destructor runs every queued task,
// then joins the threads. Failure: none.
#ifndef DATA_FACTORY_SERVICES_DRIFT_MONITOR_SERVER_WORKER_POOL_H_
#define DATA_FACTORY_SERVICES_DRIFT_MONITOR_SERVER_WORKER_POOL_H_

#include <deque>
#include <functional>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"

namespace df::drift {

class WorkerPool {
 public:
  explicit WorkerPool(int threads);
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;
  ~WorkerPool();

  void Submit(std::function<void()> task);

 private:
  void Run();

  absl::Mutex mu_;
  std::deque<std::function<void()>> tasks_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> threads_;
};

}  // namespace df::drift

#endif  // DATA_FACTORY_SERVICES_DRIFT_MONITOR_SERVER_WORKER_POOL_H_
