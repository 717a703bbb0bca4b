// SPDX-License-Identifier: Apache-2.0
#include "sim/spatial_module.hpp"

#include "sim/array_module.hpp"

namespace loom::sim {

SpatialArrayModule::SpatialArrayModule(const sc_core::sc_module_name& name, double period_ns)
    : sc_core::sc_module(name), period_(period_ns, sc_core::SC_NS) {
  SC_HAS_PROCESS(SpatialArrayModule);
  SC_THREAD(thread);
}

void SpatialArrayModule::post(const workloads::Layer& layer, const arch::Accelerator& acc,
                              const dataflow::Mapping& m, const LayerData& data) {
  job_ = {&layer, &acc, &m, &data};
  result_ = {};
  error_ = nullptr;
  posted_.notify(sc_core::SC_ZERO_TIME);
}

SpatialRun SpatialArrayModule::take() {
  if (error_) std::rethrow_exception(error_);
  return result_;
}

void SpatialArrayModule::cycle_done(const SpatialCycle& c) {
  timing_->cycle_done(c);
  active_pes.write(c.macs);
  cycle.write(c.cycle + 1);
  if (timing_->last_stall() > 0) {
    waiting.write(true);
    wait(period_ * static_cast<double>(timing_->last_stall()));
    waiting.write(false);
  }
  wait(period_);
}

void SpatialArrayModule::thread() {
  while (true) {
    wait(posted_);
    try {
      SpatialDramTiming timing(*job_.acc);
      timing_ = &timing;
      result_.array = simulate_spatial_array(*job_.layer, *job_.acc, *job_.mapping, *job_.data, this);
      result_.stall_cycles = timing.stall_cycles();
      result_.total_cycles = timing.total_cycles(result_.array.cycles);
      result_.dram_busy_cycles = timing.dram_busy_cycles();
      // The last write-backs finish after the array.
      const std::int64_t tail = result_.total_cycles - result_.array.cycles - result_.stall_cycles;
      if (tail > 0) wait(period_ * static_cast<double>(tail));
    } catch (...) {
      error_ = std::current_exception();
    }
    timing_ = nullptr;
    sc_core::sc_pause();
  }
}

SpatialSimulation::SpatialSimulation(const SpatialSimulationConfig& config)
    : module_("spatial_array", config.clock_period_ns) {
  if (!config.vcd_path.empty()) {
    trace_ = open_vcd_trace(config.vcd_path);
    sc_core::sc_trace(trace_, module_.cycle, "cycle");
    sc_core::sc_trace(trace_, module_.active_pes, "active_pes");
    sc_core::sc_trace(trace_, module_.waiting, "waiting");
  }
}

SpatialSimulation::~SpatialSimulation() {
  if (trace_) sc_core::sc_close_vcd_trace_file(trace_);
}

SpatialRun SpatialSimulation::run(const workloads::Layer& layer, const arch::Accelerator& acc,
                                  const dataflow::Mapping& m, const LayerData& data) {
  // The first start runs the initialization phase, where the module's thread begins waiting
  // for a job; an event notified before it would be lost.
  if (sc_core::sc_get_status() == sc_core::SC_ELABORATION) sc_core::sc_start(sc_core::SC_ZERO_TIME);
  module_.post(layer, acc, m, data);
  sc_core::sc_start();
  return module_.take();
}

}  // namespace loom::sim
