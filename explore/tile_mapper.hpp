// SPDX-License-Identifier: Apache-2.0
#pragma once
// The mapper for a fused group's tiles (schedule/fusion_price.hpp): each layer cut to a tile is
// mapped by the run's strategy and objective in the residency level's capacity less what the
// group holds there (schedule::tile_reserved_bits). A tile shape is mapped once on the whole
// accelerator (memoized by layer_key, as the run maps layers); where that mapping does not fit
// what the group leaves, the shape is mapped again in the smaller level (memoized by shape and
// capacity). A mapping that fits the smaller level and is best on the whole one is also best on
// the smaller one (its mapspace is a subset), so the first answer stands whenever it fits.
#include "arch/accelerator.hpp"
#include "energy/energy_table.hpp"
#include "mapper/mapper.hpp"
#include "schedule/fusion.hpp"

namespace loom::explore {

// `acc` and `table` must outlive the returned function; its memo lives as long as it does.
[[nodiscard]] schedule::EvalTile tile_mapper(const arch::Accelerator& acc,
                                             const energy::EnergyTable& table,
                                             const mapper::MapperOptions& options);

}  // namespace loom::explore
