// SPDX-License-Identifier: Apache-2.0
#include "mapper/strategy.hpp"

#include <string>

#include "core/error.hpp"
#include "mapper/exact.hpp"
#include "mapper/exhaustive.hpp"
#include "mapper/random_search.hpp"

namespace loom::mapper {

Strategy parse_strategy(std::string_view name) {
  const auto s = core::parse_enum(kStrategies, name);
  if (!s)
    throw Error("unknown search strategy '" + std::string(name) + "'; expected one of " +
                core::enum_choices(kStrategies));
  return *s;
}

Strategy resolve_strategy(Strategy s, const SearchSpace& space, std::uint64_t budget) {
  if (s != Strategy::automatic) return s;
  const auto n = space.exact_size();
  return n && *n <= budget ? Strategy::exhaustive : Strategy::genetic;
}

std::unique_ptr<Search> make_search(const SearchSpace& space, const StrategyConfig& config) {
  switch (resolve_strategy(config.strategy, space, config.budget)) {
    case Strategy::exhaustive:
      return std::make_unique<ExhaustiveSearch>(space);
    case Strategy::random:
      return std::make_unique<RandomSearch>(space, config.seed);
    case Strategy::genetic:
      return std::make_unique<GeneticSearch>(space, config.seed, config.genetic);
    case Strategy::exact:
      return std::make_unique<ExactSearch>(
          space, config.bounds, config.objective,
          config.exact_warmup > 0 ? config.exact_warmup : kExactWarmupPoints);
    case Strategy::automatic:
      break;
  }
  throw Error("unknown search strategy");  // unreachable: resolve_strategy is total
}

}  // namespace loom::mapper
