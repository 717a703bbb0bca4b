// SPDX-License-Identifier: Apache-2.0
// The exact search against exhaustive enumeration on synthetic landscapes: the same optimum
// (score and point), a certificate that equals it once complete, and a bound that never
// exceeds it when a budget stops the search early.
#include <catch2/catch.hpp>

#include "landscapes.hpp"
#include "mapper/bounds.hpp"
#include "mapper/exact.hpp"
#include "mapper/mapper.hpp"

using namespace loom::mapper;
using namespace loom::mapper::test;

namespace {

// A separable bowl with admissible bounds: every assigned gene contributes its exact term, the
// others at least 0; genes are assigned last first, and two values equidistant from the centre
// are not merged (they give different points), so candidates are every value.
class BoundedBowl final : public Evaluator, public PrefixBounds {
 public:
  BoundedBowl(std::vector<std::uint32_t> domains, Genome centre)
      : domains_(std::move(domains)), centre_(std::move(centre)) {}
  [[nodiscard]] SearchSpace space() const { return {domains_}; }
  [[nodiscard]] Evaluation evaluate(GenomeView g) const override {
    double e = 100;
    for (std::size_t i = 0; i < g.size(); ++i) e += term(i, g[i]);
    return {true, {e, 2.0 + double(g[0] % 2)}};
  }
  [[nodiscard]] const PrefixBounds* bounds() const override { return this; }
  [[nodiscard]] std::vector<std::size_t> order() const override {
    std::vector<std::size_t> o;
    for (std::size_t i = domains_.size(); i-- > 0;) o.push_back(i);
    return o;
  }
  void candidates(GenomeView, std::size_t depth, std::vector<std::uint32_t>& out) const override {
    out.clear();
    for (std::uint32_t v = 0; v < domains_[order()[depth]]; ++v) out.push_back(v);
  }
  [[nodiscard]] Cost lower_bound(GenomeView g, std::size_t depth) const override {
    const auto o = order();
    double e = 100;
    for (std::size_t k = 0; k < depth; ++k) e += term(o[k], g[o[k]]);
    return {e, 2.0};
  }

 private:
  [[nodiscard]] double term(std::size_t i, std::uint32_t v) const {
    const double d = double(v) - double(centre_[i]);
    return double(i + 1) * d * d;
  }
  std::vector<std::uint32_t> domains_;
  Genome centre_;
};

}  // namespace

TEST_CASE("exact search without bounds finds the exhaustive optimum and certifies it") {
  const TilingLandscape tiling({});
  const auto ex =
      search(tiling.space(), tiling, {.budget = 200'000, .strategy = Strategy::exhaustive});
  for (const auto kind : {ObjectiveKind::energy, ObjectiveKind::latency, ObjectiveKind::edp}) {
    MapperOptions o{.budget = 200'000, .objective = {.kind = kind}, .strategy = Strategy::exact};
    const auto exact = search(tiling.space(), tiling, o);
    o.strategy = Strategy::exhaustive;
    const auto ref = search(tiling.space(), tiling, o);
    REQUIRE(ref.best);
    REQUIRE(exact.best);
    CHECK(exact.best_score == ref.best_score);
    CHECK(*exact.best == *ref.best);
    CHECK(exact.evaluated == ref.evaluated);  // nothing to prune with
    REQUIRE(exact.optimality_gap_pct);
    CHECK(*exact.optimality_gap_pct == 0);
    CHECK(*exact.lower_bound == exact.best_score);
  }
  CHECK(ex.best);
}

TEST_CASE("exact search with admissible bounds prunes and still returns the exhaustive optimum") {
  const BoundedBowl bowl({7, 5, 9, 4, 6, 8}, {3, 0, 8, 2, 5, 1});
  for (const auto kind : {ObjectiveKind::energy, ObjectiveKind::edp}) {
    MapperOptions o{.budget = 1'000'000, .objective = {.kind = kind}, .strategy = Strategy::exact};
    const auto exact = search(bowl.space(), bowl, o);
    o.strategy = Strategy::exhaustive;
    const auto ref = search(bowl.space(), bowl, o);
    REQUIRE(exact.best);
    CHECK(exact.best_score == ref.best_score);
    CHECK(*exact.best == *ref.best);
    CHECK(exact.pruned > 0);
    CHECK(exact.evaluated < ref.evaluated / 4);
    CHECK(*exact.optimality_gap_pct == 0);
  }
}

TEST_CASE("an exact search stopped by its budget reports a bound below the optimum") {
  const BoundedBowl bowl({7, 5, 9, 4, 6, 8}, {3, 0, 8, 2, 5, 1});
  const auto ref =
      search(bowl.space(), bowl, {.budget = 1'000'000, .strategy = Strategy::exhaustive});
  for (const std::uint64_t budget : {1, 5, 20}) {
    const auto r = search(bowl.space(), bowl,
                          {.budget = budget, .strategy = Strategy::exact, .batch_size = 4});
    REQUIRE(r.lower_bound);
    CHECK(*r.lower_bound <= ref.best_score);
    if (r.best) CHECK(r.best_score >= ref.best_score);
    REQUIRE(r.optimality_gap_pct);
    CHECK(*r.optimality_gap_pct >= 0);
  }
}

TEST_CASE("exact search proposes a zero-gene space's one point") {
  const SearchSpace none{};
  ExactSearch s(none, nullptr, {});
  Batch b(0);
  s.ask(10, b);
  CHECK(b.size() == 1);
  CHECK(s.done());
}
