// SPDX-License-Identifier: Apache-2.0
#include "dataflow/systolic_dram.hpp"

#include <cmath>

namespace loom::dataflow {
namespace {

using arch::Dataflow;
using arch::Operand;

// How an operand's tiles are indexed by the fold grid.
enum class Role { by_row, by_col, by_both };

// Bits an operand may keep resident: half its SRAM (the other half fills the next tile), shared
// evenly with the other operands that level holds.
double usable_bits(const arch::Accelerator& acc, Operand o) {
  const auto& lvl = acc.levels[acc.sram_level(o)];
  int sharers = 0;
  for (int i = 0; i < arch::kOperands; ++i) sharers += lvl.holds[i] ? 1 : 0;
  return static_cast<double>(lvl.size_bytes) * 8.0 / 2.0 / sharers;
}

struct Order {
  std::int64_t outer, inner;  // fold counts
  bool row_outer;
};

// Fetches of an input operand of `elems` elements (one group) under `order`.
std::int64_t input_fetches(Role role, std::int64_t elems, int bits, double cap_bits,
                           const Order& o) {
  if (role == Role::by_both) return elems;
  const bool outer_only = (role == Role::by_row) == o.row_outer;
  if (outer_only) {
    const double slice_bits = static_cast<double>(elems) * bits / static_cast<double>(o.outer);
    return slice_bits <= cap_bits ? elems : elems * o.inner;
  }
  return static_cast<double>(elems) * bits <= cap_bits ? elems : elems * o.outer;
}

DramTraffic traffic_for(const Order& o, Dataflow df, const workloads::LayerShape& s,
                        const ResolvedPrecision& p, const double cap[3], std::int64_t rf) {
  const std::int64_t g = s.groups;
  const std::int64_t ifmap = s.ifmap_elems() / g;
  const std::int64_t filter = s.weight_elems() / g;
  const std::int64_t ofmap = s.ofmap_elems() / g;
  const Role if_role = df == Dataflow::is ? Role::by_both : Role::by_row;
  const Role fl_role = df == Dataflow::ws ? Role::by_both
                       : df == Dataflow::os ? Role::by_col
                                            : Role::by_row;
  DramTraffic t;
  t.row_folds_outer = o.row_outer;
  t.ifmap_reads = g * input_fetches(if_role, ifmap, p.activation_bits, cap[0], o);
  t.filter_reads = g * input_fetches(fl_role, filter, p.weight_bits, cap[1], o);
  t.ofmap_writes = g * ofmap;
  if (df != Dataflow::os && rf > 1) {
    // Outputs accumulate across row folds (the K dimension): resident if the psums of the
    // current column fold (row folds inner) or of the whole layer (row folds outer) fit.
    const double psum_bits = static_cast<double>(ofmap) * p.psum_bits;
    const double resident = o.row_outer ? psum_bits : psum_bits / static_cast<double>(o.outer);
    if (resident > cap[2]) {
      t.psum_writes = g * ofmap * (rf - 1);
      t.psum_reads = g * ofmap * (rf - 1);
    }
  }
  return t;
}

std::int64_t bits_of(const DramTraffic& t, const ResolvedPrecision& p) {
  return t.ifmap_reads * p.activation_bits + t.filter_reads * p.weight_bits +
         t.ofmap_writes * p.output_bits + (t.psum_writes + t.psum_reads) * p.psum_bits;
}

}  // namespace

DramTraffic systolic_dram_traffic(const workloads::Layer& layer, const arch::Accelerator& acc,
                                  const ResolvedPrecision& p, std::int64_t row_folds,
                                  std::int64_t col_folds) {
  const double cap[3] = {usable_bits(acc, Operand::ifmap), usable_bits(acc, Operand::filter),
                         usable_bits(acc, Operand::ofmap)};
  const Order rows_outer{row_folds, col_folds, true};
  const Order cols_outer{col_folds, row_folds, false};
  const DramTraffic a = traffic_for(rows_outer, acc.dataflow, layer.shape, p, cap, row_folds);
  const DramTraffic b = traffic_for(cols_outer, acc.dataflow, layer.shape, p, cap, row_folds);
  return bits_of(b, p) < bits_of(a, p) ? b : a;
}

std::int64_t dram_stall_cycles(const arch::Accelerator& acc,
                               std::int64_t compute_cycles, std::int64_t folds,
                               const arch::AccessCounts& access) {
  const double bw = acc.levels[acc.dram_level()].bandwidth_bytes_per_cycle;
  if (bw <= 0.0) return 0;
  const int d = acc.dram_level();
  const double in_bytes = static_cast<double>(access.at(d, Operand::ifmap).read_bits +
                                              access.at(d, Operand::filter).read_bits) / 8.0;
  const double all_bytes = access.bytes(d);
  const double out_bytes = all_bytes - in_bytes;
  const double f = static_cast<double>(folds);
  const double exposed = std::ceil(in_bytes / f / bw) + std::ceil(out_bytes / f / bw);
  const double transfer = std::ceil(all_bytes / bw);
  const double cc = static_cast<double>(compute_cycles);
  const double total = std::max(cc + exposed, transfer);
  return static_cast<std::int64_t>(total - cc);
}

}  // namespace loom::dataflow
