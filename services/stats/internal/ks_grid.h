// The lattice of attainable two-sample K-S statistics (internal to df_stats).
//
// Every two-sample statistic is j / lcm(n1, n2) for an integer j. Computing it as exactly
// that double division makes the batch statistic, the rolling statistic, scipy's exact
// branch (h / lcm) and KsCriticalStatistic bit-identical, so `statistic >= critical`
// never flips on a rounding difference. Pure; thread-safe.
#ifndef DF_SERVICES_STATS_INTERNAL_KS_GRID_H_
#define DF_SERVICES_STATS_INTERNAL_KS_GRID_H_

#include <cstdint>
#include <numeric>

namespace df::stats::internal {

// D from the scaled difference |c1*n2 - c2*n1| (a multiple of gcd(n1, n2)).
inline double GridStatistic(int64_t scaled_abs_difference, int64_t n1, int64_t n2) {
  const int64_t g = std::gcd(n1, n2);
  // Both integer divisions are exact: the difference and n1 are multiples of g.
  return static_cast<double>(scaled_abs_difference / g) /  // NOLINT(bugprone-integer-division)
         static_cast<double>((n1 / g) * n2);               // NOLINT(bugprone-integer-division)
}

}  // namespace df::stats::internal

#endif  // DF_SERVICES_STATS_INTERNAL_KS_GRID_H_
