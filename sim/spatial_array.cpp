// SPDX-License-Identifier: Apache-2.0
#include "sim/spatial_array.hpp"

#include <algorithm>
#include <cmath>
#include <optional>

#include "core/error.hpp"
#include "dataflow/nest_analysis.hpp"
#include "dataflow/sparsity.hpp"
#include "dataflow/systolic.hpp"
#include "sim/golden.hpp"
#include "sim/spatial_nest.hpp"

namespace loom::sim {
namespace {

using arch::Operand;
using dataflow::Dim;
using Keys = std::vector<std::int64_t>;

void sort_unique(Keys& k) {
  std::sort(k.begin(), k.end());
  k.erase(std::unique(k.begin(), k.end()), k.end());
}

// A level below the outermost holding an operand: the tile each instance holds, and the level
// its tiles come from (the next one outward holding the operand).
struct Track {
  int level = 0, parent = 0;
  Operand o = Operand::ifmap;
  bool per_pe = false, crossing = false, sliding = false;
  std::vector<Keys> held;   // per instance (per PE, or one for a shared level)
  // Inputs: the values held, beside their keys; they come from the parent's copy (or DRAM).
  // A per-PE level keeps them beside its (small) sorted keys; a shared level, whose tiles are
  // large and looked up by every refill below it, in a table over the operand's elements,
  // tagged with the refill that wrote them.
  std::vector<std::vector<std::int32_t>> values;
  std::vector<std::int32_t> table, table_tag;
  std::int32_t tag = 0;
  const Track* parent_track = nullptr;  // the level the values come from; null: DRAM
  std::vector<char> drained;  // outputs whose partial sums left this level before

  // The value instance `k` holds for `key`, or nullopt.
  [[nodiscard]] std::optional<std::int32_t> value(std::size_t k, std::int64_t key) const {
    if (!per_pe) {
      const auto i = static_cast<std::size_t>(key);
      if (table_tag[i] != tag) return std::nullopt;
      return table[i];
    }
    const Keys& h = held[k];
    const auto it = std::lower_bound(h.begin(), h.end(), key);
    if (it == h.end() || *it != key) return std::nullopt;
    return values[k][static_cast<std::size_t>(it - h.begin())];
  }
  // Instance k now holds `tile`: kept values stay, the others come from `arrive(key)`.
  template <class Arrive>
  void store(std::size_t k, const Keys& tile, Arrive arrive) {
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

// The state of one layer's run, group by group.
struct Run {
  const workloads::LayerShape& s;
  const SpatialNest& nest;
  dataflow::DimFactors bounds;
  dataflow::ResolvedPrecision p;
  arch::AccessCounts& access;
  int noc = -1;
  std::vector<Coord> pe_base;  // each PE's spatial contribution to its coordinate
  std::vector<std::int64_t> macs_done;  // per group-local output
  std::int64_t taps = 0;                // MACs that complete one output
  Keys tile, moved, event, readback;
  int dram = -1;                        // the outermost level: DRAM
  const LayerData* data = nullptr;      // what DRAM holds
  std::int64_t group = 0;               // the group being run
  std::int64_t misses = 0;              // values a level needed but its parent did not hold
  // Size on the DRAM interface relative to dense, per operand (finished outputs for ofmap;
  // partial sums cross uncoded): the interface's coding at each tensor's density.
  std::array<double, arch::kOperands> coded{1.0, 1.0, 1.0};

  // An input element as DRAM holds it (group-local key of sim/spatial_nest.hpp).
  std::int32_t from_tensor(Operand o, std::int64_t key) const {
    const std::int64_t cg = s.C / s.groups, mg = s.M / s.groups;
    if (o == Operand::filter)
      return data->weights.data[static_cast<std::size_t>(group * mg * cg * s.R * s.S + key)];
    const std::int64_t plane = s.H * s.W;
    const std::int64_t n = key / (cg * plane), c = key / plane % cg, hw = key % plane;
    return data->ifmap.data[static_cast<std::size_t>((n * s.C + group * cg + c) * plane + hw)];
  }
  // The value an instance `k` of `t` receives for `key`: from its parent level's copy (the
  // parent's instance k if that level is per PE too, else its one instance), or from DRAM.
  std::int32_t from_parent(const Track& t, std::size_t k, std::int64_t key) {
    if (!t.parent_track) return from_tensor(t.o, key);
    const Track& up = *t.parent_track;
    const std::size_t i = up.per_pe ? k : 0;
    if (const auto v = up.value(i, key)) return *v;
    ++misses;
    return 0;
  }
  SpatialCycle now;                     // DRAM traffic of the cycle being run

  // Bits crossing between `t`'s level and its parent, when the parent is DRAM, as the
  // interface moves them (inputs coded; partial sums read back uncoded).
  [[nodiscard]] std::int64_t on_wire(Operand o, std::int64_t bits) const {
    return std::llround(static_cast<double>(bits) * coded[static_cast<std::size_t>(o)]);
  }
  void from_dram(const Track& t, std::int64_t bits) {
    if (t.parent != dram) return;
    now.fill_bits[static_cast<std::size_t>(t.level)] +=
        t.o == Operand::ofmap ? bits : on_wire(t.o, bits);
  }
  void to_dram(const Track& t, std::int64_t key, int bits) {
    if (t.parent != dram) return;
    const bool final = macs_done[static_cast<std::size_t>(key)] == taps;
    now.drain_bits += final ? on_wire(Operand::ofmap, bits) : bits;
  }

  int bits(Operand o) const {
    return o == Operand::ifmap ? p.activation_bits
                               : o == Operand::filter ? p.weight_bits : p.psum_bits;
  }
  // A drained output leaves as a final value once all its MACs are done.
  int out_bits(std::int64_t key) const {
    return macs_done[static_cast<std::size_t>(key)] == taps ? p.output_bits : p.psum_bits;
  }
  arch::AccessCell& cell(int level, Operand o) { return access.at(level, o); }
  // Every word a PE receives or sends crosses the network once.
  void on_noc(Operand o, std::int64_t elems, std::int64_t total_bits) {
    if (noc < 0) return;
    cell(noc, o).reads += elems;
    cell(noc, o).read_bits += total_bits;
  }

  void drain(Track& t, Keys& held) {
    for (std::int64_t key : held) {
      const int b = out_bits(key);
      cell(t.level, t.o).read(1, b);
      t.drained[static_cast<std::size_t>(key)] = 1;
      if (t.crossing) {
        event.push_back(key);
        on_noc(t.o, 1, b);
      } else {
        cell(t.parent, t.o).write(1, b);
        to_dram(t, key, b);
      }
    }
    held.clear();
  }

  // Partial sums drained by several PEs in one event reach the parent added up.
  void flush_outputs(Track& t) {
    if (!t.crossing) return;
    sort_unique(event);
    for (std::int64_t key : event) {
      cell(t.parent, t.o).write(1, out_bits(key));
      to_dram(t, key, out_bits(key));
    }
    sort_unique(readback);
    const auto n = static_cast<std::int64_t>(readback.size());
    cell(t.parent, t.o).read(n, p.psum_bits);
    from_dram(t, n * p.psum_bits);
    cell(t.level, t.o).write(n, p.psum_bits);
    on_noc(t.o, n, n * p.psum_bits);
  }

  // Brings every instance of `t` to the tile its loops need under the outer loops at `outer`.
  void update(Track& t, const Coord& outer) {
    event.clear();
    readback.clear();
    const int b = bits(t.o);
    for (std::size_t k = 0; k < t.held.size(); ++k) {
      Coord base = outer;
      if (t.per_pe)
        for (int d = 0; d < dataflow::kDims; ++d) base[d] += pe_base[k][d];
      tile_elements(nest, nest.level_start[static_cast<std::size_t>(t.level)], base, t.o, s,
                    bounds, tile);
      Keys& held = t.held[k];
      if (tile.empty() || tile == held) continue;  // idle instances keep what they hold
      if (t.o != Operand::ofmap) {
        moved.clear();
        if (t.sliding && t.o == Operand::ifmap)
          std::set_difference(tile.begin(), tile.end(), held.begin(), held.end(),
                              std::back_inserter(moved));
        else
          moved = tile;
        const auto n = static_cast<std::int64_t>(moved.size());
        cell(t.level, t.o).write(n, b);
        if (t.parent == dram) {
          auto& inst = now.instance_fill[static_cast<std::size_t>(t.level)];
          inst = std::max(inst, on_wire(t.o, n * b));
        }
        if (t.crossing) {
          event.insert(event.end(), moved.begin(), moved.end());
          on_noc(t.o, n, n * b);
        } else {
          cell(t.parent, t.o).read(n, b);
          from_dram(t, n * b);
        }
      } else {
        drain(t, held);
        for (std::int64_t key : tile) {
          if (!t.drained[static_cast<std::size_t>(key)]) continue;
          if (t.crossing) {
            readback.push_back(key);
          } else {
            cell(t.parent, t.o).read(1, p.psum_bits);
            cell(t.level, t.o).write(1, p.psum_bits);
            from_dram(t, p.psum_bits);
          }
        }
      }
      if (t.o != Operand::ofmap)
        t.store(k, tile, [&](std::int64_t key) { return from_parent(t, k, key); });
      held = tile;
    }
    if (t.o == Operand::ofmap) {
      flush_outputs(t);
    } else if (t.crossing) {
      sort_unique(event);  // multicast: each distinct element leaves the parent once
      cell(t.parent, t.o).read(static_cast<std::int64_t>(event.size()), b);
      from_dram(t, static_cast<std::int64_t>(event.size()) * b);
    }
  }

  void finish(Track& t) {
    event.clear();
    readback.clear();
    if (t.o == Operand::ofmap)
      for (auto& held : t.held) drain(t, held);
    if (t.o == Operand::ofmap) flush_outputs(t);
    for (auto& held : t.held) held.clear();
    for (auto& v : t.values) v.clear();
    ++t.tag;  // a shared level's table no longer holds anything
  }
};

// The largest tile one instance of each level holds now, all operands of the level (bits).
void tile_bits(const std::vector<Track>& tracks, const Run& run,
               std::array<std::int64_t, arch::kMaxLevels>& out) {
  for (const auto& t : tracks) {
    std::size_t largest = 0;
    for (const auto& h : t.held) largest = std::max(largest, h.size());
    out[static_cast<std::size_t>(t.level)] +=
        static_cast<std::int64_t>(largest) * run.bits(t.o);
  }
}

}  // namespace

bool SpatialCycle::touches_dram() const {
  if (drain_bits > 0) return true;
  for (auto b : fill_bits)
    if (b > 0) return true;
  return false;
}

SpatialArrayResult simulate_spatial_array(const workloads::Layer& layer,
                                          const arch::Accelerator& acc,
                                          const dataflow::Mapping& m, const LayerData& data,
                                          SpatialCycleObserver* observer, PeModel* pe) {
  const auto& s = layer.shape;
  if (arch::dataflow_info(acc.dataflow).family != arch::DataflowFamily::spatial)
    throw Error("layer '" + layer.name + "': the spatial-array simulator runs spatial dataflows, "
                "not " + std::string(arch::dataflow_info(acc.dataflow).name));
  if (const auto why = dataflow::check_mapping_shape(layer, acc, m); !why.empty())
    throw Error("layer '" + layer.name + "': malformed mapping: " + std::string(why));
  check_layer_shape(s);
  if (data.ifmap.dims != ifmap_dims(s) || data.weights.dims != weight_dims(s))
    throw Error("layer '" + layer.name + "': the data does not have the layer's tensor shapes");

  const SpatialNest nest = spatial_nest(m, acc);
  SpatialArrayResult out;
  out.access.levels = static_cast<int>(acc.levels.size());
  Run run{s, nest, dataflow::problem_bounds(s), dataflow::resolve_precision(layer, acc),
          out.access};
  const auto& bounds = run.bounds;
  const std::int64_t g = s.groups, cg = bounds[2], mg = bounds[1];
  run.taps = cg * s.R * s.S;
  for (int l = 0; l < static_cast<int>(acc.levels.size()); ++l)
    if (acc.levels[l].kind == arch::LevelKind::noc) run.noc = l;
  run.dram = acc.dram_level();
  // A coded DRAM interface (dataflow/sparsity.hpp) codes the ifmap at the data's own density
  // (the simulated row is priced at it too, simulate/simulate_network.hpp), the weights and
  // finished outputs at the layer's declared densities (the simulated outputs are taken before
  // any activation function).
  if (const auto c = acc.levels[static_cast<std::size_t>(run.dram)].compression;
      c != arch::MemoryLevel::Compression::none) {
    const double zero = static_cast<double>(zero_ifmap_macs(s, data)) /
                        static_cast<double>(std::max<std::int64_t>(1, layer.macs()));
    const auto& p = run.p;
    run.coded = {dataflow::coded_ratio(c, std::max(1e-6, 1.0 - zero), p.activation_bits),
                 dataflow::coded_ratio(c, layer.density.weight, p.weight_bits),
                 dataflow::coded_ratio(c, layer.density.ofmap, p.output_bits)};
  }

  // The PEs: every combination of the spatial loops' indices.
  run.pe_base.assign(1, Coord{});
  for (int i = nest.spatial_start; i < nest.spatial_end; ++i) {
    const NestLoop& l = nest.loops[static_cast<std::size_t>(i)];
    std::vector<Coord> next;
    for (const Coord& c : run.pe_base)
      for (std::int64_t v = 0; v < l.bound; ++v) {
        Coord e = c;
        e[static_cast<int>(l.dim)] += v * l.stride;
        next.push_back(e);
      }
    run.pe_base = std::move(next);
  }
  const auto pes = static_cast<std::int64_t>(run.pe_base.size());
  out.pes_used = pes;

  // Per operand: the tracked levels, and the innermost per-PE level (or the shared level it
  // streams from when no PE keeps it).
  const std::int64_t out_keys = s.N * mg * s.P * s.Q;
  std::vector<Track> tracks;
  std::array<int, arch::kOperands> innermost{-1, -1, -1};
  std::array<bool, arch::kOperands> streamed{};
  for (int oi = 0; oi < arch::kOperands; ++oi) {
    const auto o = static_cast<Operand>(oi);
    int parent = -1;
    for (int l = 0; l < static_cast<int>(acc.levels.size()); ++l) {
      const auto& lvl = acc.levels[l];
      if (!lvl.holds_operand(o)) continue;
      if (parent >= 0) {
        Track t;
        t.level = l;
        t.parent = parent;
        t.o = o;
        t.per_pe = lvl.per_pe;
        t.crossing = lvl.per_pe && !acc.levels[parent].per_pe;
        t.sliding = lvl.sliding_window;
        t.held.resize(static_cast<std::size_t>(lvl.per_pe ? pes : 1));
        t.values.resize(t.held.size());
        if (!t.per_pe && o != Operand::ofmap) {
          const std::int64_t elements =
              o == Operand::ifmap ? s.N * cg * s.H * s.W : mg * cg * s.R * s.S;
          t.table.assign(static_cast<std::size_t>(elements), 0);
          t.table_tag.assign(static_cast<std::size_t>(elements), -1);
        }
        tracks.push_back(std::move(t));
      }
      parent = l;
    }
    innermost[oi] = parent;
    streamed[oi] = parent >= 0 && !acc.levels[parent].per_pe;
  }

  // Each input level's values come from the level outside it holding the operand (tracks are
  // in level order per operand); the innermost holder is where the PEs read it.
  std::array<const Track*, arch::kOperands> source{};
  for (auto& t : tracks) {
    for (const auto& p : tracks)
      if (p.o == t.o && p.level == t.parent) t.parent_track = &p;
    source[static_cast<std::size_t>(t.o)] = &t;
  }
  run.data = &data;

  std::vector<int> temporal;
  for (int i = 0; i < static_cast<int>(nest.loops.size()); ++i)
    if (nest.loops[static_cast<std::size_t>(i)].level != kSpatialLoop) temporal.push_back(i);

  // The PEs' arithmetic (sim/pe_model.hpp): each active PE multiplies its operands and keeps
  // the product's window; the windowed products add up per output at partial-sum width (the
  // psum scratchpads and the local links between PEs), exact in any order.
  const auto& spec = acc.array.pe;
  const int psum_width = spec.psum_bits > 0 ? spec.psum_bits : spec.accumulator_bits;
  CppPe own_pe;
  PeModel& pe_model = pe ? *pe : own_pe;
  pe_model.reset(static_cast<std::size_t>(pes),
                 {.mode = PeMode::direct, .accumulator_bits = psum_width,
                  .product_shift = spec.product_shift});
  std::vector<PeIn> pe_in(static_cast<std::size_t>(pes));
  std::vector<PeOut> pe_out(static_cast<std::size_t>(pes));
  std::vector<std::int64_t> pe_target(static_cast<std::size_t>(pes), -1);
  std::vector<std::uint64_t> sums(static_cast<std::size_t>(s.N * s.M * s.P * s.Q), 0);
  const Tensor4 shape_only = Tensor4{ofmap_dims(s), {}};
  std::vector<char> written;  // streamed outputs that reached the shared level before
  std::array<Keys, arch::kOperands> cycle_keys;
  // An input operand as a PE reads it: from the innermost level holding it (the PE's own
  // scratchpad, or the shared level it streams from), or straight from DRAM if none does.
  const auto operand = [&](Operand o, std::size_t pe_index, const Coord& c) -> std::int64_t {
    const std::int64_t key = operand_key(o, c, s);
    if (key < 0) return 0;  // zero padding: generated, never stored
    const Track* t = source[static_cast<std::size_t>(o)];
    if (!t) return run.from_tensor(o, key);
    const std::size_t i = t->per_pe ? pe_index : 0;
    if (const auto v = t->value(i, key)) return *v;
    ++run.misses;
    return 0;
  };
  for (std::int64_t gi = 0; gi < g; ++gi) {
    run.group = gi;
    run.macs_done.assign(static_cast<std::size_t>(out_keys), 0);
    written.assign(static_cast<std::size_t>(out_keys), 0);
    for (auto& t : tracks)
      if (t.o == Operand::ofmap) t.drained.assign(static_cast<std::size_t>(out_keys), 0);
    std::vector<std::int64_t> idx(nest.loops.size(), 0);
    int changed_from = 0;
    bool first = true;
    while (true) {
      run.now = SpatialCycle{};
      run.now.cycle = out.cycles;
      // Tiles first: fills and drains happen before this cycle's MACs.
      for (auto& t : tracks) {
        const int start = nest.level_start[static_cast<std::size_t>(t.level)];
        if (!first && changed_from >= start) continue;  // only inner loops moved
        Coord outer{};
        for (int i : temporal)
          if (i < start)
            outer[static_cast<int>(nest.loops[static_cast<std::size_t>(i)].dim)] +=
                idx[static_cast<std::size_t>(i)] * nest.loops[static_cast<std::size_t>(i)].stride;
        run.update(t, outer);
      }
      Coord now{};
      for (int i : temporal)
        now[static_cast<int>(nest.loops[static_cast<std::size_t>(i)].dim)] +=
            idx[static_cast<std::size_t>(i)] * nest.loops[static_cast<std::size_t>(i)].stride;
      for (auto& k : cycle_keys) k.clear();
      std::int64_t cycle_macs = 0;
      for (std::size_t pi = 0; pi < run.pe_base.size(); ++pi) {
        const Coord& base = run.pe_base[pi];
        Coord c = now;
        for (int d = 0; d < dataflow::kDims; ++d) c[d] += base[d];
        pe_in[pi].mac = inside(c, bounds);
        pe_target[pi] = -1;
        if (!pe_in[pi].mac) continue;
        const auto at = [&](Dim d) { return c[static_cast<int>(d)]; };
        pe_in[pi].a = static_cast<std::int32_t>(operand(Operand::ifmap, pi, c));
        pe_in[pi].b = static_cast<std::int32_t>(operand(Operand::filter, pi, c));
        pe_target[pi] =
            shape_only.offset(at(Dim::N), gi * mg + at(Dim::M), at(Dim::P), at(Dim::Q));
        ++run.macs_done[static_cast<std::size_t>(operand_key(Operand::ofmap, c, s))];
        ++cycle_macs;
        for (int oi = 0; oi < arch::kOperands; ++oi)
          if (streamed[oi])
            if (const auto k = operand_key(static_cast<Operand>(oi), c, s); k >= 0)
              cycle_keys[oi].push_back(k);
      }
      pe_model.clock(pe_in, pe_out);
      for (std::size_t pi = 0; pi < pe_target.size(); ++pi)
        if (pe_target[pi] >= 0)
          sums[static_cast<std::size_t>(pe_target[pi])] +=
              static_cast<std::uint64_t>(pe_out[pi].psum);
      out.macs += cycle_macs;
      ++out.cycles;
      if (observer) {
        run.now.macs = cycle_macs;
        if (run.now.touches_dram()) tile_bits(tracks, run, run.now.tile_bits);
        observer->cycle_done(run.now);
      }
      for (int oi = 0; oi < arch::kOperands; ++oi) {
        const auto o = static_cast<Operand>(oi);
        arch::AccessCell& inner = out.access.at(innermost[oi], o);
        if (!streamed[oi]) {
          // Every MAC reads its operands from the innermost per-PE level; psums accumulate there.
          inner.read(cycle_macs, run.bits(o));
          if (o == Operand::ofmap) inner.write(cycle_macs, run.p.psum_bits);
          continue;
        }
        // Streamed through the PEs: the shared level sends this cycle's distinct inputs and
        // takes its distinct (spatially added) partial sums, reading back those it had.
        run.on_noc(o, cycle_macs, cycle_macs * run.bits(o));
        sort_unique(cycle_keys[oi]);
        if (o != Operand::ofmap) {
          inner.read(static_cast<std::int64_t>(cycle_keys[oi].size()), run.bits(o));
          continue;
        }
        for (std::int64_t key : cycle_keys[oi]) {
          auto& seen = written[static_cast<std::size_t>(key)];
          if (seen) inner.read(1, run.p.psum_bits);
          inner.write(1, run.out_bits(key));
          seen = 1;
        }
      }
      // Next iteration of the temporal loops, innermost fastest.
      std::size_t j = temporal.size();
      while (j-- > 0) {
        const auto i = static_cast<std::size_t>(temporal[j]);
        if (++idx[i] < nest.loops[i].bound) break;
        idx[i] = 0;
      }
      if (j == static_cast<std::size_t>(-1)) break;
      changed_from = temporal[j];
      first = false;
    }
    run.now = SpatialCycle{};
    run.now.cycle = out.cycles;
    for (auto& t : tracks) run.finish(t);
    if (observer && run.now.touches_dram()) observer->cycle_done(run.now);
  }

  OutputFormat format;
  format.accumulator_bits = psum_width;
  format.product_shift = spec.product_shift;
  out.ofmap = Tensor4::zeros(ofmap_dims(s));
  for (std::size_t i = 0; i < sums.size(); ++i)
    out.ofmap.data[i] = format_output(static_cast<std::int64_t>(sums[i]), format);
  out.misses = run.misses;
  const Tensor4 golden = golden_conv(s, data, format);
  out.elements_checked = golden.size();
  for (std::size_t i = 0; i < golden.data.size(); ++i)
    out.mismatches += golden.data[i] != out.ofmap.data[i] ? 1 : 0;
  return out;
}

}  // namespace loom::sim
