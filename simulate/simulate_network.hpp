// SPDX-License-Identifier: Apache-2.0
#pragma once
// `loom sim`: every MAC layer of a network (or one) through the cycle-level systolic array with
// real integer tensors, under the mapping `loom run` chooses with the same options, each output
// checked against the golden convolution and the simulated figures set beside the analytical
// model's for the same mapping. Under the graph schedule (the accelerator's default, as for
// `loom run`) the layers run under the schedule `loom run` plans for those mappings: a resident
// tensor is neither written to nor read from DRAM, and a fused group runs tile by tile
// (sim/fused_group.hpp); the analytical figures are then `loom run`'s under that schedule.
// Simulated here: the PE array, the buffers around it, the DRAM channel and the controller moving
// tiles between them (sim/memory_system.hpp); for spatial arrays the PE array with its scratchpads,
// global buffer and DRAM channel (sim/spatial_module.hpp). With a VCD trace, call it before
// anything else in the process runs SystemC (traced signals exist only before SystemC first runs).
// A library of its own so that only programs that simulate link SystemC (whose shared library
// expects them to define sc_main).
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "arch/accelerator.hpp"
#include "arch/access_counts.hpp"
#include "dataflow/layer_counts.hpp"
#include "dataflow/mapping.hpp"
#include "explore/evaluate.hpp"
#include "mapper/mapper.hpp"
#include "schedule/fusion_tiles.hpp"
#include "schedule/graph_schedule.hpp"
#include "sim/pe_model.hpp"
#include "workloads/network.hpp"

namespace loom::simulate {

// The most PE-cycles (PEs x clock cycles) one layer may take before simulate_network refuses
// it: the engine runs 12-148 million PE-cycles per second (docs/sim.md: spatial arrays at the low
// end, systolic ones at the high end), so 1e10 is about 1-14 minutes of one core per layer.
inline constexpr std::int64_t kDefaultMaxPeCycles = 10'000'000'000;
// With the Verilated PE (`loom sim --pe rtl`), about 1.3 million a second (docs/rtl.md): 5e8 is
// about 6 minutes.
inline constexpr std::int64_t kDefaultMaxRtlPeCycles = 500'000'000;

struct SimulateOptions {
  mapper::MapperOptions mapper;  // finds each layer's mapping, as `loom run` does
  std::string only_layer;        // empty: every MAC layer
  std::uint64_t seed = 1;        // random tensors: layer i uses seed + i
  std::filesystem::path data;    // HDF5 /<layer>/ifmap and /weights instead (sim/layer_data_h5)
  std::string vcd;               // VCD trace of the array's clock and progress; empty: none
  // The PEs a systolic array clocks; empty: sim::CppPe. Spatial arrays run sim::CppPe in
  // direct mode, and refuse an injected PE.
  // `loom sim --pe rtl` injects the Verilated PE here (rtl::make_verilated_pe), so this library
  // never links the RTL.
  std::function<std::unique_ptr<sim::PeModel>()> make_pe;
  std::function<void(const struct SimulatedLayer&)> on_layer;
  // A layer whose simulation would clock more PE-cycles is refused before any layer runs
  // (`loom sim --max-pe-cycles`).
  std::int64_t max_pe_cycles = kDefaultMaxPeCycles;
  // layerwise: every layer reads its input from DRAM and writes its output back; graph: the
  // run's schedule (docs/sim.md). None: the accelerator's default, as `loom run --schedule`.
  std::optional<schedule::ScheduleKind> schedule;
  // Under the graph schedule, called once before any layer runs with `loom run`'s evaluation of
  // the simulated mappings under it (its `schedule` set): what the simulation is compared with.
  std::function<void(const explore::RunResult&)> on_schedule;
};

// What simulating one layer gave, on either kind of array.
struct LayerRun {
  std::int64_t compute_cycles = 0;     // the array's own schedule, never waiting for data
  std::int64_t total_cycles = 0;       // with the waits for DRAM and the last write-back
  std::int64_t port_stall_cycles = 0;  // of compute_cycles, bubbles from narrow SRAM ports
  std::optional<std::int64_t> folds;   // folds the array issued; none: the mapping's count
  std::int64_t macs = 0;
  std::int64_t pe_cycles = 0;  // PEs x cycles clocked
  // Cycles folds waited for each operand (systolic), or for DRAM at all (spatial: [0]).
  std::array<std::int64_t, arch::kOperands> wait_cycles{};
  std::int64_t dram_busy_cycles = 0;
  // Array-side traffic at the innermost shared buffer of each operand, as LayerCounts names it.
  std::int64_t sram_ifmap_reads = 0, sram_filter_reads = 0;
  std::int64_t sram_ofmap_writes = 0, sram_ofmap_reads = 0;
  std::int64_t pes_used = 0;  // spatial arrays: PEs the spatial loops occupy
  arch::AccessCounts access;  // every level and operand
  // MACs whose ifmap operand is a zero value of the simulated data (sim::zero_ifmap_macs): what
  // a zero-gating PE gates, and the density the sparsity model prices the run at.
  std::int64_t zero_ifmap_macs = 0;
  std::int64_t elements_checked = 0;
  std::int64_t mismatches = 0;
};

struct SimulatedLayer {
  workloads::Layer layer;
  // The analytical model on the same mapping; under the graph schedule, `loom run`'s counts of
  // the layer under that schedule (its residency cut, or its fused group's share).
  dataflow::LayerCounts analytical;
  dataflow::Mapping mapping;  // the layer's (empty for a fused layer: each tile shape has one)
  schedule::DramCut cut;      // graph schedule: the layer's input read / output left on chip
  int group = 0;              // 1-based fused group (summary.json's schedule.groups); 0: run whole
  // A fused group's last layer: the analytical tile-by-tile price of the execution simulated
  // (schedule::price_fused_execution), which the group's simulated totals equal.
  std::optional<schedule::FusedCost> group_price;
  LayerRun sim;
  double seconds = 0;  // wall-clock time of the simulation, golden check included
};

// Throws loom::Error naming the key when `acc` (or an injected PE) asks for hardware the
// cycle-level simulator does not model; simulate_network checks this first.
void check_simulable(const arch::Accelerator& acc, const SimulateOptions& options);

// Systolic arrays run through sim/systolic_layer.hpp (the array, its buffers, DRAM channel and
// controller); spatial-family arrays (rs, spatial_ws, spatial_os, nlr, spatial) through
// sim/spatial_module.hpp. Throws loom::Error for compat: scalesim, whose serialized folds are
// bookkeeping rather than hardware. Throws loom::Error naming the layer, the estimate, the limit
// and --max-pe-cycles, before any layer runs, when a layer would clock more than
// options.max_pe_cycles PE-cycles. Under the graph schedule every MAC layer is mapped (the
// schedule is the whole network's); with `only_layer` in a fused group, the group runs. Throws
// loom::Error, before any layer runs, if the schedule fuses layers on a spatial array (its
// simulator runs resident tensors but no fused groups: use --schedule layerwise).
std::vector<SimulatedLayer> simulate_network(const workloads::Network& net,
                                             const arch::Accelerator& acc,
                                             const SimulateOptions& options);

// DIR/layers.csv: `loom run`'s columns with the simulated values (cycles with DRAM stalls,
// accesses per level priced by the same energy tables), then the analytical model's cycles and
// DRAM traffic for the same mapping, the cycles folds waited per operand, elements checked and
// mismatches. Also DIR/summary.json, `loom run`'s totals for the simulated layers, with the
// schedule block of `schedule` (the run's, given to on_schedule; nullptr: layerwise) whose
// per-tensor records are the analytical model's.
void write_sim_outputs(const std::vector<SimulatedLayer>& layers, const workloads::Network& net,
                       const arch::Accelerator& acc, const std::filesystem::path& dir,
                       const explore::RunResult* schedule = nullptr);

// The simulated layer as `loom run` reports a layer (its LayerCounts).
dataflow::LayerCounts simulated_counts(const SimulatedLayer& l, const arch::Accelerator& acc);

}  // namespace loom::simulate
