// Kolmogorov–Smirnov distributions as scipy 1.10 computes them (internal to df_stats).
//
// Purpose: the building blocks of KsPValue, exposed so tests can check each one against
// scipy directly: the exact two-sample distributions of scipy's _attempt_exact_2kssamp
// and the finite-n one-sample Kolmogorov distribution of scipy.stats.kstwo (_kolmogn in
// scipy/stats/_ksstats.py with its Simard–L'Ecuyer choice between Ruben–Gambino, the
// Durbin matrix (Marsaglia–Tsang–Wang), Pomeranz, Pelz–Good and 2 * smirnov).
//
// Thread-safety: pure functions. Failure: out-of-domain arguments give NaN.
#ifndef DF_SERVICES_STATS_INTERNAL_KOLMOGOROV_H_
#define DF_SERVICES_STATS_INTERNAL_KOLMOGOROV_H_

#include <cstdint>

namespace df::stats::internal {

// scipy _compute_prob_outside_square(n, h): Pr(D_{n,n} >= h/n), n >= 1, 1 <= h <= n.
// May exceed 1 by rounding for tiny h (scipy then falls back to asymp).
double ProbOutsideSquare(int64_t n, int64_t h);

// scipy _compute_outer_prob_inside_method(m, n, g, h): Pr(D_{m,n} >= h/lcm(m,n)).
double OuterProbInsideMethod(int64_t m, int64_t n, int64_t g, int64_t h);

// scipy.special.smirnov(n, x): Pr(D+_n >= x), the one-sided one-sample statistic.
double SmirnovSf(int64_t n, double x);

// scipy.stats.kstwo.sf(x, n) = _kolmogn(n, x, cdf=False).
double KolmogorovSf(int64_t n, double x);

}  // namespace df::stats::internal

#endif  // DF_SERVICES_STATS_INTERNAL_KOLMOGOROV_H_
