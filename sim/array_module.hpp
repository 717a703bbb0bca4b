// SPDX-License-Identifier: Apache-2.0
#pragma once
// The systolic array in SystemC. The engine (SystolicArray) advances the whole array one clock
// at a time (PEs are plain objects inside it, not one sc_signal per wire), so simulation stays
// fast while every register moves on the clock. A host submits a job with run(): it spawns a
// thread process (sc_spawn) that steps the engine once per clock period and pauses the kernel
// after the job's last output has left the array, and runs sc_start until then.
// The kernel accepts spawned processes at any time, so one process may hold several
// ArraySimulations (and spatial ones, sim/spatial_module.hpp), built and run in any order. Signals
// and clocks exist only for a VCD trace, and SystemC creates them only before its first
// sc_start: build a traced simulation before any run.
#include <functional>
#include <memory>
#include <string>
#include <systemc>

#include "sim/systolic_array.hpp"

namespace loom::sim {

// Opens a VCD trace file at `path` (".vcd" appended by SystemC if missing), or throws
// loom::Error naming the path if it cannot be written: SystemC cannot recover from a trace file
// it fails to open.
sc_core::sc_trace_file* open_vcd_trace(const std::string& path);

// Runs `job` in a thread process spawned for it, calling sc_start until the job returns (it
// must wait on SystemC time, and is done when it returns). Rethrows what the job threw; throws
// loom::Error, naming `what`, if the kernel stops first.
void run_as_process(const std::function<void()>& job, const std::string& what);

struct ArraySimulationConfig {
  std::int64_t rows = 8, cols = 8;
  arch::Dataflow dataflow = arch::Dataflow::os;
  int accumulator_bits = 32;
  double clock_period_ns = 1.0;
  std::string vcd_path;  // empty: no trace
};

class ArraySimulation final : public ArrayRunner {
 public:
  // Throws loom::Error if vcd_path is set and SystemC has already started, or the trace file
  // cannot be written.
  ArraySimulation(const ArraySimulationConfig& config, PeModel& pe);
  ~ArraySimulation();
  ArraySimulation(const ArraySimulation&) = delete;
  ArraySimulation& operator=(const ArraySimulation&) = delete;

  // Runs `folds` of `g` through the SystemC model; returns what the array did.
  ArrayStats run(const GemmOperands& g, std::span<const Fold> folds,
                 ArrayMemory* memory = nullptr) override;
  void set_strides(const dataflow::EdgeStrides& strides) override { array_.set_strides(strides); }
  [[nodiscard]] SystolicArray& array() { return array_; }

 private:
  struct Trace;
  SystolicArray array_;
  sc_core::sc_time period_;
  std::unique_ptr<Trace> trace_;
};

}  // namespace loom::sim
