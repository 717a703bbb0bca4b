// SPDX-License-Identifier: Apache-2.0
#pragma once
// A fused group as the tile-by-tile execution the fusion model (fusion.hpp) stands for, and its
// analytical price — the one the graph schedule gives a fused group (fusion_price.hpp); the
// SystemC simulator runs the same execution of a chain of convolutions on a systolic array with
// real data (sim/fused_group.hpp) and must reproduce the price exactly.
//  - Tiles: `tile_rows` output rows of the last layer (full width, whole batch). Per tile, rows
//    are propagated backwards (input_rows): `recompute` computes every row each tile needs,
//    `cache` only the rows no earlier tile computed (the halo rows come from the line buffer).
//  - Steps: per tile, each layer in order runs on its tile's shape — the rows it computes, from
//    the input rows its window reads (top padding only where the tile starts above row 0) — with
//    the mapping the caller chooses for the tile shape (default: SCALE-Sim's), as one layer through
//    the double-buffered tile pipeline (dataflow/systolic_pipeline.hpp; other families: the
//    layer's own DRAM stall model, dataflow/layer_timing.hpp, with the on-chip operands' DRAM
//    transfers cut as dram_cut.hpp cuts them). Steps run one after another: a step starts when
//    the previous one's last write has completed. A pooling, activation or batch norm between
//    two MAC layers (fused_steps only) is a step that costs nothing: it works on the tile in place.
//  - On chip: every step reads its ifmap from chip (the group input's rows are loaded into the
//    line buffer at the start of each tile; intermediate tiles stay where their producer left
//    them); every layer but the last leaves its final outputs on chip; weights kept resident
//    come from DRAM in a layer's first step only, refetched ones in every step. Partial sums a
//    step spills still go through DRAM.
//  - Group input: per tile, the rows its first layer's window reads are loaded from DRAM
//    (`recompute`: all of them, re-reading the overlap; `cache`: the ones not loaded before),
//    one transfer of the rows of every channel and image, before the tile's first step.
// fused_execution: only chains of MAC layers (conv, depthwise, pointwise), each reading the
// previous one's output; throws loom::Error otherwise.
#include <array>
#include <cstdint>
#include <functional>
#include <vector>

#include "arch/accelerator.hpp"
#include "dataflow/layer_counts.hpp"
#include "dataflow/mapping.hpp"
#include "schedule/fusion.hpp"
#include "workloads/layer.hpp"

namespace loom::schedule {

struct FusedStep {
  std::size_t pos = 0;     // the layer's position in the group
  workloads::Layer layer;  // cut to the tile: output rows [out_row0, out_row0 + P) of the
                           // whole layer, from its input rows [in_row0, in_row0 + H)
  std::int64_t out_row0 = 0, in_row0 = 0;
  dataflow::Mapping mapping;                    // empty for a layer without MACs
  std::array<bool, arch::kOperands> on_chip{};  // TilePlan::on_chip
};

struct FusedTile {
  Rows load;  // group input rows loaded from DRAM before the tile's first step
  std::vector<FusedStep> steps;
};

struct FusedExecution {
  std::vector<workloads::Layer> layers;  // the whole layers, in order
  std::int64_t tile_rows = 0;
  HaloPolicy halo = HaloPolicy::recompute;
  bool weights_resident = true;
  std::vector<FusedTile> tiles;
};

// The mapping of a layer cut to a tile (in the systolic family's view).
using TileMapping = std::function<dataflow::Mapping(const workloads::Layer&)>;

// The execution's tiles and steps without mappings: `layers` a chain in which every layer reads
// the previous one's rows (the batch and rows match); layers without MACs run as free steps.
// Throws loom::Error for fewer than two layers or tile_rows <= 0.
[[nodiscard]] FusedExecution fused_steps(const std::vector<workloads::Layer>& layers,
                                         std::int64_t tile_rows, HaloPolicy halo,
                                         bool weights_resident);

// `mapping` empty: the tile shape's default mapping (its map space's SCALE-Sim genes).
[[nodiscard]] FusedExecution fused_execution(const std::vector<workloads::Layer>& layers,
                                             const arch::Accelerator& acc, std::int64_t tile_rows,
                                             HaloPolicy halo, bool weights_resident,
                                             const TileMapping& mapping = {});

// Bits and cycles of loading rows `r` of the first layer's input from DRAM (until usable).
struct RowLoad {
  std::int64_t bits = 0, cycles = 0;
};
[[nodiscard]] RowLoad input_row_load(const workloads::Layer& first, const arch::Accelerator& acc,
                                     Rows r);

struct FusedCost {
  std::int64_t cycles = 0;     // the tiles' loads and steps back to back
  std::int64_t dram_bits = 0;  // input loads, weights, spilled partial sums, final outputs
  std::int64_t macs = 0;       // recomputed ones included
  std::vector<std::int64_t> step_cycles;  // tile by tile, step by step
};

// One step's counts: `e` (the tile layer's counts with every operand through DRAM, and its
// mapping) with the DRAM transfers of the operands `on_chip` cut (dram_cut.hpp; weights too) and
// re-timed — by the double-buffered tile pipeline with those operands on chip where the
// systolic final evaluation times the layer with it (a mapping is given), else by the stall
// model's difference (apply_cut).
[[nodiscard]] dataflow::LayerCounts step_counts(const workloads::Layer& tile, const TileEval& e,
                                                const std::array<bool, arch::kOperands>& on_chip,
                                                const arch::Accelerator& acc);

// The analytical price of the execution on `acc` (its systolic array and buffers): each step's
// mapping evaluated at final fidelity, then step_counts.
[[nodiscard]] FusedCost price_fused_execution(const FusedExecution& e,
                                              const arch::Accelerator& acc);

}  // namespace loom::schedule
