// SPDX-License-Identifier: Apache-2.0
// loom._core.map: each layer's mapping search, as `loom map`, and under the graph schedule the
// schedule the mappings run under (what `loom map` writes as schedule.yaml), kept with the
// mappings so that loom.run can take them back without files.
#include <pybind11/stl.h>

#include "dataflow/mapping_io.hpp"
#include "explore/run_request.hpp"
#include "mapper/strategy.hpp"
#include "python/bindings.hpp"
#include "python/convert.hpp"
#include "python/objects.hpp"
#include "schedule/graph_schedule.hpp"

namespace loom::python {
namespace {

struct MapRequest {
  explore::RunRequest run;
  std::string layer;
  std::string strategy = "exact";
  bool budget_given = false;
  double time_limit_s = 0;
  std::string out;
};

MapOutput map_network(const Accelerator& a, const Workload& w, const MapRequest& m) {
  check_request(m.run);
  const auto acc = explore::with_dataflow(a.acc, m.run.dataflow);
  MapOutput out;
  out.net = w.net.with_batch(m.run.batch);
  out.scope = mapping_scope(a, m.run);
  out.accelerator = acc.name;
  explore::MapNetworkOptions opt;
  opt.only_layer = m.layer;
  opt.mapper.objective = explore::objective_of(m.run, acc);
  opt.mapper.strategy = mapper::parse_strategy(m.strategy);
  opt.mapper.budget = m.run.budget;
  explore::apply_exact_defaults(opt.mapper, acc, m.budget_given);
  opt.mapper.seed = m.run.seed;
  opt.mapper.threads = m.run.threads;
  if (m.time_limit_s > 0) opt.mapper.wall_clock_limit_s = m.time_limit_s;
  const auto kind = schedule::schedule_kind(explore::run_options(m.run, acc).schedule, acc);
  py::gil_scoped_release unlocked;
  out.results = explore::map_network(out.net, acc, opt);
  // As `loom map`: the whole network under the graph schedule is also evaluated with the
  // mappings found, as loom.run(mapping=...) will; one layer alone has no network schedule.
  std::optional<explore::RunResult> scheduled;
  if (kind == schedule::ScheduleKind::graph && m.layer.empty()) {
    explore::MappingSet mappings;
    for (const auto& r : out.results) mappings.emplace(r.layer.name, r.mapped.mapping);
    explore::RunOptions ro;
    ro.mappings = &mappings;
    ro.mapper = opt.mapper;
    ro.schedule = kind;
    scheduled = explore::evaluate_network(out.net, acc, ro);
    out.schedule = explore::mapped_schedule(*scheduled);
  }
  if (!m.out.empty())
    explore::write_mappings(out.results, out.net.name, opt.mapper.objective, acc, m.out,
                            scheduled ? &*scheduled : nullptr);
  return out;
}

py::list layer_results(const MapOutput& m, const arch::Accelerator& acc) {
  py::list out;
  for (const auto& r : m.results) {
    const auto& c = r.mapped.counts;
    py::dict d;
    d["layer"] = r.layer.name;
    d["cycles"] = c.total_cycles;
    d["energy_pj"] = r.mapped.energy.total_pj;
    d["pj_per_mac"] = r.mapped.energy.total_pj / static_cast<double>(c.macs);
    d["utilization_pct"] = c.overall_util_pct;
    d["evaluated"] = r.mapped.evaluated;
    d["valid"] = r.mapped.valid;
    d["pruned"] = r.mapped.pruned;
    d["optimality_gap_pct"] = r.mapped.optimality_gap_pct;
    d["searched"] = r.mapped.searched;
    d["cached"] = r.cached;
    d["loop_nest"] = dataflow::format_loop_nest(r.mapped.mapping, acc);
    out.append(d);
  }
  return out;
}

}  // namespace

void bind_map(py::module_& m) {
  py::class_<MapRequest>(m, "MapRequest", "The options of `loom map`, with its defaults")
      .def(py::init<>())
      .def_readwrite("run", &MapRequest::run)
      .def_readwrite("layer", &MapRequest::layer)
      .def_readwrite("strategy", &MapRequest::strategy)
      .def_readwrite("budget_given", &MapRequest::budget_given)
      .def_readwrite("time_limit_s", &MapRequest::time_limit_s)
      .def_readwrite("out", &MapRequest::out);

  py::class_<MapOutput>(m, "MapOutput")
      .def_property_readonly("schedule", [](const MapOutput& o) -> py::object {
        if (!o.schedule) return py::none();
        return schedule_dict(*o.schedule, o.net.name, o.accelerator);
      });
  m.def(
      "map",
      [](const Accelerator& a, const Workload& w, const MapRequest& req) {
        MapOutput out = map_network(a, w, req);
        // Loop nests are written against the accelerator the layers were mapped on.
        py::list layers = layer_results(out, explore::with_dataflow(a.acc, req.run.dataflow));
        return py::make_tuple(std::move(out), std::move(layers));
      },
      py::arg("arch"), py::arg("workload"), py::arg("request"));
}

}  // namespace loom::python
