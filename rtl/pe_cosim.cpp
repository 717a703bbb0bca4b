// SPDX-License-Identifier: Apache-2.0
#include "rtl/pe_cosim.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdlib>
#include <limits>
#include <random>
#include <stdexcept>
#include <vector>

namespace loom::rtl {
namespace {

using sim::PeIn;
using sim::PeMode;

struct Step {
  PeIn in;
  bool reset = false;
};

// Operand lanes as the RTL sees them: `bits` wide, `lanes` of them in a word.
struct Lanes {
  int bits = 8;
  int lanes = 1;
  [[nodiscard]] std::int64_t min() const { return -(std::int64_t{1} << (bits - 1)); }
  [[nodiscard]] std::int64_t max() const { return (std::int64_t{1} << (bits - 1)) - 1; }
  // A word of lanes, sign-extended above them (what a narrower operand port reads back).
  [[nodiscard]] std::int32_t word(std::uint64_t w) const {
    return static_cast<std::int32_t>(sim::wrap_to(static_cast<std::int64_t>(w), bits * lanes));
  }
  [[nodiscard]] std::uint64_t lane(std::int64_t v, int l) const {
    return (static_cast<std::uint64_t>(v) & ((std::uint64_t{1} << bits) - 1)) << (bits * l);
  }
  // Every lane holds v.
  [[nodiscard]] std::int32_t pack(std::int64_t v) const {
    std::uint64_t w = 0;
    for (int l = 0; l < lanes; ++l) w |= lane(v, l);
    return word(w);
  }
  [[nodiscard]] std::array<std::int64_t, 5> extremes() const { return {min(), max(), -1, 0, 1}; }
};

constexpr std::int64_t kInt32Max = std::numeric_limits<std::int32_t>::max();
constexpr std::int64_t kInt32Min = std::numeric_limits<std::int32_t>::min();

std::vector<Step> os_corners(const Lanes& L, int ob) {
  std::vector<Step> s;
  const auto mac = [&](std::int32_t a, std::int32_t b, bool last) {
    s.push_back({PeIn{.a = a, .b = b, .mac = true, .last = last}});
  };
  // Every pair of extreme lane values, each product alone in the accumulator.
  for (auto va : L.extremes())
    for (auto vb : L.extremes()) mac(L.pack(va), L.pack(vb), true);
  // Sign changes: the running sum crosses zero back and forth.
  for (int k = 0; k < 64; ++k) mac(L.pack(L.max()), L.pack(k % 2 ? L.min() : L.max()), k % 8 == 7);
  // Overflow and wrap: the largest positive, then the most negative, product repeated until
  // the 32-bit accumulator wraps (where that takes at most 150,000 MACs: 8- and 16-bit lanes).
  for (const bool negative : {false, true}) {
    const std::int32_t a = L.pack(L.min());
    const std::int32_t b = L.pack(negative ? L.max() : L.min());
    const std::int64_t per_mac = std::max<std::int64_t>(1, std::abs(sim::pe_product(a, b, ob)));
    const std::int64_t n = std::min<std::int64_t>((kInt32Max + 1) / per_mac + 16, 150000);
    for (std::int64_t k = 0; k < n; ++k) mac(a, b, k == n - 1);
  }
  // Reset mid-stream: the accumulator restarts from zero.
  for (int k = 0; k < 10; ++k) mac(L.pack(L.max()), L.pack(L.max()), false);
  s.push_back({PeIn{}, true});
  for (int k = 0; k < 10; ++k) mac(L.pack(L.min()), L.pack(L.max()), k == 9);
  return s;
}

std::vector<Step> ws_corners(const Lanes& L) {
  std::vector<Step> s;
  const auto load = [&](std::int32_t b) { s.push_back({PeIn{.b = b, .shift = true}}); };
  const auto use = [&](std::int32_t a, std::int64_t psum) {
    s.push_back({PeIn{.a = a, .psum = psum, .mac = true, .swap = true}});
  };
  const std::array<std::int64_t, 6> psums{0, -1, kInt32Max, kInt32Min, kInt32Max - 5, kInt32Min + 5};
  // Every pair of extreme lane values on every edge partial sum: overflow wraps both ways.
  for (auto vb : L.extremes())
    for (auto va : L.extremes())
      for (auto p : psums) {
        load(L.pack(vb));
        use(L.pack(va), p);
      }
  // Shift and swap in one cycle: the swap takes the shadow as it stood before the edge.
  load(L.pack(L.max()));
  s.push_back({PeIn{.a = L.pack(L.max()), .b = L.pack(L.min()), .mac = true, .shift = true,
                    .swap = true}});
  s.push_back({PeIn{.a = L.pack(L.max()), .mac = true, .swap = true}});
  // Sign changes on the partial sum passing through.
  for (int k = 0; k < 32; ++k)
    s.push_back({PeIn{.a = L.pack(k % 2 ? L.min() : L.max()), .psum = k % 3 - 1, .mac = true}});
  // Reset mid-stream: the stationary operand and the shadow clear.
  load(L.pack(L.min()));
  s.push_back({PeIn{}, true});
  s.push_back({PeIn{.a = L.pack(L.max()), .psum = 7, .mac = true, .swap = true}});
  return s;
}

class Stimulus {
 public:
  Stimulus(const Lanes& lanes, bool whole, PeMode mode, std::uint64_t seed)
      : L_(lanes), whole_(whole), mode_(mode), rng_(seed) {}

  Step next() {
    Step s;
    if (chance(1.0 / 4096)) {
      s.reset = true;
      return s;
    }
    PeIn& x = s.in;
    x.a = operand();
    x.b = operand();
    x.psum = psum();
    x.mac = chance(0.75);
    if (mode_ == PeMode::output_stationary) {
      x.last = chance(0.25);
    } else {
      x.shift = chance(0.4);
      x.swap = chance(0.15);
    }
    return s;
  }

 private:
  bool chance(double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; }
  std::int32_t operand() {
    if (chance(0.2)) {  // extreme lanes, each lane drawn from the extreme values
      const auto ex = L_.extremes();
      std::uint64_t w = 0;
      for (int l = 0; l < L_.lanes; ++l) w |= L_.lane(ex[rng_() % ex.size()], l);
      return L_.word(w);
    }
    if (whole_)  // a 16-bit operand
      return static_cast<std::int32_t>(
          std::uniform_int_distribution<std::int64_t>(L_.min(), L_.max())(rng_));
    return static_cast<std::int32_t>(static_cast<std::uint32_t>(rng_()));
  }
  std::int64_t psum() {
    if (chance(0.2))
      return chance(0.5) ? kInt32Max - static_cast<std::int64_t>(rng_() % 64)
                         : kInt32Min + static_cast<std::int64_t>(rng_() % 64);
    return std::uniform_int_distribution<std::int64_t>(kInt32Min, kInt32Max)(rng_);
  }

  Lanes L_;
  bool whole_;
  PeMode mode_;
  std::mt19937_64 rng_;
};

}  // namespace

CosimCounts run_pe_cosim(const PeCosimOptions& o) {
  const bool whole = o.kind == RtlPe::mac16;
  const int ob = whole ? 0 : o.operand_bits;
  if (!whole && ob != 8 && ob != 4 && ob != 2)
    throw std::invalid_argument("run_pe_cosim: operand_bits must be 8, 4 or 2");
  const Lanes lanes = whole ? Lanes{16, 1} : Lanes{ob, (8 / ob) * (8 / ob)};
  const sim::PeConfig config{.mode = o.mode, .accumulator_bits = 32, .operand_bits = ob};

  sim::CppPe model;
  VerilatedPe rtl({.kind = o.kind, .fault = o.fault});
  sim::PeOut model_out, rtl_out;
  const auto reset = [&] {
    model.reset(1, config);
    rtl.reset(1, config);
    model_out = rtl_out = sim::PeOut{};
  };
  CosimCounts counts;
  const auto t0 = std::chrono::steady_clock::now();
  const auto apply = [&](const Step& s) {
    if (s.reset) {
      reset();
    } else {
      model.clock({&s.in, 1}, {&model_out, 1});
      rtl.clock({&s.in, 1}, {&rtl_out, 1});
      compare_pe(rtl_out, model_out, o.mode, Mismatch{.cycle = counts.vectors}, counts);
    }
    ++counts.vectors;
  };
  reset();
  if (o.corners)
    for (const Step& s : o.mode == sim::PeMode::output_stationary ? os_corners(lanes, ob)
                                                                   : ws_corners(lanes))
      apply(s);
  Stimulus stim(lanes, whole, o.mode, o.seed);
  for (std::int64_t v = 0; v < o.vectors; ++v) apply(stim.next());
  counts.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return counts;
}

}  // namespace loom::rtl
