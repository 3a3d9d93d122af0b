#include "tests/load/timer_queue.h"

#include <utility>

#include "absl/time/clock.h"

namespace df::load {

TimerQueue::TimerQueue() : thread_([this] { Loop(); }) {}

TimerQueue::~TimerQueue() { Stop(); }

void TimerQueue::RunAt(absl::Time when, std::function<void()> callback) {
  absl::MutexLock lock(&mu_);
  if (stopped_) return;
  entries_.emplace(Key{when, next_order_++}, std::move(callback));
}

void TimerQueue::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopped_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

void TimerQueue::Loop() {
  mu_.Lock();
  while (!stopped_) {
    if (entries_.empty()) {
      // Woken by RunAt (a new entry) or Stop.
      mu_.Await(absl::Condition(
          +[](TimerQueue* q)
               ABSL_NO_THREAD_SAFETY_ANALYSIS { return q->stopped_ || !q->entries_.empty(); },
          this));
      continue;
    }
    const absl::Time when = entries_.begin()->first.first;
    if (absl::Now() < when) {
      // Sleeps until the first entry is due; an earlier entry or Stop wakes it.
      struct Wake {
        TimerQueue* queue;
        absl::Time when;
      } wake{this, when};
      mu_.AwaitWithDeadline(absl::Condition(
                                +[](Wake* w) ABSL_NO_THREAD_SAFETY_ANALYSIS {
                                  return w->queue->stopped_ ||
                                         w->queue->entries_.begin()->first.first < w->when;
                                },
                                &wake),
                            when);
      continue;
    }
    std::function<void()> callback = std::move(entries_.extract(entries_.begin()).mapped());
    mu_.Unlock();
    callback();
    mu_.Lock();
  }
  mu_.Unlock();
}

}  // namespace df::load
