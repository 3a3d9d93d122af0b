// Treap over distinct values holding reference/window counts and the ECDF difference
// aggregates that make the rolling K-S statistic O(1) to read (internal to df_stats).
//
// Each node is one distinct value with counts r (reference) and w (window). With weights
// (n_ref, n_win) a node contributes r*n_win - w*n_ref; the prefix sum after a node is
// c_ref*n_win - c_win*n_ref evaluated after that whole group of equal values. Per subtree
// we keep the sum and the max/min prefix sum, so max |prefix| = n_ref*n_win*D is at the
// root. Changing the weights needs Recompute() (O(n)); count changes update one root path
// (O(log n) expected). Not thread-safe.
#ifndef DF_SERVICES_STATS_INTERNAL_ECDF_TREAP_H_
#define DF_SERVICES_STATS_INTERNAL_ECDF_TREAP_H_

#include <cstdint>
#include <vector>

namespace df::stats::internal {

class EcdfTreap {
 public:
  EcdfTreap() = default;

  // Adds delta (+1 or -1) to the reference (is_reference) or window count of value x.
  // A count never goes below 0 (precondition); empty nodes are removed.
  void Add(double x, bool is_reference, int delta);
  // Sets the weights used by the aggregates; call Recompute() afterwards if they changed.
  bool SetWeights(int64_t n_ref, int64_t n_win);
  void Recompute();
  void Clear();

  // The reference values in ascending order, each repeated by its count; O(n).
  std::vector<double> ReferenceValues() const;

  // max over groups of |c_ref*n_win - c_win*n_ref|, 0 when empty.
  int64_t MaxAbsDifference() const;
  int64_t distinct_values() const { return static_cast<int64_t>(nodes_.size() - free_.size()); }

 private:
  static constexpr int32_t kNil = -1;
  struct Node {
    double key;
    uint32_t priority;
    int32_t left = kNil;
    int32_t right = kNil;
    int64_t ref = 0;
    int64_t win = 0;
    int64_t sum = 0;
    int64_t max_prefix = 0;
    int64_t min_prefix = 0;
  };

  void Update(int32_t t);
  int32_t Insert(int32_t t, double x, bool is_reference, int delta);
  int32_t Merge(int32_t a, int32_t b);
  int32_t NewNode(double x);
  void RecomputeSubtree(int32_t t);
  uint32_t NextPriority();

  std::vector<Node> nodes_;
  std::vector<int32_t> free_;
  int32_t root_ = kNil;
  int64_t n_ref_ = 0;
  int64_t n_win_ = 0;
  uint64_t rng_state_ = 0x9E3779B97F4A7C15ull;
};

}  // namespace df::stats::internal

#endif  // DF_SERVICES_STATS_INTERNAL_ECDF_TREAP_H_
