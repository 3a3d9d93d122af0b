#include "services/stats/multiple_testing.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <numeric>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace df::stats {

std::vector<bool> BonferroniReject(absl::Span<const double> pvalues, double alpha) {
  assert(alpha > 0.0 && alpha < 1.0);
  const double level = alpha / static_cast<double>(std::max<size_t>(pvalues.size(), 1));
  std::vector<bool> reject(pvalues.size());
  for (size_t i = 0; i < pvalues.size(); ++i) reject[i] = pvalues[i] <= level;
  return reject;
}

std::vector<bool> BenjaminiHochbergReject(absl::Span<const double> pvalues, double alpha) {
  assert(alpha > 0.0 && alpha < 1.0);
  const size_t m = pvalues.size();
  std::vector<size_t> order(m);
  std::iota(order.begin(), order.end(), 0);
  // NaN sorts last and is never rejected.
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    const double pa = pvalues[a], pb = pvalues[b];
    if (std::isnan(pb)) return !std::isnan(pa);
    return pa < pb;
  });
  // Step-up: the largest rank k with p_(k) <= k * alpha / m; reject ranks 1..k.
  size_t k = 0;
  for (size_t rank = m; rank >= 1; --rank) {
    const double p = pvalues[order[rank - 1]];
    if (p <= static_cast<double>(rank) * alpha / static_cast<double>(m)) {
      k = rank;
      break;
    }
  }
  std::vector<bool> reject(m, false);
  for (size_t rank = 0; rank < k; ++rank) reject[order[rank]] = true;
  return reject;
}

absl::StatusOr<Correction> ParseCorrection(std::string_view name) {
  if (name == "none") return Correction::kNone;
  if (name == "bonferroni") return Correction::kBonferroni;
  if (name == "bh") return Correction::kBenjaminiHochberg;
  return absl::InvalidArgumentError(absl::StrCat("correction '",
                                                 absl::string_view(name.data(), name.size()),
                                                 "' is unknown (allowed: none, bonferroni, bh)"));
}

std::string_view CorrectionName(Correction correction) {
  switch (correction) {
    case Correction::kNone:
      return "none";
    case Correction::kBonferroni:
      return "bonferroni";
    case Correction::kBenjaminiHochberg:
      return "bh";
  }
  return "none";
}

std::vector<bool> Reject(Correction correction, absl::Span<const double> pvalues, double alpha) {
  switch (correction) {
    case Correction::kBonferroni:
      return BonferroniReject(pvalues, alpha);
    case Correction::kBenjaminiHochberg:
      return BenjaminiHochbergReject(pvalues, alpha);
    case Correction::kNone:
      break;
  }
  std::vector<bool> reject(pvalues.size());
  for (size_t i = 0; i < pvalues.size(); ++i) reject[i] = pvalues[i] <= alpha;
  return reject;
}

double PerFeatureAlpha(Correction correction, double alpha, int64_t num_features) {
  assert(num_features >= 1);
  if (correction == Correction::kNone) return alpha;
  return alpha / static_cast<double>(std::max<int64_t>(num_features, 1));
}

}  // namespace df::stats
