// SPDX-License-Identifier: Apache-2.0
#pragma once
// Strong unit types. A Quantity is a number tagged with its unit so that bytes are never added
// to cycles by accident. They are trivially copyable and cost nothing at run time; `.value()`
// leaves the type system where a formula needs the raw number.
#include <compare>
#include <cstdint>

namespace loom::core {

template <class Tag, class Rep>
class Quantity {
 public:
  using rep = Rep;
  constexpr Quantity() = default;
  constexpr explicit Quantity(Rep v) : v_(v) {}
  [[nodiscard]] constexpr Rep value() const { return v_; }

  constexpr Quantity& operator+=(Quantity o) { v_ += o.v_; return *this; }
  constexpr Quantity& operator-=(Quantity o) { v_ -= o.v_; return *this; }
  friend constexpr Quantity operator+(Quantity a, Quantity b) { return Quantity(a.v_ + b.v_); }
  friend constexpr Quantity operator-(Quantity a, Quantity b) { return Quantity(a.v_ - b.v_); }
  friend constexpr Quantity operator*(Quantity a, Rep k) { return Quantity(a.v_ * k); }
  friend constexpr Quantity operator*(Rep k, Quantity a) { return Quantity(a.v_ * k); }
  friend constexpr Quantity operator/(Quantity a, Rep k) { return Quantity(a.v_ / k); }
  friend constexpr Rep operator/(Quantity a, Quantity b) { return a.v_ / b.v_; }
  friend constexpr auto operator<=>(Quantity, Quantity) = default;

 private:
  Rep v_{};
};

struct BitsTag {};
struct BytesTag {};
struct CyclesTag {};
struct PicojoulesTag {};
struct SquareMmTag {};
struct HertzTag {};

using Bits = Quantity<BitsTag, std::int64_t>;
using Bytes = Quantity<BytesTag, std::int64_t>;
using Cycles = Quantity<CyclesTag, std::int64_t>;
using Picojoules = Quantity<PicojoulesTag, double>;
using SquareMm = Quantity<SquareMmTag, double>;
using Hertz = Quantity<HertzTag, double>;

inline constexpr std::int64_t kKiB = 1024;

}  // namespace loom::core
