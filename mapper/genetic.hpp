// SPDX-License-Identifier: Apache-2.0
#pragma once
// A generational genetic algorithm: tournament selection, uniform crossover, per-gene mutation,
// elitism, and a restart of the non-elite population when the best score stalls (mapping
// spaces are rugged; a converged population otherwise only re-proposes points already seen).
//
// Mutation moves a gene one step up or down half of the time and redraws it uniformly
// otherwise: the builders of mapping spaces order a gene's values (tile factors ascending), so
// neighbouring values tend to cost alike, while uniform redraws keep long jumps possible.
//
// Generations are proposed whole but may be asked for in slices; the next generation is bred
// once every child of the current one has been told. Ties in fitness go to the member bred
// first, so selection never depends on anything but the seed and the scores.
#include <cstddef>
#include <cstdint>

#include "mapper/rng.hpp"
#include "mapper/search.hpp"

namespace loom::mapper {

struct GeneticOptions {
  std::size_t population = 64;
  std::size_t generations = 0;    // 0: breed until the mapper's budget ends
  std::size_t tournament = 4;     // contestants per selection; larger = greedier
  std::size_t elites = 2;         // best individuals copied unchanged into the next generation
  double crossover_rate = 0.9;    // else a child copies its first parent before mutation
  double mutation_rate = 0;       // per gene; 0 means 1 / (genes with > 1 value)
  std::size_t restart_after = 8;  // generations without improvement; 0 = never restart

  // Throws loom::Error on out-of-range values (e.g. elites >= population).
  void validate() const;
};

class GeneticSearch final : public Search {
 public:
  GeneticSearch(const SearchSpace& space, std::uint64_t seed, const GeneticOptions& options);

  void ask(std::size_t max_points, Batch& out) override;
  void tell(const Batch& points, std::span<const double> scores) override;
  [[nodiscard]] bool done() const override;

  [[nodiscard]] std::size_t generation() const { return generation_; }

 private:
  void breed();
  void random_children(std::size_t count);
  void adopt_generation();
  void mutate(std::span<std::uint32_t> g, bool force);
  [[nodiscard]] std::size_t next_gap();
  [[nodiscard]] std::size_t select();  // tournament; returns an index into population_
  [[nodiscard]] bool fitter(std::size_t a, std::size_t b) const;

  std::vector<std::uint32_t> domains_;
  GeneticOptions opt_;
  std::uint64_t crossover_odds_ = 0;       // Rng::odds(crossover_rate)
  std::vector<std::uint32_t> free_genes_;  // genes with more than one value
  std::vector<std::uint64_t> gap_odds_;    // see next_gap()
  Rng rng_;
  Batch population_;
  std::vector<double> fitness_;      // of population_
  std::vector<std::size_t> elites_;  // indices of population_'s fittest, best first
  Batch children_;                   // the generation in flight
  std::vector<double> child_fitness_;
  Batch scratch_;  // the next population, built by adopt_generation()
  std::vector<double> scratch_fitness_;
  std::size_t asked_ = 0, told_ = 0;
  std::size_t generation_ = 0;
  std::size_t stalled_ = 0;
  double best_ = 0;
  bool have_best_ = false;
};

}  // namespace loom::mapper
