// SPDX-License-Identifier: Apache-2.0
#include "simulate/sim_schedule.hpp"

#include "core/error.hpp"
#include "dataflow/family.hpp"
#include "dataflow/systolic.hpp"

namespace loom::simulate {

schedule::ScheduleKind sim_schedule_kind(const arch::Accelerator& acc,
                                         const SimulateOptions& options) {
  return schedule::schedule_kind(options.schedule, acc);
}

explore::RunResult scheduled_run(const workloads::Network& net, const arch::Accelerator& acc,
                                 const std::vector<explore::LayerMappingResult>& mapped,
                                 const SimulateOptions& options) {
  explore::MappingSet mappings;
  for (const auto& m : mapped) mappings.emplace(m.layer.name, m.mapped.mapping);
  explore::RunOptions ro;
  ro.mappings = &mappings;
  ro.mapper = options.mapper;
  ro.schedule = schedule::ScheduleKind::graph;
  return explore::evaluate_network(net, acc, ro);  // refuses an accelerator that runs layerwise
}

void check_schedule_simulable(const explore::RunResult& run, const arch::Accelerator& acc) {
  const auto& s = *run.schedule;
  const auto& net = run.network;
  // A spatial array simulates residency (sim/spatial_array.hpp) but no fused groups.
  if (&dataflow::family_of(acc) != &dataflow::systolic_family() && !s.groups.empty())
    throw Error(Diagnostic{acc.source, "schedule", 0,
                           "the graph schedule fuses " + net.layers[s.groups[0].first].name + ".." +
                               net.layers[s.groups[0].last].name +
                               ", and the spatial array's simulator runs layers whole (resident "
                               "tensors on chip) but no fused groups; simulate with --schedule "
                               "layerwise"});
  for (const auto& g : s.groups)
    for (std::size_t i = g.first; i <= g.last; ++i) {
      const auto op = net.layers[i].op;
      if (op != workloads::OpKind::conv && op != workloads::OpKind::depthwise &&
          op != workloads::OpKind::pointwise)
        throw Error(
            Diagnostic{acc.source, "schedule", 0,
                       "the graph schedule fuses " + net.layers[g.first].name + ".." +
                           net.layers[g.last].name + ", which holds '" + net.layers[i].name +
                           "'; the simulator runs fused groups of convolutions only: simulate with "
                           "--schedule layerwise, or a chain of convolutions with --group"});
    }
}

schedule::FusedExecution group_execution(const schedule::GraphSchedule& s, std::size_t g,
                                         const arch::Accelerator& acc) {
  const schedule::GroupPlan& plan = s.groups[g];
  schedule::FusedExecution e = s.priced[g].execution;
  const bool input_resident = s.cuts[plan.first].input_on_chip;
  const bool output_resident = s.cuts[plan.last].output_on_chip;
  for (auto& tile : e.tiles) {
    if (input_resident) tile.load = {};
    for (auto& st : tile.steps) {
      if (!workloads::does_macs(st.layer.op)) continue;
      if (st.mapping.levels.empty())
        throw Error(Diagnostic{
            acc.source, "schedule", 0,
            "loom run priced fused layer '" + e.layers[st.pos].name +
                "' on a tile without a mapping (its closed form), which the simulator cannot "
                "run; simulate with --schedule layerwise"});
      if (st.pos + 1 == e.layers.size()) st.on_chip[2] = output_resident;
    }
  }
  return e;
}

}  // namespace loom::simulate
