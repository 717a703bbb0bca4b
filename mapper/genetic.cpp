// SPDX-License-Identifier: Apache-2.0
#include "mapper/genetic.hpp"

#include <algorithm>

#include "core/error.hpp"

namespace loom::mapper {

void GeneticOptions::validate() const {
  if (population < 2) throw Error("genetic search: population must be >= 2");
  if (elites >= population) throw Error("genetic search: elites must be < population");
  if (population > (1u << 20)) throw Error("genetic search: population must be <= 2^20");
  if (tournament < 1) throw Error("genetic search: tournament must be >= 1");
  if (!(crossover_rate >= 0 && crossover_rate <= 1))
    throw Error("genetic search: crossover_rate must be in [0, 1]");
  if (!(mutation_rate >= 0 && mutation_rate <= 1))
    throw Error("genetic search: mutation_rate must be in [0, 1]");
}

GeneticSearch::GeneticSearch(const SearchSpace& space, std::uint64_t seed,
                             const GeneticOptions& options)
    : domains_(space.domains),
      opt_(options),
      rng_(seed),
      population_(space.genes()),
      children_(space.genes()),
      scratch_(space.genes()) {
  opt_.validate();
  for (std::size_t i = 0; i < domains_.size(); ++i)
    if (domains_[i] > 1) free_genes_.push_back(static_cast<std::uint32_t>(i));
  // One mutation per child on average; genes with a single value cannot mutate.
  if (opt_.mutation_rate == 0 && !free_genes_.empty())
    opt_.mutation_rate = 1.0 / static_cast<double>(free_genes_.size());
  crossover_odds_ = Rng::odds(opt_.crossover_rate);
  // gap_odds_[k] = P(gap <= k) = 1 - (1-p)^(k+1), as bits32() odds. Plain multiplication, no
  // pow(): IEEE arithmetic is reproducible everywhere, libm functions are not.
  double none = 1.0;
  for (std::size_t k = 0; k < free_genes_.size(); ++k) {
    none *= 1.0 - opt_.mutation_rate;
    gap_odds_.push_back(Rng::odds(1.0 - none));
  }
  random_children(opt_.population);  // generation 0
  child_fitness_.assign(children_.size(), 0.0);
}

bool GeneticSearch::done() const {
  return opt_.generations != 0 && generation_ >= opt_.generations;
}

void GeneticSearch::ask(std::size_t max_points, Batch& out) {
  if (done()) return;
  if (asked_ == children_.size() && told_ == asked_) breed();
  for (; max_points > 0 && asked_ < children_.size(); --max_points) out.add(children_[asked_++]);
}

void GeneticSearch::tell(const Batch& points, std::span<const double> scores) {
  (void)points;  // the points are our own children_, asked in order
  for (double s : scores) child_fitness_[told_++] = s;
  if (told_ == children_.size()) adopt_generation();
}

void GeneticSearch::random_children(std::size_t count) {
  for (std::size_t k = 0; k < count; ++k) {
    auto g = children_.add();
    for (std::size_t i = 0; i < g.size(); ++i) g[i] = rng_.below(domains_[i]);
  }
}

// Fitter = lower score; ties go to the lower index. The population's order is itself
// deterministic (elites, then children in breeding order), and ties are common (flat regions,
// invalid points, equal cycle counts), so comparing genomes here would cost more than it buys.
bool GeneticSearch::fitter(std::size_t a, std::size_t b) const {
  return fitness_[a] < fitness_[b] || (fitness_[a] == fitness_[b] && a < b);
}

// The told generation joins the elites of the old population. Nothing is sorted: selection
// compares a few random members and elitism needs only the best few, found by linear scans.
void GeneticSearch::adopt_generation() {
  scratch_.clear();  // kept across generations: no allocation once grown
  scratch_fitness_.clear();
  if (generation_ > 0)
    for (std::size_t i : elites_) {
      scratch_.add(population_[i]);
      scratch_fitness_.push_back(fitness_[i]);
    }
  for (std::size_t i = 0; i < children_.size(); ++i) {
    scratch_.add(children_[i]);
    scratch_fitness_.push_back(child_fitness_[i]);
  }
  std::swap(population_, scratch_);
  std::swap(fitness_, scratch_fitness_);

  elites_.clear();
  const std::size_t n = population_.size();
  for (std::size_t e = 0; e < std::min(opt_.elites + 1, n); ++e) {  // +1: the best, if elites = 0
    std::size_t best = n;
    for (std::size_t i = 0; i < n; ++i)
      if (std::find(elites_.begin(), elites_.end(), i) == elites_.end() &&
          (best == n || fitter(i, best)))
        best = i;
    elites_.push_back(best);
  }
  const double best = fitness_[elites_.front()];
  elites_.resize(std::min(opt_.elites, n));
  if (!have_best_ || best < best_) {
    best_ = best;
    have_best_ = true;
    stalled_ = 0;
  } else {
    ++stalled_;
  }
  ++generation_;
}

std::size_t GeneticSearch::select() {
  const auto n = static_cast<std::uint32_t>(population_.size());
  std::size_t winner = rng_.below(n);
  for (std::size_t k = 1; k < opt_.tournament; ++k) {
    const std::size_t c = rng_.below(n);
    if (fitter(c, winner)) winner = c;
  }
  return winner;
}

// Per-gene mutation with probability p, drawn as the gaps between mutated genes (geometric
// with parameter p) rather than one draw per gene: the same distribution at O(mutations) cost,
// which is what makes breeding cheap next to a 1 us evaluation. Only genes with a choice count.
std::size_t GeneticSearch::next_gap() {
  const std::uint64_t u = rng_.bits32();
  return static_cast<std::size_t>(std::upper_bound(gap_odds_.begin(), gap_odds_.end(), u) -
                                  gap_odds_.begin());
}

void GeneticSearch::mutate(std::span<std::uint32_t> g, bool force) {
  bool changed = false;
  for (std::size_t k = next_gap(); k < free_genes_.size(); k += 1 + next_gap()) {
    const std::size_t i = free_genes_[k];
    const std::uint32_t old = g[i];
    const std::uint32_t coins = rng_.bits32();
    if (coins & 1) {  // one step, reflecting at the ends of the domain
      const bool up = (coins & 2) != 0;
      g[i] = (up && old + 1 < domains_[i]) || old == 0 ? old + 1 : old - 1;
    } else {
      g[i] = rng_.below(domains_[i]);
    }
    changed = changed || g[i] != old;
  }
  if (!force || changed || free_genes_.empty()) return;
  // A child identical to its parent would only be a duplicate: change one gene for sure, to a
  // different value.
  const std::size_t i = free_genes_[rng_.below(static_cast<std::uint32_t>(free_genes_.size()))];
  g[i] = (g[i] + 1 + rng_.below(domains_[i] - 1)) % domains_[i];
}

void GeneticSearch::breed() {
  children_.clear();
  asked_ = told_ = 0;
  if (opt_.restart_after != 0 && stalled_ >= opt_.restart_after) {
    stalled_ = 0;
    // Stalled: keep the elites, re-seed everything else to explore elsewhere. (Restarting
    // without the elites did worse on tests/mapper's deceptive landscape: crossover between
    // the elites and fresh points is what finds the other basin.)
    random_children(opt_.population - opt_.elites);
  } else {
    const std::size_t count = opt_.population - opt_.elites;
    for (std::size_t k = 0; k < count; ++k) {
      const auto a = population_[select()];
      const auto b = population_[select()];
      auto child = children_.add();
      const bool cross = rng_.chance_odds(crossover_odds_);
      std::uint64_t mask = 0;
      for (std::size_t i = 0; i < child.size(); ++i) {
        if (i % 64 == 0) mask = cross ? rng_.bits() : 0;  // one draw gives 64 fair coin flips
        // Branch-free select: a random branch per gene mispredicts half the time.
        const std::uint32_t take_b = 0u - static_cast<std::uint32_t>((mask >> (i % 64)) & 1);
        child[i] = a[i] ^ ((a[i] ^ b[i]) & take_b);
      }
      const bool same_as_parent = std::equal(child.begin(), child.end(), a.begin()) ||
                                  std::equal(child.begin(), child.end(), b.begin());
      mutate(child, same_as_parent);
    }
  }
  child_fitness_.assign(children_.size(), 0.0);
}

}  // namespace loom::mapper
