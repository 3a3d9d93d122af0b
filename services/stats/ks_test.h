// Two-sample Kolmogorov–Smirnov test, numerically equal to scipy.stats.ks_2samp.
//
// Purpose: the drift statistic of the drift monitor and the simulator's Act III.
// KsStatistic computes D = sup |F1 - F2| with exact tie handling (both empirical CDFs
// are evaluated after each group of equal values, from integer counts:
// D = |c1*n2 - c2*n1| / (n1*n2)). KsTwoSample and KsPValue reproduce
// scipy.stats.ks_2samp(a, b, alternative='two-sided', method='auto') (scipy 1.10):
//   - max(n1, n2) <= 10,000: the exact distribution. D is rounded onto the lcm(n1, n2)
//     grid (h = round-half-even(D * lcm)); n1 == n2 uses the reflection series, otherwise
//     the Hodges "inside" path recursion. When scipy's exact value leaves [0, 1] (it
//     happens for n1 == n2 and tiny h), scipy falls back to 'asymp'; so do we.
//   - otherwise 'asymp': kstwo.sf(D, round(n1*n2/(n1+n2))), the finite-n Kolmogorov
//     distribution with the Simard–L'Ecuyer choice of algorithm.
//
// Usage:
//   absl::StatusOr<df::stats::KsResult> r = df::stats::KsTwoSample(reference, current);
//   if (r.ok() && r->statistic >= df::stats::KsCriticalStatistic(r->n1, r->n2, 0.01)) ...
//
// Thread-safety: all functions are pure and may be called concurrently.
// Failure: KsTwoSample returns InvalidArgument naming the sample ("sample_a"/"sample_b")
// when it is empty or holds NaN/inf. KsStatistic, KsPValue and KsCriticalStatistic have
// preconditions (non-empty samples, sizes >= 1, alpha in (0, 1)) checked by assert.
#ifndef DF_SERVICES_STATS_KS_TEST_H_
#define DF_SERVICES_STATS_KS_TEST_H_

#include <cstdint>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/types/span.h"

namespace df::stats {

// scipy's method names: 'exact' and 'asymp'.
enum class KsMethod { kExact, kAsymptotic };

// "exact" or "asymp".
std::string_view KsMethodName(KsMethod method);

struct KsResult {
  double statistic = 0.0;  // D in [0, 1] (in the exact branch: h / lcm, as scipy reports it)
  double pvalue = 1.0;     // two-sided, in [0, 1]
  KsMethod method = KsMethod::kExact;
  int64_t n1 = 0;
  int64_t n2 = 0;
};

// Largest sample size for which scipy's method='auto' uses the exact distribution.
inline constexpr int64_t kKsMaxExactSize = 10'000;

// D from two unsorted samples, exact tie handling. Precondition: both non-empty, no NaN.
double KsStatistic(absl::Span<const double> a, absl::Span<const double> b);

// scipy.stats.ks_2samp(a, b) two-sided, method='auto'. InvalidArgument naming the sample
// if a sample is empty or holds NaN/inf.
[[nodiscard]] absl::StatusOr<KsResult> KsTwoSample(absl::Span<const double> a,
                                                   absl::Span<const double> b);

// p-value for statistic d at sizes n1, n2 exactly as scipy would compute it (including
// its rounding of d onto the lcm grid in the exact branch and its fallback to asymp).
// Preconditions: n1, n2 >= 1; d in [0, 1].
KsResult KsPValue(double d, int64_t n1, int64_t n2);

// Smallest statistic D with KsPValue(D, n1, n2).pvalue <= alpha (the rejection threshold),
// so a per-frame decision is `statistic >= critical`. alpha in (0, 1). Returns a value
// slightly above 1 (never reachable) when no D in [0, 1] rejects (tiny samples).
// Cost: a search over the lcm grid taking typically 5-15 p-value evaluations (about 1 ms for
// equal sizes, ~0.5 s for coprime sizes near 10,000); cache it (KsDecision).
double KsCriticalStatistic(int64_t n1, int64_t n2, double alpha);

}  // namespace df::stats

#endif  // DF_SERVICES_STATS_KS_TEST_H_
