// SPDX-License-Identifier: Apache-2.0
#include <array>
#include <string>
#include <string_view>
#include <utility>

#include "core/error.hpp"
#include "simulate/array_simulator.hpp"

namespace loom::simulate {

ArraySimulator::GroupRun ArraySimulator::run_group(const schedule::FusedExecution& /*e*/,
                                                   const sim::Tensor4& /*input*/,
                                                   const std::vector<sim::Tensor4>& /*weights*/,
                                                   const sim::OutputFormat& /*between*/) {
  throw Error(Diagnostic{"", "dataflow", 0,
                         "fused groups are simulated on systolic arrays (os, ws, is) only"});
}

const FamilySimulator& simulator_for(const dataflow::Family& family) {
  // The one table: a family with a cycle-level model adds one line here.
  static const std::array<std::pair<std::string_view, const FamilySimulator*>, 2> table{{
      {"systolic", &systolic_simulator()},
      {"spatial", &spatial_simulator()},
  }};
  for (const auto& [name, sim] : table)
    if (name == family.name()) return *sim;
  throw Error(
      Diagnostic{"", "dataflow", 0,
                 "no cycle-level simulator models " + std::string(family.name()) + " arrays yet"});
}

}  // namespace loom::simulate
