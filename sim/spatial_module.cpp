// SPDX-License-Identifier: Apache-2.0
#include "sim/spatial_module.hpp"

#include "core/error.hpp"
#include "sim/array_module.hpp"
#include "sim/spatial_timing.hpp"

namespace loom::sim {

// What a VCD trace shows. Each run's thread writes them, hence many writers (one at a time).
struct SpatialSimulation::Trace {
  template <class T>
  using Signal = sc_core::sc_signal<T, sc_core::SC_MANY_WRITERS>;
  Signal<std::int64_t> cycle{sc_core::sc_gen_unique_name("cycle")};  // compute cycles done
  Signal<std::int64_t> active_pes{sc_core::sc_gen_unique_name("active_pes")};  // MACs this cycle
  Signal<bool> waiting{sc_core::sc_gen_unique_name("waiting")};                // waiting for DRAM
  sc_core::sc_trace_file* file = nullptr;
};

SpatialSimulation::SpatialSimulation(const SpatialSimulationConfig& config)
    : period_(config.clock_period_ns, sc_core::SC_NS) {
  if (config.vcd_path.empty()) return;
  if (sc_core::sc_get_status() != sc_core::SC_ELABORATION)
    throw Error(Diagnostic{config.vcd_path, "--vcd", 0,
                           "a traced simulation must be built before SystemC first runs"});
  trace_ = std::make_unique<Trace>();
  trace_->file = open_vcd_trace(config.vcd_path);
  sc_core::sc_trace(trace_->file, trace_->cycle, "cycle");
  sc_core::sc_trace(trace_->file, trace_->active_pes, "active_pes");
  sc_core::sc_trace(trace_->file, trace_->waiting, "waiting");
}

SpatialSimulation::~SpatialSimulation() {
  if (trace_) sc_core::sc_close_vcd_trace_file(trace_->file);
}

// A period per compute cycle, the waits the DRAM channel imposes before a refill, then the
// write-backs still on the bus when the array is done. Runs inside the job's thread process.
void SpatialSimulation::pace(SpatialArray& array, SpatialDramTiming& timing,
                             SpatialRun& result) const {
  const auto wait_cycles = [&](std::int64_t cycles) {
    if (cycles > 0) sc_core::wait(period_ * static_cast<double>(cycles));
  };
  Trace* trace = trace_.get();
  while (const SpatialCycle* c = array.step()) {
    if (!c->computes && !c->touches_dram()) continue;  // nothing for the channel
    timing.cycle_done(*c);
    if (trace && c->computes) {
      trace->cycle.write(c->cycle + 1);
      trace->active_pes.write(c->macs);
    }
    if (timing.last_stall() > 0) {
      if (trace) trace->waiting.write(true);
      wait_cycles(timing.last_stall());
      if (trace) trace->waiting.write(false);
    }
    if (c->computes) wait_cycles(1);
  }
  result.array = array.finish();
  result.stall_cycles = timing.stall_cycles();
  result.total_cycles = timing.total_cycles(result.array.cycles);
  result.dram_busy_cycles = timing.dram_busy_cycles();
  wait_cycles(result.total_cycles - result.array.cycles - result.stall_cycles);
}

SpatialRun SpatialSimulation::run(const workloads::Layer& layer, const arch::Accelerator& acc,
                                  const dataflow::Mapping& m, const LayerData& data) {
  SpatialArray array(layer, acc, m, data);  // throws before any process exists
  SpatialDramTiming timing(acc);
  SpatialRun result;
  run_as_process([&] { pace(array, timing, result); }, "layer '" + layer.name + "'");
  return result;
}

}  // namespace loom::sim
