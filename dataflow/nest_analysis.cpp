// SPDX-License-Identifier: Apache-2.0
#include "dataflow/nest_analysis.hpp"

#include <algorithm>

#include "dataflow/layer_timing.hpp"
#include "dataflow/nest_tiles.hpp"
#include "dataflow/precision.hpp"

namespace loom::dataflow {
namespace {

using arch::Operand;

int operand_bits(Operand o, const ResolvedPrecision& p) {
  return o == Operand::ifmap    ? p.activation_bits
         : o == Operand::filter ? p.weight_bits
                                : p.psum_bits;
}

}  // namespace

DimFactors problem_bounds(const workloads::LayerShape& s) {
  return {s.N, s.M / s.groups, s.C / s.groups, s.P, s.Q, s.R, s.S};
}

namespace {

// Saturating product: mappings come from files, and callers only compare these with limits.
// No division: this runs dozens of times per mapping the search prices.
std::int64_t sat_mul(std::int64_t a, std::int64_t b) {
  constexpr std::int64_t kCap = std::int64_t{1} << 62;
  std::int64_t r = 0;
  return __builtin_mul_overflow(a, b, &r) || r > kCap ? kCap : r;
}

}  // namespace

std::int64_t coverage(const Mapping& m, Dim d) {
  const int i = static_cast<int>(d);
  std::int64_t c = sat_mul(sat_mul(m.spatial_rows[i], m.spatial_cols[i]), m.pe.factors[i]);
  for (const auto& l : m.levels) c = sat_mul(c, l.factors[i]);
  return c;
}

std::string_view check_mapping_shape(const workloads::Layer& layer, const arch::Accelerator& acc,
                                     const Mapping& m) {
  if (m.levels.size() != acc.levels.size()) return "one loop set per memory level";
  for (std::size_t l = 0; l < m.levels.size(); ++l)
    if (acc.levels[l].kind == arch::LevelKind::noc && m.levels[l].factors != kUnitFactors)
      return "no loops at a noc level";
  const DimFactors b = problem_bounds(layer.shape);
  std::int64_t rows = 1, cols = 1;
  for (int d = 0; d < kDims; ++d) {
    for (const auto& l : m.levels)
      if (l.factors[d] < 1) return "factors >= 1";
    if (m.pe.factors[d] < 1 || m.spatial_rows[d] < 1 || m.spatial_cols[d] < 1)
      return "factors >= 1";
    const std::int64_t c = coverage(m, static_cast<Dim>(d));
    if (c < b[d]) return "loops cover every dimension";
    // A dimension covered twice over has a loop with an empty iteration: a wasteful mapping,
    // and the bound that keeps every count inside 64 bits.
    if (c >= 2 * b[d] && c > 1) return "loops cover a dimension less than twice";
    rows = sat_mul(rows, m.spatial_rows[d]);
    cols = sat_mul(cols, m.spatial_cols[d]);
  }
  if (rows > acc.array.rows) return "spatial rows fit the PE array";
  if (cols > acc.array.cols) return "spatial columns fit the PE array";
  return {};
}

namespace {

// One mapping's analysis, phase by phase (analyze_nest runs them in order); each phase reads
// the layer, the nest and what the phases before it counted into `r`.
struct NestAnalysis {
  const workloads::LayerShape& s;
  const arch::Accelerator& acc;
  const Mapping& m;
  const ResolvedPrecision& p;
  const NestOptions& options;
  NestCounts& r;
  const DimFactors bounds = problem_bounds(s);
  const Nest n = build_nest(m, acc);
  const std::int64_t g = s.groups;
  const int levels = static_cast<int>(acc.levels.size());
  const int noc = noc_level(acc);  // counts every word crossing into the PEs; -1: none
  std::array<double, arch::kMaxLevels> tile_bits{};  // all operands' tiles, per level

  void count_compute();
  bool tiles_fit();
  void count_traffic(Operand o);
  void count_fill_waits();
  void count_exposed_dram();

  // One operand's links, as its traffic phase counts them.
  struct OperandLinks {
    Operand o;
    int bits;            // one element
    std::int64_t total;  // distinct elements, all groups
  };
  // Which link a crossing is counted on: between memory levels (the ifmap as the buffers
  // store it) or into the PE array (which reads the view's elements as they are).
  enum class Link : std::uint8_t { memory, array };
  // Forced inline, as they were inside one function before: called a dozen times per mapping
  // the search prices, out of line they cost 1.7% of a spatial evaluation's instructions
  // (callgrind, Eyeriss, AlexNet CONV2).
  [[nodiscard, gnu::always_inline]] std::int64_t into(const OperandLinks& op, const TileQuery& q,
                                                      Link to = Link::memory) const;
  [[gnu::always_inline]] void link(const OperandLinks& op, arch::AccessCell& outer,
                                   arch::AccessCell& inner, std::int64_t at_outer,
                                   std::int64_t at_inner) const;
  void count_noc(const OperandLinks& op, const arch::AccessCell& before,
                 const arch::AccessCell& after);
  // The shared side's accesses for one operand's link with the PEs: inputs it reads out;
  // partial sums it takes in (writes) and sends back (reads, on the psum-in bus).
  void count_bus(const OperandLinks& op, const arch::AccessCell& before,
                 const arch::AccessCell& after) {
    const auto reads = static_cast<double>(after.read_bits - before.read_bits);
    const auto writes = static_cast<double>(after.write_bits - before.write_bits);
    if (op.o == Operand::ofmap) {
      r.events.bus_bits[static_cast<std::size_t>(op.o)] += writes;
      r.events.psum_in_bits += reads;
    } else {
      r.events.bus_bits[static_cast<std::size_t>(op.o)] += reads + writes;
    }
  }
  int count_level_links(const OperandLinks& op);
  void count_array_link(const OperandLinks& op, int innermost);
};

// Compute sets the floor of the cycle count, and fixes the PEs' register accesses.
void NestAnalysis::count_compute() {
  std::int64_t steps = 1, pe_steps = 1;
  for (int i = 0; i < n.count; ++i) {
    if (n.loops[i].level == Nest::kPe)
      pe_steps *= n.loops[i].bound;
    else if (n.loops[i].level != Nest::kSpatial)
      steps *= n.loops[i].bound;
  }
  const std::int64_t mac_steps = steps * pe_steps;
  steps *= fused_cycles(pe_steps, options.macs_per_pe_cycle);
  r.pes_used = 1;
  for (int i = n.spatial_start; i < n.spatial_end; ++i) r.pes_used *= n.loops[i].bound;
  r.compute_steps = g * steps;
  // A pass: one iteration of the shared levels' loops (they all precede the spatial ones).
  r.events.passes = g;
  for (int i = 0; i < n.spatial_start; ++i) r.events.passes *= n.loops[i].bound;
  r.events.pes_used = r.pes_used;
  r.events.psum_chain = psum_chain(m);
  r.pe_operand_accesses = g * mac_steps * r.pes_used;
}

// Capacity first, so that illegal mappings cost only their tile footprints. False (and `r`
// marked invalid) when a tile overflows its level.
bool NestAnalysis::tiles_fit() {
  for (int l = 0; l < levels; ++l) {
    const auto& lvl = acc.levels[l];
    if (lvl.kind != arch::LevelKind::sram || !options.check_capacity) continue;
    double bits = 0;
    for (int oi = 0; oi < arch::kOperands; ++oi) {
      if (!lvl.holds[oi]) continue;
      const auto o = static_cast<Operand>(oi);
      r.tile_elems[l][oi] = footprint(n, n.level_start[l], o, s, bounds);
      bits += static_cast<double>(r.tile_elems[l][oi] * operand_bits(o, p)) *
              (oi == 0 ? options.ifmap_storage_scale : 1.0);
    }
    tile_bits[l] = bits;
    if (!dataflow::tiles_fit(bits, lvl, options.buffering) && r.valid) {
      r.valid = false;
      r.invalid_reason = "tiles fit their buffers";
      r.invalid_level = l;
      return false;  // pruned: a mapping whose tiles overflow a buffer is not costed further
    }
  }
  return true;
}

// Elements crossing into the tile `q` (of level l, or of the PE array below the shared
// levels): per PE for a per-PE level, times the PEs.
inline std::int64_t NestAnalysis::into(const OperandLinks& op, const TileQuery& q, Link to) const {
  std::int64_t v = g * moves(n, op.o, s, bounds, q);
  if (q.per_pe) v *= r.pes_used;
  if (op.o != Operand::ifmap || q.per_pe || to == Link::array) return v;
  if (options.ifmap_tile_sum) {
    // Every tile is fetched `repeats` times; its raw footprint replaces its im2col size.
    const std::int64_t px = bounds[static_cast<int>(Dim::P)];
    const std::int64_t taps = bounds[static_cast<int>(Dim::C)];
    DimFactors u = kUnitFactors;
    for (int i = q.loops.begin; i < n.count; ++i)
      u[static_cast<int>(n.loops[i].dim)] *= n.loops[i].bound;
    const std::int64_t repeats = v / g / (px * taps);
    return g * repeats *
           options.ifmap_tile_sum(std::min(u[static_cast<int>(Dim::P)], px),
                                  std::min(u[static_cast<int>(Dim::C)], taps));
  }
  if (options.ifmap_storage_scale != 1.0)
    v = static_cast<std::int64_t>(static_cast<double>(v) * options.ifmap_storage_scale + 0.5);
  return v;
}

// One link between an outer and an inner side: inputs leave the outer side `at_outer` times
// (once per element when multicast) and arrive `at_inner` times (once per holder); outputs
// drain `at_inner` partial sums that arrive reduced as `at_outer`, and all but the first
// visit of each output are read back.
inline void NestAnalysis::link(const OperandLinks& op, arch::AccessCell& outer,
                               arch::AccessCell& inner, std::int64_t at_outer,
                               std::int64_t at_inner) const {
  count_link(op.o, op.total, op.bits, p, outer, inner, at_outer, at_inner);
}

// Every word a PE receives from the network or sends into it, on the link that crosses into
// the PEs: one NoC transfer each (the multicast fan-out and partial sums passed between PEs
// included).
void NestAnalysis::count_noc(const OperandLinks& op, const arch::AccessCell& before,
                             const arch::AccessCell& after) {
  if (noc < 0) return;
  r.access.at(noc, op.o).read(after.reads + after.writes - before.reads - before.writes, 0);
  r.access.at(noc, op.o).read_bits +=
      after.read_bits + after.write_bits - before.read_bits - before.write_bits;
}

// The links down the chain of levels holding the operand, outermost first. Returns the
// innermost level holding it.
int NestAnalysis::count_level_links(const OperandLinks& op) {
  const Operand o = op.o;
  int parent = -1;
  for (int l = 0; l < levels; ++l) {
    if (!acc.levels[l].holds_operand(o)) continue;
    const bool per_pe = acc.levels[l].per_pe;
    if (parent >= 0) {
      const bool crossing = per_pe && !acc.levels[parent].per_pe;
      const bool sliding = acc.levels[l].sliding_window;
      const LoopRange tile{n.level_start[l], n.count};
      // Crossing into the PEs, the shared side sends each element once (multicast) and
      // receives reduced partial sums; every PE holds and drains its own copy.
      const std::int64_t inner_side =
          into(op, {.loops = tile, .per_pe = per_pe, .sliding = sliding});
      // The shared side sends what the level's refills need across the array, each
      // distinct element once (multicast): the tile is the spatial loops plus the level's
      // own and inner loops, so loops of outer per-PE levels evict it (they refill it).
      // A sliding window shifts in only new columns, so only those are sent.
      const std::int64_t outer_side =
          crossing
              ? into(op,
                     {.loops = tile, .also = {n.spatial_start, n.spatial_end}, .sliding = sliding})
              : inner_side;
      const arch::AccessCell before = r.access.at(l, o);
      const arch::AccessCell parent_before = r.access.at(parent, o);
      link(op, r.access.at(parent, o), r.access.at(l, o), outer_side, inner_side);
      if (crossing) {
        count_noc(op, before, r.access.at(l, o));
        count_bus(op, parent_before, r.access.at(parent, o));
        // Every partial sum a PE drains but one per output reaches a neighbour, and every
        // read-back one comes in from the buffer: each is added by a PE's datapath.
        if (o == Operand::ofmap)
          r.events.psums_received +=
              static_cast<double>(std::max<std::int64_t>(0, inner_side - op.total));
      }
      if (acc.levels[l].single_port)
        r.events.single_port_writes +=
            static_cast<double>(r.access.at(l, o).writes - before.writes);
    }
    parent = l;
  }
  return parent;
}

// Below the innermost level holding the operand: the PEs' own reads, or the link into the
// array.
void NestAnalysis::count_array_link(const OperandLinks& op, int innermost) {
  const Operand o = op.o;
  const auto oi = static_cast<int>(o);
  if (acc.levels[innermost].per_pe) {
    // Every MAC reads its operands from the innermost per-PE level; outputs accumulate there.
    r.array_moves[oi] = r.pe_operand_accesses;
    r.access.at(innermost, o).read(r.pe_operand_accesses, op.bits);
    if (o == Operand::ofmap) r.access.at(innermost, o).write(r.pe_operand_accesses, p.psum_bits);
    return;
  }
  // The PE array exchanges data with the innermost level holding the operand. An operand the
  // PEs keep is reused across the PE loops; one they only pass along (a systolic array's
  // streamed operands) is delivered afresh at every step.
  const bool kept = m.pe_keeps[oi];
  const std::int64_t array =
      into(op, {.loops = {n.spatial_start, kept ? n.count : n.spatial_end}, .stream = !kept},
           Link::array);
  r.array_moves[oi] = array;
  arch::AccessCell pe;  // the array side is not a memory level
  const arch::AccessCell before = r.access.at(innermost, o);
  link(op, r.access.at(innermost, o), pe, array, array);
  count_bus(op, before, r.access.at(innermost, o));
  if (kept) {
    count_noc(op, arch::AccessCell{}, pe);
  } else if (noc >= 0) {
    // Streamed through the PEs: every MAC takes its operand from the network (an input
    // multicast to it, or a partial sum passed on to the next PE or back to the buffer).
    const int word = o == Operand::ofmap ? p.psum_bits : op.bits;
    r.access.at(noc, o).read(r.pe_operand_accesses, word);
  }
}

// Elements each operand moves between the levels holding it and into the PE array.
void NestAnalysis::count_traffic(Operand o) {
  const OperandLinks op{o, operand_bits(o, p), g * footprint(n, 0, o, s, bounds)};
  count_array_link(op, count_level_links(op));
}

// A level's transfers hide behind compute only as far as the buffers it fills have room to
// prefetch: a child buffer of B bits holding tiles of T bits, T_in of them inputs this level
// fills, has B − T free, so a share (B − T) / T_in of the next inputs arrives during compute
// and the rest waits for the current tile to retire. Outputs stream out as they complete.
// Inputs at most half of a buffer's room are fully hidden (double buffering); a buffer
// filled to the brim serializes its fills with compute.
void NestAnalysis::count_fill_waits() {
  for (int l = 0; l < levels; ++l) {
    const double bw = acc.levels[l].bandwidth_bytes_per_cycle;
    if (bw <= 0) continue;
    std::array<double, arch::kMaxLevels> fill_bits{};
    for (int oi = 0; oi < arch::kOperands && options.check_capacity; ++oi) {
      if (oi == static_cast<int>(Operand::ofmap)) continue;
      if (!acc.levels[l].holds[oi] && acc.levels[l].kind != arch::LevelKind::dram) continue;
      for (int c = l + 1; c < levels; ++c) {
        const auto& child = acc.levels[c];
        if (child.kind != arch::LevelKind::sram || !child.holds[oi]) continue;
        fill_bits[c] +=
            static_cast<double>(r.tile_elems[c][oi] * operand_bits(static_cast<Operand>(oi), p)) *
            (oi == 0 ? options.ifmap_storage_scale : 1.0);
        break;
      }
    }
    double waiting = 0;
    for (int c = l + 1; c < levels; ++c) {
      if (fill_bits[c] <= 0) continue;
      const double free_bits = static_cast<double>(acc.levels[c].size_bytes) * 8.0 - tile_bits[c];
      waiting = std::max(waiting, std::clamp(1.0 - free_bits / fill_bits[c], 0.0, 1.0));
    }
    r.fill_wait[l] = waiting;
  }
}

// The first input tiles and the last output tile at the levels DRAM feeds: no prefetch hides
// them.
void NestAnalysis::count_exposed_dram() {
  const int dram = acc.dram_level();
  for (int oi = 0; oi < arch::kOperands; ++oi) {
    const auto o = static_cast<Operand>(oi);
    for (int c = dram + 1; c < levels; ++c) {
      const auto& child = acc.levels[c];
      if (child.kind != arch::LevelKind::sram || !child.holds[oi]) continue;
      const int from = child.per_pe ? n.spatial_start : n.level_start[c];
      const auto elems = static_cast<double>(footprint(n, from, o, s, bounds));
      if (o == Operand::ofmap)
        r.exposed_output_bits = elems * p.output_bits;
      else
        r.exposed_input_bits +=
            elems * operand_bits(o, p) * (oi == 0 ? options.ifmap_storage_scale : 1.0);
      break;
    }
  }
}

}  // namespace

NestCounts analyze_nest(const workloads::Layer& layer, const arch::Accelerator& acc,
                        const Mapping& m, const ResolvedPrecision& p, const NestOptions& options) {
  NestCounts r;
  r.access.levels = static_cast<int>(acc.levels.size());
  NestAnalysis a{layer.shape, acc, m, p, options, r};
  a.count_compute();
  if (!a.tiles_fit()) return r;
  for (int oi = 0; oi < arch::kOperands; ++oi) a.count_traffic(static_cast<Operand>(oi));
  a.count_fill_waits();
  if (options.count_exposed) a.count_exposed_dram();
  r.overheads = array_overheads(acc, r.events);
  r.total_cycles = nest_total_cycles(acc, r.compute_steps, r.access, r.fill_wait,
                                     {r.exposed_input_bits, r.exposed_output_bits}, r.overheads);
  return r;
}

}  // namespace loom::dataflow
