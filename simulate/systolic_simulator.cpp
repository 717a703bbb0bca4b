// SPDX-License-Identifier: Apache-2.0
// The systolic family's simulator entry: the SystemC array (sim/array_module.hpp) with its
// buffers, DRAM channel and controller (sim/systolic_layer.hpp).
#include <optional>

#include "core/error.hpp"
#include "sim/array_module.hpp"
#include "sim/systolic_layer.hpp"
#include "simulate/array_simulator.hpp"

namespace loom::simulate {
namespace {

LayerRun from_systolic(const sim::SystolicLayerResult& r, const arch::Accelerator& acc) {
  LayerRun run;
  run.compute_cycles = r.compute_cycles;
  run.total_cycles = r.total_cycles;
  run.port_stall_cycles = r.port_stall_cycles;
  run.folds = r.folds;
  run.macs = r.array.macs;
  run.pe_cycles = r.array.pe_cycles;
  run.wait_cycles = r.memory.wait_cycles;
  run.dram_busy_cycles = r.memory.dram_busy_cycles;
  run.sram_ifmap_reads = r.sram_ifmap_reads;
  run.sram_filter_reads = r.sram_filter_reads;
  run.sram_ofmap_writes = r.sram_ofmap_writes;
  run.sram_ofmap_reads = r.sram_ofmap_reads;
  run.pes_used = acc.array.pes();
  run.access = r.access;
  run.elements_checked = r.elements_checked;
  run.mismatches = r.mismatches;
  return run;
}

class SystolicArraySimulator final : public ArraySimulator {
 public:
  SystolicArraySimulator(const arch::Accelerator& acc, const SimulateOptions& options,
                         sim::PeModel& pe)
      : acc_(acc),
        array_(sim::ArraySimulationConfig{.rows = acc.array.rows,
                                          .cols = acc.array.cols,
                                          .dataflow = acc.dataflow,
                                          .accumulator_bits = acc.array.pe.accumulator_bits,
                                          .clock_period_ns = 1e9 / acc.clock_hz,
                                          .vcd_path = options.vcd},
               pe) {}

  LayerRun run(const workloads::Layer& layer, const dataflow::Mapping& m,
               const sim::LayerData& data) override {
    return from_systolic(sim::simulate_systolic_layer(layer, acc_, m, data, array_), acc_);
  }

 private:
  arch::Accelerator acc_;
  sim::ArraySimulation array_;
};

class SystolicSimulator final : public FamilySimulator {
 public:
  void check(const arch::Accelerator& acc, const SimulateOptions& /*options*/) const override {
    // The systolic memory system moves tiles uncoded; timing them against an analytical model
    // that codes them would compare two different channels.
    const auto& dram = acc.levels[static_cast<std::size_t>(acc.dram_level())];
    if (dram.compression != arch::MemoryLevel::Compression::none)
      throw Error(Diagnostic{acc.source, "levels." + dram.name + ".compression", 0,
                             "the systolic memory system moves tiles uncoded; simulate with "
                             "compression: none (spatial arrays simulate coded transfers)"});
  }
  [[nodiscard]] std::unique_ptr<ArraySimulator> open(const arch::Accelerator& acc,
                                                     const SimulateOptions& options,
                                                     sim::PeModel& pe) const override {
    return std::make_unique<SystolicArraySimulator>(acc, options, pe);
  }
};

}  // namespace

const FamilySimulator& systolic_simulator() {
  static const SystolicSimulator s;
  return s;
}

}  // namespace loom::simulate
