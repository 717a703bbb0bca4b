// SPDX-License-Identifier: Apache-2.0
#pragma once
// The spatial (row-stationary) array as a SystemC module: one thread runs the array
// (sim/spatial_array.hpp) and lets one clock period pass per cycle, plus the cycles the DRAM
// channel makes it wait (sim/spatial_timing.hpp), so SystemC time is the layer's run time and
// a VCD trace shows it. SpatialSimulation owns the clock and the module and runs layers as jobs
// in one elaboration (sc_pause after each); build one per process.
#include <systemc>

#include <exception>
#include <string>

#include "arch/accelerator.hpp"
#include "dataflow/mapping.hpp"
#include "sim/spatial_array.hpp"
#include "sim/spatial_timing.hpp"
#include "sim/tensor.hpp"
#include "workloads/layer.hpp"

namespace loom::sim {

struct SpatialRun {
  SpatialArrayResult array;        // data, MACs, accesses; array.cycles = compute cycles
  std::int64_t total_cycles = 0;   // with the DRAM waits and the last write-back
  std::int64_t stall_cycles = 0;   // cycles the array waited for DRAM
  std::int64_t dram_busy_cycles = 0;
};

class SpatialArrayModule : public sc_core::sc_module, public SpatialCycleObserver {
 public:
  sc_core::sc_signal<std::int64_t> cycle{"cycle"};            // compute cycles done
  sc_core::sc_signal<std::int64_t> active_pes{"active_pes"};  // MACs this cycle
  sc_core::sc_signal<bool> waiting{"waiting"};                // waiting for DRAM

  SpatialArrayModule(const sc_core::sc_module_name& name, double period_ns);
  // Runs one layer (call sc_start afterwards; the module pauses the kernel when done).
  void post(const workloads::Layer& layer, const arch::Accelerator& acc,
            const dataflow::Mapping& m, const LayerData& data);
  // The posted layer's result; rethrows what the run threw.
  SpatialRun take();

  void cycle_done(const SpatialCycle& c) override;

 private:
  void thread();
  struct Job {
    const workloads::Layer* layer = nullptr;
    const arch::Accelerator* acc = nullptr;
    const dataflow::Mapping* mapping = nullptr;
    const LayerData* data = nullptr;
  };
  Job job_;
  SpatialRun result_;
  std::exception_ptr error_;
  SpatialDramTiming* timing_ = nullptr;
  sc_core::sc_event posted_;
  sc_core::sc_time period_;
};

struct SpatialSimulationConfig {
  double clock_period_ns = 1.0;
  std::string vcd_path;  // empty: no trace
};

class SpatialSimulation {
 public:
  explicit SpatialSimulation(const SpatialSimulationConfig& config);
  ~SpatialSimulation();
  SpatialSimulation(const SpatialSimulation&) = delete;
  SpatialSimulation& operator=(const SpatialSimulation&) = delete;

  SpatialRun run(const workloads::Layer& layer, const arch::Accelerator& acc,
                 const dataflow::Mapping& m, const LayerData& data);

 private:
  SpatialArrayModule module_;
  sc_core::sc_trace_file* trace_ = nullptr;
};

}  // namespace loom::sim
