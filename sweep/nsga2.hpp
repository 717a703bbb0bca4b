// SPDX-License-Identifier: Apache-2.0
#pragma once
// NSGA-II (Deb, Pratap, Agarwal, Meyarivan, "A fast and elitist multiobjective genetic
// algorithm: NSGA-II", IEEE TEC 6(2), 2002) over discrete genomes (one index per sweep axis),
// ask/tell: ask() proposes the initial population, then one generation of offspring at a time;
// tell() takes their fitness in ask order. Constraints by Deb's constrained domination (§V):
// a feasible point beats an infeasible one, two infeasible points compare by violation.
// Variation: binary tournament on (front rank, crowding distance), uniform crossover with
// probability `crossover` per pair, and mutation of each gene with probability 1/genes to
// another of its values. Deterministic: the seed and the fitness values fix every proposal.
#include <cstdint>
#include <set>
#include <vector>

#include "mapper/rng.hpp"
#include "sweep/spec.hpp"

namespace loom::sweep {

using Genome = std::vector<std::size_t>;

struct Fitness {
  std::vector<double> objectives;  // lower is better; finite when feasible
  double violation = 0;            // 0 when feasible, > 0 otherwise
};

class Nsga2 {
 public:
  // `radix[i]` values for gene i (each >= 1).
  Nsga2(std::vector<std::size_t> radix, const StrategySpec& spec);

  // Done after the last generation, or as soon as every point of the space has been told:
  // later generations could only propose points already evaluated (a population of 100,000
  // over 4 points would otherwise spin for hours).
  [[nodiscard]] bool done() const {
    return generation_ > spec_.generations || told_.size() >= space_size_;
  }
  // The genomes to evaluate next (empty once done()).
  [[nodiscard]] std::vector<Genome> ask();
  void tell(const std::vector<Fitness>& fitness);

 private:
  struct Member {
    Genome genome;
    Fitness fit;
    std::size_t rank = 0;
    double crowding = 0;
  };
  void select_survivors(std::vector<Member> pool);
  [[nodiscard]] const Member& tournament();
  Genome random_genome();

  std::vector<std::size_t> radix_;
  StrategySpec spec_;
  mapper::Rng rng_;
  std::vector<Member> population_;
  std::vector<Genome> asked_;
  std::set<Genome> told_;         // every distinct genome evaluated so far
  std::uint64_t space_size_ = 1;  // product of the radices, saturated at 2^64 − 1
  std::uint64_t generation_ = 0;  // 0: the initial population
};

// Sorts `members` into fronts by constrained domination; returns each member's front (0 best).
std::vector<std::size_t> nondominated_ranks(const std::vector<Fitness>& members);

}  // namespace loom::sweep
