// SPDX-License-Identifier: Apache-2.0
#include <algorithm>
#include <catch2/catch.hpp>
#include <random>

#include "common/scratch_dir.hpp"
#include "sweep/comm.hpp"
#include "sweep/nsga2.hpp"
#include "sweep/pareto.hpp"
#include "sweep/runner.hpp"
#include "sweep_fixtures.hpp"

using namespace loom;

namespace {

sweep::PointResult make_point(std::uint64_t id, double e, double l, double a, bool feasible) {
  sweep::PointResult p;
  p.point = id;
  p.energy_pj = e;
  p.latency_s = l;
  p.area_mm2 = a;
  p.feasible = feasible;
  return p;
}

// Brute force: i is non-dominated if no feasible j is <= everywhere and < somewhere.
bool brute_nondominated(const std::vector<sweep::PointResult>& ps, std::size_t i,
                        const std::vector<sweep::Metric>& obj) {
  if (!ps[i].feasible) return false;
  for (std::size_t j = 0; j < ps.size(); ++j) {
    if (j == i || !ps[j].feasible) continue;
    bool le = true, lt = false;
    for (auto m : obj) {
      const double a = sweep::objective_value(ps[j], m), b = sweep::objective_value(ps[i], m);
      le = le && a <= b;
      lt = lt || a < b;
    }
    if (le && lt) return false;
  }
  return true;
}

}  // namespace

TEST_CASE("the Pareto front holds exactly the non-dominated feasible points (brute force)") {
  std::mt19937_64 rng(7);
  for (int trial = 0; trial < 40; ++trial) {
    std::vector<sweep::PointResult> ps;
    const std::size_t n = 1 + rng() % 300;
    // Small integer values make ties and duplicates common.
    for (std::size_t i = 0; i < n; ++i)
      ps.push_back(make_point(i, static_cast<double>(rng() % 20), static_cast<double>(rng() % 20),
                              static_cast<double>(rng() % 5), rng() % 7 != 0));
    for (const auto& obj :
         {std::vector{sweep::Metric::energy, sweep::Metric::latency},
          std::vector{sweep::Metric::energy, sweep::Metric::latency, sweep::Metric::area}}) {
      const auto front = sweep::pareto_front(ps, obj);
      std::vector<std::size_t> expect;
      for (std::size_t i = 0; i < ps.size(); ++i)
        if (brute_nondominated(ps, i, obj)) expect.push_back(i);
      REQUIRE(front == expect);
    }
  }
}

TEST_CASE("hypervolume of a staircase equals the sum of its rectangles") {
  // Points (1,4), (2,2), (3,1) and a dominated (3,3); reference (5,5):
  // (5-1)*(5-4) + (5-2)*(4-2) + (5-3)*(2-1) = 4 + 6 + 2 = 12.
  CHECK(sweep::hypervolume_2d({{3, 3}, {2, 2}, {1, 4}, {3, 1}}, {5, 5}) == 12.0);
  CHECK(sweep::hypervolume_2d({{6, 1}}, {5, 5}) == 0.0);
}

TEST_CASE(
    "NSGA-II reaches 95% of the exhaustive hypervolume with at most 20% of the evaluations in 95% "
    "of seeds, and finds twice the front designs random sampling does") {
  ScratchDir dir;
  // 6 x 6 x 5 x 3 = 540 systolic designs for the tiny net, closed-form model (fast).
  const std::string axes = R"(
axes:
  - {name: rows, set: [pe_array.rows], pow2: {from: 4, to: 128}}
  - {name: cols, set: [pe_array.cols], pow2: {from: 4, to: 128}}
  - {name: glb, set: [levels.glb.size_kib], pow2: {from: 32, to: 512}}
  - {name: df, set: [dataflow], values: [ws, os, is]}
objectives: [energy, latency]
mapper: {search: false}
)";
  const auto grid_file =
      sweep_test::write_sweep(dir.path(), axes + "strategy: {kind: grid}\n", "grid.yaml");
  const auto run = [&](const std::filesystem::path& f, const char* out) {
    const auto spec = sweep::load_sweep(f.string());
    auto comm = sweep::make_comm();
    sweep::SweepOptions opt;
    opt.out_dir = dir / out;
    opt.write_outputs = false;
    opt.log = opt.progress = nullptr;
    return sweep::run_sweep(spec, *comm, opt);
  };
  const auto grid = run(grid_file, "grid");
  // Normalise both objectives over the whole space; reference just beyond the worst point.
  double emin = 1e300, emax = 0, lmin = 1e300, lmax = 0;
  for (const auto& p : grid.points) {
    emin = std::min(emin, p.energy_pj), emax = std::max(emax, p.energy_pj);
    lmin = std::min(lmin, p.latency_s), lmax = std::max(lmax, p.latency_s);
  }
  const auto hv = [&](const sweep::SweepOutcome& o) {
    std::vector<std::array<double, 2>> pts;
    for (std::size_t i : o.pareto)
      pts.push_back({(o.points[i].energy_pj - emin) / (emax - emin),
                     (o.points[i].latency_s - lmin) / (lmax - lmin)});
    return sweep::hypervolume_2d(pts, {1.1, 1.1});
  };
  // The grid's exact front points a search found (same energy and latency: the closed-form
  // model is deterministic, so a found design reports the grid's numbers).
  const auto found = [&](const sweep::SweepOutcome& o) {
    int n = 0;
    for (std::size_t i : grid.pareto)
      for (std::size_t j : o.pareto)
        if (o.points[j].energy_pj == grid.points[i].energy_pj &&
            o.points[j].latency_s == grid.points[i].latency_s) {
          ++n;
          break;
        }
    return n;
  };
  // A claim about a randomized search holds at a rate over seeds, not on one. Random sampling of
  // as many points is the baseline: on this small space it too covers most of the hypervolume,
  // so what tells NSGA-II's search apart is how many designs of the true front it finds.
  const auto strategy = [&](const std::string& kind, const char* file) {
    return sweep_test::write_sweep(dir.path(), axes + "strategy: " + kind + "\n", file);
  };
  constexpr int kSeeds = 20;
  int reached = 0, ga_front = 0, random_front = 0;
  for (int seed = 1; seed <= kSeeds; ++seed) {
    const std::string s = std::to_string(seed);
    const auto ga =
        run(strategy("{kind: nsga2, population: 12, generations: 8, seed: " + s + "}", "ga.yaml"),
            "ga");
    const auto rnd = run(strategy("{kind: random, samples: " + std::to_string(ga.points.size()) +
                                      ", seed: " + s + "}",
                                  "random.yaml"),
                         "random");
    const double ratio = hv(ga) / hv(grid);
    INFO("seed " << s << ": NSGA-II " << ga.points.size() << " evaluations, hypervolume "
                 << 100 * ratio << "%, " << found(ga) << " of " << grid.pareto.size()
                 << " front designs; random " << found(rnd));
    CHECK(ga.points.size() <= 540 / 5);
    CHECK(ratio <= 1.0 + 1e-12);
    reached += ratio >= 0.95 ? 1 : 0;
    ga_front += found(ga);
    random_front += found(rnd);
  }
  // Seeds 1-20 at the time of writing: 95% reached by all 20 (lowest 99.0%); front designs
  // found 64 by NSGA-II against 19 by random sampling.
  CHECK(reached >= kSeeds * 95 / 100);
  CHECK(ga_front >= 2 * random_front);
}

TEST_CASE("NSGA-II stops once every point of the space is evaluated, whatever its sizes") {
  // Issue 15: population and generations of 100,000 over 4 points ran for hours.
  sweep::StrategySpec s;
  s.kind = sweep::StrategyKind::nsga2;
  s.population = 100'000;
  s.generations = 100'000;
  sweep::Nsga2 ga({2, 2}, s);
  int generations = 0;
  std::set<sweep::Genome> seen;
  while (!ga.done()) {
    const auto asked = ga.ask();
    std::vector<sweep::Fitness> fit;
    for (const auto& g : asked) {
      seen.insert(g);
      fit.push_back({{static_cast<double>(g[0]), static_cast<double>(g[1])}, 0});
    }
    ga.tell(fit);
    ++generations;
    REQUIRE(generations < 100);
  }
  CHECK(seen.size() == 4);
  CHECK(ga.ask().empty());
}
