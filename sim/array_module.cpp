// SPDX-License-Identifier: Apache-2.0
#include "sim/array_module.hpp"

namespace loom::sim {

ArrayModule::ArrayModule(const sc_core::sc_module_name& name, SystolicArray& array)
    : sc_core::sc_module(name), array_(array) {
  SC_HAS_PROCESS(ArrayModule);
  SC_METHOD(on_clock);
  sensitive << clk.pos();
  dont_initialize();
}

void ArrayModule::on_clock() {
  if (!running_) return;
  busy.write(true);
  const bool more = array_.step();
  cycle.write(array_.stats().cycles);
  if (!more) {
    running_ = false;
    busy.write(false);
    sc_core::sc_pause();  // hand control back to the host; the next job resumes the kernel
  }
}

ArraySimulation::ArraySimulation(const ArraySimulationConfig& config, PeModel& pe)
    : array_(config.rows, config.cols, config.dataflow, config.accumulator_bits, pe),
      clock_("clock", config.clock_period_ns, sc_core::SC_NS),
      module_("array", array_) {
  module_.clk(clock_);
  if (!config.vcd_path.empty()) {
    trace_ = sc_core::sc_create_vcd_trace_file(config.vcd_path.c_str());
    sc_core::sc_trace(trace_, clock_, "clock");
    sc_core::sc_trace(trace_, module_.cycle, "cycle");
    sc_core::sc_trace(trace_, module_.busy, "busy");
  }
}

ArraySimulation::~ArraySimulation() {
  if (trace_) sc_core::sc_close_vcd_trace_file(trace_);
}

ArrayStats ArraySimulation::run(const GemmOperands& g, std::span<const Fold> folds) {
  array_.begin(g, folds);
  if (array_.schedule_cycles(folds) == 0) return array_.stats();
  module_.start();
  sc_core::sc_start();
  return array_.stats();
}

}  // namespace loom::sim
