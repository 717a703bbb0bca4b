// SPDX-License-Identifier: Apache-2.0
#include "python/convert.hpp"

#include <pybind11/stl.h>

#include <algorithm>
#include <exception>

#include "core/error.hpp"
#include "workloads/layer.hpp"

namespace loom::python {
namespace {

py::object cell(const reports::Cell& c) {
  if (const auto* s = std::get_if<std::string>(&c)) return py::str(*s);
  if (const auto* i = std::get_if<std::int64_t>(&c)) return py::int_(*i);
  return py::float_(std::get<double>(c));
}

py::object or_none(const std::string& s) {
  return s.empty() ? py::object(py::none()) : py::object(py::str(s));
}

}  // namespace

py::dict table_row(const reports::ResultTable& t, std::size_t row,
                   std::initializer_list<std::string_view> skip) {
  py::dict d;
  const auto& columns = t.columns();
  const auto& cells = t.rows().at(row);
  for (std::size_t c = 0; c < columns.size(); ++c) {
    if (std::find(skip.begin(), skip.end(), columns[c].name) != skip.end()) continue;
    d[py::str(columns[c].name)] = cell(cells[c]);
  }
  return d;
}

py::dict schedule_dict(const explore::MappedSchedule& s, const std::string& workload,
                       const std::string& accelerator) {
  py::list groups;
  for (const auto& g : s.groups) {
    py::dict d;
    py::list layers;
    layers.append(g.first);
    layers.append(g.last);
    d["layers"] = layers;
    d["tile_rows"] = g.tile_rows;
    d["halo"] = g.halo;
    d["weights"] = g.weights_resident ? "resident" : "refetched";
    groups.append(d);
  }
  py::dict d;
  d["workload"] = workload;
  d["accelerator"] = accelerator;
  d["schedule"] = "graph";
  d["objective"] = s.objective;
  d["resident"] = py::cast(s.resident);
  d["groups"] = groups;
  d["dram_bytes"] = s.dram_bytes;
  d["cycles"] = s.cycles;
  d["energy_pj"] = s.energy_pj;
  return d;
}

py::list table_rows(const reports::ResultTable& t) {
  py::list out;
  for (std::size_t r = 0; r < t.row_count(); ++r) out.append(table_row(t, r));
  return out;
}

py::list layer_dicts(const workloads::Network& net) {
  py::list out;
  for (const auto& l : net.layers) {
    const auto& s = l.shape;
    py::dict d;
    d["name"] = l.name;
    d["op"] = std::string(core::enum_name(workloads::kOpKinds, l.op));
    d["macs"] = l.macs();
    for (const auto& [k, v] : {std::pair{"N", s.N},
                               {"M", s.M},
                               {"C", s.C},
                               {"H", s.H},
                               {"W", s.W},
                               {"P", s.P},
                               {"Q", s.Q},
                               {"R", s.R},
                               {"S", s.S},
                               {"stride_h", s.stride_h},
                               {"stride_w", s.stride_w},
                               {"groups", s.groups}})
      d[k] = v;
    d["weight_bits"] = l.precision.weight_bits;
    d["activation_bits"] = l.precision.activation_bits;
    d["output_bits"] = l.precision.output_bits;
    d["weight_density"] = l.density.weight;
    d["ifmap_density"] = l.density.ifmap;
    d["ofmap_density"] = l.density.ofmap;
    out.append(d);
  }
  return out;
}

void register_errors(py::module_& m) {
  // A module attribute keeps the type alive for the translator (it lives as long as Python).
  static const py::handle type = py::exception<Error>(m, "Error").release();
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const Error& e) {
      py::object err = py::reinterpret_borrow<py::object>(type)(py::str(e.what()));
      const auto& ds = e.diagnostics();
      py::list all;
      for (const auto& d : ds) {
        py::dict item;
        item["file"] = or_none(d.file);
        item["key"] = or_none(d.key);
        item["line"] = d.line > 0 ? py::object(py::int_(d.line)) : py::none();
        item["message"] = d.message;
        all.append(item);
      }
      // The first problem's place, as the CLI's first message line shows it.
      const Diagnostic first = ds.empty() ? Diagnostic{"", "", 0, e.what()} : ds.front();
      err.attr("message") = first.message;
      err.attr("file") = or_none(first.file);
      err.attr("key") = or_none(first.key);
      err.attr("line") = first.line > 0 ? py::object(py::int_(first.line)) : py::none();
      err.attr("diagnostics") = all;
      PyErr_SetObject(type.ptr(), err.ptr());
    }
  });
}

}  // namespace loom::python
