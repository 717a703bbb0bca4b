// SPDX-License-Identifier: Apache-2.0
#pragma once
// What a layer did to each memory level: reads and writes per operand, counted both in
// elements (words of the operand's precision, for reports) and in bits (for bytes moved and
// energy, since operands of different precision share levels). Filled by the analytical model
// and by the simulator; priced by energy::price. Fixed-size so the inner loop never allocates.
#include <array>
#include <cstdint>

#include "arch/accelerator.hpp"

namespace loom::arch {

inline constexpr int kMaxLevels = 8;

struct AccessCell {
  std::int64_t reads = 0;   // elements
  std::int64_t writes = 0;  // elements
  std::int64_t read_bits = 0;
  std::int64_t write_bits = 0;

  void read(std::int64_t elems, int bits) {
    reads += elems;
    read_bits += elems * bits;
  }
  void write(std::int64_t elems, int bits) {
    writes += elems;
    write_bits += elems * bits;
  }
};

struct AccessCounts {
  int levels = 0;  // number of levels in use, <= kMaxLevels
  std::array<std::array<AccessCell, kOperands>, kMaxLevels> cells{};

  [[nodiscard]] AccessCell& at(int level, Operand o) { return cells[level][static_cast<int>(o)]; }
  [[nodiscard]] const AccessCell& at(int level, Operand o) const {
    return cells[level][static_cast<int>(o)];
  }
  // Bytes read plus written at a level, all operands.
  [[nodiscard]] double bytes(int level) const {
    std::int64_t bits = 0;
    for (const auto& c : cells[level]) bits += c.read_bits + c.write_bits;
    return static_cast<double>(bits) / 8.0;
  }
  // Adds another run's counts cell by cell (a layer run in steps: fused tiles, simulated
  // pieces); `levels` is the caller's to set.
  void add_cells(const AccessCounts& other) {
    for (std::size_t l = 0; l < cells.size(); ++l)
      for (std::size_t o = 0; o < cells[l].size(); ++o) {
        auto& a = cells[l][o];
        const auto& b = other.cells[l][o];
        a.reads += b.reads;
        a.writes += b.writes;
        a.read_bits += b.read_bits;
        a.write_bits += b.write_bits;
      }
  }
};

}  // namespace loom::arch
