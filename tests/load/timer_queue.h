// TimerQueue: runs callbacks at given times on one thread of its own. The load
// program's clock: cameras' frames fall due on it, call starts are ramped on it and
// slow telemetry readers start their next read from it, so a thousand streams need
// one timer thread rather than a thread each (the gRPC callback API has no timers).
//
// Usage:
//   TimerQueue timers;
//   timers.RunAt(absl::Now() + absl::Seconds(2), [] { ... });
//   timers.Stop();   // or the destructor: pending callbacks are dropped
//
// Callbacks run one at a time, in time order (ties in the order they were added),
// and must not block: they share the one thread. A callback may call RunAt.
// Thread-safety: RunAt and Stop may be called from any thread.
// Failure: none; a callback added after Stop is dropped.
#ifndef DATA_FACTORY_TESTS_LOAD_TIMER_QUEUE_H_
#define DATA_FACTORY_TESTS_LOAD_TIMER_QUEUE_H_

#include <cstdint>
#include <functional>
#include <map>
#include <thread>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace df::load {

class TimerQueue {
 public:
  TimerQueue();
  ~TimerQueue();
  TimerQueue(const TimerQueue&) = delete;
  TimerQueue& operator=(const TimerQueue&) = delete;

  void RunAt(absl::Time when, std::function<void()> callback);
  void Stop();

 private:
  // Keyed by (time due, order added): the first entry is the next to run.
  using Key = std::pair<absl::Time, uint64_t>;
  void Loop();

  absl::Mutex mu_;
  std::map<Key, std::function<void()>> entries_ ABSL_GUARDED_BY(mu_);
  uint64_t next_order_ ABSL_GUARDED_BY(mu_) = 0;
  bool stopped_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace df::load

#endif  // DATA_FACTORY_TESTS_LOAD_TIMER_QUEUE_H_
