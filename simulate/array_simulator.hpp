// SPDX-License-Identifier: Apache-2.0
#pragma once
// The simulator entry of a dataflow family: what simulate_network asks of the cycle-level model
// of one kind of array, so that it never asks which kind it holds. One implementation per family
// (systolic_simulator.cpp, spatial_simulator.cpp), found by the family in one table
// (array_simulators.cpp); a family without an entry is refused by `loom sim` with its name.
// An ArraySimulator is opened for one accelerator and then runs any number of its layers, one
// after another.
#include <memory>

#include "arch/accelerator.hpp"
#include "dataflow/family.hpp"
#include "dataflow/mapping.hpp"
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
  virtual LayerRun run(const workloads::Layer& layer, const dataflow::Mapping& m,
                       const sim::LayerData& data) = 0;
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
