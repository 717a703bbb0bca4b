// SPDX-License-Identifier: Apache-2.0
#pragma once
// Synthetic evaluators for the mapper's tests: cheap, pure, with known or enumerable optima.
// TilingLandscape imitates a real mapping space (tile factors whose products set buffer use,
// traffic and padding; a loop order that decides reuse; capacity limits that make regions
// invalid), so the quality tests measure the search on the kind of landscape it will face.
#include <array>
#include <cmath>
#include <cstdint>
#include <numeric>

#include "mapper/evaluator.hpp"

namespace loom::mapper::test {

// A separable quadratic bowl: cost = 100 + sum w_i (g_i - c_i)^2, optimum at centre c.
class Bowl final : public Evaluator {
 public:
  Bowl(std::vector<std::uint32_t> domains, Genome centre)
      : domains_(std::move(domains)), centre_(std::move(centre)) {}
  [[nodiscard]] SearchSpace space() const { return {domains_}; }
  [[nodiscard]] Evaluation evaluate(GenomeView g) const override {
    double e = 100;
    for (std::size_t i = 0; i < g.size(); ++i) {
      const double d = double(g[i]) - double(centre_[i]);
      e += double(i + 1) * d * d;
    }
    return {true, {e, 1.0}};
  }

 private:
  std::vector<std::uint32_t> domains_;
  Genome centre_;
};

// Deterministic pseudo-random value in [0, 1) per genome (a hash, not a generator).
inline double noise(GenomeView g, std::uint64_t salt) {
  std::uint64_t h = salt * 0x9E3779B97F4A7C15u + 1;
  for (auto v : g) {
    h = (h ^ v) * 0xBF58476D1CE4E5B9u;
    h ^= h >> 29;
  }
  return double(h >> 11) * 0x1.0p-53;
}

// Deceptive and rugged: a broad basin around `a` whose floor is 30% above a narrow global
// basin around `b`, times up to 4% of per-point noise (many local minima).
class Trap final : public Evaluator {
 public:
  Trap(std::vector<std::uint32_t> domains, Genome a, Genome b)
      : domains_(std::move(domains)), a_(std::move(a)), b_(std::move(b)) {}
  [[nodiscard]] SearchSpace space() const { return {domains_}; }
  [[nodiscard]] Evaluation evaluate(GenomeView g) const override {
    double da = 0, db = 0;
    for (std::size_t i = 0; i < g.size(); ++i) {
      da += (double(g[i]) - double(a_[i])) * (double(g[i]) - double(a_[i]));
      db += (double(g[i]) - double(b_[i])) * (double(g[i]) - double(b_[i]));
    }
    const double base = std::min(1.3 + 0.01 * da, 1.0 + 0.15 * db);
    return {true, {base * (1.0 + 0.04 * noise(g, 7)), 1.0}};
  }

 private:
  std::vector<std::uint32_t> domains_;
  Genome a_, b_;
};

// A three-dimensional layer (M output channels, C input channels, P output pixels) on a
// rows x cols PE array with a per-PE register file and a global buffer. Genes: spatial M over
// columns, spatial C over rows, register-file tiles of M and C, global-buffer tile multipliers
// of M and C, global-buffer tile of P, and the order of the DRAM-level loops (one of 6).
// Energies per word follow Eyeriss's relative costs (ISCA 2016, Fig. 5: DRAM 200x, buffer 6x,
// RF 1x a MAC); the absolute scale does not matter to a search.
struct TilingShape {
  int M = 96, C = 64, P = 56;
  int rows = 16, cols = 16;
  int rf_words = 64, glb_words = 16384;
  double dram_words_per_cycle = 8;
};

class TilingLandscape final : public Evaluator {
 public:
  static constexpr std::array<int, 5> kSpatial{1, 2, 4, 8, 16};
  static constexpr std::array<int, 4> kRfM{1, 2, 4, 8};
  static constexpr std::array<int, 3> kRfC{1, 2, 4};
  static constexpr std::array<int, 4> kGlbM{1, 2, 3, 6};
  static constexpr std::array<int, 3> kGlbC{1, 2, 4};
  static constexpr std::array<int, 6> kGlbP{1, 2, 4, 7, 14, 28};

  explicit TilingLandscape(TilingShape s) : s_(s) {}
  [[nodiscard]] SearchSpace space() const {  // 5*5*4*3*4*3*6*6 = 129,600 points
    return {{5, 5, 4, 3, 4, 3, 6, 6}, {"sM", "sC", "rfM", "rfC", "glbM", "glbC", "glbP", "order"}};
  }

  [[nodiscard]] Evaluation evaluate(GenomeView g) const override {
    auto cdiv = [](long a, long b) { return (a + b - 1) / b; };
    const long sm = kSpatial[g[0]], sc = kSpatial[g[1]], mrf = kRfM[g[2]], crf = kRfC[g[3]];
    if (sm > s_.cols) return {false, {}, "array columns"};
    if (sc > s_.rows) return {false, {}, "array rows"};
    if (mrf * crf + mrf + crf > s_.rf_words) return {false, {}, "RF capacity"};
    const long m_pe = sm * mrf, c_pe = sc * crf;
    if (kGlbM[g[4]] > cdiv(s_.M, m_pe) || kGlbC[g[5]] > cdiv(s_.C, c_pe) || kGlbP[g[6]] > s_.P)
      return {false, {}, "tile exceeds layer"};
    const long m = m_pe * kGlbM[g[4]], c = c_pe * kGlbC[g[5]], p = kGlbP[g[6]];
    if (m * c + c * p + m * p > s_.glb_words) return {false, {}, "GLB capacity"};

    // DRAM traffic: an operand is refetched by every loop at or outside the innermost loop
    // over one of its own dims; partial sums evicted by an outer C loop travel twice.
    const std::array<long, 3> trips{cdiv(s_.M, m), cdiv(s_.C, c), cdiv(s_.P, p)};
    static constexpr std::array<std::array<int, 3>, 6> kOrders{
        {{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}}};
    const auto& order = kOrders[g[7]];
    auto fetches = [&](int d1, int d2) {
      int innermost = 0;
      for (int k = 0; k < 3; ++k)
        if (order[k] == d1 || order[k] == d2) innermost = k;
      long f = 1;
      for (int k = 0; k <= innermost; ++k) f *= trips[order[k]];
      return double(f);
    };
    const double tiles = double(trips[0] * trips[1] * trips[2]);
    const double fo = fetches(0, 2);
    const double dram = fetches(0, 1) * double(m * c) + fetches(1, 2) * double(c * p) +
                        fo * double(m * p) * (fo > double(trips[0] * trips[2]) ? 2 : 1);
    // Buffer traffic per tile: weights once, inputs once per M pass (multicast over columns),
    // partial sums read and written once per C pass (reduced spatially over rows).
    const double glb = tiles * (double(m * c) + double(c * p * cdiv(m, m_pe)) +
                                2.0 * double(m * p * cdiv(c, c_pe)));
    const double macs = double(s_.M) * s_.C * s_.P;
    const double energy = 200 * dram + 6 * glb + 3 * macs + macs;
    const double compute =
        tiles * double(cdiv(m, m_pe) * cdiv(c, c_pe) * p * mrf * crf) + double(sm + sc);
    const double cycles = std::max(compute, dram / s_.dram_words_per_cycle);
    return {true, {energy, cycles}};
  }

 private:
  TilingShape s_;
};

// Another evaluator's costs, each scaled by up to `amplitude` of per-point noise: the small
// irregularities (bank conflicts, rounding of partial tiles) that make real cost models rugged.
class Noisy final : public Evaluator {
 public:
  Noisy(const Evaluator& inner, double amplitude) : inner_(inner), amplitude_(amplitude) {}
  [[nodiscard]] Evaluation evaluate(GenomeView g) const override {
    auto e = inner_.evaluate(g);
    e.cost.energy_pj *= 1 + amplitude_ * noise(g, 1);
    e.cost.cycles *= 1 + amplitude_ * noise(g, 2);
    return e;
  }

 private:
  const Evaluator& inner_;
  double amplitude_;
};

// The bowl with invalid regions: gene 0 above 6 breaks "buffer capacity", gene 1 below 2
// breaks "array rows".
class Fenced final : public Evaluator {
 public:
  [[nodiscard]] SearchSpace space() const { return {{10, 10, 10}}; }
  [[nodiscard]] Evaluation evaluate(GenomeView g) const override {
    if (g[0] > 6) return {false, {}, "buffer capacity"};
    if (g[1] < 2) return {false, {}, "array rows"};
    return bowl_.evaluate(g);
  }

 private:
  Bowl bowl_{{10, 10, 10}, {8, 0, 5}};  // its unconstrained optimum is fenced off
};

// Every point invalid; "GLB capacity" is the most frequent reason (7 of every 10 points).
class AllInvalid final : public Evaluator {
 public:
  [[nodiscard]] SearchSpace space() const { return {{10, 20}}; }
  [[nodiscard]] Evaluation evaluate(GenomeView g) const override {
    return {false, {}, g[0] < 7 ? "GLB capacity" : "array rows"};
  }
};

}  // namespace loom::mapper::test
