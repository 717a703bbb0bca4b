// SPDX-License-Identifier: Apache-2.0
#pragma once
// Which points a sweep evaluates, batch by batch: grid (every point, in id order), random (a
// seeded sample of distinct points, in id order) or NSGA-II (a population per generation). A
// proposer sees results only through told(); results depend on the point alone, so the
// proposals of a seeded sweep are the same on any number of ranks and after a resume.
#include <cstdint>
#include <memory>
#include <vector>

#include "sweep/nsga2.hpp"
#include "sweep/point.hpp"
#include "sweep/spec.hpp"

namespace loom::sweep {

class Proposer {
 public:
  virtual ~Proposer() = default;
  // The next batch of point ids (may repeat earlier ones); empty when finished.
  [[nodiscard]] virtual std::vector<std::uint64_t> next() = 0;
  // The results of the last batch, in its order.
  virtual void told(const std::vector<const PointResult*>& results) = 0;
  // Upper bound of distinct points this sweep evaluates (for progress and ETA).
  [[nodiscard]] virtual std::uint64_t planned() const = 0;
};

// `batch`: points per batch for grid and random.
std::unique_ptr<Proposer> make_proposer(const SweepSpec& spec, std::uint64_t batch);

// NSGA-II's view of a point: objectives (lower is better) and constraint violation — the
// relative excess over each limit, summed, or 1e300 for a point that could not be evaluated.

Fitness fitness_of(const SweepSpec& spec, const PointResult& p);

}  // namespace loom::sweep
