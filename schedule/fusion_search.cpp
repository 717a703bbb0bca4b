// SPDX-License-Identifier: Apache-2.0
#include "schedule/fusion_search.hpp"

#include <algorithm>
#include <map>
#include <utility>

namespace loom::schedule {
namespace {

struct GroupEval {
  PricedGroup priced;
  std::vector<std::optional<CutCosts>> costs;  // by position in the group
  [[nodiscard]] const GroupPlan& plan() const { return priced.plan; }
};

struct Scored {
  std::vector<GroupPlan> groups;
  Residency residency;
  ResidencySearchStats search;
  double score = 0;
  double energy_pj = 0, cycles = 0;
};

class FusionSearch {
 public:
  FusionSearch(const FusionContext& ctx, std::int64_t capacity,
               const std::vector<Footprint>& footprints,
               const std::vector<std::optional<CutCosts>>& costs, const PriceLayer& price,
               const ScheduleScore& score)
      : ctx_(ctx),
        capacity_(capacity),
        footprints_(footprints),
        costs_(costs),
        price_(price),
        score_(score),
        n_(ctx.net.layers.size()) {}

  // The best group [first, last] (cached), or nullptr if none is legal.
  const GroupEval* group(std::size_t first, std::size_t last) {
    const auto key = std::make_pair(first, last);
    auto it = groups_.find(key);
    if (it == groups_.end()) {
      std::optional<GroupEval> e;
      if (auto g = choose_group(ctx_, first, last, price_, score_)) {
        auto c = group_costs(*g, price_);
        e = GroupEval{std::move(*g), std::move(c)};
      }
      it = groups_.emplace(key, std::move(e)).first;
    }
    return it->second ? &*it->second : nullptr;
  }

  // A grouping's plan: its residency searched under the group rules, and its score.
  Scored evaluate(const std::vector<GroupPlan>& groups) {
    ++stats.groupings;
    auto costs = costs_;
    auto footprints = footprints_;
    std::vector<bool> banned(n_, false);
    for (const GroupPlan& g : groups) {
      const GroupEval* e = group(g.first, g.last);
      for (std::size_t k = g.first; k <= g.last; ++k) {
        costs[k] = e->costs[k - g.first];
        banned[k] = k < g.last;
        footprints[k] = {g.buffer_bits + g.input_tile_bits, g.buffer_bits, g.first};
      }
    }
    Scored s;
    s.groups = groups;
    s.residency = search_residency(ctx_.live, ctx_.net, capacity_, footprints, costs, score_,
                                   &s.search, kResidencyNodeLimit, banned);
    for (std::size_t k = 0; k < n_; ++k) {
      if (!costs[k]) continue;
      const auto& r = s.residency;
      const LayerCost& c = (*costs[k])[r.input_on_chip[k]][r.resident[k] && !r.dram_needed[k]];
      s.energy_pj += c.energy_pj;
      s.cycles += c.cycles;
    }
    s.score = score_(s.energy_pj, s.cycles);
    return s;
  }

  // Maximal runs of fusable links: [first, last] layer ranges.
  [[nodiscard]] std::vector<std::pair<std::size_t, std::size_t>> chains() const {
    std::vector<std::pair<std::size_t, std::size_t>> out;
    for (std::size_t i = 0; i + 1 < n_; ++i) {
      if (!fusable_link(ctx_, i)) continue;
      if (!out.empty() && out.back().second == i)
        out.back().second = i + 1;
      else
        out.emplace_back(i, i + 1);
    }
    return out;
  }

  // Every grouping of the chains' links; the best (ties: the earlier, fewer groups first).
  Scored exhaustive(const std::vector<std::pair<std::size_t, std::size_t>>& runs, Scored best) {
    std::vector<std::size_t> links;
    for (const auto& [a, b] : runs)
      for (std::size_t i = a; i < b; ++i) links.push_back(i);
    for (std::uint32_t mask = 1; mask < (1U << links.size()); ++mask) {
      std::vector<GroupPlan> groups;
      bool legal = true;
      for (std::size_t j = 0; legal && j < links.size();) {
        if (!((mask >> j) & 1U)) {
          ++j;
          continue;
        }
        std::size_t e = j;
        while (e + 1 < links.size() && ((mask >> (e + 1)) & 1U) && links[e + 1] == links[e] + 1)
          ++e;
        const GroupEval* g = group(links[j], links[e] + 1);
        legal = g != nullptr;
        if (legal) groups.push_back(g->plan());
        j = e + 1;
      }
      if (!legal) continue;
      Scored s = evaluate(groups);
      if (s.score < best.score) best = std::move(s);
    }
    return best;
  }

  // One round of dynamic programming over the chains at `cur`'s residency cuts.
  std::vector<GroupPlan> dp_round(const std::vector<std::pair<std::size_t, std::size_t>>& runs,
                                  const Scored& cur) {
    const double de = std::max(1.0, cur.energy_pj * 1e-6);
    const double dc = std::max(1.0, cur.cycles * 1e-6);
    const double we = (score_(cur.energy_pj + de, cur.cycles) - cur.score) / de;
    const double wc = (score_(cur.energy_pj, cur.cycles + dc) - cur.score) / dc;
    const auto lin = [&](const LayerCost& c) { return we * c.energy_pj + wc * c.cycles; };
    const Residency& r = cur.residency;
    const auto out_cut = [&](std::size_t k) { return r.resident[k] && !r.dram_needed[k]; };
    std::vector<GroupPlan> groups;
    for (const auto& [a, b] : runs) {
      const std::size_t len = b - a + 1;
      std::vector<double> best(len + 1, 0);
      std::vector<std::size_t> from(len + 1, 0);  // start of the last piece
      for (std::size_t j = 1; j <= len; ++j) {
        const std::size_t k = a + j - 1;
        best[j] = best[j - 1] + (costs_[k] ? lin((*costs_[k])[r.input_on_chip[k]][out_cut(k)]) : 0);
        from[j] = j - 1;
        for (std::size_t i = j >= kMaxGroupLayers ? j - kMaxGroupLayers : 0; i + 1 < j; ++i) {
          const GroupEval* g = group(a + i, k);
          if (!g) continue;
          double c = best[i];
          for (std::size_t p = 0; p < g->costs.size(); ++p)
            if (g->costs[p]) c += lin((*g->costs[p])[r.input_on_chip[a + i]][out_cut(k)]);
          if (c < best[j]) {
            best[j] = c;
            from[j] = i;
          }
        }
      }
      std::vector<GroupPlan> chain;
      for (std::size_t j = len; j > 0; j = from[j])
        if (from[j] + 1 < j) chain.push_back(group(a + from[j], a + j - 1)->plan());
      groups.insert(groups.end(), chain.rbegin(), chain.rend());
    }
    return groups;
  }

  FusionSearchStats stats;

 private:
  const FusionContext& ctx_;
  std::int64_t capacity_;
  const std::vector<Footprint>& footprints_;
  const std::vector<std::optional<CutCosts>>& costs_;
  const PriceLayer& price_;
  const ScheduleScore& score_;
  std::size_t n_;
  std::map<std::pair<std::size_t, std::size_t>, std::optional<GroupEval>> groups_;
};

bool same_groups(const std::vector<GroupPlan>& a, const std::vector<GroupPlan>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const auto& x, const auto& y) {
    return x.first == y.first && x.last == y.last;
  });
}

}  // namespace

FusedSchedule search_fusion(const FusionContext& ctx, std::int64_t capacity_bits,
                            const std::vector<Footprint>& footprints,
                            const std::vector<std::optional<CutCosts>>& costs,
                            const PriceLayer& price, const ScheduleScore& score,
                            std::size_t exhaustive_links) {
  FusionSearch search(ctx, capacity_bits, footprints, costs, price, score);
  Scored best = search.evaluate({});
  search.stats.unfused_score = best.score;
  const auto runs = ctx.level < 0 ? decltype(search.chains()){} : search.chains();
  std::size_t links = 0;
  for (const auto& [a, b] : runs) links += b - a;
  if (links <= exhaustive_links) {
    search.stats.exhaustive = true;
    best = search.exhaustive(runs, std::move(best));
  } else {
    for (int round = 0; round < kFusionRounds; ++round) {
      ++search.stats.rounds;
      auto groups = search.dp_round(runs, best);
      if (same_groups(groups, best.groups)) break;
      Scored s = search.evaluate(groups);
      if (!(s.score < best.score)) break;
      best = std::move(s);
    }
  }
  search.stats.best_score = best.score;
  std::vector<PricedGroup> priced;
  for (const GroupPlan& g : best.groups) priced.push_back(search.group(g.first, g.last)->priced);
  return {std::move(best.groups), std::move(priced), std::move(best.residency), best.search,
          search.stats};
}

}  // namespace loom::schedule
