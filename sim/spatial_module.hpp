// SPDX-License-Identifier: Apache-2.0
#pragma once
// The spatial (row-stationary) array in SystemC, driven like the systolic one
// (sim/array_module.hpp): the engine (SpatialArray, sim/spatial_array.hpp) never waits; a
// thread process runs it, letting one clock period pass per compute cycle plus the cycles the
// DRAM channel makes it wait (sim/spatial_timing.hpp), and pauses the kernel when the layer is
// done; run() calls sc_start until then. SystemC time advances by the layer's run time, and a
// VCD trace shows it.
// Each run spawns its own thread (sc_spawn), and the kernel accepts spawned processes at any
// time, so one process may hold any number of SpatialSimulations, run one after another, beside
// an ArraySimulation built before the first run. Signals exist only for a VCD trace, and SystemC
// creates signals only before its first sc_start: build a traced simulation before any run.
#include <memory>
#include <string>
#include <systemc>

#include "arch/accelerator.hpp"
#include "dataflow/mapping.hpp"
#include "sim/spatial_array.hpp"
#include "sim/tensor.hpp"
#include "workloads/layer.hpp"

namespace loom::sim {

class SpatialDramTiming;

struct SpatialRun {
  SpatialArrayResult array;       // data, MACs, accesses; array.cycles = compute cycles
  std::int64_t total_cycles = 0;  // with the DRAM waits and the last write-back
  std::int64_t stall_cycles = 0;  // cycles the array waited for DRAM
  std::int64_t dram_busy_cycles = 0;
};

struct SpatialSimulationConfig {
  double clock_period_ns = 1.0;
  std::string vcd_path;  // empty: no trace
};

class SpatialSimulation {
 public:
  // Throws loom::Error if vcd_path is set and SystemC has already started, or the trace file
  // cannot be written.
  explicit SpatialSimulation(const SpatialSimulationConfig& config);
  ~SpatialSimulation();
  SpatialSimulation(const SpatialSimulation&) = delete;
  SpatialSimulation& operator=(const SpatialSimulation&) = delete;

  // Runs one layer (SpatialArray's contract and errors); SystemC time advances by
  // total_cycles clock periods. An operand `on_chip` moves nothing over the DRAM channel: its
  // tiles are there the cycle they are due, and finished outputs leave nothing to write back.
  SpatialRun run(const workloads::Layer& layer, const arch::Accelerator& acc,
                 const dataflow::Mapping& m, const LayerData& data, const OnChip& on_chip = {});

 private:
  struct Trace;
  void pace(SpatialArray& array, SpatialDramTiming& timing, SpatialRun& result,
            const arch::Accelerator& acc, const dataflow::ArrayEvents& shape) const;
  sc_core::sc_time period_;
  std::unique_ptr<Trace> trace_;
};

}  // namespace loom::sim
