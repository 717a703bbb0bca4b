// SPDX-License-Identifier: Apache-2.0
#pragma once
// Internal to rtl/: reading and writing Verilated ports of any width. Verilator stores a port
// of up to 8/16/32/64 bits in CData/SData/IData/QData and a wider one as VlWide words; inputs
// must not carry bits above their width.
#include <verilated.h>

#include <cstdint>
#include <type_traits>

#include "sim/pe_model.hpp"

namespace loom::rtl::ports {

// Sets a port of `bits` bits from the low bits of v.
template <class P>
void put(P& port, std::int64_t v, int bits) {
  const auto u = static_cast<std::uint64_t>(v);
  const std::uint64_t mask = bits >= 64 ? ~0ULL : (1ULL << bits) - 1;
  port = static_cast<P>(u & mask);
}

// A `bits`-wide port read as a signed number.
template <class P>
[[nodiscard]] std::int64_t get_signed(const P& port, int bits) {
  return sim::wrap_to(static_cast<std::int64_t>(static_cast<std::uint64_t>(port)), bits);
}

// Word k (32 bits) of a wide port.
template <std::size_t N>
void put_word(VlWide<N>& port, std::size_t k, std::uint32_t v) {
  port[k] = v;
}
template <std::size_t N>
[[nodiscard]] std::int32_t get_word(const VlWide<N>& port, std::size_t k) {
  return static_cast<std::int32_t>(port[k]);
}

// Bit i of a flag vector port (at most 64 bits).
template <class P>
void put_bit(P& port, std::size_t i, bool v) {
  static_assert(std::is_integral_v<P>);
  const auto bit = static_cast<P>(P{1} << i);
  port = static_cast<P>(v ? port | bit : port & static_cast<P>(~bit));
}

}  // namespace loom::rtl::ports
