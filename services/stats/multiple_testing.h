// Multiple-testing control across a stream's features.
//
// Purpose: a stream tests several features per frame; testing each at alpha inflates
// the family-wise false-alarm rate. Bonferroni controls the family-wise error rate
// (reject p_i <= alpha/m); Benjamini–Hochberg controls the false discovery rate
// (reject the k smallest p-values, k = max{i : p_(i) <= i*alpha/m}), as
// scipy.stats.false_discovery_control(method='bh') does.
//
// Usage:
//   std::vector<bool> drift = df::stats::BenjaminiHochbergReject(pvalues, 0.01);
//   double per_feature_alpha = df::stats::PerFeatureAlpha(Correction::kBonferroni, 0.01, m);
//
// Thread-safety: pure functions. Failure: ParseCorrection returns InvalidArgument naming
// the allowed values; alpha outside (0, 1) is a precondition violation (assert). NaN
// p-values are never rejected.
#ifndef DF_SERVICES_STATS_MULTIPLE_TESTING_H_
#define DF_SERVICES_STATS_MULTIPLE_TESTING_H_

#include <cstdint>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"

namespace df::stats {

// result[i] == (pvalues[i] <= alpha / m).
std::vector<bool> BonferroniReject(absl::Span<const double> pvalues, double alpha);
// Benjamini–Hochberg step-up at false discovery rate alpha.
std::vector<bool> BenjaminiHochbergReject(absl::Span<const double> pvalues, double alpha);

enum class Correction { kNone, kBonferroni, kBenjaminiHochberg };

// "none", "bonferroni", "bh" (the names of CorrectionName).
[[nodiscard]] absl::StatusOr<Correction> ParseCorrection(std::string_view name);
std::string_view CorrectionName(Correction correction);

// Rejections of `pvalues` under `correction` (kNone: p <= alpha).
std::vector<bool> Reject(Correction correction, absl::Span<const double> pvalues, double alpha);

// Per-feature alpha for decisions by critical statistic (no p-value needed per frame):
// kNone → alpha, kBonferroni → alpha / m. BH has no fixed per-test level; its
// conservative per-frame screen is also alpha / m (what BH rejects when only one feature
// is significant); callers that need exact BH compute p-values and call
// BenjaminiHochbergReject. m >= 1.
double PerFeatureAlpha(Correction correction, double alpha, int64_t num_features);

}  // namespace df::stats

#endif  // DF_SERVICES_STATS_MULTIPLE_TESTING_H_
