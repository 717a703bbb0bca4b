// SPDX-License-Identifier: Apache-2.0
#include "schedule/fusion_price.hpp"

#include <algorithm>
#include <iterator>
#include <map>
#include <memory>
#include <string>

#include "core/error.hpp"
#include "dataflow/family.hpp"
#include "dataflow/systolic.hpp"
#include "dataflow/systolic_mapspace.hpp"

namespace loom::schedule {
namespace {

// A layer's steps summed: additive counts add, the percentages are re-weighted by what they are
// shares of (mapping efficiency: MACs over offered slots; compute utilization: compute cycles;
// active PEs: total cycles).
class CountsSum {
 public:
  void add(const dataflow::LayerCounts& s) {
    if (!any_) {
      c_ = s;
      any_ = true;
    } else {
      c_.macs += s.macs;
      c_.gated_macs += s.gated_macs;
      c_.skipped_macs += s.skipped_macs;
      c_.total_cycles += s.total_cycles;
      c_.compute_cycles += s.compute_cycles;
      c_.port_stall_cycles += s.port_stall_cycles;
      c_.folds += s.folds;
      c_.sram_ifmap_reads += s.sram_ifmap_reads;
      c_.sram_filter_reads += s.sram_filter_reads;
      c_.sram_ofmap_writes += s.sram_ofmap_writes;
      c_.sram_ofmap_reads += s.sram_ofmap_reads;
      c_.access.add_cells(s.access);
    }
    if (s.mapping_efficiency_pct > 0)
      offered_ += static_cast<double>(s.macs) * 100.0 / s.mapping_efficiency_pct;
    compute_util_ += s.compute_util_pct * static_cast<double>(s.compute_cycles);
    active_ += s.active_pes * static_cast<double>(s.total_cycles);
  }
  // The group input's rows loaded from DRAM before a tile: the array waits for them.
  void add_load(const RowLoad& load, const arch::Accelerator& acc) {
    if (load.bits == 0) return;
    const int bits = c_.precision.activation_bits;
    c_.access.at(acc.dram_level(), arch::Operand::ifmap).read(load.bits / bits, bits);
    c_.total_cycles += load.cycles;
  }
  [[nodiscard]] dataflow::LayerCounts finish(const arch::Accelerator& acc) const {
    dataflow::LayerCounts c = c_;
    const auto total = static_cast<double>(c.total_cycles);
    c.stall_cycles = c.total_cycles - c.compute_cycles;
    if (offered_ > 0) c.mapping_efficiency_pct = 100.0 * static_cast<double>(c.macs) / offered_;
    if (c.compute_cycles > 0)
      c.compute_util_pct = compute_util_ / static_cast<double>(c.compute_cycles);
    if (total > 0) {
      c.active_pes = active_ / total;
      c.overall_util_pct =
          100.0 * dataflow::pe_cycles_busy(c) / (total * static_cast<double>(acc.array.pes()));
    }
    // Summed steps are not re-timed as one layer.
    c.exposed_input_bits = c.exposed_output_bits = -1;
    c.fill_wait = {};
    return c;
  }

 private:
  dataflow::LayerCounts c_;
  bool any_ = false;
  double offered_ = 0, compute_util_ = 0, active_ = 0;
};

// A tile shape of one layer of the group and its evaluation.
struct Shape {
  workloads::Layer layer;
  TileEval eval;
};

}  // namespace

EvalTile default_tile_eval(const arch::Accelerator& acc) {
  auto memo = std::make_shared<std::map<std::string, std::optional<TileEval>>>();
  return [acc, memo](const workloads::Layer& tile, std::int64_t) -> std::optional<TileEval> {
    const auto& s = tile.shape;
    const std::string key = tile.name + "|" + std::to_string(s.H) + "," + std::to_string(s.P) +
                            "," + std::to_string(s.pad_h);
    auto it = memo->find(key);
    if (it != memo->end()) return it->second;
    std::optional<TileEval> e;
    const auto& family = dataflow::family_of(acc);
    try {
      if (&family == &dataflow::systolic_family()) {
        const dataflow::SystolicMapSpace space(tile, acc);
        dataflow::Mapping m = space.decode(space.scalesim_genes());
        const auto p = dataflow::resolve_precision(tile, acc);
        auto ev = family.evaluate(tile, acc, m, p, dataflow::Fidelity::final);
        // SCALE-Sim's mapping ignores the buffers' sizes; where its tiles overflow one, the
        // evaluation is incomplete and the closed form (which evaluates that mapping without
        // the capacity check) prices the step.
        if (ev.valid)
          e = TileEval{std::move(m), std::move(ev.counts)};
        else
          e = TileEval{std::nullopt, family.closed_form(tile, acc)};
      } else if (family.has_closed_form()) {
        e = TileEval{std::nullopt, family.closed_form(tile, acc)};
      }
    } catch (const Error&) {
      e.reset();  // the tile shape cannot run: the option is illegal
    }
    return memo->emplace(key, std::move(e)).first->second;
  };
}

std::optional<PricedGroup> price_group(const FusionContext& ctx, const GroupPlan& g,
                                       bool all_cuts) {
  const auto& ls = ctx.net.layers;
  const std::vector<workloads::Layer> layers(ls.begin() + static_cast<std::ptrdiff_t>(g.first),
                                             ls.begin() + static_cast<std::ptrdiff_t>(g.last) + 1);
  PricedGroup out{g, std::vector<std::optional<CutCounts>>(g.size()),
                  fused_steps(layers, g.tile_rows, g.halo, g.weights_resident)};
  const std::size_t n = g.size();
  const std::int64_t reserved = tile_reserved_bits(g);
  const EvalTile eval = ctx.eval_tile ? ctx.eval_tile : default_tile_eval(ctx.acc);
  std::vector<std::vector<Shape>> shapes(n);
  // sums[pos][in][out]; only the cuts that reach a layer are priced, the others copied.
  std::vector<std::array<std::array<CountsSum, 2>, 2>> sums(n);
  const int cuts = all_cuts ? 2 : 1;
  RowLoad loads;
  for (FusedTile& tile : out.execution.tiles) {
    const RowLoad load = input_row_load(layers.front(), ctx.acc, tile.load);
    for (FusedStep& st : tile.steps) {
      if (!ctx.counts[g.first + st.pos]) continue;
      auto& known = shapes[st.pos];
      auto it = std::find_if(known.begin(), known.end(),
                             [&](const Shape& s) { return s.layer.shape == st.layer.shape; });
      if (it == known.end()) {
        auto e = eval(st.layer, reserved);
        if (!e) return std::nullopt;
        known.push_back({st.layer, std::move(*e)});
        it = std::prev(known.end());
      }
      if (it->eval.mapping) st.mapping = *it->eval.mapping;
      const bool last = st.pos + 1 == n;
      if (!last) st.on_chip[2] = !g.output_to_dram[st.pos];
      for (int o = 0; o < (last ? cuts : 1); ++o) {
        const bool kept = last ? o == 1 : !g.output_to_dram[st.pos];
        const std::array<bool, arch::kOperands> on_chip{true, st.on_chip[1], kept};
        auto& c = (*it->eval.steps)[(st.on_chip[1] ? 2U : 0U) + (kept ? 1U : 0U)];
        if (!c) c = step_counts(st.layer, it->eval, on_chip, ctx.acc);
        for (int i = 0; i < (st.pos == 0 ? cuts : 1); ++i) sums[st.pos][i][o].add(*c);
      }
    }
    loads.bits += load.bits;
    loads.cycles += load.cycles;
  }
  // The group input's rows, unless it is resident (read in place).
  sums[0][0][0].add_load(loads, ctx.acc);
  for (std::size_t pos = 0; pos < n; ++pos) {
    if (!ctx.counts[g.first + pos]) continue;
    auto& cc = out.counts[pos].emplace();
    for (int i = 0; i < 2; ++i)
      for (int o = 0; o < 2; ++o) {
        const int pi = pos == 0 && i < cuts ? i : 0;
        const int po = pos + 1 == n && o < cuts ? o : 0;
        const auto ui = static_cast<std::size_t>(i), uo = static_cast<std::size_t>(o);
        cc[ui][uo] =
            sums[pos][static_cast<std::size_t>(pi)][static_cast<std::size_t>(po)].finish(ctx.acc);
      }
  }
  return out;
}

std::optional<PricedGroup> choose_group(const FusionContext& ctx, std::size_t first,
                                        std::size_t last, const PriceLayer& price,
                                        const ScheduleScore& score) {
  if (last >= ctx.net.layers.size()) return std::nullopt;
  const std::int64_t rows = ctx.net.layers[last].shape.P;
  std::vector<std::int64_t> heights;
  for (std::int64_t t = 1; t < rows; t *= 2) heights.push_back(t);
  heights.push_back(rows);
  std::optional<GroupPlan> best;
  double best_score = 0;
  for (const std::int64_t t : heights)
    for (const HaloPolicy halo : {HaloPolicy::recompute, HaloPolicy::cache})
      for (const bool resident : {true, false}) {
        auto g = plan_group(ctx, first, last, t, halo, resident);
        if (!g) continue;
        const auto priced = price_group(ctx, *g, false);
        if (!priced) continue;
        double energy = 0, cycles = 0;
        for (const auto& c : priced->counts) {
          if (!c) continue;
          const LayerCost lc = price((*c)[0][0]);
          energy += lc.energy_pj;
          cycles += lc.cycles;
        }
        const double s = score(energy, cycles);
        if (!best || s < best_score ||
            (s == best_score &&
             g->buffer_bits + g->input_tile_bits < best->buffer_bits + best->input_tile_bits)) {
          best = std::move(g);
          best_score = s;
        }
      }
  if (!best) return std::nullopt;
  return price_group(ctx, *best, true);
}

std::vector<std::optional<CutCosts>> group_costs(const PricedGroup& g, const PriceLayer& price) {
  std::vector<std::optional<CutCosts>> out(g.counts.size());
  for (std::size_t k = 0; k < g.counts.size(); ++k) {
    if (!g.counts[k]) continue;
    auto& cc = out[k].emplace();
    for (std::size_t in = 0; in < 2; ++in)
      for (std::size_t o = 0; o < 2; ++o) cc[in][o] = price((*g.counts[k])[in][o]);
  }
  return out;
}

}  // namespace loom::schedule
