#include "services/drift_monitor/server/worker_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <ctime>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"

namespace df::drift {
namespace {

// Spends `seconds` of this thread's CPU time.
void BurnCpu(double seconds) {
  auto now = [] {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
  };
  const double until = now() + seconds;
  while (now() < until) {
  }
}

// Records the order tasks ran in.
class Trace {
 public:
  std::function<void()> Task(std::string name) {
    return [this, name] {
      absl::MutexLock lock(&mu_);
      order_.push_back(name);
    };
  }
  std::vector<std::string> WaitFor(size_t n) {
    absl::MutexLock lock(&mu_);
    std::pair<Trace*, size_t> wanted(this, n);
    mu_.Await(absl::Condition(
        +[](std::pair<Trace*, size_t>* w)
             ABSL_NO_THREAD_SAFETY_ANALYSIS { return w->first->order_.size() >= w->second; },
        &wanted));
    return order_;
  }

 private:
  absl::Mutex mu_;
  std::vector<std::string> order_ ABSL_GUARDED_BY(mu_);
};

TEST(WorkerPoolTest, FlowsTakeTurns) {
  WorkerPool pool(1);
  absl::Notification release;
  pool.Submit(pool.NewFlow(), [&] { release.WaitForNotification(); });
  const WorkerPool::Flow a = pool.NewFlow();
  const WorkerPool::Flow b = pool.NewFlow();
  Trace trace;
  for (const char* name : {"a1", "a2", "a3"}) pool.Submit(a, trace.Task(name));
  pool.Submit(b, trace.Task("b1"));
  release.Notify();
  // b1 waits for one task of a, not for all of a's queue.
  EXPECT_EQ(trace.WaitFor(4), (std::vector<std::string>{"a1", "b1", "a2", "a3"}));
}

TEST(WorkerPoolTest, HeavyFlowsNeverTakeEveryWorker) {
  WorkerPool::Options options;
  options.heavy_task_cpu = absl::Milliseconds(2);
  WorkerPool pool(2, options);
  const WorkerPool::Flow heavy = pool.NewFlow();
  pool.Submit(heavy, [] { BurnCpu(0.005); });
  // Known heavy once that task's cost is accounted, just after it returns.
  for (int i = 0; i < 1000 && !pool.IsHeavy(heavy); ++i) absl::SleepFor(absl::Milliseconds(5));
  ASSERT_TRUE(pool.IsHeavy(heavy));

  std::atomic<int> running{0};
  std::atomic<int> most{0};
  Trace trace;
  for (int i = 0; i < 6; ++i) {
    pool.Submit(heavy, [&, i] {
      const int now = ++running;
      int seen = most.load();
      while (now > seen && !most.compare_exchange_weak(seen, now)) {
      }
      BurnCpu(0.005);
      --running;
      trace.Task("heavy")();
    });
  }
  const WorkerPool::Flow light = pool.NewFlow();
  for (int i = 0; i < 6; ++i) pool.Submit(light, trace.Task("light"));
  trace.WaitFor(12);
  EXPECT_EQ(most.load(), 1);  // one worker always left for the light flow
}

TEST(WorkerPoolTest, AFlowOverItsCpuShareWaitsForFlowsWithinTheirs) {
  WorkerPool::Options options;
  options.flow_cpu_share = 0;  // nothing is earned back
  options.flow_cpu_burst = absl::ZeroDuration();
  WorkerPool pool(1, options);
  const WorkerPool::Flow greedy = pool.NewFlow();
  absl::Notification spent;
  pool.Submit(greedy, [&] {
    BurnCpu(0.002);
    spent.Notify();
  });
  spent.WaitForNotification();
  absl::Notification release;
  pool.Submit(pool.NewFlow(), [&] { release.WaitForNotification(); });
  Trace trace;
  pool.Submit(greedy, trace.Task("greedy"));
  pool.Submit(pool.NewFlow(), trace.Task("fresh"));
  release.Notify();
  // Queued first, served second; and served at all (the pool withholds no idle worker).
  EXPECT_EQ(trace.WaitFor(2), (std::vector<std::string>{"fresh", "greedy"}));
}

TEST(WorkerPoolTest, TheDestructorRunsEveryQueuedTask) {
  std::atomic<int> ran{0};
  {
    WorkerPool pool(1);
    const WorkerPool::Flow flow = pool.NewFlow();
    for (int i = 0; i < 50; ++i) pool.Submit(flow, [&] { ++ran; });
    pool.EndFlow(flow);
    for (int i = 0; i < 50; ++i) pool.Submit([&] { ++ran; });
  }
  EXPECT_EQ(ran.load(), 100);
}

}  // namespace
}  // namespace df::drift
