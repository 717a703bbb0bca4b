// SPDX-License-Identifier: Apache-2.0
#include "schedule/fusion_tiles.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "dataflow/dram_timing.hpp"
#include "dataflow/family.hpp"
#include "dataflow/sparsity.hpp"
#include "dataflow/systolic.hpp"
#include "dataflow/systolic_dram.hpp"
#include "dataflow/systolic_folds.hpp"
#include "dataflow/systolic_mapspace.hpp"
#include "dataflow/systolic_pipeline.hpp"
#include "dataflow/tile_plan.hpp"
#include "schedule/dram_cut.hpp"

namespace loom::schedule {
namespace {

using workloads::OpKind;

void check_convs(const std::vector<workloads::Layer>& ls) {
  for (std::size_t i = 0; i < ls.size(); ++i) {
    const auto& l = ls[i];
    if (l.op != OpKind::conv && l.op != OpKind::depthwise && l.op != OpKind::pointwise)
      throw Error(Diagnostic{"", "group", 0, l.name + ": only convolutions run fused here"});
    if (i == 0) continue;
    const auto& a = ls[i - 1].shape;
    const auto& b = l.shape;
    if (a.M != b.C || a.Q != b.W)
      throw Error(
          Diagnostic{"", "group", 0, l.name + ": does not read " + ls[i - 1].name + "'s output"});
  }
}

// The layer cut to output rows `out`.
FusedStep cut_layer(const workloads::Layer& l, std::size_t pos, Rows out) {
  FusedStep st;
  st.pos = pos;
  st.layer = l;
  const Rows in = input_rows(l.shape, out);
  auto& s = st.layer.shape;
  s.H = in.size();
  s.P = out.size();
  s.pad_h = in.begin - (out.begin * l.shape.stride_h - l.shape.pad_h);  // top padding only
  st.out_row0 = out.begin;
  st.in_row0 = in.begin;
  return st;
}

// Whether the family times a step with the double-buffered tile pipeline (as its final
// evaluation of the whole layer does: dataflow/systolic_timing.cpp).
bool pipeline_timed(const workloads::Layer& tile, const TileEval& e, const arch::Accelerator& acc) {
  return e.mapping && &dataflow::family_of(acc) == &dataflow::systolic_family() &&
         acc.compat == arch::Compat::none && dataflow::tile_buffers(acc) &&
         e.counts.macs_per_pe_cycle == 1 && !dataflow::sparsity_retimes(tile, acc);
}

}  // namespace

FusedExecution fused_steps(const std::vector<workloads::Layer>& layers, std::int64_t tile_rows,
                           HaloPolicy halo, bool weights_resident) {
  if (layers.size() < 2) throw Error(Diagnostic{"", "group", 0, "a fused group holds two layers"});
  for (std::size_t i = 1; i < layers.size(); ++i) {
    const auto& a = layers[i - 1].shape;
    const auto& b = layers[i].shape;
    if (a.N != b.N || a.P != b.H)
      throw Error(Diagnostic{"", "group", 0,
                             layers[i].name + ": does not read " + layers[i - 1].name + "'s rows"});
  }
  if (tile_rows <= 0) throw Error(Diagnostic{"", "tile_rows", 0, "expected rows > 0"});
  FusedExecution e{
      .layers = layers, .tile_rows = tile_rows, .halo = halo, .weights_resident = weights_resident};
  const std::size_t n = layers.size();
  const std::int64_t rows = layers.back().shape.P;
  std::vector<std::int64_t> done(n, 0);  // rows of each layer computed so far
  std::vector<bool> weights_in(n, false);
  std::int64_t loaded = 0;
  for (std::int64_t t = 0; t * tile_rows < rows; ++t) {
    std::vector<Rows> comp(n);
    Rows r{t * tile_rows, std::min(rows, (t + 1) * tile_rows)};
    for (std::size_t pos = n; pos-- > 0;) {
      if (halo == HaloPolicy::cache) r.begin = std::max(r.begin, done[pos]);
      comp[pos] = r;
      r = input_rows(layers[pos].shape, r);
    }
    FusedTile tile;
    tile.load = halo == HaloPolicy::cache ? Rows{std::max(r.begin, loaded), r.end} : r;
    loaded = std::max(loaded, r.end);
    for (std::size_t pos = 0; pos < n; ++pos) {
      if (comp[pos].size() == 0) continue;
      FusedStep st = cut_layer(layers[pos], pos, comp[pos]);
      st.on_chip = {true, weights_resident && weights_in[pos], pos + 1 < n};
      weights_in[pos] = true;
      done[pos] = std::max(done[pos], comp[pos].end);
      tile.steps.push_back(std::move(st));
    }
    e.tiles.push_back(std::move(tile));
  }
  return e;
}

FusedExecution fused_execution(const std::vector<workloads::Layer>& layers,
                               const arch::Accelerator& acc, std::int64_t tile_rows,
                               HaloPolicy halo, bool weights_resident, const TileMapping& mapping) {
  check_convs(layers);
  FusedExecution e = fused_steps(layers, tile_rows, halo, weights_resident);
  for (auto& tile : e.tiles)
    for (auto& st : tile.steps) {
      if (mapping) {
        st.mapping = mapping(st.layer);
      } else {
        const dataflow::SystolicMapSpace space(st.layer, acc);
        st.mapping = space.decode(space.scalesim_genes());
      }
    }
  return e;
}

RowLoad input_row_load(const workloads::Layer& first, const arch::Accelerator& acc, Rows r) {
  if (r.size() == 0) return {};
  const auto& s = first.shape;
  const int bits = dataflow::resolve_precision(first, acc).activation_bits;
  const auto& dram = acc.levels[static_cast<std::size_t>(acc.dram_level())];
  // Layout N, C, H, W (dram_timing.hpp): the rows of one channel are one run.
  const std::int64_t row_bytes = (s.W * bits + 7) / 8;
  const dataflow::DramRuns runs{.len = r.size() * row_bytes,
                                .inner = s.C,
                                .inner_stride = s.H * row_bytes,
                                .outer = s.N,
                                .outer_stride = s.C * s.H * row_bytes};
  RowLoad out;
  out.bits = s.N * s.C * r.size() * s.W * bits;
  out.cycles = dataflow::transfer_cycles(dram, out.bits, runs) + dram.latency_cycles;
  return out;
}

dataflow::LayerCounts step_counts(const workloads::Layer& tile, const TileEval& e,
                                  const std::array<bool, arch::kOperands>& on_chip,
                                  const arch::Accelerator& acc) {
  dataflow::LayerCounts c = e.counts;
  apply_cut(c, DramCut{on_chip[0], on_chip[2], on_chip[1]}, acc);
  if (pipeline_timed(tile, e, acc)) {
    const auto folds = dataflow::layer_folds(tile, acc, *e.mapping);
    dataflow::TilePlan plan = dataflow::plan_tiles(tile, acc, *e.mapping, folds);
    plan.on_chip = on_chip;
    const auto timing = dataflow::systolic_pipeline(tile, acc, folds, plan, c.precision);
    dataflow::finish_with_total(c, acc, timing.total_cycles);
  }
  return c;
}

FusedCost price_fused_execution(const FusedExecution& e, const arch::Accelerator& acc) {
  FusedCost c;
  const int d = acc.dram_level();
  const auto& family = dataflow::family_of(acc);
  for (const FusedTile& tile : e.tiles) {
    const RowLoad load = input_row_load(e.layers.front(), acc, tile.load);
    c.cycles += load.cycles;
    c.dram_bits += load.bits;
    for (const FusedStep& st : tile.steps) {
      if (!workloads::does_macs(st.layer.op)) continue;
      const auto p = dataflow::resolve_precision(st.layer, acc);
      const TileEval ev{
          st.mapping,
          family.evaluate(st.layer, acc, st.mapping, p, dataflow::Fidelity::final).counts};
      const auto sc = step_counts(st.layer, ev, st.on_chip, acc);
      for (const auto& cell : sc.access.cells[static_cast<std::size_t>(d)])
        c.dram_bits += cell.read_bits + cell.write_bits;
      c.cycles += sc.total_cycles;
      c.step_cycles.push_back(sc.total_cycles);
      c.macs += sc.macs;
    }
  }
  return c;
}

}  // namespace loom::schedule
