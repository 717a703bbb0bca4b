// SPDX-License-Identifier: Apache-2.0
#pragma once
// Mapping one layer: the mapper (mapper/) searches the dataflow's mapspace, scoring each point
// through the loop-nest analysis and energy pricing. Layers whose dataflow leaves no freedom
// (compat: scalesim uses SCALE-Sim's fixed mapping) are evaluated directly. The result is never
// worse on the objective than SCALE-Sim's mapping, when that mapping is legal.
#include <cstdint>
#include <optional>
#include <string>

#include "arch/accelerator.hpp"
#include "dataflow/layer_counts.hpp"
#include "dataflow/mapping.hpp"
#include "energy/energy_table.hpp"
#include "energy/price.hpp"
#include "mapper/mapper.hpp"
#include "workloads/layer.hpp"

namespace loom::explore {

struct MappedLayer {
  dataflow::Mapping mapping;  // in its family's view (dataflow::Family::mapping_view)
  dataflow::LayerCounts counts;
  energy::EnergyBreakdown energy;
  std::uint64_t evaluated = 0;  // mappings the search evaluated (0 for a fixed mapping)
  std::uint64_t valid = 0;
  bool searched = false;
  mapper::Strategy strategy = mapper::Strategy::automatic;  // the one that ran, when searched
  // From the exact search only (mapper::MapperResult): subtrees pruned, the proven lower bound
  // on the objective at search fidelity, and the gap to it in percent (0: proven optimal).
  std::uint64_t pruned = 0;
  std::optional<double> lower_bound;
  std::optional<double> optimality_gap_pct;
};

// Throws loom::Error naming the layer and the constraint when no legal mapping exists.
MappedLayer map_layer(const workloads::Layer& layer, const arch::Accelerator& acc,
                      const energy::EnergyTable& table, const mapper::MapperOptions& options);

// `objective` with the accelerator's static (leakage + clock) energy per cycle filled in when it
// counts static energy (total_energy, total_edp); otherwise unchanged.
[[nodiscard]] mapper::Objective priced_objective(mapper::Objective objective,
                                                 const arch::Accelerator& acc);

// Evaluates a given mapping (e.g. read back from `loom map` output).
MappedLayer evaluate_mapping(const workloads::Layer& layer, const arch::Accelerator& acc,
                             const energy::EnergyTable& table, const dataflow::Mapping& m);

// A key under which mappings of equal layers are shared: shape, precision (the accelerator
// and options are the same within one run).
std::string layer_key(const workloads::Layer& layer);

}  // namespace loom::explore
