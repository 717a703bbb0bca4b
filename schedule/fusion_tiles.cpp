// SPDX-License-Identifier: Apache-2.0
#include "schedule/fusion_tiles.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "dataflow/dram_timing.hpp"
#include "dataflow/systolic.hpp"
#include "dataflow/systolic_folds.hpp"
#include "dataflow/systolic_mapspace.hpp"
#include "dataflow/systolic_pipeline.hpp"
#include "dataflow/tile_plan.hpp"

namespace loom::schedule {
namespace {

using workloads::OpKind;

void check_chain(const std::vector<workloads::Layer>& ls) {
  if (ls.size() < 2) throw Error(Diagnostic{"", "group", 0, "a fused group holds two layers"});
  for (std::size_t i = 0; i < ls.size(); ++i) {
    const auto& l = ls[i];
    if (l.op != OpKind::conv && l.op != OpKind::depthwise && l.op != OpKind::pointwise)
      throw Error(Diagnostic{"", "group", 0, l.name + ": only convolutions run fused here"});
    if (i == 0) continue;
    const auto& a = ls[i - 1].shape;
    const auto& b = l.shape;
    if (a.N != b.N || a.M != b.C || a.P != b.H || a.Q != b.W)
      throw Error(
          Diagnostic{"", "group", 0, l.name + ": does not read " + ls[i - 1].name + "'s output"});
  }
}

// The layer cut to output rows `out`.
FusedStep cut_layer(const workloads::Layer& l, std::size_t pos, Rows out,
                    const arch::Accelerator& acc, const TileMapping& mapping) {
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
  if (mapping) {
    st.mapping = mapping(st.layer);
  } else {
    const dataflow::SystolicMapSpace space(st.layer, acc);
    st.mapping = space.decode(space.scalesim_genes());
  }
  return st;
}

}  // namespace

FusedExecution fused_execution(const std::vector<workloads::Layer>& layers,
                               const arch::Accelerator& acc, std::int64_t tile_rows,
                               HaloPolicy halo, bool weights_resident, const TileMapping& mapping) {
  check_chain(layers);
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
      FusedStep st = cut_layer(layers[pos], pos, comp[pos], acc, mapping);
      st.on_chip = {true, weights_resident && weights_in[pos], pos + 1 < n};
      weights_in[pos] = true;
      done[pos] = std::max(done[pos], comp[pos].end);
      tile.steps.push_back(std::move(st));
    }
    e.tiles.push_back(std::move(tile));
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

FusedCost price_fused_execution(const FusedExecution& e, const arch::Accelerator& acc) {
  FusedCost c;
  for (const FusedTile& tile : e.tiles) {
    const RowLoad load = input_row_load(e.layers.front(), acc, tile.load);
    c.cycles += load.cycles;
    c.dram_bits += load.bits;
    for (const FusedStep& st : tile.steps) {
      const auto p = dataflow::resolve_precision(st.layer, acc);
      const auto folds = dataflow::layer_folds(st.layer, acc, st.mapping);
      dataflow::TilePlan plan = dataflow::plan_tiles(st.layer, acc, st.mapping, folds);
      plan.on_chip = st.on_chip;
      const auto timing = dataflow::systolic_pipeline(st.layer, acc, folds, plan, p);
      const auto t = dataflow::tile_transfers(st.layer, plan);
      c.dram_bits += (st.on_chip[0] ? 0 : t.ifmap_reads * p.activation_bits) +
                     (st.on_chip[1] ? 0 : t.filter_reads * p.weight_bits) +
                     (t.psum_reads + t.psum_writes) * p.psum_bits +
                     (st.on_chip[2] ? 0 : t.final_writes * p.output_bits);
      c.cycles += timing.total_cycles;
      c.step_cycles.push_back(timing.total_cycles);
      c.macs += st.layer.macs();
    }
  }
  return c;
}

}  // namespace loom::schedule
