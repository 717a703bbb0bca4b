// SPDX-License-Identifier: Apache-2.0
// The spatial family's simulator entry: the PE array with its scratchpads, global buffer and
// DRAM channel (sim/spatial_module.hpp), PEs running sim::CppPe in direct mode.
#include <array>
#include <memory>

#include "core/error.hpp"
#include "sim/spatial_module.hpp"
#include "simulate/array_simulator.hpp"

namespace loom::simulate {
namespace {

LayerRun from_spatial(const sim::SpatialRun& r, const arch::Accelerator& acc) {
  LayerRun run;
  run.compute_cycles = r.array.cycles;
  run.total_cycles = r.total_cycles;
  run.macs = r.array.macs;
  run.pe_cycles = r.array.cycles * acc.array.pes();
  run.wait_cycles[0] = r.stall_cycles;
  run.dram_busy_cycles = r.dram_busy_cycles;
  run.pes_used = r.array.pes_used;
  run.access = r.array.access;
  // As the analytical model reports a spatial array: the innermost shared buffer's traffic.
  for (int l = 0; l < static_cast<int>(acc.levels.size()); ++l) {
    const auto& lvl = acc.levels[static_cast<std::size_t>(l)];
    if (lvl.per_pe || lvl.kind != arch::LevelKind::sram) continue;
    using arch::Operand;
    if (lvl.holds_operand(Operand::ifmap))
      run.sram_ifmap_reads = run.access.at(l, Operand::ifmap).reads;
    if (lvl.holds_operand(Operand::filter))
      run.sram_filter_reads = run.access.at(l, Operand::filter).reads;
    if (lvl.holds_operand(Operand::ofmap)) {
      run.sram_ofmap_writes = run.access.at(l, Operand::ofmap).writes;
      run.sram_ofmap_reads = run.access.at(l, Operand::ofmap).reads;
    }
  }
  run.elements_checked = r.array.elements_checked;
  run.mismatches = r.array.mismatches;
  return run;
}

class SpatialArraySimulator final : public ArraySimulator {
 public:
  SpatialArraySimulator(const arch::Accelerator& acc, const SimulateOptions& options)
      : acc_(acc),
        spatial_(sim::SpatialSimulationConfig{.clock_period_ns = 1e9 / acc.clock_hz,
                                              .vcd_path = options.vcd}) {}

  LayerRun run(const workloads::Layer& layer, const dataflow::Mapping& m,
               const sim::LayerData& data,
               const std::array<bool, arch::kOperands>& on_chip) override {
    return from_spatial(spatial_.run(layer, acc_, m, data, on_chip), acc_);
  }

 private:
  arch::Accelerator acc_;
  sim::SpatialSimulation spatial_;
};

class SpatialSimulator final : public FamilySimulator {
 public:
  void check(const arch::Accelerator& acc, const SimulateOptions& options) const override {
    if (options.make_pe)
      throw Error(Diagnostic{acc.source, "dataflow", 0,
                             "the injected PE (--pe rtl) is a systolic PE; a spatial array runs "
                             "its MACs on the C++ PE (simulate with --pe cpp)"});
    // Shared buffers are simulated with unlimited ports; one whose analytical model is
    // bandwidth-bound would be compared with a simulator that is not.
    for (const auto& l : acc.levels)
      if (l.kind == arch::LevelKind::sram && l.bandwidth_bytes_per_cycle > 0)
        throw Error(Diagnostic{acc.source, "levels." + l.name, 0,
                               "the cycle-level simulator gives a spatial array's SRAMs "
                               "unlimited ports; simulate without ports or bandwidth_gb_per_s "
                               "on level '" +
                                   l.name + "'"});
  }
  [[nodiscard]] std::unique_ptr<ArraySimulator> open(const arch::Accelerator& acc,
                                                     const SimulateOptions& options,
                                                     sim::PeModel& /*pe*/) const override {
    return std::make_unique<SpatialArraySimulator>(acc, options);
  }
};

}  // namespace

const FamilySimulator& spatial_simulator() {
  static const SpatialSimulator s;
  return s;
}

}  // namespace loom::simulate
