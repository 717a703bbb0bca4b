// SPDX-License-Identifier: Apache-2.0
#pragma once
// Range checks for command-line numbers, in the words Loom uses for a bad value in a file:
// `--batch: expected an integer from 1 to 1000, got 0`. Each check reads the flag's text before
// CLI11 converts it, so a value that does not parse, wraps (`--seed -1` into an unsigned) or is
// not finite (`nan`) is refused the same way as one out of range. main() prints the result as
// `loom: error: ...` and exits with code 2.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <string>
#include <vector>

namespace loom::cli {

// An integer of type T from `min` to `max` (to the type's largest value when `max` is omitted).
template <class T>
CLI::Validator integer_in(T min, T max = std::numeric_limits<T>::max()) {
  const std::string expected =
      max == std::numeric_limits<T>::max()
          ? "an integer >= " + std::to_string(min)
          : "an integer from " + std::to_string(min) + " to " + std::to_string(max);
  auto check = [=](std::string& text) -> std::string {
    T v{};
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc{} || end != text.data() + text.size())
      return "expected " + expected + ", got '" + text + "'";
    if (v < min || v > max) return "expected " + expected + ", got " + text;
    return {};
  };
  return {check, "INT " + expected.substr(std::string("an integer ").size())};
}

// A finite number greater than zero (a duration, a scale).
inline CLI::Validator positive_number() {
  auto check = [](std::string& text) -> std::string {
    char* end = nullptr;
    const double v = std::strtod(text.c_str(), &end);
    if (text.empty() || end != text.c_str() + text.size() || !std::isfinite(v) || v <= 0)
      return "expected a finite number > 0, got '" + text + "'";
    return {};
  };
  return {check, "NUMBER > 0"};
}

// One of a closed set of names, listed on error as a YAML enum is.
inline CLI::Validator one_of(std::vector<std::string> names) {
  std::string list;
  for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
  auto check = [names, list](std::string& text) -> std::string {
    if (std::find(names.begin(), names.end(), text) != names.end()) return {};
    return "unknown value '" + text + "' (expected one of: " + list + ")";
  };
  std::string braces = "{" + list + "}";
  braces.erase(std::remove(braces.begin(), braces.end(), ' '), braces.end());
  return {check, braces};
}

}  // namespace loom::cli
