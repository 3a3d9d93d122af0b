#include "services/drift_monitor/core/critical_cache.h"

#include <algorithm>

#include "services/stats/ks_test.h"

namespace df::drift {

CriticalStatisticCache& CriticalStatisticCache::Global() {
  static auto* cache = new CriticalStatisticCache();
  return *cache;
}

double CriticalStatisticCache::Get(int64_t n1, int64_t n2, double alpha) {
  if (std::optional<double> cached = Find(n1, n2, alpha)) return *cached;
  const double value = df::stats::KsCriticalStatistic(n1, n2, alpha);
  absl::MutexLock lock(&mu_);
  ++computations_;
  const Key key{n1, n2, alpha};
  if (values_.try_emplace(key, value).second) {
    insertion_order_.push_back(key);
    while (values_.size() > std::max<size_t>(1, capacity_)) {
      values_.erase(insertion_order_.front());
      insertion_order_.pop_front();
    }
  }
  return value;
}

std::optional<double> CriticalStatisticCache::Find(int64_t n1, int64_t n2, double alpha) const {
  absl::MutexLock lock(&mu_);
  auto it = values_.find(Key{n1, n2, alpha});
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

size_t CriticalStatisticCache::size() const {
  absl::MutexLock lock(&mu_);
  return values_.size();
}

int64_t CriticalStatisticCache::computations() const {
  absl::MutexLock lock(&mu_);
  return computations_;
}

}  // namespace df::drift
