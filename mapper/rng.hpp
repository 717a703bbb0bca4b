// SPDX-License-Identifier: Apache-2.0
#pragma once
// The only source of randomness in the mapper. std::mt19937_64's output sequence is fixed by
// the C++ standard, but std::uniform_int_distribution and friends are not (libstdc++, libc++
// and MSVC give different numbers), so every draw here is built from raw 64-bit outputs with
// integer arithmetic only: the same seed proposes the same points with every compiler and
// standard library.
//
// Speed matters here (a strategy draws a few numbers per gene per point), so small draws take
// 32-bit halves of a 64-bit output, and bounded draws use Lemire's multiply-and-shift ("Fast
// random integer generation in an interval", ACM TOMACS 2019) instead of a division.
#include <cstdint>
#include <random>

namespace loom::mapper {

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : engine_(seed) {}

  std::uint64_t bits() { return engine_(); }

  // 32 random bits: the low half of a 64-bit output, then its high half.
  std::uint32_t bits32() {
    if (have_half_) {
      have_half_ = false;
      return static_cast<std::uint32_t>(half_ >> 32);
    }
    half_ = engine_();
    have_half_ = true;
    return static_cast<std::uint32_t>(half_);
  }

  // Uniform in [0, n), n > 0, without bias: the product x * n spans n equal ranges of 2^32
  // except for the first 2^32 mod n values of its low half, which are redrawn.
  std::uint32_t below(std::uint32_t n) {
    std::uint64_t m = std::uint64_t{bits32()} * n;
    if (static_cast<std::uint32_t>(m) < n) {
      const std::uint32_t reject_below = (0u - n) % n;  // 2^32 mod n
      while (static_cast<std::uint32_t>(m) < reject_below) m = std::uint64_t{bits32()} * n;
    }
    return static_cast<std::uint32_t>(m >> 32);
  }

  // Uniform in [0, n), n > 0, for 64-bit ranges: modulo, redrawing below 2^64 mod n.
  std::uint64_t below64(std::uint64_t n) {
    const std::uint64_t reject_below = (0 - n) % n;  // 2^64 mod n
    for (;;) {
      const std::uint64_t x = engine_();
      if (x >= reject_below) return x % n;
    }
  }

  // Uniform in [0, 1) with 53 random bits (one per bit of a double's mantissa).
  double unit() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }
  // True with probability p (to 2^-32), from 32 bits.
  bool chance(double p) { return bits32() < odds(p); }
  // The same with odds(p) computed once, for a probability drawn against in a loop.
  bool chance_odds(std::uint64_t odds) { return bits32() < odds; }
  // p in [0, 1] as a count of the 2^32 values of bits32() that mean "yes".
  static std::uint64_t odds(double p) {
    return p >= 1 ? std::uint64_t{1} << 32 : static_cast<std::uint64_t>(p * 0x1.0p32);
  }

 private:
  std::mt19937_64 engine_;
  std::uint64_t half_ = 0;
  bool have_half_ = false;
};

}  // namespace loom::mapper
