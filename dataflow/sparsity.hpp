// SPDX-License-Identifier: Apache-2.0
#pragma once
// What zeros in the tensors save on hardware built to exploit them (Eyeriss, Chen et al., JSSC
// 52(1) 2017): PE zero-gating and run-length-compressed feature maps to and from DRAM. Applied
// after a dense evaluation, as a correction to its counts; hardware without these features, or
// dense layers, leave the counts untouched. Densities come from workloads::Layer::density and
// are treated as i.i.d. per element (docs/modelling.md, "Sparsity").
#include "arch/accelerator.hpp"
#include "dataflow/layer_counts.hpp"
#include "workloads/layer.hpp"

namespace loom::dataflow {

// Expected size of a run-length-coded stream, in uncompressed words of `value_bits`, per
// element, when each element is nonzero with probability `density` (in (0, 1]). The coding is
// Eyeriss's: (run, level) pairs of a `run_bits` zero count and a `value_bits` value, packed
// whole into `word_bits` words with one bit marking the last word. Above about 0.75 the
// coding expands the data (4/3 at density 1 for the 16-bit Eyeriss format).
[[nodiscard]] double rlc_words_per_element(double density, int value_bits = 16, int run_bits = 5,
                                           int word_bits = 64);

// Applies `acc`'s zero-exploiting features to `counts` of a dense evaluation of `layer`:
// - zero-gating (acc.array.pe.zero_gating): MACs with a zero ifmap operand become
//   counts.gated_macs, and the filter reads at the innermost level holding filters (the PE's
//   scratchpad) scale by the ifmap density. Cycles are unchanged.
// - RLC on the dram level: DRAM ifmap reads and final ofmap writes scale by their compressed
//   size, when that is smaller than dense. Partial sums and weights stay uncompressed.
void apply_sparsity(LayerCounts& counts, const workloads::Layer& layer,
                    const arch::Accelerator& acc);

}  // namespace loom::dataflow
