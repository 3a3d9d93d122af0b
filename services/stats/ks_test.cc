#include "services/stats/ks_test.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <numeric>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "services/stats/internal/kolmogorov.h"
#include "services/stats/internal/ks_grid.h"

namespace df::stats {
namespace {

absl::Status ValidateSample(absl::Span<const double> sample, absl::string_view name) {
  if (sample.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(name, " is empty (need at least 1 value)"));
  }
  for (size_t i = 0; i < sample.size(); ++i) {
    if (!std::isfinite(sample[i])) {
      return absl::InvalidArgumentError(
          absl::StrCat(name, "[", i, "] = ", sample[i], " is not finite (need a finite number)"));
    }
  }
  return absl::OkStatus();
}

KsResult Asymptotic(double d, int64_t n1, int64_t n2) {
  // scipy: m, n = sorted([float(n1), float(n2)], reverse=True); en = m*n/(m+n).
  const double m = static_cast<double>(std::max(n1, n2));
  const double n = static_cast<double>(std::min(n1, n2));
  const double en = m * n / (m + n);
  const auto n_eff = static_cast<int64_t>(std::nearbyint(en));  // round half to even
  const double p = internal::KolmogorovSf(n_eff, d);
  return {d, std::clamp(p, 0.0, 1.0), KsMethod::kAsymptotic, n1, n2};
}

}  // namespace

std::string_view KsMethodName(KsMethod method) {
  return method == KsMethod::kExact ? "exact" : "asymp";
}

double KsStatistic(absl::Span<const double> a, absl::Span<const double> b) {
  assert(!a.empty() && !b.empty());
  std::vector<double> x(a.begin(), a.end());
  std::vector<double> y(b.begin(), b.end());
  std::sort(x.begin(), x.end());
  std::sort(y.begin(), y.end());
  const auto n1 = static_cast<int64_t>(x.size());
  const auto n2 = static_cast<int64_t>(y.size());
  int64_t i = 0, j = 0, max_abs = 0;
  // Walk the merged order one group of equal values at a time; compare the ECDFs after
  // each complete group, from integer counts.
  while (i < n1 && j < n2) {
    const double v = std::min(x[i], y[j]);
    while (i < n1 && x[i] == v) ++i;
    while (j < n2 && y[j] == v) ++j;
    max_abs = std::max(max_abs, std::abs(i * n2 - j * n1));
  }
  // Past the end of one sample, the difference only shrinks toward 0.
  return internal::GridStatistic(max_abs, n1, n2);
}

absl::StatusOr<KsResult> KsTwoSample(absl::Span<const double> a, absl::Span<const double> b) {
  if (absl::Status s = ValidateSample(a, "sample_a"); !s.ok()) return s;
  if (absl::Status s = ValidateSample(b, "sample_b"); !s.ok()) return s;
  return KsPValue(KsStatistic(a, b), static_cast<int64_t>(a.size()),
                  static_cast<int64_t>(b.size()));
}

KsResult KsPValue(double d, int64_t n1, int64_t n2) {
  assert(n1 >= 1 && n2 >= 1);
  if (std::max(n1, n2) > kKsMaxExactSize) return Asymptotic(d, n1, n2);
  const int64_t g = std::gcd(n1, n2);
  const int64_t lcm = (n1 / g) * n2;
  const auto h = static_cast<int64_t>(std::nearbyint(d * static_cast<double>(lcm)));
  const double d_grid = static_cast<double>(h) / static_cast<double>(lcm);
  if (h == 0) return {d_grid, 1.0, KsMethod::kExact, n1, n2};
  const double p =
      n1 == n2 ? internal::ProbOutsideSquare(n1, h) : internal::OuterProbInsideMethod(n1, n2, g, h);
  // scipy treats an exact value outside [0, 1] as a failure and switches to asymp.
  if (!(p >= 0.0 && p <= 1.0)) return Asymptotic(d_grid, n1, n2);
  return {d_grid, p, KsMethod::kExact, n1, n2};
}

double KsCriticalStatistic(int64_t n1, int64_t n2, double alpha) {
  assert(n1 >= 1 && n2 >= 1 && alpha > 0.0 && alpha < 1.0);
  const int64_t lcm = (n1 / std::gcd(n1, n2)) * n2;
  const double log_alpha = std::log(alpha);
  // f(j) = log p(j / lcm) - log alpha: > 0 keeps the null, <= 0 rejects. Every attainable
  // statistic is j / lcm, so we look for the smallest rejecting integer j.
  auto f = [&](int64_t j) {
    const double p = KsPValue(static_cast<double>(j) / static_cast<double>(lcm), n1, n2).pvalue;
    return std::log(std::max(p, 1e-300)) - log_alpha;
  };
  // Bracket with the limiting distribution's critical value.
  const double guess = std::sqrt(-std::log(alpha / 2) / 2 * static_cast<double>(n1 + n2) /
                                 (static_cast<double>(n1) * static_cast<double>(n2)));
  // (Evaluating far above the critical value is what costs: the exact recursion's band
  // grows with D, so D = 1 is only tried when nothing smaller rejects.)
  int64_t lo = 0, hi = -1;
  double f_lo = -log_alpha, f_hi = 0;
  int64_t probe = std::clamp<int64_t>(
      static_cast<int64_t>(std::ceil(1.2 * guess * static_cast<double>(lcm))), 1, lcm);
  while (hi < 0) {
    const double fp = f(probe);
    if (fp <= 0) {
      hi = probe;
      f_hi = fp;
    } else if (probe == lcm) {
      return std::nextafter(1.0, 2.0);  // even D = 1 keeps the null
    } else {
      lo = probe;
      f_lo = fp;
      probe = std::min(lcm, 2 * probe);
    }
  }
  // Invariant: f(lo) > 0 >= f(hi). log p is close to linear in D^2, so interpolate in j^2;
  // when the same end moves twice in a row, push the next probe past the estimate by a
  // doubling step, so the bracket closes from both sides (a handful of p-value
  // evaluations instead of a bisection's ~log2(lcm)).
  int same_side = 0;
  int last_side = 0;
  int64_t nudge = 1;
  while (hi - lo > 1) {
    const double lo2 = static_cast<double>(lo) * static_cast<double>(lo);
    const double hi2 = static_cast<double>(hi) * static_cast<double>(hi);
    double c = std::sqrt(lo2 + (hi2 - lo2) * f_lo / (f_lo - f_hi));
    if (!std::isfinite(c)) c = 0.5 * static_cast<double>(lo + hi);
    int64_t j = static_cast<int64_t>(std::llround(c));
    if (same_side >= 1) j += last_side > 0 ? nudge : -nudge;  // overshoot toward the far end
    j = std::clamp(j, lo + 1, hi - 1);
    const double fj = f(j);
    const int side = fj > 0 ? +1 : -1;  // +1: lo moved
    if (side > 0) {
      lo = j;
      f_lo = fj;
    } else {
      hi = j;
      f_hi = fj;
    }
    if (side == last_side) {
      ++same_side;
      nudge *= 2;
    } else {
      same_side = 0;
      nudge = 1;
    }
    last_side = side;
  }
  return static_cast<double>(hi) / static_cast<double>(lcm);
}

}  // namespace df::stats
