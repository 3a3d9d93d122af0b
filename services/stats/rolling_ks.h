// Rolling two-sample K-S detector: a fixed reference window and a sliding current window.
//
// Purpose: per stream and feature, the drift monitor feeds one observation per frame.
// The first reference_size observations form the reference; later ones enter the current
// window, which slides (the oldest value is evicted once it holds window_size values).
// The ECDF difference is kept in a balanced search tree (treap) over the distinct values,
// one node per value with its reference and window counts, and per subtree the sum and
// the max/min prefix sum of c_ref*n_win - c_win*n_ref. So once both windows are full an
// update (one insertion + one eviction) costs O(log n) and Statistic() is O(1), with the
// exact tie handling of KsStatistic (the statistic is bit-identical to the batch one).
// While the window is still filling, n_win changes with every value, which re-weights
// every node: such an Add costs O(n) (a one-off cost of O(n^2) per window fill).
//
// Usage:
//   df::stats::RollingKs ks(/*reference_size=*/500, /*window_size=*/200);
//   df::stats::KsDecision decision(/*alpha=*/0.01);
//   for (double x : stream) {
//     ks.Add(x);
//     if (ks.window_full() && decision.Reject(ks)) { ... }
//   }
//
// Thread-safety: not thread-safe; one owner at a time (const methods are safe to call
// concurrently only while no one mutates). Failure: sizes < 1 and NaN inputs are
// precondition violations (assert); Add ignores NaN in release builds.
#ifndef DF_SERVICES_STATS_ROLLING_KS_H_
#define DF_SERVICES_STATS_ROLLING_KS_H_

#include <cstdint>
#include <deque>
#include <memory>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "services/stats/ks_test.h"

namespace df::stats {

namespace internal {
class EcdfTreap;  // rolling_ks.cc
}  // namespace internal

class RollingKs {
 public:
  // Sizes >= 1.
  RollingKs(int64_t reference_size, int64_t window_size);
  ~RollingKs();
  RollingKs(RollingKs&&) noexcept;
  RollingKs& operator=(RollingKs&&) noexcept;
  RollingKs(const RollingKs&) = delete;
  RollingKs& operator=(const RollingKs&) = delete;

  // While the reference is not full, x goes into the reference; afterwards into the
  // current window (evicting the oldest once it holds window_size values).
  void Add(double x);

  bool reference_full() const { return reference_count() >= reference_size_; }
  bool window_full() const { return window_count() >= window_size_; }
  int64_t reference_count() const { return reference_count_; }
  int64_t window_count() const { return static_cast<int64_t>(window_.size()); }
  int64_t reference_size() const { return reference_size_; }
  int64_t window_size() const { return window_size_; }

  // O(1). 0 until both windows hold >= 1 value. Equal (bit for bit) to
  // KsStatistic(reference values, window values).
  double Statistic() const;
  // Signed integer numerator of the statistic on the lcm(n_ref, n_win) grid:
  // Statistic() == StatisticGridIndex() / lcm. 0 until both windows hold a value.
  int64_t StatisticGridIndex() const;
  // The full test (p-value as scipy computes it) on demand; costs a p-value evaluation.
  KsResult Test() const;

  // The reference's values in ascending order (with repetitions); O(n). Adding them,
  // in any order, to a RollingKs of the same sizes gives the same statistics.
  std::vector<double> ReferenceValues() const;

  // Forget everything; the next values form a new reference of the size given to the
  // constructor (also after PinReferenceToWindow changed it).
  void ResetReference();
  // The current window's values become the reference (reference_size becomes
  // window_count; if the window is empty nothing changes); the window is emptied.
  void PinReferenceToWindow();

 private:
  // Sets the tree's weights to the current counts; O(n) if they changed.
  void Reweight();

  int64_t configured_reference_size_;
  int64_t reference_size_;
  int64_t window_size_;
  std::unique_ptr<internal::EcdfTreap> tree_;
  std::deque<double> window_;  // arrival order, for eviction
  int64_t reference_count_ = 0;
};

// Caches KsCriticalStatistic per (n_ref, n_win) for one alpha, so the per-frame decision
// costs a hash lookup (or, for the sizes of the previous call, one comparison).
// Usage: KsDecision d(0.01); bool drift = d.Reject(rolling);  // statistic >= critical
// Thread-safety: not thread-safe (the cache mutates). Alpha must be in (0, 1) (assert).
class KsDecision {
 public:
  explicit KsDecision(double alpha);

  double alpha() const { return alpha_; }
  // The rejection threshold for these sizes (computed once, then cached).
  double Critical(int64_t n1, int64_t n2);
  // statistic >= Critical(n1, n2).
  bool Reject(double statistic, int64_t n1, int64_t n2);
  // Decision for the detector's current state; false until both windows hold a value.
  bool Reject(const RollingKs& ks);

 private:
  double alpha_;
  int64_t last_n1_ = -1;
  int64_t last_n2_ = -1;
  double last_critical_ = 0.0;
  absl::flat_hash_map<std::pair<int64_t, int64_t>, double> cache_;
};

}  // namespace df::stats

#endif  // DF_SERVICES_STATS_ROLLING_KS_H_
