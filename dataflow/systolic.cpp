// SPDX-License-Identifier: Apache-2.0
#include "dataflow/systolic.hpp"

#include <algorithm>
#include <string>

#include "core/error.hpp"
#include "dataflow/capacity.hpp"
#include "dataflow/precision.hpp"
#include "dataflow/sram_ports.hpp"
#include "dataflow/systolic_axes.hpp"
#include "dataflow/systolic_cycles.hpp"
#include "dataflow/systolic_dram.hpp"
#include "dataflow/tile_plan.hpp"

namespace loom::dataflow {
namespace {

using arch::Operand;

constexpr std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }

void fit_or_throw(const arch::Accelerator& acc, Operand o, std::int64_t elems, int bits,
                  const char* what) {
  const int li = acc.sram_level(o);
  const auto& lvl = acc.levels[li];
  if (tiles_fit(elems * bits, lvl, Buffering::double_buffered)) return;
  const std::int64_t need_bits = 2 * elems * bits;
  throw Error(Diagnostic{
      acc.source, "levels." + lvl.name + ".size_kib", 0,
      "cannot hold a double-buffered " + std::string(what) + " of " + std::to_string(elems) + " " +
          std::string(core::enum_name(arch::kOperandNames, o)) + " elements at " +
          std::to_string(bits) + " bits (" + std::to_string(need_bits / 8) + " bytes > " +
          std::to_string(lvl.size_bytes) + " bytes)"});
}

}  // namespace

ResolvedPrecision resolve_precision(const workloads::Layer& layer, const arch::Accelerator& acc) {
  const auto& pe = acc.array.pe;
  ResolvedPrecision p;
  p.weight_bits = layer.precision.weight_bits > 0 ? layer.precision.weight_bits : pe.weight_bits;
  p.activation_bits =
      layer.precision.activation_bits > 0 ? layer.precision.activation_bits : pe.activation_bits;
  // An act_matmul's filter slot carries an activation: it travels, and is multiplied, at
  // activation width through the PE's weight port.
  if (!workloads::has_weights(layer.op)) p.weight_bits = p.activation_bits;
  p.output_bits = layer.precision.output_bits > 0 ? layer.precision.output_bits : p.activation_bits;
  p.psum_bits = pe.psum_bits > 0 ? pe.psum_bits : pe.accumulator_bits;
  if (p.weight_bits > pe.weight_bits || p.activation_bits > pe.activation_bits)
    throw Error("layer '" + layer.name + "': " + std::to_string(p.weight_bits) +
                (workloads::has_weights(layer.op) ? "-bit weights × " : "-bit activations × ") +
                std::to_string(p.activation_bits) + "-bit activations exceed the PE's " +
                std::to_string(pe.weight_bits) + "×" + std::to_string(pe.activation_bits) +
                "-bit multiplier (pe.weight_bits, pe.activation_bits)");
  // SCALE-Sim counts every word as one byte, partial sums included.
  if (acc.compat == arch::Compat::scalesim) p.psum_bits = p.output_bits;
  return p;
}

void check_systolic_fit(const arch::Accelerator& acc, const ResolvedPrecision& p) {
  if (!arch::is_systolic(acc.dataflow))
    throw Error(Diagnostic{acc.source, "dataflow", 0,
                           "the systolic model needs dataflow os, ws or is; a spatial array is "
                           "evaluated through the mapper (do not pass --no-search)"});
  const std::int64_t ar = acc.array.rows;
  const std::int64_t ac = acc.array.cols;
  // A fold's tile of each operand: the stationary one fills the array, the left edge's operand
  // is a column of AR values, the other one (top edge, or partial sums at the bottom) a row of
  // AC. Outputs that leave the array unfinished are partial sums.
  const SystolicAxes ax = systolic_axes(acc.dataflow);
  constexpr const char* kTileNames[arch::kOperands] = {"input tile", "weight tile", "output tile"};
  const int bits[arch::kOperands] = {p.activation_bits, p.weight_bits,
                                     ax.outputs_stay() ? p.output_bits : p.psum_bits};
  for (int oi = 0; oi < arch::kOperands; ++oi) {
    const auto o = static_cast<Operand>(oi);
    if (o == ax.stationary)
      fit_or_throw(acc, o, ar * ac, bits[oi], kTileNames[oi]);
    else if (o == ax.left)
      fit_or_throw(acc, o, ar, bits[oi], "array-edge column");
    else
      fit_or_throw(acc, o, ac, bits[oi], "array-edge row");
  }
}

LayerCounts analyze_systolic(const workloads::Layer& layer, const arch::Accelerator& acc) {
  const auto& s = layer.shape;
  LayerCounts r;
  r.precision = resolve_precision(layer, acc);
  check_systolic_fit(acc, r.precision);
  const ResolvedPrecision& p = r.precision;

  const std::int64_t g = s.groups;
  const std::int64_t mpx = s.N * s.P * s.Q;
  const std::int64_t m = s.M / g;
  const std::int64_t k = s.R * s.S * (s.C / g);
  const std::int64_t ar = acc.array.rows;
  const std::int64_t ac = acc.array.cols;
  const bool compat = acc.compat == arch::Compat::scalesim;

  // (rows, columns, time) of the GEMM on the array.
  const SystolicAxes ax = systolic_axes(acc.dataflow);
  const auto extents = ax.place({mpx, k, m});
  const std::int64_t sr = extents[0], sc = extents[1], t = extents[2];
  const std::int64_t rf = ceil_div(sr, ar);
  const std::int64_t cf = ceil_div(sc, ac);
  r.folds = g * rf * cf;
  r.macs = layer.macs();
  const double pes = static_cast<double>(ar * ac);
  const double tiles = static_cast<double>(rf * cf) * pes;  // PE slots offered over one group
  r.mapping_efficiency_pct = 100.0 * static_cast<double>(sr * sc) / tiles;

  const FoldGrid grid{sr, sc, t, rf, cf};
  const SystolicSchedule plan = plan_systolic_schedule(layer, acc, p, grid);
  // Fold timing: systolic_cycles.hpp.
  if (compat) {
    const SerialFold fold = scalesim_fold(ax.outputs_stay(), t, ar, ac);
    r.compute_cycles = scalesim_cycles(r.folds, fold);
    r.compute_util_pct = 100.0 * static_cast<double>(sr * sc) * static_cast<double>(t) /
                         (tiles * static_cast<double>(fold.util_cycles));
  } else {
    // Pipelined folds. A time-chunked schedule runs every fold once per chunk, the last chunk
    // possibly shorter. A PE doing k MACs per cycle (precision.hpp) runs each fold's time
    // steps in ceil(T / k).
    const int fuse = r.macs_per_pe_cycle = macs_per_pe_cycle(acc.array.pe, p);
    const std::int64_t chunk = fused_cycles(plan.t_chunk, fuse);
    const std::int64_t last = fused_cycles(t - (plan.t_chunks - 1) * plan.t_chunk, fuse);
    r.folds *= plan.t_chunks;
    // Narrow SRAM ports stretch steps, preloads and drains (sram_ports.hpp).
    const EdgeStrides st = edge_strides(acc, p, fuse);
    // Every fold of a chunk loads its stationary tile: without shadow registers each fold but
    // the last waits for the next one's preload (EdgeStrides::swap).
    const auto compute = [&](const EdgeStrides& e) {
      const std::int64_t held = g * rf * cf *
                                    ((plan.t_chunks - 1) * (e.held(chunk, ar) + e.swap(chunk, ar)) +
                                     e.held(last, ar) + e.swap(last, ar)) -
                                e.swap(last, ar);
      return pipelined_cycles(e, held, last, ar, ac, ax.outputs_stay());
    };
    r.compute_cycles = compute(st);
    EdgeStrides wide;
    wide.stall = st.stall;
    if (st.throttled()) r.port_stall_cycles = r.compute_cycles - compute(wide);
    r.compute_util_pct = 100.0 * pe_cycles_busy(r) / (static_cast<double>(r.compute_cycles) * pes);
  }

  // Array-side SRAM traffic, per group then scaled. Padding slots of partial folds are not
  // accesses; SCALE-Sim's os ofmap count adds AR + AC bookkeeping writes per fold. A chunked
  // schedule loads the stationary tiles into the array once per chunk.
  // The left edge reads a value per row and step in every column fold; the top edge a value
  // per column and step in every row fold (os), or each stationary tile once per time chunk.
  std::int64_t in_reads[2] = {}, of_writes = 0, of_psum = 0;
  in_reads[static_cast<int>(ax.left)] = cf * sr * t;
  in_reads[static_cast<int>(ax.top)] = ax.outputs_stay() ? rf * sc * t : sr * sc * plan.t_chunks;
  if (ax.outputs_stay()) {
    of_writes = sr * sc + (compat ? rf * cf * (ar + ac) : 0);
  } else {
    of_writes = rf * sc * t;
    of_psum = (rf - 1) * sc * t;
  }
  r.sram_ifmap_reads = g * in_reads[static_cast<int>(Operand::ifmap)];
  r.sram_filter_reads = g * in_reads[static_cast<int>(Operand::filter)];
  r.sram_ofmap_writes = g * of_writes;
  r.sram_ofmap_reads = g * of_psum;

  // The schedule's DRAM transfers and the array-side traffic, booked per level as every
  // systolic model books them (tile_plan.hpp).
  const DramTraffic& dram = plan.dram;
  const std::array<int, arch::kOperands> buffers{acc.sram_level(Operand::ifmap),
                                                 acc.sram_level(Operand::filter),
                                                 acc.sram_level(Operand::ofmap)};
  r.access = systolic_access(
      acc, p, buffers,
      {.ifmap_reads = dram.ifmap_reads,
       .filter_reads = dram.filter_reads,
       .psum_reads = dram.psum_reads,
       .psum_writes = dram.psum_writes,
       .final_writes = dram.ofmap_writes},
      {r.sram_ifmap_reads, r.sram_filter_reads, r.sram_ofmap_writes, r.sram_ofmap_reads},
      s.ofmap_elems());

  finish_with_dram_stalls(r, acc);
  return r;
}

}  // namespace loom::dataflow
