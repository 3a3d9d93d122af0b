#include "services/stats/rolling_ks.h"

#include <cassert>
#include <cmath>
#include <utility>

#include "services/stats/internal/ecdf_treap.h"
#include "services/stats/internal/ks_grid.h"

namespace df::stats {

RollingKs::RollingKs(int64_t reference_size, int64_t window_size)
    : configured_reference_size_(reference_size < 1 ? 1 : reference_size),
      reference_size_(configured_reference_size_),
      window_size_(window_size < 1 ? 1 : window_size),
      tree_(std::make_unique<internal::EcdfTreap>()) {
  assert(reference_size >= 1 && window_size >= 1);
}

RollingKs::~RollingKs() = default;
RollingKs::RollingKs(RollingKs&&) noexcept = default;
RollingKs& RollingKs::operator=(RollingKs&&) noexcept = default;

void RollingKs::Reweight() {
  if (tree_->SetWeights(reference_count_, window_count()) && !window_.empty()) {
    tree_->Recompute();
  }
}

void RollingKs::Add(double x) {
  assert(!std::isnan(x));
  if (std::isnan(x)) return;
  if (!reference_full()) {
    // The window is empty while the reference fills, so the statistic is 0 and the
    // aggregates need no upkeep until the first window value arrives.
    ++reference_count_;
    tree_->SetWeights(reference_count_, 0);
    tree_->Add(x, /*is_reference=*/true, +1);
    return;
  }
  const bool evict = window_full();
  window_.push_back(x);
  if (evict) {
    // Sizes unchanged: the aggregates stay valid and each count change fixes one path.
    tree_->Add(x, /*is_reference=*/false, +1);
    tree_->Add(window_.front(), /*is_reference=*/false, -1);
    window_.pop_front();
    return;
  }
  tree_->Add(x, /*is_reference=*/false, +1);
  Reweight();
}

int64_t RollingKs::StatisticGridIndex() const {
  if (reference_count_ == 0 || window_.empty()) return 0;
  return tree_->MaxAbsDifference() / std::gcd(reference_count_, window_count());
}

double RollingKs::Statistic() const {
  if (reference_count_ == 0 || window_.empty()) return 0.0;
  return internal::GridStatistic(tree_->MaxAbsDifference(), reference_count_, window_count());
}

KsResult RollingKs::Test() const {
  if (reference_count_ == 0 || window_.empty()) {
    return {0.0, 1.0, KsMethod::kExact, reference_count_, window_count()};
  }
  return KsPValue(Statistic(), reference_count_, window_count());
}

std::vector<double> RollingKs::ReferenceValues() const { return tree_->ReferenceValues(); }

void RollingKs::ResetReference() {
  tree_->Clear();
  tree_->SetWeights(0, 0);
  window_.clear();
  reference_count_ = 0;
  reference_size_ = configured_reference_size_;
}

void RollingKs::PinReferenceToWindow() {
  if (window_.empty()) return;
  tree_->Clear();
  reference_count_ = window_count();
  reference_size_ = reference_count_;
  tree_->SetWeights(reference_count_, 0);
  for (double x : window_) tree_->Add(x, /*is_reference=*/true, +1);
  window_.clear();
}

KsDecision::KsDecision(double alpha) : alpha_(alpha) { assert(alpha > 0.0 && alpha < 1.0); }

double KsDecision::Critical(int64_t n1, int64_t n2) {
  if (n1 == last_n1_ && n2 == last_n2_) return last_critical_;
  auto [it, inserted] = cache_.try_emplace(std::make_pair(n1, n2), 0.0);
  if (inserted) it->second = KsCriticalStatistic(n1, n2, alpha_);
  last_n1_ = n1;
  last_n2_ = n2;
  last_critical_ = it->second;
  return last_critical_;
}

bool KsDecision::Reject(double statistic, int64_t n1, int64_t n2) {
  return statistic >= Critical(n1, n2);
}

bool KsDecision::Reject(const RollingKs& ks) {
  if (ks.reference_count() == 0 || ks.window_count() == 0) return false;
  return Reject(ks.Statistic(), ks.reference_count(), ks.window_count());
}

}  // namespace df::stats
