// SPDX-License-Identifier: Apache-2.0
// The exact search on real mapspaces, against brute-force enumeration of the same points: every
// systolic dataflow and every spatial dataflow rule, on small layers, for energy, latency and
// EDP (108 cases). A systolic space small enough is enumerated whole; a spatial space never is (16
// values per tile gene, 5040 loop orders per level), so each case pins all but a few genes to
// pseudo-random values and both searches run on the same sub-space, the exact one with the
// family's own gene order, equivalent values and bounds. Separately, on the full spaces, the
// bound of every prefix of sampled points is checked against the points' own costs. The
// full-size AlexNet batch-4 spaces on Eyeriss, which issue 16 must close, get both checks with
// the refetch bound on (48 more sub-spaces, around good and random legal points).
#include <catch2/catch.hpp>
#include <cmath>
#include <random>

#include "arch/accelerator.hpp"
#include "dataflow/family.hpp"
#include "dataflow/systolic.hpp"
#include "energy/energy_table.hpp"
#include "explore/space_evaluator.hpp"
#include "mapper/mapper.hpp"
#include "workloads/network.hpp"

using namespace loom;
using mapper::Genome;
using mapper::GenomeView;

namespace {

// The sub-space of `full` where only the genes in `free` vary; the others keep `base`'s values.
class Pinned final : public mapper::Evaluator, public mapper::PrefixBounds {
 public:
  Pinned(const explore::SpaceEvaluator& full, std::vector<std::uint32_t> domains, Genome base,
         std::vector<std::size_t> free)
      : full_(full), domains_(std::move(domains)), base_(std::move(base)), free_(std::move(free)) {
    // The sub-space keeps the full order's sequence; sub gene k sits at full depth depth_[k].
    const auto full_order = full_.order();
    for (std::size_t pos = 0; pos < full_order.size(); ++pos)
      for (std::size_t k = 0; k < free_.size(); ++k)
        if (free_[k] == full_order[pos]) {
          order_.push_back(k);
          depth_.push_back(pos);
        }
  }
  [[nodiscard]] mapper::SearchSpace space() const {
    mapper::SearchSpace s;
    for (auto g : free_) s.domains.push_back(domains_[g]);
    return s;
  }
  [[nodiscard]] mapper::Evaluation evaluate(GenomeView g) const override {
    return full_.evaluate(expand(g));
  }
  [[nodiscard]] const mapper::PrefixBounds* bounds() const override { return this; }
  [[nodiscard]] std::vector<std::size_t> order() const override { return order_; }
  void candidates(GenomeView g, std::size_t depth, std::vector<std::uint32_t>& out) const override {
    full_.candidates(expand(g), depth_[depth], out);
  }
  [[nodiscard]] mapper::Cost lower_bound(GenomeView g, std::size_t depth) const override {
    return full_.lower_bound(expand(g), depth < depth_.size() ? depth_[depth] : domains_.size());
  }

 private:
  [[nodiscard]] Genome expand(GenomeView g) const {
    Genome out = base_;
    for (std::size_t k = 0; k < free_.size(); ++k) out[free_[k]] = g[k];
    return out;
  }
  const explore::SpaceEvaluator& full_;
  std::vector<std::uint32_t> domains_;
  Genome base_;
  std::vector<std::size_t> free_, order_, depth_;
};

workloads::Layer small_conv() {
  workloads::Layer l;
  l.name = "small_conv";
  l.shape = {.N = 2, .M = 8, .C = 6, .H = 9, .W = 9, .P = 7, .Q = 7, .R = 3, .S = 3};
  return l;
}

// Stride, padding and zeros: the ifmap footprint's edge cases, gating and DRAM compression.
workloads::Layer strided_sparse_conv() {
  workloads::Layer l;
  l.name = "strided_sparse_conv";
  l.shape = {.N = 1,
             .M = 6,
             .C = 4,
             .H = 11,
             .W = 11,
             .P = 6,
             .Q = 6,
             .R = 3,
             .S = 3,
             .stride_h = 2,
             .stride_w = 2,
             .pad_h = 1,
             .pad_w = 1};
  l.density.ifmap = 0.4;
  l.density.weight = 0.7;
  return l;
}

workloads::Layer pointwise_conv() {
  workloads::Layer l;
  l.name = "pointwise_conv";
  l.shape = {.N = 2, .M = 8, .C = 6, .H = 7, .W = 7, .P = 7, .Q = 7};
  return l;
}

// A ViT-style patch convolution whose 16 filter rows exceed Eyeriss's 12 PE rows: the
// row-stationary rule's whole slot then runs in passes (spatial_mapspace.cpp).
workloads::Layer patch_conv() {
  workloads::Layer l;
  l.name = "patch_conv";
  l.shape = {.N = 1,
             .M = 4,
             .C = 3,
             .H = 32,
             .W = 32,
             .P = 2,
             .Q = 2,
             .R = 16,
             .S = 16,
             .stride_h = 16,
             .stride_w = 16};
  return l;
}

// A 1x1 stride-2 downsampling convolution: the stride skips input rows, which the ifmap's
// compulsory traffic must not count (its footprint formula spans them).
workloads::Layer downsample_conv() {
  workloads::Layer l;
  l.name = "downsample_conv";
  l.shape = {.N = 1, .M = 8, .C = 6, .H = 9, .W = 9, .P = 5, .Q = 5, .stride_h = 2, .stride_w = 2};
  return l;
}

workloads::Layer small_fc() {
  workloads::Layer l;
  l.name = "small_fc";
  l.shape = {.N = 4, .M = 20, .C = 30};
  return l;
}

arch::Accelerator accelerator(const char* preset, arch::Dataflow d) {
  auto acc = arch::load_accelerator(preset);
  acc.dataflow = d;
  return acc;
}

struct Case {
  const char* preset;
  arch::Dataflow dataflow;
};
const Case kCases[] = {
    {"edge_ws_32x32", arch::Dataflow::os},
    {"edge_ws_32x32", arch::Dataflow::ws},
    {"edge_ws_32x32", arch::Dataflow::is},
    {"eyeriss", arch::Dataflow::rs},
    {"isca16_rs_256", arch::Dataflow::rs},
    {"isca16_spatial_ws_256", arch::Dataflow::spatial_ws},
    {"isca16_spatial_os_256", arch::Dataflow::spatial_os},
    {"isca16_nlr_256", arch::Dataflow::nlr},
    {"eyeriss", arch::Dataflow::spatial},
};

constexpr std::uint64_t kMaxPoints = 12'000;

// Free genes, taken in a seeded shuffle while the sub-space stays enumerable; the others are
// pinned to seeded values. A space this small already is enumerated whole.
std::pair<std::vector<std::size_t>, Genome> choose_free(const std::vector<std::uint32_t>& domains,
                                                        std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  Genome base(domains.size());
  for (std::size_t g = 0; g < domains.size(); ++g) base[g] = std::uint32_t(rng() % domains[g]);
  std::vector<std::size_t> genes(domains.size());
  for (std::size_t g = 0; g < genes.size(); ++g) genes[g] = g;
  std::shuffle(genes.begin(), genes.end(), rng);
  std::vector<std::size_t> free;
  std::uint64_t size = 1;
  for (auto g : genes)
    if (size * domains[g] <= kMaxPoints) {
      size *= domains[g];
      free.push_back(g);
    }
  std::sort(free.begin(), free.end());
  return {free, base};
}

// A uniformly drawn point of a space with these gene domains.
Genome random_genome(const std::vector<std::uint32_t>& domains, std::mt19937_64& rng) {
  Genome g(domains.size());
  for (std::size_t k = 0; k < g.size(); ++k) g[k] = std::uint32_t(rng() % domains[k]);
  return g;
}

// The layer's mapspace; a spatial one with the refetch bound on when `refetch` (none: a
// systolic space, which has no such bound).
std::unique_ptr<dataflow::MapSpace> make_space(const workloads::Layer& layer,
                                               const arch::Accelerator& acc,
                                               const dataflow::ResolvedPrecision& p, bool refetch) {
  auto space = dataflow::family_of(acc).mapspace(layer, acc, p);
  if (!space->use_refetch_bound(refetch) && refetch) return nullptr;
  return space;
}

// Enumeration and the exact search over the same sub-space under one objective kind.
struct EnumeratedAndExact {
  mapper::MapperResult ref, exact;
};
EnumeratedAndExact enumerate_and_search(const Pinned& sub, mapper::ObjectiveKind kind) {
  mapper::MapperOptions o{.budget = kMaxPoints,
                          .threads = 2,
                          .objective = {.kind = kind},
                          .strategy = mapper::Strategy::exhaustive};
  EnumeratedAndExact r{.ref = mapper::search(sub.space(), sub, o), .exact = {}};
  o.strategy = mapper::Strategy::exact;
  r.exact = mapper::search(sub.space(), sub, o);
  return r;
}

}  // namespace

TEST_CASE("exact search equals brute-force enumeration on systolic and every spatial rule") {
  int cases = 0, with_optimum = 0;
  std::uint64_t exact_evaluated = 0, enumerated = 0;
  for (const auto& c : kCases) {
    const auto acc = accelerator(c.preset, c.dataflow);
    const auto table = energy::make_energy_table(acc);
    for (const auto& layer : {small_conv(), small_fc(), strided_sparse_conv(), pointwise_conv()})
      for (const bool refetch : {false, true}) {
        const auto p = dataflow::resolve_precision(layer, acc);
        const auto space = make_space(layer, acc, p, refetch);
        if (!space) continue;
        const explore::SpaceEvaluator full(*space, table, p);
        std::uint64_t seed = 1;
        for (const auto kind : {mapper::ObjectiveKind::energy, mapper::ObjectiveKind::latency,
                                mapper::ObjectiveKind::edp}) {
          const auto [free, base] = choose_free(space->domains(), seed++);
          const Pinned sub(full, space->domains(), base, free);
          INFO(c.preset << " " << arch::dataflow_info(c.dataflow).name << " " << layer.name << " "
                        << core::enum_name(mapper::kObjectiveKinds, kind));
          const auto [ref, exact] = enumerate_and_search(sub, kind);
          cases += refetch ? 0 : 1;
          REQUIRE(ref.evaluated == *sub.space().exact_size());  // every point, once
          REQUIRE(bool(exact.best) == bool(ref.best));
          if (!ref.best) continue;
          REQUIRE(exact.optimality_gap_pct);
          CHECK(*exact.optimality_gap_pct == 0);
          ++with_optimum;
          exact_evaluated += exact.evaluated;
          enumerated += ref.evaluated;
          CHECK(exact.best_score == ref.best_score);
          CHECK(exact.best_eval.cost.energy_pj == ref.best_eval.cost.energy_pj);
          CHECK(exact.best_eval.cost.cycles == ref.best_eval.cost.cycles);
          CHECK(*exact.best == *ref.best);  // the same tie-break: the smallest point of equal cost
          CHECK(*exact.lower_bound == exact.best_score);
          CHECK(exact.evaluated <= ref.evaluated);
        }
      }
  }
  CHECK(cases == 108);
  CHECK(with_optimum >= 80);
  // Equivalent values (tile fractions that decode alike, orders of loops of factor 1) are
  // evaluated once.
  CHECK(exact_evaluated < enumerated);
  WARN("exact evaluated " << exact_evaluated << " of " << enumerated << " points, " << with_optimum
                          << " of " << cases << " cases with a legal point");
}

namespace {

// Draws `points` random genomes; for each legal one, checks that the bound of every prefix
// stays at or below its cost. Returns how many were legal.
int check_prefix_bounds(const explore::SpaceEvaluator& full,
                        const std::vector<std::uint32_t>& domains, std::uint64_t seed, int points) {
  const auto order = full.order();
  std::mt19937_64 rng(seed);
  int checked = 0;
  for (int i = 0; i < points; ++i) {
    const Genome g = random_genome(domains, rng);
    const auto ev = full.evaluate(g);
    if (!ev.valid) continue;
    ++checked;
    for (std::size_t depth = 0; depth <= order.size(); ++depth) {
      const auto lb = full.lower_bound(g, depth);
      INFO("depth " << depth);
      CHECK(lb.energy_pj <= ev.cost.energy_pj * (1 + 1e-12));
      CHECK(lb.cycles <= ev.cost.cycles * (1 + 1e-12));
    }
  }
  return checked;
}

}  // namespace

TEST_CASE("the bound of every prefix never exceeds the cost of a point completing it") {
  for (const auto& c : kCases) {
    const auto acc = accelerator(c.preset, c.dataflow);
    const auto table = energy::make_energy_table(acc);
    for (const auto& layer :
         {small_conv(), small_fc(), strided_sparse_conv(), pointwise_conv(), downsample_conv()})
      for (const bool refetch : {false, true}) {
        const auto p = dataflow::resolve_precision(layer, acc);
        const auto space = make_space(layer, acc, p, refetch);
        if (!space) continue;
        const explore::SpaceEvaluator full(*space, table, p);
        INFO(c.preset << " " << layer.name << (refetch ? " refetch bound" : ""));
        CHECK(check_prefix_bounds(full, space->domains(), 7, 1500) > 0);
      }
  }
}

TEST_CASE("of a gene's values, some candidate reproduces every point's evaluation exactly") {
  for (const auto& c : kCases) {
    const auto acc = accelerator(c.preset, c.dataflow);
    const auto table = energy::make_energy_table(acc);
    for (const auto& layer : {small_conv(), small_fc(), strided_sparse_conv(), pointwise_conv()}) {
      const auto p = dataflow::resolve_precision(layer, acc);
      const auto space = dataflow::family_of(acc).mapspace(layer, acc, p);
      const explore::SpaceEvaluator full(*space, table, p);
      const auto order = full.order();
      std::mt19937_64 rng(11);
      std::vector<std::uint32_t> cands;
      for (int i = 0; i < 40; ++i) {
        const Genome g = random_genome(space->domains(), rng);
        const auto ev = full.evaluate(g);
        for (std::size_t depth = 0; depth < order.size(); ++depth) {
          full.candidates(g, depth, cands);
          bool reproduced = false;
          for (const auto v : cands) {
            Genome h = g;
            h[order[depth]] = v;
            const auto e = full.evaluate(h);
            reproduced = reproduced || (e.valid == ev.valid &&
                                        (!ev.valid || (e.cost.energy_pj == ev.cost.energy_pj &&
                                                       e.cost.cycles == ev.cost.cycles)));
          }
          INFO(c.preset << " " << arch::dataflow_info(c.dataflow).name << " " << layer.name
                        << " gene " << order[depth]);
          CHECK(reproduced);
        }
      }
    }
  }
}

TEST_CASE("exact search and its bound hold on a layer whose filter rows run in passes") {
  const auto acc = accelerator("eyeriss", arch::Dataflow::rs);
  const auto table = energy::make_energy_table(acc);
  const auto layer = patch_conv();
  const auto p = dataflow::resolve_precision(layer, acc);
  const bool refetch = GENERATE(false, true);
  INFO((refetch ? "refetch bound on" : "refetch bound off"));
  const auto space = make_space(layer, acc, p, refetch);
  const explore::SpaceEvaluator full(*space, table, p);
  // Every prefix's bound against random legal points.
  const int checked = check_prefix_bounds(full, space->domains(), 5, 3000);
  CHECK(checked > 100);
  // The search against enumeration of enumerable sub-spaces, three objectives.
  std::uint64_t seed = 21;
  int with_optimum = 0;
  for (const auto kind :
       {mapper::ObjectiveKind::energy, mapper::ObjectiveKind::latency, mapper::ObjectiveKind::edp})
    for (int rep = 0; rep < 12; ++rep) {
      const auto [free, base] = choose_free(space->domains(), seed++);
      const Pinned sub(full, space->domains(), base, free);
      mapper::MapperOptions o{.budget = kMaxPoints,
                              .threads = 2,
                              .objective = {.kind = kind},
                              .strategy = mapper::Strategy::exhaustive};
      const auto ref = mapper::search(sub.space(), sub, o);
      o.strategy = mapper::Strategy::exact;
      const auto exact = mapper::search(sub.space(), sub, o);
      REQUIRE(bool(exact.best) == bool(ref.best));
      if (!ref.best) continue;
      ++with_optimum;
      CHECK(exact.best_score == ref.best_score);
      CHECK(*exact.best == *ref.best);
      REQUIRE(exact.optimality_gap_pct);
      CHECK(*exact.optimality_gap_pct == 0);
    }
  CHECK(with_optimum >= 6);
  WARN("patch conv: " << checked << " legal random points, " << with_optimum
                      << " enumerable sub-spaces with a legal point");
}

TEST_CASE("the refetch bound never exceeds the cost of sampled points of AlexNet on Eyeriss") {
  // The full-size spaces issue 16 must close, at batch 4: random legal points, whose costs lie
  // far above the bound, and a short genetic search's best, whose prefixes are where the bound
  // comes closest to the cost (a bound above a good point's cost would prune the optimum).
  const auto acc = arch::load_accelerator("eyeriss");
  const auto table = energy::make_energy_table(acc);
  const auto net = workloads::zoo_load("alexnet").with_batch(4);
  int layers = 0, sampled = 0;
  for (const auto& layer : net.layers) {
    if (layer.macs() == 0) continue;
    const auto p = dataflow::resolve_precision(layer, acc);
    const auto space = make_space(layer, acc, p, /*refetch=*/true);
    const explore::SpaceEvaluator full(*space, table, p);
    INFO(layer.name);
    sampled += check_prefix_bounds(full, space->domains(), 3, 4000);
    mapper::MapperOptions o{.budget = 20'000,
                            .threads = 1,
                            .objective = {.kind = mapper::ObjectiveKind::edp},
                            .strategy = mapper::Strategy::genetic};
    const auto best = mapper::search(mapper::SearchSpace{space->domains(), {}}, full, o);
    REQUIRE(best.best);
    const auto order = full.order();
    for (std::size_t depth = 0; depth <= order.size(); ++depth) {
      const auto lb = full.lower_bound(*best.best, depth);
      INFO("depth " << depth);
      CHECK(lb.energy_pj <= best.best_eval.cost.energy_pj * (1 + 1e-12));
      CHECK(lb.cycles <= best.best_eval.cost.cycles * (1 + 1e-12));
    }
    ++layers;
  }
  CHECK(layers == 8);
  CHECK(sampled > 50);  // few random points of a conv layer's space are legal
  WARN("AlexNet on Eyeriss: " << sampled << " legal random points");
}

TEST_CASE("exact search with the refetch bound equals enumeration on sub-spaces of AlexNet") {
  // The full-size Eyeriss spaces at batch 4, where the bound prunes (small layers barely
  // exercise it): enumerable sub-spaces around a short genetic search's best point (where the
  // bound is closest to the cost) and around a random legal point, three objectives.
  const auto acc = arch::load_accelerator("eyeriss");
  const auto table = energy::make_energy_table(acc);
  const auto net = workloads::zoo_load("alexnet").with_batch(4);
  std::uint64_t seed = 41, pruned = 0;
  int cases = 0, with_optimum = 0;
  for (const auto& layer : net.layers) {
    if (layer.macs() == 0) continue;
    const auto p = dataflow::resolve_precision(layer, acc);
    const auto space = make_space(layer, acc, p, /*refetch=*/true);
    const explore::SpaceEvaluator full(*space, table, p);
    std::vector<Genome> centres;
    mapper::MapperOptions g{.budget = 5'000, .threads = 1, .strategy = mapper::Strategy::genetic};
    const auto good = mapper::search(mapper::SearchSpace{space->domains(), {}}, full, g);
    REQUIRE(good.best);
    centres.push_back(*good.best);
    std::mt19937_64 rng(seed);
    Genome legal;
    do legal = random_genome(space->domains(), rng);
    while (!full.evaluate(legal).valid);
    centres.push_back(legal);
    for (const auto kind : {mapper::ObjectiveKind::energy, mapper::ObjectiveKind::latency,
                            mapper::ObjectiveKind::edp})
      for (const Genome& base : centres) {
        const auto free = choose_free(space->domains(), seed++).first;
        const Pinned sub(full, space->domains(), base, free);
        INFO(layer.name << " " << core::enum_name(mapper::kObjectiveKinds, kind));
        const auto [ref, exact] = enumerate_and_search(sub, kind);
        ++cases;
        REQUIRE(bool(exact.best) == bool(ref.best));
        if (!ref.best) continue;
        ++with_optimum;
        pruned += exact.pruned;
        CHECK(exact.best_score == ref.best_score);
        CHECK(*exact.best == *ref.best);
        REQUIRE(exact.optimality_gap_pct);
        CHECK(*exact.optimality_gap_pct == 0);
      }
  }
  CHECK(cases == 48);
  CHECK(with_optimum >= 40);
  CHECK(pruned > 0);  // the bound took part
  WARN("AlexNet on Eyeriss: " << with_optimum << " of " << cases
                              << " enumerable sub-spaces with a legal point, " << pruned
                              << " subtrees pruned");
}
