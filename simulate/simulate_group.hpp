// SPDX-License-Identifier: Apache-2.0
#pragma once
// `loom sim --group FIRST..LAST`: a chain of convolutions of a network run as one fused group
// (schedule/fusion_tiles.hpp) through the SystemC systolic array with random integer tensors
// (sim/fused_group.hpp), every layer's outputs checked against the golden chain and the
// simulated cycles and DRAM bits set beside the analytical price of the same execution.
#include <cstdint>
#include <string>
#include <vector>

#include "arch/accelerator.hpp"
#include "mapper/mapper.hpp"
#include "schedule/fusion.hpp"
#include "schedule/fusion_tiles.hpp"
#include "sim/fused_group.hpp"
#include "workloads/network.hpp"

namespace loom::simulate {

struct GroupSimOptions {
  std::string group;           // "FIRST..LAST": layer names, inclusive
  std::int64_t tile_rows = 1;  // output rows of the last layer per tile
  schedule::HaloPolicy halo = schedule::HaloPolicy::cache;
  bool weights_resident = true;
  std::uint64_t seed = 1;  // the input uses seed, layer i of the group's weights seed + 1 + i
  // Finds each tile shape's mapping, as `loom run` maps a layer (each shape searched once).
  mapper::MapperOptions mapper;
};

struct SimulatedGroup {
  std::vector<std::string> layers;
  std::int64_t tiles = 0, steps = 0;
  sim::FusedGroupResult sim;
  schedule::FusedCost analytical;
  double seconds = 0;  // wall-clock time of the simulation, golden chain included
};

// Throws loom::Error if the group is not FIRST..LAST with FIRST before LAST, the accelerator
// cannot be simulated (check_simulable) or is not systolic, or the layers are not a chain of
// convolutions (fused_execution).
[[nodiscard]] SimulatedGroup simulate_group(const workloads::Network& net,
                                            const arch::Accelerator& acc, const GroupSimOptions& o);

// The mapping of each tile shape of a fused execution, found by the mapper as `loom run` maps a
// layer; each distinct shape is searched once per returned function.
[[nodiscard]] schedule::TileMapping tile_mapper(const arch::Accelerator& acc,
                                                const mapper::MapperOptions& o);

// How a fused group's accumulator values become the next layer's activations: shifted right by
// 8 and saturated to `activation_bits` (a fixed requantization; any would do, the golden chain
// applies the same).
[[nodiscard]] sim::OutputFormat between_layers(const arch::Accelerator& acc, int activation_bits);

// The console's lines for a simulated group.
[[nodiscard]] std::string format_group(const SimulatedGroup& g);

}  // namespace loom::simulate
