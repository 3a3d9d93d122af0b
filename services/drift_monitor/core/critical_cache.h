// CriticalStatisticCache: the K-S rejection thresholds of the whole process.
//
// KsCriticalStatistic(n1, n2, alpha) costs ~1 ms for equal sizes and up to ~0.5 s
// for coprime sizes near 10,000, and every stream with the same sizes and alpha
// needs the same value. This cache computes each (n1, n2, alpha) once per process
// and shares it between all detectors. The drift monitor warms it on its worker
// pool when a configuration is accepted, so no stream computes it in its hot path
// (or while holding its lock) and no gRPC reaction waits for it. It holds at most
// `capacity` values (clients choose alpha and the sizes, so the keys are theirs);
// past it, the oldest value is forgotten (a detector keeps its own copy of the
// value it uses, so forgetting costs a recomputation only for a new detector).
//
// Usage:
//   double d = CriticalStatisticCache::Global().Get(200, 50, 0.005);
//
// Thread-safety: all methods are thread-safe; the computation runs without the
// cache's lock (two threads missing the same key at once may both compute it; the
// values are equal). Failure: none; arguments as for KsCriticalStatistic.
#ifndef DATA_FACTORY_SERVICES_DRIFT_MONITOR_CORE_CRITICAL_CACHE_H_
#define DATA_FACTORY_SERVICES_DRIFT_MONITOR_CORE_CRITICAL_CACHE_H_

#include <cstdint>
#include <deque>
#include <optional>
#include <tuple>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"

namespace df::drift {

class CriticalStatisticCache {
 public:
  // Values kept at most by Global().
  static constexpr size_t kDefaultCapacity = 4096;

  explicit CriticalStatisticCache(size_t capacity = kDefaultCapacity) : capacity_(capacity) {}
  CriticalStatisticCache(const CriticalStatisticCache&) = delete;
  CriticalStatisticCache& operator=(const CriticalStatisticCache&) = delete;

  static CriticalStatisticCache& Global();

  // df::stats::KsCriticalStatistic(n1, n2, alpha), computed on the first request.
  double Get(int64_t n1, int64_t n2, double alpha);
  // The cached value, if it was computed already.
  std::optional<double> Find(int64_t n1, int64_t n2, double alpha) const;
  // How many values this cache computed (for tests).
  int64_t computations() const;
  size_t size() const;

 private:
  using Key = std::tuple<int64_t, int64_t, double>;
  const size_t capacity_;
  mutable absl::Mutex mu_;
  absl::flat_hash_map<Key, double> values_ ABSL_GUARDED_BY(mu_);
  std::deque<Key> insertion_order_ ABSL_GUARDED_BY(mu_);  // oldest first
  int64_t computations_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace df::drift

#endif  // DATA_FACTORY_SERVICES_DRIFT_MONITOR_CORE_CRITICAL_CACHE_H_
