// SPDX-License-Identifier: Apache-2.0
#include "dataflow/tile_plan.hpp"

#include <map>
#include <tuple>

#include "core/error.hpp"
#include "dataflow/im2col_footprint.hpp"
#include "dataflow/systolic_axes.hpp"

namespace loom::dataflow {
namespace {

using arch::Operand;

constexpr int at(Dim d) { return static_cast<int>(d); }

}  // namespace

GemmBox box_of_fold(const Fold& f, arch::Dataflow df) {
  const SystolicAxes ax = systolic_axes(df);
  const GemmPoint start = ax.at(f.row0, f.col0, f.t0), size = ax.at(f.rows, f.cols, f.steps);
  GemmBox b;
  b.group = f.group;
  b.px0 = start.px, b.px = size.px, b.k0 = start.k, b.k = size.k, b.m0 = start.m, b.m = size.m;
  return b;
}

std::optional<std::array<int, arch::kOperands>> tile_buffers(const arch::Accelerator& acc,
                                                             std::string* why) {
  std::array<int, arch::kOperands> out{};
  for (int oi = 0; oi < arch::kOperands; ++oi) {
    const auto o = static_cast<Operand>(oi);
    int holders = 0;
    for (std::size_t l = 0; l < acc.levels.size(); ++l) {
      const auto& lvl = acc.levels[l];
      if (!lvl.holds_operand(o) || lvl.kind == arch::LevelKind::dram) continue;
      holders += lvl.per_pe || lvl.kind != arch::LevelKind::sram ? 2 : 1;
      out[oi] = static_cast<int>(l);
    }
    if (holders != 1) {
      if (why)
        *why =
            "the tile-level buffer model needs one shared on-chip buffer per operand between "
            "DRAM and a systolic array; " +
            std::string(core::enum_name(arch::kOperandNames, o)) + " has a different hierarchy";
      return std::nullopt;
    }
  }
  return out;
}

TilePlan plan_tiles(const workloads::Layer& layer, const arch::Accelerator& acc, const Mapping& m,
                    const std::vector<Fold>& folds) {
  const auto& s = layer.shape;
  const std::int64_t bound[3] = {s.N * s.P * s.Q, s.channels_per_group() * s.R * s.S,
                                 s.M / s.groups};
  const Dim dims[3] = {Dim::P, Dim::C, Dim::M};
  TilePlan plan;
  std::string why;
  const auto buffers = tile_buffers(acc, &why);
  if (!buffers) throw Error(Diagnostic{acc.source, "levels", 0, why});
  for (int oi = 0; oi < arch::kOperands; ++oi) {
    const auto o = static_cast<Operand>(oi);
    const int buffer = (*buffers)[oi];
    plan.level[oi] = buffer;
    // Which of pixels, taps and filters index the operand (systolic_axes.hpp), and its tile
    // extent along each at this level.
    bool indexed[3];
    std::int64_t u[3];
    for (int d = 0; d < 3; ++d) {
      const int di = at(dims[d]);
      indexed[d] = SystolicAxes::indexes(o, dims[d]);
      u[d] = m.spatial_rows[di] * m.spatial_cols[di] * m.pe.factors[di];
      for (std::size_t l = static_cast<std::size_t>(buffer); l < m.levels.size(); ++l)
        u[d] *= m.levels[l].factors[di];
    }
    using Key = std::tuple<std::int64_t, std::int64_t, std::int64_t, std::int64_t>;
    std::map<Key, std::size_t> last_visit;  // outputs: the latest visit of each tile
    auto& visits = plan.visits[oi];
    auto& of_fold = plan.visit_of_fold[oi];
    of_fold.reserve(folds.size());
    Key previous{-1, -1, -1, -1};
    for (std::size_t f = 0; f < folds.size(); ++f) {
      const GemmBox fb = box_of_fold(folds[f], acc.dataflow);
      const std::int64_t start[3] = {fb.px0, fb.k0, fb.m0};
      std::int64_t idx[3] = {0, 0, 0};
      for (int d = 0; d < 3; ++d) idx[d] = indexed[d] ? start[d] / u[d] : 0;
      const Key key{fb.group, idx[0], idx[1], idx[2]};
      if (key != previous) {
        TileVisit v;
        v.box.group = fb.group;
        std::int64_t* lo[3] = {&v.box.px0, &v.box.k0, &v.box.m0};
        std::int64_t* len[3] = {&v.box.px, &v.box.k, &v.box.m};
        for (int d = 0; d < 3; ++d) {
          *lo[d] = indexed[d] ? idx[d] * u[d] : 0;
          *len[d] = indexed[d] ? std::min(u[d], bound[d] - *lo[d]) : bound[d];
        }
        v.first_fold = f;
        if (o == Operand::ofmap) {
          const auto it = last_visit.find(key);
          if (it != last_visit.end()) {
            v.revisit = true;
            visits[it->second].final_visit = false;
          }
          last_visit[key] = visits.size();
        }
        visits.push_back(v);
        previous = key;
      }
      visits.back().last_fold = f;
      of_fold.push_back(visits.size() - 1);
    }
  }
  return plan;
}

TileTransfers tile_transfers(const workloads::Layer& layer, const TilePlan& plan) {
  TileTransfers t;
  for (const auto& v : plan.visits[0])
    t.ifmap_reads += raw_ifmap_elems(layer.shape, v.box.px0, v.box.px, v.box.k0, v.box.k);
  for (const auto& v : plan.visits[1]) t.filter_reads += v.box.k * v.box.m;
  for (const auto& v : plan.visits[2]) {
    const std::int64_t n = v.box.px * v.box.m;
    if (v.revisit) t.psum_reads += n;
    (v.final_visit ? t.final_writes : t.psum_writes) += n;
  }
  return t;
}

arch::AccessCounts systolic_access(const arch::Accelerator& acc, const ResolvedPrecision& p,
                                   const std::array<int, arch::kOperands>& buffers,
                                   const TileTransfers& t, const ArraySideTraffic& array,
                                   std::int64_t outputs) {
  arch::AccessCounts a;
  a.levels = static_cast<int>(acc.levels.size());
  const int d = acc.dram_level();
  const int li = buffers[0], lf = buffers[1], lo = buffers[2];
  a.at(d, Operand::ifmap).read(t.ifmap_reads, p.activation_bits);
  a.at(li, Operand::ifmap).write(t.ifmap_reads, p.activation_bits);
  a.at(li, Operand::ifmap).read(array.ifmap_reads, p.activation_bits);
  a.at(d, Operand::filter).read(t.filter_reads, p.weight_bits);
  a.at(lf, Operand::filter).write(t.filter_reads, p.weight_bits);
  a.at(lf, Operand::filter).read(array.filter_reads, p.weight_bits);
  // Outputs: the array writes partial sums and reads them back to accumulate; the controller
  // drains tiles to DRAM and reads back partial sums it spilled.
  auto& buf = a.at(lo, Operand::ofmap);
  auto& dram = a.at(d, Operand::ofmap);
  buf.write(std::min(array.ofmap_writes, outputs), p.output_bits);
  buf.write(std::max<std::int64_t>(0, array.ofmap_writes - outputs), p.psum_bits);
  buf.read(array.ofmap_reads, p.psum_bits);
  buf.read(t.final_writes, p.output_bits);
  buf.read(t.psum_writes, p.psum_bits);
  buf.write(t.psum_reads, p.psum_bits);
  dram.write(t.final_writes, p.output_bits);
  dram.write(t.psum_writes, p.psum_bits);
  dram.read(t.psum_reads, p.psum_bits);
  return a;
}

}  // namespace loom::dataflow
