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
// The array's own overheads (dataflow/spatial_micro.hpp) are paid where they occur: a pass's
// set-up, pipeline fill and psum-chain drain before its first cycle, the layer's configuration
// before the first pass, the per-word stalls as the words arrive.
void SpatialSimulation::pace(SpatialArray& array, SpatialDramTiming& timing, SpatialRun& result,
                             const arch::Accelerator& acc,
                             const dataflow::ArrayEvents& shape) const {
  std::int64_t waited = 0;  // cycles of SystemC time so far
  const auto wait_cycles = [&](std::int64_t cycles) {
    if (cycles <= 0) return;
    sc_core::wait(period_ * static_cast<double>(cycles));
    waited += cycles;
  };
  Trace* trace = trace_.get();
  const std::int64_t per_pass = dataflow::pass_overhead_cycles(acc, shape.psum_chain);
  std::int64_t pass_cycles = 0;
  bool configured = false;
  dataflow::ArrayEvents words = shape;  // per-word costs so far
  while (const SpatialCycle* c = array.step()) {
    const std::int64_t before =
        pass_cycles + static_cast<std::int64_t>(dataflow::word_stall_cycles(acc, words));
    if (c->new_pass) {
      pass_cycles += per_pass + (configured ? 0 : dataflow::layer_setup_cycles(acc));
      configured = true;
    }
    words.psums_received += static_cast<double>(c->psums_received);
    words.single_port_writes += static_cast<double>(c->single_port_writes);
    const double overhead =
        static_cast<double>(pass_cycles) + dataflow::word_stall_cycles(acc, words);
    timing.set_array_overhead(overhead);
    wait_cycles(static_cast<std::int64_t>(overhead) - before);
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
  // The busiest bus bounds the run like a level's bandwidth (its words flow beside compute).
  const double bus = dataflow::array_overheads(acc, result.array.events).bus_cycles;
  result.total_cycles =
      std::max(timing.total_cycles(result.array.cycles), static_cast<std::int64_t>(bus + 0.999999));
  result.dram_busy_cycles = timing.dram_busy_cycles();
  wait_cycles(result.total_cycles - waited);
}

SpatialRun SpatialSimulation::run(const workloads::Layer& layer, const arch::Accelerator& acc,
                                  const dataflow::Mapping& m, const LayerData& data,
                                  const OnChip& on_chip) {
  SpatialArray array(layer, acc, m, data, nullptr, on_chip);  // throws before any process exists
  SpatialDramTiming timing(acc);
  SpatialRun result;
  dataflow::ArrayEvents shape;
  shape.psum_chain = dataflow::psum_chain(m);
  for (int d = 0; d < dataflow::kDims; ++d) shape.pes_used *= m.spatial_rows[d] * m.spatial_cols[d];
  run_as_process([&] { pace(array, timing, result, acc, shape); }, "layer '" + layer.name + "'");
  return result;
}

}  // namespace loom::sim
