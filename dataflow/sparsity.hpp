// SPDX-License-Identifier: Apache-2.0
#pragma once
// What zeros in the tensors save on hardware built to exploit them: PE zero-gating (energy;
// Eyeriss, Chen et al., JSSC 52(1) 2017), PE zero-skipping (cycles; after Cnvlutin, Albericio
// et al., ISCA 2016) and compressed transfers at DRAM (run-length coding as in Eyeriss, or a
// presence bitmask). Applied after a dense evaluation, as a correction to its counts, after
// which the analytical model re-times the layer (layer_timing.hpp) so stalls follow the bytes
// actually moved;
// hardware without these features, or dense layers, leave the counts untouched. Densities come
// from workloads::Layer::density and are treated as i.i.d. per element (docs/modelling.md,
// "Sparsity").
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

// Size of a coded tensor relative to dense (1 for none). A compiler would leave a tensor dense
// when coding would not shrink it, so never above 1.
[[nodiscard]] double coded_ratio(arch::MemoryLevel::Compression c, double density, int bits);

// Expected size of a bitmask-coded tensor, in uncompressed words of `value_bits`, per element:
// one presence bit per element plus the nonzero values, (1 + density * value_bits) /
// value_bits. Expands the data above density 1 − 1 / value_bits.
[[nodiscard]] double bitmask_words_per_element(double density, int value_bits);

// Expected cycles per operand of a zero-skipping PE group, relative to dense: `lanes` PEs
// advance in lockstep over windows of `window` operands each, a PE spends one cycle per nonzero
// operand of its window, and the window takes as long as its busiest PE, at least one cycle:
//   E[max(1, max_i X_i)] / window,  X_i ~ Binomial(window, density) i.i.d.
// 1 at density 1; 1 / window as density -> 0; about the density for one lane and a long window.
[[nodiscard]] double skip_cycle_fraction(double density, int lanes, int window);

// Whether apply_sparsity changes `layer`'s cycles on `acc` (zero-skipping of a sparse ifmap,
// or a compressed dram level): then the layer is re-timed from its compute cycles and traffic.
[[nodiscard]] bool sparsity_retimes(const workloads::Layer& layer, const arch::Accelerator& acc);

// Applies `acc`'s zero-exploiting features to `counts` of a dense evaluation of `layer`:
// - zero-skipping (pe.zero_skipping): MACs with a zero ifmap operand become
//   counts.skipped_macs, compute cycles scale by skip_cycle_fraction of the ifmap density;
// - zero-gating (pe.zero_gating, when not skipping): those MACs become counts.gated_macs and
//   keep their cycles;
// - either way the filter reads at the innermost level holding filters (the PE's register file
//   or the array's weight buffer) scale by the ifmap density;
// - a compressed dram level (rlc or bitmask): DRAM ifmap reads, filter reads and final ofmap
//   writes scale by their coded size (ifmap, weight and ofmap density), when that is smaller
//   than dense. Partial sums stay uncompressed.
// With Retime::yes, and if sparsity_retimes, the layer's stalls, total cycles and utilization
// are then recomputed from its compute cycles and traffic (finish_timing): what the analytical
// model does. Retime::no leaves total and stall cycles as they are, for counts whose timing
// comes from elsewhere (a simulation of the dense hardware).
enum class Retime { no, yes };
void apply_sparsity(LayerCounts& counts, const workloads::Layer& layer,
                    const arch::Accelerator& acc, Retime retime = Retime::no);

}  // namespace loom::dataflow
