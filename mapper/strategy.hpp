// SPDX-License-Identifier: Apache-2.0
#pragma once
// The closed set of search strategies, parsed and printed from one table, and the factory that
// builds one. Adding a strategy: its own .hpp/.cpp, one enum value and table row here, one case
// in strategy.cpp, one CMake line, its tests.
#include <array>
#include <cstdint>
#include <memory>
#include <string_view>

#include "core/enum_table.hpp"
#include "mapper/bounds.hpp"
#include "mapper/genetic.hpp"
#include "mapper/objective.hpp"
#include "mapper/search.hpp"

namespace loom::mapper {

// `automatic` ("auto") enumerates the space when it fits the budget — the exact optimum for the
// same cost — and runs the genetic search otherwise: with 5% of the space it came within 2% of
// the optimum on every mapping-like landscape of tests/mapper/test_quality.cpp, where random
// sampling missed by up to 47%. `exact` is branch and bound (exact.hpp) with the bounds the
// evaluator offers: the optimum with a certificate, once it runs to the end.
enum class Strategy { automatic, exhaustive, random, genetic, exact };
inline constexpr std::array<core::EnumName<Strategy>, 5> kStrategies{
    {{Strategy::automatic, "auto"},
     {Strategy::exhaustive, "exhaustive"},
     {Strategy::random, "random"},
     {Strategy::genetic, "genetic"},
     {Strategy::exact, "exact"}}};

// "genetic" -> Strategy::genetic; an unknown name throws loom::Error listing the valid ones.
[[nodiscard]] Strategy parse_strategy(std::string_view name);

// The concrete strategy `automatic` stands for on this space and budget; others unchanged.
[[nodiscard]] Strategy resolve_strategy(Strategy s, const SearchSpace& space, std::uint64_t budget);

struct StrategyConfig {
  Strategy strategy = Strategy::automatic;
  std::uint64_t seed = 1;
  std::uint64_t budget = 0;  // only read to resolve `automatic`
  GeneticOptions genetic{};
  Objective objective{};                 // only read by exact
  const PrefixBounds* bounds = nullptr;  // only read by exact; may be null
  std::uint64_t exact_warmup = 0;        // only read by exact: its warm-up (0: the default)
};

// Throws loom::Error for options a strategy rejects (e.g. exhaustive on a > 2^64 space).
[[nodiscard]] std::unique_ptr<Search> make_search(const SearchSpace& space,
                                                  const StrategyConfig& config);

}  // namespace loom::mapper
