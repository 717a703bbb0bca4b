// SPDX-License-Identifier: Apache-2.0
// loom._core: Accelerator, Workload, run, import_model and the per-layer cache.
#include <pybind11/stl.h>

#include <filesystem>
#include <map>

#include "core/config.hpp"
#include "core/error.hpp"
#include "dataflow/mapping_io.hpp"
#include "explore/map_network.hpp"
#include "explore/mapped_schedule.hpp"
#include "explore/run_outputs.hpp"
#include "explore/run_request.hpp"
#include "mapper/strategy.hpp"
#include "python/bindings.hpp"
#include "python/convert.hpp"
#include "python/importers.hpp"
#include "python/objects.hpp"
#include "reports/atomic_file.hpp"

namespace loom::python {
namespace {

// Mapped layers shared by every loom.run of the process (see docs/python.md, "Cache").
explore::LayerCache& layer_cache() {
  static explore::LayerCache cache;
  return cache;
}

void check_range(const char* key, std::int64_t v, std::int64_t lo, std::int64_t hi) {
  if (v < lo || v > hi)
    throw Error(Diagnostic{"", key, 0,
                           "expected an integer in [" + std::to_string(lo) + ", " +
                               std::to_string(hi) + "], got " + std::to_string(v)});
}

// The warning `loom run --mapping` prints, for mappings given as a loom.map result.
std::optional<std::string> schedule_mismatch(const MapOutput& maps, const explore::RunResult& run) {
  if (!maps.schedule) return std::nullopt;
  if (!run.schedule)
    return std::string(
        "the loom.map result records the graph schedule its mappings were planned "
        "with; this run is layerwise (schedule=\"graph\" runs it)");
  if (explore::mapped_schedule(run).same_plan(*maps.schedule)) return std::nullopt;
  return "the loom.map result records another graph schedule for these mappings (planned under "
         "objective " +
         maps.schedule->objective + "; this run's objective is " + run.settings.objective +
         "): its DRAM bytes and cycles differ from the map's";
}

// `maps` (may be null): mappings from loom.map, for the same accelerator and network.
RunOutput run(const Accelerator& a, const Workload& w, const explore::RunRequest& req,
              const std::string& out, const MapOutput* maps) {
  check_request(req);
  const auto acc = explore::with_dataflow(a.acc, req.dataflow);
  const auto net = w.net.with_batch(req.batch);
  explore::MappingSet mappings;
  explore::RunOptions opt = explore::run_options(req, acc);
  if (!req.mapping.empty()) {
    mappings = explore::read_mappings(req.mapping, acc, net);
    opt.mappings = &mappings;
  } else if (maps) {
    if (maps->scope != mapping_scope(a, req) || maps->net.layers != net.layers)
      throw Error(Diagnostic{"", "mapping", 0,
                             "this loom.map result maps workload '" + maps->net.name + "' (batch " +
                                 std::to_string(maps->net.batch) + ") on '" + maps->accelerator +
                                 "' as that call named them; run it with the same arch, "
                                 "workload, batch and dataflow, or pass the folder its out= "
                                 "wrote"});
    for (const auto& r : maps->results) mappings.emplace(r.layer.name, r.mapped.mapping);
    opt.mappings = &mappings;
  }
  opt.cache = &layer_cache();
  opt.cache_scope = mapping_scope(a, req) + "\n" + explore::mapper_scope(opt.mapper);
  RunOutput r{explore::evaluate_network(net, acc, opt), std::nullopt};
  if (!req.mapping.empty())
    r.schedule_warning = explore::schedule_mismatch(req.mapping, r.run);
  else if (maps)
    r.schedule_warning = schedule_mismatch(*maps, r.run);
  if (!out.empty()) explore::write_run_outputs(r.run, out);
  return r;
}

workloads::Layer& find_layer(workloads::Network& net, const std::string& name) {
  for (auto& l : net.layers)
    if (l.name == name) return l;
  throw Error(Diagnostic{"", name, 0, "no layer '" + name + "' in workload '" + net.name + "'"});
}

// A copy with the given layers' bit widths (0 keeps a width), checked as the workload YAML
// loader checks them.
Workload with_bits(const Workload& w, const std::map<std::string, std::pair<int, int>>& bits) {
  Workload out = w;
  for (const auto& [name, wa] : bits) {
    auto& l = find_layer(out.net, name);
    for (const auto& [key, v] :
         {std::pair{"weight_bits", wa.first}, {"activation_bits", wa.second}})
      if (v != 0) check_range(key, v, 1, 32);
    if (wa.first != 0) l.precision.weight_bits = wa.first;
    if (wa.second != 0) l.precision.activation_bits = wa.second;
  }
  return out;
}

Workload with_density(const Workload& w,
                      const std::map<std::string, std::map<std::string, double>>& density) {
  Workload out = w;
  for (const auto& [name, fields] : density) {
    auto& l = find_layer(out.net, name);
    for (const auto& [key, v] : fields) {
      if (!(v > 0 && v <= 1))
        throw Error(Diagnostic{"", name + "." + key, 0,
                               "expected a density in (0, 1], got " + std::to_string(v)});
      if (key == "weight")
        l.density.weight = v;
      else if (key == "ifmap")
        l.density.ifmap = v;
      else if (key == "ofmap")
        l.density.ofmap = v;
      else
        throw Error(Diagnostic{"", name + "." + key, 0,
                               "unknown density '" + key +
                                   "' (expected one of: weight, ifmap, "
                                   "ofmap)"});
    }
  }
  return out;
}

Workload import_model(const py::object& model, const std::string& out) {
  Workload w;
  if (py::isinstance<py::bytes>(model)) {
    const std::string bytes = model.cast<std::string>();
    w.net = parse_onnx_bytes(bytes, "<bytes>");
  } else {
    const std::string path = py::str(model);
    w.net = workloads::load_workload(path, workload_importers());
  }
  if (!out.empty()) reports::write_file_atomically(out, workloads::to_workload_yaml(w.net));
  return w;
}

}  // namespace

void check_request(const explore::RunRequest& r) {
  check_range("batch", r.batch, 1, workloads::kMaxBatch);
  check_range("budget", static_cast<std::int64_t>(r.budget), 1, INT64_MAX);
  check_range("threads", r.threads, 0, INT32_MAX);
}

std::string mapping_scope(const Accelerator& a, const explore::RunRequest& req) {
  return a.identity + "\ndataflow " + req.dataflow;
}

// Presets and zoo networks are compiled in and never change: each is parsed once per process
// (a ResNet-18 parse costs more than a cached run). Called with the GIL held, which guards them.
Accelerator load_accelerator(const std::string& source, bool text, const std::string& text_name) {
  if (text) return {arch::parse_accelerator_yaml(source, text_name), "yaml\n" + source};
  if (const auto preset = arch::preset_text(source)) {
    static std::map<std::string, Accelerator> presets;
    auto it = presets.find(source);
    if (it == presets.end())
      it = presets
               .emplace(source, Accelerator{arch::load_accelerator(source),
                                            "yaml\n" + std::string(*preset)})
               .first;
    return it->second;
  }
  auto acc = arch::load_accelerator(source);
  return {std::move(acc), "file " + std::filesystem::path(source).extension().string() + "\n" +
                              core::read_text_file(source)};
}

Workload load_workload(const std::string& source, bool text, const std::string& text_name) {
  if (text) return {workloads::parse_workload_yaml(source, text_name, workload_importers())};
  if (workloads::zoo_has(source)) {
    static std::map<std::string, Workload> zoo;
    auto it = zoo.find(source);
    if (it == zoo.end()) it = zoo.emplace(source, Workload{workloads::zoo_load(source)}).first;
    return it->second;
  }
  return {workloads::load_workload(source, workload_importers())};
}

void bind_run(py::module_& m) {
  py::class_<explore::RunRequest>(m, "RunRequest", "The options of `loom run`, with its defaults")
      .def(py::init<>())
      .def_readwrite("arch", &explore::RunRequest::arch)
      .def_readwrite("dataflow", &explore::RunRequest::dataflow)
      .def_readwrite("batch", &explore::RunRequest::batch)
      .def_readwrite("mapping", &explore::RunRequest::mapping)
      .def_readwrite("no_search", &explore::RunRequest::no_search)
      .def_readwrite("schedule", &explore::RunRequest::schedule)
      .def_readwrite("objective", &explore::RunRequest::objective)
      .def_readwrite("budget", &explore::RunRequest::budget)
      .def_readwrite("budget_given", &explore::RunRequest::budget_given)
      .def_readwrite("seed", &explore::RunRequest::seed)
      .def_readwrite("threads", &explore::RunRequest::threads);

  py::class_<Accelerator>(m, "Accelerator")
      .def(py::init(&load_accelerator), py::arg("source"), py::arg("text"), py::arg("text_name"))
      .def_property_readonly("name", [](const Accelerator& a) { return a.acc.name; })
      .def_property_readonly(
          "dataflow",
          [](const Accelerator& a) {
            return std::string(core::enum_name(arch::kDataflows, a.acc.dataflow));
          })
      .def_property_readonly("rows", [](const Accelerator& a) { return a.acc.array.rows; })
      .def_property_readonly("cols", [](const Accelerator& a) { return a.acc.array.cols; })
      .def_property_readonly("clock_hz", [](const Accelerator& a) { return a.acc.clock_hz; })
      .def_property_readonly("levels", [](const Accelerator& a) {
        std::vector<std::string> names;
        for (const auto& l : a.acc.levels) names.push_back(l.name);
        return names;
      });

  py::class_<Workload>(m, "Workload")
      .def(py::init(&load_workload), py::arg("source"), py::arg("text"), py::arg("text_name"))
      .def(py::init<const Workload&>(), py::arg("other"))  // a copy
      .def_property_readonly("name", [](const Workload& w) { return w.net.name; })
      .def_property_readonly("macs", [](const Workload& w) { return w.net.macs(); })
      .def_property_readonly("layers", [](const Workload& w) { return layer_dicts(w.net); })
      .def("to_yaml", [](const Workload& w) { return workloads::to_workload_yaml(w.net); })
      .def("with_bits", &with_bits, py::arg("bits"))
      .def("with_density", &with_density, py::arg("density"));

  py::class_<RunOutput>(m, "RunOutput")
      .def_property_readonly("totals",
                             [](const RunOutput& r) {
                               // summary.json's totals: the summary row without its labels.
                               return table_row(explore::summary_table(r.run), 0,
                                                {"accelerator", "workload", "batch"});
                             })
      .def_property_readonly(
          "layers", [](const RunOutput& r) { return table_rows(explore::layers_table(r.run)); })
      .def_property_readonly("columns",
                             [](const RunOutput& r) {
                               std::vector<std::pair<std::string, std::string>> c;
                               const auto table = explore::layers_table(r.run);
                               for (const auto& col : table.columns())
                                 c.emplace_back(col.name, col.unit);
                               return c;
                             })
      .def_property_readonly("accelerator",
                             [](const RunOutput& r) { return r.run.accelerator.name; })
      .def_property_readonly("workload", [](const RunOutput& r) { return r.run.network.name; })
      .def_property_readonly("batch", [](const RunOutput& r) { return r.run.batch; })
      .def_property_readonly("unmapped", [](const RunOutput& r) { return r.run.unmapped; })
      .def("summary_json", [](const RunOutput& r) { return explore::summary_json_text(r.run); })
      .def("console", [](const RunOutput& r) { return explore::format_run_console(r.run); })
      .def_property_readonly("schedule",
                             [](const RunOutput& r) -> py::object {
                               if (!r.run.schedule) return py::none();
                               return schedule_dict(explore::mapped_schedule(r.run),
                                                    r.run.network.name, r.run.accelerator.name);
                             })
      .def_readonly("schedule_warning", &RunOutput::schedule_warning)
      .def(
          "write",
          [](const RunOutput& r, const std::string& dir) {
            explore::write_run_outputs(r.run, dir);
          },
          py::arg("out"));

  m.def(
      "run",
      [](const Accelerator& a, const Workload& w, const explore::RunRequest& req,
         const std::string& out, const MapOutput* maps) {
        py::gil_scoped_release unlocked;
        return run(a, w, req, out, maps);
      },
      py::arg("arch"), py::arg("workload"), py::arg("request"), py::arg("out"),
      py::arg("maps") = nullptr);

  m.def("import_model", &import_model, py::arg("model"), py::arg("out"));

  m.def("cache_info", [] {
    const auto& c = layer_cache();
    py::dict d;
    d["hits"] = c.hits();
    d["misses"] = c.misses();
    d["size"] = c.size();
    return d;
  });
  m.def("clear_cache", [] { layer_cache().clear(); });
}

}  // namespace loom::python
