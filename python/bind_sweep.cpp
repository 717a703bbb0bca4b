// SPDX-License-Identifier: Apache-2.0
// loom._core.Sweep: ask/tell sweeps (sweep/ask_tell.hpp), the caller scoring accuracy.
#include <pybind11/stl.h>

#include <limits>
#include <memory>

#include "python/bindings.hpp"
#include "python/convert.hpp"
#include "sweep/algorithm.hpp"
#include "sweep/ask_tell.hpp"
#include "sweep/outputs.hpp"
#include "sweep/pareto.hpp"
#include "sweep/space.hpp"

namespace loom::python {
namespace {

// The spec and the sweep over it, kept alive by every point handed out.
struct SweepBox {
  sweep::SweepSpec spec;
  std::unique_ptr<sweep::AskTellSweep> sweep;
};

struct Point {
  std::shared_ptr<SweepBox> box;
  std::uint64_t id = 0;
};

std::shared_ptr<SweepBox> open_sweep(const std::string& source, bool text,
                                     const std::string& text_name, const std::string& out,
                                     bool resume) {
  auto box = std::make_shared<SweepBox>();
  box->spec = text ? sweep::parse_sweep(source, text_name, true) : sweep::load_sweep(source, true);
  box->sweep = std::make_unique<sweep::AskTellSweep>(box->spec, sweep::AskTellOptions{out, resume});
  return box;
}

// An axis value as Python sees it: numbers for numeric architecture axes, else the label.
py::object axis_value(const sweep::Axis& a, std::size_t i) {
  const std::string label = a.label(i);
  if (!a.numeric) return py::str(label);
  const double v = std::stod(label);
  if (v == static_cast<double>(static_cast<std::int64_t>(v)) &&
      label.find_first_of(".eE") == std::string::npos)
    return py::int_(static_cast<std::int64_t>(v));
  return py::float_(v);
}

py::dict axes_of(const Point& p, int kind) {  // kind: 0 all, 1 hardware, 2 algorithm
  const auto& spec = p.box->spec;
  const auto choice = spec.decode(p.id);
  py::dict d;
  for (std::size_t a = 0; a < spec.axes.size(); ++a) {
    const bool hw = spec.axes[a].kind == sweep::AxisKind::arch;
    if (kind == 0 || (kind == 1) == hw)
      d[py::str(spec.axes[a].name)] = axis_value(spec.axes[a], choice[a]);
  }
  return d;
}

std::size_t workload_index(const sweep::SweepSpec& spec, const py::object& workload) {
  if (workload.is_none()) {
    if (spec.networks.size() != 1)
      throw Error(Diagnostic{"", "workload", 0, "this sweep has several workloads: name one"});
    return 0;
  }
  const std::string name = py::str(workload);
  for (std::size_t w = 0; w < spec.networks.size(); ++w)
    if (spec.networks[w].name == name) return w;
  throw Error(Diagnostic{"", "workload", 0, "no workload '" + name + "' in this sweep"});
}

// The point's transformed workload, MAC layers only: what the hardware sees and the caller's
// model must match (bits, densities, pruned channels).
py::list point_layers(const Point& p, const py::object& workload) {
  const auto& spec = p.box->spec;
  const auto w = workload_index(spec, workload);
  auto net = sweep::apply_algorithms(spec.networks[w], spec, spec.decode(p.id));
  std::erase_if(net.layers, [](const auto& l) { return !workloads::does_macs(l.op); });
  return layer_dicts(net);
}

py::dict result_dict(const sweep::SweepSpec& spec, const sweep::PointResult& r) {
  return table_row(sweep::points_table(spec, {r}), 0);
}

py::list rows_of(const SweepBox& box, bool pareto_only) {
  std::vector<sweep::PointResult> points;
  for (const auto& [id, p] : box.sweep->done()) points.push_back(p);
  if (pareto_only) {
    std::vector<sweep::PointResult> front;
    for (auto i : sweep::pareto_front(points, box.spec.objectives)) front.push_back(points[i]);
    points = std::move(front);
  }
  return table_rows(sweep::points_table(box.spec, points));
}

}  // namespace

void bind_sweep(py::module_& m) {
  py::class_<Point>(m, "Point")
      .def_property_readonly("id", [](const Point& p) { return p.id; })
      .def_property_readonly("axes", [](const Point& p) { return axes_of(p, 0); })
      .def_property_readonly("hardware", [](const Point& p) { return axes_of(p, 1); })
      .def_property_readonly("algorithm", [](const Point& p) { return axes_of(p, 2); })
      .def_property_readonly("accelerator_yaml",
                             [](const Point& p) {
                               return sweep::point_arch_text(p.box->spec, p.box->spec.decode(p.id));
                             })
      .def("layers", &point_layers, py::arg("workload") = py::none());

  py::class_<SweepBox, std::shared_ptr<SweepBox>>(m, "Sweep")
      .def(py::init(&open_sweep), py::arg("source"), py::arg("text"), py::arg("text_name"),
           py::arg("out"), py::arg("resume"))
      .def(
          "ask",
          [](const std::shared_ptr<SweepBox>& box, std::size_t n) {
            std::vector<Point> out;
            for (auto id : box->sweep->ask(n)) out.push_back({box, id});
            return out;
          },
          py::arg("n") = std::numeric_limits<std::size_t>::max())
      .def(
          "tell",
          [](SweepBox& box, const Point& p, const std::vector<std::optional<double>>& accuracy) {
            if (p.box.get() != &box)
              throw Error(Diagnostic{"", "point", 0, "the point belongs to another sweep"});
            sweep::PointResult r;
            {
              py::gil_scoped_release unlocked;
              r = box.sweep->tell(p.id, accuracy);
            }
            return result_dict(box.spec, r);
          },
          py::arg("point"), py::arg("accuracy"))
      .def_property_readonly("finished", [](SweepBox& box) { return box.sweep->finished(); })
      .def_property_readonly("workloads",
                             [](const SweepBox& box) {
                               std::vector<std::string> names;
                               for (const auto& n : box.spec.networks) names.push_back(n.name);
                               return names;
                             })
      .def_property_readonly("name", [](const SweepBox& box) { return box.spec.name; })
      .def_property_readonly("point_count",
                             [](const SweepBox& box) { return box.spec.point_count(); })
      .def_property_readonly("resumed", [](const SweepBox& box) { return box.sweep->resumed(); })
      .def_property_readonly("points", [](const SweepBox& box) { return rows_of(box, false); })
      .def_property_readonly("pareto", [](const SweepBox& box) { return rows_of(box, true); })
      .def("cache_info",
           [](const SweepBox& box) {
             py::dict d;
             d["hits"] = box.sweep->cache_hits();
             d["misses"] = box.sweep->cache_misses();
             return d;
           })
      .def("finish", [](SweepBox& box) {
        sweep::SweepOutcome o;
        {
          py::gil_scoped_release unlocked;
          o = box.sweep->finish();
        }
        py::dict d;
        d["points"] = o.points.size();
        d["pareto"] = o.pareto.size();
        d["resumed"] = o.skipped;
        return d;
      });
}

}  // namespace loom::python
