// SPDX-License-Identifier: Apache-2.0
#include "explore/tile_mapper.hpp"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "core/error.hpp"
#include "dataflow/family.hpp"
#include "dataflow/systolic.hpp"
#include "explore/layer_mapper.hpp"
#include "schedule/residency.hpp"

namespace loom::explore {
namespace {

struct Memo {
  std::map<std::string, std::optional<schedule::TileEval>> whole;
  std::map<std::pair<std::string, std::int64_t>, std::optional<schedule::TileEval>> smaller;
};

std::optional<schedule::TileEval> map_tile(const workloads::Layer& tile,
                                           const arch::Accelerator& acc,
                                           const energy::EnergyTable& table,
                                           const mapper::MapperOptions& options) {
  try {
    MappedLayer m = map_layer(tile, acc, table, options);
    return schedule::TileEval{std::move(m.mapping), std::move(m.counts)};
  } catch (const Error&) {
    return std::nullopt;  // no legal mapping: the group's option is illegal
  }
}

}  // namespace

schedule::EvalTile tile_mapper(const arch::Accelerator& acc, const energy::EnergyTable& table,
                               const mapper::MapperOptions& options) {
  auto memo = std::make_shared<Memo>();
  const int level = schedule::residency_level(acc);
  return [&acc, &table, options, memo, level](const workloads::Layer& tile, std::int64_t reserved) {
    const std::string key = layer_key(tile);
    auto it = memo->whole.find(key);
    if (it == memo->whole.end())
      it = memo->whole.emplace(key, map_tile(tile, acc, table, options)).first;
    const auto& whole = it->second;
    if (!whole || level < 0 || reserved <= 0) return whole;
    const std::int64_t left =
        acc.levels[static_cast<std::size_t>(level)].size_bytes - (reserved + 7) / 8;
    if (left <= 0) return std::optional<schedule::TileEval>{};
    arch::Accelerator smaller = acc;
    smaller.levels[static_cast<std::size_t>(level)].size_bytes = left;
    const auto& family = dataflow::family_of(acc);
    const auto p = dataflow::resolve_precision(tile, smaller);
    if (family.evaluate(tile, smaller, *whole->mapping, p, dataflow::Fidelity::search).valid)
      return whole;
    auto s = memo->smaller.find({key, left});
    if (s == memo->smaller.end())
      s = memo->smaller.emplace(std::pair{key, left}, map_tile(tile, smaller, table, options))
              .first;
    return s->second;
  };
}

}  // namespace loom::explore
