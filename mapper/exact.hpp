// SPDX-License-Identifier: Apache-2.0
#pragma once
// Exact search: depth-first branch and bound over the genes, in the order and with the bounds
// the space's owner gives (bounds.hpp). A node is a prefix of assigned genes; its children are
// the candidate values of the next gene (one per class of equivalent values); a child whose
// lower bound on the objective is above the best score told so far is pruned, with all its
// completions. Children are visited in order of their bounds (best first), which changes which
// points are evaluated but not the optimum. Leaves are proposed to the mapper like any
// strategy's points.
//
// Pruning is strict (bound > best): every point scoring exactly the optimum is still
// evaluated, so the mapper's tie-break (secondary metric, then genome order) picks the same
// point an exhaustive enumeration would, provided candidates() keeps the smallest value of each
// class. Without bounds (no PrefixBounds) it enumerates the space in lexicographic order.
//
// A warm-up runs first: a genetic search with a fixed seed (not the user's) proposes
// `warmup_points` points (at most a tenth of the space), so that the tree starts pruning against a
// good score instead of the first leaves' (depth-first search alone dwells in its first subtree).
// Points it proposed again later are answered from the mapper's memory. It changes which points are
// evaluated, never the optimum of a completed search, and keeps the result independent of the seed.
//
// The certificate: the best of the lower bounds of the nodes still open and the best score told
// (the optimum itself once the tree is exhausted). Which nodes are pruned depends on when
// scores are told, i.e. on the mapper's batch size (not on its thread count); the optimum does
// not.
#include <cstdint>
#include <limits>
#include <vector>

#include "mapper/bounds.hpp"
#include "mapper/genetic.hpp"
#include "mapper/objective.hpp"
#include "mapper/search.hpp"

namespace loom::mapper {

// The mapper's default budget and seed (mapper.hpp): the warm-up is the default genetic search
// (about 0.1 s on a spatial layer), so the exact search starts from what the default finds.
inline constexpr std::uint64_t kExactWarmupPoints = 50'000;
inline constexpr std::uint64_t kExactWarmupSeed = 1;

class ExactSearch final : public Search {
 public:
  // `bounds` may be null (plain enumeration); if not, it must outlive the search.
  ExactSearch(const SearchSpace& space, const PrefixBounds* bounds, const Objective& objective,
              std::uint64_t warmup_points = kExactWarmupPoints);

  void ask(std::size_t max_points, Batch& out) override;
  void tell(const Batch& points, std::span<const double> scores) override;
  [[nodiscard]] bool done() const override {
    return started_ && stack_.empty() && frontier_next_ == frontier_.size();
  }
  [[nodiscard]] std::optional<Certificate> certificate() const override;

 private:
  // A node's children, most promising first: candidates of gene order_[depth], sorted by
  // their bounds (then value), so good points are found early and prune the rest.
  struct Frame {
    std::vector<std::uint32_t> values;
    std::vector<double> bounds;  // of each child
    std::size_t next = 0;        // the next one to visit
  };
  // An open node of the breadth-first frontier: its prefix (genes order_[0..frontier_depth_))
  // and bound.
  struct Node {
    double bound;
    Genome genes;
  };
  // The tree's first levels, breadth first while at most kFrontierNodes nodes stay open, sorted
  // by bound: the depth-first search then starts from the best of them, and those not yet
  // searched bound the rest of the space (the certificate) with what their deeper genes add.
  static constexpr std::size_t kFrontierNodes = std::size_t{1} << 13;
  void build_frontier();
  [[nodiscard]] double bound(std::size_t depth) const;
  // Pushes the children of the node at `depth` (the prefix in genes_).
  void push(std::size_t depth);
  // Fills scratch_ with the values of gene order_[depth] worth trying after the current prefix.
  void fill_candidates(std::size_t depth);
  // Whether a node of bound `b` can hold a point better than, or tying, the best told so far.
  [[nodiscard]] bool worth(double b) const;

  GeneticSearch warmup_;
  std::uint64_t warmup_left_;
  bool warming_ = false;  // the last ask() came from the warm-up
  const PrefixBounds* bounds_;
  Objective objective_;
  std::vector<std::uint32_t> domains_;
  std::vector<std::size_t> order_;
  std::vector<Node> frontier_;
  std::size_t frontier_depth_ = 0, frontier_next_ = 0;
  std::vector<Frame> stack_;  // stack_[k] holds the children of the node of depth
                              // frontier_depth_ + k
  std::vector<std::uint32_t> scratch_;
  Genome genes_;  // the current path; genes past it hold stale values
  double root_bound_ = 0;
  bool started_ = false;
  double best_ = std::numeric_limits<double>::infinity();
  std::uint64_t pruned_ = 0;
};

}  // namespace loom::mapper
