// SPDX-License-Identifier: Apache-2.0
#pragma once
// The evaluation pipeline of `loom run`: every MAC layer of a network through the analytical
// model on one accelerator, priced for energy, then reduced to network totals. Layers execute
// one after another (no inter-layer pipelining), each starting with cold buffers, as SCALE-Sim
// and the Eyeriss measurements assume. Non-MAC layers are listed but cost nothing here. With
// the graph schedule (schedule/graph_schedule.hpp) tensors that fit stay on chip between layers,
// and the layers' DRAM transfers, energy and cycles are adjusted accordingly.
#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "arch/accelerator.hpp"
#include "dataflow/layer_counts.hpp"
#include "dataflow/mapping.hpp"
#include "energy/area_table.hpp"
#include "energy/price.hpp"
#include "explore/layer_mapper.hpp"
#include "mapper/cache.hpp"
#include "mapper/mapper.hpp"
#include "schedule/graph_schedule.hpp"
#include "workloads/network.hpp"

namespace loom::explore {

struct LayerResult {
  workloads::Layer layer;
  dataflow::LayerCounts counts;
  energy::EnergyBreakdown energy;
  // From an exact search (MappedLayer): how far its mapping can be from the optimum, in percent
  // (0: proven optimal). Empty for other strategies and fixed mappings.
  std::optional<double> optimality_gap_pct;
};

struct RunTotals {
  std::int64_t macs = 0;
  std::int64_t effective_macs = 0;  // after zero-gating and zero-skipping
  std::int64_t cycles = 0;
  double latency_s = 0;
  double inferences_per_s = 0;
  double effective_tops = 0;  // 2 ops per MAC
  double energy_pj = 0;
  double pj_per_mac = 0;
  double power_w = 0;
  double area_mm2 = 0;
  double edp_js = 0;
  double utilization_pct = 0;
  double active_pes_avg = 0;  // weighted by each layer's cycles
  // Leakage and clock energy over `cycles` (energy/static_power.hpp); energy_pj is dynamic only.
  double static_energy_pj = 0;
  double total_energy_pj = 0;  // energy_pj + static_energy_pj
  double total_power_w = 0;    // total_energy_pj over latency_s
};

// The settings a run was evaluated with (summary.json's `settings`): with the accelerator and
// workload, what `loom run` needs to repeat it.
struct RunSettings {
  bool search = true;           // false: --no-search (the closed form where the family has one)
  bool given_mappings = false;  // some layers took a mapping file's mapping (--mapping)
  std::uint64_t budget = 0;
  std::uint64_t seed = 0;
  std::string objective;  // mapper::Objective::describe()
  std::string strategy;   // mapper::kStrategies name
  std::string schedule;   // schedule::kScheduleKinds name
};

struct RunResult {
  arch::Accelerator accelerator;
  workloads::Network network;
  std::int64_t batch = 1;
  std::vector<LayerResult> layers;    // MAC layers, in network order
  std::vector<std::string> unmapped;  // non-MAC layers, recorded only
  energy::AreaBreakdown area;
  energy::EnergyBreakdown energy;  // sums over layers
  std::array<double, arch::kMaxLevels> level_bytes{};
  RunTotals totals;
  std::optional<schedule::GraphSchedule> schedule;  // set under ScheduleKind::graph
  RunSettings settings;  // set by evaluate_network; default for assemble_run
};

// Mappings chosen elsewhere (`loom map` output), by layer name, each in its family's view.
using MappingSet = std::map<std::string, dataflow::Mapping>;

// Mapped layers shared across evaluate_network calls (a sweep's design points), keyed by the
// caller's scope (everything the accelerator and mapper options make different) and the layer.
using LayerCache = mapper::ResultCache<std::string, MappedLayer>;

struct RunOptions {
  const MappingSet* mappings = nullptr;  // layers named here use these mappings
  // Outside compat mode, search each layer's mapping with the mapper (each repeated shape once);
  // false uses the closed-form model's own fold-order and time-chunk choice (no search).
  bool search = true;
  mapper::MapperOptions mapper;
  // When set, searched layers are looked up in / added to `cache` under `cache_scope`, which
  // must name the accelerator and the mapper options completely (the cache cannot check).
  LayerCache* cache = nullptr;
  std::string cache_scope;
  // layerwise: every layer starts with cold buffers (the default); graph: tensors stay on chip
  // where they fit (docs/schedule.md).
  // None: the accelerator's (graph, unless its YAML says `schedule: layerwise`).
  std::optional<schedule::ScheduleKind> schedule;
  // Under the graph schedule, also run chains of layers fused where that scores better
  // (schedule/fusion_search.hpp); false: residency only.
  bool fusion = true;
  // Called before each MAC layer is evaluated (`index` of `count` MAC layers), for progress.
  std::function<void(const workloads::Layer& layer, std::size_t index, std::size_t count)> on_layer;
};

// A layer evaluate_network would map by search, under the key it uses in RunOptions::cache
// (cache_scope, then the layer's shape, precision and densities).
struct SearchTask {
  std::string key;
  const workloads::Layer* layer;  // in the network passed to search_tasks
};
// The searched layers of `network` under `options`, one per key, in network order (empty when
// the accelerator's mapping is fixed or options.search is false). Mapping a task with
// map_layer(*layer, acc, energy::make_energy_table(acc), options.mapper) gives what
// evaluate_network would cache under its key.
std::vector<SearchTask> search_tasks(const workloads::Network& network,
                                     const arch::Accelerator& acc, const RunOptions& options);

// `network` must already carry the batch in its layers' N. Throws loom::Error (naming the layer)
// for a layer the accelerator cannot run. A layer is evaluated with its given mapping if any;
// else, in compat: scalesim, with SCALE-Sim's fixed mapping (the closed form); else with the
// mapping the mapper finds (options.search) or the closed form's schedule.
RunResult evaluate_network(const workloads::Network& network, const arch::Accelerator& acc,
                           const RunOptions& options = {});

// A RunResult from MAC layers evaluated elsewhere (the cycle-level simulator): sums energy and
// bytes, computes the totals. Throws loom::Error if `layers` is empty.
RunResult assemble_run(const workloads::Network& network, const arch::Accelerator& acc,
                       std::vector<LayerResult> layers, std::vector<std::string> unmapped = {});

// The graph schedule of `layers` (the MAC layers of `network`, in order, with their layerwise
// counts), its residency (and, with `fusion`, its fused groups) chosen under `objective`:
// applies its DRAM cuts and groups to them, re-prices the layers it changes and returns it.
// `eval_tile` maps and counts the layers of a fused group cut to tiles (tile_mapper.hpp with
// mapping search; empty: schedule::default_tile_eval).
schedule::GraphSchedule schedule_graph(const workloads::Network& network,
                                       const arch::Accelerator& acc,
                                       std::vector<LayerResult>& layers,
                                       const energy::EnergyTable& table,
                                       const mapper::Objective& objective, bool fusion = true,
                                       const schedule::EvalTile& eval_tile = {});

}  // namespace loom::explore
