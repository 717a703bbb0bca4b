// SPDX-License-Identifier: Apache-2.0
#include "dataflow/sparsity.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "dataflow/layer_timing.hpp"

namespace loom::dataflow {

using arch::Operand;
using Compression = arch::MemoryLevel::Compression;

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

double bitmask_words_per_element(double density, int value_bits) {
  return (1.0 + density * value_bits) / value_bits;
}

double skip_cycle_fraction(double density, int lanes, int window) {
  if (density >= 1.0) return 1.0;
  // P(X <= j) for X ~ Binomial(window, density), then E[max(1, M)] = 1 + sum_{j>=2} P(M >= j)
  // with P(M >= j) = 1 − P(X <= j − 1)^lanes for the maximum M of `lanes` i.i.d. draws.
  // The pmf in log space: (1 − d)^window underflows for long windows.
  std::vector<double> cdf(static_cast<std::size_t>(window) + 1);
  const double n = window;
  double acc = 0;
  for (int j = 0; j <= window; ++j) {
    const double log_pmf = std::lgamma(n + 1) - std::lgamma(j + 1.0) - std::lgamma(n - j + 1) +
                           j * std::log(density) + (n - j) * std::log1p(-density);
    acc += std::exp(log_pmf);
    cdf[static_cast<std::size_t>(j)] = std::min(acc, 1.0);
  }
  double expected = 1.0;
  for (int j = 2; j <= window; ++j)
    expected += 1.0 - std::pow(cdf[static_cast<std::size_t>(j - 1)], lanes);
  return expected / window;
}

double coded_ratio(Compression c, double density, int bits) {
  if (c == Compression::none) return 1.0;
  const double r = c == Compression::rlc ? rlc_words_per_element(density, bits)
                                         : bitmask_words_per_element(density, bits);
  return std::min(1.0, r);
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

// MACs of a zero ifmap operand read no weight: the innermost filter level (levels are
// outermost first) feeds the MAC, so its reads are the ones saved.
void skip_filter_reads(LayerCounts& counts, const workloads::Layer& layer,
                       const arch::Accelerator& acc) {
  for (int l = static_cast<int>(acc.levels.size()) - 1; l >= 0; --l) {
    if (!acc.levels[l].holds_operand(Operand::filter)) continue;
    auto& cell = counts.access.at(l, Operand::filter);
    rescale(cell.reads, cell.read_bits, cell.reads, counts.precision.weight_bits,
            layer.density.ifmap);
    return;
  }
}

void exploit_zero_ifmaps(LayerCounts& counts, const workloads::Layer& layer,
                         const arch::Accelerator& acc) {
  const auto& pe = acc.array.pe;
  const double d = layer.density.ifmap;
  const std::int64_t zero_macs = std::llround(static_cast<double>(counts.macs) * (1.0 - d));
  if (pe.zero_skipping) {
    counts.skipped_macs = zero_macs;
    const double f = skip_cycle_fraction(d, pe.skip_lanes, pe.skip_window);
    const double before = static_cast<double>(counts.compute_cycles);
    counts.compute_cycles =
        std::max<std::int64_t>(1, static_cast<std::int64_t>(std::ceil(before * f)));
    // Busy PE cycles drop with the skipped MACs, elapsed cycles with f.
    counts.compute_util_pct *= d * before / static_cast<double>(counts.compute_cycles);
  } else {
    counts.gated_macs = zero_macs;
  }
  skip_filter_reads(counts, layer, acc);
}

void compress_transfers(LayerCounts& counts, const workloads::Layer& layer, int dram,
                        Compression c) {
  const auto& p = counts.precision;
  auto& in = counts.access.at(dram, Operand::ifmap);
  rescale(in.reads, in.read_bits, in.reads, p.activation_bits,
          coded_ratio(c, layer.density.ifmap, p.activation_bits));
  auto& w = counts.access.at(dram, Operand::filter);
  rescale(w.reads, w.read_bits, w.reads, p.weight_bits,
          coded_ratio(c, layer.filter_density(), p.weight_bits));
  // Only the finished outputs are coded; the writes beyond them are partial sums that come
  // back for accumulation, kept at psum precision and uncompressed.
  auto& out = counts.access.at(dram, Operand::ofmap);
  const std::int64_t final_writes = std::min(out.writes, layer.shape.ofmap_elems());
  rescale(out.writes, out.write_bits, final_writes, p.output_bits,
          coded_ratio(c, layer.density.ofmap, p.output_bits));
}

}  // namespace

bool sparsity_retimes(const workloads::Layer& layer, const arch::Accelerator& acc) {
  if (acc.array.pe.zero_skipping && layer.density.ifmap < 1.0) return true;
  for (const auto& l : acc.levels)
    if (l.kind == arch::LevelKind::dram && l.compression != Compression::none) return true;
  return false;
}

void apply_sparsity(LayerCounts& counts, const workloads::Layer& layer,
                    const arch::Accelerator& acc, Retime retime) {
  const auto& pe = acc.array.pe;
  if ((pe.zero_gating || pe.zero_skipping) && layer.density.ifmap < 1.0)
    exploit_zero_ifmaps(counts, layer, acc);
  const int d = acc.dram_level();
  const auto in_bits = [&] {
    return static_cast<double>(counts.access.at(d, Operand::ifmap).read_bits +
                               counts.access.at(d, Operand::filter).read_bits);
  };
  const auto out_bits = [&] {
    return static_cast<double>(counts.access.at(d, Operand::ofmap).write_bits);
  };
  const double in_before = in_bits(), out_before = out_bits();
  if (acc.levels[d].compression != Compression::none) {
    compress_transfers(counts, layer, d, acc.levels[d].compression);
    // The exposed first and last tiles cross coded too, in the tensors' average ratio.
    if (counts.exposed_input_bits > 0 && in_before > 0)
      counts.exposed_input_bits *= in_bits() / in_before;
    if (counts.exposed_output_bits > 0 && out_before > 0)
      counts.exposed_output_bits *= out_bits() / out_before;
  }
  // Gating changes neither cycles nor DRAM traffic: the dense timing stands.
  if (retime == Retime::yes && sparsity_retimes(layer, acc) && counts.total_cycles > 0)
    finish_timing(counts, acc);
}

}  // namespace loom::dataflow
