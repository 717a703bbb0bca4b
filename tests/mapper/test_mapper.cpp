// SPDX-License-Identifier: Apache-2.0
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstring>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>

#include "core/error.hpp"
#include "landscapes.hpp"
#include "mapper/mapper.hpp"

using namespace loom::mapper;
using namespace loom::mapper::test;

namespace {

const TilingLandscape kTiling({});

// Counts calls and remembers which genomes it saw, to check the memo.
class Counting final : public Evaluator {
 public:
  explicit Counting(const Evaluator& inner) : inner_(inner) {}
  [[nodiscard]] Evaluation evaluate(GenomeView g) const override {
    ++calls;
    std::lock_guard lock(mutex_);
    seen.emplace(g.begin(), g.end());
    return inner_.evaluate(g);
  }
  mutable std::atomic<std::uint64_t> calls{0};
  mutable std::set<Genome> seen;

 private:
  const Evaluator& inner_;
  mutable std::mutex mutex_;
};

// Another evaluator's answers, after spinning for `delay`.
class Slowed final : public Evaluator {
 public:
  Slowed(const Evaluator& inner, std::chrono::microseconds delay) : inner_(inner), delay_(delay) {}
  [[nodiscard]] Evaluation evaluate(GenomeView g) const override {
    const auto until = std::chrono::steady_clock::now() + delay_;
    while (std::chrono::steady_clock::now() < until) {
    }
    return inner_.evaluate(g);
  }

 private:
  const Evaluator& inner_;
  std::chrono::microseconds delay_;
};

std::uint64_t bits(double d) {
  std::uint64_t u;
  std::memcpy(&u, &d, sizeof u);
  return u;
}

void check_same(const MapperResult& a, const MapperResult& b) {
  REQUIRE(a.best.has_value() == b.best.has_value());
  if (a.best) CHECK(*a.best == *b.best);
  CHECK(bits(a.best_score) == bits(b.best_score));
  CHECK(bits(a.best_eval.cost.energy_pj) == bits(b.best_eval.cost.energy_pj));
  CHECK(bits(a.best_eval.cost.cycles) == bits(b.best_eval.cost.cycles));
  CHECK(a.evaluated == b.evaluated);
  CHECK(a.valid == b.valid);
  CHECK(a.proposed == b.proposed);
  CHECK(a.stop == b.stop);
}

}  // namespace

TEST_CASE("exhaustive search finds the exact optimum of a bowl") {
  const Bowl bowl({6, 7, 8, 9}, {5, 0, 3, 8});
  const auto r = search(bowl.space(), bowl, {.strategy = Strategy::exhaustive});
  REQUIRE(r.best);
  CHECK(*r.best == Genome{5, 0, 3, 8});
  CHECK(r.best_score == 100.0);
  CHECK(r.evaluated == 6u * 7 * 8 * 9);
  CHECK(r.stop == StopReason::strategy_done);
  CHECK(r.empty_reason.empty());
}

TEST_CASE("result is identical with 1, 2 and 3 threads, any batch size, and on a rerun") {
  // ~2 us per point, so the pool really shares batches (it runs cheap ones on one thread).
  const Slowed slow(kTiling, std::chrono::microseconds(2));
  for (const auto strategy : {Strategy::genetic, Strategy::random, Strategy::exhaustive}) {
    MapperOptions o{.budget = 6000, .seed = 11, .threads = 1, .strategy = strategy};
    const auto one = search(kTiling.space(), slow, o);
    o.threads = 2;
    const auto two = search(kTiling.space(), slow, o);
    o.threads = 3;
    o.batch_size = 97;
    const auto three = search(kTiling.space(), slow, o);
    o.threads = 2;
    o.batch_size = 1024;
    const auto again = search(kTiling.space(), slow, o);
    check_same(one, two);
    check_same(one, three);
    check_same(two, again);
    CHECK(one.evaluated == 6000);
  }
}

TEST_CASE("different seeds explore differently") {
  MapperOptions o{.budget = 3000, .seed = 1, .strategy = Strategy::random};
  const auto a = search(kTiling.space(), kTiling, o);
  o.seed = 2;
  const auto b = search(kTiling.space(), kTiling, o);
  CHECK((a.best != b.best || a.valid != b.valid));
}

TEST_CASE("budget is respected exactly and progress never reports a worse best") {
  for (const std::uint64_t budget : {1ull, 63ull, 1000ull, 4097ull}) {
    std::vector<Progress> seen;
    MapperOptions o{.budget = budget, .threads = 2};
    o.on_progress = [&](const Progress& p) { seen.push_back(p); };
    const auto r = search(kTiling.space(), kTiling, o);
    CHECK(r.evaluated == budget);
    CHECK(r.stop == StopReason::budget);
    REQUIRE_FALSE(seen.empty());
    CHECK(seen.back().evaluated == r.evaluated);
    for (std::size_t i = 1; i < seen.size(); ++i) {
      CHECK(seen[i].evaluated >= seen[i - 1].evaluated);
      if (seen[i - 1].best_score) {
        REQUIRE(seen[i].best_score);
        CHECK(*seen[i].best_score <= *seen[i - 1].best_score);
      }
    }
  }
}

TEST_CASE("repeated proposals are not evaluated again and cost no budget") {
  const Counting counting(kTiling);
  const auto r = search(kTiling.space(), counting, {.budget = 5000, .strategy = Strategy::genetic});
  CHECK(counting.calls == r.evaluated);
  CHECK(counting.seen.size() == r.evaluated);
  CHECK(r.evaluated == 5000);
  CHECK(r.proposed > r.evaluated);  // the genetic search does propose repeats
}

TEST_CASE("random search on a small space stops once every point has been seen") {
  const Bowl bowl({3, 4}, {1, 1});
  const auto r = search(bowl.space(), bowl, {.budget = 1000, .strategy = Strategy::random});
  CHECK(r.evaluated == 12);
  CHECK(r.stop == StopReason::space_exhausted);
  CHECK(*r.best == Genome{1, 1});
  const auto g = search(bowl.space(), bowl, {.budget = 1000, .strategy = Strategy::genetic});
  CHECK(g.evaluated == 12);
}

TEST_CASE("a strategy that proposes only repeats is stopped, at the same point per batch size") {
  struct Stuck final : Search {
    void ask(std::size_t n, Batch& out) override {
      for (std::size_t i = 0; i < n; ++i) out.add(Genome{0, 0});
    }
    void tell(const Batch&, std::span<const double>) override {}
    bool done() const override { return false; }
  };
  const Bowl bowl({10, 10}, {0, 0});
  for (const std::size_t batch : {1000, 4096}) {
    Stuck stuck;
    const auto r = search(bowl.space(), bowl, stuck, {.batch_size = batch});
    CHECK(r.evaluated == 1);
    CHECK(r.proposed == 1 + kMaxDuplicateRun);
    CHECK(r.stop == StopReason::no_new_points);
  }
}

TEST_CASE("invalid points are counted by reason and never become the best") {
  const Fenced fenced;
  for (const auto s : {Strategy::random, Strategy::genetic, Strategy::exhaustive}) {
    const auto r = search(fenced.space(), fenced, {.budget = 1000, .strategy = s});
    REQUIRE(r.best);
    CHECK(fenced.evaluate(*r.best).valid);
    CHECK(r.best_eval.valid);
    CHECK(r.best_eval.invalid_reason.empty());
    REQUIRE(r.invalid_reasons.size() == 2);
    std::uint64_t invalid = 0;
    for (const auto& rc : r.invalid_reasons) invalid += rc.count;
    CHECK(invalid + r.valid == r.evaluated);
  }
  const auto r = search(fenced.space(), fenced, {.strategy = Strategy::exhaustive});
  CHECK(*r.best == Genome{6, 2, 5});                        // the constrained optimum
  CHECK(r.invalid_reasons[0].reason == "buffer capacity");  // 300 of 1000
  CHECK(r.invalid_reasons[0].count == 300);
  CHECK(r.invalid_reasons[1].count == 140);
}

TEST_CASE("an all-invalid space names the constraint that emptied it") {
  const AllInvalid none;
  const auto r = search(none.space(), none, {.budget = 1000});
  CHECK_FALSE(r.best);
  CHECK(r.valid == 0);
  CHECK(r.evaluated == 200);
  CHECK(r.empty_reason.find("(the whole space)") != std::string::npos);
  CHECK(r.empty_reason.find("most often because of 'GLB capacity' (140)") != std::string::npos);
  const auto partial = search(none.space(), none, {.budget = 50, .strategy = Strategy::random});
  CHECK(partial.empty_reason.find("all 50 points evaluated are invalid") != std::string::npos);

  const SearchSpace empty{{4, 0, 2}, {"M tile", "C tile", "order"}};
  const auto e = search(empty, none, {});
  CHECK(e.evaluated == 0);
  CHECK(e.empty_reason == "gene 1 ('C tile') has no legal value, so the space is empty");
}

TEST_CASE("ties are broken by the secondary metric, then by genome order") {
  // Same cycles everywhere; energy 2 on gene 0 = 1 only: latency ties go to lowest energy.
  struct Flat final : Evaluator {
    Evaluation evaluate(GenomeView g) const override {
      return {true, {g[0] == 1 ? 2.0 : 5.0, 10.0}};
    }
  } flat;
  const SearchSpace space{{3, 4, 5}};
  for (const auto s : {Strategy::exhaustive, Strategy::random, Strategy::genetic}) {
    MapperOptions o{.budget = 60, .objective = {.kind = ObjectiveKind::latency}, .strategy = s};
    const auto r = search(space, flat, o);
    CHECK(*r.best == Genome{1, 0, 0});
    o.objective.kind = ObjectiveKind::weighted;
    o.objective.energy_weight = 0;  // pure latency again, through the weighted form
    CHECK(*search(space, flat, o).best == Genome{1, 0, 0});
  }
}

TEST_CASE("objective scores: energy, latency, edp and log-weighted mixes") {
  const Cost c{.energy_pj = 4, .cycles = 9};
  CHECK(Objective{.kind = ObjectiveKind::energy}.score(c) == 4);
  CHECK(Objective{.kind = ObjectiveKind::latency}.score(c) == 9);
  CHECK(Objective{.kind = ObjectiveKind::edp}.score(c) == 36);
  const Objective w{.kind = ObjectiveKind::weighted, .energy_weight = 0.5, .latency_weight = 1};
  CHECK(w.score(c) == Approx(18));
  CHECK(w.describe() == "weighted(energy^0.5 x cycles^1)");
  CHECK(parse_objective("edp").kind == ObjectiveKind::edp);
  CHECK_THROWS_WITH(parse_objective("power"), Catch::Contains("energy, latency, edp, weighted"));
  CHECK_THROWS_AS(
      Objective({.kind = ObjectiveKind::weighted, .energy_weight = 0, .latency_weight = 0})
          .validate(),
      loom::Error);
}

TEST_CASE("total_energy and total_edp add static energy per cycle, so idle time costs energy") {
  const Cost fast{.energy_pj = 100, .cycles = 10};
  const Cost slow{.energy_pj = 90, .cycles = 20};  // less dynamic energy, twice the time
  Objective total{.kind = ObjectiveKind::total_energy, .static_pj_per_cycle = 2};
  CHECK(total.score(fast) == 120);
  CHECK(total.score(slow) == 130);  // dynamic energy alone would prefer it
  CHECK(Objective{.kind = ObjectiveKind::energy}.score(slow) <
        Objective{.kind = ObjectiveKind::energy}.score(fast));
  CHECK(total.secondary(fast) == 10);  // energy-like: ties broken by cycles
  total.kind = ObjectiveKind::total_edp;
  CHECK(total.score(fast) == 1200);
  CHECK(total.secondary(fast) == 100);
  // At zero static power they rank like energy and edp.
  CHECK(Objective{.kind = ObjectiveKind::total_edp}.score(fast) == fast.edp());
  CHECK(parse_objective("total_energy").counts_static());
  CHECK_FALSE(parse_objective("energy").counts_static());
  CHECK(parse_objective("total_edp").describe() == "total_edp");
  CHECK_THROWS_AS(
      Objective({.kind = ObjectiveKind::total_energy, .static_pj_per_cycle = -1}).validate(),
      loom::Error);
}

TEST_CASE("bad mapper options are loom::Errors; evaluator exceptions reach the caller") {
  const auto space = kTiling.space();
  CHECK_THROWS_AS(search(space, kTiling, {.budget = 0}), loom::Error);
  CHECK_THROWS_AS(search(space, kTiling, {.threads = -1}), loom::Error);
  CHECK_THROWS_AS(search(space, kTiling, {.batch_size = 0}), loom::Error);
  CHECK_THROWS_AS(search(space, kTiling, {.wall_clock_limit_s = 0.0}), loom::Error);
  struct Throws final : Evaluator {
    Evaluation evaluate(GenomeView g) const override {
      if (g[0] == 3) throw std::runtime_error("boom " + std::to_string(g[1]));
      return {true, {1, 1}};
    }
  } throws;
  const Slowed slow(throws, std::chrono::microseconds(5));
  for (const int threads : {1, 2})  // the first failing point in proposal order, either way
    CHECK_THROWS_WITH(search(SearchSpace{{5, 100}}, slow, {.threads = threads, .batch_size = 64}),
                      "boom 0");
}

TEST_CASE("the wall-clock cap stops a long search and says so") {
  struct Slow final : Evaluator {
    Evaluation evaluate(GenomeView) const override {
      const auto until = std::chrono::steady_clock::now() + std::chrono::microseconds(200);
      while (std::chrono::steady_clock::now() < until) {
      }
      return {true, {1, 1}};
    }
  } slow;
  const auto r =
      search(kTiling.space(), slow, {.budget = 100000, .threads = 2, .wall_clock_limit_s = 0.05});
  CHECK(r.stopped_by_wall_clock);
  CHECK(r.stop == StopReason::wall_clock);
  CHECK(r.evaluated < 100000);
  CHECK(r.best);
}
