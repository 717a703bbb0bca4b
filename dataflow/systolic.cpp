// SPDX-License-Identifier: Apache-2.0
#include "dataflow/systolic.hpp"

#include <algorithm>
#include <string>

#include "core/error.hpp"
#include "dataflow/precision.hpp"
#include "dataflow/sram_ports.hpp"
#include "dataflow/systolic_dram.hpp"

namespace loom::dataflow {
namespace {

using arch::Dataflow;
using arch::Operand;

constexpr std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }

void fit_or_throw(const arch::Accelerator& acc, Operand o, std::int64_t elems, int bits,
                  const char* what) {
  const int li = acc.sram_level(o);
  const auto& lvl = acc.levels[li];
  const std::int64_t need_bits = 2 * elems * bits;  // double-buffered
  if (need_bits <= lvl.size_bytes * 8) return;
  throw Error(Diagnostic{acc.source, "levels." + lvl.name + ".size_kib", 0,
                         "cannot hold a double-buffered " + std::string(what) + " of " +
                             std::to_string(elems) + " " +
                             std::string(core::enum_name(arch::kOperandNames, o)) +
                             " elements at " + std::to_string(bits) + " bits (" +
                             std::to_string(need_bits / 8) + " bytes > " +
                             std::to_string(lvl.size_bytes) + " bytes)"});
}

}  // namespace

ResolvedPrecision resolve_precision(const workloads::Layer& layer, const arch::Accelerator& acc) {
  const auto& pe = acc.array.pe;
  ResolvedPrecision p;
  p.weight_bits = layer.precision.weight_bits > 0 ? layer.precision.weight_bits : pe.weight_bits;
  p.activation_bits =
      layer.precision.activation_bits > 0 ? layer.precision.activation_bits : pe.activation_bits;
  p.output_bits =
      layer.precision.output_bits > 0 ? layer.precision.output_bits : p.activation_bits;
  p.psum_bits = pe.psum_bits > 0 ? pe.psum_bits : pe.accumulator_bits;
  if (p.weight_bits > pe.weight_bits || p.activation_bits > pe.activation_bits)
    throw Error("layer '" + layer.name + "': " + std::to_string(p.weight_bits) + "-bit weights × " +
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
  switch (acc.dataflow) {
    case Dataflow::os:
      fit_or_throw(acc, Operand::ifmap, ar, p.activation_bits, "array-edge column");
      fit_or_throw(acc, Operand::filter, ac, p.weight_bits, "array-edge row");
      fit_or_throw(acc, Operand::ofmap, ar * ac, p.output_bits, "output tile");
      break;
    case Dataflow::ws:
      fit_or_throw(acc, Operand::ifmap, ar, p.activation_bits, "array-edge column");
      fit_or_throw(acc, Operand::filter, ar * ac, p.weight_bits, "weight tile");
      fit_or_throw(acc, Operand::ofmap, ac, p.psum_bits, "array-edge row");
      break;
    case Dataflow::is:
      fit_or_throw(acc, Operand::ifmap, ar * ac, p.activation_bits, "input tile");
      fit_or_throw(acc, Operand::filter, ar, p.weight_bits, "array-edge column");
      fit_or_throw(acc, Operand::ofmap, ac, p.psum_bits, "array-edge row");
      break;
    default:
      break;  // spatial-array dataflows: rejected above
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
  const Dataflow df = acc.dataflow;
  const bool compat = acc.compat == arch::Compat::scalesim;

  // (rows, columns, time) of the GEMM on the array.
  std::int64_t sr = mpx, sc = m, t = k;
  if (df == Dataflow::ws) sr = k, sc = m, t = mpx;
  if (df == Dataflow::is) sr = k, sc = mpx, t = m;
  const std::int64_t rf = ceil_div(sr, ar);
  const std::int64_t cf = ceil_div(sc, ac);
  r.folds = g * rf * cf;
  r.macs = layer.macs();
  const double pes = static_cast<double>(ar * ac);
  const double tiles = static_cast<double>(rf * cf) * pes;  // PE slots offered over one group
  r.mapping_efficiency_pct = 100.0 * static_cast<double>(sr * sc) / tiles;

  const FoldGrid grid{sr, sc, t, rf, cf};
  const SystolicSchedule plan = plan_systolic_schedule(layer, acc, p, grid);
  if (compat) {
    // SCALE-Sim v2: folds run back to back, each paying its fill and drain skew; stationary
    // dataflows load their tile (AR cycles) first. Its compute utilization divides by a
    // slightly different per-fold duration D, reproduced here as it is.
    const std::int64_t per_fold = df == Dataflow::os ? t + ar + ac - 2 : t + 2 * ar + ac - 2;
    const std::int64_t d = df == Dataflow::os ? t + ar + ac - 2 : t + 2 * ar + 2 * ac - 3;
    r.compute_cycles = r.folds * per_fold - 1;
    r.compute_util_pct = 100.0 * static_cast<double>(sr * sc) * static_cast<double>(t) /
                         (tiles * static_cast<double>(d));
  } else {
    // Pipelined folds: the next stationary tile shifts in (AR cycles) while the current one
    // computes, and an output-stationary tile drains through shadow registers, so a fold costs
    // max(T, AR) before the next may start; the fill and drain skew is paid once per layer. A time-chunked schedule runs
    // every fold once per chunk, the last chunk possibly shorter.
    // The last fold needs no room for a successor: it costs its own T (the simulator's
    // schedule, sim/systolic_array.hpp).
    // A PE doing k MACs per cycle (precision.hpp) runs each fold's time steps in ceil(T / k).
    const int fuse = r.macs_per_pe_cycle = macs_per_pe_cycle(acc.array.pe, p);
    const std::int64_t chunk = fused_cycles(plan.t_chunk, fuse);
    const std::int64_t last = fused_cycles(t - (plan.t_chunks - 1) * plan.t_chunk, fuse);
    r.folds *= plan.t_chunks;
    // Narrow SRAM ports stretch steps, preloads and drains (sram_ports.hpp).
    const EdgeStrides st = edge_strides(acc, p, fuse);
    const auto compute = [&](const EdgeStrides& e) {
      const bool os = df == Dataflow::os;
      return g * rf * cf * ((plan.t_chunks - 1) * e.held(chunk, ar) + e.held(last, ar)) -
             e.held(last, ar) + e.span(last) + e.head(ar, os) + e.tail(ar, ac, os);
    };
    r.compute_cycles = compute(st);
    if (st.throttled()) r.port_stall_cycles = r.compute_cycles - compute({});
    r.compute_util_pct =
        100.0 * pe_cycles_busy(r) / (static_cast<double>(r.compute_cycles) * pes);
  }

  // Array-side SRAM traffic, per group then scaled. Padding slots of partial folds are not
  // accesses; SCALE-Sim's os ofmap count adds AR + AC bookkeeping writes per fold. A chunked
  // schedule loads the stationary tiles into the array once per chunk.
  std::int64_t if_reads = 0, fl_reads = 0, of_writes = 0, of_psum = 0;
  switch (df) {
    case Dataflow::os:
      if_reads = cf * sr * t;
      fl_reads = rf * sc * t;
      of_writes = sr * sc + (compat ? rf * cf * (ar + ac) : 0);
      break;
    case Dataflow::ws:
      if_reads = cf * t * sr;
      fl_reads = sr * sc * plan.t_chunks;
      of_writes = rf * t * sc;
      of_psum = (rf - 1) * t * sc;
      break;
    case Dataflow::is:
      if_reads = sr * sc * plan.t_chunks;
      fl_reads = cf * sr * t;
      of_writes = rf * sc * t;
      of_psum = (rf - 1) * sc * t;
      break;
    default:
      break;  // spatial-array dataflows: check_systolic_fit rejected them
  }
  r.sram_ifmap_reads = g * if_reads;
  r.sram_filter_reads = g * fl_reads;
  r.sram_ofmap_writes = g * of_writes;
  r.sram_ofmap_reads = g * of_psum;

  const DramTraffic& dram = plan.dram;
  auto& a = r.access;
  a.levels = static_cast<int>(acc.levels.size());
  const int d = acc.dram_level();
  const int li = acc.sram_level(Operand::ifmap);
  const int lf = acc.sram_level(Operand::filter);
  const int lo = acc.sram_level(Operand::ofmap);
  a.at(d, Operand::ifmap).read(dram.ifmap_reads, p.activation_bits);
  a.at(d, Operand::filter).read(dram.filter_reads, p.weight_bits);
  a.at(d, Operand::ofmap).write(dram.ofmap_writes, p.output_bits);
  a.at(d, Operand::ofmap).write(dram.psum_writes, p.psum_bits);
  a.at(d, Operand::ofmap).read(dram.psum_reads, p.psum_bits);
  a.at(li, Operand::ifmap).write(dram.ifmap_reads, p.activation_bits);  // fills
  a.at(li, Operand::ifmap).read(r.sram_ifmap_reads, p.activation_bits);
  a.at(lf, Operand::filter).write(dram.filter_reads, p.weight_bits);
  a.at(lf, Operand::filter).read(r.sram_filter_reads, p.weight_bits);
  const std::int64_t final_writes = r.sram_ofmap_writes - r.sram_ofmap_reads;
  a.at(lo, Operand::ofmap).write(final_writes, p.output_bits);
  a.at(lo, Operand::ofmap).write(r.sram_ofmap_reads + dram.psum_reads, p.psum_bits);
  a.at(lo, Operand::ofmap).read(r.sram_ofmap_reads + dram.psum_writes, p.psum_bits);
  a.at(lo, Operand::ofmap).read(dram.ofmap_writes, p.output_bits);  // drains

  finish_with_dram_stalls(r, acc);
  return r;
}

}  // namespace loom::dataflow
