// SPDX-License-Identifier: Apache-2.0
#pragma once
// The systolic array as a SystemC module: one clocked process advances the whole array (PEs
// are plain objects inside SystolicArray, not one sc_signal per wire), so simulation stays fast
// while every register moves on the clock edge. A host submits a job and calls
// run_to_completion(), which runs the SystemC scheduler until the job's last output has left
// the array (sc_pause), so several jobs can run in one elaboration.
// SystemC allows one elaboration per process: build one ArraySimulation per process.
#include <systemc>

#include <memory>
#include <string>
#include <vector>

#include "sim/systolic_array.hpp"

namespace loom::sim {

// Opens a VCD trace file at `path` (".vcd" appended by SystemC if missing), or throws
// loom::Error naming the path if it cannot be written: SystemC cannot recover from a trace file
// it fails to open.
sc_core::sc_trace_file* open_vcd_trace(const std::string& path);

class ArrayModule : public sc_core::sc_module {
 public:
  sc_core::sc_in<bool> clk;
  sc_core::sc_signal<std::int64_t> cycle{"cycle"};  // traceable progress
  sc_core::sc_signal<bool> busy{"busy"};
  sc_core::sc_signal<std::int64_t> active_pes{"active_pes"};  // MACs this cycle
  std::vector<std::unique_ptr<sc_core::sc_signal<std::int64_t>>> column_out;  // per column

  ArrayModule(const sc_core::sc_module_name& name, SystolicArray& array, std::int64_t cols);
  void start() { running_ = true; }

 private:
  void on_clock();
  SystolicArray& array_;
  bool running_ = false;
};

struct ArraySimulationConfig {
  std::int64_t rows = 8, cols = 8;
  arch::Dataflow dataflow = arch::Dataflow::os;
  int accumulator_bits = 32;
  double clock_period_ns = 1.0;
  std::string vcd_path;  // empty: no trace
};

class ArraySimulation final : public ArrayRunner {
 public:
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
  SystolicArray array_;
  sc_core::sc_clock clock_;
  ArrayModule module_;
  sc_core::sc_trace_file* trace_ = nullptr;
};

}  // namespace loom::sim
