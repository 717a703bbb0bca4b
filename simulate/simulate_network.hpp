// SPDX-License-Identifier: Apache-2.0
#pragma once
// `loom sim`: every MAC layer of a network (or one) through the cycle-level systolic array with
// real integer tensors, under the mapping `loom run` chooses with the same options, each output
// checked against the golden convolution and the simulated figures set beside the analytical
// model's for the same mapping. Simulated here: the PE array, its operand edges and output
// buffer traffic. SystemC elaborates once per process, so call this once per process. A library
// of its own so that only programs that simulate link SystemC (whose shared library expects
// them to define sc_main).
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "arch/accelerator.hpp"
#include "dataflow/layer_counts.hpp"
#include "mapper/mapper.hpp"
#include "sim/systolic_layer.hpp"
#include "workloads/network.hpp"

namespace loom::simulate {

struct SimulateOptions {
  mapper::MapperOptions mapper;  // finds each layer's mapping, as `loom run` does
  std::string only_layer;        // empty: every MAC layer
  std::uint64_t seed = 1;        // random tensors: layer i uses seed + i
  std::filesystem::path data;    // HDF5 /<layer>/ifmap and /weights instead (sim/layer_data_h5)
  std::string vcd;               // VCD trace of the array's clock and progress; empty: none
  // The PEs the array clocks; empty: sim::CppPe. `loom sim --pe rtl` injects the Verilated PE
  // here (rtl::make_verilated_pe), so this library never links the RTL.
  std::function<std::unique_ptr<sim::PeModel>()> make_pe;
  std::function<void(const struct SimulatedLayer&)> on_layer;
};

struct SimulatedLayer {
  workloads::Layer layer;
  dataflow::LayerCounts analytical;  // the analytical model on the same mapping
  sim::SystolicLayerResult sim;
  double seconds = 0;  // wall-clock time of the simulation (not of the golden check)
};

// Throws loom::Error for an accelerator the simulator does not model (spatial arrays;
// compat: scalesim, whose serialized folds are bookkeeping rather than hardware).
std::vector<SimulatedLayer> simulate_network(const workloads::Network& net,
                                             const arch::Accelerator& acc,
                                             const SimulateOptions& options);

// DIR/layers.csv: per layer the simulated cycles and array-edge traffic, the analytical
// model's, elements checked and mismatches.
void write_sim_outputs(const std::vector<SimulatedLayer>& layers, const std::filesystem::path& dir);

}  // namespace loom::simulate
