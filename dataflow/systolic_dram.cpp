// SPDX-License-Identifier: Apache-2.0
#include "dataflow/systolic_dram.hpp"

#include <algorithm>
#include <cmath>

#include "core/checked.hpp"
#include "core/error.hpp"
#include "dataflow/capacity.hpp"
#include "dataflow/layer_timing.hpp"
#include "dataflow/systolic_axes.hpp"

namespace loom::dataflow {
namespace {

using arch::Operand;

// How an operand's tiles are indexed by the fold grid.
enum class Role { by_row, by_col, by_both };

// Bits an operand may keep resident: its double-buffered share of its SRAM (capacity.hpp),
// split evenly with the other operands that level holds.
double usable_bits(const arch::Accelerator& acc, Operand o) {
  const auto& lvl = acc.levels[acc.sram_level(o)];
  int sharers = 0;
  for (int i = 0; i < arch::kOperands; ++i) sharers += lvl.holds[i] ? 1 : 0;
  return tile_budget_bits(lvl, Buffering::double_buffered) / sharers;
}

struct Tensors {  // one group, elements
  std::int64_t ifmap, filter, ofmap;
};

struct Order {
  std::int64_t outer, inner;  // fold counts
  bool row_outer;
};

bool fits(std::int64_t elems, int bits, double cap_bits) {
  return static_cast<double>(elems) * bits <= cap_bits;
}

// Fetches of an input operand of `elems` elements under a two-level fold order.
std::int64_t input_fetches(Role role, std::int64_t elems, int bits, double cap_bits,
                           const Order& o) {
  if (role == Role::by_both) return elems;
  const bool outer_only = (role == Role::by_row) == o.row_outer;
  if (outer_only) {
    const double slice_bits = static_cast<double>(elems) * bits / static_cast<double>(o.outer);
    return slice_bits <= cap_bits ? elems : elems * o.inner;
  }
  return fits(elems, bits, cap_bits) ? elems : elems * o.outer;
}

Role role_of(const SystolicAxes& ax, Operand o) {
  const bool row = SystolicAxes::indexes(o, ax.row), col = SystolicAxes::indexes(o, ax.col);
  return row && col ? Role::by_both : row ? Role::by_row : Role::by_col;
}

SystolicSchedule fold_order(const Order& o, const SystolicAxes& ax, const Tensors& x,
                            const ResolvedPrecision& p, const double cap[3], const FoldGrid& fg) {
  const Role if_role = role_of(ax, Operand::ifmap);
  const Role fl_role = role_of(ax, Operand::filter);
  SystolicSchedule s;
  s.t_chunk = fg.t;
  s.dram.ifmap_reads = input_fetches(if_role, x.ifmap, p.activation_bits, cap[0], o);
  s.dram.filter_reads = input_fetches(fl_role, x.filter, p.weight_bits, cap[1], o);
  s.dram.ofmap_writes = x.ofmap;
  if (!ax.outputs_stay() && fg.row_folds > 1) {
    // Resident partial sums: those of the whole layer (row folds outer) or of one column fold.
    const double psum = static_cast<double>(x.ofmap) * p.psum_bits;
    const double resident = o.row_outer ? psum : psum / static_cast<double>(o.outer);
    if (resident > cap[2]) {
      s.dram.psum_writes = x.ofmap * (fg.row_folds - 1);
      s.dram.psum_reads = x.ofmap * (fg.row_folds - 1);
    }
  }
  return s;
}

// ws/is with T cut into chunks whose partial sums (AC columns × chunk) fit the ofmap buffer.
// Loop nest: chunk { column fold { row fold } }.
SystolicSchedule time_chunked(const SystolicAxes& ax, const Tensors& x, const ResolvedPrecision& p,
                              const double cap[3], const FoldGrid& fg, std::int64_t ac) {
  SystolicSchedule s;
  const auto per_step = static_cast<double>(ac * p.psum_bits);
  s.t_chunk = std::clamp<std::int64_t>(static_cast<std::int64_t>(cap[2] / per_step), 1, fg.t);
  s.t_chunks = (fg.t + s.t_chunk - 1) / s.t_chunk;
  const double share = static_cast<double>(s.t_chunk) / static_cast<double>(fg.t);
  // The stationary operand (ws filters, is inputs) is swept once per chunk unless it fits whole;
  // the streamed one (ws inputs, is filters) is read once if a chunk's slice fits, else once per
  // column fold.
  const bool ws = ax.stationary == Operand::filter;
  const std::int64_t stationary = ws ? x.filter : x.ifmap;
  const int st_bits = ws ? p.weight_bits : p.activation_bits;
  const std::int64_t streamed = ws ? x.ifmap : x.filter;
  const int sm_bits = ws ? p.activation_bits : p.weight_bits;
  const double st_cap = ws ? cap[1] : cap[0];
  const double sm_cap = ws ? cap[0] : cap[1];
  const std::int64_t st_reads =
      fits(stationary, st_bits, st_cap) ? stationary : stationary * s.t_chunks;
  const std::int64_t sm_reads = static_cast<double>(streamed) * sm_bits * share <= sm_cap
                                    ? streamed
                                    : streamed * fg.col_folds;
  s.dram.filter_reads = ws ? st_reads : sm_reads;
  s.dram.ifmap_reads = ws ? sm_reads : st_reads;
  s.dram.ofmap_writes = x.ofmap;
  return s;
}

std::int64_t bits_of(const DramTraffic& t, const ResolvedPrecision& p) {
  return t.ifmap_reads * p.activation_bits + t.filter_reads * p.weight_bits +
         t.ofmap_writes * p.output_bits + (t.psum_writes + t.psum_reads) * p.psum_bits;
}

}  // namespace

SystolicSchedule plan_systolic_schedule(const workloads::Layer& layer, const arch::Accelerator& acc,
                                        const ResolvedPrecision& p, const FoldGrid& fg) {
  const auto& sh = layer.shape;
  const std::int64_t g = sh.groups;
  const Tensors x{sh.ifmap_elems() / g, sh.weight_elems() / g, sh.ofmap_elems() / g};
  const double cap[3] = {usable_bits(acc, Operand::ifmap), usable_bits(acc, Operand::filter),
                         usable_bits(acc, Operand::ofmap)};
  const SystolicAxes ax = systolic_axes(acc.dataflow);
  SystolicSchedule best = fold_order({fg.row_folds, fg.col_folds, true}, ax, x, p, cap, fg);
  auto consider = [&](const SystolicSchedule& s) {
    if (bits_of(s.dram, p) < bits_of(best.dram, p)) best = s;
  };
  consider(fold_order({fg.col_folds, fg.row_folds, false}, ax, x, p, cap, fg));
  if (acc.compat == arch::Compat::none && !ax.outputs_stay() && fg.row_folds > 1)
    consider(time_chunked(ax, x, p, cap, fg, acc.array.cols));
  // Scale one group's traffic to all groups (groups run one after another).
  for (std::int64_t* v : {&best.dram.ifmap_reads, &best.dram.filter_reads, &best.dram.ofmap_writes,
                          &best.dram.psum_writes, &best.dram.psum_reads})
    *v *= g;
  return best;
}

std::int64_t dram_stall_cycles(const arch::Accelerator& acc, std::int64_t compute_cycles,
                               std::int64_t folds, const arch::AccessCounts& access,
                               const ExposedTransfers& exposed, double bus_factor) {
  const int d = acc.dram_level();
  const double bw = acc.levels[d].bandwidth_bytes_per_cycle / bus_factor;
  if (bw <= 0.0) return 0;
  const double in_bytes = static_cast<double>(access.at(d, Operand::ifmap).read_bits +
                                              access.at(d, Operand::filter).read_bits) /
                          8.0;
  const double all_bytes = access.bytes(d);
  const double out_bytes = all_bytes - in_bytes;
  const double f = static_cast<double>(folds);
  const double first_in =
      exposed.first_input_bits >= 0 ? exposed.first_input_bits / 8.0 : in_bytes / f;
  const double last_out =
      exposed.last_output_bits >= 0 ? exposed.last_output_bits / 8.0 : out_bytes / f;
  const double head = std::ceil(first_in / bw), tail = std::ceil(last_out / bw);
  // Known exposure: the last write-back starts only when the last fold ends, after every
  // other transfer.
  const double transfer = exposed.last_output_bits >= 0
                              ? std::ceil((all_bytes - last_out) / bw) + tail
                              : std::ceil(all_bytes / bw);
  const double cc = static_cast<double>(compute_cycles);
  const auto stall = core::checked_count(std::max(cc + head + tail, transfer) - cc);
  if (!stall) throw Error(too_many_cycles(std::max(cc + head + tail, transfer)));
  return *stall;
}

void finish_with_dram_stalls(LayerCounts& r, const arch::Accelerator& acc,
                             const ExposedTransfers& exposed) {
  finish_with_total(r, acc,
                    r.compute_cycles + dram_stall_cycles(acc, r.compute_cycles, r.folds, r.access,
                                                         exposed, r.dram_bus_factor));
}

void finish_with_total(LayerCounts& r, const arch::Accelerator& acc, std::int64_t total_cycles) {
  const double pes = static_cast<double>(acc.array.pes());
  r.total_cycles = std::max(total_cycles, r.compute_cycles);
  r.stall_cycles = r.total_cycles - r.compute_cycles;
  r.overall_util_pct = 100.0 * pe_cycles_busy(r) / (static_cast<double>(r.total_cycles) * pes);
  r.active_pes =
      r.mapping_efficiency_pct / 100.0 * pes *
      std::min(1.0, static_cast<double>(r.compute_cycles) / static_cast<double>(r.total_cycles));
}

}  // namespace loom::dataflow
