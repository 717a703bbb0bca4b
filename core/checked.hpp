// SPDX-License-Identifier: Apache-2.0
#pragma once
// Overflow-checked integer arithmetic for sizes read from user files (MACs, bytes, cycles).
// Each function returns nullopt where the exact result does not fit in an int64_t, so a loader
// can refuse the input with a clear message instead of computing a wrapped, negative size.
#include <cstdint>
#include <initializer_list>
#include <optional>

namespace loom::core {

[[nodiscard]] constexpr std::optional<std::int64_t> checked_mul(std::int64_t a, std::int64_t b) {
  std::int64_t r = 0;
  if (__builtin_mul_overflow(a, b, &r)) return std::nullopt;
  return r;
}

[[nodiscard]] constexpr std::optional<std::int64_t> checked_add(std::int64_t a, std::int64_t b) {
  std::int64_t r = 0;
  if (__builtin_add_overflow(a, b, &r)) return std::nullopt;
  return r;
}

// A non-negative count computed in double (cycles from bytes / bandwidth) as an int64, or
// nullopt if it is not finite or not below 2^63 (where the cast would be undefined).
[[nodiscard]] constexpr std::optional<std::int64_t> checked_count(double v) {
  if (!(v >= 0.0 && v < 9.2233720368547758e18)) return std::nullopt;
  return static_cast<std::int64_t>(v);
}

// The product of all factors, or nullopt if any partial product overflows.
[[nodiscard]] constexpr std::optional<std::int64_t> checked_product(
    std::initializer_list<std::int64_t> factors) {
  std::int64_t r = 1;
  for (auto f : factors) {
    const auto p = checked_mul(r, f);
    if (!p) return std::nullopt;
    r = *p;
  }
  return r;
}

}  // namespace loom::core
