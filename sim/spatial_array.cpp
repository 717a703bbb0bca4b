// SPDX-License-Identifier: Apache-2.0
#include "sim/spatial_array.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "dataflow/nest_analysis.hpp"
#include "dataflow/sparsity.hpp"
#include "dataflow/systolic.hpp"
#include "sim/golden.hpp"
#include "sim/spatial_tiles.hpp"

namespace loom::sim {
namespace {

using arch::Operand;
using dataflow::Dim;

// What the simulator accepts, checked before anything is built.
void check_inputs(const workloads::Layer& layer, const arch::Accelerator& acc,
                  const dataflow::Mapping& m, const LayerData& data) {
  if (arch::dataflow_info(acc.dataflow).family != arch::DataflowFamily::spatial)
    throw Error("layer '" + layer.name +
                "': the spatial-array simulator runs spatial dataflows, "
                "not " +
                std::string(arch::dataflow_info(acc.dataflow).name));
  if (const auto why = dataflow::check_mapping_shape(layer, acc, m); !why.empty())
    throw Error("layer '" + layer.name + "': malformed mapping: " + std::string(why));
  check_layer_shape(layer.shape);
  if (data.ifmap.dims != ifmap_dims(layer.shape) || data.weights.dims != weight_dims(layer.shape))
    throw Error("layer '" + layer.name + "': the data does not have the layer's tensor shapes");
}

// A coded DRAM interface (dataflow/sparsity.hpp) codes the ifmap at the data's own density
// (the simulated row is priced at it too, simulate/simulate_network.hpp), the weights and
// finished outputs at the layer's declared densities (the simulated outputs are taken before
// any activation function). Sizes relative to dense, per operand.
std::array<double, arch::kOperands> dram_coding(const workloads::Layer& layer,
                                                const arch::Accelerator& acc, const LayerData& data,
                                                const dataflow::ResolvedPrecision& p) {
  const auto c = acc.levels[static_cast<std::size_t>(acc.dram_level())].compression;
  if (c == arch::MemoryLevel::Compression::none) return {1.0, 1.0, 1.0};
  const double zero = static_cast<double>(zero_ifmap_macs(layer.shape, data)) /
                      static_cast<double>(std::max<std::int64_t>(1, layer.macs()));
  return {dataflow::coded_ratio(c, std::max(1e-6, 1.0 - zero), p.activation_bits),
          dataflow::coded_ratio(c, layer.filter_density(), p.weight_bits),
          dataflow::coded_ratio(c, layer.density.ofmap, p.output_bits)};
}

// The PEs: every combination of the spatial loops' indices, as each PE's offset to the
// coordinate the temporal loops reach.
std::vector<Coord> pe_offsets(const SpatialNest& nest) {
  std::vector<Coord> pe_base(1, Coord{});
  for (int i = nest.spatial_start; i < nest.spatial_end; ++i) {
    const NestLoop& l = nest.loops[static_cast<std::size_t>(i)];
    std::vector<Coord> next;
    for (const Coord& c : pe_base)
      for (std::int64_t v = 0; v < l.bound; ++v) {
        Coord e = c;
        e[static_cast<int>(l.dim)] += v * l.stride;
        next.push_back(e);
      }
    pe_base = std::move(next);
  }
  return pe_base;
}

// The coordinate the temporal loops at positions `loops` reach at indices `idx`.
Coord temporal_coord(const SpatialNest& nest, const std::vector<int>& loops,
                     const std::vector<std::int64_t>& idx, int before = -1) {
  Coord c{};
  for (int i : loops) {
    if (before >= 0 && i >= before) continue;
    const NestLoop& l = nest.loops[static_cast<std::size_t>(i)];
    c[static_cast<int>(l.dim)] += idx[static_cast<std::size_t>(i)] * l.stride;
  }
  return c;
}

}  // namespace

bool SpatialCycle::touches_dram() const {
  if (drain_bits > 0) return true;
  for (auto b : fill_bits)
    if (b > 0) return true;
  return false;
}

// One layer's run: built by the constructor's phases, advanced one event per step.
struct SpatialArray::State {
  const workloads::Layer& layer;
  const arch::Accelerator& acc;
  const LayerData& data;
  const workloads::LayerShape& s = layer.shape;
  const SpatialNest nest;
  SpatialArrayResult out;
  LayerRun run;
  // Per operand: the tracked levels, and the innermost per-PE level (or the shared level it
  // streams from when no PE keeps it).
  std::vector<TileTrack> tracks;
  std::array<int, arch::kOperands> innermost{-1, -1, -1};
  std::array<bool, arch::kOperands> streamed{};
  std::array<const TileTrack*, arch::kOperands> source{};  // where the PEs read each input
  std::vector<int> temporal;                               // positions of the temporal loops
  // The PEs' arithmetic (sim/pe_model.hpp).
  int psum_width = 0;
  CppPe own_pe;
  PeModel& pe_model;
  std::vector<PeIn> pe_in;
  std::vector<PeOut> pe_out;
  std::vector<std::int64_t> pe_target;  // the output each PE's MAC adds to; -1: none
  std::vector<std::uint64_t> sums;      // per output, all groups
  const Tensor4 shape_only = Tensor4{ofmap_dims(s), {}};
  std::vector<char> written;  // streamed outputs that reached the shared level before
  std::array<TileKeys, arch::kOperands> cycle_keys;
  // Where the run is: the group, the temporal loops' indices, the outermost loop that moved.
  std::int64_t group = 0;
  bool in_group = false;
  std::vector<std::int64_t> idx;
  int changed_from = 0;
  bool first = true;

  State(const workloads::Layer& l, const arch::Accelerator& a, const dataflow::Mapping& m,
        const LayerData& d, PeModel* pe, const OnChip& on_chip)
      : layer(l),
        acc(a),
        data(d),
        nest(spatial_nest(m, a)),
        run{s, nest, dataflow::problem_bounds(s), dataflow::resolve_precision(l, a), out.access},
        pe_model(pe ? *pe : own_pe) {
    out.access.levels = static_cast<int>(acc.levels.size());
    run.on_chip = on_chip;
    set_up_run();
    run.events.psum_chain = dataflow::psum_chain(m);
    build_tracks();
    set_up_pes();
    for (int i = 0; i < static_cast<int>(nest.loops.size()); ++i)
      if (nest.loops[static_cast<std::size_t>(i)].level != kSpatialLoop) temporal.push_back(i);
    if (s.groups > 0) begin_group();
  }

  std::int64_t out_keys() const { return s.N * run.bounds[1] * s.P * s.Q; }

  void set_up_run();
  void build_tracks();
  void set_up_pes();
  void begin_group();
  void refill_tiles();
  std::int64_t compute_macs();
  void count_array_accesses(std::int64_t cycle_macs);
  bool advance_loops();
  void run_cycle();
  void end_group();
  [[nodiscard]] std::int64_t operand(Operand o, std::size_t pe_index, const Coord& c);
};

// The run's constants: the levels it charges specially and what an output's MACs total.
void SpatialArray::State::set_up_run() {
  run.taps = run.bounds[2] * s.R * s.S;
  for (int l = 0; l < static_cast<int>(acc.levels.size()); ++l)
    if (acc.levels[l].kind == arch::LevelKind::noc) run.noc = l;
  run.dram = acc.dram_level();
  run.coded = dram_coding(layer, acc, data, run.p);
  run.pe_base = pe_offsets(nest);
  run.data = &data;
  out.pes_used = static_cast<std::int64_t>(run.pe_base.size());
}

// One track per level below the outermost that holds an operand, each with its instances;
// inputs take their values from the track outside them, and the PEs read the innermost.
void SpatialArray::State::build_tracks() {
  const std::int64_t cg = run.bounds[2], mg = run.bounds[1];
  for (int oi = 0; oi < arch::kOperands; ++oi) {
    const auto o = static_cast<Operand>(oi);
    int parent = -1;
    for (int l = 0; l < static_cast<int>(acc.levels.size()); ++l) {
      const auto& lvl = acc.levels[l];
      if (!lvl.holds_operand(o)) continue;
      if (parent >= 0) {
        TileTrack t;
        t.level = l;
        t.parent = parent;
        t.o = o;
        t.per_pe = lvl.per_pe;
        t.crossing = lvl.per_pe && !acc.levels[parent].per_pe;
        t.sliding = lvl.sliding_window;
        t.single_port = lvl.single_port;
        t.held.resize(static_cast<std::size_t>(lvl.per_pe ? out.pes_used : 1));
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
  // Tracks are in level order per operand, so the last one of an operand is its innermost.
  for (auto& t : tracks) {
    for (const auto& p : tracks)
      if (p.o == t.o && p.level == t.parent) t.parent_track = &p;
    source[static_cast<std::size_t>(t.o)] = &t;
  }
}

// Each active PE multiplies its operands and keeps the product's window; the windowed
// products add up per output at partial-sum width (the psum scratchpads and the local links
// between PEs), exact in any order.
void SpatialArray::State::set_up_pes() {
  const auto& spec = acc.array.pe;
  psum_width = spec.psum_bits > 0 ? spec.psum_bits : spec.accumulator_bits;
  const auto pes = static_cast<std::size_t>(out.pes_used);
  pe_model.reset(pes, {.mode = PeMode::direct,
                       .accumulator_bits = psum_width,
                       .product_shift = spec.product_shift});
  pe_in.resize(pes);
  pe_out.resize(pes);
  pe_target.assign(pes, -1);
  sums.assign(static_cast<std::size_t>(s.N * s.M * s.P * s.Q), 0);
}

// Groups run in turn, each from empty tiles.
void SpatialArray::State::begin_group() {
  run.group = group;
  run.macs_done.assign(static_cast<std::size_t>(out_keys()), 0);
  written.assign(static_cast<std::size_t>(out_keys()), 0);
  for (auto& t : tracks)
    if (t.o == Operand::ofmap) t.drained.assign(static_cast<std::size_t>(out_keys()), 0);
  idx.assign(nest.loops.size(), 0);
  changed_from = 0;
  first = true;
  in_group = true;
}

// Tiles first: fills and drains happen before this cycle's MACs. A level whose loops and
// everything outside them stood still keeps its tiles.
void SpatialArray::State::refill_tiles() {
  for (auto& t : tracks) {
    const int start = nest.level_start[static_cast<std::size_t>(t.level)];
    if (!first && changed_from >= start) continue;  // only inner loops moved
    run.update(t, temporal_coord(nest, temporal, idx, start));
  }
}

// An input operand as a PE reads it: from the innermost level holding it (the PE's own
// scratchpad, or the shared level it streams from), or straight from DRAM if none does.
std::int64_t SpatialArray::State::operand(Operand o, std::size_t pe_index, const Coord& c) {
  const std::int64_t key = operand_key(o, c, s);
  if (key < 0) return 0;  // zero padding: generated, never stored
  const TileTrack* t = source[static_cast<std::size_t>(o)];
  if (!t) return run.from_tensor(o, key);
  const std::size_t i = t->per_pe ? pe_index : 0;
  if (const auto v = t->value(i, key)) return *v;
  ++run.misses;
  return 0;
}

// Every PE whose coordinate lies inside the layer does its MAC through the PE model; the
// products add into their outputs. Returns the MACs done.
std::int64_t SpatialArray::State::compute_macs() {
  const Coord now = temporal_coord(nest, temporal, idx);
  for (auto& k : cycle_keys) k.clear();
  std::int64_t cycle_macs = 0;
  const std::int64_t mg = run.bounds[1];
  for (std::size_t pi = 0; pi < run.pe_base.size(); ++pi) {
    const Coord& base = run.pe_base[pi];
    Coord c = now;
    for (int d = 0; d < dataflow::kDims; ++d) c[d] += base[d];
    pe_in[pi].mac = inside(c, run.bounds);
    pe_target[pi] = -1;
    if (!pe_in[pi].mac) continue;
    const auto at = [&](Dim d) { return c[static_cast<int>(d)]; };
    pe_in[pi].a = static_cast<std::int32_t>(operand(Operand::ifmap, pi, c));
    pe_in[pi].b = static_cast<std::int32_t>(operand(Operand::filter, pi, c));
    pe_target[pi] = shape_only.offset(at(Dim::N), group * mg + at(Dim::M), at(Dim::P), at(Dim::Q));
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
      sums[static_cast<std::size_t>(pe_target[pi])] += static_cast<std::uint64_t>(pe_out[pi].psum);
  return cycle_macs;
}

// The MACs' own accesses: register reads at the innermost per-PE level, or, for an operand no
// PE keeps, the shared level's traffic with the array.
void SpatialArray::State::count_array_accesses(std::int64_t cycle_macs) {
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
      const auto n = static_cast<std::int64_t>(cycle_keys[oi].size());
      if (!run.resident(innermost[oi], o)) inner.read(n, run.bits(o));
      run.on_bus(o, n * run.bits(o));
      continue;
    }
    for (std::int64_t key : cycle_keys[oi]) {
      auto& seen = written[static_cast<std::size_t>(key)];
      if (seen) inner.read(1, run.p.psum_bits);
      const bool final = run.macs_done[static_cast<std::size_t>(key)] == run.taps;
      if (!run.resident(innermost[oi], o, final)) inner.write(1, run.out_bits(key));
      if (seen) run.on_bus(o, run.p.psum_bits, true);
      run.on_bus(o, run.out_bits(key));
      seen = 1;
    }
  }
}

// Next iteration of the temporal loops, innermost fastest. False once they wrap: the group
// is done.
bool SpatialArray::State::advance_loops() {
  std::size_t j = temporal.size();
  while (j-- > 0) {
    const auto i = static_cast<std::size_t>(temporal[j]);
    if (++idx[i] < nest.loops[i].bound) break;
    idx[i] = 0;
  }
  if (j == static_cast<std::size_t>(-1)) return false;
  changed_from = temporal[j];
  first = false;
  return true;
}

void SpatialArray::State::run_cycle() {
  run.now = SpatialCycle{};
  run.now.cycle = out.cycles;
  // A pass starts where a shared level's loop moved (they all precede the spatial loops).
  run.now.new_pass = first || changed_from < nest.spatial_start;
  if (run.now.new_pass) ++run.events.passes;
  refill_tiles();
  const std::int64_t cycle_macs = compute_macs();
  out.macs += cycle_macs;
  ++out.cycles;
  run.now.macs = cycle_macs;
  if (run.now.touches_dram()) add_largest_tiles(tracks, run, run.now.tile_bits);
  count_array_accesses(cycle_macs);
  in_group = advance_loops();
}

// The group's outputs drain and every level lets go of its tiles.
void SpatialArray::State::end_group() {
  run.now = SpatialCycle{};
  run.now.cycle = out.cycles;
  run.now.computes = false;
  for (auto& t : tracks) run.finish(t);
  if (++group < s.groups) begin_group();
}

SpatialArray::SpatialArray(const workloads::Layer& layer, const arch::Accelerator& acc,
                           const dataflow::Mapping& m, const LayerData& data, PeModel* pe,
                           const OnChip& on_chip) {
  check_inputs(layer, acc, m, data);
  state_ = std::make_unique<State>(layer, acc, m, data, pe, on_chip);
}

SpatialArray::~SpatialArray() = default;

const SpatialCycle* SpatialArray::step() {
  State& st = *state_;
  if (st.group >= st.s.groups) return nullptr;
  if (st.in_group)
    st.run_cycle();
  else
    st.end_group();
  return &st.run.now;
}

SpatialArrayResult SpatialArray::finish() {
  while (step()) {
  }
  State& st = *state_;
  SpatialArrayResult out = std::move(st.out);
  const OutputFormat format{.accumulator_bits = st.psum_width,
                            .product_shift = st.acc.array.pe.product_shift};
  out.ofmap = Tensor4::zeros(ofmap_dims(st.s));
  for (std::size_t i = 0; i < st.sums.size(); ++i)
    out.ofmap.data[i] = format_output(static_cast<std::int64_t>(st.sums[i]), format);
  out.misses = st.run.misses;
  out.events = st.run.events;
  out.events.pes_used = out.pes_used;
  const Tensor4 golden = golden_conv(st.s, st.data, format);
  out.elements_checked = golden.size();
  for (std::size_t i = 0; i < golden.data.size(); ++i)
    out.mismatches += golden.data[i] != out.ofmap.data[i] ? 1 : 0;
  return out;
}

SpatialArrayResult simulate_spatial_array(const workloads::Layer& layer,
                                          const arch::Accelerator& acc, const dataflow::Mapping& m,
                                          const LayerData& data, PeModel* pe,
                                          const OnChip& on_chip) {
  return SpatialArray(layer, acc, m, data, pe, on_chip).finish();
}

}  // namespace loom::sim
