// SPDX-License-Identifier: Apache-2.0
#include "sim/array_module.hpp"

#include <sysc/kernel/sc_dynamic_processes.h>

#include <exception>
#include <fstream>
#include <vector>

#include "core/error.hpp"

namespace loom::sim {

// What a VCD trace shows: the clock and the array's progress. Each job's thread writes the
// signals, hence many writers (one at a time).
struct ArraySimulation::Trace {
  template <class T>
  using Signal = sc_core::sc_signal<T, sc_core::SC_MANY_WRITERS>;
  Trace(double period_ns, std::int64_t cols)
      : clock(sc_core::sc_gen_unique_name("clock"), period_ns, sc_core::SC_NS) {
    for (std::int64_t j = 0; j < cols; ++j)
      column_out.push_back(std::make_unique<Signal<std::int64_t>>(
          sc_core::sc_gen_unique_name(("column_out_" + std::to_string(j)).c_str())));
  }
  sc_core::sc_clock clock;
  Signal<std::int64_t> cycle{sc_core::sc_gen_unique_name("cycle")};
  Signal<bool> busy{sc_core::sc_gen_unique_name("busy")};
  Signal<std::int64_t> active_pes{sc_core::sc_gen_unique_name("active_pes")};  // MACs this cycle
  std::vector<std::unique_ptr<Signal<std::int64_t>>> column_out;               // per column
  sc_core::sc_trace_file* file = nullptr;
};

sc_core::sc_trace_file* open_vcd_trace(const std::string& path) {
  if (!std::ofstream(path))
    throw Error(Diagnostic{path, "--vcd", 0, "cannot write the VCD trace file"});
  std::string base = path;  // SystemC appends ".vcd" itself
  if (base.size() > 4 && base.compare(base.size() - 4, 4, ".vcd") == 0)
    base.resize(base.size() - 4);
  return sc_core::sc_create_vcd_trace_file(base.c_str());
}

void run_as_process(const std::function<void()>& job, const std::string& what) {
  std::exception_ptr error;
  bool done = false;
  sc_core::sc_spawn(
      [&] {
        try {
          job();
        } catch (...) {
          error = std::current_exception();
        }
        done = true;
        sc_core::sc_pause();  // hand control back to the host
      },
      sc_core::sc_gen_unique_name("job"));
  while (!done) {
    // Another process may pause the kernel first; a stopped kernel never resumes the job.
    if (sc_core::sc_get_status() == sc_core::SC_STOPPED)
      throw Error(what + ": the SystemC kernel stopped during the run");
    sc_core::sc_start();
  }
  if (error) std::rethrow_exception(error);
}

ArraySimulation::ArraySimulation(const ArraySimulationConfig& config, PeModel& pe)
    : array_(config.rows, config.cols, config.dataflow, config.accumulator_bits, pe),
      period_(config.clock_period_ns, sc_core::SC_NS) {
  if (config.vcd_path.empty()) return;
  if (sc_core::sc_get_status() != sc_core::SC_ELABORATION)
    throw Error(Diagnostic{config.vcd_path, "--vcd", 0,
                           "a traced simulation must be built before SystemC first runs"});
  trace_ = std::make_unique<Trace>(config.clock_period_ns, config.cols);
  trace_->file = open_vcd_trace(config.vcd_path);
  sc_core::sc_trace(trace_->file, trace_->clock, "clock");
  sc_core::sc_trace(trace_->file, trace_->cycle, "cycle");
  sc_core::sc_trace(trace_->file, trace_->busy, "busy");
  sc_core::sc_trace(trace_->file, trace_->active_pes, "active_pes");
  for (std::size_t j = 0; j < trace_->column_out.size(); ++j)
    sc_core::sc_trace(trace_->file, *trace_->column_out[j], "column_out_" + std::to_string(j));
}

ArraySimulation::~ArraySimulation() {
  if (trace_) sc_core::sc_close_vcd_trace_file(trace_->file);
}

ArrayStats ArraySimulation::run(const GemmOperands& g, std::span<const Fold> folds,
                                ArrayMemory* memory) {
  array_.begin(g, folds, memory);
  if (array_.schedule_cycles(folds) == 0) return array_.stats();
  // One step per clock period, as a clocked process would take them.
  run_as_process(
      [&] {
        Trace* t = trace_.get();
        if (t) t->busy.write(true);
        while (true) {
          const bool more = array_.step();
          if (t) {
            t->cycle.write(array_.stats().cycles);
            t->active_pes.write(array_.step_macs());
            for (std::size_t j = 0; j < t->column_out.size(); ++j)
              t->column_out[j]->write(array_.column_output(static_cast<std::int64_t>(j)));
          }
          sc_core::wait(period_);
          if (!more) break;
        }
        if (t) t->busy.write(false);
      },
      "the systolic array");
  return array_.stats();
}

}  // namespace loom::sim
