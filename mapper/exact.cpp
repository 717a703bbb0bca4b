// SPDX-License-Identifier: Apache-2.0
#include "mapper/exact.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

namespace loom::mapper {
namespace {

// A relative margin on bounds before they prune: a bound is computed along another path than
// the cost it bounds, so a last-bit difference must not cut off the optimum.
constexpr double kBoundSlack = 1e-9;

}  // namespace

ExactSearch::ExactSearch(const SearchSpace& space, const PrefixBounds* bounds,
                         const Objective& objective, std::uint64_t warmup_points)
    : warmup_(space, kExactWarmupSeed, GeneticOptions{}),
      // A tenth of a small space at most: enumerating it is cheap anyway.
      warmup_left_(
          space.genes() == 0
              ? 0
              : std::min(warmup_points, space.exact_size().value_or(~std::uint64_t{0}) / 10)),
      bounds_(bounds),
      objective_(objective),
      domains_(space.domains),
      genes_(space.genes(), 0) {
  if (bounds_) {
    order_ = bounds_->order();
    std::vector<std::size_t> sorted = order_;
    std::sort(sorted.begin(), sorted.end());
    for (std::size_t i = 0; i < sorted.size(); ++i)
      if (sorted[i] != i || sorted.size() != domains_.size())
        throw std::logic_error("exact search: the bounds' gene order is not a permutation");
  } else {
    order_.resize(domains_.size());
    std::iota(order_.begin(), order_.end(), std::size_t{0});
  }
}

void ExactSearch::fill_candidates(std::size_t depth) {
  if (bounds_) {
    bounds_->candidates(genes_, depth, scratch_);
  } else {
    scratch_.resize(domains_[order_[depth]]);
    std::iota(scratch_.begin(), scratch_.end(), std::uint32_t{0});
  }
}

double ExactSearch::bound(std::size_t depth) const {
  if (!bounds_) return 0;
  return objective_.score(bounds_->lower_bound(genes_, depth));
}

bool ExactSearch::worth(double b) const { return !(b * (1 - kBoundSlack) > best_); }

void ExactSearch::push(std::size_t depth) {
  const std::size_t gene = order_[depth];
  fill_candidates(depth);
  std::vector<std::pair<double, std::uint32_t>> children;
  children.reserve(scratch_.size());
  for (const std::uint32_t v : scratch_) {
    genes_[gene] = v;
    const double b = bound(depth + 1);
    if (worth(b))
      children.emplace_back(b, v);
    else
      ++pruned_;
  }
  std::sort(children.begin(), children.end());
  Frame f;
  f.values.reserve(children.size());
  f.bounds.reserve(children.size());
  for (const auto& [b, v] : children) {
    f.bounds.push_back(b);
    f.values.push_back(v);
  }
  stack_.push_back(std::move(f));
}

void ExactSearch::build_frontier() {
  root_bound_ = bound(0);
  if (!worth(root_bound_)) {
    ++pruned_;
    return;
  }
  frontier_.push_back({root_bound_, genes_});
  std::vector<Node> next;
  for (; frontier_depth_ < domains_.size(); ++frontier_depth_) {
    next.clear();
    std::uint64_t pruned = 0;
    for (const Node& node : frontier_) {
      genes_ = node.genes;
      fill_candidates(frontier_depth_);
      for (const std::uint32_t v : scratch_) {
        genes_[order_[frontier_depth_]] = v;
        const double b = bound(frontier_depth_ + 1);
        if (worth(b))
          next.push_back({b, genes_});
        else
          ++pruned;
      }
      if (next.size() > kFrontierNodes) break;
    }
    if (next.size() > kFrontierNodes) break;  // this level stays open as it is
    pruned_ += pruned;
    frontier_.swap(next);
  }
  std::stable_sort(frontier_.begin(), frontier_.end(),
                   [](const Node& a, const Node& b) { return a.bound < b.bound; });
}

void ExactSearch::ask(std::size_t max_points, Batch& out) {
  warming_ = warmup_left_ > 0 && !warmup_.done();
  if (warming_) {
    warmup_.ask(static_cast<std::size_t>(std::min<std::uint64_t>(max_points, warmup_left_)), out);
    warmup_left_ -= out.size();
    if (!out.empty()) return;
    warming_ = false;
    warmup_left_ = 0;
  }
  if (!started_) {
    started_ = true;
    if (domains_.empty()) {  // one point, the empty genome
      out.add(genes_);
      return;
    }
    build_frontier();
  }
  while (out.size() < max_points) {
    if (stack_.empty()) {  // the next frontier node
      if (frontier_next_ == frontier_.size()) break;
      const Node& node = frontier_[frontier_next_++];
      if (!worth(node.bound)) {  // sorted: every later node is pruned too
        pruned_ += frontier_.size() - frontier_next_ + 1;
        frontier_next_ = frontier_.size();
        break;
      }
      genes_ = node.genes;
      if (frontier_depth_ == domains_.size())
        out.add(genes_);
      else
        push(frontier_depth_);
      continue;
    }
    Frame& f = stack_.back();
    const std::size_t depth = frontier_depth_ + stack_.size() - 1;
    if (f.next == f.values.size()) {
      stack_.pop_back();
      continue;
    }
    const std::size_t i = f.next++;
    // The best score may have dropped since the frame was pushed.
    if (!worth(f.bounds[i])) {
      pruned_ += f.values.size() - i;  // sorted: every later sibling is pruned too
      f.next = f.values.size();
      continue;
    }
    genes_[order_[depth]] = f.values[i];
    if (depth + 1 == domains_.size())
      out.add(genes_);
    else
      push(depth + 1);
  }
}

void ExactSearch::tell(const Batch& points, std::span<const double> scores) {
  for (double s : scores) best_ = std::min(best_, s);
  if (warming_) warmup_.tell(points, scores);
}

std::optional<Certificate> ExactSearch::certificate() const {
  // The open nodes are the frontier nodes and children not yet visited; a visited one is
  // either done or has its own frame above.
  // Before the tree is started (still warming up) nothing is proven.
  double lb = started_ ? best_ : std::min(best_, 0.0);
  for (const Frame& f : stack_)
    if (f.next < f.values.size()) lb = std::min(lb, f.bounds[f.next]);
  if (frontier_next_ < frontier_.size()) lb = std::min(lb, frontier_[frontier_next_].bound);
  return Certificate{.pruned = pruned_, .lower_bound = lb};
}

}  // namespace loom::mapper
