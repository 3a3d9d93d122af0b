#include "tests/load/timer_queue.h"

#include <gtest/gtest.h>

#include <vector>

#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"

namespace df::load {
namespace {

TEST(TimerQueueTest, RunsInTimeOrderThenInOrderAdded) {
  TimerQueue timers;
  absl::Mutex mu;
  std::vector<int> ran;
  absl::Notification done;
  const absl::Time t0 = absl::Now() + absl::Milliseconds(50);
  auto record = [&](int i) {
    absl::MutexLock lock(&mu);
    ran.push_back(i);
  };
  timers.RunAt(t0 + absl::Milliseconds(20), [&] {
    record(3);
    done.Notify();
  });
  timers.RunAt(t0, [&] { record(1); });
  timers.RunAt(t0, [&] { record(2); });
  // A callback may schedule another, earlier than entries already waiting.
  timers.RunAt(t0 - absl::Milliseconds(40), [&] {
    record(0);
    timers.RunAt(t0 - absl::Milliseconds(10), [&] { record(5); });
  });
  ASSERT_TRUE(done.WaitForNotificationWithTimeout(absl::Seconds(10)));
  const absl::Time finished = absl::Now();
  EXPECT_GE(finished, t0 + absl::Milliseconds(20));
  absl::MutexLock lock(&mu);
  EXPECT_EQ(ran, (std::vector<int>{0, 5, 1, 2, 3}));
}

TEST(TimerQueueTest, StopDropsWhatIsPending) {
  bool ran = false;
  {
    TimerQueue timers;
    timers.RunAt(absl::Now() + absl::Hours(1), [&] { ran = true; });
    timers.Stop();
    timers.RunAt(absl::Now(), [&] { ran = true; });
  }
  EXPECT_FALSE(ran);
}

}  // namespace
}  // namespace df::load
