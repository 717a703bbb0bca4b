// SPDX-License-Identifier: Apache-2.0
#pragma once
// Closed enums are parsed and printed from one table, so the names a user may type, the names
// reports print and the list an error suggests can never drift apart.
#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace loom::core {

template <class E>
struct EnumName {
  E value;
  std::string_view name;
};

template <class E, std::size_t N>
[[nodiscard]] constexpr std::optional<E> parse_enum(const std::array<EnumName<E>, N>& table,
                                                    std::string_view name) {
  for (const auto& e : table)
    if (e.name == name) return e.value;
  return std::nullopt;
}

template <class E, std::size_t N>
[[nodiscard]] constexpr std::string_view enum_name(const std::array<EnumName<E>, N>& table,
                                                   E value) {
  for (const auto& e : table)
    if (e.value == value) return e.name;
  return "?";
}

// "os, ws, is" — used in error messages listing the valid choices.
template <class E, std::size_t N>
[[nodiscard]] std::string enum_choices(const std::array<EnumName<E>, N>& table) {
  std::string out;
  for (const auto& e : table) {
    if (!out.empty()) out += ", ";
    out += e.name;
  }
  return out;
}

}  // namespace loom::core
