// SPDX-License-Identifier: Apache-2.0
#pragma once
// What each spatial-array dataflow allows a mapping to do: which dimensions may be unrolled
// across the array's rows and columns, which must be unrolled whole, and which must run whole
// inside one PE. The mapper searches only within these rules (SpatialMapSpace); which operands
// a PE keeps follows from the accelerator's per-PE levels, not from the rules.
#include <array>
#include <cstdint>

#include "arch/accelerator.hpp"
#include "dataflow/mapping.hpp"

namespace loom::dataflow {

// One unrolled dimension on an array axis: chosen from `dims`; `whole` takes all of what is
// left of it (a mapping where that does not fit the axis is illegal).
struct SpatialSlot {
  std::uint8_t dims = 0;  // bit d set: Dim d allowed
  bool whole = false;
};

inline constexpr std::uint8_t dim_bit(Dim d) {
  return static_cast<std::uint8_t>(1U << static_cast<unsigned>(d));
}
inline constexpr std::uint8_t kAllDims = 0x7F;

struct SpatialRules {
  // Up to two slots per axis; a slot with dims == 0 is absent.
  std::array<SpatialSlot, 2> rows{};
  std::array<SpatialSlot, 2> cols{};
  std::uint8_t whole_in_pe = 0;  // dimensions whose remainder runs whole in the PE's own loops
};

// The rules of a spatial-array dataflow (family spatial in arch::kDataflowInfo).
[[nodiscard]] SpatialRules spatial_rules(arch::Dataflow d);

}  // namespace loom::dataflow
