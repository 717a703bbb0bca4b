// SPDX-License-Identifier: Apache-2.0
// The systolic family's simulator entry: the SystemC array (sim/array_module.hpp) with its
// buffers, DRAM channel and controller (sim/systolic_layer.hpp).
#include <algorithm>
#include <optional>

#include "core/error.hpp"
#include "dataflow/systolic.hpp"
#include "sim/array_module.hpp"
#include "sim/fused_group.hpp"
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

// Sums what several steps of one layer did (a fused layer's steps, one per tile).
void add_run(LayerRun& to, const LayerRun& from) {
  to.compute_cycles += from.compute_cycles;
  to.total_cycles += from.total_cycles;
  to.port_stall_cycles += from.port_stall_cycles;
  to.folds = to.folds.value_or(0) + from.folds.value_or(0);
  to.macs += from.macs;
  to.pe_cycles += from.pe_cycles;
  for (std::size_t o = 0; o < to.wait_cycles.size(); ++o) to.wait_cycles[o] += from.wait_cycles[o];
  to.dram_busy_cycles += from.dram_busy_cycles;
  to.sram_ifmap_reads += from.sram_ifmap_reads;
  to.sram_filter_reads += from.sram_filter_reads;
  to.sram_ofmap_writes += from.sram_ofmap_writes;
  to.sram_ofmap_reads += from.sram_ofmap_reads;
  to.pes_used = from.pes_used;
  to.access.levels = std::max(to.access.levels, from.access.levels);
  to.access.add_cells(from.access);
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
               const sim::LayerData& data,
               const std::array<bool, arch::kOperands>& on_chip) override {
    return from_systolic(
        sim::simulate_systolic_layer(layer, acc_, m, data, array_, {.on_chip = on_chip}), acc_);
  }

  GroupRun run_group(const schedule::FusedExecution& e, const sim::Tensor4& input,
                     const std::vector<sim::Tensor4>& weights,
                     const sim::OutputFormat& between) override {
    GroupRun g;
    g.result = sim::simulate_fused_group(e, acc_, input, weights, between, array_);
    const auto& r = g.result;
    g.layers.resize(e.layers.size());
    for (std::size_t k = 0; k < r.steps.size(); ++k)
      add_run(g.layers[r.step_pos[k]], from_systolic(r.steps[k], acc_));
    // The group input's rows, loaded into the line buffer before each tile's first step: the
    // first layer's DRAM ifmap reads, and time before its steps.
    auto& first = g.layers.front();
    const auto bits = dataflow::resolve_precision(e.layers.front(), acc_).activation_bits;
    auto& in = first.access.at(acc_.dram_level(), arch::Operand::ifmap);
    for (const auto& load : r.loads) {
      in.reads += load.bits / bits;
      in.read_bits += load.bits;
      first.total_cycles += load.cycles;
    }
    for (std::size_t k = 0; k < g.layers.size(); ++k) {
      g.layers[k].elements_checked = r.layer_checked[k];
      g.layers[k].mismatches = r.layer_mismatches[k];
    }
    return g;
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
