// SPDX-License-Identifier: Apache-2.0
#pragma once
// The legal mappings of a layer on a systolic array, as a space of genes the mapper searches
// (the mapper only sees gene counts; this class gives them meaning). The dataflow fixes the
// spatial placement (systolic_mapping.hpp: the array is filled along its row and column GEMM
// dimensions), so the freedom is temporal:
//   gene 0, 1  row folds and column folds kept at the DRAM level (the rest run on chip);
//   gene 2     time steps per fold (the PE's time loop; the remainder becomes chunk loops);
//   gene 3     whether those chunk loops run on chip (0) or at the DRAM level (1);
//   gene 4, 5  loop order of the three GEMM dimensions at the DRAM level and on chip;
//   gene 6     which on-chip level holds the on-chip loops (with per-operand buffers this
//              decides which operands' tiles they enclose).
// Factor choices include imperfect ones (every distinct ceil(n/k)), so 55- or 13-wide
// dimensions tile without padding the whole layer. Decoding allocates nothing but the Mapping.
#include <cstdint>
#include <span>
#include <vector>

#include "arch/accelerator.hpp"
#include "dataflow/mapping.hpp"
#include "workloads/layer.hpp"

namespace loom::dataflow {

class SystolicMapSpace {
 public:
  SystolicMapSpace(const workloads::Layer& layer, const arch::Accelerator& acc);

  [[nodiscard]] const std::vector<std::uint32_t>& domains() const { return domains_; }
  [[nodiscard]] Mapping decode(std::span<const std::uint32_t> genes) const;
  // The same into `out`, reusing its storage: no allocation once `out` has held a mapping of
  // this accelerator (the mapper's inner loop).
  void decode(std::span<const std::uint32_t> genes, Mapping& out) const;
  // The genes of SCALE-Sim's fixed mapping (everything on chip at the innermost level, row
  // folds outer, whole time dimension per fold).
  [[nodiscard]] std::vector<std::uint32_t> scalesim_genes() const;
  // For the exact search: the on-chip level before the loop orders, and of each gene's values
  // one per distinct mapping: a chunk placement only matters with more than one chunk, and of
  // the six orders at a level only the relative order of its loops with a factor above 1 (a
  // factor-1 loop leaves no loop in the nest).
  [[nodiscard]] std::vector<std::size_t> search_order() const { return {0, 1, 2, 3, 6, 4, 5}; }
  void search_candidates(std::span<const std::uint32_t> genes, std::size_t depth,
                         std::vector<std::uint32_t>& out) const;
  [[nodiscard]] const workloads::Layer& gemm() const { return gemm_; }

 private:
  workloads::Layer gemm_;
  Dim row_ = Dim::P, col_ = Dim::M, time_ = Dim::C;
  std::array<bool, 3> keeps_{false, false, true};
  std::int64_t ar_ = 1, ac_ = 1, sr_ = 1, sc_ = 1, t_ = 1;
  std::vector<std::int64_t> row_f_, col_f_, time_f_;  // candidate factors
  std::vector<int> onchip_;                           // on-chip level indices
  std::size_t levels_ = 0;
  std::vector<std::uint32_t> domains_;
};

// Every distinct value of ceil(n / k), k = 1..n, ascending: the tile sizes (or factors) that
// split n without a wasted full tile.
[[nodiscard]] std::vector<std::int64_t> factor_candidates(std::int64_t n);

}  // namespace loom::dataflow
