// SPDX-License-Identifier: Apache-2.0
#include "sweep/nsga2.hpp"

#include <algorithm>
#include <limits>
#include <numeric>
#include <set>

#include "sweep/pareto.hpp"

namespace loom::sweep {
namespace {

// Deb's constrained domination (NSGA-II paper, §V).
bool c_dominates(const Fitness& a, const Fitness& b) {
  if (a.violation == 0 && b.violation > 0) return true;
  if (a.violation > 0) return b.violation > 0 && a.violation < b.violation;
  return dominates(a.objectives, b.objectives);
}

}  // namespace

std::vector<std::size_t> nondominated_ranks(const std::vector<Fitness>& m) {
  const std::size_t n = m.size();
  std::vector<std::vector<std::size_t>> dominated(n);
  std::vector<std::size_t> count(n, 0), rank(n, 0), current;
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j) {
      if (i == j) continue;
      if (c_dominates(m[i], m[j]))
        dominated[i].push_back(j);
      else if (c_dominates(m[j], m[i]))
        ++count[i];
    }
  for (std::size_t i = 0; i < n; ++i)
    if (count[i] == 0) current.push_back(i);
  for (std::size_t r = 0; !current.empty(); ++r) {
    std::vector<std::size_t> next;
    for (std::size_t i : current) {
      rank[i] = r;
      for (std::size_t j : dominated[i])
        if (--count[j] == 0) next.push_back(j);
    }
    std::sort(next.begin(), next.end());
    current = std::move(next);
  }
  return rank;
}

Nsga2::Nsga2(std::vector<std::size_t> radix, const StrategySpec& spec)
    : radix_(std::move(radix)), spec_(spec), rng_(spec.seed) {
  for (auto r : radix_)
    if (__builtin_mul_overflow(space_size_, static_cast<std::uint64_t>(r), &space_size_))
      space_size_ = std::numeric_limits<std::uint64_t>::max();
}

Genome Nsga2::random_genome() {
  Genome g(radix_.size());
  for (std::size_t i = 0; i < g.size(); ++i)
    g[i] = rng_.below(static_cast<std::uint32_t>(radix_[i]));
  return g;
}

const Nsga2::Member& Nsga2::tournament() {
  const auto n = static_cast<std::uint32_t>(population_.size());
  const Member& a = population_[rng_.below(n)];
  const Member& b = population_[rng_.below(n)];
  if (a.rank != b.rank) return a.rank < b.rank ? a : b;
  return b.crowding > a.crowding ? b : a;
}

std::vector<Genome> Nsga2::ask() {
  asked_.clear();
  if (done()) return asked_;
  if (generation_ == 0) {
    // Distinct genomes where the space allows (a few redraws, then accept a repeat).
    std::set<Genome> seen;
    while (asked_.size() < spec_.population) {
      Genome g = random_genome();
      for (int tries = 0; seen.count(g) && tries < 32; ++tries) g = random_genome();
      seen.insert(g);
      asked_.push_back(std::move(g));
    }
    return asked_;
  }
  const std::uint32_t genes = static_cast<std::uint32_t>(radix_.size());
  while (asked_.size() < spec_.population) {
    Genome a = tournament().genome;
    Genome b = tournament().genome;
    // Crossover with probability p: compare 32 random bits with p * 2^32.
    const auto threshold = static_cast<std::uint64_t>(spec_.crossover * 4294967296.0);
    if (rng_.bits32() < threshold)
      for (std::size_t i = 0; i < a.size(); ++i)
        if (rng_.bits32() & 1u) std::swap(a[i], b[i]);
    for (Genome* g : {&a, &b})
      for (std::size_t i = 0; i < g->size(); ++i)
        if (radix_[i] > 1 && rng_.below(genes) == 0) {
          // Another value of gene i, uniformly.
          const auto r = rng_.below(static_cast<std::uint32_t>(radix_[i] - 1));
          (*g)[i] = r >= (*g)[i] ? r + 1 : r;
        }
    asked_.push_back(std::move(a));
    asked_.push_back(std::move(b));
  }
  return asked_;
}

void Nsga2::tell(const std::vector<Fitness>& fitness) {
  std::vector<Member> pool = std::move(population_);
  for (std::size_t i = 0; i < asked_.size(); ++i) pool.push_back({asked_[i], fitness.at(i), 0, 0});
  told_.insert(asked_.begin(), asked_.end());
  select_survivors(std::move(pool));
  ++generation_;
}

void Nsga2::select_survivors(std::vector<Member> all) {
  // A genome present twice would only crowd the population: keep its first copy.
  std::vector<Member> pool;
  std::set<Genome> seen;
  for (auto& m : all)
    if (seen.insert(m.genome).second) pool.push_back(std::move(m));
  std::vector<Fitness> fits;
  for (const auto& m : pool) fits.push_back(m.fit);
  const auto rank = nondominated_ranks(fits);
  for (std::size_t i = 0; i < pool.size(); ++i) pool[i].rank = rank[i];
  // Crowding distance per front (NSGA-II §III-B), boundary points infinite.
  const std::size_t fronts = pool.empty() ? 0 : *std::max_element(rank.begin(), rank.end()) + 1;
  const std::size_t nobj = pool.empty() ? 0 : pool.front().fit.objectives.size();
  for (std::size_t f = 0; f < fronts; ++f) {
    std::vector<std::size_t> idx;
    for (std::size_t i = 0; i < pool.size(); ++i)
      if (pool[i].rank == f) idx.push_back(i);
    if (pool[idx.front()].fit.violation > 0) continue;  // infeasible fronts: one member each
    for (std::size_t k = 0; k < nobj; ++k) {
      std::stable_sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) {
        return pool[a].fit.objectives[k] < pool[b].fit.objectives[k];
      });
      const double lo = pool[idx.front()].fit.objectives[k];
      const double hi = pool[idx.back()].fit.objectives[k];
      pool[idx.front()].crowding = pool[idx.back()].crowding =
          std::numeric_limits<double>::infinity();
      if (hi <= lo) continue;
      for (std::size_t j = 1; j + 1 < idx.size(); ++j)
        pool[idx[j]].crowding +=
            (pool[idx[j + 1]].fit.objectives[k] - pool[idx[j - 1]].fit.objectives[k]) / (hi - lo);
    }
  }
  std::vector<std::size_t> order(pool.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (pool[a].rank != pool[b].rank) return pool[a].rank < pool[b].rank;
    return pool[a].crowding > pool[b].crowding;
  });
  population_.clear();
  for (std::size_t i = 0; i < order.size() && population_.size() < spec_.population; ++i)
    population_.push_back(pool[order[i]]);
}

}  // namespace loom::sweep
