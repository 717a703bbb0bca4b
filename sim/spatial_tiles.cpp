// SPDX-License-Identifier: Apache-2.0
#include "sim/spatial_tiles.hpp"

#include <iterator>

namespace loom::sim {

using arch::Operand;

void LayerRun::drain(TileTrack& t, TileKeys& held) {
  for (std::int64_t key : held) {
    const int b = out_bits(key);
    cell(t.level, t.o).read(1, b);
    t.drained[static_cast<std::size_t>(key)] = 1;
    if (t.crossing) {
      event.push_back(key);
      on_noc(t.o, 1, b);
    } else {
      write_parent(t, key, b);
    }
  }
  held.clear();
}

void LayerRun::flush_outputs(TileTrack& t) {
  if (!t.crossing) return;
  const auto drained = static_cast<std::int64_t>(event.size());
  sort_unique(event);
  for (std::int64_t key : event) {
    write_parent(t, key, out_bits(key));
    on_bus(t.o, out_bits(key));
  }
  sort_unique(readback);
  const auto n = static_cast<std::int64_t>(readback.size());
  cell(t.parent, t.o).read(n, p.psum_bits);
  from_dram(t, n * p.psum_bits);
  cell(t.level, t.o).write(n, p.psum_bits);
  written(t, n);
  on_noc(t.o, n, n * p.psum_bits);
  on_bus(t.o, n * p.psum_bits, true);
  // All but one drained partial sum per output reach a neighbour, and the read-back ones come
  // in from the buffer: a PE's datapath adds each.
  const std::int64_t received = drained - static_cast<std::int64_t>(event.size()) + n;
  now.psums_received += received;
  events.psums_received += static_cast<double>(received);
}

void LayerRun::refill(TileTrack& t, const TileKeys& held) {
  const int b = bits(t.o);
  moved.clear();
  if (t.sliding && t.o == Operand::ifmap)
    std::set_difference(tile.begin(), tile.end(), held.begin(), held.end(),
                        std::back_inserter(moved));
  else
    moved = tile;
  const auto n = static_cast<std::int64_t>(moved.size());
  cell(t.level, t.o).write(n, b);
  written(t, n);
  if (t.parent == dram && !resident(t.parent, t.o)) {
    auto& inst = now.instance_fill[static_cast<std::size_t>(t.level)];
    inst = std::max(inst, on_wire(t.o, n * b));
  }
  if (t.crossing) {
    event.insert(event.end(), moved.begin(), moved.end());
    on_noc(t.o, n, n * b);
  } else {
    read_parent(t, n, b);
  }
}

void LayerRun::swap_outputs(TileTrack& t, TileKeys& held) {
  drain(t, held);
  for (std::int64_t key : tile) {
    if (!t.drained[static_cast<std::size_t>(key)]) continue;
    if (t.crossing) {
      readback.push_back(key);
    } else {
      cell(t.parent, t.o).read(1, p.psum_bits);
      cell(t.level, t.o).write(1, p.psum_bits);
      written(t, 1);
      from_dram(t, p.psum_bits);
    }
  }
}

void LayerRun::update(TileTrack& t, const Coord& outer) {
  event.clear();
  readback.clear();
  for (std::size_t k = 0; k < t.held.size(); ++k) {
    Coord base = outer;
    if (t.per_pe)
      for (int d = 0; d < dataflow::kDims; ++d) base[d] += pe_base[k][d];
    tile_elements(nest, nest.level_start[static_cast<std::size_t>(t.level)], base, t.o, s, bounds,
                  tile);
    TileKeys& held = t.held[k];
    if (tile.empty() || tile == held) continue;  // idle instances keep what they hold
    if (t.o == Operand::ofmap) {
      swap_outputs(t, held);
    } else {
      refill(t, held);
      t.store(k, tile, [&](std::int64_t key) { return from_parent(t, k, key); });
    }
    held = tile;
  }
  if (t.o == Operand::ofmap) {
    flush_outputs(t);
  } else if (t.crossing) {
    const int b = bits(t.o);
    sort_unique(event);  // multicast: each distinct element leaves the parent once
    read_parent(t, static_cast<std::int64_t>(event.size()), b);
    on_bus(t.o, static_cast<std::int64_t>(event.size()) * b);
  }
}

void LayerRun::finish(TileTrack& t) {
  event.clear();
  readback.clear();
  if (t.o == Operand::ofmap)
    for (auto& held : t.held) drain(t, held);
  if (t.o == Operand::ofmap) flush_outputs(t);
  for (auto& held : t.held) held.clear();
  for (auto& v : t.values) v.clear();
  ++t.tag;  // a shared level's table no longer holds anything
}

void add_largest_tiles(const std::vector<TileTrack>& tracks, const LayerRun& run,
                       std::array<std::int64_t, arch::kMaxLevels>& out) {
  for (const auto& t : tracks) {
    std::size_t largest = 0;
    for (const auto& h : t.held) largest = std::max(largest, h.size());
    out[static_cast<std::size_t>(t.level)] += static_cast<std::int64_t>(largest) * run.bits(t.o);
  }
}

}  // namespace loom::sim
