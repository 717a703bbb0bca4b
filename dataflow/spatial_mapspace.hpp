// SPDX-License-Identifier: Apache-2.0
#pragma once
// The mappings of a layer's 7-dim nest on a spatial array (PEs with their own register files,
// a shared buffer, DRAM), as genes for the mapper. Unlike a systolic array, nothing fixes the
// spatial placement:
//   first 2·K    for each of the dataflow's K spatial slots (spatial_rules.hpp: rows first,
//                then columns), the dimension unrolled there and its factor;
//   next 7·T     for each dimension, its factor at each temporal slot from the innermost (the
//                PE's loops) outward to the level just inside DRAM, as a fraction of the
//                candidates left (every distinct ceil(n/k)); DRAM takes what remains;
//   last L       the loop order at each memory level (an index into the 5040 orders).
// A factor gene's values are 16 fractions of the candidates that fit (candidate floor(f·n/16)),
// repeated, and then one value per candidate no fraction picks, so every candidate is some
// value's (16 fractions alone skip some of more than 16 candidates, among them the largest:
// 48 of AlexNet CONV1's 96 filters on a 64-row array).
// Every decoded point covers each dimension; chains of rounded-up factors can cover one twice
// over, which check_mapping_shape rejects (the mapper counts it as an invalid point).
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "arch/accelerator.hpp"
#include "dataflow/layer_counts.hpp"
#include "dataflow/mapping.hpp"
#include "dataflow/mapping_evaluation.hpp"
#include "dataflow/spatial_rules.hpp"
#include "workloads/layer.hpp"

namespace loom::dataflow {

class SpatialMapSpace {
 public:
  // `p` sizes the per-PE tiles: decoding never lets a tile overflow a per-PE level (a factor
  // that would is lowered to the largest that fits), since a random point of a 7-dim nest almost
  // never fits scratchpads of a dozen words otherwise.
  SpatialMapSpace(const workloads::Layer& layer, const arch::Accelerator& acc,
                  const ResolvedPrecision& p);

  [[nodiscard]] const std::vector<std::uint32_t>& domains() const { return domains_; }
  [[nodiscard]] Mapping decode(std::span<const std::uint32_t> genes) const;

  // For the exact search (spatial_search.cpp): genes in decoding order (spatial slots, then
  // temporal slots innermost first, then loop orders); one value per distinct decoded choice
  // of the gene at `depth` of that order, given the genes before it; counts no completion of
  // those genes goes below (as alternatives: MapSpace::lower_bounds, spatial_bound.cpp), none
  // when no completion can be legal.
  [[nodiscard]] std::vector<std::size_t> search_order() const { return order_; }
  void search_candidates(std::span<const std::uint32_t> genes, std::size_t depth,
                         std::vector<std::uint32_t>& out) const;
  void lower_bounds(const workloads::Layer& layer, std::span<const std::uint32_t> genes,
                    std::size_t depth, std::vector<LayerCounts>& out) const;

  // The refetch bound and the per-PE input spans (spatial_bound.cpp) tighten lower_bounds.
  // Off by default: with them the default search finds better conv mappings within its
  // budget on Eyeriss AlexNet batch 4 (EDP 0.9-2.1% lower on conv3-5) that leave the chip
  // comparison's DRAM and GLB bands (DRAM +23%, GLB -26%): they split the batch at DRAM and
  // read every filter twice, which costs nothing while DRAM time hides behind compute. That
  // is the model's to explain, not the search's (docs/mapping.md, "The refetch bound,
  // measured"). The tests check both settings.
  void use_refetch_bound(bool on) { refetch_bound_ = on; }

  // The fewest values of a factor gene (more where a dimension has more candidates).
  static constexpr std::uint32_t kFractionSteps = 16;

 private:
  bool refetch_bound_ = false;
  // A decoding in progress, one gene at a time (decode() runs every step in order).
  struct Partial {
    Mapping m;
    DimFactors rem{}, ext{};  // what is left of each dimension; per-PE extents so far
    std::int64_t rows_used = 1, cols_used = 1;
  };
  void begin(Partial& s) const;
  // The candidate index of a factor gene's value v (domain `domain`, n candidates, n no more
  // than the list the domain was sized for), and the first value of each index, ascending.
  [[nodiscard]] static std::size_t fraction_index(std::uint32_t v, std::size_t n,
                                                  std::uint32_t domain);
  static void fraction_values(std::size_t n, std::uint32_t domain, std::vector<std::uint32_t>& out);
  // Slot i's dimension and factor for its two genes.
  [[nodiscard]] std::pair<int, std::int64_t> spatial_factor(const Partial& s, std::size_t i,
                                                            std::uint32_t dim_gene,
                                                            std::uint32_t fraction) const;
  void apply_spatial(Partial& s, std::size_t i, int d, std::int64_t f) const;
  void start_temporal(Partial& s) const;
  // Dimension d's factor at temporal slot `slot` for gene value v (1 where it has no loop).
  [[nodiscard]] std::int64_t temporal_factor(const Partial& s, std::size_t slot, int d,
                                             std::uint32_t v) const;
  void apply_temporal(Partial& s, std::size_t slot, int d, std::int64_t f) const;
  void finish(Partial& s, std::span<const std::uint32_t> g) const;
  // Applies gene search_order()[pos] to `s`, which holds the genes before it.
  void step(std::span<const std::uint32_t> g, std::size_t pos, Partial& s) const;
  // Replays the first `depth` genes of search_order() into `s`, resuming from the node
  // remembered last (per thread) when it is a prefix; `remember` makes this one that node.
  void replay(std::span<const std::uint32_t> g, std::size_t depth, Partial& s,
              bool remember = false) const;
  void init_search();
  std::vector<std::size_t> order_;  // search_order()
  std::uint64_t id_ = 0;            // unique per space: the replay cache's key
  void init_compulsory();
  // The refetch bound (spatial_bound.cpp). A group: the loops S at levels 0..L, outside every
  // tile below L; the repeats S forces on each operand's links when the innermost
  // loop of S indexes the operand; the operands that loop may leave unindexed (bits).
  struct RefetchGroup {
    std::array<std::int64_t, arch::kOperands> repeats{1, 1, 1};
    unsigned spared = 0;
  };
  struct Refetch {
    std::array<RefetchGroup, arch::kMaxLevels> at{};  // by L
    unsigned groups = 0;                              // the levels L that form a group (bits)
    int open = -1;  // levels at or outside it have factors still to choose
  };
  [[nodiscard]] Refetch refetch(const Partial& s, std::span<const std::uint32_t> g,
                                std::size_t depth) const;
  // lower_bounds() for the prefix decoded into `s`.
  void lower_bounds_of(const workloads::Layer& layer, std::span<const std::uint32_t> g,
                       std::size_t depth, const Partial& s, std::vector<LayerCounts>& out) const;
  // Repeats of each operand's links, by the level of their tile (arch::kMaxLevels: the array's).
  using LinkRepeats = std::array<std::array<std::int64_t, arch::kMaxLevels + 1>, arch::kOperands>;
  // What the alternatives share: every count but the links between levels, and the elements
  // each operand's links move at least once (into per-PE tiles: all PEs' own).
  struct BoundBase {
    LayerCounts counts;
    std::array<std::int64_t, arch::kOperands> total{}, per_pe{};
  };
  [[nodiscard]] BoundBase bound_base(const workloads::Layer& layer, const Partial& s,
                                     bool unrolled) const;
  // The base with the links between levels, each `repeats` times, sparsity and cycles.
  [[nodiscard]] LayerCounts bound_counts(const workloads::Layer& layer, const BoundBase& base,
                                         const LinkRepeats& repeats) const;
  // Tile levels of each operand's links (bits), as bound_counts counts them.
  std::array<unsigned, arch::kOperands> link_tiles_{};
  void init_links();
  [[nodiscard]] int noc_level() const;  // the last noc level, -1 if none
  // Whether some buffer's tiles already overflow it with the factors chosen so far.
  [[nodiscard]] bool overflows(const Mapping& m) const;
  std::array<std::int64_t, arch::kOperands> compulsory_{};  // distinct elements, per group
  [[nodiscard]] std::size_t fraction_gene(std::size_t slot, int d) const {
    return spatial_genes_ + static_cast<std::size_t>(d) * levels_ + slot;
  }
  [[nodiscard]] std::size_t order_gene(std::size_t level) const {
    return spatial_genes_ + kDims * levels_ + level;
  }

  // Candidate factors of every value a dimension's remainder can take (each is some
  // ceil(bound / k)), precomputed so decoding allocates nothing but the Mapping.
  [[nodiscard]] const std::vector<std::int64_t>& candidates(int dim, std::int64_t value) const;
  std::array<std::vector<std::pair<std::int64_t, std::vector<std::int64_t>>>, kDims> cands_;
  std::array<std::vector<std::uint32_t>, kDims> index_;  // value -> position in cands_
  [[nodiscard]] bool per_pe_fits(const DimFactors& ext, std::size_t outermost_level) const;
  struct Slot {
    std::vector<int> dims;
    bool whole = false;
    bool on_rows = true;
  };
  SpatialRules rules_{};
  std::vector<Slot> slots_;
  std::size_t spatial_genes_ = 0;
  std::array<bool, 3> keeps_{};  // operands some per-PE level holds
  DimFactors bounds_{};
  workloads::LayerShape shape_{};
  const arch::Accelerator* acc_ = nullptr;
  ResolvedPrecision p_{};
  std::int64_t rows_ = 1, cols_ = 1;
  std::size_t levels_ = 0;
  std::vector<std::uint32_t> domains_;
};

// A spatial-array layer from a mapping of its 7-dim nest: the nest analysis's counts; one step
// per cycle (a MAC per active PE), or the bandwidth bound of a level that cannot keep up.
// `valid` is false (with the reason) for a mapping whose tiles overflow a buffer or that is
// malformed for this layer.
MappingEvaluation evaluate_spatial_mapping(const workloads::Layer& layer,
                                           const arch::Accelerator& acc, const Mapping& m,
                                           const ResolvedPrecision& p);

// The `index`-th permutation of the seven dimensions (0 ≤ index < 5040), outermost first.
[[nodiscard]] std::array<Dim, kDims> order_from_index(std::uint32_t index);

}  // namespace loom::dataflow
