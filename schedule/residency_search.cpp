// SPDX-License-Identifier: Apache-2.0
#include "schedule/residency_search.hpp"

#include <algorithm>
#include <string>
#include <unordered_map>
#include <utility>

namespace loom::schedule {
namespace {

bool is_mac(const workloads::Network& net, std::size_t i) {
  return workloads::does_macs(net.layers[i].op);
}

// A cut that holds exactly when every tensor in `members` stays (`never`: it cannot hold).
struct Conjunction {
  std::vector<std::size_t> members;  // ascending
  bool never = false;
};

class Search {
 public:
  Search(const Liveness& live, const workloads::Network& net, std::int64_t capacity,
         const std::vector<Footprint>& footprints,
         const std::vector<std::optional<CutCosts>>& costs, const ScheduleScore& score,
         std::uint64_t node_limit, const std::vector<bool>& banned)
      : live_(live),
        net_(net),
        capacity_(capacity),
        footprints_(footprints),
        costs_(costs),
        score_(score),
        limit_(node_limit),
        n_(live.tensors.size()),
        state_(n_, kOpen),
        used_(n_, 0),
        banned_(banned.empty() ? std::vector<bool>(n_, false) : banned),
        input_cut_(n_),
        output_cut_(n_),
        can_stay_(n_) {
    for (std::size_t k = 0; k < n_; ++k) {
      if (!costs_[k]) continue;
      input_cut_[k].members = live_.producers[k];
      input_cut_[k].never = input_cut_[k].members.empty();
      std::vector<bool> visited(n_, false);
      collect_output_cut(k, output_cut_[k], visited);
      for (auto* m : {&input_cut_[k].members, &output_cut_[k].members}) {
        std::sort(m->begin(), m->end());
        m->erase(std::unique(m->begin(), m->end()), m->end());
      }
    }
    index_depths();
  }

  void run(const Residency& incumbent) {
    best_ = incumbent;
    best_score_ = plan_score(incumbent, costs_, score_);
    root_bound_ = bound();
    Settled settled;
    for (const std::size_t k : settled_at_[0]) settled.add((*costs_[k])[0][0]);
    dfs(0, settled);
  }
  [[nodiscard]] const Residency& best() const { return best_; }
  [[nodiscard]] double best_score() const { return best_score_; }
  [[nodiscard]] double root_bound() const { return root_bound_; }
  [[nodiscard]] bool complete() const { return !stopped_; }
  std::uint64_t nodes = 0, pruned = 0;

 private:
  enum State : std::uint8_t { kOpen, kStay, kSpill };
  // The summed cost of the layers whose cuts the decided tensors settle.
  struct Settled {
    double energy_pj = 0, cycles = 0;
    void add(const LayerCost& c) {
      energy_pj += c.energy_pj;
      cycles += c.cycles;
    }
  };

  // Layer k's output cut (plan_score's `resident && !dram_needed`): k stays, and every reader
  // reads it on chip — a MAC reader with all its inputs resident, a non-MAC reader (which passes
  // k on) with its own output cut.
  void collect_output_cut(std::size_t k, Conjunction& c, std::vector<bool>& visited) const {
    if (visited[k]) return;
    visited[k] = true;
    const Tensor& t = live_.tensors[k];
    c.members.push_back(k);
    c.never = c.never || t.network_output();
    for (const std::size_t j : t.consumers) {
      if (is_mac(net_, j))
        c.members.insert(c.members.end(), live_.producers[j].begin(), live_.producers[j].end());
      else
        collect_output_cut(j, c, visited);
    }
  }

  // Memoized dominance. At depth i (tensors before i decided) what is left to decide, its
  // legality and its cost depend on the decided tensors only through the state of those still
  // live at step i or read in place at a later step (`relevant_[i]`), and through whether the
  // decided members of each cut of a layer not yet settled (`unsettled_[i]`) all stay. Two
  // nodes at depth i that agree on these have the same completions at the same added cost, so
  // a node whose settled cost is no lower in energy and in cycles than an earlier node's cannot
  // lead to a better plan (the score rises with both) and is pruned. Without it the search
  // re-solves a contended block below every combination of free choices above it.
  void index_depths() {
    std::vector<std::size_t> last_use(n_), settled_at(n_, 0), first_member(n_, n_);
    for (std::size_t k = 0; k < n_; ++k) last_use[k] = live_.tensors[k].last;
    for (std::size_t k = 0; k < n_; ++k) {
      if (!costs_[k]) continue;
      for (const Conjunction* c : {&input_cut_[k], &output_cut_[k]}) {
        if (c->never) continue;
        settled_at[k] = std::max(settled_at[k], c->members.back() + 1);
        first_member[k] = std::min(first_member[k], c->members.front());
      }
      for (const std::size_t p : live_.producers[footprints_[k].reader_at(k)])
        last_use[p] = std::max(last_use[p], k);
    }
    settled_at_.assign(n_ + 1, {});
    unsettled_.assign(n_ + 1, {});
    relevant_.assign(n_ + 1, {});
    for (std::size_t k = 0; k < n_; ++k) {
      if (!costs_[k]) continue;
      settled_at_[settled_at[k]].push_back(k);
      for (std::size_t i = first_member[k] + 1; i < settled_at[k]; ++i) unsettled_[i].push_back(k);
    }
    for (std::size_t j = 0; j < n_; ++j)
      for (std::size_t i = j + 1; i <= last_use[j]; ++i) relevant_[i].push_back(j);
    seen_.resize(n_ + 1);
  }
  [[nodiscard]] bool dominated(std::size_t i, const Settled& settled) {
    std::string key;
    key.reserve(relevant_[i].size() + 2 * unsettled_[i].size());
    for (const std::size_t j : relevant_[i]) key.push_back(static_cast<char>(state_[j]));
    const auto decided_part_holds = [&](const Conjunction& c) {
      return static_cast<char>(!c.never &&
                               std::none_of(c.members.begin(), c.members.end(),
                                            [&](std::size_t m) { return state_[m] == kSpill; }));
    };
    for (const std::size_t k : unsettled_[i]) {
      key.push_back(decided_part_holds(input_cut_[k]));
      key.push_back(decided_part_holds(output_cut_[k]));
    }
    auto& seen = seen_[i][key];
    for (const Settled& s : seen)
      if (s.energy_pj <= settled.energy_pj && s.cycles <= settled.cycles) return true;
    std::erase_if(seen, [&](const Settled& s) {
      return settled.energy_pj <= s.energy_pj && settled.cycles <= s.cycles;
    });
    seen.push_back(settled);
    return false;
  }
  [[nodiscard]] LayerCost settled_cost(std::size_t k) const {
    const auto holds = [&](const Conjunction& c) {
      return !c.never && std::all_of(c.members.begin(), c.members.end(),
                                     [&](std::size_t m) { return state_[m] == kStay; });
    };
    return (*costs_[k])[holds(input_cut_[k])][holds(output_cut_[k])];
  }

  // A lower bound on every completion's score: each layer priced with the best cut its decided
  // tensors still allow, counting an open tensor as resident where it could still stay (see
  // could_stay). Cutting DRAM transfers never adds energy or cycles, so it is admissible.
  [[nodiscard]] double bound() {
    // Two passes: the second knows which later inputs cannot stay when it judges in-place reads.
    std::fill(can_stay_.begin(), can_stay_.end(), true);
    for (int pass = 0; pass < 2; ++pass)
      for (std::size_t i = 0; i < n_; ++i) can_stay_[i] = state_[i] == kOpen && could_stay(i);
    const auto possible = [&](const Conjunction& c) {
      return !c.never && std::all_of(c.members.begin(), c.members.end(),
                                     [&](std::size_t m) { return may_be_resident(m); });
    };
    double energy = 0, cycles = 0;
    for (std::size_t k = 0; k < n_; ++k) {
      if (!costs_[k]) continue;
      const LayerCost& c = (*costs_[k])[possible(input_cut_[k])][possible(output_cut_[k])];
      energy += c.energy_pj;
      cycles += c.cycles;
    }
    return score_(energy, cycles);
  }
  // Whether open tensor i may still stay, judged by can_stay_ of the tensors before it (and,
  // for the in-place reads of its steps, by the previous pass): not when some step of its life
  // is too full even at that step's least footprint, nor when it is a non-MAC tensor over an
  // input that cannot stay. Each pass only clears entries that no completion can set.
  [[nodiscard]] bool could_stay(std::size_t i) const {
    const Tensor& t = live_.tensors[i];
    if (t.network_output() || banned_[i]) return false;
    const auto& ps = live_.producers[i];
    if (!is_mac(net_, i) && (ps.empty() || !std::all_of(ps.begin(), ps.end(), [&](std::size_t p) {
                               return may_be_resident(p);
                             })))
      return false;
    for (std::size_t k = t.first; k <= t.last; ++k)
      if (used_[k] + t.bits + min_footprint(k, true) > capacity_) return false;
    return true;
  }
  [[nodiscard]] bool may_be_resident(std::size_t p) const {
    return state_[p] == kStay || (state_[p] == kOpen && can_stay_[p]);
  }

  // Step k's footprint at best, given the tensors decided so far (`bounding`: and those bound()
  // found cannot stay).
  [[nodiscard]] std::int64_t min_footprint(std::size_t k, bool bounding) const {
    const auto& ps = live_.producers[footprints_[k].reader_at(k)];
    const bool can_read_in_place =
        !ps.empty() && std::all_of(ps.begin(), ps.end(), [&](std::size_t p) {
          return (bounding ? may_be_resident(p) : state_[p] != kSpill) && !banned_[p] &&
                 !live_.tensors[p].network_output();
        });
    return can_read_in_place ? footprints_[k].in_place : footprints_[k].full;
  }
  // Whether every step that holds a resident tensor can still fit.
  [[nodiscard]] bool feasible_at(std::size_t k) const {
    return used_[k] == 0 || used_[k] + min_footprint(k, false) <= capacity_;
  }
  [[nodiscard]] bool feasible_around(std::size_t i) const {
    const Tensor& t = live_.tensors[i];
    for (std::size_t k = t.first; k <= t.last; ++k)
      if (!feasible_at(k)) return false;
    return true;
  }

  void set(std::size_t i, State s) {
    const Tensor& t = live_.tensors[i];
    const std::int64_t delta = (s == kStay) - (state_[i] == kStay);
    state_[i] = s;
    if (delta != 0)
      for (std::size_t k = t.first; k <= t.last; ++k) used_[k] += delta * t.bits;
  }

  void leaf() {
    std::vector<bool> r(n_);
    for (std::size_t i = 0; i < n_; ++i) r[i] = state_[i] == kStay;
    Residency plan = derive_transfers(live_, net_, std::move(r));
    const double s = plan_score(plan, costs_, score_);
    if (s < best_score_) {
      best_score_ = s;
      best_ = std::move(plan);
    }
  }

  void dfs(std::size_t i, const Settled& settled) {
    if (stopped_) return;
    if (++nodes > limit_) {
      stopped_ = true;
      return;
    }
    if (i == n_) {
      leaf();
      return;
    }
    if (dominated(i, settled)) {
      ++pruned;
      return;
    }
    const Tensor& t = live_.tensors[i];
    const bool may_stay =
        !t.network_output() && !banned_[i] && (is_mac(net_, i) || all_inputs_stay(i));
    for (const State s : {kStay, kSpill}) {
      if (s == kStay && !may_stay) continue;
      set(i, s);
      // Spilling can cost a consumer its in-place read; staying adds the tensor to its steps.
      if (feasible_around(i) && bound() < best_score_) {
        Settled next = settled;
        for (const std::size_t k : settled_at_[i + 1]) next.add(settled_cost(k));
        dfs(i + 1, next);
      } else {
        ++pruned;
      }
    }
    set(i, kOpen);
  }
  [[nodiscard]] bool all_inputs_stay(std::size_t i) const {
    const auto& ps = live_.producers[i];
    return !ps.empty() &&
           std::all_of(ps.begin(), ps.end(), [&](std::size_t p) { return state_[p] == kStay; });
  }

  const Liveness& live_;
  const workloads::Network& net_;
  std::int64_t capacity_;
  const std::vector<Footprint>& footprints_;
  const std::vector<std::optional<CutCosts>>& costs_;
  const ScheduleScore& score_;
  std::uint64_t limit_;
  std::size_t n_;
  std::vector<State> state_;
  std::vector<std::int64_t> used_;
  std::vector<bool> banned_;
  std::vector<Conjunction> input_cut_, output_cut_;  // by MAC layer
  std::vector<bool> can_stay_;                       // bound()'s scratch, by tensor
  // By depth: the MAC layers settled on reaching it, those with a cut still open, and the
  // decided tensors a completion depends on (index_depths).
  std::vector<std::vector<std::size_t>> settled_at_, unsettled_, relevant_;
  std::vector<std::unordered_map<std::string, std::vector<Settled>>> seen_;  // by depth
  Residency best_;
  double best_score_ = 0, root_bound_ = 0;
  bool stopped_ = false;
};

}  // namespace

double plan_score(const Residency& r, const std::vector<std::optional<CutCosts>>& costs,
                  const ScheduleScore& score) {
  double energy = 0, cycles = 0;
  for (std::size_t k = 0; k < costs.size(); ++k) {
    if (!costs[k]) continue;
    const bool out = r.resident[k] && !r.dram_needed[k];
    const LayerCost& c = (*costs[k])[r.input_on_chip[k]][out];
    energy += c.energy_pj;
    cycles += c.cycles;
  }
  return score(energy, cycles);
}

Residency search_residency(const Liveness& live, const workloads::Network& net,
                           std::int64_t capacity_bits, const std::vector<Footprint>& footprints,
                           const std::vector<std::optional<CutCosts>>& costs,
                           const ScheduleScore& score, ResidencySearchStats* stats,
                           std::uint64_t node_limit, const std::vector<bool>& banned) {
  const Residency greedy = plan_residency(live, net, capacity_bits, footprints, banned);
  Search search(live, net, capacity_bits, footprints, costs, score, node_limit, banned);
  if (capacity_bits > 0) search.run(greedy);
  Residency best = capacity_bits > 0 ? search.best() : greedy;
  // Of equally good plans, report the one with the fewest resident tensors: a tensor whose stay
  // saves nothing goes to DRAM (latest first, as long as the plan still fits).
  const double best_score = plan_score(best, costs, score);
  for (std::size_t i = best.resident.size(); i-- > 0;) {
    if (!best.resident[i]) continue;
    std::vector<bool> r = best.resident;
    r[i] = false;
    Residency trial = derive_transfers(live, net, std::move(r));
    if (residency_fits(live, net, capacity_bits, footprints, trial.resident) &&
        plan_score(trial, costs, score) <= best_score)
      best = std::move(trial);
  }
  if (stats) {
    stats->nodes = search.nodes;
    stats->pruned = search.pruned;
    stats->complete = capacity_bits <= 0 || search.complete();
    stats->greedy_score = plan_score(greedy, costs, score);
    stats->best_score = plan_score(best, costs, score);
    const double lb = stats->complete ? stats->best_score : search.root_bound();
    stats->optimality_gap_pct =
        stats->best_score > 0 ? 100.0 * (stats->best_score - lb) / stats->best_score : 0.0;
  }
  return best;
}

}  // namespace loom::schedule
