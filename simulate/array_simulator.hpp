// SPDX-License-Identifier: Apache-2.0
#pragma once
// The simulator entry of a dataflow family: what simulate_network asks of the cycle-level model
// of one kind of array, so that it never asks which kind it holds. One implementation per family
// (systolic_simulator.cpp, spatial_simulator.cpp), found by the family in one table
// (array_simulators.cpp); a family without an entry is refused by `loom sim` with its name.
// An ArraySimulator is opened for one accelerator and then runs any number of its layers, one
// after another. Under the graph schedule a layer may find its ifmap on chip or leave its
// output there (`on_chip`, TilePlan::on_chip), and a chain of layers may run as one fused group.
#include <array>
#include <memory>
#include <vector>

#include "arch/accelerator.hpp"
#include "dataflow/family.hpp"
#include "dataflow/mapping.hpp"
#include "schedule/fusion_tiles.hpp"
#include "sim/fused_group.hpp"
#include "sim/golden.hpp"
#include "sim/pe_model.hpp"
#include "sim/tensor.hpp"
#include "simulate/simulate_network.hpp"
#include "workloads/layer.hpp"

namespace loom::simulate {

class ArraySimulator {
 public:
  virtual ~ArraySimulator() = default;
  // One layer under `m` (in its family's view) with real tensors, every output checked against
  // the golden convolution. Leaves zero_ifmap_macs to the caller.
  // `on_chip` (ifmap, filter, ofmap): operands whose tensor stays on chip, moved without DRAM;
  // a family that cannot simulate that throws loom::Error.
  virtual LayerRun run(const workloads::Layer& layer, const dataflow::Mapping& m,
                       const sim::LayerData& data,
                       const std::array<bool, arch::kOperands>& on_chip) = 0;
  // A fused group's execution (sim/fused_group.hpp) with the group input and each layer's
  // weights; `layers[k]` books what the group's layer k did (its steps, and for the first layer
  // the input rows loaded). The default throws loom::Error: the family runs no fused groups.
  struct GroupRun {
    sim::FusedGroupResult result;
    std::vector<LayerRun> layers;
  };
  virtual GroupRun run_group(const schedule::FusedExecution& e, const sim::Tensor4& input,
                             const std::vector<sim::Tensor4>& weights,
                             const sim::OutputFormat& between);
};

class FamilySimulator {
 public:
  virtual ~FamilySimulator() = default;
  // Throws loom::Error naming the key when `acc` or the options ask for hardware this
  // simulator does not model (so its figures could not be compared with the analytical model).
  virtual void check(const arch::Accelerator& acc, const SimulateOptions& options) const = 0;
  // `pe` outlives the simulator; a family that runs its own PEs ignores it (check refuses an
  // injected one).
  [[nodiscard]] virtual std::unique_ptr<ArraySimulator> open(const arch::Accelerator& acc,
                                                             const SimulateOptions& options,
                                                             sim::PeModel& pe) const = 0;
};

// The simulator of `family`; throws loom::Error if that family has none.
[[nodiscard]] const FamilySimulator& simulator_for(const dataflow::Family& family);

// Builders of the table in array_simulators.cpp, one per family.
[[nodiscard]] const FamilySimulator& systolic_simulator();
[[nodiscard]] const FamilySimulator& spatial_simulator();

}  // namespace loom::simulate
