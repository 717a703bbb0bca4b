// SPDX-License-Identifier: Apache-2.0
#include "sweep/proposer.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include "mapper/rng.hpp"
#include "sweep/nsga2.hpp"
#include "sweep/pareto.hpp"

namespace loom::sweep {
namespace {

class ListProposer final : public Proposer {
 public:
  ListProposer(std::vector<std::uint64_t> ids, std::uint64_t batch)
      : ids_(std::move(ids)), batch_(std::max<std::uint64_t>(batch, 1)) {}
  std::vector<std::uint64_t> next() override {
    const std::size_t end = std::min<std::size_t>(ids_.size(), pos_ + batch_);
    std::vector<std::uint64_t> out(ids_.begin() + static_cast<std::ptrdiff_t>(pos_),
                                   ids_.begin() + static_cast<std::ptrdiff_t>(end));
    pos_ = end;
    return out;
  }
  void told(const std::vector<const PointResult*>&) override {}
  [[nodiscard]] std::uint64_t planned() const override { return ids_.size(); }

 private:
  std::vector<std::uint64_t> ids_;
  std::size_t batch_;
  std::size_t pos_ = 0;
};

// Grid without materialising the ids of a huge space.
class GridProposer final : public Proposer {
 public:
  GridProposer(std::uint64_t count, std::uint64_t batch)
      : count_(count), batch_(std::max<std::uint64_t>(batch, 1)) {}
  std::vector<std::uint64_t> next() override {
    std::vector<std::uint64_t> out;
    for (; pos_ < count_ && out.size() < batch_; ++pos_) out.push_back(pos_);
    return out;
  }
  void told(const std::vector<const PointResult*>&) override {}
  [[nodiscard]] std::uint64_t planned() const override { return count_; }

 private:
  std::uint64_t count_, batch_, pos_ = 0;
};

// Floyd's algorithm (Bentley & Floyd, "A sample of brilliance", CACM 30(9), 1987): k distinct
// ids of [0, n) with k draws.
std::vector<std::uint64_t> sample(std::uint64_t n, std::uint64_t k, std::uint64_t seed) {
  mapper::Rng rng(seed);
  std::set<std::uint64_t> s;
  for (std::uint64_t j = n - k; j < n; ++j) {
    // Uniform in [0, j] from 64 random bits (the modulo bias is below 2^-10 for j < 2^54).
    const std::uint64_t t = rng.bits() % (j + 1);
    s.insert(s.count(t) ? j : t);
  }
  return {s.begin(), s.end()};
}

class Nsga2Proposer final : public Proposer {
 public:
  explicit Nsga2Proposer(const SweepSpec& spec) : spec_(spec), ga_(radix(spec), spec.strategy) {}
  std::vector<std::uint64_t> next() override {
    std::vector<std::uint64_t> out;
    for (const auto& g : ga_.ask()) out.push_back(spec_.encode(g));
    return out;
  }
  void told(const std::vector<const PointResult*>& results) override {
    std::vector<Fitness> f;
    for (const auto* r : results) f.push_back(fitness_of(spec_, *r));
    ga_.tell(f);
  }
  [[nodiscard]] std::uint64_t planned() const override {
    return std::min(spec_.point_count(),
                    spec_.strategy.population * (spec_.strategy.generations + 1));
  }

 private:
  static std::vector<std::size_t> radix(const SweepSpec& spec) {
    std::vector<std::size_t> r;
    for (const auto& a : spec.axes) r.push_back(a.size());
    return r;
  }
  const SweepSpec& spec_;
  Nsga2 ga_;
};

double excess(double value, const std::optional<double>& limit) {
  if (!limit || !(value > *limit)) return 0;
  return *limit > 0 ? value / *limit - 1 : value - *limit;
}

}  // namespace

Fitness fitness_of(const SweepSpec& spec, const PointResult& p) {
  Fitness f;
  f.objectives = objective_vector(p, spec.objectives);
  const bool computed = std::all_of(f.objectives.begin(), f.objectives.end(),
                                    [](double x) { return std::isfinite(x); });
  if (!computed) {
    f.violation = 1e300;
    return f;
  }
  const auto& c = spec.constraints;
  f.violation = excess(p.area_mm2, c.area_mm2_max) + excess(p.power_w, c.power_w_max) +
                excess(p.buffer_kib, c.buffer_kib_max) +
                excess(p.accuracy_drop_pp.value_or(0), c.accuracy_drop_max);
  if (!p.feasible && f.violation == 0) f.violation = 1e300;
  return f;
}

std::unique_ptr<Proposer> make_proposer(const SweepSpec& spec, std::uint64_t batch) {
  switch (spec.strategy.kind) {
    case StrategyKind::grid:
      return std::make_unique<GridProposer>(spec.point_count(), batch);
    case StrategyKind::random:
      return std::make_unique<ListProposer>(
          sample(spec.point_count(), spec.strategy.samples, spec.strategy.seed), batch);
    case StrategyKind::nsga2:
      return std::make_unique<Nsga2Proposer>(spec);
  }
  return nullptr;
}

}  // namespace loom::sweep
