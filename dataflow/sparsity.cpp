// SPDX-License-Identifier: Apache-2.0
#include "dataflow/sparsity.hpp"

#include <algorithm>
#include <cmath>

namespace loom::dataflow {

using arch::Operand;

double rlc_words_per_element(double density, int value_bits, int run_bits, int word_bits) {
  // The encoder counts zeros and emits a pair at the next nonzero, which becomes the level. The
  // run field saturates at 2^run_bits − 1 zeros: then the pair ends anyway, and its level holds
  // the following element even if that is a zero. So a pair covers the elements up to and
  // including the first nonzero, but at most L = 2^run_bits of them. With zeros i.i.d. of
  // probability z = 1 − d, the pair covers more than i elements iff its first i are all zero:
  //   E[elements per pair] = sum_{i=0}^{L−1} z^i = (1 − z^L) / d,
  // so pairs per element = d / (1 − z^L) (→ 1/L as d → 0, 1 at d = 1). Pairs never straddle
  // words: floor((word_bits − 1) / (run_bits + value_bits)) of them fit beside the last-word
  // bit, 3 for Eyeriss's 5 + 16 bits in 64. The final, partly filled word is ignored (a long
  // tensor's stream spans many words).
  const double zeros = 1.0 - density;
  const double max_run = std::ldexp(1.0, run_bits);
  const double pairs_per_element = density / (1.0 - std::pow(zeros, max_run));
  const int pairs_per_word = (word_bits - 1) / (run_bits + value_bits);
  return pairs_per_element / pairs_per_word * word_bits / value_bits;
}

namespace {

// Replaces `elems` of the elements in (count, count_bits), each `bits` wide, by `factor` as
// many, rounded to the nearest element, so that elements and bits stay consistent.
void rescale(std::int64_t& count, std::int64_t& count_bits, std::int64_t elems, int bits,
             double factor) {
  const std::int64_t delta = std::llround(static_cast<double>(elems) * factor) - elems;
  count += delta;
  count_bits += delta * bits;
}

void gate_zero_ifmaps(LayerCounts& counts, const workloads::Layer& layer,
                      const arch::Accelerator& acc) {
  const double d = layer.density.ifmap;
  counts.gated_macs = std::llround(static_cast<double>(counts.macs) * (1.0 - d));
  // The innermost filter level (levels are outermost first) feeds the MAC: its reads are the
  // ones a zero ifmap skips.
  for (int l = static_cast<int>(acc.levels.size()) - 1; l >= 0; --l) {
    if (!acc.levels[l].holds_operand(Operand::filter)) continue;
    auto& cell = counts.access.at(l, Operand::filter);
    rescale(cell.reads, cell.read_bits, cell.reads, counts.precision.weight_bits, d);
    return;
  }
}

// A compiler would leave a tensor dense when coding it would not shrink it.
double rlc_ratio(double density, int bits) {
  return std::min(1.0, rlc_words_per_element(density, bits));
}

void compress_feature_maps(LayerCounts& counts, const workloads::Layer& layer, int dram) {
  const auto& p = counts.precision;
  auto& in = counts.access.at(dram, Operand::ifmap);
  rescale(in.reads, in.read_bits, in.reads, p.activation_bits,
          rlc_ratio(layer.density.ifmap, p.activation_bits));
  // Only the finished outputs are coded; the writes beyond them are partial sums that come
  // back for accumulation, kept at psum precision and uncompressed.
  auto& out = counts.access.at(dram, Operand::ofmap);
  const std::int64_t final_writes = std::min(out.writes, layer.shape.ofmap_elems());
  rescale(out.writes, out.write_bits, final_writes, p.output_bits,
          rlc_ratio(layer.density.ofmap, p.output_bits));
}

}  // namespace

void apply_sparsity(LayerCounts& counts, const workloads::Layer& layer,
                    const arch::Accelerator& acc) {
  if (acc.array.pe.zero_gating) gate_zero_ifmaps(counts, layer, acc);
  for (int l = 0; l < static_cast<int>(acc.levels.size()); ++l)
    if (acc.levels[l].kind == arch::LevelKind::dram &&
        acc.levels[l].compression == arch::MemoryLevel::Compression::rlc)
      compress_feature_maps(counts, layer, l);
}

}  // namespace loom::dataflow
