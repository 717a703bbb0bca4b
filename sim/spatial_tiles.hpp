// SPDX-License-Identifier: Apache-2.0
#pragma once
// The tiles of one spatial-array run (sim/spatial_array.hpp), internal to the simulator: what
// every level below DRAM holds of each operand, per instance, and the bookkeeping that moves
// tiles between levels and counts the accesses (refills, drains, multicast and read-backs),
// the values they carry and the DRAM traffic of the cycle being run. SpatialArray owns one
// LayerRun and its TileTracks; everything here lives as long as that run.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <optional>
#include <vector>

#include "arch/access_counts.hpp"
#include "dataflow/precision.hpp"
#include "sim/spatial_array.hpp"
#include "sim/spatial_nest.hpp"
#include "sim/tensor.hpp"

namespace loom::sim {

using TileKeys = std::vector<std::int64_t>;  // group-local element keys (sim/spatial_nest.hpp)

inline void sort_unique(TileKeys& k) {
  std::sort(k.begin(), k.end());
  k.erase(std::unique(k.begin(), k.end()), k.end());
}

// A level below the outermost holding an operand: the tile each instance holds, and the level
// its tiles come from (the next one outward holding the operand).
struct TileTrack {
  int level = 0, parent = 0;
  arch::Operand o = arch::Operand::ifmap;
  bool per_pe = false, crossing = false, sliding = false, single_port = false;
  std::vector<TileKeys> held;  // per instance (per PE, or one for a shared level)
  // Inputs: the values held, beside their keys; they come from the parent's copy (or DRAM).
  // A per-PE level keeps them beside its (small) sorted keys; a shared level, whose tiles are
  // large and looked up by every refill below it, in a table over the operand's elements,
  // tagged with the refill that wrote them.
  std::vector<std::vector<std::int32_t>> values;
  std::vector<std::int32_t> table, table_tag;
  std::int32_t tag = 0;
  const TileTrack* parent_track = nullptr;  // the level the values come from; null: DRAM
  std::vector<char> drained;                // outputs whose partial sums left this level before

  // The value instance `k` holds for `key`, or nullopt.
  [[nodiscard]] std::optional<std::int32_t> value(std::size_t k, std::int64_t key) const {
    if (!per_pe) {
      const auto i = static_cast<std::size_t>(key);
      if (table_tag[i] != tag) return std::nullopt;
      return table[i];
    }
    const TileKeys& h = held[k];
    const auto it = std::lower_bound(h.begin(), h.end(), key);
    if (it == h.end() || *it != key) return std::nullopt;
    return values[k][static_cast<std::size_t>(it - h.begin())];
  }
  // Instance k now holds `tile`: kept values stay, the others come from `arrive(key)`.
  template <class Arrive>
  void store(std::size_t k, const TileKeys& tile, Arrive arrive) {
    if (!per_pe) {
      const std::int32_t old = tag++;
      for (std::int64_t key : tile) {
        const auto i = static_cast<std::size_t>(key);
        if (table_tag[i] != old) table[i] = arrive(key);
        table_tag[i] = tag;
      }
      return;
    }
    std::vector<std::int32_t> next(tile.size());
    for (std::size_t i = 0; i < tile.size(); ++i) {
      const auto kept = value(k, tile[i]);
      next[i] = kept ? *kept : arrive(tile[i]);
    }
    values[k] = std::move(next);
  }
};

// The state of one layer's run, group by group: the tile movement shared by every track.
struct LayerRun {
  const workloads::LayerShape& s;
  const SpatialNest& nest;
  dataflow::DimFactors bounds;
  dataflow::ResolvedPrecision p;
  arch::AccessCounts& access;
  int noc = -1;
  std::vector<Coord> pe_base;           // each PE's spatial contribution to its coordinate
  std::vector<std::int64_t> macs_done;  // per group-local output
  std::int64_t taps = 0;                // MACs that complete one output
  TileKeys tile, moved, event, readback;
  int dram = -1;                    // the outermost level: DRAM
  const LayerData* data = nullptr;  // what DRAM holds
  std::int64_t group = 0;           // the group being run
  std::int64_t misses = 0;          // values a level needed but its parent did not hold
  // Size on the DRAM interface relative to dense, per operand (finished outputs for ofmap;
  // partial sums cross uncoded): the interface's coding at each tensor's density.
  std::array<double, arch::kOperands> coded{1.0, 1.0, 1.0};
  SpatialCycle now;              // DRAM traffic of the cycle being run
  dataflow::ArrayEvents events;  // the array's passes, bus traffic and per-word costs so far
  // Operands whose tensor stays on chip (the graph schedule's residency): what DRAM would send
  // of an input, or receive of a finished output, is copied from or to the resident tensor
  // instead -- the level's own fills and drains stay, nothing crosses DRAM (partial sums still
  // spill there), as schedule/dram_cut.hpp prices it.
  std::array<bool, arch::kOperands> on_chip{};

  // An input element as DRAM holds it (group-local key of sim/spatial_nest.hpp).
  std::int32_t from_tensor(arch::Operand o, std::int64_t key) const {
    const std::int64_t cg = s.C / s.groups, mg = s.M / s.groups;
    if (o == arch::Operand::filter)
      return data->weights.data[static_cast<std::size_t>(group * mg * cg * s.R * s.S + key)];
    const std::int64_t plane = s.H * s.W;
    const std::int64_t n = key / (cg * plane), c = key / plane % cg, hw = key % plane;
    return data->ifmap.data[static_cast<std::size_t>((n * s.C + group * cg + c) * plane + hw)];
  }
  // The value an instance `k` of `t` receives for `key`: from its parent level's copy (the
  // parent's instance k if that level is per PE too, else its one instance), or from DRAM.
  std::int32_t from_parent(const TileTrack& t, std::size_t k, std::int64_t key) {
    if (!t.parent_track) return from_tensor(t.o, key);
    const TileTrack& up = *t.parent_track;
    const std::size_t i = up.per_pe ? k : 0;
    if (const auto v = up.value(i, key)) return *v;
    ++misses;
    return 0;
  }
  // Bits crossing between `t`'s level and its parent, when the parent is DRAM, as the
  // interface moves them (inputs coded; partial sums read back uncoded).
  [[nodiscard]] std::int64_t on_wire(arch::Operand o, std::int64_t bits) const {
    return std::llround(static_cast<double>(bits) * coded[static_cast<std::size_t>(o)]);
  }
  void from_dram(const TileTrack& t, std::int64_t bits) {
    if (t.parent != dram) return;
    now.fill_bits[static_cast<std::size_t>(t.level)] +=
        t.o == arch::Operand::ofmap ? bits : on_wire(t.o, bits);
  }
  // Whether the values `level` sends (an input) or receives (a finished output, `final`) of
  // `o` stay on chip: it is DRAM and the tensor is resident.
  [[nodiscard]] bool resident(int level, arch::Operand o, bool final = true) const {
    return level == dram && on_chip[static_cast<std::size_t>(o)] &&
           (o != arch::Operand::ofmap || final);
  }
  // `n` input elements `t`'s parent sends it: a read there, and a DRAM fill if the parent is
  // DRAM and the tensor does not stay on chip.
  void read_parent(const TileTrack& t, std::int64_t n, int b) {
    if (resident(t.parent, t.o)) return;
    cell(t.parent, t.o).read(n, b);
    from_dram(t, n * b);
  }
  // A drained output `key` that `t`'s parent receives: a write there, and a DRAM write-back if
  // the parent is DRAM and the output does not stay on chip (partial sums always go).
  void write_parent(const TileTrack& t, std::int64_t key, int b) {
    const bool final = macs_done[static_cast<std::size_t>(key)] == taps;
    if (resident(t.parent, t.o, final)) return;
    cell(t.parent, t.o).write(1, b);
    if (t.parent == dram) now.drain_bits += final ? on_wire(arch::Operand::ofmap, b) : b;
  }

  int bits(arch::Operand o) const {
    return o == arch::Operand::ifmap    ? p.activation_bits
           : o == arch::Operand::filter ? p.weight_bits
                                        : p.psum_bits;
  }
  // A drained output leaves as a final value once all its MACs are done.
  int out_bits(std::int64_t key) const {
    return macs_done[static_cast<std::size_t>(key)] == taps ? p.output_bits : p.psum_bits;
  }
  arch::AccessCell& cell(int level, arch::Operand o) { return access.at(level, o); }
  // Every word a PE receives or sends crosses the network once.
  void on_noc(arch::Operand o, std::int64_t elems, std::int64_t total_bits) {
    if (noc < 0) return;
    cell(noc, o).reads += elems;
    cell(noc, o).read_bits += total_bits;
  }

  // Bits of `o` crossing its bus between the shared levels and the PEs (`back_in`: partial
  // sums read back into the array, on their own bus).
  void on_bus(arch::Operand o, std::int64_t bits, bool back_in = false) {
    (back_in ? events.psum_in_bits : events.bus_bits[static_cast<std::size_t>(o)]) +=
        static_cast<double>(bits);
  }
  // `n` words written into a level of `t`: a single-port scratchpad's PE loses a cycle each.
  void written(const TileTrack& t, std::int64_t n) {
    if (!t.single_port) return;
    now.single_port_writes += n;
    events.single_port_writes += static_cast<double>(n);
  }
  void drain(TileTrack& t, TileKeys& held);
  // Partial sums drained by several PEs in one event reach the parent added up.
  void flush_outputs(TileTrack& t);
  // Brings every instance of `t` to the tile its loops need under the outer loops at `outer`.
  void update(TileTrack& t, const Coord& outer);
  // An input instance holding `held` takes `tile`: the elements it lacks (a sliding window) or
  // all of them arrive from the parent, through the network if they cross into the PEs.
  void refill(TileTrack& t, const TileKeys& held);
  // An output instance drains `held` and takes `tile`, reading back the partial sums drained
  // before.
  void swap_outputs(TileTrack& t, TileKeys& held);
  // The end of a group: outputs drain, and every instance of `t` lets go of what it holds.
  void finish(TileTrack& t);
};

// The largest tile one instance of each level holds now, all operands of the level (bits),
// added into `out`.
void add_largest_tiles(const std::vector<TileTrack>& tracks, const LayerRun& run,
                       std::array<std::int64_t, arch::kMaxLevels>& out);

}  // namespace loom::sim
