// SPDX-License-Identifier: Apache-2.0
#pragma once
// The one rule for whether tiles fit a buffer, used by every model that bounds tiles by their
// buffers (the closed form, the nest analysis, both mapspaces, the DRAM schedule, the
// simulator's memory system). A double-buffered level fills the next tiles while the current
// ones are used, so the tiles it holds at a time may use half its capacity; a single-buffered
// level (a PE's scratchpad) all of it. Bits throughout; a tile's bits are its elements times
// their width, summed over the operands the level holds.
#include <cstdint>

#include "arch/accelerator.hpp"

namespace loom::dataflow {

enum class Buffering { single, double_buffered };

// The bits one set of tiles may occupy in `lvl`.
[[nodiscard]] constexpr double tile_budget_bits(const arch::MemoryLevel& lvl, Buffering b) {
  return static_cast<double>(lvl.size_bytes) * 8.0 * (b == Buffering::double_buffered ? 0.5 : 1.0);
}

// Whether tiles of `tile_bits` in all fit `lvl`: scaled (fractional) bits, or whole ones,
// compared exactly in integers (the mapspaces' inner loops).
[[nodiscard]] constexpr bool tiles_fit(double tile_bits, const arch::MemoryLevel& lvl,
                                       Buffering b) {
  return tile_bits <= tile_budget_bits(lvl, b);
}
[[nodiscard]] constexpr bool tiles_fit(std::int64_t tile_bits, const arch::MemoryLevel& lvl,
                                       Buffering b) {
  return (b == Buffering::double_buffered ? 2 * tile_bits : tile_bits) <= lvl.size_bytes * 8;
}

}  // namespace loom::dataflow
