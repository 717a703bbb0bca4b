// SPDX-License-Identifier: Apache-2.0
#include "dataflow/systolic_timing.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "dataflow/dram_timing.hpp"
#include "dataflow/im2col_footprint.hpp"
#include "dataflow/precision.hpp"
#include "dataflow/sparsity.hpp"
#include "dataflow/sram_ports.hpp"
#include "dataflow/systolic_axes.hpp"
#include "dataflow/systolic_cycles.hpp"
#include "dataflow/systolic_dram.hpp"
#include "dataflow/systolic_folds.hpp"
#include "dataflow/systolic_mapping.hpp"
#include "dataflow/systolic_pipeline.hpp"
#include "dataflow/tile_plan.hpp"

namespace loom::dataflow {

FoldProfile fold_profile(const workloads::Layer& gemm, const Mapping& m, std::int64_t ar,
                         int macs_per_pe_cycle, const EdgeStrides& strides) {
  // Along each dimension the loops above the array enumerate tiles of u = spatial x PE
  // elements in order; the ones starting past the bound are empty and never issued, the last
  // one may be partial. A fold's time steps are the product over dimensions of the PE extent
  // of its tile: the PE factor, or less in a partial last tile.
  const DimFactors bounds = problem_bounds(gemm.shape);
  struct Split {
    std::int64_t tiles, full_steps, last_steps;
  };
  std::array<Split, kDims> split{};
  for (int d = 0; d < kDims; ++d) {
    const std::int64_t p = m.pe.factors[d];
    const std::int64_t u = m.spatial_rows[d] * m.spatial_cols[d] * p;
    const std::int64_t tiles = (bounds[d] + u - 1) / u;
    const std::int64_t rest = bounds[d] - (tiles - 1) * u;
    split[d] = {tiles, p, std::min(p, rest)};
  }
  FoldProfile out;
  // Every combination of full / last tile per dimension is a class of folds. Only dimensions
  // whose last tile is partial split in two; the others (one tile, or all tiles full) give
  // every fold the same steps, so at most 2^(partial dimensions) classes are visited (this is
  // the mapper's inner loop).
  std::int64_t base_n = 1, base_t = 1;
  std::array<int, kDims> partial{};
  int partials = 0;
  for (int d = 0; d < kDims; ++d) {
    const Split& sp = split[d];
    if (sp.tiles > 1 && sp.last_steps != sp.full_steps) {
      partial[partials++] = d;
    } else {
      base_n *= sp.tiles;
      base_t *= sp.full_steps == sp.last_steps || sp.tiles > 1 ? sp.full_steps : sp.last_steps;
    }
  }
  double held = 0, steps = 0;
  std::int64_t count = 0;
  for (int mask = 0; mask < (1 << partials); ++mask) {
    std::int64_t n = base_n, t = base_t;
    for (int j = 0; j < partials; ++j) {
      const Split& sp = split[partial[j]];
      const bool last = (mask >> j) & 1;
      n *= last ? 1 : sp.tiles - 1;
      t *= last ? sp.last_steps : sp.full_steps;
    }
    count += n;
    held += static_cast<double>(n) *
            static_cast<double>(strides.held(fused_cycles(t, macs_per_pe_cycle), ar));
    steps += static_cast<double>(n) * static_cast<double>(t);
  }
  const std::int64_t g = gemm.shape.groups;
  std::int64_t last_t = 1;
  for (int d = 0; d < kDims; ++d) last_t *= split[d].last_steps;
  last_t = fused_cycles(last_t, macs_per_pe_cycle);
  out.count = g * count;
  out.steps = static_cast<double>(g) * steps;
  out.held_sum = static_cast<std::int64_t>(static_cast<double>(g) * held);
  out.last_steps = last_t;
  return out;
}

std::int64_t stall_swap_sum(const workloads::Layer& gemm, const Mapping& m, const SystolicAxes& ax,
                            std::int64_t ar, int macs_per_pe_cycle, const EdgeStrides& strides) {
  if (!strides.stall) return 0;
  // Folds sharing a stationary tile run back to back: the loops above the array inside the
  // innermost one over the array's rows or columns walk the other dimensions only, so every
  // iteration of that loop and of the loops outside it that issues a fold starts a run with
  // a preload (folds_of_mapping issues exactly these; keeps_tile holds inside a run).
  DimFactors inner = kUnitFactors;  // per dimension: its loops inside that loop
  bool found = false;
  for (auto l = m.levels.rbegin(); l != m.levels.rend() && !found; ++l)
    for (auto d = l->order.rbegin(); d != l->order.rend() && !found; ++d) {
      const auto i = static_cast<std::size_t>(*d);
      if (l->factors[i] <= 1) continue;
      if (*d == ax.row || *d == ax.col)
        found = true;
      else
        inner[i] *= l->factors[i];
    }
  const DimFactors bounds = problem_bounds(gemm.shape);
  std::int64_t runs = gemm.shape.groups, time_runs = 1, time_tiles = 1, unit_t = 1;
  for (int d = 0; d < kDims; ++d) {
    const std::int64_t u = m.spatial_rows[d] * m.spatial_cols[d] * m.pe.factors[d];
    const std::int64_t n = (bounds[d] + u * inner[d] - 1) / (u * inner[d]);
    runs *= n;
    if (static_cast<Dim>(d) != ax.time) continue;
    time_runs = n;
    time_tiles = (bounds[d] + u - 1) / u;
    unit_t = u;
  }
  // A run ends on a full time tile unless it is in the last time tile, where it ends on the
  // partial one; the layer's last run has no successor to wait for.
  const auto t = static_cast<std::size_t>(ax.time);
  const std::int64_t full = std::min(unit_t, bounds[t]);
  const std::int64_t last = bounds[t] - (time_tiles - 1) * unit_t;
  const std::int64_t last_runs = runs / time_runs;
  return (runs - last_runs) * strides.swap(fused_cycles(full, macs_per_pe_cycle), ar) +
         (last_runs - 1) * strides.swap(fused_cycles(last, macs_per_pe_cycle), ar);
}

namespace {

// The first tile of each operand (ifmap, filter, ofmap) at its buffer level, as GEMM boxes.
std::array<GemmBox, arch::kOperands> first_tiles(const workloads::Layer& layer,
                                                 const arch::Accelerator& acc, const Mapping& m) {
  const DimFactors b = problem_bounds(gemm_shape(layer.shape));
  std::array<GemmBox, arch::kOperands> tiles{};
  for (int o = 0; o < arch::kOperands; ++o) {
    const auto unit = [&](Dim d) {
      const int i = static_cast<int>(d);
      std::int64_t u = m.spatial_rows[i] * m.spatial_cols[i] * m.pe.factors[i];
      for (auto l = static_cast<std::size_t>(acc.sram_level(static_cast<arch::Operand>(o)));
           l < m.levels.size(); ++l)
        u *= m.levels[l].factors[i];
      return std::min(u, b[i]);
    };
    GemmBox& t = tiles[static_cast<std::size_t>(o)];
    t.px = unit(Dim::P);
    t.k = unit(Dim::C);
    t.m = unit(Dim::M);
  }
  return tiles;
}

// The transfers a double-buffered controller cannot overlap with compute (sim/memory_system.hpp):
// the first tile of each input, fetched before the first fold starts, and the last output tile,
// written back after the last fold ends.
// `ifmap` is the first ifmap tile's raw elements.
ExposedTransfers exposed_transfers(const workloads::Layer& layer,
                                   const std::array<GemmBox, arch::kOperands>& tiles,
                                   const ResolvedPrecision& p, double ifmap) {
  const DimFactors b = problem_bounds(gemm_shape(layer.shape));
  const GemmBox &fl = tiles[1], &out = tiles[2];
  const auto filter = static_cast<double>(fl.k * fl.m);
  const auto last = [&](std::int64_t u, Dim d) {
    const std::int64_t bound = b[static_cast<int>(d)];
    return bound - (bound - 1) / u * u;
  };
  ExposedTransfers e;
  e.first_input_bits = ifmap * p.activation_bits + filter * p.weight_bits;
  e.last_output_bits =
      static_cast<double>(last(out.px, Dim::P) * last(out.m, Dim::M) * p.output_bits);
  return e;
}

}  // namespace

MappingEvaluation evaluate_systolic_mapping(const workloads::Layer& layer,
                                            const arch::Accelerator& acc, const Mapping& m,
                                            const ResolvedPrecision& p, Fidelity fidelity) {
  const bool exact_ifmap = fidelity == Fidelity::final;
  using arch::Operand;
  const workloads::Layer gemm = gemm_model(layer);
  if (auto why = check_mapping_shape(gemm, acc, m); !why.empty())
    throw Error("layer '" + layer.name + "': malformed mapping (" + std::string(why) + ")");
  const bool compat = acc.compat == arch::Compat::scalesim;
  const auto& gs = gemm.shape;
  NestOptions opt;
  opt.check_capacity = !compat;  // SCALE-Sim does not bound its tiles by its buffers
  opt.buffering = Buffering::double_buffered;
  opt.count_exposed = false;  // the systolic DRAM model below has its own
  opt.ifmap_storage_scale =
      static_cast<double>(layer.shape.ifmap_elems()) / static_cast<double>(gs.P * gs.C);
  if (exact_ifmap && !compat)
    opt.ifmap_tile_sum = [&layer](std::int64_t pixels, std::int64_t taps) {
      return raw_ifmap_tile_sum(layer.shape, pixels, taps);
    };
  const NestCounts nc = analyze_nest(gemm, acc, m, p, opt);

  MappingEvaluation ev;
  ev.valid = nc.valid;
  ev.invalid_reason = nc.invalid_reason;
  ev.invalid_level = nc.invalid_level;
  LayerCounts& r = ev.counts;
  r.precision = p;
  r.macs = layer.macs();
  const std::int64_t ar = acc.array.rows;
  const std::int64_t ac = acc.array.cols;
  const double pes = static_cast<double>(ar * ac);
  std::int64_t t = 1;  // time steps per fold: the PE loops
  for (auto f : m.pe.factors) t *= f;
  const int k = r.macs_per_pe_cycle = macs_per_pe_cycle(acc.array.pe, p);
  const EdgeStrides strides = edge_strides(acc, p, k);
  const FoldProfile folds = fold_profile(gemm, m, ar, k, strides);
  r.folds = compat ? nc.compute_steps / t : folds.count;
  const double offered =
      compat ? static_cast<double>(r.folds) * static_cast<double>(t) * pes : folds.steps * pes;
  r.mapping_efficiency_pct = 100.0 * static_cast<double>(r.macs) / offered;
  // Fold timing: systolic_cycles.hpp.
  const bool os = systolic_axes(acc.dataflow).outputs_stay();
  if (compat) {
    const SerialFold fold = scalesim_fold(os, t, ar, ac);
    r.compute_cycles = scalesim_cycles(r.folds, fold);
    r.compute_util_pct =
        100.0 * static_cast<double>(r.macs) /
        (static_cast<double>(r.folds) * pes * static_cast<double>(fold.util_cycles));
  } else {
    // Narrow SRAM ports stretch steps, preloads and drains (sram_ports.hpp).
    // Without shadow registers, folds followed by a preload also wait for it.
    const SystolicAxes ax = systolic_axes(acc.dataflow);
    r.compute_cycles =
        pipelined_cycles(strides, folds.held_sum + stall_swap_sum(gemm, m, ax, ar, k, strides),
                         folds.last_steps, ar, ac, os);
    if (strides.throttled()) {
      EdgeStrides wide;
      wide.stall = strides.stall;
      const FoldProfile unthrottled = fold_profile(gemm, m, ar, k);
      r.port_stall_cycles =
          r.compute_cycles -
          pipelined_cycles(wide, unthrottled.held_sum + stall_swap_sum(gemm, m, ax, ar, k, wide),
                           unthrottled.last_steps, ar, ac, os);
    }
    r.compute_util_pct = 100.0 * pe_cycles_busy(r) / (static_cast<double>(r.compute_cycles) * pes);
  }

  const std::int64_t outputs = layer.shape.ofmap_elems();
  r.sram_ifmap_reads = nc.array_moves[0];
  r.sram_filter_reads = nc.array_moves[1];
  r.sram_ofmap_reads = nc.array_moves[2] - outputs;
  r.sram_ofmap_writes = nc.array_moves[2] + (compat && os ? r.folds * (ar + ac) : 0);
  r.access = nc.access;
  // A final evaluation books the DRAM transfers of the tiles the controller visits, exact at
  // the edges of over-covered dimensions where the nest analysis's closed form refetches tiles
  // that stay on chip (tile_plan.hpp). The search keeps the closed form.
  std::optional<std::vector<Fold>> fl;
  std::optional<TilePlan> plan;
  if (exact_ifmap && !compat && ev.valid && tile_buffers(acc)) {
    fl = layer_folds(layer, acc, m);
    plan = plan_tiles(layer, acc, m, *fl);
    r.access = systolic_access(
        acc, p, *plan, tile_transfers(layer, *plan),
        {r.sram_ifmap_reads, r.sram_filter_reads, r.sram_ofmap_writes, r.sram_ofmap_reads},
        outputs);
  }
  ExposedTransfers exposed;
  if (!compat) {
    const auto tiles = first_tiles(layer, acc, m);
    // The first ifmap tile's raw elements: exact in a final evaluation, else scaled im2col.
    const GemmBox& in = tiles[0];
    const double ifmap_tile =
        exact_ifmap ? static_cast<double>(raw_ifmap_elems(layer.shape, 0, in.px, 0, in.k))
                    : std::round(static_cast<double>(in.px * in.k) * opt.ifmap_storage_scale);
    exposed = exposed_transfers(layer, tiles, p, ifmap_tile);
    r.dram_bus_factor = dram_bus_factor(layer, acc, tiles, ifmap_tile, r.access, p);
  }
  r.exposed_input_bits = exposed.first_input_bits;
  r.exposed_output_bits = exposed.last_output_bits;
  finish_with_dram_stalls(r, acc, exposed);
  // A final evaluation schedules the tiles through the double-buffered controller instead of
  // assuming their transfers overlap perfectly (dataflow/systolic_pipeline.hpp). The schedule
  // knows dense tiles of one MAC per PE per cycle; a fused PE, zero-skipping or compressed
  // transfers keep the closed form, which they adjust (precision.hpp, sparsity.hpp).
  if (plan && k == 1 && !sparsity_retimes(layer, acc)) {
    const auto timing = systolic_pipeline(layer, acc, *fl, *plan, p);
    finish_with_total(r, acc, timing.total_cycles);
  }
  return ev;
}

}  // namespace loom::dataflow
