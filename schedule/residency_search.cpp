// SPDX-License-Identifier: Apache-2.0
#include "schedule/residency_search.hpp"

#include <algorithm>

namespace loom::schedule {
namespace {

bool is_mac(const workloads::Network& net, std::size_t i) {
  return workloads::does_macs(net.layers[i].op);
}

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
        banned_(banned.empty() ? std::vector<bool>(n_, false) : banned) {}

  void run(const Residency& incumbent) {
    best_ = incumbent;
    best_score_ = plan_score(incumbent, costs_, score_);
    root_bound_ = bound();
    dfs(0);
  }
  [[nodiscard]] const Residency& best() const { return best_; }
  [[nodiscard]] double best_score() const { return best_score_; }
  [[nodiscard]] double root_bound() const { return root_bound_; }
  [[nodiscard]] bool complete() const { return !stopped_; }
  std::uint64_t nodes = 0, pruned = 0;

 private:
  enum State : std::uint8_t { kOpen, kStay, kSpill };

  // The plan with open tensors counted as resident where they could still fit beside the
  // decided ones (network outputs never): every cut it allows is at least as good as any
  // completion's, since decided tensors only ever add to a step.
  [[nodiscard]] std::vector<bool> optimistic() const {
    std::vector<bool> r(n_);
    for (std::size_t i = 0; i < n_; ++i)
      r[i] = state_[i] == kStay || (state_[i] == kOpen && could_stay(i));
    return r;
  }
  [[nodiscard]] bool could_stay(std::size_t i) const {
    const Tensor& t = live_.tensors[i];
    if (t.network_output() || banned_[i]) return false;
    for (std::size_t k = t.first; k <= t.last; ++k)
      if (used_[k] + t.bits + min_footprint(k) > capacity_) return false;
    return true;
  }
  [[nodiscard]] double bound() const {
    return plan_score(derive_transfers(live_, net_, optimistic()), costs_, score_);
  }

  // Step k's footprint at best, given the tensors decided so far.
  [[nodiscard]] std::int64_t min_footprint(std::size_t k) const {
    const auto& ps = live_.producers[footprints_[k].reader_at(k)];
    const bool can_read_in_place =
        !ps.empty() && std::all_of(ps.begin(), ps.end(), [&](std::size_t p) {
          return state_[p] != kSpill && !banned_[p] && !live_.tensors[p].network_output();
        });
    return can_read_in_place ? footprints_[k].in_place : footprints_[k].full;
  }
  // Whether every step that holds a resident tensor can still fit.
  [[nodiscard]] bool feasible_at(std::size_t k) const {
    return used_[k] == 0 || used_[k] + min_footprint(k) <= capacity_;
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

  void dfs(std::size_t i) {
    if (stopped_) return;
    if (++nodes > limit_) {
      stopped_ = true;
      return;
    }
    if (i == n_) {
      leaf();
      return;
    }
    const Tensor& t = live_.tensors[i];
    const bool may_stay =
        !t.network_output() && !banned_[i] && (is_mac(net_, i) || all_inputs_stay(i));
    for (const State s : {kStay, kSpill}) {
      if (s == kStay && !may_stay) continue;
      set(i, s);
      // Spilling can cost a consumer its in-place read; staying adds the tensor to its steps.
      if (feasible_around(i) && bound() < best_score_)
        dfs(i + 1);
      else
        ++pruned;
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
