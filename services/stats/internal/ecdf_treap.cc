#include "services/stats/internal/ecdf_treap.h"

#include <algorithm>
#include <cassert>
#include <cstdlib>

namespace df::stats::internal {

uint32_t EcdfTreap::NextPriority() {
  // xorshift64*: deterministic, so runs are reproducible.
  rng_state_ ^= rng_state_ >> 12;
  rng_state_ ^= rng_state_ << 25;
  rng_state_ ^= rng_state_ >> 27;
  return static_cast<uint32_t>((rng_state_ * 0x2545F4914F6CDD1Dull) >> 32);
}

int32_t EcdfTreap::NewNode(double x) {
  Node node{x, NextPriority()};
  if (!free_.empty()) {
    const int32_t t = free_.back();
    free_.pop_back();
    nodes_[t] = node;
    return t;
  }
  nodes_.push_back(node);
  return static_cast<int32_t>(nodes_.size() - 1);
}

void EcdfTreap::Update(int32_t t) {
  Node& n = nodes_[t];
  const int64_t v = n.ref * n_win_ - n.win * n_ref_;
  int64_t sum = 0, max_prefix = 0, min_prefix = 0;
  if (n.left != kNil) {
    const Node& l = nodes_[n.left];
    sum = l.sum + v;
    max_prefix = std::max(l.max_prefix, sum);
    min_prefix = std::min(l.min_prefix, sum);
  } else {
    sum = max_prefix = min_prefix = v;
  }
  if (n.right != kNil) {
    const Node& r = nodes_[n.right];
    max_prefix = std::max(max_prefix, sum + r.max_prefix);
    min_prefix = std::min(min_prefix, sum + r.min_prefix);
    sum += r.sum;
  }
  n.sum = sum;
  n.max_prefix = max_prefix;
  n.min_prefix = min_prefix;
}

int32_t EcdfTreap::Merge(int32_t a, int32_t b) {
  if (a == kNil) return b;
  if (b == kNil) return a;
  if (nodes_[a].priority > nodes_[b].priority) {
    nodes_[a].right = Merge(nodes_[a].right, b);
    Update(a);
    return a;
  }
  nodes_[b].left = Merge(a, nodes_[b].left);
  Update(b);
  return b;
}

int32_t EcdfTreap::Insert(int32_t t, double x, bool is_reference, int delta) {
  if (t == kNil) {
    assert(delta > 0);
    t = NewNode(x);
    (is_reference ? nodes_[t].ref : nodes_[t].win) += delta;
    Update(t);
    return t;
  }
  if (x == nodes_[t].key) {
    int64_t& count = is_reference ? nodes_[t].ref : nodes_[t].win;
    count += delta;
    assert(count >= 0);
    if (nodes_[t].ref == 0 && nodes_[t].win == 0) {
      const int32_t merged = Merge(nodes_[t].left, nodes_[t].right);
      free_.push_back(t);
      return merged;
    }
    Update(t);
    return t;
  }
  if (x < nodes_[t].key) {
    const int32_t child = Insert(nodes_[t].left, x, is_reference, delta);
    nodes_[t].left = child;
    if (child != kNil && nodes_[child].priority > nodes_[t].priority) {  // rotate right
      nodes_[t].left = nodes_[child].right;
      Update(t);
      nodes_[child].right = t;
      Update(child);
      return child;
    }
  } else {
    const int32_t child = Insert(nodes_[t].right, x, is_reference, delta);
    nodes_[t].right = child;
    if (child != kNil && nodes_[child].priority > nodes_[t].priority) {  // rotate left
      nodes_[t].right = nodes_[child].left;
      Update(t);
      nodes_[child].left = t;
      Update(child);
      return child;
    }
  }
  Update(t);
  return t;
}

void EcdfTreap::Add(double x, bool is_reference, int delta) {
  root_ = Insert(root_, x, is_reference, delta);
}

bool EcdfTreap::SetWeights(int64_t n_ref, int64_t n_win) {
  const bool changed = n_ref != n_ref_ || n_win != n_win_;
  n_ref_ = n_ref;
  n_win_ = n_win;
  return changed;
}

void EcdfTreap::RecomputeSubtree(int32_t t) {
  if (t == kNil) return;
  RecomputeSubtree(nodes_[t].left);
  RecomputeSubtree(nodes_[t].right);
  Update(t);
}

void EcdfTreap::Recompute() { RecomputeSubtree(root_); }

void EcdfTreap::Clear() {
  nodes_.clear();
  free_.clear();
  root_ = kNil;
}

std::vector<double> EcdfTreap::ReferenceValues() const {
  std::vector<double> values;
  std::vector<int32_t> path;  // in-order walk without recursion
  int32_t t = root_;
  while (t != kNil || !path.empty()) {
    for (; t != kNil; t = nodes_[t].left) path.push_back(t);
    const Node& n = nodes_[path.back()];
    path.pop_back();
    values.insert(values.end(), static_cast<size_t>(n.ref), n.key);
    t = n.right;
  }
  return values;
}

int64_t EcdfTreap::MaxAbsDifference() const {
  if (root_ == kNil) return 0;
  const Node& r = nodes_[root_];
  return std::max<int64_t>({r.max_prefix, -r.min_prefix, 0});
}

}  // namespace df::stats::internal
