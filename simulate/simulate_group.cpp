// SPDX-License-Identifier: Apache-2.0
#include "simulate/simulate_group.hpp"

#include <fmt/core.h>

#include <chrono>
#include <memory>
#include <utility>

#include "core/error.hpp"
#include "dataflow/family.hpp"
#include "dataflow/systolic.hpp"
#include "explore/map_network.hpp"
#include "sim/array_module.hpp"
#include "sim/pe_model.hpp"
#include "simulate/simulate_network.hpp"

namespace loom::simulate {
namespace {

std::size_t layer_index(const workloads::Network& net, const std::string& name) {
  for (std::size_t i = 0; i < net.layers.size(); ++i)
    if (net.layers[i].name == name) return i;
  throw Error(Diagnostic{"", "--group", 0, "no layer named '" + name + "'"});
}

// The layers FIRST..LAST names, inclusive.
std::pair<std::size_t, std::size_t> group_range(const workloads::Network& net,
                                                const std::string& text) {
  const auto dots = text.find("..");
  if (dots == std::string::npos || dots == 0 || dots + 2 >= text.size())
    throw Error(Diagnostic{"", "--group", 0, "expected FIRST..LAST, got '" + text + "'"});
  const std::size_t first = layer_index(net, text.substr(0, dots));
  const std::size_t last = layer_index(net, text.substr(dots + 2));
  if (last <= first)
    throw Error(Diagnostic{"", "--group", 0, "the last layer must come after the first"});
  return {first, last};
}

}  // namespace

schedule::TileMapping tile_mapper(const arch::Accelerator& acc, const mapper::MapperOptions& o) {
  // Tiles of a layer share few shapes (the first, the steady one, the last): each is mapped once.
  auto mapped = std::make_shared<std::vector<std::pair<workloads::Layer, dataflow::Mapping>>>();
  return [acc, o, mapped](const workloads::Layer& l) {
    for (const auto& [k, m] : *mapped)
      if (k == l) return m;
    workloads::Network one;
    one.layers = {l};
    const auto r = explore::map_network(one, acc, {.mapper = o});
    if (r.empty()) throw Error(Diagnostic{"", "group", 0, l.name + ": no legal mapping"});
    mapped->emplace_back(l, r.front().mapped.mapping);
    return mapped->back().second;
  };
}

sim::OutputFormat between_layers(const arch::Accelerator& acc, int activation_bits) {
  return {.accumulator_bits = acc.array.pe.accumulator_bits,
          .shift = 8,
          .output_bits = activation_bits,
          .saturate = true};
}

SimulatedGroup simulate_group(const workloads::Network& net, const arch::Accelerator& acc,
                              const GroupSimOptions& o) {
  check_simulable(acc, {});
  if (&dataflow::family_of(acc) != &dataflow::systolic_family())
    throw Error(Diagnostic{acc.source, "dataflow", 0,
                           "fused groups are simulated on systolic arrays (os, ws, is)"});
  const auto [first, last] = group_range(net, o.group);
  const std::vector<workloads::Layer> layers(net.layers.begin() + static_cast<long>(first),
                                             net.layers.begin() + static_cast<long>(last) + 1);
  const auto e = schedule::fused_execution(layers, acc, o.tile_rows, o.halo, o.weights_resident,
                                           tile_mapper(acc, o.mapper));

  SimulatedGroup g;
  for (const auto& l : layers) g.layers.push_back(l.name);
  g.tiles = static_cast<std::int64_t>(e.tiles.size());
  for (const auto& t : e.tiles) g.steps += static_cast<std::int64_t>(t.steps.size());
  g.analytical = schedule::price_fused_execution(e, acc);

  const auto p0 = dataflow::resolve_precision(layers.front(), acc);
  const auto input =
      sim::random_layer_data(layers.front().shape, p0.activation_bits, p0.weight_bits, o.seed)
          .ifmap;
  std::vector<sim::Tensor4> weights;
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const auto p = dataflow::resolve_precision(layers[i], acc);
    weights.push_back(
        sim::random_layer_data(layers[i].shape, p.activation_bits, p.weight_bits, o.seed + 1 + i)
            .weights);
  }
  const sim::OutputFormat between = between_layers(acc, p0.activation_bits);
  sim::CppPe pe;
  sim::ArraySimulation array({.rows = acc.array.rows,
                              .cols = acc.array.cols,
                              .dataflow = acc.dataflow,
                              .accumulator_bits = acc.array.pe.accumulator_bits,
                              .clock_period_ns = 1e9 / acc.clock_hz},
                             pe);
  const auto t0 = std::chrono::steady_clock::now();
  g.sim = sim::simulate_fused_group(e, acc, input, weights, between, array);
  g.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return g;
}

std::string format_group(const SimulatedGroup& g) {
  const auto& s = g.sim;
  const auto& a = g.analytical;
  return fmt::format(
      "group {}..{} ({} layers): {} tiles, {} steps\n"
      "  cycles {} (analytical {}), DRAM {} B (analytical {} B), MACs {} (analytical {})\n"
      "  {} elements checked, {} mismatches, {:.3g} s\n",
      g.layers.front(), g.layers.back(), g.layers.size(), g.tiles, g.steps, s.cycles, a.cycles,
      s.dram_bits / 8, a.dram_bits / 8, s.macs, a.macs, s.elements_checked,
      s.mismatches + s.step_mismatches, g.seconds);
}

}  // namespace loom::simulate
