// SPDX-License-Identifier: Apache-2.0
#include "sim/array_module.hpp"

#include <fstream>

#include "core/error.hpp"

namespace loom::sim {

ArrayModule::ArrayModule(const sc_core::sc_module_name& name, SystolicArray& array,
                         std::int64_t cols)
    : sc_core::sc_module(name), array_(array) {
  for (std::int64_t j = 0; j < cols; ++j)
    column_out.push_back(std::make_unique<sc_core::sc_signal<std::int64_t>>(
        ("column_out_" + std::to_string(j)).c_str()));
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
  active_pes.write(array_.step_macs());
  for (std::size_t j = 0; j < column_out.size(); ++j)
    column_out[j]->write(array_.column_output(static_cast<std::int64_t>(j)));
  if (!more) {
    running_ = false;
    busy.write(false);
    sc_core::sc_pause();  // hand control back to the host; the next job resumes the kernel
  }
}

sc_core::sc_trace_file* open_vcd_trace(const std::string& path) {
  if (!std::ofstream(path))
    throw Error(Diagnostic{path, "--vcd", 0, "cannot write the VCD trace file"});
  std::string base = path;  // SystemC appends ".vcd" itself
  if (base.size() > 4 && base.compare(base.size() - 4, 4, ".vcd") == 0)
    base.resize(base.size() - 4);
  return sc_core::sc_create_vcd_trace_file(base.c_str());
}

ArraySimulation::ArraySimulation(const ArraySimulationConfig& config, PeModel& pe)
    : array_(config.rows, config.cols, config.dataflow, config.accumulator_bits, pe),
      clock_("clock", config.clock_period_ns, sc_core::SC_NS),
      module_("array", array_, config.cols) {
  module_.clk(clock_);
  if (!config.vcd_path.empty()) {
    trace_ = open_vcd_trace(config.vcd_path);
    sc_core::sc_trace(trace_, clock_, "clock");
    sc_core::sc_trace(trace_, module_.cycle, "cycle");
    sc_core::sc_trace(trace_, module_.busy, "busy");
    sc_core::sc_trace(trace_, module_.active_pes, "active_pes");
    for (std::size_t j = 0; j < module_.column_out.size(); ++j)
      sc_core::sc_trace(trace_, *module_.column_out[j], "column_out_" + std::to_string(j));
  }
}

ArraySimulation::~ArraySimulation() {
  if (trace_) sc_core::sc_close_vcd_trace_file(trace_);
}

ArrayStats ArraySimulation::run(const GemmOperands& g, std::span<const Fold> folds,
                                ArrayMemory* memory) {
  array_.begin(g, folds, memory);
  if (array_.schedule_cycles(folds) == 0) return array_.stats();
  module_.start();
  sc_core::sc_start();
  return array_.stats();
}

}  // namespace loom::sim
