#include "services/drift_monitor/server/worker_pool.h"

#include <pthread.h>

#include <algorithm>
#include <ctime>

#include "absl/strings/str_cat.h"

namespace df::drift {
namespace {

// CPU time the calling thread has used, seconds.
double ThreadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// Weight of the newest task in a flow's average task cost.
constexpr double kCostSmoothing = 0.25;

}  // namespace

WorkerPool::WorkerPool(int threads, Options options)
    : options_(options), heavy_slots_(std::max(1, std::max(1, threads) - 1)) {
  {
    absl::MutexLock lock(&mu_);
    FlowState& shared = flows_[kSharedFlow];
    shared.credit_s = absl::ToDoubleSeconds(options_.flow_cpu_burst);
    shared.credited_at = absl::Now();
  }
  for (int i = 0; i < std::max(1, threads); ++i) {
    threads_.emplace_back([this, i] {
      // Named for top -H, perf and gdb (at most 15 characters).
      pthread_setname_np(pthread_self(), absl::StrCat("df-worker-", i).substr(0, 15).c_str());
      Run();
    });
  }
}

WorkerPool::~WorkerPool() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  for (auto& t : threads_) t.join();
}

WorkerPool::Flow WorkerPool::NewFlow() {
  absl::MutexLock lock(&mu_);
  const Flow id = next_flow_++;
  FlowState& flow = flows_[id];
  flow.credit_s = absl::ToDoubleSeconds(options_.flow_cpu_burst);
  flow.credited_at = absl::Now();
  return id;
}

void WorkerPool::EndFlow(Flow flow) {
  absl::MutexLock lock(&mu_);
  auto it = flows_.find(flow);
  if (it == flows_.end() || flow == kSharedFlow) return;
  it->second.ended = true;
  ForgetIfDoneLocked(flow);
}

void WorkerPool::Submit(Flow flow, std::function<void()> task) {
  absl::MutexLock lock(&mu_);
  auto [it, created] = flows_.try_emplace(flow);
  if (created) {  // not from NewFlow (or ended already): an ordinary flow from now
    it->second.credit_s = absl::ToDoubleSeconds(options_.flow_cpu_burst);
    it->second.credited_at = absl::Now();
  }
  it->second.tasks.push_back(std::move(task));
  if (it->second.tasks.size() == 1) ready_.push_back(flow);
}

bool WorkerPool::IsHeavy(Flow flow) const {
  absl::MutexLock lock(&mu_);
  auto it = flows_.find(flow);
  return it != flows_.end() && HeavyLocked(it->second);
}

bool WorkerPool::HeavyLocked(const FlowState& flow) const {
  return flow.mean_task_cpu_s >= absl::ToDoubleSeconds(options_.heavy_task_cpu);
}

void WorkerPool::CreditLocked(FlowState& flow, absl::Time now) {
  const double burst = absl::ToDoubleSeconds(options_.flow_cpu_burst);
  const double earned = options_.flow_cpu_share * absl::ToDoubleSeconds(now - flow.credited_at);
  flow.credit_s = std::min(burst, flow.credit_s + std::max(0.0, earned));
  flow.credited_at = now;
}

bool WorkerPool::HasRunnableLocked() const {
  if (heavy_running_ < heavy_slots_) return !ready_.empty();
  return std::any_of(ready_.begin(), ready_.end(),
                     [this](Flow id) { return !HeavyLocked(flows_.at(id)); });
}

bool WorkerPool::PickLocked(Picked* picked) {
  const absl::Time now = absl::Now();
  const bool heavy_allowed = heavy_running_ < heavy_slots_;
  // First the flows within their CPU share, then (work-conserving) the others.
  for (const bool within_share_only : {true, false}) {
    for (auto pos = ready_.begin(); pos != ready_.end(); ++pos) {
      FlowState& flow = flows_.at(*pos);
      const bool heavy = HeavyLocked(flow);
      if (heavy && !heavy_allowed) continue;
      if (within_share_only) {
        CreditLocked(flow, now);
        if (flow.credit_s < 0) continue;
      }
      *picked = Picked{*pos, std::move(flow.tasks.front()), heavy};
      flow.tasks.pop_front();
      ready_.erase(pos);
      if (!flow.tasks.empty()) ready_.push_back(picked->flow);  // its next turn
      ++flow.running;
      if (heavy) ++heavy_running_;
      return true;
    }
  }
  return false;
}

void WorkerPool::ForgetIfDoneLocked(Flow id) {
  auto it = flows_.find(id);
  if (it == flows_.end() || id == kSharedFlow) return;
  const FlowState& flow = it->second;
  if (flow.ended && flow.tasks.empty() && flow.running == 0) flows_.erase(it);
}

void WorkerPool::Run() {
  for (;;) {
    Picked picked;
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(
          +[](WorkerPool* p) ABSL_EXCLUSIVE_LOCKS_REQUIRED(p->mu_) {
            return p->HasRunnableLocked() || (p->stopping_ && p->ready_.empty());
          },
          this));
      if (!PickLocked(&picked)) return;  // stopping and drained
    }
    const double cpu_before = ThreadCpuSeconds();
    picked.task();
    picked.task = nullptr;  // destroy what it captured before accounting
    const double cost = ThreadCpuSeconds() - cpu_before;
    absl::MutexLock lock(&mu_);
    if (picked.heavy) --heavy_running_;
    auto it = flows_.find(picked.flow);
    if (it == flows_.end()) continue;
    FlowState& flow = it->second;
    --flow.running;
    flow.mean_task_cpu_s = flow.mean_task_cpu_s == 0 ? cost
                                                     : (1 - kCostSmoothing) * flow.mean_task_cpu_s +
                                                           kCostSmoothing * cost;
    flow.credit_s -= cost;
    ForgetIfDoneLocked(picked.flow);
  }
}

}  // namespace df::drift
